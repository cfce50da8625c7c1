"""Generic per-endpoint API tests (like NetBox's APIViewTestCases). An
app's test class declares the endpoint and how to make rows; the mixin
tests anonymous (401), signed in without a role (empty list, 404), out of
scope (404), allowed (200 and the right rows), rows identical to the read
serializer, and a list whose query count does not grow with the page size.

    class TestUnits(EndpointTests):
        url = "/api/v1/units/"

        def visible(self, tree):  # an object editor_a may see
            return tree["township_a"]

        def hidden(self, tree):   # one editor_a may not
            return tree["county_b"]

        def grow(self, tree, n):  # n more rows editor_a sees
            for _ in range(n):
                f.TownshipFactory(parent=tree["county_a"])

Write endpoints add `WriteEndpointTests` with `create_payload(tree)`:
a read-only leader gets 403, a user of another unit 404 on an object out
of their scope."""

import pytest
from rest_framework.test import APIClient

from tests.querycount import assert_constant_queries


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


class EndpointTests:
    url: str = ""
    lookup: str = "pk"
    viewset = None  # optional: checks rows against the read serializer
    max_queries: int = 8

    def visible(self, tree):
        raise NotImplementedError

    def hidden(self, tree):
        raise NotImplementedError

    def grow(self, tree, n: int) -> None:
        raise NotImplementedError

    def detail(self, obj) -> str:
        return f"{self.url}{getattr(obj, self.lookup)}/"

    def test_anonymous_is_refused_with_401(self, tree):
        obj = self.visible(tree)
        assert client_for().get(self.url).status_code == 401
        assert client_for().get(self.detail(obj)).status_code == 401

    def test_user_without_role_sees_nothing(self, tree, outsider):
        obj = self.visible(tree)
        assert results(client_for(outsider).get(self.url)) == []
        assert client_for(outsider).get(self.detail(obj)).status_code == 404

    def test_out_of_scope_object_is_404_and_not_listed(self, tree, editor_a):
        hidden = self.hidden(tree)
        client = client_for(editor_a)
        assert client.get(self.detail(hidden)).status_code == 404
        ids = {row["id"] for row in results(client.get(self.url + "?page_size=1000"))}
        assert hidden.pk not in ids

    def test_allowed_user_reads_list_and_detail(self, tree, editor_a):
        obj = self.visible(tree)
        client = client_for(editor_a)
        ids = {row["id"] for row in results(client.get(self.url + "?page_size=1000"))}
        assert obj.pk in ids
        response = client.get(self.detail(obj))
        assert response.status_code == 200
        assert response.json()["id"] == obj.pk

    def test_rows_equal_the_read_serializer(self, tree, editor_a):
        if self.viewset is None:
            pytest.skip("no viewset declared")
        obj = self.visible(tree)
        row = client_for(editor_a).get(self.detail(obj)).json()
        expected = self.viewset.serializer_class(type(obj).objects.get(pk=obj.pk)).data
        assert row == _jsonable(expected)

    def test_list_query_count_does_not_grow(self, tree, editor_a):
        self.visible(tree)
        client = client_for(editor_a)

        def run():
            assert client.get(self.url + "?page_size=1000").status_code == 200

        run()  # the user's scope is then cached on the user object, as in a request
        assert_constant_queries(run, lambda: self.grow(tree, 5), limit=self.max_queries)


class WriteEndpointTests:
    """Add to an EndpointTests class whose endpoint accepts POST."""

    def create_payload(self, tree) -> dict:
        raise NotImplementedError

    def test_read_only_leader_cannot_create(self, tree, leader):
        response = client_for(leader).post(self.url, self.create_payload(tree), format="json")
        assert response.status_code == 403

    def test_anonymous_cannot_create(self, tree):
        response = client_for().post(self.url, self.create_payload(tree), format="json")
        assert response.status_code == 401

    def test_out_of_scope_object_cannot_be_changed(self, tree, editor_a):
        hidden = self.hidden(tree)
        response = client_for(editor_a).patch(self.detail(hidden), {}, format="json")
        assert response.status_code == 404


def _jsonable(data):
    import orjson

    from pingxiang_cf.api.renderers import FastJSONRenderer

    return orjson.loads(FastJSONRenderer().render(data))

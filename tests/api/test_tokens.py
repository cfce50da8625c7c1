"""API tokens: obtain with a password (through authenticate()), act with the
user's scope, expire, get revoked, and never be stored in clear."""

import datetime

import pytest
from django.utils import timezone

from pingxiang_cf import tokens
from pingxiang_cf.models import ApiToken, AuditLog
from tests import factories as f
from tests.api.mixins import client_for

pytestmark = pytest.mark.django_db


def _bearer(key):
    client = client_for()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def test_obtain_token_with_password_then_use_it_with_the_users_scope(tree, editor_a):
    editor_a.set_password(f.PASSWORD)
    editor_a.save()
    f.ProjectFactory(lead_unit=tree["county_a"], name="甲县项目")
    f.ProjectFactory(lead_unit=tree["county_b"], name="乙县项目")
    response = client_for().post(
        "/api/v1/auth/token/",
        {"username": "editor_a", "password": f.PASSWORD, "name": "报表系统"},
        format="json",
    )
    assert response.status_code == 201, response.content
    key = response.json()["key"]
    token = ApiToken.objects.get()
    assert key not in (token.key_hash, token.prefix) and token.key_hash == tokens.hash_key(key)
    names = [row["name"] for row in _bearer(key).get("/api/v1/projects/").json()["results"]]
    assert names == ["甲县项目"]
    assert AuditLog.objects.filter(object_repr__startswith="报表系统").exists()
    # the key is never shown again
    listed = _bearer(key).get("/api/v1/tokens/").json()["results"]
    assert [t["name"] for t in listed] == ["报表系统"] and "key" not in listed[0]


def test_wrong_password_gets_no_token(tree, editor_a):
    response = client_for().post(
        "/api/v1/auth/token/",
        {"username": "editor_a", "password": "wrong", "name": "x"},
        format="json",
    )
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_obtain_goes_through_authenticate_with_the_request(tree, editor_a, monkeypatch):
    seen = {}

    def fake_authenticate(request=None, **credentials):
        seen["request"] = request
        return None

    monkeypatch.setattr("pingxiang_cf.api.views.authenticate", fake_authenticate)
    client_for().post(
        "/api/v1/auth/token/", {"username": "editor_a", "password": "x", "name": "x"}, format="json"
    )
    assert seen["request"] is not None and seen["request"].path == "/api/v1/auth/token/"


def test_expired_token_is_refused(tree, editor_a):
    token, key = tokens.token_create(actor=editor_a, user=editor_a, name="短期")
    assert _bearer(key).get("/api/v1/units/").status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert _bearer(key).get("/api/v1/units/").status_code == 401


def test_revoked_token_is_refused_and_revoking_is_audited(tree, editor_a):
    token, key = tokens.token_create(actor=editor_a, user=editor_a, name="临时")
    client = _bearer(key)
    assert client.delete(f"/api/v1/tokens/{token.pk}/").status_code == 204
    assert _bearer(key).get("/api/v1/units/").status_code == 401
    assert AuditLog.objects.filter(reason="撤销令牌").count() == 1


def test_token_of_a_switched_off_user_is_refused(tree, editor_a):
    _token, key = tokens.token_create(actor=editor_a, user=editor_a, name="停用")
    editor_a.is_active = False
    editor_a.save()
    assert _bearer(key).get("/api/v1/units/").status_code == 401


def test_nobody_revokes_another_users_token(tree, editor_a, editor_b):
    token, _key = tokens.token_create(actor=editor_a, user=editor_a, name="甲")
    assert client_for(editor_b).delete(f"/api/v1/tokens/{token.pk}/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_garbage_token_is_401(tree):
    assert _bearer("pxcf_nope").get("/api/v1/units/").status_code == 401
    assert _bearer("something").get("/api/v1/units/").status_code == 401


def test_last_used_is_recorded(tree, editor_a):
    token, key = tokens.token_create(actor=editor_a, user=editor_a, name="用")
    _bearer(key).get("/api/v1/units/")
    token.refresh_from_db()
    assert token.last_used_at is not None

"""The dashboard lists at most TABLE_ROWS units below the node in its own
tables and links to the units page, which lists every one of them with the
same figures, sorted and paginated, keeping the filters."""

import pytest
from django.urls import reverse

from dashboards import page
from tests import factories as f

pytestmark = pytest.mark.django_db

URL = reverse("dashboards:index")
UNITS = reverse("dashboards:units")


def figures(rows):
    return {row.node.pk: row.figures for row in rows}


def test_the_units_page_lists_every_unit_below_with_the_dashboards_figures(
    client, world, tree, leader
):
    client.force_login(leader)
    dashboard = client.get(URL, {"year": 2024}).context
    response = client.get(UNITS, {"year": 2024})
    assert response.status_code == 200
    listed = response.context["page"].object_list
    assert figures(listed) == figures(dashboard["children"])
    assert [row.node.pk for row in listed] == [row.node.pk for row in dashboard["children"]]
    body = response.content.decode()
    assert {row.node.name for row in listed} >= {"甲县", "市审计局"}
    assert all(f">{row.label}</a>" in body for row in listed)
    # A county with units below links to its own dashboard, keeping the year.
    county = next(row for row in listed if row.node.pk == tree["county_a"].pk)
    assert county.link == f"{URL}?year=2024&unit={tree['county_a'].pk}"
    assert f'href="{county.link.replace("&", "&amp;")}"' in body


@pytest.mark.parametrize("sort", ["red", "total", "completion", "progress"])
def test_the_units_page_sorts(client, world, leader, sort):
    client.force_login(leader)
    rows = client.get(UNITS, {"sort": sort}).context["page"].object_list
    keys = {
        "red": lambda r: (-r.figures.red, -r.figures.yellow),
        "total": lambda r: (-r.figures.total,),
        "completion": lambda r: (-r.figures.done / max(r.figures.total, 1),),
        "progress": lambda r: (-r.figures.progress_sum / max(r.figures.total, 1),),
    }
    assert [r.label for r in rows] == [
        r.label for r in sorted(rows, key=lambda r: (*keys[sort](r), r.label))
    ]


def test_sorting_by_on_time_rate_follows_the_dashboards_ranking(client, world, leader):
    client.force_login(leader)
    ranking = client.get(URL).context["ranking"]
    rows = client.get(UNITS, {"sort": "on_time"}).context["page"].object_list
    assert [r.label for r in rows][: len(ranking)] == [r.label for r in ranking]
    assert len(rows) >= len(ranking)


def test_the_units_page_keeps_filters_and_order_across_pages(
    client, world, tree, leader, monkeypatch
):
    monkeypatch.setattr(page, "UNITS_PER_PAGE", 1)
    client.force_login(leader)
    program = world["programs"][1]  # projects of 乙县 and 市审计局
    params = {"program": program.pk, "sort": "total"}
    first = client.get(UNITS, params)
    listing = first.context["page"]
    assert listing.paginator.num_pages >= 2
    assert len(listing.object_list) == 1
    second = client.get(UNITS, {**params, "page": 2}).context["page"]
    everything = client.get(UNITS, {**params, "page": 1}).context["page"].paginator.object_list
    assert list(second.object_list) == everything[1:2]
    body = first.content.decode()
    assert f"program={program.pk}" in body and "sort=total" in body and "page=2" in body
    # The figures are those of the filtered dashboard.
    filtered = client.get(URL, {"program": program.pk}).context["children"]
    assert figures(everything) == figures(filtered)


def test_the_dashboard_lists_the_first_units_and_links_to_all(
    client, world, tree, leader, monkeypatch
):
    monkeypatch.setattr(page, "TABLE_ROWS", 2)
    client.force_login(leader)
    response = client.get(URL)
    context = response.context
    assert len(context["children_table"]) == 2 < len(context["children"])
    assert context["children_table"] == context["children"][:2]
    assert context["ranking_table"] == context["ranking"][:2]
    body = response.content.decode()
    assert f"表格列出前 2 个,共 {len(context['children'])} 个" in body
    assert f'href="{UNITS}?unit={tree["city"].pk}"' in body
    assert f'href="{UNITS}?unit={tree["city"].pk}&amp;sort=on_time"' in body


def test_the_units_page_is_scoped_and_read_only(client, world, tree, county_leader):
    client.force_login(county_leader)
    own = client.get(UNITS)
    assert own.status_code == 200
    listed = [(row.node.pk, row.label) for row in own.context["page"].object_list]
    assert listed == [(tree["township_a"].pk, "甲县一镇"), (tree["county_a"].pk, "甲县(本级)")]
    assert client.get(UNITS, {"unit": tree["city"].pk}).status_code == 404
    assert client.get(UNITS, {"unit": tree["county_b"].pk}).status_code == 404
    assert client.post(UNITS).status_code == 405
    client.logout()
    assert client.get(UNITS).status_code == 302


def test_an_empty_node_shows_the_empty_state(client, tree):
    user = f.UserFactory()
    f.MembershipFactory(user=user, unit=tree["department"], role="leader")
    client.force_login(user)
    response = client.get(UNITS)
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 0
    assert "没有下级单位的数据" in response.content.decode()

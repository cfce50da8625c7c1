"""The leaders' dashboard over the Pingxiang demo: the seed's figures on the
page and in the data behind each chart, drill-down links that keep the
filters, a county leader's default scope, no writes, and the XLSX export."""

import datetime
import json
import re
from io import BytesIO
from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from openpyxl import load_workbook

from accountability.models import Unit
from projects.models import Program

pytestmark = [pytest.mark.django_db, pytest.mark.demo]

URL = reverse("dashboards:index")


@pytest.fixture(scope="module", autouse=True)
def demo(pingxiang_demo):
    return pingxiang_demo


def signed_in(client, username):
    client.force_login(get_user_model().objects.get(username=username))
    return client


def figure(html: str, name: str) -> str:
    match = re.search(rf'data-figure="{name}"[^>]*>([^<]*)<', html)
    assert match, name
    return match.group(1).strip()


def charts(response) -> dict:
    match = re.search(
        r'<script id="dashboard-charts" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    return json.loads(match.group(1))


def query(url: str) -> dict:
    return {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}


def test_leader_home_is_the_dashboard_with_the_seed_figures(client):
    response = signed_in(client, "leader").get("/")
    assert response.status_code == 200
    assert "dashboards/dashboard.html" in [t.name for t in response.templates]
    html = response.content.decode()
    expected = {
        "plan-rate": "92.04%",
        "plan-done": "104",
        "plan-total": "113",
        "projects": "255",
        "units-county": "5",
        "units-department": "87",
        "units-township": "46",
        "routine": "72",
        "concentrated": "4",
        "notified": "35",
        "commend-units": "28",
        "commend-leaders": "30",
        "account-units": "9",
        "account-leaders": "13",
    }
    assert {name: figure(html, name) for name in expected} == expected
    assert figure(html, "category-common") == "共性项目 125"
    assert figure(html, "category-individual") == "个性项目 117"
    assert figure(html, "category-extension") == "延伸项目 13"
    totals = response.context["totals"]
    assert totals.total == 255
    assert totals.green + totals.yellow + totals.red == 255


def test_every_chart_carries_the_demo_figures(client):
    response = signed_in(client, "leader").get(URL)
    data = charts(response)
    assert set(data) == {"tier", "program", "mechanism", "children", "year", "ranking", "trend"}
    for name in ("tier", "program"):
        assert sum(sum(d["data"]) for d in data[name]["datasets"]) == 255
    assert [d["label"] for d in data["tier"]["datasets"]] == ["绿灯", "黄灯", "红灯"]
    assert data["program"]["labels"] == ["廉政阳光工程", "重点特色工程", "基层保廉工程"]
    assert data["year"]["labels"] == ["2008", "2009", "2010", "2011"]
    assert sum(data["year"]["datasets"][0]["data"]) == 255
    # Mechanisms: a project counts once for each of its mechanisms.
    assert len(data["mechanism"]["labels"]) == 5
    # Children: the 15 biggest units of the city; the table view lists them all.
    assert len(data["children"]["labels"]) == 15
    assert sum(row.figures.total for row in response.context["children"]) == 255
    # Trend: twelve months of 2011 (the latest year), as many entries as the ledger has.
    from projects.models import LedgerEntry

    assert len(data["trend"]["labels"]) == 12
    entries_2011 = LedgerEntry.objects.filter(entry_date__year=2011).count()
    assert sum(data["trend"]["datasets"][0]["data"]) == entries_2011
    assert all(0 <= v <= 100 for v in data["ranking"]["datasets"][0]["data"])


def test_filters_narrow_the_figures_and_every_link_keeps_them(client):
    program = Program.objects.get(name="重点特色工程")
    response = signed_in(client, "leader").get(URL, {"year": 2010, "program": program.pk})
    assert response.status_code == 200
    context = response.context
    assert 0 < context["totals"].total < 255
    kept = {"year": "2010", "program": str(program.pk)}
    county = next(row for row in context["children"] if row.label == "安源区")
    assert county.has_children
    drill = query(county.link)
    assert drill == {**kept, "unit": str(county.node.pk)}
    leaf = next(row for row in context["children"] if not row.has_children)
    assert urlparse(leaf.link).path == reverse("projects:list")
    assert query(leaf.link) == {**kept, "lead_unit": str(leaf.node.pk)}
    assert query(context["links"]["light"]["red"]) == {**kept, "light": "red"}
    assert query(context["export_url"])["year"] == "2010"

    # One level down the links still carry the filters, and the crumbs lead back up.
    response = client.get(county.link)
    assert response.context["node"].name == "安源区"
    assert response.context["filters"].year == 2010
    city_crumb = response.context["crumbs"][0]
    assert query(city_crumb.link) == {**kept, "unit": str(city_crumb.pk)}
    for row in response.context["children"]:
        assert query(row.link)["year"] == "2010"
    for fact in response.context["lagging"]:
        assert fact.year == 2010


def test_county_leader_opens_on_the_county(client):
    response = signed_in(client, "anyuan_leader").get("/")
    assert response.status_code == 200
    node = response.context["node"]
    assert node.name == "安源区"
    assert [crumb.name for crumb in response.context["crumbs"]] == ["安源区"]
    for row in response.context["children"]:
        assert row.node.path.startswith(node.path)
    assert figure(response.content.decode(), "units-county") == "1"
    xiangdong = Unit.objects.get(name="湘东区")
    assert client.get(URL, {"unit": xiangdong.pk}).status_code == 404


def test_a_bad_filter_value_is_ignored(client):
    response = signed_in(client, "leader").get(URL, {"year": "abc", "tier": "999999"})
    assert response.status_code == 200
    assert response.context["totals"].total == 255


@pytest.mark.parametrize("username", ["leader", "anyuan_leader"])
def test_leaders_cannot_write(client, username):
    signed_in(client, username)
    assert client.post(URL).status_code == 405
    assert client.post(reverse("dashboards:export")).status_code == 405
    assert client.post(reverse("projects:project-create"), {"name": "x"}).status_code == 403
    html = client.get(URL).content.decode()
    actions = re.findall(r'<form[^>]*method="post"[^>]*action="([^"]*)"', html, re.I)
    actions += re.findall(r'<form[^>]*action="([^"]*)"[^>]*method="post"', html, re.I)
    # The only forms that post: signing out and choosing the language.
    assert set(actions) <= {reverse("logout"), reverse("set_language")}


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_export_holds_the_page_tables(client):
    response = signed_in(client, "leader").get(reverse("dashboards:export"))
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    assert "总览" in book.sheetnames and "滞后项目" in book.sheetnames
    overview = {row[0]: row[1] for row in book["总览"].iter_rows(values_only=True)}
    assert overview["计划任务完成率(%)"] == 92.04
    assert overview["牵头项目数"] == 255
    years = list(book["按年度"].iter_rows(values_only=True))
    assert [row[0] for row in years[1:]] == ["2008", "2009", "2010", "2011"]


def test_the_commission_can_open_it_too(client):
    response = signed_in(client, "commission").get(URL)
    assert response.status_code == 200
    leader = get_user_model().objects.get(username="leader")
    leader.is_staff = False
    leader.save(update_fields=["is_staff"])
    client.force_login(leader)
    response = client.get(URL, {"year": 2010})
    links = response.context["links"]
    # supervision and the register link to their own list pages, for everyone
    assert links["notices"] == reverse("inspections:notice-list") + "?status=published"
    assert links["findings_rectified"] == reverse("inspections:finding-list") + "?status=verified"
    assert links["accountability"] == reverse("accountability:cases")
    for name in ("notices", "routine", "letters", "findings", "commendations"):
        assert client.get(links[name]).status_code == 200


def test_no_figure_links_to_the_admin_and_the_pages_behind_keep_the_filters(client):
    """Plan tasks (no page of their own: the registry of the projects under
    the same filters), units (the node's wall chart for the year), named
    units (the published notices) link to the app's pages, not the admin."""
    program = Program.objects.get(name="重点特色工程")
    response = signed_in(client, "leader").get(URL, {"year": 2010, "program": program.pk})
    html = response.content.decode()
    assert not re.search(r'href="/admin/\w', html)  # no changelist (the nav's admin home aside)
    links = response.context["links"]
    node = response.context["node"]
    assert urlparse(links["plan_projects"]).path == reverse("projects:list")
    assert query(links["plan_projects"]) == {"year": "2010", "program": str(program.pk)}
    assert links["units"] == reverse("projects:unit-wall", args=[node.pk]) + "?year=2010"
    assert links["notified"] == reverse("inspections:notice-list") + "?status=published"
    for name in ("plan_projects", "units", "notified"):
        assert client.get(links[name]).status_code == 200, name
    assert 'data-link="plan-projects"' in html and 'data-link="unit-wall"' in html


def test_the_demo_snapshots_equal_the_live_path(client):
    from dashboards import snapshots
    from tests.dashboards.test_snapshots import assert_snapshots_match_live

    nodes = list(snapshots.snapshot_nodes())
    assert {"萍乡市", "安源区", "湘东区"} <= {node.name for node in nodes}
    for node in nodes:
        _years, variants = assert_snapshots_match_live(node, datetime.date.today())
        if node.name == "萍乡市":  # 71 units below: each single filter is stored too
            kinds = {variant.split(":")[0] for variant in variants}
            assert kinds == {"", "tier", "program", "mechanism"}, variants
    # The leader's home is read from the city's snapshot, with a filter too.
    response = signed_in(client, "leader").get(URL)
    assert response.context["from_snapshot"] is True
    program = next(iter(response.context["options"]["programs"]))
    response = signed_in(client, "leader").get(URL, {"year": 2010, "program": program})
    assert response.context["from_snapshot"] is True
    response = signed_in(client, "anyuan_leader").get(URL, {"year": 2011})
    assert response.context["from_snapshot"] is True

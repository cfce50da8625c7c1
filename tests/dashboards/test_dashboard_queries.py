"""The dashboard runs the same, small number of queries at two data sizes,
on the city and a county (their snapshots), on a township (no snapshot: live
from the facts) and on the city under a mechanism filter (the node part from
the snapshot, the view part live from the cells); so does the units page."""

import datetime

import pytest
from django.urls import reverse

from dashboards import rollups
from projects.choices import LedgerStatus
from tests import factories as f
from tests.dashboards.query_budget import (
    DASHBOARD_FILTERED_QUERIES,
    DASHBOARD_MISSED_QUERIES,
    DASHBOARD_QUERIES,
    UNITS_PAGE_QUERIES,
)
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

URL = reverse("dashboards:index")


def add_projects(tree, count, *, tier, program, mechanisms):
    units = [tree["county_a"], tree["township_a"], tree["county_b"], tree["department"]]
    for index in range(count):
        project = f.ProjectFactory(
            lead_unit=units[index % len(units)],
            tier=tier,
            program=program,
            year=2023 + index % 2,
            mechanisms=mechanisms[: 1 + index % 2],
        )
        for month in (3, 6):
            f.LedgerEntryFactory(
                project=project,
                entry_date=datetime.date(project.year, month, 28),
                progress_percent=30 * month // 3,
                status=LedgerStatus.VERIFIED,
            )
    rollups.refresh_all(today=datetime.date(2024, 7, 1))


def count_at_two_sizes(client, tree, url, params, expected, *, shows) -> int:
    """The page's query count with 3 projects, then with 40 more (it must
    not change); `shows(context)` checks the page has figures."""
    tier, program = f.TierFactory(), f.ProgramFactory()
    mechanisms = [f.MechanismFactory(), f.MechanismFactory()]
    params = dict(params)
    if "unit" in params:
        params["unit"] = tree[params["unit"]].pk
    if "mechanism" in params:
        params["mechanism"] = mechanisms[0].pk
    kinds = {"tier": tier, "program": program, "mechanisms": mechanisms}
    add_projects(tree, 3, **kinds)

    def run():
        response = client.get(url, params)
        assert response.status_code == 200
        assert shows(response.context)

    return assert_constant_queries(run, lambda: add_projects(tree, 40, **kinds), limit=expected)


@pytest.mark.parametrize(
    "where, params, expected",
    [
        ("city", {}, DASHBOARD_QUERIES),
        ("city, one year", {"year": 2024}, DASHBOARD_QUERIES),
        ("county", {"unit": "county_a"}, DASHBOARD_QUERIES),
        ("township", {"unit": "township_a", "year": 2024}, DASHBOARD_MISSED_QUERIES),
        ("filtered city", {"year": 2024, "mechanism": "m"}, DASHBOARD_FILTERED_QUERIES),
    ],
)
def test_dashboard_queries_do_not_grow_with_data(client, tree, leader, where, params, expected):
    client.force_login(leader)
    count = count_at_two_sizes(
        client, tree, URL, params, expected, shows=lambda context: context["totals"].total > 0
    )
    assert count == expected


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"sort": "red"}, UNITS_PAGE_QUERIES),
        ({"year": 2024, "mechanism": "m", "sort": "on_time"}, DASHBOARD_FILTERED_QUERIES),
    ],
)
def test_units_page_queries_do_not_grow_with_data(client, tree, leader, params, expected):
    client.force_login(leader)
    url = reverse("dashboards:units")
    count = count_at_two_sizes(
        client,
        tree,
        url,
        params,
        expected,
        shows=lambda context: context["page"].paginator.count > 0,
    )
    assert count == expected


@pytest.mark.parametrize("persona", ["leader", "county_leader"])
def test_leaders_land_on_the_dashboard_and_auditors_on_the_overview(
    client, request, tree, persona, auditor
):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "dashboards/dashboard.html" in [t.name for t in response.templates]
    expected = tree["city"] if persona == "leader" else tree["county_a"]
    assert response.context["node"] == expected
    client.force_login(auditor)
    assert client.get(reverse("home")).templates[0].name == "projects/home.html"

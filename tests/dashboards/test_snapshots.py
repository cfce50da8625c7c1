"""The per-node snapshots (dashboards.snapshots) hold exactly what the live
path computes, stay so after ledger changes, are read only within the
reader's scope; the trend and heat map follow the tier, program and
mechanism filters."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accountability.models import Unit
from dashboards import rollups, selectors, snapshots
from dashboards.models import NODE_PART, DashboardSnapshot
from dashboards.rollups import ALL_YEARS
from pingxiang_cf.roles import Role
from projects import services as svc
from projects.choices import LedgerStatus
from tests import factories as f
from tests.dashboards.query_budget import DASHBOARD_CACHED_QUERIES
from tests.dashboards.world import TODAY

pytestmark = pytest.mark.django_db

URL = reverse("dashboards:index")


def assert_snapshots_match_live(node, today):
    """Every stored part of the node equals the live computation: the node
    part, and the view part of every year and filter variant stored."""
    stored = {
        (row.year, row.variant): row.payload for row in DashboardSnapshot.objects.filter(node=node)
    }
    live_node = selectors.node_part(node, user=None)
    assert stored.pop((NODE_PART, "")) == live_node
    names = {info[0]: info[1] for info in live_node["units"]}
    assert (ALL_YEARS, "") in stored
    for (year, variant), payload in stored.items():
        dimension = {}
        if variant:
            name, value = variant.split(":")
            dimension = {name: int(value)}
        filters = selectors.Filters(year=year or None, **dimension)
        assert snapshots.variant_of(filters) == variant
        live = selectors.live_view_part(None, node, filters, names, today=today)
        assert payload == live, (node.name, year, variant)
    return sorted({year for year, _variant in stored}), sorted({v for _y, v in stored})


def submit_entry(editor, project, day, progress):
    """A ledger entry written and submitted through the services."""
    return svc.ledger_entry_create(
        actor=editor,
        project=project,
        entry_date=day,
        content="推进",
        progress_percent=progress,
        submit=True,
    )


def test_snapshots_equal_the_live_path_on_factories(world, tree):
    nodes = list(snapshots.snapshot_nodes())
    assert {tree["city"], tree["county_a"], tree["county_b"]} <= set(nodes)
    for node in nodes:
        years, variants = assert_snapshots_match_live(node, TODAY)
        if node == tree["city"]:
            assert years == [ALL_YEARS, 2023, 2024]
            assert variants == [""]  # three units below: filtered pages are computed live


def test_a_wide_node_stores_each_single_filter_and_the_page_reads_it(
    client, world, tree, leader, monkeypatch
):
    monkeypatch.setattr(snapshots, "WIDE_NODE_UNITS", 3)  # the city has 4 units below
    rollups.refresh_all(today=TODAY)
    years, variants = assert_snapshots_match_live(tree["city"], TODAY)
    expected = {f"tier:{t.pk}" for t in world["tiers"]} | {
        f"program:{p.pk}" for p in world["programs"]
    }
    expected |= {f"mechanism:{m.pk}" for m in world["mechanisms"]}
    assert set(variants) == {""} | expected
    _years, county_variants = assert_snapshots_match_live(tree["county_a"], TODAY)
    assert county_variants == [""]  # one unit below
    client.force_login(leader)
    program = world["programs"][1]
    page = client.get(URL, {"year": 2024, "program": program.pk}).context
    assert page["from_snapshot"] is True
    live = selectors.dashboard(
        leader,
        tree["city"],
        selectors.Filters(year=2024, program=program.pk),
        options=selectors.filter_options(),
        today=page["today"],
    )
    assert_shows_the_live_page(page, live)
    # Two filters at once are computed live.
    both = {"program": program.pk, "tier": world["tiers"][0].pk}
    assert client.get(URL, both).context["from_snapshot"] is False
    # A value the form refuses is no filter, and the page shows the unfiltered part.
    odd = client.get(URL, {"program": f"0{program.pk}"}).context
    assert odd["filters"] == selectors.Filters() and odd["from_snapshot"] is True
    for junk in ("²", "-1", "1e3", " 1", "９"):
        assert client.get(URL, {"program": junk}).context["filters"] == selectors.Filters()


def test_snapshots_follow_ledger_changes_made_through_the_services(
    world, tree, editor_a, commission, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)
    project = next(p for p in world["projects"] if p.lead_unit == tree["county_a"])
    with django_capture_on_commit_callbacks(execute=True):
        entry = submit_entry(editor_a, project, datetime.date(project.year, 11, 5), 100)
    with django_capture_on_commit_callbacks(execute=True):
        svc.ledger_entry_verify(entry, actor=commission, comment="属实")
    rollups.refresh_dirty(today=TODAY)
    for node in (tree["city"], tree["county_a"]):
        assert_snapshots_match_live(node, TODAY)
    city = DashboardSnapshot.objects.get(node=tree["city"], year=project.year).payload
    assert city["trend"][10][:2] == [1, 1]  # the November entry, verified


def test_the_page_reads_the_snapshot_and_shows_what_the_live_page_shows(
    client, world, tree, leader
):
    client.force_login(leader)
    from_snapshot = client.get(URL, {"year": 2024})
    assert from_snapshot.context["from_snapshot"] is True
    # The same page computed live: a tier filter with every tier is no filter
    # for the figures, but forces the live path; compare what both show.
    live = selectors.dashboard(
        leader,
        tree["city"],
        selectors.Filters(year=2024),
        options=selectors.filter_options(),
        today=from_snapshot.context["today"],
    )
    assert_shows_the_live_page(from_snapshot.context, live)


def assert_shows_the_live_page(shown, live):
    for key in ("totals", "plan_tasks", "units", "supervision", "outcomes", "trend", "heat_max"):
        assert shown[key] == live[key], key
    for key in ("tiers", "programs", "mechanisms", "years", "children", "ranking", "heat"):
        assert [(r.key, r.label, r.figures, r.months) for r in shown[key]] == [
            (r.key, r.label, r.figures, r.months) for r in live[key]
        ], key
    assert [vars(fact) for fact in shown["lagging"]] == [vars(fact) for fact in live["lagging"]]


@pytest.mark.parametrize("dimension", ["tier", "program", "mechanism"])
def test_under_a_filter_the_node_part_comes_from_the_snapshot_and_the_rest_is_live(
    client, world, tree, leader, dimension
):
    client.force_login(leader)
    chosen = world[f"{dimension}s"][1]
    response = client.get(URL, {"year": 2024, dimension: chosen.pk})
    context = response.context
    assert context["from_snapshot"] is False  # the view part was computed
    filters = selectors.Filters(year=2024, **{dimension: chosen.pk})
    live = selectors.dashboard(
        leader, tree["city"], filters, options=selectors.filter_options(), today=context["today"]
    )
    assert_shows_the_live_page(context, live)
    assert 0 < context["totals"].total < client.get(URL, {"year": 2024}).context["totals"].total


def test_a_filtered_body_is_cached_per_filters_until_the_next_refresh(client, world, tree, leader):
    client.force_login(leader)
    first, second = world["programs"]
    page = client.get(URL, {"year": 2024, "program": first.pk})
    assert "body_cached" not in page.context
    again = client.get(URL, {"year": 2024, "program": first.pk})
    assert again.context["body_cached"] is True
    assert again.context["body"] == page.context["body"]
    # Crumbs keep the reader's filters on the cached page too.
    assert f"program={first.pk}" in again.context["crumbs"][0].link
    other = client.get(URL, {"year": 2024, "program": second.pk})
    assert "body_cached" not in other.context
    assert other.context["totals"] != page.context["totals"]
    # A value that is not a choice is dropped by the form: the unfiltered body.
    bogus = client.get(URL, {"year": 2024, "program": 999999})
    assert bogus.context["filters"] == selectors.Filters(year=2024)
    rollups.refresh_all(today=TODAY)
    assert "body_cached" not in client.get(URL, {"year": 2024, "program": first.pk}).context


def test_node_parts_are_rebuilt_only_when_what_they_show_changed(world, tree, commission):
    """The refresh runs every ten minutes; the node parts (headline) are
    rebuilt only when a table they are made of changed."""
    assert snapshots.rebuild_node_parts() == 0  # refresh_all recorded the fingerprint
    part = DashboardSnapshot.objects.get(node=tree["city"], year=NODE_PART)
    before = part.built_at
    assert rollups.refresh_dirty(today=TODAY) == 0
    part.refresh_from_db()
    assert part.built_at == before
    f.FindingFactory(unit=tree["county_a"])
    nodes = snapshots.snapshot_nodes().count()
    assert snapshots.rebuild_node_parts() == nodes
    part.refresh_from_db()
    assert part.payload["headline"]["supervision"]["findings"]["total"] == 1
    assert part.built_at > before
    assert snapshots.rebuild_node_parts() == 0
    assert snapshots.rebuild_node_parts(force=True) == nodes
    # A unit moved in the tree (its subtree's paths change in one UPDATE).
    from accountability.services import unit_update

    unit_update(tree["township_a"], actor=commission, parent=tree["county_b"])
    assert snapshots.rebuild_node_parts() == nodes


def test_ledger_writes_leave_the_other_nodes_parts_alone(
    world, tree, editor_a, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)
    county_b = DashboardSnapshot.objects.get(node=tree["county_b"], year=NODE_PART).built_at
    project = next(p for p in world["projects"] if p.lead_unit == tree["county_a"])
    with django_capture_on_commit_callbacks(execute=True):
        submit_entry(editor_a, project, datetime.date(project.year, 6, 1), 90)
    rollups.refresh_dirty(today=TODAY)
    city = DashboardSnapshot.objects.get(node=tree["city"], year=ALL_YEARS)
    assert city.built_at > county_b  # the nodes above the project: rebuilt
    after = DashboardSnapshot.objects.get(node=tree["county_b"], year=NODE_PART).built_at
    assert after == county_b  # elsewhere nothing a node part shows changed


def test_a_county_leader_reads_their_county_and_not_the_city(client, world, tree, county_leader):
    client.force_login(county_leader)
    response = client.get(URL)
    assert response.context["from_snapshot"] is True
    assert response.context["node"] == tree["county_a"]
    assert [crumb.name for crumb in response.context["crumbs"]] == ["甲县"]
    assert client.get(URL, {"unit": tree["city"].pk}).status_code == 404
    assert client.get(URL, {"unit": tree["county_b"].pk}).status_code == 404
    assert snapshots.read(county_leader, tree["city"], None) is None


def test_a_user_who_sees_units_but_not_their_records_gets_the_live_page(client, world, tree):
    admin = f.UserFactory()
    f.MembershipFactory(user=admin, unit=tree["county_a"], role=Role.SYSTEM_ADMIN)
    assert snapshots.read(admin, tree["county_a"], None) is None


def test_filters_and_missing_snapshots_fall_back_to_the_live_path(client, world, tree, leader):
    client.force_login(leader)
    program = world["programs"][0]
    assert client.get(URL, {"program": program.pk}).context["from_snapshot"] is False
    assert client.get(URL, {"year": 2031}).context["from_snapshot"] is False
    assert client.get(URL, {"unit": tree["township_a"].pk}).context["from_snapshot"] is False


def activity_by_hand(projects, *, year, keep):
    """Entries, verified entries per month of the projects kept."""
    from projects.models import LedgerEntry

    months = {m: [0, 0] for m in range(1, 13)}
    for entry in LedgerEntry.objects.filter(project__in=[p for p in projects if keep(p)]):
        if entry.entry_date.year == year:
            months[entry.entry_date.month][0] += 1
            months[entry.entry_date.month][1] += entry.status == LedgerStatus.VERIFIED
    return [months[m] for m in range(1, 13)]


@pytest.mark.parametrize("dimension", ["none", "tier", "program", "mechanism"])
def test_trend_and_heat_map_follow_the_filters(client, world, tree, leader, dimension):
    client.force_login(leader)
    params, keep = {"year": 2024}, lambda project: True
    if dimension == "tier":
        tier = world["tiers"][1]
        params["tier"], keep = tier.pk, lambda p: p.tier_id == tier.pk
    elif dimension == "program":
        program = world["programs"][1]
        params["program"], keep = program.pk, lambda p: p.program_id == program.pk
    elif dimension == "mechanism":
        mechanism = world["mechanisms"][1]
        params["mechanism"] = mechanism.pk
        keep = lambda p: p.mechanisms.filter(pk=mechanism.pk).exists()  # noqa: E731
    response = client.get(URL, params)
    context = response.context
    expected = activity_by_hand(world["projects"], year=2024, keep=keep)
    assert [[row["entries"], row["verified"]] for row in context["trend"]] == expected
    heat_total = sum(sum(row.months) for row in context["heat"])
    assert heat_total == sum(verified for _entries, verified in expected)
    if dimension != "none":
        everything = client.get(URL, {"year": 2024}).context
        assert sum(r["entries"] for r in context["trend"]) < sum(
            r["entries"] for r in everything["trend"]
        )
    assert "只统计符合层级、工程、机制筛选的项目" in response.content.decode()


def test_a_deleted_project_leaves_the_figures_at_the_next_refresh(
    world, tree, commission, django_capture_on_commit_callbacks
):
    from dashboards.models import ProjectFact
    from pingxiang_cf.services import audited_delete

    project = next(p for p in world["projects"] if p.lead_unit == tree["township_a"])
    before = DashboardSnapshot.objects.get(node=tree["county_a"], year=ALL_YEARS).payload
    with django_capture_on_commit_callbacks(execute=True):
        audited_delete(project, actor=commission)  # as the admin does
    rollups.refresh_dirty(today=TODAY)
    assert not ProjectFact.objects.filter(project_id=project.pk).exists()
    for node in (tree["city"], tree["county_a"]):
        assert_snapshots_match_live(node, TODAY)
    after = DashboardSnapshot.objects.get(node=tree["county_a"], year=ALL_YEARS).payload
    counted = [sum(m[0] for _k, m in p["breakdowns"]["category"]) for p in (before, after)]
    assert counted[1] == counted[0] - 1


def test_a_unit_added_below_shows_after_the_next_refresh(world, tree):
    Unit.objects.create(name="甲县二镇", parent=tree["county_a"], code="T2")
    rollups.refresh_dirty(today=TODAY)
    assert_snapshots_match_live(tree["county_a"], TODAY)


def test_the_body_is_cached_per_snapshot_and_the_head_stays_the_readers(
    client, world, tree, leader, county_leader
):
    from tests.querycount import count_queries

    client.force_login(leader)
    params = {"unit": tree["county_a"].pk, "year": 2024}
    first = client.get(URL, params)
    assert "body_cached" not in first.context
    with count_queries() as cached:
        second = client.get(URL, params)
    assert second.context["body_cached"] is True
    assert cached.count == DASHBOARD_CACHED_QUERIES
    body = first.context["body"]
    assert second.context["body"] == body and body in second.content.decode()
    assert [crumb.name for crumb in second.context["crumbs"]] == [tree["city"].name, "甲县"]
    # Another reader of the same snapshot gets the same body and their own crumbs.
    client.force_login(county_leader)
    third = client.get(URL, params)
    assert third.context["body_cached"] is True
    assert [crumb.name for crumb in third.context["crumbs"]] == ["甲县"]
    # A refresh builds a new snapshot: the body is rendered again.
    rollups.refresh_all(today=TODAY)
    assert "body_cached" not in client.get(URL, params).context

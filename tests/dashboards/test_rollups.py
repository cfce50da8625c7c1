"""The rollup tables agree with a live aggregate of the projects app after
ledger and project changes made through the services; the refresh is
queued once per burst of writes; the nightly job rebuilds everything."""

import datetime
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from dashboards import rollups
from dashboards.models import ActivityCell, CompletionCell, DirtyProject, ProjectFact, RollupState
from dashboards.rollups import ALL_YEARS
from projects import services as svc
from projects.choices import LedgerStatus, ProjectCategory
from projects.models import LedgerEntry, Project
from projects.selectors import DONE_STAGES, projects_with_lights
from tests import factories as f

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2024, 7, 1)


@pytest.fixture
def world(tree):
    """Six 2024 projects over county_a (two in its township), county_b and the department."""
    tier, program = f.TierFactory(), f.ProgramFactory()
    mechanisms = [f.MechanismFactory(), f.MechanismFactory()]
    units = [
        tree["county_a"],
        tree["township_a"],
        tree["township_a"],
        tree["county_b"],
        tree["department"],
        tree["department"],
    ]
    projects = []
    for index, unit in enumerate(units):
        projects.append(
            f.ProjectFactory(
                lead_unit=unit,
                tier=tier,
                program=program,
                category=(ProjectCategory.COMMON, ProjectCategory.INDIVIDUAL)[index % 2],
                mechanisms=mechanisms[: 1 + index % 2],
            )
        )
    for project in projects[:3]:
        f.LedgerEntryFactory(
            project=project,
            entry_date=datetime.date(2024, 3, 31),
            progress_percent=60,
            status=LedgerStatus.VERIFIED,
        )
    return {"projects": projects, "tier": tier, "program": program, "mechanisms": mechanisms}


def live_figures(today):
    """What the cells must say, computed live by the projects app's selectors."""
    projects = projects_with_lights(Project.objects.select_related("lead_unit"), today=today)
    figures = Counter()
    for p in projects:
        figures["total"] += 1
        figures[p.light.color] += 1
        figures["progress_sum"] += p.progress
        figures["done"] += p.stage in DONE_STAGES or p.progress >= 100
    return figures


def cell_figures(level, node=None):
    cells = CompletionCell.objects.filter(level=level, year=ALL_YEARS, mechanism__isnull=True)
    if node is not None:
        cells = cells.filter(node=node)
    sums = cells.aggregate(
        **{k: Sum(k) for k in ("total", "done", "green", "yellow", "red", "progress_sum")}
    )
    return Counter({k: v for k, v in sums.items() if v})


def test_full_refresh_matches_a_live_aggregate(world, tree):
    rollups.refresh_all(today=TODAY)
    assert ProjectFact.objects.count() == 6
    assert cell_figures(0) == live_figures(TODAY)
    # Level 1: each county/department holds its subtree; level 2 its townships.
    assert cell_figures(1, tree["county_a"])["total"] == 3
    assert cell_figures(2, tree["township_a"])["total"] == 2
    assert cell_figures(1)["total"] == 6
    # Per year and per mechanism (a project counts once per mechanism).
    per_year = CompletionCell.objects.filter(level=0, year=2024, mechanism__isnull=True)
    assert per_year.aggregate(n=Sum("total"))["n"] == 6
    m1, m2 = world["mechanisms"]
    by_mechanism = CompletionCell.objects.filter(level=0, year=ALL_YEARS, mechanism=m2)
    assert by_mechanism.aggregate(n=Sum("total"))["n"] == 3
    assert (
        CompletionCell.objects.filter(level=0, year=ALL_YEARS, mechanism=m1).aggregate(
            n=Sum("total")
        )["n"]
        == 6
    )
    # Activity: the three verified March entries.
    march = ActivityCell.objects.get(level=0, year=2024, month=3, mechanism=None)
    assert (march.entries, march.verified) == (3, 3)
    state = RollupState.objects.get()
    assert state.lights_on == TODAY and state.full_refreshed_at is not None


def test_rollups_follow_ledger_changes_made_through_the_services(
    world, tree, commission, editor_a, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)
    rollups.refresh_all(today=TODAY)
    project = world["projects"][0]  # county_a's, 60 % verified
    before = ProjectFact.objects.get(project=project)
    assert before.progress == 60

    with django_capture_on_commit_callbacks(execute=True):
        entry = svc.ledger_entry_create(
            actor=editor_a,
            project=project,
            entry_date=datetime.date(2024, 6, 28),
            content="全面完成年度目标",
            progress_percent=100,
            submit=True,
        )
    with django_capture_on_commit_callbacks(execute=True):
        svc.ledger_entry_verify(entry, actor=commission, comment="属实")

    after = ProjectFact.objects.get(project=project)
    assert (after.progress, after.done, after.light) == (100, True, "green")
    assert after.completed_on == datetime.date(2024, 6, 28)
    assert cell_figures(0) == live_figures(TODAY)
    assert cell_figures(1, tree["county_a"])["done"] == 1
    june = ActivityCell.objects.get(
        level=1, node=tree["county_a"], year=2024, month=6, mechanism=None
    )
    assert (june.entries, june.verified, june.completed) == (1, 1, 1)
    assert not DirtyProject.objects.exists()
    assert RollupState.objects.get().pending is False


def test_a_deleted_draft_leaves_the_activity(
    world, editor_a, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)
    rollups.refresh_all(today=TODAY)
    project = world["projects"][0]
    with django_capture_on_commit_callbacks(execute=True):
        entry = svc.ledger_entry_create(
            actor=editor_a,
            project=project,
            entry_date=datetime.date(2024, 5, 5),
            content="草稿",
            progress_percent=70,
        )
    assert (
        ActivityCell.objects.get(
            level=UNIT, node=project.lead_unit, month=5, mechanism=None
        ).entries
        == 1
    )
    with django_capture_on_commit_callbacks(execute=True):
        svc.ledger_entry_delete(LedgerEntry.objects.get(pk=entry.pk), actor=editor_a)
    assert not ActivityCell.objects.filter(level=UNIT, node=project.lead_unit, month=5).exists()
    assert cell_figures(0) == live_figures(TODAY)


UNIT = rollups.UNIT_LEVEL


def every_cell():
    """Every completion and activity cell, as comparable tuples."""
    skip = {"id"}
    rows = []
    for model in (CompletionCell, ActivityCell):
        names = [f.attname for f in model._meta.concrete_fields if f.attname not in skip]
        rows += [(model.__name__, *row) for row in model.objects.values_list(*names)]
    return sorted(rows, key=repr)


def test_a_refresh_of_a_few_projects_rebuilds_their_nodes_as_a_full_rebuild_would(
    world, tree, commission, editor_a, django_capture_on_commit_callbacks, monkeypatch
):
    """The dirty refresh rebuilds only the cells of the nodes the projects
    touch (bottom-up); the result is the same as rebuilding every cell."""
    from pingxiang_cf.services import audited_delete

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)
    rollups.refresh_all(today=TODAY)
    city_own = f.ProjectFactory(
        lead_unit=tree["city"], tier=world["tier"], program=world["program"]
    )
    moved = world["projects"][4]  # the department's, without entries: it may change lead unit
    with django_capture_on_commit_callbacks(execute=True):
        entry = svc.ledger_entry_create(
            actor=editor_a,
            project=world["projects"][1],  # the township's
            entry_date=datetime.date(2024, 6, 2),
            content="完成",
            progress_percent=100,
            submit=True,
        )
        svc.ledger_entry_verify(entry, actor=commission, comment="属实")
        svc.project_update(moved, actor=commission, lead_unit=tree["township_a"])
        audited_delete(Project.objects.get(pk=world["projects"][3].pk), actor=commission)
        rollups.mark_dirty([city_own.pk])
    rollups.refresh_dirty(today=TODAY)
    incremental = every_cell()
    assert cell_figures(0) == live_figures(TODAY)
    rollups.refresh_cells(None)
    assert every_cell() == incremental


def test_a_burst_of_writes_queues_one_refresh(world):
    rollups.refresh_all(today=TODAY)
    assert rollups.claim_refresh() is True
    assert rollups.claim_refresh() is False  # already queued: the second writer does not queue
    rollups.release_refresh()
    assert rollups.claim_refresh() is True


def test_a_mark_written_during_a_refresh_survives_it(world):
    rollups.refresh_all(today=TODAY)
    project = world["projects"][0]
    rollups.mark_dirty([project.pk])
    first = DirtyProject.objects.get().marked_at
    rollups.mark_dirty([project.pk])  # a later write: the mark takes the new time
    assert DirtyProject.objects.get().marked_at >= first
    rollups.refresh_dirty(today=TODAY)
    assert not DirtyProject.objects.exists()


def test_a_new_day_rebuilds_every_light(world):
    rollups.refresh_all(today=TODAY)
    project = world["projects"][4]  # no ledger: 0 % against a 2024-12-31 end
    assert ProjectFact.objects.get(project=project).light == "red"  # 50 % planned by July
    rollups.refresh_dirty(today=datetime.date(2024, 1, 2))
    fact = ProjectFact.objects.get(project=project)
    assert fact.judged_on == datetime.date(2024, 1, 2) and fact.light == "green"


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite refusal")
def test_generator_refuses_sqlite():
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("generate_scale_data", projects=10)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_generator_refuses_a_database_with_units(tree):
    with pytest.raises(CommandError, match="--force"):
        call_command("generate_scale_data", projects=10)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_generator_fills_a_small_province_and_its_rollups():
    out = StringIO()
    call_command("generate_scale_data", projects=300, ledger_per_project=4, stdout=out)
    assert Project.objects.count() == 300
    assert 0 < LedgerEntry.objects.count() <= 1200
    assert ProjectFact.objects.count() == 300
    assert cell_figures(0) == live_figures(timezone.localdate())


def test_refresh_command_rebuilds(world, capsys):
    call_command("refresh_dashboard_rollups", full=True)
    assert ProjectFact.objects.count() == 6


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL advisory lock")
def test_two_refreshes_never_overlap(world):
    import psycopg

    settings = connection.settings_dict
    other = psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        password=settings["PASSWORD"] or None,
        autocommit=True,
    )
    try:
        other.execute("SELECT pg_advisory_lock(%s)", [rollups.LOCK_KEY])
        with rollups.exclusive() as acquired:
            assert acquired is False
        other.execute("SELECT pg_advisory_unlock(%s)", [rollups.LOCK_KEY])
        with rollups.exclusive() as acquired:
            assert acquired is True
    finally:
        other.close()

"""Maintaining the rollup tables (dashboards.models).

Facts: one row per project, its progress and light computed by
projects.selectors.projects_with_lights (the same rule as every other page),
judged on `today`. Cells: sums of facts per node (levels 0-2) and
dimensions. Activity: ledger entries and completions per node and month.

`refresh_all` rebuilds everything (the nightly job: lights move with the
date); `refresh_projects` rebuilds the facts of some projects and the cells
of the nodes they touch (the on-commit job). Both are idempotent."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from contextlib import contextmanager

from django.db import connection, models, transaction
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import timezone

from accountability.models import Unit
from dashboards.models import (
    CELL_LEVELS,
    UNIT_LEVEL,
    ActivityCell,
    CompletionCell,
    DirtyProject,
    ProjectFact,
    RollupState,
)
from projects.choices import LedgerStatus
from projects.models import LedgerEntry, Project
from projects.selectors import DONE_STAGES, projects_with_lights
from projects.services import LightColor

BATCH = 2000
FULL_BATCH = 5000
ALL_YEARS = 0  # the cells' year for the sum over all years
INSERT_BATCH = 5000
AREA_FIELDS = {0: "area0", 1: "area1", 2: "area2", UNIT_LEVEL: "lead_unit"}


def path_ids(path: str) -> list[int]:
    """ "/1/7/42/" → [1, 7, 42]."""
    return [int(part) for part in path.strip("/").split("/") if part]


def areas(path: str) -> tuple[int, int, int]:
    """The level-0, -1 and -2 nodes of a unit with this path (a unit shallower
    than a level stands for itself)."""
    ids = path_ids(path)
    last = len(ids) - 1
    return ids[0], ids[min(1, last)], ids[min(2, last)]


def insert(model, objects: list) -> None:
    """Insert rows: COPY on PostgreSQL (the rollups are rebuilt in bulk),
    bulk_create elsewhere."""
    if not objects:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objects, batch_size=INSERT_BATCH)
        return
    fields = [
        f
        for f in model._meta.concrete_fields
        if not (f.primary_key and isinstance(f, models.AutoField | models.BigAutoField))
    ]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for obj in objects:
            copy.write_row([getattr(obj, f.attname) for f in fields])


# --- Facts ----------------------------------------------------------------------------


def _completed_on():
    """Date of the project's latest verified ledger entry."""
    return Subquery(
        LedgerEntry.objects.filter(project=OuterRef("pk"), status=LedgerStatus.VERIFIED)
        .order_by("-entry_date", "-pk")
        .values("entry_date")[:1]
    )


PROJECT_FIELDS = (
    "pk",
    "year",
    "category",
    "tier_id",
    "program_id",
    "stage",
    "start_date",
    "end_date",
    "lead_unit__path",
)


def _facts_for(projects, today: datetime.date) -> list[ProjectFact]:
    """Facts of the projects of a queryset."""
    queryset = (
        projects.select_related("lead_unit")
        .only(*PROJECT_FIELDS)
        .annotate(last_verified_on=_completed_on())
        .order_by()
    )
    facts = []
    for project in projects_with_lights(queryset, today=today):
        a0, a1, a2 = areas(project.lead_unit.path)
        done = project.stage in DONE_STAGES or project.progress >= 100
        completed_on = project.last_verified_on if done else None
        facts.append(
            ProjectFact(
                project_id=project.pk,
                lead_unit_id=project.lead_unit_id,
                unit_path=project.lead_unit.path,
                area0_id=a0,
                area1_id=a1,
                area2_id=a2,
                year=project.year,
                category=project.category,
                tier_id=project.tier_id,
                program_id=project.program_id,
                stage=project.stage,
                end_date=project.end_date,
                progress=max(0, min(int(project.progress), 100)),
                planned_progress=project.planned_progress,
                light=project.light.color,
                light_reason=project.light.reason[:255],
                light_due_date=project.light_due_date,
                done=done,
                due=done or project.end_date < today,
                on_time=done and (completed_on is None or completed_on <= project.end_date),
                completed_on=completed_on,
                judged_on=today,
            )
        )
    return facts


def _touched(rows: Iterable[dict]) -> dict[int, set[int]]:
    touched: dict[int, set[int]] = defaultdict(set)
    for row in rows:
        for level, field in AREA_FIELDS.items():
            touched[level].add(row[f"{field}_id"])
    return touched


def refresh_facts(project_ids: Iterable[int], *, today: datetime.date) -> dict[int, set[int]]:
    """Rebuild the facts of these projects; return the nodes (by level) whose
    cells are now stale — where the projects were and where they are."""
    ids = sorted(set(project_ids))
    fields = [f"{field}_id" for field in AREA_FIELDS.values()]
    touched: dict[int, set[int]] = defaultdict(set)
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        old = ProjectFact.objects.filter(project_id__in=chunk).values(*fields)
        for level, nodes in _touched(old).items():
            touched[level] |= nodes
        facts = _facts_for(Project.objects.filter(pk__in=chunk), today)
        with transaction.atomic():
            ProjectFact.objects.filter(project_id__in=chunk).delete()
            insert(ProjectFact, facts)
        new = ({f: getattr(fact, f) for f in fields} for fact in facts)
        for level, nodes in _touched(new).items():
            touched[level] |= nodes
    return touched


def _refresh_all_facts(today: datetime.date) -> int:
    """Every project's fact, in primary-key ranges of FULL_BATCH projects;
    facts of projects gone are dropped. Returns the number of projects."""
    count, last = 0, 0
    while True:
        bounds = Project.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)
        high = list(bounds[FULL_BATCH - 1 : FULL_BATCH])
        upper = high[0] if high else None
        projects = Project.objects.filter(pk__gt=last)
        stale = ProjectFact.objects.filter(project_id__gt=last)
        if upper is not None:
            projects = projects.filter(pk__lte=upper)
            stale = stale.filter(project_id__lte=upper)
        facts = _facts_for(projects, today)
        with transaction.atomic():
            stale.delete()
            insert(ProjectFact, facts)
        count += len(facts)
        if upper is None:
            return count
        last = upper


# --- Cells ----------------------------------------------------------------------------
# Completion cells are summed from the facts at their finest grain (the
# level-2 node, year, tier, program, category, mechanism) in two queries and
# rolled up to levels 1 and 0 and to "all years" here. Activity is read from
# the ledger per lead unit and month (UNIT_LEVEL rows) only for the lead
# units touched, and the level 0-2 rows are rolled up from those rows.

COUNTS = {
    "total": Count("pk"),
    "done": Count("pk", filter=Q(done=True)),
    "due": Count("pk", filter=Q(due=True)),
    "on_time": Count("pk", filter=Q(on_time=True)),
    "green": Count("pk", filter=Q(light=LightColor.GREEN)),
    "yellow": Count("pk", filter=Q(light=LightColor.YELLOW)),
    "red": Count("pk", filter=Q(light=LightColor.RED)),
    "progress_sum": Sum("progress"),
}
ACTIVITY = ("entries", "verified", "completed")


def _node_paths(node_ids: Iterable[int]) -> dict[int, str]:
    return dict(Unit._base_manager.filter(pk__in=set(node_ids)).values_list("pk", "path"))


def _completion_cells(facts=None, levels=CELL_LEVELS) -> list[CompletionCell]:
    """The completion cells of `levels` summed from these facts (all)."""
    dims = ["area0", "area1", "area2", "year", "tier", "program", "category"]
    facts = (ProjectFact.objects.all() if facts is None else facts).order_by()
    rows = list(facts.values(*dims).annotate(**COUNTS))
    rows += list(
        facts.filter(project__mechanisms__isnull=False)
        .values(*dims, "project__mechanisms")
        .annotate(**COUNTS)
    )
    sums: dict[tuple, list[int]] = defaultdict(lambda: [0] * len(COUNTS))
    for row in rows:
        values = [row[key] or 0 for key in COUNTS]
        mechanism = row.get("project__mechanisms")
        for level in levels:
            node = row[AREA_FIELDS[level]]
            for year in (row["year"], ALL_YEARS):
                key = (level, node, year, row["tier"], row["program"], mechanism, row["category"])
                total = sums[key]
                for index, value in enumerate(values):
                    total[index] += value
    paths = _node_paths(key[1] for key in sums)
    return [
        CompletionCell(
            level=level,
            node_id=node,
            node_path=paths[node],
            year=year,
            tier_id=tier,
            program_id=program,
            mechanism_id=mechanism,
            category=category,
            **dict(zip(COUNTS, values, strict=True)),
        )
        for (level, node, year, tier, program, mechanism, category), values in sums.items()
    ]


def _unit_activity(units: set[int] | None) -> list[ActivityCell]:
    """Ledger entries and completions per lead unit, month, tier and program,
    once with mechanism NULL (every entry once) and once per mechanism of
    the project (ActivityCell)."""
    entries = LedgerEntry.objects.order_by()
    facts = ProjectFact.objects.order_by().filter(done=True, completed_on__isnull=False)
    if units is not None:
        entries = entries.filter(project__dashboard_fact__lead_unit__in=units)
        facts = facts.filter(lead_unit__in=units)
    cells: dict[tuple, dict] = defaultdict(lambda: dict.fromkeys(ACTIVITY, 0))
    fact = "project__dashboard_fact__"
    unit, tier, program = f"{fact}lead_unit", f"{fact}tier", f"{fact}program"
    dated = entries.annotate(y=ExtractYear("entry_date"), m=ExtractMonth("entry_date"))
    counted = {
        "entries": Count("pk"),
        "verified": Count("pk", filter=Q(status=LedgerStatus.VERIFIED)),
    }
    ledger = [
        (None, dated.values(unit, tier, program, "y", "m").annotate(**counted)),
        (
            "project__mechanisms",
            dated.filter(project__mechanisms__isnull=False)
            .values(unit, tier, program, "project__mechanisms", "y", "m")
            .annotate(**counted),
        ),
    ]
    for mechanism, rows in ledger:
        for row in rows:
            if row[unit] is not None:
                key = (row[unit], row["y"], row["m"], row[tier], row[program])
                cell = cells[(*key, row[mechanism] if mechanism else None)]
                cell["entries"], cell["verified"] = row["entries"], row["verified"]
    dated = facts.annotate(y=ExtractYear("completed_on"), m=ExtractMonth("completed_on"))
    completions = [
        (None, dated.values("lead_unit", "tier", "program", "y", "m")),
        (
            "project__mechanisms",
            dated.filter(project__mechanisms__isnull=False).values(
                "lead_unit", "tier", "program", "project__mechanisms", "y", "m"
            ),
        ),
    ]
    for mechanism, rows in completions:
        for row in rows.annotate(completed=Count("pk")):
            key = (row["lead_unit"], row["y"], row["m"], row["tier"], row["program"])
            cells[(*key, row[mechanism] if mechanism else None)]["completed"] = row["completed"]
    paths = _node_paths(key[0] for key in cells)
    return [
        ActivityCell(
            level=UNIT_LEVEL,
            node_id=node,
            node_path=paths[node],
            year=y,
            month=m,
            tier_id=tier,
            program_id=program,
            mechanism_id=mechanism,
            **c,
        )
        for (node, y, m, tier, program, mechanism), c in cells.items()
    ]


def _rolled_up_activity() -> list[ActivityCell]:
    """Levels 0-2 from the UNIT_LEVEL rows."""
    sums: dict[tuple, list[int]] = defaultdict(lambda: [0] * len(ACTIVITY))
    rows = ActivityCell.objects.filter(level=UNIT_LEVEL).values_list(
        "node_path", "year", "month", "tier_id", "program_id", "mechanism_id", *ACTIVITY
    )
    for path, year, month, tier, program, mechanism, *values in rows:
        for level, node in zip(CELL_LEVELS, areas(path), strict=True):
            total = sums[(level, node, year, month, tier, program, mechanism)]
            for index, value in enumerate(values):
                total[index] += value
    paths = _node_paths(key[1] for key in sums)
    return [
        ActivityCell(
            level=level,
            node_id=node,
            node_path=paths[node],
            year=year,
            month=month,
            tier_id=tier,
            program_id=program,
            mechanism_id=mechanism,
            **dict(zip(ACTIVITY, values, strict=True)),
        )
        for (level, node, year, month, tier, program, mechanism), values in sums.items()
    ]


# A refresh of a few projects rebuilds only the cells of the nodes they
# touch, bottom-up: a level-2 node's completion from its facts, its activity
# from the lead units' rows; a level-1 or level-0 node's from the cells one
# level below. A node at depth d stands for itself at the levels below d
# (rollups.areas): it is the sum of the cells of its subtree one level down
# when d equals the level, of its own cell one level down otherwise.
COMPLETION_DIMS = ("year", "tier_id", "program_id", "mechanism_id", "category")
ACTIVITY_DIMS = ("year", "month", "tier_id", "program_id", "mechanism_id")
INCREMENTAL_NODES = 200  # more touched nodes than this: rebuild every cell


def _summed_from_below(model, level: int, nodes: set[int], dims, measures) -> list:
    """The cells of `nodes` at `level` as sums of the cells one level below
    (UNIT_LEVEL below level 2): one aggregate query per node."""
    below = UNIT_LEVEL if level == max(CELL_LEVELS) else level + 1
    sums = {measure: Sum(measure) for measure in measures}
    cells = []
    for pk, path, depth in Unit._base_manager.filter(pk__in=nodes).values_list(
        "pk", "path", "depth"
    ):
        own = Q(node_path__startswith=path) if depth == level else Q(node=pk)
        rows = (
            model.objects.filter(own, level=below)
            .order_by()
            .values(*dims)
            .annotate(**sums)
            .values_list(*dims, *measures)
        )
        for row in rows:
            values = dict(zip((*dims, *measures), row, strict=True))
            cells.append(model(level=level, node_id=pk, node_path=path, **values))
    return cells


def _replace(model, level: int, nodes: set[int], cells: list) -> None:
    with transaction.atomic():
        model.objects.filter(level=level, node__in=nodes).delete()
        insert(model, cells)


def _refresh_touched_cells(touched: dict[int, set[int]]) -> None:
    """The cells of the touched nodes only, level 2 up to level 0."""
    nodes = touched.get(2, set())
    _replace(
        CompletionCell,
        2,
        nodes,
        _completion_cells(ProjectFact.objects.filter(area2__in=nodes), levels=(2,)),
    )
    _replace(
        ActivityCell, 2, nodes, _summed_from_below(ActivityCell, 2, nodes, ACTIVITY_DIMS, ACTIVITY)
    )
    for level in (1, 0):
        nodes = touched.get(level, set())
        completion = _summed_from_below(CompletionCell, level, nodes, COMPLETION_DIMS, COUNTS)
        _replace(CompletionCell, level, nodes, completion)
        activity = _summed_from_below(ActivityCell, level, nodes, ACTIVITY_DIMS, ACTIVITY)
        _replace(ActivityCell, level, nodes, activity)


def _node_count(touched: dict[int, set[int]]) -> int:
    return sum(len(touched.get(level, ())) for level in CELL_LEVELS)


def refresh_cells(touched: dict[int, set[int]] | None) -> None:
    """Rebuild the cells: the activity of the touched lead units (all if
    None), then the roll-ups of the touched nodes (every one if None or
    many)."""
    units = None if touched is None else touched.get(UNIT_LEVEL, set())
    if units is None or units:
        activity = _unit_activity(units)
        with transaction.atomic():
            stale = ActivityCell.objects.filter(level=UNIT_LEVEL)
            if units is not None:
                stale = stale.filter(node__in=units)
            stale.delete()
            insert(ActivityCell, activity)
    if touched is not None and _node_count(touched) <= INCREMENTAL_NODES:
        _refresh_touched_cells(touched)
        return
    completion = _completion_cells()
    rolled = _rolled_up_activity()
    with transaction.atomic():
        ActivityCell.objects.filter(level__in=CELL_LEVELS).delete()
        insert(ActivityCell, rolled)
        CompletionCell.objects.all().delete()
        insert(CompletionCell, completion)


# --- Entry points -----------------------------------------------------------------------

LOCK_KEY = 1335_0007  # the advisory lock that keeps two refreshes from overlapping


@contextmanager
def exclusive():
    """Yield True for the one refresh that may run now (a PostgreSQL advisory
    lock: a second worker's refresh yields False and skips; what it would
    have done is still marked dirty and waits for the next run). Other
    databases have a single writer: always True."""
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY])
        acquired = cursor.fetchone()[0]
    try:
        yield acquired
    finally:
        if acquired:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])


def _state() -> RollupState:
    state, _created = RollupState.objects.get_or_create(key="main")
    return state


def snapshots():
    """dashboards.snapshots (imported late: it reads through dashboards.selectors,
    which imports this module)."""
    from dashboards import snapshots as module

    return module


def _analyze() -> None:
    """Fresh planner statistics after a bulk rebuild (PostgreSQL): without
    them the page's reads of the rebuilt tables may pick a slow plan until
    autovacuum gets to them."""
    if connection.vendor != "postgresql":
        return
    tables = (ProjectFact, CompletionCell, ActivityCell)
    names = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {names}")


def refresh_all(*, today: datetime.date | None = None) -> int:
    """Rebuild every fact and cell, judging lights on `today`. Returns the
    number of projects."""
    today = today or timezone.localdate()
    started = timezone.now()
    count = _refresh_all_facts(today)
    refresh_cells(None)
    _analyze()
    snapshots().rebuild(today=today)
    DirtyProject.objects.filter(marked_at__lte=started).delete()
    now = timezone.now()
    RollupState.objects.update_or_create(
        key="main",
        defaults={"refreshed_at": now, "full_refreshed_at": now, "lights_on": today},
    )
    return count


def refresh_dirty(*, today: datetime.date | None = None) -> int:
    """Rebuild what the projects marked dirty touch. Returns how many projects."""
    today = today or timezone.localdate()
    state = _state()
    if state.lights_on and state.lights_on != today:
        return refresh_all(today=today)  # a new day: every light is judged again
    marked = list(DirtyProject.objects.values_list("project_id", "marked_at"))
    if not marked:
        snapshots().rebuild_node_parts()
        RollupState.objects.filter(key="main").update(refreshed_at=timezone.now())
        return 0
    ids = [project_id for project_id, _at in marked]
    touched = refresh_facts(ids, today=today)  # a deleted project's fact is dropped
    refresh_cells(touched)
    nodes = snapshots().nodes_above(touched.get(UNIT_LEVEL, ()))
    snapshots().rebuild(nodes, today=today)
    snapshots().rebuild_node_parts(exclude=nodes)
    # Only the marks read above: a mark written meanwhile survives for the next run.
    for project_id, marked_at in marked:
        DirtyProject.objects.filter(project_id=project_id, marked_at=marked_at).delete()
    RollupState.objects.filter(key="main").update(refreshed_at=timezone.now(), lights_on=today)
    return len(ids)


def mark_dirty(project_ids: Iterable[int]) -> None:
    """Mark projects stale; a mark already there takes the new time, so a
    refresh running now does not consume it."""
    now = timezone.now()
    DirtyProject.objects.bulk_create(
        [DirtyProject(project_id=pk, marked_at=now) for pk in set(project_ids)],
        update_conflicts=True,
        unique_fields=["project_id"],
        update_fields=["marked_at"],
    )


def claim_refresh() -> bool:
    """True for the one caller that should queue the refresh (a conditional
    UPDATE: two writers never queue it twice)."""
    _state()
    return bool(
        RollupState.objects.filter(key="main", pending=False).update(
            pending=True, requested_at=timezone.now()
        )
    )


def release_refresh() -> None:
    RollupState.objects.filter(key="main").update(pending=False)

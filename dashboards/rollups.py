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


def _node_paths(node_ids: Iterable[int]) -> dict[int, str]:
    return dict(Unit._base_manager.filter(pk__in=set(node_ids)).values_list("pk", "path"))


def _completion_rows(level: int, nodes: set[int] | None) -> list[CompletionCell]:
    area = AREA_FIELDS[level]
    facts = ProjectFact.objects.order_by()
    if nodes is not None:
        facts = facts.filter(**{f"{area}__in": nodes})
    rows = []
    # Per year, and (year 0) over all years, so that no page sums years.
    per_year = [area, "year", "tier", "program", "category"]
    for dims in (per_year, [area, "tier", "program", "category"]):
        rows += list(facts.values(*dims).annotate(**COUNTS))
        rows += list(
            facts.filter(project__mechanisms__isnull=False)
            .values(*dims, "project__mechanisms")
            .annotate(**COUNTS)
        )
    paths = _node_paths(row[area] for row in rows)
    return [
        CompletionCell(
            level=level,
            node_id=row[area],
            node_path=paths[row[area]],
            year=row.get("year", ALL_YEARS),
            tier_id=row["tier"],
            program_id=row["program"],
            mechanism_id=row.get("project__mechanisms"),
            category=row["category"],
            **{key: row[key] or 0 for key in COUNTS},
        )
        for row in rows
    ]


def _activity_rows(level: int, nodes: set[int] | None) -> list[ActivityCell]:
    area = AREA_FIELDS[level]
    entries = LedgerEntry.objects.order_by()
    facts = ProjectFact.objects.order_by().filter(done=True, completed_on__isnull=False)
    if nodes is not None:
        entries = entries.filter(**{f"project__dashboard_fact__{area}__in": nodes})
        facts = facts.filter(**{f"{area}__in": nodes})
    cells: dict[tuple, dict] = defaultdict(lambda: {"entries": 0, "verified": 0, "completed": 0})
    ledger = (
        entries.annotate(y=ExtractYear("entry_date"), m=ExtractMonth("entry_date"))
        .values(f"project__dashboard_fact__{area}", "y", "m")
        .annotate(entries=Count("pk"), verified=Count("pk", filter=Q(status=LedgerStatus.VERIFIED)))
    )
    for row in ledger:
        cell = cells[(row[f"project__dashboard_fact__{area}"], row["y"], row["m"])]
        cell["entries"], cell["verified"] = row["entries"], row["verified"]
    completions = (
        facts.annotate(y=ExtractYear("completed_on"), m=ExtractMonth("completed_on"))
        .values(area, "y", "m")
        .annotate(completed=Count("pk"))
    )
    for row in completions:
        cells[(row[area], row["y"], row["m"])]["completed"] = row["completed"]
    paths = _node_paths(node for node, _y, _m in cells)
    return [
        ActivityCell(level=level, node_id=node, node_path=paths[node], year=y, month=m, **counts)
        for (node, y, m), counts in cells.items()
        if node is not None
    ]


def refresh_cells(touched: dict[int, set[int]] | None) -> None:
    """Rebuild the cells of the touched nodes (all cells if None)."""
    for level in (*CELL_LEVELS, UNIT_LEVEL):
        nodes = None if touched is None else touched.get(level, set())
        if nodes is not None and not nodes:
            continue
        activity = _activity_rows(level, nodes)
        completion = _completion_rows(level, nodes) if level in CELL_LEVELS else []
        with transaction.atomic():
            stale_activity = ActivityCell.objects.filter(level=level)
            stale_cells = CompletionCell.objects.filter(level=level)
            if nodes is not None:
                stale_activity = stale_activity.filter(node__in=nodes)
                stale_cells = stale_cells.filter(node__in=nodes)
            stale_activity.delete()
            insert(ActivityCell, activity)
            if level in CELL_LEVELS:
                stale_cells.delete()
                insert(CompletionCell, completion)


# --- Entry points -----------------------------------------------------------------------


def _state() -> RollupState:
    state, _created = RollupState.objects.get_or_create(key="main")
    return state


def refresh_all(*, today: datetime.date | None = None) -> int:
    """Rebuild every fact and cell, judging lights on `today`. Returns the
    number of projects."""
    today = today or timezone.localdate()
    started = timezone.now()
    count = _refresh_all_facts(today)
    refresh_cells(None)
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
        RollupState.objects.filter(key="main").update(refreshed_at=timezone.now())
        return 0
    ids = [project_id for project_id, _at in marked]
    existing = set(Project.objects.filter(pk__in=ids).values_list("pk", flat=True))
    touched = refresh_facts(existing, today=today)
    refresh_cells(touched)
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

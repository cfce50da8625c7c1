"""Reads for the dashboards: the headline summary (DESIGN.md §6, also
served by /api/v1/summary/), each figure computed by the owning app's count
selectors over the rows the user may see; and the leaders' dashboard page,
read from the rollup tables (dashboards.models)."""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from types import SimpleNamespace

from django.db import connection
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import RowNumber
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accountability.choices import UnitKind
from accountability.models import AccountabilityCase, Commendation, Unit
from accountability.selectors import (
    COUNTY_LEVEL_RANKS,
    accountability_case_counts,
    commendation_counts,
    leading_group_count,
    signed_letter_count,
    unit_counts,
)
from dashboards.models import (
    CELL_LEVELS,
    LAGGING,
    UNIT_LEVEL,
    ActivityCell,
    CompletionCell,
    ProjectFact,
    RollupState,
)
from dashboards.rollups import ALL_YEARS, COUNTS, path_ids
from inspections.choices import FindingStatus, InspectionKind, LetterStatus
from inspections.models import Finding, Inspection, NoticeUnit, SupervisionLetter
from inspections.selectors import criticised_unit_count, inspection_counts
from pingxiang_cf.roles import ADMIN_ROLES, Role
from pingxiang_cf.scope import get_user_scope
from projects.choices import PlanTaskStatus, ProjectCategory
from projects.models import Mechanism, PlanTask, Program, Tier
from projects.selectors import plan_task_counts, project_counts
from projects.services import LightColor

UNIT_FIGURES = ("county", "department", "township")
SERVICE_POINT_FIGURES = ("county_centres", "township_centres", "village_points")


def completion_rate(completed: int, total: int) -> str:
    """Percentage with two decimals, rounded half up ("92.04"); "0.00" for no tasks."""
    if not total:
        return "0.00"
    rate = Decimal(completed) * 100 / Decimal(total)
    return str(rate.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def headline_summary(user) -> dict:
    tasks = plan_task_counts(user)
    units = unit_counts(user)
    inspections = inspection_counts(user)
    return {
        "plan_tasks": {
            "total": tasks["total"],
            "completed": tasks["completed"],
            "completion_rate": completion_rate(tasks["completed"], tasks["total"]),
        },
        "projects": project_counts(user),
        "units": {key: units[key] for key in UNIT_FIGURES},
        "service_points": {key: units[key] for key in SERVICE_POINT_FIGURES},
        "inspections": {
            "routine": inspections["routine"],
            "concentrated": inspections["concentrated"],
            "units_notified": criticised_unit_count(user),
        },
        "commendations": commendation_counts(user),
        "accountability": accountability_case_counts(user),
        "leading_groups": leading_group_count(user),
        "responsibility_letters": signed_letter_count(user),
    }


# --- The leaders' dashboard ------------------------------------------------------------
# Every figure below comes from the rollup tables (dashboards.models), kept by
# dashboards.rollups, or from small reference tables; the page runs a fixed
# number of queries whatever the number of projects and ledger entries.
# Each read is scoped: the node must be one the user may see
# (Unit.objects.restrict), and every rollup queryset is restricted again.
#
# Where a figure is computed: a node at depth ≤ 2 has cells of its own (its
# whole subtree, summed by the refresh); deeper nodes are read from the
# per-project facts below them, which are few.


MEASURES = ("total", "done", "due", "on_time", "green", "yellow", "red", "progress_sum")
CELL_SUMS = {key: Sum(key) for key in MEASURES}
LAGGING_LIMIT = 20
HEAT_ROWS = 25
MONTHS = tuple(range(1, 13))


@dataclass(frozen=True)
class Filters:
    """The dashboard's filters, kept by every drill-down link."""

    year: int | None = None
    tier: int | None = None
    program: int | None = None
    mechanism: int | None = None

    def params(self, **override) -> dict:
        values = {
            "year": self.year,
            "tier": self.tier,
            "program": self.program,
            "mechanism": self.mechanism,
        }
        values.update(override)
        return {key: value for key, value in values.items() if value not in (None, "")}


@dataclass
class Figures:
    """Counts of projects with the rates the page shows."""

    total: int = 0
    done: int = 0
    due: int = 0
    on_time: int = 0
    green: int = 0
    yellow: int = 0
    red: int = 0
    progress_sum: int = 0

    @classmethod
    def of(cls, row: dict) -> "Figures":
        return cls(**{key: int(row.get(key) or 0) for key in MEASURES})

    @property
    def completion_rate(self) -> str:
        return completion_rate(self.done, self.total)

    @property
    def on_time_rate(self) -> str:
        return completion_rate(self.on_time, self.due)

    @property
    def mean_progress(self) -> str:
        return completion_rate(self.progress_sum, self.total * 100)

    @property
    def lagging(self) -> int:
        return self.red + self.yellow

    def add(self, other: "Figures") -> None:
        for key in MEASURES:
            setattr(self, key, getattr(self, key) + getattr(other, key))

    def add_values(self, values) -> None:
        """Add a tuple of measures, in MEASURES order."""
        self.total += values[0]
        self.done += values[1]
        self.due += values[2]
        self.on_time += values[3]
        self.green += values[4]
        self.yellow += values[5]
        self.red += values[6]
        self.progress_sum += values[7] or 0


@dataclass
class Row:
    """One line of a breakdown: a label, its figures, and where it leads."""

    key: object
    label: str
    figures: Figures
    node: Unit | None = None
    has_children: bool = False
    months: list[int] = field(default_factory=list)


# --- Where the user stands ----------------------------------------------------------------


def root_unit():
    return Unit.objects.filter(parent__isnull=True).order_by("path").first()


def default_node(user) -> Unit | None:
    """The unit a user's dashboard opens on: the city for those who see
    everything, otherwise the highest unit they hold a role in (a county
    leader's county)."""
    scope = get_user_scope(user)
    if scope.sees_all:
        return root_unit()
    paths = scope.unit_paths(set(Role))
    if not paths:
        return None
    highest = min(paths, key=lambda path: (path.count("/"), path))
    return Unit.objects.restrict(user).filter(path=highest).first()


def dashboard_node(user, unit_id) -> Unit:
    """The node asked for (404 outside the user's scope) or the default one."""
    node = Unit.objects.restrict(user).filter(pk=unit_id).first() if unit_id else None
    if not unit_id:
        node = default_node(user)
    if node is None:
        raise Http404
    return node


def crumbs_and_children(user, node: Unit) -> tuple[list[Unit], dict[int, Unit]]:
    """One query: the node's ancestors the user may see (top first, the node
    last) and the units directly below it plus the node itself ("本级"), each
    with `has_children`."""
    ancestors = path_ids(node.path)
    units = (
        Unit.objects.restrict(user)
        .filter(Q(pk__in=ancestors) | Q(parent=node))
        .annotate(has_children=Exists(Unit.objects.filter(parent=OuterRef("pk"))))
        .only(
            "pk", "name", "short_name", "path", "depth", "parent_id", "sort_order", "tier", "kind"
        )
        .order_by("sort_order", "path")
    )
    crumbs, children = [], {}
    for unit in units:
        if unit.pk in ancestors:
            crumbs.append(unit)
        if unit.pk == node.pk or unit.parent_id == node.pk:
            children[unit.pk] = unit
    crumbs.sort(key=lambda unit: unit.depth)
    return crumbs, children


def child_of(node: Unit, path: str) -> int:
    """The id of the unit directly below `node` on the way to `path` (the node
    itself for its own path)."""
    ids = path_ids(path)
    return ids[node.depth + 1] if len(ids) > node.depth + 1 else node.pk


# --- Options of the filters ------------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    pk: int
    name: str


def filter_options() -> dict:
    """Tiers, programs and mechanisms (reference data), in one query."""
    fields = ("kind", "pk", "name", "sort_order")
    rows = (
        Tier.objects.order_by()
        .annotate(kind=Value("tiers"))
        .values_list(*fields)
        .union(
            Program.objects.order_by().annotate(kind=Value("programs")).values_list(*fields),
            Mechanism.objects.order_by().annotate(kind=Value("mechanisms")).values_list(*fields),
            all=True,
        )
    )
    options = {"tiers": {}, "programs": {}, "mechanisms": {}}
    for kind, pk, name, _order in sorted(rows, key=lambda row: (row[3], row[1])):
        options[kind][pk] = Option(pk, name)
    return options


# --- Project figures from the rollups ------------------------------------------------------
# The rollups are scoped through the node: dashboard_node() admits only a unit
# the user may see (Unit.objects.restrict), visibility is "a unit and every
# unit below it", and every rollup read below is confined to the node's
# subtree (its own cells, or a node_path / unit_path prefix). restrict() on
# the rollup tables themselves would add a subquery over the unit tree that
# PostgreSQL joins once per unit at province scale (seconds), for no row of
# difference.


def _rollup(model, user, node: Unit):
    """The rows of a rollup table for a node the user may see (see above)."""
    return model.objects.all()


# One query reads the node's own cells (every year, every mechanism) and the
# breakdowns by category, tier, program, mechanism and year are summed here;
# deeper nodes read their facts instead.

BREAKDOWNS = ("category", "tier", "program", "mechanism", "year")


def _fact_measures(done, due, on_time, light, progress) -> tuple:
    return (
        1,
        int(done),
        int(due),
        int(on_time),
        int(light == LightColor.GREEN),
        int(light == LightColor.YELLOW),
        int(light == LightColor.RED),
        progress,
    )


def _node_rows(user, node: Unit, filters: Filters):
    """(year, tier, program, mechanism, category, measures) rows of the node,
    every year (0: all years) — mechanism None counts every project once."""
    if node.depth in CELL_LEVELS:
        cells = _rollup(CompletionCell, user, node).filter(level=node.depth, node=node)
        if filters.tier:
            cells = cells.filter(tier_id=filters.tier)
        if filters.program:
            cells = cells.filter(program_id=filters.program)
        for row in cells.order_by().values_list(
            "year", "tier_id", "program_id", "mechanism_id", "category", *MEASURES
        ):
            yield row[:5], row[5:]
        return
    facts = _rollup(ProjectFact, user, node).filter(unit_path__startswith=node.path)
    if filters.tier:
        facts = facts.filter(tier_id=filters.tier)
    if filters.program:
        facts = facts.filter(program_id=filters.program)
    seen = set()
    rows = facts.order_by().values_list(
        "project_id",
        "year",
        "tier_id",
        "program_id",
        "project__mechanisms",
        "category",
        "done",
        "due",
        "on_time",
        "light",
        "progress",
    )
    for pk, year, tier, program, mechanism, category, *state in rows:
        measures = _fact_measures(*state)
        for y in (year, ALL_YEARS):
            if pk not in seen:
                yield (y, tier, program, None, category), measures
            if mechanism is not None:
                yield (y, tier, program, mechanism, category), measures
        seen.add(pk)


def breakdowns(user, node: Unit, filters: Filters) -> dict[str, dict]:
    """{dimension: {value: Figures}} for the node under the filters (one
    query). The year breakdown ignores the year filter."""
    return breakdowns_of(_node_rows(user, node, filters), filters)


def breakdowns_of(node_rows, filters: Filters) -> dict[str, dict]:
    """breakdowns() from rows of _node_rows() already read (the snapshot
    builder reads them once for every year)."""
    result = {name: {} for name in BREAKDOWNS}
    year = filters.year or ALL_YEARS

    def add(name, key, measures):
        figures = result[name].get(key)
        if figures is None:
            figures = result[name][key] = Figures()
        figures.add_values(measures)

    for (y, tier, program, mechanism, category), measures in node_rows:
        if filters.mechanism:
            if mechanism != filters.mechanism:
                continue
        elif mechanism is not None:
            if y == year:
                add("mechanism", mechanism, measures)
            continue
        if y == ALL_YEARS:
            if year == ALL_YEARS:
                _add_dimensions(add, tier, program, mechanism, category, measures)
        else:
            add("year", y, measures)
            if y == year:
                _add_dimensions(add, tier, program, mechanism, category, measures)
    return result


def _add_dimensions(add, tier, program, mechanism, category, measures) -> None:
    add("category", category, measures)
    add("tier", tier, measures)
    add("program", program, measures)
    if mechanism is not None:
        add("mechanism", mechanism, measures)


def _cells(user, level: int, filters: Filters):
    cells = CompletionCell.objects.filter(level=level).order_by()
    if filters.mechanism:
        cells = cells.filter(mechanism_id=filters.mechanism)
    else:
        cells = cells.filter(mechanism__isnull=True)
    cells = cells.filter(year=filters.year or ALL_YEARS)
    if filters.tier:
        cells = cells.filter(tier_id=filters.tier)
    if filters.program:
        cells = cells.filter(program_id=filters.program)
    return cells


def _facts(user, node: Unit, filters: Filters):
    facts = _rollup(ProjectFact, user, node).filter(unit_path__startswith=node.path).order_by()
    if filters.year:
        facts = facts.filter(year=filters.year)
    if filters.tier:
        facts = facts.filter(tier_id=filters.tier)
    if filters.program:
        facts = facts.filter(program_id=filters.program)
    if filters.mechanism:
        facts = facts.filter(project__mechanisms=filters.mechanism)
    return facts


def _by_child(user, node: Unit, filters: Filters) -> dict[int, Figures]:
    """{child unit id: Figures}: the node's children (with their subtrees)
    and the node's own projects under the node's id. One query."""
    if node.depth + 1 in CELL_LEVELS:
        cells = _cells(user, node.depth + 1, filters).filter(node_path__startswith=node.path)
        rows = cells.values("node").annotate(**CELL_SUMS).values_list("node", *CELL_SUMS)
        return {row[0]: Figures(*(value or 0 for value in row[1:])) for row in rows}
    figures: dict[int, Figures] = {}
    rows = _facts(user, node, filters).values("unit_path").annotate(**COUNTS)
    for row in rows:
        figures.setdefault(child_of(node, row["unit_path"]), Figures()).add(Figures.of(row))
    return figures


def _activity_dimensions(filters: Filters) -> dict:
    """The activity cells of the tier, program and mechanism filters (the
    rows with mechanism NULL count each entry once)."""
    dimensions = {"mechanism": filters.mechanism} if filters.mechanism else {"mechanism": None}
    if filters.tier:
        dimensions["tier"] = filters.tier
    if filters.program:
        dimensions["program"] = filters.program
    return dimensions


def _activity(user, node: Unit, year: int | None, filters: Filters | None = None):
    """Ledger activity of the node's subtree in `year` by child and month, of
    the projects under the tier, program and mechanism filters (one query):
    [(child id, month, entries, verified, completed)]."""
    dimensions = _activity_dimensions(filters or Filters())
    cells = _rollup(ActivityCell, user, node).order_by().filter(**dimensions)
    if year:
        cells = cells.filter(year=year)
    # Tuples, not dicts: a city has hundreds of units × 12 months of rows.
    sums = {"e": Sum("entries"), "v": Sum("verified"), "c": Sum("completed")}
    if node.depth + 1 in CELL_LEVELS:
        cells = cells.filter(level=node.depth + 1, node_path__startswith=node.path)
        rows = (
            cells.values("node", "month")
            .annotate(**sums)
            .values_list("node", "month", "e", "v", "c")
        )
        for child, month, entries, verified, completed in rows:
            yield child, month, entries or 0, verified or 0, completed or 0
        return
    cells = cells.filter(level=UNIT_LEVEL, node_path__startswith=node.path)
    rows = (
        cells.values("node_path", "month")
        .annotate(**sums)
        .values_list("node_path", "month", "e", "v", "c")
    )
    for path, month, entries, verified, completed in rows:
        yield child_of(node, path), month, entries or 0, verified or 0, completed or 0


def lagging_projects(user, node: Unit, filters: Filters, *, today, limit=LAGGING_LIMIT) -> list:
    """Red and yellow projects below the node, the one whose date passed
    longest ago first (overdue ones are red), with their lead unit and
    responsible official. One query, along a partial index of the lagging
    facts."""
    facts = (
        _facts(user, node, filters)
        .filter(light__in=LAGGING)
        .select_related("project", "lead_unit", "project__responsible_official")
        .only(*LAGGING_FIELDS)
        .order_by("light_due_date", "project_id")
    )
    rows = list(facts[:limit])
    for fact in rows:
        _lagging_state(fact, today)
    return rows


LAGGING_FIELDS = (
    "project__code",
    "project__number",
    "project__name",
    "project__year",
    "project__responsible_official__name",
    "lead_unit__name",
    "light",
    "light_reason",
    "light_due_date",
    "progress",
    "planned_progress",
    "year",
)


def _lagging_state(fact, today) -> None:
    fact.overdue_days = max((today - fact.light_due_date).days, 0)
    fact.behind_points = max(fact.planned_progress - fact.progress, 0)
    fact.light_label = LightColor(fact.light).label


# --- Headline figures beyond projects ------------------------------------------------------
# Small tables (plan tasks, units, the inspections app's records, outcomes):
# each figure is a scalar subquery over the rows the user may see, and all of
# them come back in one query.


def _count(queryset, condition: Q | None = None, *, distinct: str | None = None):
    """A scalar subquery counting the rows of `queryset` (matching `condition`)."""
    if distinct:
        counted = Count(distinct, distinct=True, filter=condition)
    else:
        counted = Count("pk", filter=condition)
    return Subquery(
        queryset.order_by().annotate(one=Value(1)).values("one").annotate(n=counted).values("n"),
        output_field=IntegerField(),
    )


def _visible(queryset, user):
    """The rows `user` may see; every row for None (the snapshot builder:
    a node's snapshot holds its whole subtree, and a user reads it only when
    they see the whole subtree, see dashboards.snapshots.readable)."""
    return queryset.all() if user is None else queryset.restrict(user)


def _headline_queryset(user, node: Unit):
    """The query behind headline(): one row of scalar subqueries."""
    below = Unit.objects.filter(path__startswith=node.path).values("pk")
    touching = PlanTask.objects.filter(Q(lead_unit__in=below) | Q(co_units__in=below))
    tasks = _visible(PlanTask.objects, user).filter(pk__in=touching.values("pk"))
    units = _visible(Unit.objects, user).filter(is_active=True, path__startswith=node.path)
    notices = _visible(NoticeUnit.objects, user).filter(unit__in=below, notice__status="published")
    inspections = Inspection.objects.filter(
        pk__in=_visible(Inspection.objects, user).filter(units__in=below).values("pk")
    )
    letters = (
        _visible(SupervisionLetter.objects, user)
        .filter(unit__in=below)
        .exclude(status=LetterStatus.DRAFT)
    )
    findings = _visible(Finding.objects, user).filter(unit__in=below)
    outcome = Q(unit__path__startswith=node.path) | Q(official__unit__path__startswith=node.path)
    commendations = _visible(Commendation.objects, user).filter(outcome)
    cases = _visible(AccountabilityCase.objects, user).filter(outcome)
    leaders = Q(official__rank__in=COUNTY_LEVEL_RANKS)
    figures = {
        "plan_total": _count(tasks),
        "plan_completed": _count(tasks, Q(status=PlanTaskStatus.COMPLETED)),
        "county": _count(units, Q(kind=UnitKind.COUNTY)),
        "department": _count(
            units, Q(kind__in=(UnitKind.MUNICIPAL_DEPT, UnitKind.PROVINCIAL_DEPT))
        ),
        "township": _count(units, Q(kind=UnitKind.TOWNSHIP)),
        "county_centres": _count(units, Q(kind=UnitKind.COUNTY_SERVICE_CENTRE)),
        "township_centres": _count(units, Q(kind=UnitKind.TOWNSHIP_SERVICE_CENTRE)),
        "village_points": _count(units, Q(kind=UnitKind.VILLAGE_AGENT_POINT)),
        "notices": _count(notices, distinct="notice"),
        "units_notified": _count(notices, Q(is_criticism=True), distinct="unit"),
        "routine": _count(inspections, Q(kind=InspectionKind.ROUTINE)),
        "concentrated": _count(inspections, Q(kind=InspectionKind.CONCENTRATED)),
        "special": _count(inspections, Q(kind=InspectionKind.SPECIAL)),
        "letters_issued": _count(letters),
        "letters_open": _count(
            letters, Q(status__in=(LetterStatus.ISSUED, LetterStatus.ESCALATED))
        ),
        "letters_closed": _count(
            letters, Q(status__in=(LetterStatus.ANSWERED, LetterStatus.CLOSED))
        ),
        "findings_total": _count(findings),
        "findings_rectified": _count(findings, Q(status=FindingStatus.VERIFIED)),
        "commend_units": _count(commendations, Q(unit__isnull=False)),
        "commend_leaders": _count(commendations, leaders),
        "account_units": _count(cases, Q(unit__isnull=False)),
        "account_leaders": _count(cases, leaders),
    }
    # Prefixed: a figure's name may be a reverse relation of Unit ("notices").
    queryset = Unit.objects.filter(pk=node.pk).annotate(
        **{f"figure_{key}": value for key, value in figures.items()}
    )
    return queryset.values_list(*(f"figure_{key}" for key in figures)), list(figures)


# Compiling the headline's two dozen scalar subqueries costs more than running
# them; the statement depends only on the user's scope and the node, so each
# (scope, node) pair is compiled once per process.
_HEADLINE_STATEMENTS: dict[tuple, tuple] = {}
HEADLINE_CACHE_SIZE = 512


def headline(user, node: Unit) -> dict:
    """Plan tasks, units covered, supervision (notices, inspections, letters,
    findings), commendations and accountability of the node's subtree: one
    query, every figure a count over rows the user may see."""
    scope = "all" if user is None else get_user_scope(user)
    key = (scope, node.pk, node.path, connection.alias)
    statement = _HEADLINE_STATEMENTS.get(key)
    if statement is None:
        queryset, names = _headline_queryset(user, node)
        sql, params = queryset.query.sql_with_params()
        if len(_HEADLINE_STATEMENTS) >= HEADLINE_CACHE_SIZE:
            _HEADLINE_STATEMENTS.clear()
        statement = _HEADLINE_STATEMENTS[key] = (sql, params, names)
    sql, params, names = statement
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = dict(zip(names, (int(v or 0) for v in cursor.fetchone()), strict=True))
    return {
        "plan_tasks": {
            "total": row["plan_total"],
            "completed": row["plan_completed"],
            "completion_rate": completion_rate(row["plan_completed"], row["plan_total"]),
        },
        "units": {key: row[key] for key in (*UNIT_FIGURES, *SERVICE_POINT_FIGURES)},
        "supervision": {
            "notices": row["notices"],
            "units_notified": row["units_notified"],
            "routine": row["routine"],
            "concentrated": row["concentrated"],
            "special": row["special"],
            "letters": {
                "issued": row["letters_issued"],
                "open": row["letters_open"],
                "closed": row["letters_closed"],
            },
            "findings": {
                "total": row["findings_total"],
                "rectified": row["findings_rectified"],
                "open": row["findings_total"] - row["findings_rectified"],
            },
        },
        "outcomes": {
            "commendations": {"units": row["commend_units"], "leaders": row["commend_leaders"]},
            "accountability": {
                "units": row["account_units"],
                "leaders": row["account_leaders"],
            },
        },
    }


def freshness() -> RollupState | None:
    return RollupState.objects.filter(key="main").first()


# --- The whole page ---------------------------------------------------------------------------
# The page is built from two JSON-able parts: the node's part (crumbs, the
# units below, headline, filter options: no filter changes it) and the view
# part (breakdowns, children's figures, trend, heat map, lagging list under
# the filters). The refresh stores both for the unfiltered cases
# (dashboards.snapshots); the page computes them live otherwise, with the
# same functions, and assemble() turns either into what the template shows.


@dataclass
class UnitInfo:
    """A unit as the page shows it (crumb, child row, heat-map row)."""

    pk: int
    name: str
    path: str
    depth: int
    sort_order: int
    has_children: bool


def _measures(figures: Figures) -> list[int]:
    return [int(getattr(figures, key) or 0) for key in MEASURES]


def node_part(node: Unit, *, user=None, options: dict | None = None) -> dict:
    """The node's part of the page (three queries: units, headline, options).
    Crumbs are every ancestor; assemble() keeps those the user may see."""
    ancestors = path_ids(node.path)
    units = (
        Unit.objects.filter(Q(pk__in=ancestors) | Q(parent=node))
        .annotate(has_children=Exists(Unit.objects.filter(parent=OuterRef("pk"))))
        .order_by("sort_order", "path")
        .values_list("pk", "name", "path", "depth", "sort_order", "parent_id", "has_children")
    )
    crumbs, below = [], []
    for pk, name, path, depth, sort_order, parent_id, has_children in units:
        info = [pk, name, path, depth, sort_order, bool(has_children)]
        if pk in ancestors:
            crumbs.append(info)
        if pk == node.pk or parent_id == node.pk:
            below.append(info)
    crumbs.sort(key=lambda info: info[3])
    options = options if options is not None else filter_options()
    return {
        "crumbs": crumbs,
        "units": below,
        "headline": headline(user, node),
        "options": {
            kind: [[option.pk, option.name] for option in values.values()]
            for kind, values in options.items()
        },
    }


def _lagging_payload(fact) -> dict:
    official = fact.project.responsible_official
    return {
        "code": str(fact.project.code),
        "number": fact.project.number,
        "name": fact.project.name,
        "official": official.name if official else None,
        "unit": fact.lead_unit.name,
        "light": fact.light,
        "reason": fact.light_reason,
        "due": fact.light_due_date.isoformat(),
        "progress": fact.progress,
        "planned": fact.planned_progress,
        "year": fact.year,
    }


def view_part(filters: Filters, names: dict[int, str], node_rows, by_child, activity_of, lagging):
    """The view part from what was read: node_rows from _node_rows(), the
    children's figures ({unit id: Figures}), activity_of(year) yielding
    (unit id, month, entries, verified, completed), the lagging facts;
    `names` the units of the node part ({id: name})."""
    parts = breakdowns_of(node_rows, filters)
    years = sorted(parts["year"])
    trend_year = filters.year or (years[-1] if years else None)
    trend = {m: [0, 0, 0] for m in MONTHS}
    heat: dict[int, list[int]] = {}
    for unit_id, month, entries, verified, completed in activity_of(trend_year):
        sums = trend[month]
        sums[0] += entries
        sums[1] += verified
        sums[2] += completed
        heat.setdefault(unit_id, [0] * 12)[month - 1] += verified
    heat_rows = sorted(
        ([unit_id, months] for unit_id, months in heat.items() if unit_id in names),
        key=lambda row: (-sum(row[1]), names[row[0]], row[0]),
    )
    return {
        "breakdowns": {
            name: sorted([key, _measures(figures)] for key, figures in parts[name].items())
            for name in BREAKDOWNS
        },
        "children": sorted(
            [unit_id, _measures(figures)]
            for unit_id, figures in by_child.items()
            if unit_id in names
        ),
        "trend_year": trend_year,
        "trend": [trend[m] for m in MONTHS],
        "heat": heat_rows[:HEAT_ROWS],
        "heat_max": max((max(row[1]) for row in heat_rows), default=0),
        "lagging": [_lagging_payload(fact) for fact in lagging],
    }


def live_view_part(user, node: Unit, filters: Filters, names: dict[int, str], *, today) -> dict:
    """The view part computed now (four queries: the node's rows, the
    children's figures, activity, lagging list)."""
    return view_part(
        filters,
        names,
        list(_node_rows(user, node, filters)),
        _by_child(user, node, filters),
        lambda year: _activity(user, node, year, filters),
        lagging_projects(user, node, filters, today=today),
    )


# The snapshot builder's readers: what live_view_part() reads, for every
# year filter at once (0: all years) and, with a `dimension` ("tier",
# "program" or "mechanism"), for every value of that one filter at once —
# keyed by (year, value); value None without a dimension.
DIMENSIONS = ("tier", "program", "mechanism")


def _dimension_column(dimension: str | None, *, facts: bool = False) -> list[str]:
    if dimension is None:
        return []
    if dimension == "mechanism" and facts:
        return ["project__mechanisms"]
    return [f"{dimension}_id"]


def _by_dimension(queryset, dimension: str | None):
    """Cells of one dimension: the mechanism rows for "mechanism", else the
    rows with mechanism NULL (each project once)."""
    return queryset.filter(mechanism__isnull=dimension != "mechanism")


def by_child_every_year(
    node: Unit, dimension: str | None = None
) -> dict[tuple, dict[int, Figures]]:
    """_by_child() for every year filter and every value of `dimension` at
    once: {(year, value): {child id: Figures}}. One query."""
    result: dict[tuple, dict[int, Figures]] = {}
    if node.depth + 1 in CELL_LEVELS:
        column = _dimension_column(dimension)
        cells = _by_dimension(
            CompletionCell.objects.filter(level=node.depth + 1, node_path__startswith=node.path),
            dimension,
        ).order_by()
        rows = cells.values("year", "node", *column).annotate(**CELL_SUMS)
        rows = rows.values_list("year", "node", *column, *CELL_SUMS)
        width = 2 + len(column)
        for row in rows:
            value = row[2] if column else None
            figures = Figures(*(measure or 0 for measure in row[width:]))
            result.setdefault((row[0], value), {})[row[1]] = figures
        return result
    column = _dimension_column(dimension, facts=True)
    facts = ProjectFact.objects.filter(unit_path__startswith=node.path).order_by()
    if dimension == "mechanism":
        facts = facts.filter(project__mechanisms__isnull=False)
    for row in facts.values("year", "unit_path", *column).annotate(**COUNTS):
        child, figures = child_of(node, row["unit_path"]), Figures.of(row)
        value = row[column[0]] if column else None
        for year in (row["year"], ALL_YEARS):
            result.setdefault((year, value), {}).setdefault(child, Figures()).add(figures)
    return result


def activity_every_year(node: Unit, dimension: str | None = None) -> dict[tuple, list[tuple]]:
    """_activity() for every year and every value of `dimension` at once:
    {(year, value): [(child, month, entries, verified, completed)]}, year
    None: all years summed. One query."""
    result: dict[tuple, list[tuple]] = {}
    column = _dimension_column(dimension)
    cells = _by_dimension(ActivityCell.objects.order_by(), dimension)
    sums = {"e": Sum("entries"), "v": Sum("verified"), "c": Sum("completed")}
    wide = node.depth + 1 in CELL_LEVELS
    if wide:
        cells = cells.filter(level=node.depth + 1, node_path__startswith=node.path)
    else:
        cells = cells.filter(level=UNIT_LEVEL, node_path__startswith=node.path)
    grouping = ["year", "node" if wide else "node_path", "month", *column]
    rows = cells.values(*grouping).annotate(**sums).values_list(*grouping, "e", "v", "c")
    every: dict[tuple, list[int]] = {}
    for year, unit, month, *rest in rows:  # tuples: a city has ~10⁵ rows here
        value = rest[0] if column else None
        values = tuple(measure or 0 for measure in rest[-3:])
        child = unit if wide else child_of(node, unit)
        result.setdefault((year, value), []).append((child, month, *values))
        total = every.setdefault((value, child, month), [0, 0, 0])
        for index, measure in enumerate(values):
            total[index] += measure
    for (value, child, month), values in every.items():
        result.setdefault((None, value), []).append((child, month, *values))
    return result


def options_of(stored: dict) -> dict:
    """filter_options() from a node part's "options"."""
    return {kind: {pk: Option(pk, name) for pk, name in values} for kind, values in stored.items()}


def lagging_every_year(node: Unit, *, today, dimension: str | None = None) -> dict[tuple, list]:
    """lagging_projects() for every year filter and every value of
    `dimension` at once ({(year, value): facts}; ALL_YEARS: the first of
    them all), in one query: the first LAGGING_LIMIT of each (year, value) by
    a window over the node's lagging facts (the first of all years are
    among them)."""
    facts = ProjectFact.objects.filter(light__in=LAGGING).order_by()
    if node.depth in CELL_LEVELS:  # area<depth> is the node exactly for its subtree
        facts = facts.filter(**{f"area{node.depth}": node})
    else:
        facts = facts.filter(unit_path__startswith=node.path)
    column = _dimension_column(dimension, facts=True)
    if dimension is not None:
        facts = facts.annotate(value=F(column[0])).filter(value__isnull=False)
    partition = [F("year"), *([F("value")] if dimension else [])]
    order = ["light_due_date", "project_id"]
    ranked = facts.annotate(
        rank=Window(RowNumber(), partition_by=partition, order_by=order)
    ).filter(rank__lte=LAGGING_LIMIT)
    rows = list(
        ranked.select_related("project", "lead_unit", "project__responsible_official").only(
            *LAGGING_FIELDS
        )
    )
    rows.sort(key=lambda fact: (fact.light_due_date, fact.project_id))
    result: dict[tuple, list] = {}
    for fact in rows:
        value = getattr(fact, "value", None)
        result.setdefault((fact.year, value), []).append(fact)
        every = result.setdefault((ALL_YEARS, value), [])
        if len(every) < LAGGING_LIMIT:
            every.append(fact)
    for facts_of_year in result.values():
        for fact in facts_of_year:
            _lagging_state(fact, today)
    return result


def assemble(user, node: Unit, filters: Filters, node_data: dict, view: dict, *, today) -> dict:
    """What the template and the export show, from the two parts."""
    options = options_of(node_data["options"])
    crumbs = visible_crumbs(user, node_data["crumbs"])
    children = {info[0]: UnitInfo(*info) for info in node_data["units"]}
    parts = {
        name: {key: Figures(*measures) for key, measures in rows}
        for name, rows in view["breakdowns"].items()
    }
    totals = Figures()
    for figures in parts["category"].values():
        totals.add(figures)

    def rows(values: dict, labels: dict) -> list[Row]:
        return [
            Row(key=key, label=str(getattr(label, "name", label)), figures=values[key])
            for key, label in labels.items()
            if key in values
        ]

    years = [Row(key=y, label=str(y), figures=parts["year"][y]) for y in sorted(parts["year"])]
    child_rows = []
    for unit_id, measures in view["children"]:
        unit = children[unit_id]
        own = unit.pk == node.pk
        child_rows.append(
            Row(
                key=unit.pk,
                label=_("%(unit)s(本级)") % {"unit": unit.name} if own else unit.name,
                figures=Figures(*measures),
                node=unit,
                has_children=unit.has_children and not own,
            )
        )
    child_rows.sort(key=lambda row: (row.node.pk == node.pk, row.node.sort_order, row.node.path))
    ranking = sorted(
        (row for row in child_rows if row.figures.due),
        key=lambda row: (
            -row.figures.on_time / row.figures.due,
            -row.figures.done / max(row.figures.total, 1),
            row.label,
        ),
    )
    heat_rows = [
        Row(
            key=unit_id,
            label=children[unit_id].name,
            figures=Figures(),
            node=children[unit_id],
            has_children=children[unit_id].has_children and unit_id != node.pk,
            months=months,
        )
        for unit_id, months in view["heat"]
    ]
    return {
        "node": node,
        "filters": filters,
        "options": options,
        "year_options": [row.key for row in reversed(years)],
        "crumbs": crumbs,
        **node_data["headline"],
        "totals": totals,
        "categories": rows(parts["category"], dict(ProjectCategory.choices)),
        "tiers": rows(parts["tier"], options["tiers"]),
        "programs": rows(parts["program"], options["programs"]),
        "mechanisms": rows(parts["mechanism"], options["mechanisms"]),
        "years": years,
        "children": child_rows,
        "ranking": ranking,
        "trend_year": view["trend_year"],
        "trend": [
            {"month": m, "entries": v[0], "verified": v[1], "completed": v[2]}
            for m, v in zip(MONTHS, view["trend"], strict=True)
        ],
        "heat": heat_rows,
        "heat_max": view["heat_max"],
        "lagging": [_lagging_row(row, today) for row in view["lagging"]],
        "today": today,
    }


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


# The orders of the units page: key → (label, sort key of a Row; None: the
# dashboard's own order, "on_time": its ranking, units with no project due last).
UNIT_SORTS = {
    "": (gettext_lazy("单位顺序"), None),
    "on_time": (gettext_lazy("按期完成率"), "on_time"),
    "completion": (
        gettext_lazy("完成率"),
        lambda row: (-_share(row.figures.done, row.figures.total),),
    ),
    "progress": (
        gettext_lazy("平均进度"),
        lambda row: (-_share(row.figures.progress_sum, row.figures.total),),
    ),
    "total": (gettext_lazy("项目数"), lambda row: (-row.figures.total,)),
    "red": (gettext_lazy("红灯数"), lambda row: (-row.figures.red, -row.figures.yellow)),
}


def sort_units(children: list[Row], sort: str, *, ranking: list[Row]) -> list[Row]:
    """The units below a node (assemble()'s `children`) in one of UNIT_SORTS
    (an unknown key: the dashboard's order); ties by label."""
    _label, order = UNIT_SORTS.get(sort, UNIT_SORTS[""])
    if order is None:
        return list(children)
    if order == "on_time":
        ranked = {id(row) for row in ranking}
        return [*ranking, *(row for row in children if id(row) not in ranked)]
    return sorted(children, key=lambda row: (*order(row), row.label))


def visible_crumbs(user, crumbs: list) -> list[UnitInfo]:
    """The node's ancestors (and itself), as a node part stores them, that
    the user may see, top first."""
    scope = get_user_scope(user)
    return [UnitInfo(*info) for info in crumbs if _sees_unit(scope, info[2])]


def _sees_unit(scope, path: str) -> bool:
    """Unit.objects.restrict(user) for one unit, in Python (crumbs)."""
    if scope.sees_all or scope.roles & ADMIN_ROLES & {Role.SYSTEM_ADMIN}:
        return True
    return any(path.startswith(prefix) for prefix in scope.unit_paths(set(Role) - ADMIN_ROLES))


def _lagging_row(row: dict, today) -> SimpleNamespace:
    due = datetime.date.fromisoformat(row["due"])
    official = SimpleNamespace(name=row["official"]) if row["official"] else None
    return SimpleNamespace(
        project=SimpleNamespace(
            code=row["code"],
            number=row["number"],
            name=row["name"],
            responsible_official=official,
        ),
        lead_unit=SimpleNamespace(name=row["unit"]),
        light=row["light"],
        light_label=LightColor(row["light"]).label,
        light_reason=row["reason"],
        light_due_date=due,
        progress=row["progress"],
        planned_progress=row["planned"],
        year=row["year"],
        overdue_days=max((today - due).days, 0),
        behind_points=max(row["planned"] - row["progress"], 0),
    )


def dashboard(user, node: Unit, filters: Filters, *, options: dict, today: datetime.date) -> dict:
    """Everything the dashboard shows for `node` under `filters`, computed
    now in a fixed number of queries (units, headline, the node's rows,
    children's figures, activity, lagging list: six); `options` from
    filter_options(). The page reads a snapshot instead when there is one
    (dashboards.snapshots)."""
    node_data = node_part(node, user=user, options=options)
    names = {info[0]: info[1] for info in node_data["units"]}
    view = live_view_part(user, node, filters, names, today=today)
    return assemble(user, node, filters, node_data, view, today=today)

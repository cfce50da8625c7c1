"""Reads for the dashboards: the headline summary (DESIGN.md §6, also
served by /api/v1/summary/), each figure computed by the owning app's count
selectors over the rows the user may see; and the leaders' dashboard page,
read from the rollup tables (dashboards.models)."""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.http import Http404
from django.utils.translation import gettext as _

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
from pingxiang_cf.roles import Role
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


def breadcrumbs(user, node: Unit) -> list[Unit]:
    """The node's ancestors the user may see, top first, and the node."""
    ids = path_ids(node.path)
    units = Unit.objects.restrict(user).filter(pk__in=ids).only("pk", "name", "short_name", "path")
    return sorted(units, key=lambda unit: len(unit.path))


def child_units(node: Unit) -> dict[int, Unit]:
    """The units directly below the node, and the node itself ("本级"), each
    with `has_children`."""
    units = (
        Unit.objects.filter(Q(parent=node) | Q(pk=node.pk))
        .annotate(has_children=Exists(Unit.objects.filter(parent=OuterRef("pk"))))
        .only(
            "pk", "name", "short_name", "path", "depth", "parent_id", "sort_order", "tier", "kind"
        )
        .order_by("sort_order", "path")
    )
    return {unit.pk: unit for unit in units}


def child_of(node: Unit, path: str) -> int:
    """The id of the unit directly below `node` on the way to `path` (the node
    itself for its own path)."""
    ids = path_ids(path)
    return ids[node.depth + 1] if len(ids) > node.depth + 1 else node.pk


# --- Options of the filters ------------------------------------------------------------------


def filter_options() -> dict:
    """Tiers, programs and mechanisms (reference data, three small queries)
    and the years the rollups hold (one)."""
    years = (
        CompletionCell.objects.filter(level=0)
        .exclude(year=ALL_YEARS)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )
    return {
        "tiers": {t.pk: t for t in Tier.objects.order_by("sort_order", "pk")},
        "programs": {p.pk: p for p in Program.objects.order_by("sort_order", "pk")},
        "mechanisms": {m.pk: m for m in Mechanism.objects.order_by("sort_order", "pk")},
        "years": list(years),
    }


# --- Project figures from the rollups ------------------------------------------------------


def _cells(user, level: int, filters: Filters, *, by_mechanism=False, by_year=False):
    cells = CompletionCell.objects.restrict(user).filter(level=level).order_by()
    if filters.mechanism:
        cells = cells.filter(mechanism_id=filters.mechanism)
    elif by_mechanism:
        cells = cells.filter(mechanism__isnull=False)
    else:
        cells = cells.filter(mechanism__isnull=True)
    if by_year:
        cells = cells.exclude(year=ALL_YEARS)
    else:
        cells = cells.filter(year=filters.year or ALL_YEARS)
    if filters.tier:
        cells = cells.filter(tier_id=filters.tier)
    if filters.program:
        cells = cells.filter(program_id=filters.program)
    return cells


def _facts(user, node: Unit, filters: Filters, *, by_year=False):
    facts = ProjectFact.objects.restrict(user).filter(unit_path__startswith=node.path).order_by()
    if filters.year and not by_year:
        facts = facts.filter(year=filters.year)
    if filters.tier:
        facts = facts.filter(tier_id=filters.tier)
    if filters.program:
        facts = facts.filter(program_id=filters.program)
    if filters.mechanism:
        facts = facts.filter(project__mechanisms=filters.mechanism)
    return facts


def _breakdown(user, node: Unit, filters: Filters, dimension: str) -> dict:
    """{value: Figures} of the node's projects by one dimension (category,
    tier, program, mechanism, year): one query."""
    by_year = dimension == "year"
    if node.depth in CELL_LEVELS:
        cells = _cells(
            user, node.depth, filters, by_mechanism=dimension == "mechanism", by_year=by_year
        ).filter(node=node)
        rows = cells.values(dimension).annotate(**CELL_SUMS)
        return {row[dimension]: Figures.of(row) for row in rows}
    facts = _facts(user, node, filters, by_year=by_year)
    key = "project__mechanisms" if dimension == "mechanism" else dimension
    if dimension == "mechanism":
        facts = facts.filter(project__mechanisms__isnull=False)
    rows = facts.values(key).annotate(**COUNTS)
    return {row[key]: Figures.of(row) for row in rows}


def _by_child(user, node: Unit, filters: Filters) -> dict[int, Figures]:
    """{child unit id: Figures}: the node's children (with their subtrees)
    and the node's own projects under the node's id. One query."""
    if node.depth + 1 in CELL_LEVELS:
        cells = _cells(user, node.depth + 1, filters).filter(node_path__startswith=node.path)
        return {row["node"]: Figures.of(row) for row in cells.values("node").annotate(**CELL_SUMS)}
    figures: dict[int, Figures] = {}
    rows = _facts(user, node, filters).values("unit_path").annotate(**COUNTS)
    for row in rows:
        figures.setdefault(child_of(node, row["unit_path"]), Figures()).add(Figures.of(row))
    return figures


def _activity(user, node: Unit, year: int | None, *, by_child: bool):
    """Ledger activity of the node's subtree in `year` by month, or by child
    and month. One query."""
    cells = ActivityCell.objects.restrict(user).order_by()
    if year:
        cells = cells.filter(year=year)
    if by_child and node.depth + 1 in CELL_LEVELS:
        cells = cells.filter(level=node.depth + 1, node_path__startswith=node.path)
        keys = ("node", "month")
    elif not by_child and node.depth in CELL_LEVELS:
        cells = cells.filter(level=node.depth, node=node)
        keys = ("month",)
    else:
        cells = cells.filter(level=UNIT_LEVEL, node_path__startswith=node.path)
        keys = ("node_path", "month") if by_child else ("month",)
    return cells.values(*keys).annotate(
        entries=Sum("entries"), verified=Sum("verified"), completed=Sum("completed")
    )


def lagging_projects(user, node: Unit, filters: Filters, *, today, limit=LAGGING_LIMIT) -> list:
    """Red, then yellow projects below the node, the longest overdue first,
    with their lead unit and responsible official. One query."""
    facts = (
        _facts(user, node, filters)
        .filter(light__in=(LightColor.RED, LightColor.YELLOW))
        .select_related("project", "lead_unit", "project__responsible_official")
        .only(
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
        .order_by("light", "light_due_date", "project_id")
    )
    rows = list(facts[:limit])
    for fact in rows:
        fact.overdue_days = max((today - fact.light_due_date).days, 0)
        fact.behind_points = max(fact.planned_progress - fact.progress, 0)
        fact.light_label = LightColor(fact.light).label
    return rows


# --- Headline figures beyond projects ------------------------------------------------------


def plan_task_figures(user, node: Unit) -> dict:
    """Plan tasks led or co-organized by units of the node's subtree."""
    below = Unit.objects.filter(path__startswith=node.path).values("pk")
    touching = PlanTask.objects.filter(Q(lead_unit__in=below) | Q(co_units__in=below))
    counts = (
        PlanTask.objects.restrict(user)
        .filter(pk__in=touching.values("pk"))
        .aggregate(
            total=Count("pk"),
            completed=Count("pk", filter=Q(status=PlanTaskStatus.COMPLETED)),
        )
    )
    counts["completion_rate"] = completion_rate(counts["completed"], counts["total"])
    return counts


def unit_figures(user, node: Unit) -> dict:
    def kind_is(*kinds):
        return Count("pk", filter=Q(kind__in=kinds))

    return (
        Unit.objects.restrict(user)
        .filter(is_active=True, path__startswith=node.path)
        .aggregate(
            county=kind_is(UnitKind.COUNTY),
            department=kind_is(UnitKind.MUNICIPAL_DEPT, UnitKind.PROVINCIAL_DEPT),
            township=kind_is(UnitKind.TOWNSHIP),
            county_centres=kind_is(UnitKind.COUNTY_SERVICE_CENTRE),
            township_centres=kind_is(UnitKind.TOWNSHIP_SERVICE_CENTRE),
            village_points=kind_is(UnitKind.VILLAGE_AGENT_POINT),
        )
    )


def supervision_figures(user, node: Unit) -> dict:
    """Notices, inspections, supervision letters and findings touching the
    node's subtree (four queries), as the inspections app records them now."""
    below = Unit.objects.filter(path__startswith=node.path).values("pk")
    notices = (
        NoticeUnit.objects.restrict(user)
        .filter(unit__in=below, notice__status="published")
        .aggregate(
            notices=Count("notice", distinct=True),
            units_notified=Count("unit", distinct=True, filter=Q(is_criticism=True)),
        )
    )
    inspection_ids = (
        Inspection.objects.restrict(user).filter(units__in=below).values("pk").distinct()
    )
    inspections = Inspection.objects.filter(pk__in=inspection_ids).aggregate(
        routine=Count("pk", filter=Q(kind=InspectionKind.ROUTINE)),
        concentrated=Count("pk", filter=Q(kind=InspectionKind.CONCENTRATED)),
        special=Count("pk", filter=Q(kind=InspectionKind.SPECIAL)),
    )
    letters = (
        SupervisionLetter.objects.restrict(user)
        .filter(unit__in=below)
        .exclude(status=LetterStatus.DRAFT)
        .aggregate(
            issued=Count("pk"),
            open=Count("pk", filter=Q(status__in=(LetterStatus.ISSUED, LetterStatus.ESCALATED))),
            closed=Count("pk", filter=Q(status__in=(LetterStatus.ANSWERED, LetterStatus.CLOSED))),
        )
    )
    findings = (
        Finding.objects.restrict(user)
        .filter(unit__in=below)
        .aggregate(
            total=Count("pk"),
            rectified=Count("pk", filter=Q(status=FindingStatus.VERIFIED)),
        )
    )
    findings["open"] = findings["total"] - findings["rectified"]
    return {**notices, **inspections, "letters": letters, "findings": findings}


def outcome_figures(user, node: Unit) -> dict:
    """Commendations and accountability cases of units and of county-level
    leaders in the node's subtree (two queries)."""

    def counts(model):
        return (
            model.objects.restrict(user)
            .filter(
                Q(unit__path__startswith=node.path) | Q(official__unit__path__startswith=node.path)
            )
            .aggregate(
                units=Count("pk", filter=Q(unit__isnull=False)),
                leaders=Count("pk", filter=Q(official__rank__in=COUNTY_LEVEL_RANKS)),
            )
        )

    return {"commendations": counts(Commendation), "accountability": counts(AccountabilityCase)}


def freshness() -> RollupState | None:
    return RollupState.objects.filter(key="main").first()


# --- The whole page ---------------------------------------------------------------------------


def dashboard(user, node: Unit, filters: Filters, *, options: dict, today: datetime.date) -> dict:
    """Everything the dashboard shows for `node` under `filters` (a fixed
    number of queries); `options` from filter_options()."""
    children = child_units(node)
    by_category = _breakdown(user, node, filters, "category")
    totals = Figures()
    for figures in by_category.values():
        totals.add(figures)

    def rows(values: dict, labels: dict) -> list[Row]:
        return [
            Row(key=key, label=str(labels[key]), figures=values[key])
            for key in labels
            if key in values
        ]

    categories = rows(by_category, dict(ProjectCategory.choices))
    tiers = rows(_breakdown(user, node, filters, "tier"), options["tiers"])
    programs = rows(_breakdown(user, node, filters, "program"), options["programs"])
    mechanisms = rows(_breakdown(user, node, filters, "mechanism"), options["mechanisms"])
    by_year = _breakdown(user, node, filters, "year")
    years = [Row(key=y, label=str(y), figures=by_year[y]) for y in sorted(by_year)]

    child_rows = []
    for unit_id, figures in _by_child(user, node, filters).items():
        unit = children.get(unit_id)
        if unit is None:
            continue
        own = unit.pk == node.pk
        child_rows.append(
            Row(
                key=unit.pk,
                label=_("%(unit)s(本级)") % {"unit": unit.name} if own else unit.name,
                figures=figures,
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

    trend_year = filters.year or (options["years"][0] if options["years"] else None)
    trend = {m: {"entries": 0, "verified": 0, "completed": 0} for m in MONTHS}
    for row in _activity(user, node, trend_year, by_child=False):
        trend[row["month"]] = {k: row[k] or 0 for k in ("entries", "verified", "completed")}
    heat: dict[int, list[int]] = {}
    for row in _activity(user, node, trend_year, by_child=True):
        unit_id = row["node"] if "node" in row else child_of(node, row["node_path"])
        heat.setdefault(unit_id, [0] * 12)[row["month"] - 1] += row["verified"] or 0
    heat_rows = [
        Row(
            key=unit_id,
            label=children[unit_id].name,
            figures=Figures(),
            node=children[unit_id],
            months=months,
        )
        for unit_id, months in heat.items()
        if unit_id in children
    ]
    heat_rows.sort(key=lambda row: (-sum(row.months), row.label))

    return {
        "node": node,
        "filters": filters,
        "options": options,
        "crumbs": breadcrumbs(user, node),
        "plan_tasks": plan_task_figures(user, node),
        "units": unit_figures(user, node),
        "supervision": supervision_figures(user, node),
        "outcomes": outcome_figures(user, node),
        "totals": totals,
        "categories": categories,
        "tiers": tiers,
        "programs": programs,
        "mechanisms": mechanisms,
        "years": years,
        "children": child_rows,
        "ranking": ranking,
        "trend_year": trend_year,
        "trend": [{"month": m, **trend[m]} for m in MONTHS],
        "heat": heat_rows[:HEAT_ROWS],
        "heat_max": max((max(row.months) for row in heat_rows), default=0),
        "lagging": lagging_projects(user, node, filters, today=today),
        "freshness": freshness(),
        "today": today,
    }

"""Reads for the projects app. Each function scopes first (`restrict`), then
counts with one aggregate query."""

from decimal import Decimal

from django.db.models import (
    Avg,
    Count,
    DateField,
    DecimalField,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Least, Round

from accountability.models import Membership
from pingxiang_cf.roles import EDITOR_ROLES
from pingxiang_cf.scope import CHANGE, get_user_scope
from projects.choices import (
    AssignmentStatus,
    LedgerStatus,
    PlanTaskStatus,
    ProjectCategory,
    ProjectStage,
)
from projects.models import (
    Assignment,
    LedgerEntry,
    LedgerQuantity,
    Milestone,
    PlanTask,
    Project,
    Target,
)


def plan_task_counts(user) -> dict:
    """Tasks of the plan the user can see, and how many are completed."""
    return PlanTask.objects.restrict(user).aggregate(
        total=Count("pk"),
        completed=Count("pk", filter=Q(status=PlanTaskStatus.COMPLETED)),
    )


def project_counts(user) -> dict:
    """Projects the user can see, in total and by category (共性/个性/延伸)."""
    return Project.objects.restrict(user).aggregate(
        total=Count("pk"),
        common=Count("pk", filter=Q(category=ProjectCategory.COMMON)),
        individual=Count("pk", filter=Q(category=ProjectCategory.INDIVIDUAL)),
        extension=Count("pk", filter=Q(category=ProjectCategory.EXTENSION)),
    )


# --- Progress, derived from verified ledger entries only ----------------------------
# Nothing here is typed by a user: progress is the latest *verified* ledger
# entry's percent, attainment the sum of *verified* quantities over the target
# value (capped at 100 %). Each `annotate_*` adds correlated subqueries to a
# queryset, so a list of N rows still runs one query.

PERCENT = DecimalField(max_digits=7, decimal_places=2)
QUANTITY = DecimalField(max_digits=14, decimal_places=2)


def _verified_entries(as_of=None):
    """Verified ledger entries; with `as_of`, only those dated on or before it
    (progress as it stood on that day, for the supervision cycles)."""
    entries = LedgerEntry.objects.filter(status=LedgerStatus.VERIFIED)
    return entries if as_of is None else entries.filter(entry_date__lte=as_of)


def _latest_verified_progress(as_of=None, **filters):
    """The progress_percent of the latest verified entry matching `filters`
    (entry date, then id, decides 'latest')."""
    return Subquery(
        _verified_entries(as_of)
        .filter(**filters)
        .order_by("-entry_date", "-pk")
        .values("progress_percent")[:1],
        output_field=IntegerField(),
    )


def _verified_quantity(as_of=None):
    """Sum of the verified quantities of the target in OuterRef("pk")."""
    quantities = LedgerQuantity.objects.filter(
        target=OuterRef("pk"), entry__status=LedgerStatus.VERIFIED
    )
    if as_of is not None:
        quantities = quantities.filter(entry__entry_date__lte=as_of)
    summed = quantities.values("target").annotate(total=Sum("quantity")).values("total")
    return Coalesce(
        Subquery(summed, output_field=QUANTITY), Value(Decimal(0)), output_field=QUANTITY
    )


class PercentOf(Func):
    """`part * 100 / whole`. SQLite keeps a whole-number decimal as an integer
    and divides integers as integers (7 * 100 / 9 = 77, not 77.78): there the
    part is read as REAL first, so both databases give the same percent."""

    template = "(%(expressions)s)"
    arg_joiner = " * 100 / "
    output_field = PERCENT

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler,
            connection,
            template="(CAST(%(expressions)s)",
            arg_joiner=" AS REAL) * 100 / ",
            **extra_context,
        )


def _attainment(verified_quantity):
    """Percent of the target reached, capped at 100."""
    return Least(
        PercentOf(verified_quantity, F("target_value")),
        Value(Decimal(100)),
        output_field=PERCENT,
    )


def annotate_target_attainment(queryset):
    """Targets with `verified_quantity` and `attainment` (percent, ≤ 100)."""
    return queryset.annotate(verified_quantity=_verified_quantity()).annotate(
        attainment=_attainment(F("verified_quantity"))
    )


def annotate_assignment_progress(queryset):
    """Assignments with `progress`: the latest verified entry's percent, 0 if none."""
    return queryset.annotate(
        progress=Coalesce(
            _latest_verified_progress(assignment=OuterRef("pk")),
            Value(0),
            output_field=IntegerField(),
        )
    )


def annotate_project_progress(queryset, *, as_of=None):
    """Projects with
    - `progress`: the latest verified project-level entry (written by the lead
      unit, no assignment); if there is none, the mean progress of the
      project's assignments that are not cancelled; 0 if neither exists;
    - `attainment`: mean attainment of the project's targets (each capped at
      100 %), None when the project has no target;
    - `next_due`: the earliest due date of a target not yet attained (None if
      every target is attained or there is none).
    With `as_of` (a date), only ledger entries dated on or before it count."""
    assignment_mean = (
        Assignment.objects.filter(project=OuterRef("pk"))
        .exclude(status=AssignmentStatus.CANCELLED)
        .annotate(p=Coalesce(_latest_verified_progress(as_of, assignment=OuterRef("pk")), Value(0)))
        .values("project")
        .annotate(mean=Avg("p"))
        .values("mean")
    )
    targets = Target.objects.filter(project=OuterRef("pk")).annotate(vq=_verified_quantity(as_of))
    attainment_mean = (
        targets.annotate(pct=_attainment(F("vq")))
        .values("project")
        .annotate(mean=Avg("pct"))
        .values("mean")
    )
    next_due = targets.filter(vq__lt=F("target_value")).order_by("due_date").values("due_date")[:1]
    return queryset.annotate(
        progress=Coalesce(
            _latest_verified_progress(as_of, project=OuterRef("pk"), assignment__isnull=True),
            Cast(Round(Subquery(assignment_mean, output_field=FloatField())), IntegerField()),
            Value(0),
            output_field=IntegerField(),
        ),
        attainment=Round(Subquery(attainment_mean, output_field=PERCENT), 2, output_field=PERCENT),
        next_due=Subquery(next_due, output_field=DateField()),
    )


def project_progress(project) -> int:
    """The derived progress of one project (see annotate_project_progress)."""
    return annotate_project_progress(Project.objects.filter(pk=project.pk)).get().progress


def assignment_progress(assignment) -> int:
    return annotate_assignment_progress(Assignment.objects.filter(pk=assignment.pk)).get().progress


def project_targets(project):
    """A project's targets with `verified_quantity` and `attainment`."""
    return annotate_target_attainment(project.targets.all())


def target_attainment(target) -> Decimal:
    return annotate_target_attainment(Target.objects.filter(pk=target.pk)).get().attainment


def project_assignments(project):
    """A project's assignments with `progress`, assignee and section loaded."""
    return annotate_assignment_progress(
        project.assignments.select_related("assignee_unit", "section", "responsible_official")
    )


# --- Early-warning lights for a page of rows ----------------------------------------------
# The rule is projects.services.warning_light; these feed it. A list page calls
# `annotate_project_progress` on its queryset before paginating, then
# `attach_project_lights(page)`: one query for the page, one for its milestones.

DONE_STAGES = (ProjectStage.EVALUATE, ProjectStage.PROMOTE)


def attach_project_lights(projects, *, today, historical=False) -> list:
    """Set `planned_progress`, `light_due_date` (the date the light is judged
    against) and `light` on projects annotated by annotate_project_progress
    (one query for all their milestones). `historical=True` judges a past
    day (`today` is then that day): the current stage is not known for it, so
    only verified progress of 100 % counts as done."""
    from projects.services import planned_progress, warning_light

    projects = list(projects)
    milestones: dict[int, list] = {p.pk: [] for p in projects}
    rows = (
        Milestone.objects.filter(project_id__in=milestones)
        .order_by()
        .values_list("project_id", "planned_date", "planned_progress")
    )
    for project_id, planned_date, progress in rows:
        milestones[project_id].append((planned_date, progress))
    for project in projects:
        project.planned_progress = planned_progress(
            start_date=project.start_date,
            end_date=project.end_date,
            milestones=milestones[project.pk],
            on=today,
        )
        # The date the light is judged against: the earliest unattained
        # target's due date, never later than the end of the project.
        project.light_due_date = min(project.next_due or project.end_date, project.end_date)
        project.light = warning_light(
            planned_progress=project.planned_progress,
            actual_progress=project.progress,
            due_date=project.light_due_date,
            today=today,
            done=(not historical and project.stage in DONE_STAGES) or project.progress >= 100,
        )
    return projects


def projects_with_lights(queryset, *, today) -> list:
    """The projects of `queryset` with progress, attainment and light (2 queries)."""
    return attach_project_lights(annotate_project_progress(queryset), today=today)


def project_ids_with_light(queryset, *, color: str, today) -> list[int]:
    """Ids of the projects of `queryset` whose light is `color` (for the list
    filter: `queryset.filter(pk__in=project_ids_with_light(...))`)."""
    rows = projects_with_lights(queryset.order_by(), today=today)
    return [p.pk for p in rows if p.light.color == color]


def attach_assignment_lights(assignments, *, today) -> list:
    """Set `planned_progress` and `light` on assignments annotated by
    annotate_assignment_progress, with their project loaded (no query).
    Planned progress runs straight from the project's start to the deadline."""
    from projects.services import planned_progress, warning_light

    assignments = list(assignments)
    for assignment in assignments:
        assignment.planned_progress = planned_progress(
            start_date=assignment.project.start_date,
            end_date=assignment.deadline,
            milestones=(),
            on=today,
        )
        assignment.light = warning_light(
            planned_progress=assignment.planned_progress,
            actual_progress=assignment.progress,
            due_date=assignment.deadline,
            today=today,
            done=assignment.status != AssignmentStatus.OPEN or assignment.progress >= 100,
        )
    return assignments


def assignments_with_lights(queryset, *, today) -> list:
    return attach_assignment_lights(
        annotate_assignment_progress(queryset.select_related("project")), today=today
    )


# --- Work lists -----------------------------------------------------------------------------


def ledger_entries_to_verify(user):
    """Submitted entries waiting for the commission (empty for anyone else)."""
    if not get_user_scope(user).edits_all:
        return LedgerEntry.objects.none()
    return (
        LedgerEntry.objects.restrict(user)
        .filter(status=LedgerStatus.SUBMITTED)
        .select_related("project", "unit", "assignment")
        .order_by("entry_date", "pk")
    )


def ledger_entries_returned(user):
    """Returned entries the user's units must correct."""
    return (
        LedgerEntry.objects.restrict(user, CHANGE)
        .filter(status=LedgerStatus.RETURNED)
        .select_related("project", "unit", "assignment")
        .order_by("entry_date", "pk")
    )


def unit_editor_ids(unit_ids) -> dict[int, list[int]]:
    """The active editors (lead/co-unit roles) held in each unit, by unit id."""
    editors: dict[int, list[int]] = {}
    rows = Membership.objects.filter(
        unit_id__in=list(unit_ids),
        role__in=EDITOR_ROLES,
        user__is_active=True,
        unit__is_active=True,
    ).values_list("unit_id", "user_id")
    for unit_id, user_id in rows:
        editors.setdefault(unit_id, []).append(user_id)
    return editors

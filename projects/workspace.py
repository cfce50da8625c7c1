"""Reads for the browser workspace: the role homes, the project registry, the
project page and the unit wall chart.

Every function scopes first (`restrict(user, …)`), then filters, and fetches
its relations in a fixed number of queries whatever the number of rows.
Progress, attainment and warning lights are not computed here: they come from
the business selectors (projects/selectors.py), which apply the one rule
(projects.services.warning_light); this module only feeds pages to them."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import chain

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, Count, F, Prefetch, Q, QuerySet, When
from django.utils import timezone

from accountability.models import Unit
from pingxiang_cf.audit import history
from pingxiang_cf.models import AuditLog, Transition
from pingxiang_cf.roles import EDITOR_ROLES, Role
from pingxiang_cf.scope import CHANGE, VIEW, get_user_scope, unit_ids_below
from pingxiang_cf.selectors import transitions_visible_to
from projects import selectors
from projects.choices import AssignmentStatus, LedgerStatus, ProjectStage
from projects.models import (
    Assignment,
    AssignmentShare,
    Evidence,
    LedgerEntry,
    Milestone,
    Project,
    ProjectCoUnit,
    Target,
)
from projects.services import Light, LightColor

HOME_LIST_LIMIT = 10
# Stages in which targets are still being worked on.
OPEN_STAGES = (ProjectStage.ESTABLISH, ProjectStage.IMPLEMENT)


# --- Who is looking -------------------------------------------------------------------


class HomeKind:
    COMMISSION = "commission"
    EDITOR = "editor"
    READ_ONLY = "read_only"
    NONE = "none"


def home_kind(user) -> str:
    """Which home the user lands on: the commission's verification desk, a unit
    editor's workspace, or the read-only overview (leaders, auditors)."""
    scope = get_user_scope(user)
    if scope.edits_all:
        return HomeKind.COMMISSION
    if scope.roles & EDITOR_ROLES:
        return HomeKind.EDITOR
    if scope.roles & {Role.LEADER, Role.AUDITOR}:
        return HomeKind.READ_ONLY
    return HomeKind.NONE


def can_read_only(user) -> bool:
    """True for users who may look but never change (leaders, auditors)."""
    kind = home_kind(user)
    return kind in (HomeKind.READ_ONLY, HomeKind.NONE)


def _own_unit_ids(user):
    """Subquery: ids of the units where the user holds an editor role, and below."""
    return unit_ids_below(get_user_scope(user).unit_paths(EDITOR_ROLES))


# --- A unit editor's home -----------------------------------------------------------


def my_projects(user) -> QuerySet[Project]:
    """Projects whose lead unit, a co-organizing unit or an assignee is one of
    the user's units (or below them)."""
    units = _own_unit_ids(user)
    return (
        Project.objects.restrict(user, VIEW)
        .filter(
            Q(lead_unit__in=units)
            | Q(pk__in=ProjectCoUnit.objects.filter(unit__in=units).values("project"))
            | Q(pk__in=Assignment.objects.filter(assignee_unit__in=units).values("project"))
        )
        .select_related("lead_unit")
        .order_by("-year", "number")
    )


def my_assignments(user) -> QuerySet[Assignment]:
    """Assignments (任务分解) given to the user's units."""
    return (
        Assignment.objects.restrict(user, VIEW)
        .filter(assignee_unit__in=_own_unit_ids(user))
        .select_related("project", "assignee_unit", "section")
        .order_by(Case(When(status=AssignmentStatus.OPEN, then=0), default=1), "deadline", "pk")
    )


def due_soon_days() -> int:
    """The "due soon" window of the home lists: the warning rule's own
    (settings.WARNING_DUE_SOON_DAYS), so a due-soon item is also yellow."""
    return settings.WARNING_DUE_SOON_DAYS


@dataclass(frozen=True)
class DueItem:
    """A target or an assignment with its due date, for the due/overdue lists."""

    kind: str  # "target" | "assignment"
    label: str
    project: Project
    due_date: datetime.date
    overdue: bool
    light: Light | None = None  # an assignment's warning light
    attainment: Decimal | None = None  # a target's verified attainment (%)


def due_items(user, *, today: datetime.date | None = None, days: int | None = None):
    """Targets not yet attained (verified quantity below the target value, as
    for the project's light) of projects still established or in
    implementation, and open assignments of the user's units, that are overdue
    or due within `days` (default: the warning rule's window). Assignments
    carry their warning light, targets their attainment.
    Returns (items, total): the first HOME_LIST_LIMIT by date, and the count."""
    today = today or timezone.localdate()
    days = due_soon_days() if days is None else days
    horizon = today + datetime.timedelta(days=days)
    projects = my_projects(user).filter(stage__in=OPEN_STAGES).values("pk")
    targets = (
        selectors.annotate_target_attainment(
            Target.objects.restrict(user, VIEW).filter(project__in=projects, due_date__lte=horizon)
        )
        .filter(verified_quantity__lt=F("target_value"))
        .select_related("project")
        .order_by("due_date", "pk")
    )
    assignments = my_assignments(user).filter(status=AssignmentStatus.OPEN, deadline__lte=horizon)
    total = targets.count() + assignments.count()
    rows = [
        DueItem(
            "target",
            t.description,
            t.project,
            t.due_date,
            t.due_date < today,
            attainment=t.attainment,
        )
        for t in targets[:HOME_LIST_LIMIT]
    ] + [
        DueItem("assignment", a.content, a.project, a.deadline, a.deadline < today, light=a.light)
        for a in assignments_with_lights(
            assignments.order_by("deadline", "pk"), today=today, limit=HOME_LIST_LIMIT
        )
    ]
    rows.sort(key=lambda item: (item.due_date, item.kind))
    return rows[:HOME_LIST_LIMIT], total


# --- Progress and lights for a page of rows -------------------------------------------
# Thin wrappers over projects.selectors: the annotations ride on the rows' own
# query, the project lights cost one more query (milestones), the assignment
# lights none (their project comes with select_related).


def projects_with_lights(
    queryset: QuerySet[Project], *, today: datetime.date, limit: int | None = None
) -> list[Project]:
    """The projects of `queryset` (the first `limit` of them) with `progress`,
    `attainment`, `next_due`, `planned_progress` and `light`."""
    queryset = selectors.annotate_project_progress(queryset)
    if limit is not None:
        queryset = queryset[:limit]
    return selectors.attach_project_lights(queryset, today=today)


def assignments_with_lights(
    queryset: QuerySet[Assignment], *, today: datetime.date, limit: int | None = None
) -> list[Assignment]:
    """The assignments of `queryset` (the first `limit`) with `progress`,
    `planned_progress` and `light`; `queryset` must select its project."""
    queryset = selectors.annotate_assignment_progress(queryset)
    if limit is not None:
        queryset = queryset[:limit]
    return selectors.attach_assignment_lights(queryset, today=today)


def project_ids_overdue(queryset: QuerySet[Project], *, today: datetime.date) -> list[int]:
    """Ids of the projects of `queryset` that are overdue: red because their
    due date has passed unfinished, not merely behind plan (two queries)."""
    rows = selectors.projects_with_lights(queryset.order_by(), today=today)
    return [p.pk for p in rows if p.light.color == LightColor.RED and p.light_due_date < today]


def returned_ledger_entries(user) -> QuerySet[LedgerEntry]:
    """Ledger entries returned for correction that the user may correct."""
    return (
        LedgerEntry.objects.restrict(user, CHANGE)
        .filter(status=LedgerStatus.RETURNED)
        .select_related("project", "unit")
        .order_by("-reviewed_at", "-entry_date", "-pk")
    )


# --- The commission officer's home -------------------------------------------------


def ledger_entries_awaiting_verification(user) -> QuerySet[LedgerEntry]:
    """Submitted ledger entries (待核实) across all units the user sees."""
    return (
        LedgerEntry.objects.restrict(user, VIEW)
        .filter(status=LedgerStatus.SUBMITTED)
        .select_related("project", "unit")
        .order_by("entry_date", "pk")
    )


# --- The read-only overview -----------------------------------------------------------


def project_overview(user) -> dict:
    """Projects the user sees, counted by year and by stage (two queries)."""
    visible = Project.objects.restrict(user, VIEW)
    by_year = list(visible.order_by().values("year").annotate(n=Count("pk")).order_by("-year"))
    stage_counts = dict(visible.order_by().values_list("stage").annotate(n=Count("pk")))
    by_stage = [
        {"stage": value, "label": label, "n": stage_counts.get(value, 0)}
        for value, label in ProjectStage.choices
    ]
    return {"by_year": by_year, "by_stage": by_stage, "total": sum(r["n"] for r in by_year)}


# --- The project registry -------------------------------------------------------------


def project_list(user) -> QuerySet[Project]:
    """The registry's base queryset: visible projects with what a row shows."""
    return Project.objects.restrict(user, VIEW).select_related("lead_unit")


def project_years(user) -> list[int]:
    """Years that have a visible project, newest first (one query)."""
    return list(
        Project.objects.restrict(user, VIEW)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


def lead_units(user) -> QuerySet[Unit]:
    """Units leading at least one visible project (the lead-unit filter's choices)."""
    return Unit.objects.filter(
        pk__in=Project.objects.restrict(user, VIEW).order_by().values("lead_unit")
    ).order_by("path")


# --- The project page -------------------------------------------------------------------


@dataclass
class ProjectPage:
    project: Project
    targets: list[Target]
    assignments: list[Assignment]
    milestones: list[Milestone]
    ledger_entries: list[LedgerEntry]
    events: list[dict] = field(default_factory=list)
    # A co-organizer or assignee may see the project but not its lead unit:
    # the page links to the lead unit's wall chart only when it would open.
    lead_unit_visible: bool = False


def project_detail(user, code) -> Project | None:
    """The project with this UUID if the user may see it, else None; with its
    derived `progress`, `attainment` and `next_due` (same query)."""
    return (
        selectors.annotate_project_progress(Project.objects.restrict(user, VIEW))
        .select_related(
            "lead_unit", "tier", "program", "brand_model", "plan_task", "responsible_official"
        )
        .prefetch_related("mechanisms", "co_units")
        .filter(code=code)
        .first()
    )


def project_page(user, project: Project, *, today: datetime.date | None = None) -> ProjectPage:
    """Everything the project page shows, each relation scoped for the user:
    the project's light (and progress if `project` does not carry it yet),
    each target's attainment, each assignment's progress and light."""
    today = today or timezone.localdate()
    if hasattr(project, "progress"):
        selectors.attach_project_lights([project], today=today)
    else:
        [lit] = selectors.projects_with_lights(Project.objects.filter(pk=project.pk), today=today)
        for name in (
            "progress",
            "attainment",
            "next_due",
            "planned_progress",
            "light_due_date",
            "light",
        ):
            setattr(project, name, getattr(lit, name))
    targets = list(
        selectors.annotate_target_attainment(
            Target.objects.restrict(user, VIEW).filter(project=project)
        )
    )
    shares = AssignmentShare.objects.restrict(user, VIEW).select_related("target")
    assignments = list(
        selectors.annotate_assignment_progress(
            Assignment.objects.restrict(user, VIEW)
            .filter(project=project)
            .select_related("assignee_unit", "section", "responsible_official")
            .prefetch_related(Prefetch("shares", queryset=shares))
        )
    )
    for assignment in assignments:
        assignment.project = project  # the lights read its start date: no query
    selectors.attach_assignment_lights(assignments, today=today)
    milestones = list(Milestone.objects.restrict(user, VIEW).filter(project=project))
    evidence = Evidence.objects.restrict(user, VIEW).order_by("pk")
    entries = list(
        LedgerEntry.objects.restrict(user, VIEW)
        .filter(project=project)
        .select_related("unit", "assignment", "author", "reviewer")
        .prefetch_related(Prefetch("evidence", queryset=evidence))
    )
    return ProjectPage(
        project=project,
        targets=targets,
        assignments=assignments,
        milestones=milestones,
        ledger_entries=entries,
        events=project_events(user, project, assignments, entries),
        lead_unit_visible=unit_for_wall(user, project.lead_unit_id) is not None,
    )


def project_events(user, project, assignments, entries) -> list[dict]:
    """History of a project, newest first: status transitions of the project,
    its assignments and ledger entries the user may see, and the audit rows of
    the project itself (commission and auditors only)."""
    objects = [(project, [project.pk])]
    if assignments:
        objects.append((assignments[0], [a.pk for a in assignments]))
    if entries:
        objects.append((entries[0], [e.pk for e in entries]))
    wanted = Q(pk__in=[])
    for sample, pks in objects:
        content_type = ContentType.objects.get_for_model(sample, for_concrete_model=False)
        wanted |= Q(content_type=content_type, object_id__in=[str(pk) for pk in pks])
    transitions = transitions_visible_to(
        user, Transition.objects.filter(wanted).select_related("actor", "content_type")
    )
    audit_rows = history(project).restrict(user, VIEW).select_related("actor")
    labels = {}
    for value, label in chain(ProjectStage.choices, LedgerStatus.choices, AssignmentStatus.choices):
        labels.setdefault(value, label)
    events = [
        {
            "at": t.created_at,
            "kind": "transition",
            "object": t.content_type.model_class()._meta.verbose_name,
            "actor": t.actor.get_username() if t.actor else "",
            "summary": f"{labels.get(t.from_state, t.from_state or '—')} → "
            f"{labels.get(t.to_state, t.to_state)}",
            "reason": t.reason,
        }
        for t in transitions
    ] + [
        {
            "at": row.created_at,
            "kind": "audit",
            "object": row.object_repr,
            "actor": row.actor_name,
            "summary": row.get_action_display(),
            "fields": row.changed_fields,
            "reason": row.reason,
        }
        for row in audit_rows
    ]
    events.sort(key=lambda e: e["at"], reverse=True)
    return events


def audit_visible(user) -> bool:
    """Whether the user may read audit rows at all (commission, auditor)."""
    scope = get_user_scope(user)
    return scope.is_superuser or bool(scope.roles & set(AuditLog.scope_view_roles))


# --- The unit wall chart ---------------------------------------------------------------


def unit_for_wall(user, pk) -> Unit | None:
    return Unit.objects.restrict(user, VIEW).filter(pk=pk).first()


def unit_wall_projects(
    user, unit: Unit, year: int, *, today: datetime.date | None = None
) -> list[Project]:
    """The unit's projects of one year (as lead, co-organizer or assignee), with
    their milestones, the unit's assignments, progress and light, in four
    queries."""
    assigned = Assignment.objects.filter(assignee_unit=unit).values("project")
    co_led = ProjectCoUnit.objects.filter(unit=unit).values("project")
    projects = (
        selectors.annotate_project_progress(Project.objects.restrict(user, VIEW))
        .filter(year=year)
        .filter(Q(lead_unit=unit) | Q(pk__in=co_led) | Q(pk__in=assigned))
        .select_related("lead_unit")
        .prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.restrict(user, VIEW)),
            Prefetch(
                "assignments",
                queryset=Assignment.objects.restrict(user, VIEW).filter(assignee_unit=unit),
            ),
        )
        .order_by("number")
    )
    return selectors.attach_project_lights(projects, today=today or timezone.localdate())


def unit_years(user, unit: Unit) -> list[int]:
    """Years in which the unit has a visible project (one query)."""
    assigned = Assignment.objects.filter(assignee_unit=unit).values("project")
    co_led = ProjectCoUnit.objects.filter(unit=unit).values("project")
    return list(
        Project.objects.restrict(user, VIEW)
        .filter(Q(lead_unit=unit) | Q(pk__in=co_led) | Q(pk__in=assigned))
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )

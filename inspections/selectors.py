"""Reads for the inspections app. Each function scopes first (`restrict`),
then counts with one aggregate query."""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from accountability.models import Unit
from inspections.choices import (
    OPEN_REMINDER_STATES,
    ActionItemStatus,
    FindingStatus,
    InspectionKind,
    InterviewStatus,
    LetterReason,
    LetterStatus,
    NoticeStatus,
)
from inspections.models import (
    Finding,
    Inspection,
    InspectionPlan,
    Interview,
    JointMeeting,
    LetterReply,
    MeetingActionItem,
    NoticeUnit,
    Rectification,
    SupervisionLetter,
    SupervisionReminder,
)
from pingxiang_cf.models import Transition
from pingxiang_cf.scope import VIEW
from projects.choices import AssignmentStatus, ProjectStage
from projects.models import Assignment, Project
from projects.selectors import assignments_with_lights, projects_with_lights
from projects.services import LightColor


def inspection_counts(user) -> dict:
    """Inspections over units the user can see, by kind."""
    return Inspection.objects.restrict(user).aggregate(
        routine=Count("pk", filter=Q(kind=InspectionKind.ROUTINE)),
        concentrated=Count("pk", filter=Q(kind=InspectionKind.CONCENTRATED)),
        special=Count("pk", filter=Q(kind=InspectionKind.SPECIAL)),
    )


def criticised_unit_count(user) -> int:
    """Distinct units (that the user can see) named critically in a published notice."""
    return (
        NoticeUnit.objects.restrict(user)
        .filter(is_criticism=True, notice__status=NoticeStatus.PUBLISHED)
        .aggregate(units=Count("unit", distinct=True))["units"]
    )


# --- Escalation ladder, inspections, findings, meetings (h4b) -------------------------------


def _lagging(light) -> bool:
    return light.color == LightColor.RED


def lagging_subjects(today: datetime.date) -> list[dict]:
    """What is behind schedule on `today`: red projects still being
    established or implemented, red open assignments, findings past their
    deadline and not verified."""
    specs = []
    projects = Project.objects.filter(
        stage__in=(ProjectStage.ESTABLISH, ProjectStage.IMPLEMENT), start_date__lte=today
    ).select_related("lead_unit")
    for project in projects_with_lights(projects, today=today):
        if _lagging(project.light):
            specs.append(
                {
                    "unit": project.lead_unit,
                    "reason": LetterReason.LAGGING_PROJECT,
                    "project": project,
                    "detail": _("项目「%(name)s」:%(reason)s")
                    % {"name": project.name, "reason": project.light.reason},
                    "due_date": project.light_due_date,
                }
            )
    assignments = Assignment.objects.filter(
        status=AssignmentStatus.OPEN,
        project__stage__in=(ProjectStage.ESTABLISH, ProjectStage.IMPLEMENT),
        project__start_date__lte=today,
    ).select_related("assignee_unit", "section")
    for assignment in assignments_with_lights(assignments, today=today):
        if _lagging(assignment.light):
            specs.append(
                {
                    "unit": assignment.assignee_unit,
                    "reason": LetterReason.LAGGING_PROJECT,
                    "project": assignment.project,
                    "assignment": assignment,
                    "detail": _("项目「%(name)s」分解任务「%(content)s」:%(reason)s")
                    % {
                        "name": assignment.project.name,
                        "content": assignment.content[:40],
                        "reason": assignment.light.reason,
                    },
                    "due_date": assignment.deadline,
                }
            )
    findings = (
        Finding.objects.filter(deadline__lt=today)
        .exclude(status=FindingStatus.VERIFIED)
        .select_related("unit", "project")
    )
    for finding in findings:
        specs.append(
            {
                "unit": finding.unit,
                "reason": LetterReason.OVERDUE_RECTIFICATION,
                "project": finding.project,
                "finding": finding,
                "detail": _("督查发现的问题「%(text)s」已超过整改时限(%(due)s),尚未整改销号。")
                % {"text": finding.description[:60], "due": finding.deadline.isoformat()},
                "due_date": finding.deadline,
            }
        )
    return specs


def suggested_units(user, *, today: datetime.date, limit: int = 30) -> list:
    """Units to inspect first, as the plan form suggests them: the units the
    user can see with the most lagging projects and assignments and overdue
    findings as of `today`, most first; each with `lagging` (how many) and
    `lagging_detail` (the first reasons)."""
    visible = set(Unit.objects.restrict(user, VIEW).values_list("pk", flat=True))
    counts: Counter = Counter()
    details: dict[int, list[str]] = {}
    units: dict[int, Unit] = {}
    for spec in lagging_subjects(today):
        unit = spec["unit"]
        if unit.pk not in visible:
            continue
        counts[unit.pk] += 1
        units[unit.pk] = unit
        details.setdefault(unit.pk, []).append(spec["detail"])
    ranked = sorted(counts, key=lambda pk: (-counts[pk], units[pk].path))[:limit]
    result = []
    for pk in ranked:
        unit = units[pk]
        unit.lagging = counts[pk]
        unit.lagging_detail = details[pk][:3]
        result.append(unit)
    return result


# Lists: each restricted first, with what its rows show loaded in the same query.


def reminder_list(user):
    return SupervisionReminder.objects.restrict(user, VIEW).select_related(
        "unit", "project", "assignment", "finding", "letter"
    )


def letter_list(user):
    return SupervisionLetter.objects.restrict(user, VIEW).select_related("unit", "project")


def inspection_list(user):
    return (
        Inspection.objects.restrict(user, VIEW)
        .select_related("plan", "cycle")
        .annotate(
            unit_count=Count("units", distinct=True),
            finding_count=Count("findings", distinct=True),
        )
    )


def finding_list(user):
    return Finding.objects.restrict(user, VIEW).select_related("unit", "project", "inspection")


def plan_list(user):
    return InspectionPlan.objects.restrict(user, VIEW).annotate(
        unit_count=Count("units", distinct=True),
        inspection_count=Count("inspections", distinct=True),
    )


def meeting_list(user):
    return (
        JointMeeting.objects.restrict(user, VIEW)
        .select_related("host_unit")
        .annotate(
            unit_count=Count("units", distinct=True),
            item_count=Count("action_items", distinct=True),
            open_item_count=Count(
                "action_items",
                filter=Q(action_items__status=ActionItemStatus.OPEN),
                distinct=True,
            ),
        )
    )


def action_item_list(user):
    return MeetingActionItem.objects.restrict(user, VIEW).select_related("meeting", "owner_unit")


# Detail pages.


def visible(queryset, user, **lookup):
    """The object matching `lookup` if the user may see it, else None."""
    return queryset.restrict(user, VIEW).filter(**lookup).first()


def history_of(user, obj) -> list:
    """Status transitions of one object, newest first. Transitions are
    readable like the object they belong to, and the pages call this only
    for an object they fetched through `restrict(user, "view")`; `user` is
    checked again here only for being able to view the object."""
    if not type(obj).objects.restrict(user, VIEW).filter(pk=obj.pk).exists():
        return []
    rows = list(_transitions(obj).select_related("actor").order_by("-created_at", "-pk"))
    for row in rows:
        try:
            labels = dict(type(obj)._meta.get_field(row.field).choices or ())
        except Exception:  # noqa: BLE001 - a field renamed since: show the codes
            labels = {}
        row.from_label = labels.get(row.from_state, row.from_state)
        row.to_label = labels.get(row.to_state, row.to_state)
    return rows


def _transitions(obj):
    return Transition.objects.filter(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
    )


@dataclass
class LetterPage:
    letter: SupervisionLetter
    replies: list = field(default_factory=list)
    interview: Interview | None = None
    reminders: list = field(default_factory=list)
    history: list = field(default_factory=list)


def letter_page(user, letter: SupervisionLetter) -> LetterPage:
    return LetterPage(
        letter=letter,
        replies=list(letter.replies.select_related("submitted_by", "reviewed_by")),
        interview=Interview.objects.filter(letter=letter).first(),
        reminders=list(letter.reminders.all()),
        history=history_of(user, letter),
    )


@dataclass
class UnitSupervision:
    """Everything the ladder holds about one unit, for its supervision page."""

    unit: Unit
    reminders: list
    letters: list
    interviews: list
    findings: list
    action_items: list
    counts: dict


def unit_supervision(user, unit: Unit) -> UnitSupervision:
    """The unit's reminders, letters, interviews, findings and meeting items
    (what the user can see), open ones first; one query per kind."""
    reminders = list(
        reminder_list(user)
        .filter(unit=unit)
        .order_by(
            "-proposed_on",
            "-pk",
        )[:50]
    )
    letters = list(letter_list(user).filter(unit=unit).order_by("-issued_on", "-pk")[:50])
    interviews = list(
        Interview.objects.restrict(user, VIEW)
        .filter(unit=unit)
        .select_related("letter")
        .order_by("-deadline")[:50]
    )
    findings = list(finding_list(user).filter(unit=unit).order_by("-deadline", "-pk")[:50])
    items = list(action_item_list(user).filter(owner_unit=unit).order_by("-due_on", "-pk")[:50])
    counts = {
        "open_reminders": sum(r.status in OPEN_REMINDER_STATES for r in reminders),
        "open_letters": sum(
            x.status not in (LetterStatus.CLOSED, LetterStatus.DRAFT) for x in letters
        ),
        "scheduled_interviews": sum(i.status == InterviewStatus.SCHEDULED for i in interviews),
        "open_findings": sum(x.status != FindingStatus.VERIFIED for x in findings),
        "open_items": sum(x.status == ActionItemStatus.OPEN for x in items),
    }
    return UnitSupervision(unit, reminders, letters, interviews, findings, items, counts)


def finding_rectifications(finding):
    return finding.rectifications.select_related("submitted_by", "reviewed_by").order_by(
        "submitted_on", "pk"
    )


def inspection_findings(inspection):
    return inspection.findings.select_related("unit", "project").order_by("unit__path", "pk")


def meeting_items(meeting):
    return meeting.action_items.select_related("owner_unit").order_by("due_on", "pk")


def reply_for_download(user, pk):
    return visible(LetterReply.objects.select_related("letter"), user, pk=pk)


def rectification_for_download(user, pk):
    return visible(Rectification.objects.select_related("finding"), user, pk=pk)


def letter_document(letter: SupervisionLetter) -> dict:
    """What the letter's PDF shows: number, title, addressee, the numbered
    items (one paragraph a line), the deadline, the issuing office and date."""
    from inspections.services.letters import ISSUING_OFFICE

    return {
        "letter": letter,
        "office": ISSUING_OFFICE,
        "paragraphs": [line.strip() for line in letter.items.splitlines() if line.strip()],
    }

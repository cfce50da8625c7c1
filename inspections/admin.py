"""Admin of the inspections app: supervision cycles, notices, inspections with
their findings and rectifications, supervision letters and joint meetings."""

from django.contrib import admin

from inspections import models as m
from pingxiang_cf.admin import ScopedModelAdmin, ScopedStackedInline, ScopedTabularInline, excerpt

# --- Inlines -----------------------------------------------------------------------


class NoticeUnitInline(ScopedTabularInline):
    model = m.NoticeUnit
    fields = ("unit", "is_criticism", "reason")
    select_related = ("unit", "notice")


class FindingInline(ScopedStackedInline):
    model = m.Finding
    fields = (
        ("unit", "project"),
        "description",
        "required_rectification",
        ("severity", "deadline", "status", "closed_on"),
    )
    select_related = ("unit",)


class RectificationInline(ScopedStackedInline):
    model = m.Rectification
    fields = (
        "description",
        "evidence",
        ("submitted_by", "submitted_on"),
        ("accepted", "review_comment"),
    )
    select_related = ("finding__unit",)


class LetterReplyInline(ScopedStackedInline):
    model = m.LetterReply
    fields = (
        "content",
        ("evidence", "evidence_name"),
        ("submitted_by", "submitted_on"),
        ("accepted", "review_comment", "reviewed_on"),
    )
    select_related = ("letter__unit",)


# --- Cycles and notices ---------------------------------------------------------------


@admin.register(m.SupervisionCycle)
class SupervisionCycleAdmin(ScopedModelAdmin):
    list_display = ("period", "kind", "period_start", "period_end", "status")
    list_filter = ("kind", "status")
    search_fields = ("period",)
    date_hierarchy = "period_start"
    readonly_fields = ("snapshot",)  # figures frozen by the cycle's close, not typed in


@admin.register(m.Notice)
class NoticeAdmin(ScopedModelAdmin):
    list_display = ("number", "title", "kind", "cycle", "issuing_office", "issued_on", "status")
    list_filter = ("kind", "status", "issued_on")
    search_fields = ("number", "title", "body")
    list_select_related = ("cycle",)
    readonly_fields = ("code",)
    inlines = (NoticeUnitInline,)


@admin.register(m.NoticeUnit)
class NoticeUnitAdmin(ScopedModelAdmin):
    list_display = ("unit", "notice", "is_criticism", excerpt(m.NoticeUnit, "reason"))
    list_filter = ("is_criticism", "notice__kind")
    search_fields = ("unit__name", "notice__number", "notice__title", "reason")
    list_select_related = ("unit", "notice")


# --- Inspections, findings, rectifications ---------------------------------------------------


@admin.register(m.Inspection)
class InspectionAdmin(ScopedModelAdmin):
    list_display = ("title", "kind", "cycle", "started_on", "ended_on", "team_leader")
    list_filter = ("kind", "started_on")
    search_fields = ("title", "team_leader", "team", "summary")
    list_select_related = ("cycle",)
    date_hierarchy = "started_on"
    inlines = (FindingInline,)


@admin.register(m.Finding)
class FindingAdmin(ScopedModelAdmin):
    list_display = (
        excerpt(m.Finding, "description"),
        "unit",
        "inspection",
        "project",
        "severity",
        "deadline",
        "status",
        "closed_on",
    )
    list_filter = ("status", "severity", "inspection__kind")
    search_fields = ("description", "unit__name", "inspection__title", "project__name")
    list_select_related = ("unit", "inspection", "project")
    inlines = (RectificationInline,)


@admin.register(m.Rectification)
class RectificationAdmin(ScopedModelAdmin):
    list_display = ("finding", "submitted_on", "submitted_by", "accepted")
    list_filter = ("accepted", "submitted_on")
    search_fields = ("description", "review_comment", "finding__unit__name")
    list_select_related = ("finding__unit", "submitted_by")


# --- Supervision letters and joint meetings -----------------------------------------------


@admin.register(m.SupervisionLetter)
class SupervisionLetterAdmin(ScopedModelAdmin):
    list_display = (
        "number",
        "title",
        "unit",
        "project",
        "reason",
        "issued_on",
        "reply_deadline",
        "status",
        "replied_on",
    )
    list_filter = ("status", "reason", "issued_on")
    search_fields = ("number", "title", "items", "unit__name", "project__name")
    list_select_related = ("unit", "project")
    readonly_fields = ("code",)
    inlines = (LetterReplyInline,)


@admin.register(m.JointMeeting)
class JointMeetingAdmin(ScopedModelAdmin):
    list_display = ("title", "held_on", "host_unit")
    list_filter = ("held_on",)
    search_fields = ("title", "minutes", "decisions", "host_unit__name")
    list_select_related = ("host_unit",)
    date_hierarchy = "held_on"


# --- Escalation ladder, inspection plans, meeting action items (h4b) ------------------------


@admin.register(m.SupervisionReminder)
class SupervisionReminderAdmin(ScopedModelAdmin):
    list_display = ("unit", "reason", "subject_key", "due_date", "proposed_on", "status")
    list_filter = ("status", "reason", "proposed_on")
    search_fields = ("unit__name", "detail", "subject_key", "project__name")
    list_select_related = ("unit",)


@admin.register(m.LetterReply)
class LetterReplyAdmin(ScopedModelAdmin):
    list_display = ("letter", "submitted_on", "submitted_by", "accepted", "reviewed_on")
    list_filter = ("accepted", "submitted_on")
    search_fields = ("content", "review_comment", "letter__number", "letter__unit__name")
    list_select_related = ("letter", "submitted_by")


@admin.register(m.Interview)
class InterviewAdmin(ScopedModelAdmin):
    list_display = ("letter", "unit", "deadline", "held_on", "status")
    list_filter = ("status", "held_on")
    search_fields = ("letter__number", "unit__name", "interviewers", "interviewees", "minutes")
    list_select_related = ("letter", "unit")


@admin.register(m.LetterNumberCounter)
class LetterNumberCounterAdmin(ScopedModelAdmin):
    list_display = ("year", "last")
    search_fields = ("year",)
    small_table = True


@admin.register(m.InspectionPlan)
class InspectionPlanAdmin(ScopedModelAdmin):
    list_display = ("title", "year", "quarter", "status")
    list_filter = ("status", "year")
    search_fields = ("title", "note")


@admin.register(m.MeetingActionItem)
class MeetingActionItemAdmin(ScopedModelAdmin):
    list_display = (
        excerpt(m.MeetingActionItem, "description"),
        "owner_unit",
        "meeting",
        "due_on",
        "status",
    )
    list_filter = ("status", "due_on")
    search_fields = ("description", "owner_unit__name", "meeting__title", "done_note")
    list_select_related = ("owner_unit", "meeting")

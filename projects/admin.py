"""Admin of the projects app: the framework (reference data), the plan and its
tasks, projects with their targets, splits and milestones, and the ledger."""

from django.contrib import admin

from pingxiang_cf.admin import ScopedModelAdmin, ScopedTabularInline, excerpt
from projects import models as m

# --- Inlines -----------------------------------------------------------------------


class ProjectCoUnitInline(ScopedTabularInline):
    model = m.ProjectCoUnit
    fields = ("unit",)
    select_related = ("unit",)


class TargetInline(ScopedTabularInline):
    model = m.Target
    fields = ("description", "target_value", "measure_unit", "due_date", "sort_order")


class AssignmentInline(ScopedTabularInline):
    model = m.Assignment
    fields = (
        "kind",
        "assignee_unit",
        "section",
        "content",
        "responsible_official",
        "responsible_person",
        "deadline",
        "status",
    )
    select_related = ("assignee_unit", "section__unit")


class MilestoneInline(ScopedTabularInline):
    model = m.Milestone
    fields = ("name", "stage", "planned_date", "planned_progress", "actual_date")


class AssignmentShareInline(ScopedTabularInline):
    model = m.AssignmentShare
    fields = ("target", "share_percent")
    select_related = ("target",)


class LedgerQuantityInline(ScopedTabularInline):
    model = m.LedgerQuantity
    fields = ("target", "quantity")
    select_related = ("target",)


class EvidenceInline(ScopedTabularInline):
    model = m.Evidence
    fields = ("file", "original_name", "content_type", "size", "uploaded_by")


# --- The framework: reference data, small tables ---------------------------------------------


@admin.register(m.Framework)
class FrameworkAdmin(ScopedModelAdmin):
    small_table = True
    list_display = ("name", "code", "main_line")
    search_fields = ("name", "code", "main_line")


class FrameworkElementAdmin(ScopedModelAdmin):
    """Tiers, programs and mechanisms share one shape."""

    small_table = True
    list_display = ("name", "code", "framework", "sort_order")
    list_filter = ("framework",)
    search_fields = ("name", "code", "description")
    list_select_related = ("framework",)


@admin.register(m.Tier)
class TierAdmin(FrameworkElementAdmin):
    pass


@admin.register(m.Program)
class ProgramAdmin(FrameworkElementAdmin):
    pass


@admin.register(m.Mechanism)
class MechanismAdmin(FrameworkElementAdmin):
    list_display = ("name", "code", "goal", "framework", "sort_order")
    search_fields = (*FrameworkElementAdmin.search_fields, "goal")


@admin.register(m.BrandModel)
class BrandModelAdmin(ScopedModelAdmin):
    small_table = True
    list_display = ("name", "unit", "program")
    list_filter = ("program",)
    search_fields = ("name", "description", "unit__name")
    list_select_related = ("unit", "program")


# --- The plan ---------------------------------------------------------------------------------


@admin.register(m.Plan)
class PlanAdmin(ScopedModelAdmin):
    small_table = True
    list_display = (
        "title",
        "document_number",
        "issuer",
        "issued_on",
        "period_start",
        "period_end",
        "framework",
    )
    list_filter = ("framework",)
    search_fields = ("title", "document_number", "issuer")
    list_select_related = ("framework",)


@admin.register(m.PlanTask)
class PlanTaskAdmin(ScopedModelAdmin):
    list_display = (
        "number",
        excerpt(m.PlanTask, "content"),
        "lead_unit",
        "mechanism",
        "program",
        "deadline",
        "status",
        "completed_on",
    )
    list_filter = ("status", "plan", "mechanism", "program")
    search_fields = ("number", "content", "lead_unit__name")
    list_select_related = ("lead_unit", "mechanism", "program")


# --- Projects ---------------------------------------------------------------------------------


@admin.register(m.Project)
class ProjectAdmin(ScopedModelAdmin):
    list_display = (
        "number",
        "name",
        "year",
        "category",
        "lead_unit",
        "program",
        "tier",
        "stage",
        "start_date",
        "end_date",
    )
    list_filter = ("year", "category", "stage", "program", "tier", "mechanisms")
    search_fields = ("number", "name", "description", "lead_unit__name")
    list_select_related = ("lead_unit", "program", "tier")
    readonly_fields = ("code",)
    filter_horizontal = ("mechanisms",)
    inlines = (ProjectCoUnitInline, TargetInline, AssignmentInline, MilestoneInline)


@admin.register(m.ProjectCoUnit)
class ProjectCoUnitAdmin(ScopedModelAdmin):
    list_display = ("project", "unit")
    search_fields = ("project__name", "project__number", "unit__name")
    list_filter = ("project__year",)
    list_select_related = ("project", "unit")


@admin.register(m.Target)
class TargetAdmin(ScopedModelAdmin):
    list_display = ("description", "project", "target_value", "measure_unit", "due_date")
    list_filter = ("project__year",)
    search_fields = ("description", "project__name", "project__number")
    list_select_related = ("project",)


@admin.register(m.Assignment)
class AssignmentAdmin(ScopedModelAdmin):
    list_display = (
        "project",
        "kind",
        "assignee_unit",
        "section",
        excerpt(m.Assignment, "content"),
        "responsible_person",
        "deadline",
        "status",
    )
    list_filter = ("kind", "status", "project__year")
    search_fields = ("content", "responsible_person", "project__name", "assignee_unit__name")
    list_select_related = ("project", "assignee_unit", "section__unit")
    inlines = (AssignmentShareInline,)


@admin.register(m.AssignmentShare)
class AssignmentShareAdmin(ScopedModelAdmin):
    list_display = ("assignment", "target", "share_percent")
    search_fields = ("target__description", "assignment__project__name")
    list_select_related = ("assignment__assignee_unit", "assignment__section__unit", "target")


@admin.register(m.Milestone)
class MilestoneAdmin(ScopedModelAdmin):
    list_display = ("name", "project", "stage", "planned_date", "planned_progress", "actual_date")
    list_filter = ("stage", "project__year")
    search_fields = ("name", "project__name", "project__number")
    list_select_related = ("project",)


# --- The ledger ----------------------------------------------------------------------------


@admin.register(m.LedgerEntry)
class LedgerEntryAdmin(ScopedModelAdmin):
    list_display = (
        "entry_date",
        "project",
        "unit",
        excerpt(m.LedgerEntry, "content"),
        "progress_percent",
        "status",
        "author",
        "reviewer",
    )
    list_filter = ("status", "project__year")
    search_fields = ("content", "project__name", "project__number", "unit__name")
    list_select_related = ("project", "unit", "author", "reviewer")
    date_hierarchy = "entry_date"
    readonly_fields = ("code",)
    inlines = (LedgerQuantityInline, EvidenceInline)


@admin.register(m.LedgerQuantity)
class LedgerQuantityAdmin(ScopedModelAdmin):
    list_display = ("entry", "target", "quantity")
    search_fields = ("target__description", "entry__content", "entry__project__name")
    list_select_related = ("entry", "target")


@admin.register(m.Evidence)
class EvidenceAdmin(ScopedModelAdmin):
    list_display = ("original_name", "entry", "content_type", "size", "uploaded_by", "created_at")
    list_filter = ("content_type",)
    search_fields = ("original_name", "entry__content", "entry__project__name")
    list_select_related = ("entry", "uploaded_by")

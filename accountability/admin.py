"""Admin of the accountability app: the unit tree, people, roles, leading
groups, responsibility letters, risk posts and the outcome register."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accountability import models as m
from accountability.services import can_see_personal_data, unit_create, unit_update
from pingxiang_cf.admin import ScopedModelAdmin, ScopedTabularInline, excerpt
from pingxiang_cf.audit import record_personal_view
from pingxiang_cf.fields import mask_phone

# --- Inlines -----------------------------------------------------------------------


class SectionInline(ScopedTabularInline):
    model = m.Section
    fields = ("name", "sort_order")


class LeadingGroupMemberInline(ScopedTabularInline):
    model = m.LeadingGroupMember
    fields = ("official", "position", "start_on", "end_on")
    select_related = ("official", "group")


class LetterClauseInline(ScopedTabularInline):
    model = m.LetterClause
    fields = ("number", "text", "target", "indicator")


class RiskPowerInline(ScopedTabularInline):
    model = m.RiskPower
    fields = ("name", "basis")


class RiskPointInline(ScopedTabularInline):
    model = m.RiskPoint
    fields = ("description", "category", "likelihood", "impact", "level", "handling")


class RiskControlInline(ScopedTabularInline):
    model = m.RiskControl
    fields = ("measure", "rule_name", "owner")


# --- The unit tree and people ----------------------------------------------------------


@admin.register(m.Unit)
class UnitAdmin(ScopedModelAdmin):
    """Created and changed through the tree services, which keep `path`."""

    create_service = staticmethod(unit_create)
    update_service = staticmethod(unit_update)
    list_display = (
        "name",
        "code",
        "short_name",
        "tier",
        "kind",
        "parent",
        "depth",
        "sort_order",
        "is_active",
    )
    list_filter = ("tier", "kind", "depth", "is_active")
    search_fields = ("name", "short_name", "code")
    list_select_related = ("parent",)
    readonly_fields = ("path", "depth")
    fields = (
        "code",
        "name",
        "short_name",
        "tier",
        "kind",
        "parent",
        "sort_order",
        "is_active",
        "path",
        "depth",
    )
    inlines = (SectionInline,)


@admin.register(m.Section)
class SectionAdmin(ScopedModelAdmin):
    list_display = ("name", "unit", "sort_order")
    list_filter = ("unit__tier",)
    search_fields = ("name", "unit__name", "unit__short_name")
    list_select_related = ("unit",)


@admin.register(m.Official)
class OfficialAdmin(ScopedModelAdmin):
    """Personal details (phone, ID number) are masked in the list; the change
    page shows them only to the commission and the official's own unit
    (audited), others neither see nor edit them."""

    list_display = ("name", "unit", "section", "post", "rank", "phone_shown", "is_active")
    list_filter = ("rank", "is_active", "unit__tier")
    # phone and id_number are encrypted at rest: not searchable in the database.
    search_fields = ("name", "post", "unit__name", "unit__short_name")
    list_select_related = ("unit", "section__unit")

    @admin.display(description=_("联系电话"))
    def phone_shown(self, obj):
        """Lists show the phone masked to everyone; the change page shows it
        in full to those who may see it, and that viewing is audited."""
        return mask_phone(obj.phone)

    def get_exclude(self, request, obj=None):
        excluded = list(super().get_exclude(request, obj) or ())
        if obj is not None and not can_see_personal_data(request.user, obj):
            excluded.extend(("phone", "id_number"))
        return excluded

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The form shows the personal fields in clear: each viewing is audited."""
        response = super().change_view(request, object_id, form_url, extra_context)
        obj = getattr(response, "context_data", {}).get("original")
        shown = obj is not None and can_see_personal_data(request.user, obj)
        if request.method == "GET" and response.status_code == 200 and shown:
            record_personal_view(actor=request.user, obj=obj, fields=("phone", "id_number"))
        return response


@admin.register(m.Membership)
class MembershipAdmin(ScopedModelAdmin):
    list_display = ("user", "unit", "role", "created_at")
    list_filter = ("role",)
    search_fields = ("user__username", "unit__name", "unit__short_name")
    list_select_related = ("user", "unit")


# --- Leading groups and responsibility letters --------------------------------------------


@admin.register(m.LeadingGroup)
class LeadingGroupAdmin(ScopedModelAdmin):
    list_display = (
        "name",
        "unit",
        "established_on",
        "dissolved_on",
        "office_name",
        "document_number",
    )
    list_filter = ("unit__tier", "established_on", "dissolved_on")
    search_fields = ("name", "office_name", "document_number", "unit__name")
    list_select_related = ("unit",)
    inlines = (LeadingGroupMemberInline,)


@admin.register(m.LeadingGroupMember)
class LeadingGroupMemberAdmin(ScopedModelAdmin):
    list_display = ("official", "group", "position", "start_on", "end_on")
    list_filter = ("position",)
    search_fields = ("official__name", "group__name", "group__unit__name")
    list_select_related = ("official", "group")


@admin.register(m.ResponsibilityLetter)
class ResponsibilityLetterAdmin(ScopedModelAdmin):
    list_display = (
        "title",
        "year",
        "level",
        "issuer_unit",
        "recipient_unit",
        "recipient_section",
        "status",
        "signed_on",
    )
    list_filter = ("year", "level", "status")
    search_fields = ("title", "issuer_unit__name", "recipient_unit__name")
    list_select_related = ("issuer_unit", "recipient_unit", "recipient_section__unit")
    readonly_fields = ("code",)
    inlines = (LetterClauseInline,)


@admin.register(m.LetterClause)
class LetterClauseAdmin(ScopedModelAdmin):
    list_display = ("letter", "number", excerpt(m.LetterClause, "text"), "target", "indicator")
    search_fields = ("text", "letter__title")
    list_select_related = ("letter", "target", "indicator")


# --- Integrity risk: posts, powers, risk points, controls ------------------------------------


@admin.register(m.RiskPost)
class RiskPostAdmin(ScopedModelAdmin):
    list_display = ("name", "unit", "section", "year", "oversight_tier")
    list_filter = ("year", "oversight_tier", "unit__tier")
    search_fields = ("name", "duties", "unit__name")
    list_select_related = ("unit", "section__unit")
    inlines = (RiskPowerInline,)


@admin.register(m.RiskPower)
class RiskPowerAdmin(ScopedModelAdmin):
    list_display = ("name", "post", "basis")
    list_filter = ("post__year",)
    search_fields = ("name", "basis", "post__name", "post__unit__name")
    list_select_related = ("post__unit",)
    inlines = (RiskPointInline,)


@admin.register(m.RiskPoint)
class RiskPointAdmin(ScopedModelAdmin):
    list_display = (
        excerpt(m.RiskPoint, "description"),
        "power",
        "category",
        "likelihood",
        "impact",
        "level",
        "handling",
    )
    list_filter = ("level", "category", "handling")
    search_fields = ("description", "power__name", "power__post__unit__name")
    list_select_related = ("power",)
    inlines = (RiskControlInline,)


@admin.register(m.RiskControl)
class RiskControlAdmin(ScopedModelAdmin):
    list_display = (excerpt(m.RiskControl, "measure"), "risk_point", "rule_name", "owner")
    search_fields = ("measure", "rule_name", "owner")
    list_select_related = ("risk_point",)


class RiskProcessStepInline(ScopedTabularInline):
    model = m.RiskProcessStep
    fields = ("number", "name", "post", "risk_points")
    select_related = ("post",)


@admin.register(m.RiskReview)
class RiskReviewAdmin(ScopedModelAdmin):
    """The review's status moves only through the workflow services (the
    risk-map page): here it is read-only."""

    list_display = ("unit", "year", "status", "submitted_on", "approved_on")
    list_filter = ("year", "status")
    search_fields = ("unit__name", "unit__short_name")
    list_select_related = ("unit",)
    readonly_fields = ("status", "submitted_on", "approved_on", "based_on")


@admin.register(m.RiskProcess)
class RiskProcessAdmin(ScopedModelAdmin):
    list_display = ("name", "unit", "year")
    list_filter = ("year",)
    search_fields = ("name", "unit__name")
    list_select_related = ("unit",)
    inlines = (RiskProcessStepInline,)


@admin.register(m.RiskProcessStep)
class RiskProcessStepAdmin(ScopedModelAdmin):
    list_display = ("process", "number", "name", "post")
    search_fields = ("name", "process__name", "process__unit__name")
    list_select_related = ("process", "post")


# --- The outcome register -------------------------------------------------------------------


class OutcomeAdmin(ScopedModelAdmin):
    """Shared shape of commendations and accountability cases."""

    list_filter = ("year", "source", "status")
    search_fields = ("document_number", "unit__name", "official__name")
    list_select_related = ("unit", "official")
    date_hierarchy = "decided_on"
    # The status moves only through the register's workflow services.
    readonly_fields = ("status",)


@admin.register(m.Commendation)
class CommendationAdmin(OutcomeAdmin):
    list_display = ("title", "year", "unit", "official", "source", "decided_on", "document_number")
    search_fields = ("title", *OutcomeAdmin.search_fields)


@admin.register(m.AccountabilityCase)
class AccountabilityCaseAdmin(OutcomeAdmin):
    list_display = (
        "year",
        "unit",
        "official",
        "measure",
        excerpt(m.AccountabilityCase, "reason"),
        "source",
        "decided_on",
    )
    list_filter = ("year", "measure", "source")
    search_fields = ("reason", *OutcomeAdmin.search_fields)

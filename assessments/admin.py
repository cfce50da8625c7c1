"""Admin of the assessments app: schemes with their indicators, unit
assessments with their scores, and the generated score sheets."""

from django.contrib import admin

from assessments import models as m
from pingxiang_cf.admin import ScopedModelAdmin, ScopedTabularInline

# --- Inlines -----------------------------------------------------------------------


class IndicatorInline(ScopedTabularInline):
    model = m.Indicator
    fields = (
        "sort_order",
        "code",
        "category",
        "name",
        "max_points",
        "rule_kind",
        "rule_code",
        "applies_to_tier",
    )


class ScoreInline(ScopedTabularInline):
    model = m.Score
    fields = ("indicator", "points", "max_points", "self_points", "reason", "assessed_by")
    select_related = ("indicator",)


# --- Schemes and indicators -------------------------------------------------------------


@admin.register(m.AssessmentScheme)
class AssessmentSchemeAdmin(ScopedModelAdmin):
    small_table = True  # one per year
    list_display = (
        "year",
        "title",
        "document_number",
        "status",
        "excellent_from",
        "good_from",
        "fair_from",
    )
    list_filter = ("status",)
    search_fields = ("title", "document_number")
    inlines = (IndicatorInline,)


@admin.register(m.Indicator)
class IndicatorAdmin(ScopedModelAdmin):
    list_display = ("code", "name", "scheme", "category", "max_points", "rule_kind")
    list_filter = ("scheme", "rule_kind", "applies_to_tier")
    search_fields = ("code", "name", "category", "criteria")
    list_select_related = ("scheme",)


# --- Unit assessments and their scores ---------------------------------------------------


@admin.register(m.UnitAssessment)
class UnitAssessmentAdmin(ScopedModelAdmin):
    list_display = ("unit", "scheme", "status", "total", "grade", "rank", "published_on")
    list_filter = ("scheme", "status", "grade", "unit__tier")
    search_fields = ("unit__name", "unit__short_name")
    list_select_related = ("unit", "scheme")
    inlines = (ScoreInline,)


@admin.register(m.Score)
class ScoreAdmin(ScopedModelAdmin):
    list_display = (
        "assessment",
        "indicator",
        "points",
        "max_points",
        "self_points",
        "assessed_by",
    )
    list_filter = ("assessment__scheme", "indicator__rule_kind")
    search_fields = ("indicator__name", "indicator__code", "assessment__unit__name")
    list_select_related = (
        "assessment__scheme",
        "assessment__unit",
        "indicator",
        "assessed_by",
    )


@admin.register(m.ScoreSheet)
class ScoreSheetAdmin(ScopedModelAdmin):
    list_display = ("scheme", "assessment", "kind", "file", "generated_at")
    list_filter = ("scheme", "kind")
    search_fields = ("assessment__unit__name",)
    list_select_related = ("scheme", "assessment__scheme", "assessment__unit")


@admin.register(m.Deduction)
class DeductionAdmin(ScopedModelAdmin):
    list_display = ("score", "points", "reason", "evidence", "source")
    list_filter = ("source", "score__assessment__scheme")
    search_fields = ("reason", "evidence", "score__assessment__unit__name")
    list_select_related = (
        "score__indicator",
        "score__assessment__unit",
        "score__assessment__scheme",
    )


@admin.register(m.LeaderReview)
class LeaderReviewAdmin(ScopedModelAdmin):
    list_display = ("assessment", "official", "cadre_grade")
    list_filter = ("assessment__scheme", "cadre_grade")
    search_fields = ("official__name", "assessment__unit__name")
    list_select_related = ("assessment__unit", "assessment__scheme", "official")


@admin.register(m.OutcomeProposal)
class OutcomeProposalAdmin(ScopedModelAdmin):
    list_display = ("scheme", "kind", "unit", "official", "source", "status", "decided_on")
    list_filter = ("scheme", "kind", "status", "source")
    search_fields = ("unit__name", "official__name", "reason", "title")
    list_select_related = ("scheme", "unit", "official")

"""FilterSets of the assessment API lists (the HTML list uses
assessments.filters.UnitAssessmentFilterSet, which the API shares)."""

from django.utils.translation import gettext_lazy as _

from assessments.models import AssessmentScheme, Indicator, OutcomeProposal, Score
from pingxiang_cf.api.filters import BaseFilterSet, ordering_filter


class SchemeFilterSet(BaseFilterSet):
    search_fields = ("title", "document_number")
    o = ordering_filter({"year": _("年度")})
    default_ordering = ("-year",)

    class Meta:
        model = AssessmentScheme
        fields = ("year", "status")


class IndicatorFilterSet(BaseFilterSet):
    search_fields = ("code", "name", "category")
    o = ordering_filter({"sort_order": _("排序"), "code": _("指标编码")})
    default_ordering = ("scheme_id", "sort_order", "code")

    class Meta:
        model = Indicator
        fields = ("scheme", "rule_kind", "category")


class ScoreFilterSet(BaseFilterSet):
    search_fields = ("indicator__code", "indicator__name", "assessment__unit__name")
    o = ordering_filter({"points": _("得分")})
    default_ordering = ("assessment_id", "indicator_id")

    class Meta:
        model = Score
        fields = ("assessment", "indicator", "pending")


class ProposalFilterSet(BaseFilterSet):
    search_fields = ("reason", "title", "unit__name", "official__name")
    o = ordering_filter({"kind": _("类型"), "status": _("状态")})
    default_ordering = ("scheme_id", "kind")

    class Meta:
        model = OutcomeProposal
        fields = ("scheme", "kind", "status", "source")

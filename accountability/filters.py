"""FilterSets of the accountability pages: one set of parameters for the
HTML list and its CSV export (`?year=2011&status=signed&q=财政&o=-year`).
Choices that depend on the user (units, years) are scoped through the
request's user, so a filter never offers what the user cannot see."""

from __future__ import annotations

import django_filters as filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from accountability import choices
from accountability.models import (
    AccountabilityCase,
    Commendation,
    LeadingGroup,
    Official,
    ResponsibilityLetter,
    RiskPost,
    RiskReview,
    Unit,
)
from pingxiang_cf.api.filters import BaseFilterSet as ApiBaseFilterSet

ALL = _("全部")
SUBJECT_CHOICES = (("unit", _("单位")), ("official", _("干部")))
YEAR_CHOICES = [(y, str(y)) for y in range(2026, 2007, -1)]


def _user(request):
    return getattr(request, "user", None)


def _top_units(request):
    user = _user(request)
    if user is None:
        return Unit.objects.none()
    return (
        Unit.objects.restrict(user).filter(depth=1, is_active=True).order_by("sort_order", "path")
    )


@extend_schema_field(OpenApiTypes.INT)
class UnitChoiceFilter(filters.ModelChoiceFilter):
    """A unit chosen by id (typed for the API schema: the method filters)."""


class BaseFilterSet(ApiBaseFilterSet):
    """The shared base (`q` over `search_fields`), an ordering with a stable
    tie-breaker, and `county` (the county or department a row belongs to,
    through `county_paths`). The same FilterSet drives the HTML list, its
    CSV export and the API list."""

    county_paths: tuple[str, ...] = ()
    default_ordering: tuple[str, ...] = ("pk",)

    def filter_county(self, queryset, name, unit):
        if not unit:
            return queryset
        q = Q()
        for path in self.county_paths:
            q |= Q(**{f"{path}__path__startswith": unit.path})
        return queryset.filter(q)

    @property
    def qs(self):
        queryset = super().qs
        ordering = list(queryset.query.order_by or [])
        model_default = list(self._meta.model._meta.ordering or [])
        if not ordering or ordering == model_default:
            return queryset.order_by(*self.default_ordering, "pk")
        return queryset.order_by(*ordering, *self.default_ordering, "pk")

    @property
    def active(self) -> list[str]:
        data = self.form.data if self.is_bound else {}
        return [n for n in self.filters if n not in ("o",) and data.get(n) not in (None, "")]


class LetterFilterSet(BaseFilterSet):
    search_fields = (
        "title",
        "recipient_unit__name",
        "recipient_section__name",
        "issuer_unit__name",
    )
    county_paths = ("recipient_unit",)
    default_ordering = ("-year", "level", "recipient_unit__path")

    year = filters.ChoiceFilter(label=_("年度"), choices=YEAR_CHOICES, empty_label=ALL)
    level = filters.ChoiceFilter(
        label=_("签订层级"), choices=choices.LetterLevel.choices, empty_label=ALL
    )
    status = filters.ChoiceFilter(
        label=_("状态"), choices=choices.LetterStatus.choices, empty_label=ALL
    )
    signed = filters.ChoiceFilter(
        label=_("是否签订"),
        choices=(("yes", _("已签订")), ("no", _("未签订"))),
        empty_label=ALL,
        method="filter_signed",
    )
    county = UnitChoiceFilter(
        label=_("县区/部门"), queryset=_top_units, empty_label=ALL, method="filter_county"
    )
    o = filters.OrderingFilter(
        label=_("排序"),
        fields=(
            ("year", "year"),
            ("title", "title"),
            ("recipient_unit__path", "recipient"),
            ("status", "status"),
            ("signed_on", "signed_on"),
        ),
    )

    class Meta:
        model = ResponsibilityLetter
        fields = ("q", "year", "level", "status", "signed", "county")

    def filter_signed(self, queryset, name, value):
        if value == "yes":
            return queryset.filter(status=choices.LetterStatus.SIGNED)
        if value == "no":
            return queryset.exclude(status=choices.LetterStatus.SIGNED)
        return queryset


class GroupFilterSet(BaseFilterSet):
    search_fields = ("name", "unit__name", "office_name", "document_number")
    county_paths = ("unit",)
    default_ordering = ("unit__depth", "unit__path", "-established_on")

    active_state = filters.ChoiceFilter(
        label=_("状态"),
        choices=(("active", _("在任")), ("dissolved", _("已撤销"))),
        empty_label=ALL,
        method="filter_active",
    )
    county = UnitChoiceFilter(
        label=_("县区/部门"), queryset=_top_units, empty_label=ALL, method="filter_county"
    )
    o = filters.OrderingFilter(
        label=_("排序"),
        fields=(("name", "name"), ("unit__path", "unit"), ("established_on", "established_on")),
    )

    class Meta:
        model = LeadingGroup
        fields = ("q", "active_state", "county")

    def filter_active(self, queryset, name, value):
        if value == "active":
            return queryset.filter(dissolved_on__isnull=True)
        if value == "dissolved":
            return queryset.filter(dissolved_on__isnull=False)
        return queryset


class RiskReviewFilterSet(BaseFilterSet):
    search_fields = ("unit__name", "unit__short_name")
    county_paths = ("unit",)
    default_ordering = ("-year", "unit__path")

    year = filters.ChoiceFilter(label=_("年度"), choices=YEAR_CHOICES, empty_label=ALL)
    status = filters.ChoiceFilter(
        label=_("状态"), choices=choices.ReviewStatus.choices, empty_label=ALL
    )
    county = UnitChoiceFilter(
        label=_("县区/部门"), queryset=_top_units, empty_label=ALL, method="filter_county"
    )
    o = filters.OrderingFilter(
        label=_("排序"),
        fields=(("year", "year"), ("unit__path", "unit"), ("status", "status")),
    )

    class Meta:
        model = RiskReview
        fields = ("q", "year", "status", "county")


class RiskPostFilterSet(BaseFilterSet):
    search_fields = ("name", "unit__name", "duties", "powers__name")
    county_paths = ("unit",)
    default_ordering = ("-year", "unit__path", "name")

    year = filters.ChoiceFilter(label=_("年度"), choices=YEAR_CHOICES, empty_label=ALL)
    oversight_tier = filters.ChoiceFilter(
        label=_("监管层级"), choices=choices.OversightTier.choices, empty_label=ALL
    )
    level = filters.ChoiceFilter(
        label=_("含风险等级"),
        choices=choices.RiskLevel.choices,
        empty_label=ALL,
        method="filter_level",
    )
    county = UnitChoiceFilter(
        label=_("县区/部门"), queryset=_top_units, empty_label=ALL, method="filter_county"
    )
    o = filters.OrderingFilter(
        label=_("排序"),
        fields=(("year", "year"), ("unit__path", "unit"), ("name", "name"), ("high_count", "high")),
    )

    class Meta:
        model = RiskPost
        fields = ("q", "year", "oversight_tier", "level", "county")

    def search(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        ids = RiskPost.objects.filter(
            Q(name__icontains=value)
            | Q(unit__name__icontains=value)
            | Q(duties__icontains=value)
            | Q(powers__name__icontains=value)
        ).values("pk")
        return queryset.filter(pk__in=ids)

    def filter_level(self, queryset, name, value):
        ids = RiskPost.objects.filter(powers__risk_points__level=value).values("pk")
        return queryset.filter(pk__in=ids)


class OutcomeFilterSet(BaseFilterSet):
    search_fields = ("unit__name", "official__name", "official__unit__name", "document_number")
    county_paths = ("unit", "official__unit")
    default_ordering = ("-year", "-decided_on")

    year = filters.ChoiceFilter(label=_("年度"), choices=YEAR_CHOICES, empty_label=ALL)
    source = filters.ChoiceFilter(
        label=_("来源"), choices=choices.OutcomeSource.choices, empty_label=ALL
    )
    status = filters.ChoiceFilter(
        label=_("状态"), choices=choices.OutcomeStatus.choices, empty_label=ALL
    )
    subject = filters.ChoiceFilter(
        label=_("对象"), choices=SUBJECT_CHOICES, empty_label=ALL, method="filter_subject"
    )
    county = UnitChoiceFilter(
        label=_("县区/部门"), queryset=_top_units, empty_label=ALL, method="filter_county"
    )
    o = filters.OrderingFilter(
        label=_("排序"),
        fields=(("year", "year"), ("decided_on", "decided_on"), ("status", "status")),
    )

    def filter_subject(self, queryset, name, value):
        if value == "unit":
            return queryset.filter(unit__isnull=False)
        if value == "official":
            return queryset.filter(official__isnull=False)
        return queryset


class CommendationFilterSet(OutcomeFilterSet):
    search_fields = OutcomeFilterSet.search_fields + ("title",)

    class Meta:
        model = Commendation
        fields = ("q", "year", "source", "status", "subject", "county")


class CaseFilterSet(OutcomeFilterSet):
    search_fields = OutcomeFilterSet.search_fields + ("reason",)

    measure = filters.ChoiceFilter(
        label=_("处理方式"), choices=choices.AccountabilityMeasure.choices, empty_label=ALL
    )

    class Meta:
        model = AccountabilityCase
        fields = ("q", "year", "source", "status", "subject", "measure", "county")


class OfficialFilterSet(BaseFilterSet):
    search_fields = ("name", "post", "unit__name")
    county_paths = ("unit",)
    default_ordering = ("unit__path",)

    rank = filters.ChoiceFilter(
        label=_("职级"), choices=choices.OfficialRank.choices, empty_label=ALL
    )
    county = UnitChoiceFilter(
        label=_("县区/部门"), queryset=_top_units, empty_label=ALL, method="filter_county"
    )
    o = filters.OrderingFilter(
        label=_("排序"), fields=(("name", "name"), ("unit__path", "unit"), ("rank", "rank"))
    )

    class Meta:
        model = Official
        fields = ("q", "rank", "county")

"""The assessment FilterSet: the same parameters for the HTML list and the
API (`?year=2010&group=county&grade=excellent&q=安源&o=-total`)."""

import django_filters as filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from assessments.choices import AssessmentGroup, AssessmentStatus, Grade
from assessments.models import AssessmentScheme, UnitAssessment
from pingxiang_cf.api.filters import drop_cached_fields

ALL = _("全部")


class UnitAssessmentFilterSet(filters.FilterSet):
    q = filters.CharFilter(label=_("搜索"), method="search")
    year = filters.ChoiceFilter(
        label=_("年度"), field_name="scheme__year", choices=(), empty_label=ALL
    )
    group = filters.ChoiceFilter(
        label=_("考核组别"), choices=AssessmentGroup.choices, empty_label=ALL
    )
    grade = filters.ChoiceFilter(label=_("等次"), choices=Grade.choices, empty_label=ALL)
    status = filters.ChoiceFilter(
        label=_("状态"), choices=AssessmentStatus.choices, empty_label=ALL
    )
    vetoed = filters.BooleanFilter(label=_("一票否决"))
    o = filters.OrderingFilter(
        label=_("排序"),
        fields=(
            ("scheme__year", "year"),
            ("unit__name", "unit"),
            ("group", "group"),
            ("total", "total"),
            ("rank", "rank"),
            ("grade", "grade"),
            ("status", "status"),
        ),
    )

    default_ordering = ("-scheme__year", "group", "rank", "unit__code")

    class Meta:
        model = UnitAssessment
        fields = ("q", "year", "group", "grade", "status", "vetoed")

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        drop_cached_fields(self)
        user = getattr(request, "user", None)
        years = []

        def year_choices():
            if not years and user is not None:
                years.extend(
                    (y, str(y))
                    for y in AssessmentScheme.objects.restrict(user)
                    .order_by("-year")
                    .values_list("year", flat=True)
                )
            return years

        self.filters["year"].extra["choices"] = year_choices

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(unit__name__icontains=value)
            | Q(unit__short_name__icontains=value)
            | Q(unit__code__icontains=value)
        )

    @property
    def qs(self):
        queryset = super().qs
        ordering = list(queryset.query.order_by) if queryset.query.order_by else []
        if not ordering or ordering == list(UnitAssessment._meta.ordering):
            return queryset.order_by(*self.default_ordering, "pk")
        return queryset.order_by(*ordering, *self.default_ordering, "pk")

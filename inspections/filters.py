"""FilterSets of the inspections app: one set of parameters for the HTML
lists, the API and the exports (`?kind=monthly&year=2011&q=2011-03&o=-period`)."""

import django_filters as filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accountability.choices import UnitKind
from inspections.choices import CycleKind, NoticeKind, NoticeStatus
from inspections.models import Notice, SupervisionCycle, SupervisionReport

ALL = _("全部")


# --- Supervision cycles, notices and semiannual reports (cycles block) --------------------------


class _OrderedFilterSet(filters.FilterSet):
    """Adds the default order and a stable tie-breaker to every ordering."""

    default_ordering: tuple = ("-pk",)

    @property
    def qs(self):
        queryset = super().qs
        ordered = getattr(self.form, "cleaned_data", {}).get("o")
        chosen = list(queryset.query.order_by) if ordered else []
        return queryset.order_by(*chosen, *self.default_ordering, "pk")


class CycleFilterSet(_OrderedFilterSet):
    q = filters.CharFilter(label=_("搜索"), method="search")
    kind = filters.ChoiceFilter(label=_("周期类型"), choices=CycleKind.choices, empty_label=ALL)
    year = filters.NumberFilter(label=_("年度"), field_name="period_start__year")
    o = filters.OrderingFilter(
        label=_("排序"),
        fields=(("period_start", "period"), ("kind", "kind"), ("last_run_at", "last_run_at")),
        field_labels={"period": _("期间"), "kind": _("周期类型"), "last_run_at": _("最近运行")},
    )
    default_ordering = ("-period_start", "kind")

    class Meta:
        model = SupervisionCycle
        fields = ("q", "kind", "year")

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(period__icontains=value) if value else queryset


class NoticeFilterSet(_OrderedFilterSet):
    q = filters.CharFilter(label=_("搜索"), method="search")
    kind = filters.ChoiceFilter(label=_("通报类型"), choices=NoticeKind.choices, empty_label=ALL)
    status = filters.ChoiceFilter(label=_("状态"), choices=NoticeStatus.choices, empty_label=ALL)
    year = filters.NumberFilter(label=_("年度"), method="filter_year")
    o = filters.OrderingFilter(
        label=_("排序"),
        fields=(
            ("issued_on", "issued_on"),
            ("number", "number"),
            ("cycle__period_start", "period"),
        ),
        field_labels={"issued_on": _("发文日期"), "number": _("文号"), "period": _("期间")},
    )
    default_ordering = ("-cycle__period_start", "-issued_on")

    class Meta:
        model = Notice
        fields = ("q", "kind", "status", "year")

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(number__icontains=value)
            | Q(title__icontains=value)
            | Q(named_units__unit__name__icontains=value)
        ).distinct()

    def filter_year(self, queryset, name, value):
        return queryset.filter(Q(cycle__period_start__year=value) | Q(issued_on__year=value))


class SupervisionReportFilterSet(_OrderedFilterSet):
    q = filters.CharFilter(label=_("搜索"), method="search")
    period = filters.CharFilter(label=_("期间"), field_name="cycle__period")
    unit_kind = filters.ChoiceFilter(
        label=_("单位类型"),
        field_name="unit__kind",
        choices=[
            (k.value, k.label)
            for k in (UnitKind.COUNTY, UnitKind.MUNICIPAL_DEPT, UnitKind.PROVINCIAL_DEPT)
        ],
        empty_label=ALL,
    )
    o = filters.OrderingFilter(
        label=_("排序"),
        fields=(("cycle__period_start", "period"), ("unit__code", "unit")),
        field_labels={"period": _("期间"), "unit": _("单位")},
    )
    default_ordering = ("-cycle__period_start", "unit__code")

    class Meta:
        model = SupervisionReport
        fields = ("q", "period", "unit_kind")

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(unit__name__icontains=value) | Q(unit__short_name__icontains=value)
        )

"""FilterSets of the inspections app: one set of parameters per list for
the HTML pages, the API and exports (`?kind=monthly&year=2011&q=2011-03&o=-period`,
`?status=issued&q=财政&o=-issued_on`). Choices that depend on the user are
scoped through the request's user."""

import django_filters as filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from accountability.choices import UnitKind
from accountability.models import Unit
from inspections.choices import (
    ActionItemStatus,
    CycleKind,
    FindingStatus,
    InspectionKind,
    LetterReason,
    LetterStatus,
    NoticeKind,
    NoticeStatus,
    PlanStatus,
    ReminderStatus,
    Severity,
)
from inspections.models import (
    Finding,
    Inspection,
    InspectionPlan,
    JointMeeting,
    MeetingActionItem,
    Notice,
    SupervisionCycle,
    SupervisionLetter,
    SupervisionReminder,
    SupervisionReport,
)
from pingxiang_cf.api.filters import BaseFilterSet
from pingxiang_cf.scope import VIEW

ALL = _("全部")


# --- Supervision cycles, notices and semiannual reports (cycles block) --------------------------


class _OrderedFilterSet(BaseFilterSet):
    """The shared base (its own form fields per instance, `q`), with the
    cycle lists' order: the chosen `o` first, then the default order and a
    stable tie-breaker (the queryset's own order is not kept)."""

    default_ordering: tuple = ("-pk",)

    @property
    def qs(self):
        queryset = super().qs
        ordered = getattr(self.form, "cleaned_data", {}).get("o")
        chosen = list(queryset.query.order_by) if ordered else []
        return queryset.order_by(*chosen, *self.default_ordering, "pk")


class CycleFilterSet(_OrderedFilterSet):
    kind = filters.ChoiceFilter(label=_("周期类型"), choices=CycleKind.choices, empty_label=ALL)
    # A year a date can have: `__year` of year 0 or 10000 is a ValueError, not a row.
    year = filters.NumberFilter(
        label=_("年度"), field_name="period_start__year", min_value=1, max_value=9999
    )
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
    kind = filters.ChoiceFilter(label=_("通报类型"), choices=NoticeKind.choices, empty_label=ALL)
    status = filters.ChoiceFilter(label=_("状态"), choices=NoticeStatus.choices, empty_label=ALL)
    year = filters.NumberFilter(label=_("年度"), method="filter_year", min_value=1, max_value=9999)
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


# --- Escalation ladder, inspections, findings, meetings (h4b) -----------------------------

YES = "yes"
OVERDUE_CHOICES = ((YES, _("已逾期")),)


def _user(request):
    return getattr(request, "user", None)


def _units_with(related: str):
    """Units (that the user sees) having at least one row of `related`."""

    def choices(request):
        user = _user(request)
        if user is None:
            return Unit.objects.none()
        return (
            Unit.objects.restrict(user, VIEW)
            .filter(**{f"{related}__isnull": False})
            .distinct()
            .order_by("path")
        )

    return choices


@extend_schema_field(OpenApiTypes.INT)
class YearFilter(filters.ChoiceFilter):
    """A year chosen from a list (the API documents it as an integer)."""


def _year_choices(first=2008):
    this_year = timezone.localdate().year
    return [(y, str(y)) for y in range(this_year + 1, first - 1, -1)]


class SupervisionReminderFilterSet(BaseFilterSet):
    status = filters.ChoiceFilter(label=_("状态"), choices=ReminderStatus.choices, empty_label=ALL)
    reason = filters.ChoiceFilter(
        label=_("催办事由"), choices=LetterReason.choices, empty_label=ALL
    )
    o = filters.OrderingFilter(
        label=_("排序"),
        fields=(
            ("unit__name", "unit"),
            ("proposed_on", "proposed_on"),
            ("due_date", "due_date"),
            ("status", "status"),
        ),
    )
    search_fields = ("unit__name", "detail", "project__name", "project__number")
    default_ordering = ("-proposed_on", "unit__path")

    class Meta:
        model = SupervisionReminder
        fields = ("q", "status", "reason")


class SupervisionLetterFilterSet(BaseFilterSet):
    status = filters.ChoiceFilter(label=_("状态"), choices=LetterStatus.choices, empty_label=ALL)
    reason = filters.ChoiceFilter(
        label=_("督办事由"), choices=LetterReason.choices, empty_label=ALL
    )
    year = YearFilter(
        label=_("年度"),
        field_name="issued_on__year",
        choices=_year_choices,
        empty_label=ALL,
    )
    unit = filters.ModelChoiceFilter(
        label=_("督办单位"), queryset=_units_with("supervision_letters"), empty_label=ALL
    )
    overdue = filters.ChoiceFilter(
        label=_("逾期"), choices=OVERDUE_CHOICES, empty_label=ALL, method="filter_overdue"
    )
    o = filters.OrderingFilter(
        label=_("排序"),
        fields=(
            ("number", "number"),
            ("unit__name", "unit"),
            ("issued_on", "issued_on"),
            ("reply_deadline", "reply_deadline"),
            ("status", "status"),
        ),
    )
    search_fields = ("number", "title", "unit__name", "project__name")
    default_ordering = ("-issued_on", "-number")

    class Meta:
        model = SupervisionLetter
        fields = ("q", "status", "reason", "year", "unit", "overdue")

    def filter_overdue(self, queryset, name, value):
        if value != YES:
            return queryset
        return queryset.filter(
            status__in=(LetterStatus.ISSUED, LetterStatus.RETURNED, LetterStatus.ESCALATED),
            reply_deadline__lt=timezone.localdate(),
        )


class InspectionFilterSet(BaseFilterSet):
    kind = filters.ChoiceFilter(
        label=_("督查类型"), choices=InspectionKind.choices, empty_label=ALL
    )
    year = YearFilter(
        label=_("年度"),
        field_name="started_on__year",
        choices=_year_choices,
        empty_label=ALL,
    )
    unit = filters.ModelChoiceFilter(
        label=_("被督查单位"),
        field_name="units",
        queryset=_units_with("inspections"),
        empty_label=ALL,
    )
    o = filters.OrderingFilter(
        label=_("排序"),
        fields=(
            ("title", "title"),
            ("kind", "kind"),
            ("started_on", "started_on"),
            ("unit_count", "unit_count"),
            ("finding_count", "finding_count"),
        ),
    )
    search_fields = ("title", "team_leader", "team", "summary")
    default_ordering = ("-started_on",)

    class Meta:
        model = Inspection
        fields = ("q", "kind", "year", "unit")


class InspectionPlanFilterSet(BaseFilterSet):
    year = YearFilter(label=_("年度"), choices=_year_choices, empty_label=ALL)
    status = filters.ChoiceFilter(label=_("状态"), choices=PlanStatus.choices, empty_label=ALL)
    o = filters.OrderingFilter(label=_("排序"), fields=(("year", "year"), ("quarter", "quarter")))
    search_fields = ("title", "note")
    default_ordering = ("-year", "-quarter")

    class Meta:
        model = InspectionPlan
        fields = ("q", "year", "status")


class FindingFilterSet(BaseFilterSet):
    status = filters.ChoiceFilter(label=_("状态"), choices=FindingStatus.choices, empty_label=ALL)
    severity = filters.ChoiceFilter(label=_("严重程度"), choices=Severity.choices, empty_label=ALL)
    kind = filters.ChoiceFilter(
        label=_("督查类型"),
        field_name="inspection__kind",
        choices=InspectionKind.choices,
        empty_label=ALL,
    )
    year = YearFilter(
        label=_("年度"),
        field_name="inspection__started_on__year",
        choices=_year_choices,
        empty_label=ALL,
    )
    unit = filters.ModelChoiceFilter(
        label=_("责任单位"), queryset=_units_with("findings"), empty_label=ALL
    )
    overdue = filters.ChoiceFilter(
        label=_("逾期"), choices=OVERDUE_CHOICES, empty_label=ALL, method="filter_overdue"
    )
    o = filters.OrderingFilter(
        label=_("排序"),
        fields=(
            ("unit__name", "unit"),
            ("severity", "severity"),
            ("deadline", "deadline"),
            ("status", "status"),
        ),
    )
    search_fields = ("description", "required_rectification", "unit__name", "inspection__title")
    default_ordering = ("-deadline",)

    class Meta:
        model = Finding
        fields = ("q", "status", "severity", "kind", "year", "unit", "overdue")

    def filter_overdue(self, queryset, name, value):
        if value != YES:
            return queryset
        return queryset.exclude(status=FindingStatus.VERIFIED).filter(
            deadline__lt=timezone.localdate()
        )


class JointMeetingFilterSet(BaseFilterSet):
    year = YearFilter(
        label=_("年度"),
        field_name="held_on__year",
        choices=_year_choices,
        empty_label=ALL,
    )
    o = filters.OrderingFilter(
        label=_("排序"),
        fields=(("title", "title"), ("held_on", "held_on"), ("open_item_count", "open_items")),
    )
    search_fields = ("title", "minutes", "decisions", "host_unit__name")
    default_ordering = ("-held_on",)

    class Meta:
        model = JointMeeting
        fields = ("q", "year")


class MeetingActionItemFilterSet(BaseFilterSet):
    status = filters.ChoiceFilter(
        label=_("状态"), choices=ActionItemStatus.choices, empty_label=ALL
    )
    overdue = filters.ChoiceFilter(
        label=_("逾期"), choices=OVERDUE_CHOICES, empty_label=ALL, method="filter_overdue"
    )
    o = filters.OrderingFilter(
        label=_("排序"), fields=(("due_on", "due_on"), ("owner_unit__name", "owner_unit"))
    )
    search_fields = ("description", "owner_unit__name", "meeting__title")
    default_ordering = ("due_on",)

    class Meta:
        model = MeetingActionItem
        fields = ("q", "status", "overdue")

    def filter_overdue(self, queryset, name, value):
        if value != YES:
            return queryset
        return queryset.filter(status=ActionItemStatus.OPEN, due_on__lt=timezone.localdate())

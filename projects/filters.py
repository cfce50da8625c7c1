"""The project FilterSet: one set of parameters for the HTML registry, the
API list and the exports (`?year=2011&category=common&q=廉政&o=-number`).

Choices that depend on the user (lead units, years) are scoped through the
request's user, so a filter never offers what the user cannot see.

`light` and `overdue` are not columns: they run the early-warning rule over
the rows filtered so far (projects.selectors, two queries whatever their
number) as of today (`timezone.localdate()`), and keep the matching ids."""

import django_filters as filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accountability.models import Unit
from pingxiang_cf.api.filters import BaseFilterSet, drop_cached_fields, ordering_filter
from projects import workspace
from projects.choices import (
    AssignmentStatus,
    LedgerStatus,
    PlanTaskStatus,
    ProjectCategory,
    ProjectStage,
    SplitKind,
)
from projects.models import (
    Assignment,
    LedgerEntry,
    Mechanism,
    Milestone,
    PlanTask,
    Program,
    Project,
    Target,
    Tier,
)
from projects.selectors import project_ids_with_light
from projects.services import LightColor

ALL = _("全部")
YES = "yes"


def _user(request):
    return getattr(request, "user", None)


def _tiers(request):
    return Tier.objects.restrict(_user(request))


def _programs(request):
    return Program.objects.restrict(_user(request))


def _mechanisms(request):
    return Mechanism.objects.restrict(_user(request))


def _lead_units(request):
    user = _user(request)
    return workspace.lead_units(user) if user is not None else Unit.objects.none()


class ProjectFilterSet(filters.FilterSet):
    q = filters.CharFilter(label=_("搜索"), method="search")
    year = filters.ChoiceFilter(label=_("年度"), choices=(), empty_label=ALL)
    category = filters.ChoiceFilter(
        label=_("项目类别"), choices=ProjectCategory.choices, empty_label=ALL
    )
    tier = filters.ModelChoiceFilter(label=_("层级"), queryset=_tiers, empty_label=ALL)
    program = filters.ModelChoiceFilter(label=_("工程"), queryset=_programs, empty_label=ALL)
    mechanism = filters.ModelChoiceFilter(
        label=_("机制"), field_name="mechanisms", queryset=_mechanisms, empty_label=ALL
    )
    lead_unit = filters.ModelChoiceFilter(
        label=_("牵头单位"), queryset=_lead_units, empty_label=ALL
    )
    stage = filters.ChoiceFilter(label=_("阶段"), choices=ProjectStage.choices, empty_label=ALL)
    light = filters.ChoiceFilter(
        label=_("预警"), choices=LightColor.choices, empty_label=ALL, method="filter_light"
    )
    overdue = filters.ChoiceFilter(
        label=_("逾期"), choices=((YES, _("已逾期")),), empty_label=ALL, method="filter_overdue"
    )
    o = filters.OrderingFilter(
        label=_("排序"),
        fields=(
            ("number", "number"),
            ("name", "name"),
            ("year", "year"),
            ("category", "category"),
            ("lead_unit__name", "lead_unit"),
            ("stage", "stage"),
        ),
        field_labels={
            "number": _("项目编号"),
            "name": _("项目名称"),
            "year": _("年度"),
            "category": _("项目类别"),
            "lead_unit": _("牵头单位"),
            "stage": _("阶段"),
        },
    )

    # The registry's default order, and the tie-breaker of every other order.
    default_ordering = ("-year", "number")

    class Meta:
        model = Project
        fields = (
            "q",
            "year",
            "category",
            "tier",
            "program",
            "mechanism",
            "lead_unit",
            "stage",
            "light",
            "overdue",
        )

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        drop_cached_fields(self)
        user = _user(request)

        years = []

        def year_choices():  # one query, only once the form is validated or rendered
            if not years and user is not None:
                years.extend((y, str(y)) for y in workspace.project_years(user))
            return years

        self.filters["year"].extra["choices"] = year_choices

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(number__icontains=value)
            | Q(name__icontains=value)
            | Q(lead_unit__name__icontains=value)
            | Q(lead_unit__short_name__icontains=value)
        )

    def filter_light(self, queryset, name, value):
        ids = project_ids_with_light(queryset, color=value, today=timezone.localdate())
        return queryset.filter(pk__in=ids)

    def filter_overdue(self, queryset, name, value):
        if value != YES:
            return queryset
        return queryset.filter(
            pk__in=workspace.project_ids_overdue(queryset, today=timezone.localdate())
        )

    @property
    def qs(self):
        queryset = super().qs
        ordering = list(queryset.query.order_by) if queryset.query.order_by else []
        if not ordering or ordering == list(Project._meta.ordering):
            return queryset.order_by(*self.default_ordering, "pk")
        return queryset.order_by(*ordering, *self.default_ordering, "pk")


# --- The other lists of the projects app (API lists and exports) ------------------------


def _visible_projects(request):
    return Project.objects.restrict(_user(request))


def _visible_units(request):
    return Unit.objects.restrict(_user(request))


class PlanTaskFilterSet(BaseFilterSet):
    search_fields = ("number", "content", "lead_unit__name")
    status = filters.ChoiceFilter(label=_("状态"), choices=PlanTaskStatus.choices, empty_label=ALL)
    lead_unit = filters.ModelChoiceFilter(
        label=_("牵头单位"), queryset=_visible_units, empty_label=ALL
    )
    program = filters.ModelChoiceFilter(label=_("工程"), queryset=_programs, empty_label=ALL)
    mechanism = filters.ModelChoiceFilter(label=_("机制"), queryset=_mechanisms, empty_label=ALL)
    deadline_before = filters.DateFilter(
        label=_("完成时限不晚于"), field_name="deadline", lookup_expr="lte"
    )
    o = ordering_filter({"number": _("任务编号"), "deadline": _("完成时限"), "status": _("状态")})
    default_ordering = ("plan_id", "number")

    class Meta:
        model = PlanTask
        fields = ("q", "plan", "status", "lead_unit", "program", "mechanism")


class AssignmentFilterSet(BaseFilterSet):
    search_fields = ("content", "assignee_unit__name", "project__name", "project__number")
    project = filters.ModelChoiceFilter(
        label=_("项目"), queryset=_visible_projects, empty_label=ALL
    )
    kind = filters.ChoiceFilter(label=_("分解方式"), choices=SplitKind.choices, empty_label=ALL)
    status = filters.ChoiceFilter(
        label=_("状态"), choices=AssignmentStatus.choices, empty_label=ALL
    )
    assignee_unit = filters.ModelChoiceFilter(
        label=_("承担单位"), queryset=_visible_units, empty_label=ALL
    )
    o = ordering_filter({"deadline": _("完成时限"), "kind": _("分解方式"), "status": _("状态")})
    default_ordering = ("project_id", "kind")

    class Meta:
        model = Assignment
        fields = ("q", "project", "kind", "status", "assignee_unit")


class LedgerEntryFilterSet(BaseFilterSet):
    search_fields = ("content", "project__name", "project__number", "unit__name")
    project = filters.ModelChoiceFilter(
        label=_("项目"), queryset=_visible_projects, empty_label=ALL
    )
    unit = filters.ModelChoiceFilter(label=_("填报单位"), queryset=_visible_units, empty_label=ALL)
    status = filters.ChoiceFilter(label=_("状态"), choices=LedgerStatus.choices, empty_label=ALL)
    year = filters.NumberFilter(label=_("年度"), field_name="project__year")
    date_from = filters.DateFilter(label=_("起始日期"), field_name="entry_date", lookup_expr="gte")
    date_to = filters.DateFilter(label=_("截止日期"), field_name="entry_date", lookup_expr="lte")
    o = ordering_filter({"entry_date": _("日期"), "status": _("状态")})
    default_ordering = ("-entry_date",)

    class Meta:
        model = LedgerEntry
        fields = ("q", "project", "unit", "status", "year", "date_from", "date_to")


class TargetFilterSet(BaseFilterSet):
    search_fields = ("description", "project__name", "project__number")
    project = filters.ModelChoiceFilter(
        label=_("项目"), queryset=_visible_projects, empty_label=ALL
    )
    project_code = filters.UUIDFilter(label=_("项目编码"), field_name="project__code")
    year = filters.NumberFilter(label=_("年度"), field_name="project__year")
    due_before = filters.DateFilter(
        label=_("完成时限不晚于"), field_name="due_date", lookup_expr="lte"
    )
    o = ordering_filter({"due_date": _("完成时限"), "sort_order": _("排序")})
    default_ordering = ("project_id", "sort_order")

    class Meta:
        model = Target
        fields = ("q", "project", "project_code", "year", "due_before")


class MilestoneFilterSet(BaseFilterSet):
    search_fields = ("name", "project__name", "project__number")
    project = filters.ModelChoiceFilter(
        label=_("项目"), queryset=_visible_projects, empty_label=ALL
    )
    project_code = filters.UUIDFilter(label=_("项目编码"), field_name="project__code")
    year = filters.NumberFilter(label=_("年度"), field_name="project__year")
    stage = filters.ChoiceFilter(label=_("阶段"), choices=ProjectStage.choices, empty_label=ALL)
    date_from = filters.DateFilter(
        label=_("起始日期"), field_name="planned_date", lookup_expr="gte"
    )
    date_to = filters.DateFilter(label=_("截止日期"), field_name="planned_date", lookup_expr="lte")
    o = ordering_filter({"planned_date": _("计划日期"), "stage": _("阶段")})
    default_ordering = ("project_id", "planned_date")

    class Meta:
        model = Milestone
        fields = ("q", "project", "project_code", "year", "stage", "date_from", "date_to")

"""Pages of inspections (督查) and quarterly inspection plans."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inspections import selectors
from inspections import supervision_forms as forms
from inspections.choices import PlanStatus
from inspections.filters import InspectionFilterSet, InspectionPlanFilterSet
from inspections.models import Inspection, InspectionPlan
from inspections.services import findings as finding_services
from inspections.services import inspection_plans as services
from inspections.views.pages import deny_unless, form_page, list_page, visible_or_404
from pingxiang_cf.parsing import positive_id

INSPECTION_COLUMNS = (
    ("title", gettext_lazy("名称")),
    ("kind", gettext_lazy("督查类型")),
    ("started_on", gettext_lazy("日期")),
    (None, gettext_lazy("带队领导")),
    ("unit_count", gettext_lazy("被督查单位")),
    ("finding_count", gettext_lazy("发现问题")),
)
PLAN_COLUMNS = (
    ("year", gettext_lazy("年度")),
    ("quarter", gettext_lazy("季度")),
    (None, gettext_lazy("计划名称")),
    (None, gettext_lazy("督查单位")),
    (None, gettext_lazy("已开展督查")),
    (None, gettext_lazy("状态")),
)
INSPECTION_FORM_FIELDS = (
    "kind",
    "title",
    "plan",
    "started_on",
    "ended_on",
    "team_leader",
    "team",
    "summary",
)


def inspection_url(inspection) -> str:
    return reverse("inspections:inspection-detail", args=[inspection.pk])


def plan_url(plan) -> str:
    return reverse("inspections:plan-detail", args=[plan.pk])


@login_required
def inspection_list(request):
    return list_page(
        request,
        filterset_class=InspectionFilterSet,
        queryset=selectors.inspection_list(request.user),
        template="inspections/inspection_list.html",
        columns=INSPECTION_COLUMNS,
        can_manage=services.can_manage(request.user),
    )


@login_required
def inspection_detail(request, pk):
    inspection = visible_or_404(
        Inspection.objects.select_related("plan", "cycle"), request.user, pk=pk
    )
    return render(
        request,
        "inspections/inspection_detail.html",
        {
            "inspection": inspection,
            "units": inspection.units.order_by("path"),
            "findings": selectors.inspection_findings(inspection).filter(
                pk__in=selectors.finding_list(request.user).values("pk")
            ),
            "can_manage": services.can_manage(request.user),
            "can_record": finding_services.can_record(request.user),
        },
    )


def _inspection_call(request, inspection=None):
    def call(data):
        fields = {name: data[name] for name in INSPECTION_FORM_FIELDS}
        if inspection is None:
            return services.inspection_create(actor=request.user, units=data["units"], **fields)
        return services.inspection_update(
            inspection, actor=request.user, units=data["units"], **fields
        )

    return call


@login_required
def inspection_create(request):
    deny_unless(services.can_manage(request.user))
    initial = {}
    plan_id = positive_id(request.GET.get("plan"))
    if plan_id is not None:
        plan = InspectionPlan.objects.restrict(request.user).filter(pk=plan_id).first()
        if plan is not None:
            initial = {"plan": plan, "units": list(plan.units.all())}
    form = forms.InspectionForm(request.POST or None, user=request.user, initial=initial)
    return form_page(
        request,
        form=form,
        call=_inspection_call(request),
        done=_("督查已登记。"),
        next_url=inspection_url,
        heading=_("登记督查"),
        back_url=reverse("inspections:inspection-list"),
        submit=_("保存"),
    )


@login_required
def inspection_edit(request, pk):
    inspection = visible_or_404(Inspection.objects.all(), request.user, pk=pk)
    deny_unless(services.can_manage(request.user))
    initial = {name: getattr(inspection, name) for name in INSPECTION_FORM_FIELDS}
    initial["units"] = list(inspection.units.all())
    form = forms.InspectionForm(request.POST or None, user=request.user, initial=initial)
    return form_page(
        request,
        form=form,
        call=_inspection_call(request, inspection),
        done=_("督查信息已保存。"),
        next_url=inspection_url(inspection),
        heading=_("修改督查"),
        back_url=inspection_url(inspection),
        submit=_("保存"),
        subject=inspection.title,
    )


# --- Plans -----------------------------------------------------------------------------------


@login_required
def plan_list(request):
    return list_page(
        request,
        filterset_class=InspectionPlanFilterSet,
        queryset=selectors.plan_list(request.user),
        template="inspections/inspection_plan_list.html",
        columns=PLAN_COLUMNS,
        can_manage=services.can_manage(request.user),
    )


def _suggested(request):
    return selectors.suggested_units(request.user, today=timezone.localdate())


@login_required
def plan_create(request):
    """The plan form lists the lagging units first, pre-ticked."""
    deny_unless(services.can_manage(request.user))
    suggested = _suggested(request)
    today = timezone.localdate()
    initial = {
        "year": today.year,
        "quarter": (today.month - 1) // 3 + 1,
        "units": [unit.pk for unit in suggested[:10]],
    }
    form = forms.PlanForm(request.POST or None, user=request.user, initial=initial)
    return form_page(
        request,
        form=form,
        call=lambda data: services.inspection_plan_create(
            actor=request.user,
            year=data["year"],
            quarter=data["quarter"],
            units=data["units"],
            title=data["title"],
            note=data["note"],
        ),
        done=_("督查计划已保存为草稿。"),
        next_url=plan_url,
        heading=_("制定季度督查计划"),
        back_url=reverse("inspections:plan-list"),
        submit=_("保存"),
        suggested=suggested,
    )


@login_required
def plan_detail(request, pk):
    plan = visible_or_404(InspectionPlan.objects.all(), request.user, pk=pk)
    return render(
        request,
        "inspections/inspection_plan_detail.html",
        {
            "plan": plan,
            "units": plan.units.order_by("path"),
            "inspections": plan.inspections.order_by("started_on"),
            "can_manage": services.can_manage(request.user),
            "is_draft": plan.status == PlanStatus.DRAFT,
            "history": selectors.history_of(request.user, plan),
        },
    )


@login_required
def plan_edit(request, pk):
    plan = visible_or_404(InspectionPlan.objects.all(), request.user, pk=pk)
    deny_unless(services.can_manage(request.user) and plan.status == PlanStatus.DRAFT)
    initial = {"title": plan.title, "note": plan.note, "units": list(plan.units.all())}
    form = forms.PlanForm(request.POST or None, user=request.user, plan=plan, initial=initial)
    return form_page(
        request,
        form=form,
        call=lambda data: services.inspection_plan_update(
            plan, actor=request.user, units=data["units"], title=data["title"], note=data["note"]
        ),
        done=_("督查计划已保存。"),
        next_url=plan_url(plan),
        heading=_("修改督查计划"),
        back_url=plan_url(plan),
        submit=_("保存"),
        suggested=_suggested(request),
        subject=plan.title,
    )


@login_required
def plan_approve(request, pk):
    plan = visible_or_404(InspectionPlan.objects.all(), request.user, pk=pk)
    deny_unless(services.can_manage(request.user) and plan.status == PlanStatus.DRAFT)
    form = forms.ReviewForm(request.POST or None)
    return form_page(
        request,
        form=form,
        call=lambda data: services.inspection_plan_approve(
            plan, actor=request.user, reason=data["comment"]
        ),
        done=_("督查计划已确定。"),
        next_url=plan_url(plan),
        heading=_("确定督查计划"),
        back_url=plan_url(plan),
        submit=_("确定计划"),
        warning=_("确定后计划不能再修改。"),
        subject=plan.title,
    )

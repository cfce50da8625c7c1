"""Pages of the supervision cycles: the list with the "run now" form, and a
cycle's figures. Running a cycle creates a background job, queues the Celery
task after commit and sends the user to the job's progress page at once."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from inspections import selectors_cycles as selectors
from inspections import tasks
from inspections.choices import CycleKind
from inspections.cycles import parse_period, previous_period
from inspections.filters import CycleFilterSet
from inspections.services.cycles import can_run_cycles

PAGE_SIZE = 50


class RunCycleForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("周期类型"),
        choices=CycleKind.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    period = forms.CharField(
        label=gettext_lazy("期间"),
        max_length=16,
        widget=forms.TextInput(attrs={"class": "form-control"}),
        help_text=gettext_lazy("如 2012-03、2012-Q1、2012-H1、2012"),
    )

    def clean(self):
        data = super().clean()
        if "kind" in data and "period" in data:
            try:
                data["parsed"] = parse_period(data["kind"], data["period"])
            except ValidationError as error:
                self.add_error("period", error)
        return data


def list_page(request, filterset, queryset_transform=None):
    """Paginate a FilterSet's rows (shared by the cycle pages' lists)."""
    rows = filterset.qs
    paginator = Paginator(rows, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    active = [
        name
        for name in filterset.filters
        if name != "o" and filterset.form.data.get(name) not in (None, "")
    ]
    return {
        "filter": filterset,
        "page": page,
        "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "active_filters": active,
    }


def _initial_run(today):
    return {"kind": CycleKind.MONTHLY, "period": previous_period(CycleKind.MONTHLY, today).text}


@login_required
def cycle_list(request):
    filterset = CycleFilterSet(
        request.GET or None, queryset=selectors.cycles_for(request.user), request=request
    )
    context = list_page(request, filterset)
    if can_run_cycles(request.user):
        context["run_form"] = RunCycleForm(initial=_initial_run(timezone.localdate()))
    return render(request, "inspections/cycle_list.html", context)


@login_required
@require_POST
def cycle_run_now(request):
    """Start a cycle run in the background and show its progress."""
    if not can_run_cycles(request.user):
        raise PermissionDenied(_("只有纪委惩防办可以运行督查周期。"))
    form = RunCycleForm(request.POST)
    if not form.is_valid():
        filterset = CycleFilterSet(
            None, queryset=selectors.cycles_for(request.user), request=request
        )
        context = list_page(request, filterset)
        context["run_form"] = form
        return render(request, "inspections/cycle_list.html", context, status=400)
    with transaction.atomic():
        job, _created = tasks.cycle_job_start(period=form.cleaned_data["parsed"], user=request.user)
    messages.info(request, _("已提交后台运行,完成后可在督查周期页面查看结果。"))
    return redirect("jobs:detail", code=job.code)


@login_required
def cycle_detail(request, pk):
    cycle = selectors.cycle_detail(request.user, pk)
    if cycle is None:
        raise Http404
    snapshot = cycle.snapshot or {}
    return render(
        request,
        "inspections/cycle_detail.html",
        {
            "cycle": cycle,
            "snapshot": snapshot,
            "overall": snapshot.get("overall"),
            "comparison": snapshot.get("comparison"),
            "units": snapshot.get("units", []),
            "notices": selectors.cycle_notices(request.user, cycle),
            "reports": selectors.cycle_reports(request.user, cycle),
            "can_run": can_run_cycles(request.user),
        },
    )

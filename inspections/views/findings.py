"""Pages of findings and their rectification: the list, a finding's page
with its rectification history, and one page per workflow step."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from inspections import selectors
from inspections import supervision_forms as forms
from inspections.filters import FindingFilterSet
from inspections.models import Finding, Inspection
from inspections.services import findings as services
from inspections.views.pages import (
    deny_unless,
    file_download,
    form_page,
    list_page,
    post_action,
    visible_or_404,
)

FINDING_COLUMNS = (
    (None, gettext_lazy("问题描述")),
    ("unit", gettext_lazy("责任单位")),
    (None, gettext_lazy("督查")),
    ("severity", gettext_lazy("严重程度")),
    ("deadline", gettext_lazy("整改时限")),
    ("status", gettext_lazy("状态")),
)


def finding_url(finding) -> str:
    return reverse("inspections:finding-detail", args=[finding.pk])


def _finding(user, pk) -> Finding:
    return visible_or_404(
        Finding.objects.select_related("unit", "project", "inspection"), user, pk=pk
    )


@login_required
def finding_list(request):
    return list_page(
        request,
        filterset_class=FindingFilterSet,
        queryset=selectors.finding_list(request.user),
        template="inspections/finding_list.html",
        columns=FINDING_COLUMNS,
        today=timezone.localdate(),
    )


@login_required
def finding_detail(request, pk):
    finding = _finding(request.user, pk)
    return render(
        request,
        "inspections/finding_detail.html",
        {
            "finding": finding,
            "rectifications": selectors.finding_rectifications(finding),
            "history": selectors.history_of(request.user, finding),
            "can_rectify": services.can_rectify(request.user, finding),
            "can_review": services.can_review(request.user, finding),
            "can_start": services.can_rectify(request.user, finding)
            and finding.status != "rectifying",
            "today": timezone.localdate(),
        },
    )


@login_required
def finding_create(request, pk):
    inspection = visible_or_404(Inspection.objects.all(), request.user, pk=pk)
    deny_unless(services.can_record(request.user))
    form = forms.FindingForm(request.POST or None, user=request.user, inspection=inspection)
    return form_page(
        request,
        form=form,
        call=lambda data: services.finding_create(
            actor=request.user, inspection=inspection, **data
        ),
        done=_("督查问题已登记,责任单位将收到整改通知。"),
        next_url=finding_url,
        heading=_("登记督查问题"),
        back_url=reverse("inspections:inspection-detail", args=[inspection.pk]),
        submit=_("保存"),
        subject=inspection.title,
    )


@login_required
@require_POST
def finding_start(request, pk):
    finding = _finding(request.user, pk)
    deny_unless(services.can_rectify(request.user, finding))
    return post_action(
        request,
        call=lambda: services.finding_start(finding, actor=request.user),
        done=_("已开始整改。"),
        next_url=finding_url(finding),
    )


@login_required
def finding_submit(request, pk):
    finding = _finding(request.user, pk)
    deny_unless(services.can_rectify(request.user, finding))
    form = forms.RectifyForm(request.POST or None, request.FILES or None)
    return form_page(
        request,
        form=form,
        call=lambda data: services.finding_submit(
            finding, actor=request.user, description=data["description"], file=data["file"]
        ),
        done=_("整改报告已提交,等待纪委惩防办核实。"),
        next_url=finding_url(finding),
        heading=_("提交整改报告"),
        back_url=finding_url(finding),
        submit=_("提交"),
        summary=finding.required_rectification,
        subject=finding.description,
    )


@login_required
def finding_verify(request, pk):
    finding = _finding(request.user, pk)
    deny_unless(services.can_review(request.user, finding))
    form = forms.ReviewForm(request.POST or None)
    return form_page(
        request,
        form=form,
        call=lambda data: services.finding_verify(
            finding, actor=request.user, comment=data["comment"]
        ),
        done=_("整改已核实,问题销号。"),
        next_url=finding_url(finding),
        heading=_("核实销号"),
        back_url=finding_url(finding),
        submit=_("核实销号"),
        subject=finding.description,
    )


@login_required
def finding_return(request, pk):
    finding = _finding(request.user, pk)
    deny_unless(services.can_review(request.user, finding))
    form = forms.ReturnForm(request.POST or None)
    return form_page(
        request,
        form=form,
        call=lambda data: services.finding_return(
            finding, actor=request.user, comment=data["comment"]
        ),
        done=_("整改已退回责任单位。"),
        next_url=finding_url(finding),
        heading=_("退回整改"),
        back_url=finding_url(finding),
        submit=_("确认退回"),
        danger=True,
        subject=finding.description,
    )


@login_required
def rectification_download(request, pk):
    rectification = selectors.rectification_for_download(request.user, pk)
    if rectification is None or not rectification.evidence:
        raise Http404
    return file_download(rectification)

"""Pages of the notices (通报): the list, a notice as a page and as a PDF, and
the commission's workflow steps (edit a draft, take a unit off it, review,
return, publish, reopen, regenerate), each a POST calling one service."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from inspections import selectors_cycles as selectors
from inspections.choices import NoticeStatus
from inspections.filters import NoticeFilterSet
from inspections.models import NoticeUnit
from inspections.services import notices as services
from inspections.services.cycles import can_run_cycles
from inspections.views.cycles import list_page
from pingxiang_cf.pdf import pdf_response


class NoticeEditForm(forms.Form):
    title = forms.CharField(
        label=gettext_lazy("标题"),
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    body = forms.CharField(
        label=gettext_lazy("正文"),
        widget=forms.Textarea(attrs={"rows": 12, "class": "form-control"}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("理由"),
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        max_length=2000,
    )


def _notice(request, code):
    notice = selectors.notice_detail(request.user, code)
    if notice is None:
        raise Http404
    return notice


def _commission_only(user):
    if not can_run_cycles(user):
        raise PermissionDenied(_("只有纪委惩防办可以办理通报。"))


@login_required
def notice_list(request):
    filterset = NoticeFilterSet(
        request.GET or None, queryset=selectors.notices_for(request.user), request=request
    )
    context = list_page(request, filterset)
    context["is_commission"] = can_run_cycles(request.user)
    return render(request, "inspections/notice_list.html", context)


def _detail_context(request, notice, **extra):
    context = services.notice_context(notice)
    is_commission = can_run_cycles(request.user)
    draft = notice.status == NoticeStatus.DRAFT
    context.update(
        named=selectors.notice_named(request.user, notice),
        history=selectors.notice_history(notice) if is_commission else [],
        actions={
            "edit": is_commission and draft,
            "review": is_commission and draft,
            "regenerate": is_commission and draft and notice.cycle_id is not None,
            "return": is_commission and notice.status == NoticeStatus.REVIEWED,
            "publish": is_commission and notice.status == NoticeStatus.REVIEWED,
            "reopen": is_commission and notice.status == NoticeStatus.PUBLISHED,
        },
        edit_form=NoticeEditForm(initial={"title": notice.title, "body": notice.body}),
        reason_form=ReasonForm(),
    )
    context.update(extra)
    return context


@login_required
def notice_detail(request, code):
    notice = _notice(request, code)
    return render(request, "inspections/notice_detail.html", _detail_context(request, notice))


@login_required
def notice_pdf(request, code):
    """The notice as a PDF: the stored file when it is current, else rendered now."""
    notice = _notice(request, code)
    filename = f"{notice.title}.pdf"
    if notice.pdf:
        try:
            return FileResponse(notice.pdf.open("rb"), as_attachment=True, filename=filename)
        except FileNotFoundError:
            pass
    return pdf_response(services.render_notice_pdf(notice), filename)


def _run(request, notice, step, success: str, **kwargs):
    try:
        step(notice, actor=request.user, **kwargs)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect("inspections:notice-detail", code=notice.code)


def _step(request, code):
    notice = _notice(request, code)
    _commission_only(request.user)
    return notice


@login_required
@require_POST
def notice_edit(request, code):
    notice = _step(request, code)
    form = NoticeEditForm(request.POST)
    if not form.is_valid():
        context = _detail_context(request, notice, edit_form=form)
        return render(request, "inspections/notice_detail.html", context, status=400)
    return _run(request, notice, services.notice_update, _("通报已保存。"), **form.cleaned_data)


def _reason_step(request, code, step, success):
    notice = _step(request, code)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        context = _detail_context(request, notice, reason_form=form)
        return render(request, "inspections/notice_detail.html", context, status=400)
    return _run(request, notice, step, success, reason=form.cleaned_data["reason"])


@login_required
@require_POST
def notice_review(request, code):
    notice = _step(request, code)
    return _run(request, notice, services.notice_review, _("通报已审核。"))


@login_required
@require_POST
def notice_return(request, code):
    return _reason_step(request, code, services.notice_return, _("通报已退回草稿。"))


@login_required
@require_POST
def notice_publish(request, code):
    notice = _step(request, code)
    return _run(request, notice, services.notice_publish, _("通报已发布。"))


@login_required
@require_POST
def notice_reopen(request, code):
    return _reason_step(request, code, services.notice_reopen, _("通报已撤回为草稿。"))


@login_required
@require_POST
def notice_regenerate(request, code):
    notice = _step(request, code)
    return _run(request, notice, services.notice_regenerate, _("已按最新数据重新生成通报。"))


@login_required
@require_POST
def notice_unit_remove(request, code, pk):
    notice = _step(request, code)
    named = NoticeUnit.objects.restrict(request.user).filter(notice=notice, pk=pk).first()
    if named is None:
        raise Http404
    form = ReasonForm(request.POST)
    if not form.is_valid():
        context = _detail_context(request, notice, reason_form=form)
        return render(request, "inspections/notice_detail.html", context, status=400)
    try:
        services.notice_unit_remove(named, actor=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已将该单位移出通报。"))
    return redirect("inspections:notice-detail", code=notice.code)

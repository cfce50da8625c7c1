"""Pages of the escalation ladder: reminders (催办), supervision letters
(督办函) with their replies and PDF, interviews (约谈), and a unit's
supervision page. Reads through inspections.selectors, writes through one
service call each."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accountability.models import Unit
from inspections import selectors
from inspections import supervision_forms as forms
from inspections.filters import SupervisionLetterFilterSet, SupervisionReminderFilterSet
from inspections.models import Interview, SupervisionLetter, SupervisionReminder
from inspections.services import letters as services
from inspections.services import rules
from inspections.tasks import propose_reminders_task
from inspections.views.pages import (
    deny_unless,
    file_download,
    form_page,
    list_page,
    visible_or_404,
)
from pingxiang_cf.jobs import job_create, job_enqueue

REMINDER_COLUMNS = (
    ("unit", gettext_lazy("单位")),
    (None, gettext_lazy("事由")),
    (None, gettext_lazy("滞后情况")),
    ("due_date", gettext_lazy("完成时限")),
    ("proposed_on", gettext_lazy("提出日期")),
    ("status", gettext_lazy("状态")),
)
LETTER_COLUMNS = (
    ("number", gettext_lazy("文号")),
    (None, gettext_lazy("标题")),
    ("unit", gettext_lazy("督办单位")),
    ("issued_on", gettext_lazy("发函日期")),
    ("reply_deadline", gettext_lazy("回复时限")),
    ("status", gettext_lazy("状态")),
)


def letter_url(letter, anchor="") -> str:
    url = reverse("inspections:letter-detail", args=[letter.code])
    return f"{url}#{anchor}" if anchor else url


def _letter(user, code) -> SupervisionLetter:
    return visible_or_404(
        SupervisionLetter.objects.select_related("unit", "project", "assignment", "finding"),
        user,
        code=code,
    )


def _reminder(user, pk) -> SupervisionReminder:
    return visible_or_404(
        SupervisionReminder.objects.select_related("unit", "project", "assignment", "finding"),
        user,
        pk=pk,
    )


# --- Reminders ---------------------------------------------------------------------------


@login_required
def reminder_list(request):
    return list_page(
        request,
        filterset_class=SupervisionReminderFilterSet,
        queryset=selectors.reminder_list(request.user),
        template="inspections/letter_reminder_list.html",
        columns=REMINDER_COLUMNS,
        can_issue=services.can_issue(request.user),
    )


@login_required
@require_POST
def reminder_propose(request):
    """Run the proposal now, as a background job (the monthly cycle runs it
    too): the page returns at once and shows the job's progress."""
    deny_unless(services.can_issue(request.user))
    job = job_create(
        kind="inspections.propose_reminders",
        key="today",
        title=_("生成催办建议"),
        user=request.user,
    )
    job_enqueue(job, propose_reminders_task, request.user.pk)
    return redirect("jobs:detail", job.code)


@login_required
def reminder_send(request, pk):
    reminder = _reminder(request.user, pk)
    deny_unless(services.can_handle_reminder(request.user, reminder))
    form = forms.ReminderSendForm(request.POST or None)
    return form_page(
        request,
        form=form,
        call=lambda data: services.reminder_send(
            reminder, actor=request.user, respond_by=data["respond_by"], note=data["note"]
        ),
        done=_("已向%(unit)s发出催办。") % {"unit": reminder.unit.name},
        next_url=reverse("inspections:reminder-list"),
        heading=_("发出催办"),
        back_url=reverse("inspections:reminder-list"),
        submit=_("发出催办"),
        summary=reminder.detail,
        subject=reminder.unit.name,
    )


@login_required
def reminder_dismiss(request, pk):
    reminder = _reminder(request.user, pk)
    deny_unless(services.can_handle_reminder(request.user, reminder))
    form = forms.ReasonForm(request.POST or None)
    return form_page(
        request,
        form=form,
        call=lambda data: services.reminder_dismiss(
            reminder, actor=request.user, reason=data["reason"]
        ),
        done=_("催办已撤销。"),
        next_url=reverse("inspections:reminder-list"),
        heading=_("撤销催办"),
        back_url=reverse("inspections:reminder-list"),
        submit=_("确认撤销"),
        danger=True,
        warning=_("撤销后该事项不再催办;下次生成催办建议时如仍滞后会重新提出。"),
        summary=reminder.detail,
        subject=reminder.unit.name,
    )


@login_required
def reminder_issue(request, pk):
    """Issue a letter from a reminder."""
    reminder = _reminder(request.user, pk)
    deny_unless(services.can_handle_reminder(request.user, reminder))
    form = forms.LetterIssueForm(request.POST or None, user=request.user, reminder=reminder)
    return form_page(
        request,
        form=form,
        call=lambda data: services.letter_issue(
            actor=request.user,
            reminder=reminder,
            reply_deadline=data["reply_deadline"],
            title=data["title"],
            items=data["items"],
        ),
        done=_("督办函已发出。"),
        next_url=letter_url,
        heading=_("发督办函"),
        back_url=reverse("inspections:reminder-list"),
        submit=_("发出督办函"),
        summary=reminder.detail,
        subject=reminder.unit.name,
    )


# --- Letters -----------------------------------------------------------------------------


@login_required
def letter_list(request):
    return list_page(
        request,
        filterset_class=SupervisionLetterFilterSet,
        queryset=selectors.letter_list(request.user),
        template="inspections/letter_list.html",
        columns=LETTER_COLUMNS,
        can_issue=services.can_issue(request.user),
        today=timezone.localdate(),
    )


@login_required
def letter_create(request):
    deny_unless(services.can_issue(request.user))
    form = forms.LetterIssueForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form=form,
        call=lambda data: services.letter_issue(
            actor=request.user,
            unit=data["unit"],
            reason=data["reason"],
            project=data["project"],
            reply_deadline=data["reply_deadline"],
            title=data["title"],
            items=data["items"],
        ),
        done=_("督办函已发出。"),
        next_url=letter_url,
        heading=_("发督办函"),
        back_url=reverse("inspections:letter-list"),
        submit=_("发出督办函"),
    )


@login_required
def letter_detail(request, code):
    letter = _letter(request.user, code)
    page = selectors.letter_page(request.user, letter)
    return render(
        request,
        "inspections/letter_detail.html",
        {
            "letter": letter,
            "page": page,
            "can_reply": services.can_reply(request.user, letter),
            "can_review": services.can_review(request.user, letter),
            "can_record": page.interview is not None
            and services.can_record_interview(request.user, page.interview),
            "today": timezone.localdate(),
        },
    )


@login_required
def letter_pdf(request, code):
    """The letter as an A4 PDF in the official layout."""
    from pingxiang_cf.pdf import pdf_response, render_pdf

    letter = _letter(request.user, code)
    pdf = render_pdf("pdf/letter.html", selectors.letter_document(letter))
    return pdf_response(pdf, f"{letter.number}.pdf")


@login_required
def letter_reply(request, code):
    letter = _letter(request.user, code)
    deny_unless(services.can_reply(request.user, letter))
    form = forms.LetterReplyForm(request.POST or None, request.FILES or None)
    return form_page(
        request,
        form=form,
        call=lambda data: services.letter_reply(
            letter, actor=request.user, content=data["content"], file=data["file"]
        ),
        done=_("已回复督办函,等待纪委惩防办审核。"),
        next_url=letter_url(letter, "replies"),
        heading=_("回复督办函"),
        back_url=letter_url(letter),
        submit=_("提交回复"),
        summary=letter.items,
        subject=f"{letter.number} {letter.title}",
    )


@login_required
def letter_accept(request, code):
    letter = _letter(request.user, code)
    deny_unless(services.can_review(request.user, letter))
    form = forms.ReviewForm(request.POST or None)
    return form_page(
        request,
        form=form,
        call=lambda data: services.letter_accept(
            letter, actor=request.user, comment=data["comment"]
        ),
        done=_("督办函已办结。"),
        next_url=letter_url(letter),
        heading=_("审核通过并办结"),
        back_url=letter_url(letter),
        submit=_("同意办结"),
        summary=letter.reply,
        subject=f"{letter.number} {letter.title}",
    )


@login_required
def letter_return(request, code):
    letter = _letter(request.user, code)
    deny_unless(services.can_review(request.user, letter))
    form = forms.LetterReturnForm(request.POST or None)
    return form_page(
        request,
        form=form,
        call=lambda data: services.letter_return(
            letter,
            actor=request.user,
            comment=data["comment"],
            reply_deadline=data["reply_deadline"],
        ),
        done=_("回复已退回被督办单位。"),
        next_url=letter_url(letter),
        heading=_("退回回复"),
        back_url=letter_url(letter),
        submit=_("确认退回"),
        danger=True,
        summary=letter.reply,
        subject=f"{letter.number} {letter.title}",
    )


@login_required
def reply_download(request, pk):
    reply = selectors.reply_for_download(request.user, pk)
    if reply is None or not reply.evidence:
        raise Http404
    return file_download(reply)


@login_required
def interview_record(request, pk):
    interview = visible_or_404(
        Interview.objects.select_related("letter", "unit"), request.user, pk=pk
    )
    deny_unless(services.can_record_interview(request.user, interview))
    form = forms.InterviewForm(request.POST or None, initial={"held_on": timezone.localdate()})
    return form_page(
        request,
        form=form,
        call=lambda data: services.interview_record(interview, actor=request.user, **data),
        done=_("约谈记录已保存。"),
        next_url=letter_url(interview.letter, "interview"),
        heading=_("记录约谈"),
        back_url=letter_url(interview.letter),
        submit=_("保存约谈记录"),
        subject=f"{interview.unit.name} · {interview.letter.number}",
    )


# --- A unit's supervision page ---------------------------------------------------------------


@login_required
def unit_supervision(request, pk):
    """Every step of the ladder for one unit: reminders, letters, interviews,
    findings and meeting items, each with its status and deadline."""
    unit = visible_or_404(Unit.objects.all(), request.user, pk=pk)
    page = selectors.unit_supervision(request.user, unit)
    return render(
        request,
        "inspections/letter_unit_supervision.html",
        {
            "unit": unit,
            "page": page,
            "today": timezone.localdate(),
            "is_commission": rules.is_commission(request.user),
        },
    )

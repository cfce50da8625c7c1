"""The escalation ladder (督办): reminders (催办) proposed for lagging
projects, assignments and overdue findings → a numbered supervision letter
(督办函) to the unit with a reply deadline → the unit's written answer with
evidence → accepted (closed) or returned by the commission; an answer
overdue escalates to an interview (约谈) record.

Every step has its own status and deadline and appends a Transition; every
function takes the acting user (None for system jobs), runs in one
transaction and writes through the audited helpers."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from inspections.choices import (
    OPEN_REMINDER_STATES,
    CycleKind,
    InterviewStatus,
    LetterReason,
    LetterStatus,
    ReminderStatus,
)
from inspections.cycles import cycle_handler
from inspections.models import (
    Interview,
    LetterNumberCounter,
    LetterReply,
    SupervisionLetter,
    SupervisionReminder,
)
from inspections.selectors import lagging_subjects
from inspections.services import rules
from pingxiang_cf import audit
from pingxiang_cf.models import Notification, NotificationVerb
from pingxiang_cf.notifications import build_notifications, notify
from pingxiang_cf.services import audited_create, audited_transition, audited_update
from pingxiang_cf.storedfiles import atomic_with_files

# The issuing office and the letter number: 萍纪惩督〔2012〕7号.
LETTER_NUMBER_PREFIX = "萍纪惩督"
ISSUING_OFFICE = "中共萍乡市纪委惩防办"


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def reply_days() -> int:
    """Default days a unit has to answer a letter."""
    return _setting("LETTER_REPLY_DAYS", 15)


def interview_days() -> int:
    """Days the commission has to hold an interview once a letter escalates."""
    return _setting("INTERVIEW_DAYS", 7)


def due_soon_days() -> int:
    """Days before a reply deadline when the unit is reminded."""
    return _setting("LETTER_DUE_SOON_DAYS", 3)


OPEN_LETTER_STATES = (
    LetterStatus.ISSUED,
    LetterStatus.ANSWERED,
    LetterStatus.RETURNED,
    LetterStatus.ESCALATED,
)
# States in which the unit owes an answer.
AWAITING_REPLY = (LetterStatus.ISSUED, LetterStatus.RETURNED, LetterStatus.ESCALATED)


# --- Who may do what ----------------------------------------------------------------------


def can_issue(user) -> bool:
    return rules.is_commission(user)


def can_reply(user, letter: SupervisionLetter) -> bool:
    """The letter's unit answers it (its editors), while an answer is owed."""
    return letter.status in AWAITING_REPLY and rules.edits_unit(user, letter.unit)


def can_review(user, letter: SupervisionLetter) -> bool:
    return letter.status == LetterStatus.ANSWERED and rules.is_commission(user)


def can_record_interview(user, interview: Interview) -> bool:
    return interview.status == InterviewStatus.SCHEDULED and rules.is_commission(user)


def can_handle_reminder(user, reminder: SupervisionReminder) -> bool:
    return reminder.status in OPEN_REMINDER_STATES and rules.is_commission(user)


# --- Reminders (催办) ---------------------------------------------------------------------


def _open_keys(model, states) -> set[tuple[int, str, str]]:
    return set(
        model.objects.filter(status__in=states)
        .exclude(subject_key="")
        .values_list("unit_id", "reason", "subject_key")
    )


def letters_propose_reminders(*, cycle=None, actor=None, today=None, on_progress=None) -> int:
    """Propose a reminder (催办) for every lagging project, assignment and
    overdue finding that has neither an open reminder nor an open letter for
    the same unit, reason and subject. Judged as of `today` (default: the
    cycle's last day, else today). Idempotent: a second run proposes nothing
    (a database constraint keeps one open reminder per unit, reason and
    subject even when two runs race). `on_progress(done, total)`, if given,
    is called as the subjects are worked through (for a job's progress bar).
    Returns how many were proposed."""
    rules.ensure_commission(actor)
    if today is None:
        today = cycle.period_end if cycle is not None else timezone.localdate()
    taken = _open_keys(SupervisionReminder, OPEN_REMINDER_STATES) | _open_keys(
        SupervisionLetter, OPEN_LETTER_STATES
    )
    created = 0
    specs = lagging_subjects(today)
    for index, spec in enumerate(specs, 1):
        if on_progress is not None and (index % 25 == 0 or index == len(specs)):
            on_progress(index, len(specs))
        key = rules.subject_key(
            project=spec.get("project"),
            assignment=spec.get("assignment"),
            finding=spec.get("finding"),
        )
        if (spec["unit"].pk, spec["reason"], key) in taken:
            continue
        try:
            with transaction.atomic():
                audited_create(
                    SupervisionReminder,
                    actor=actor,
                    cycle=cycle,
                    subject_key=key,
                    proposed_on=today,
                    status=ReminderStatus.PROPOSED,
                    **spec,
                )
        except (IntegrityError, ValidationError):
            continue  # proposed meanwhile by another run
        taken.add((spec["unit"].pk, spec["reason"], key))
        created += 1
    return created


@transaction.atomic
def reminder_send(reminder: SupervisionReminder, *, actor, respond_by: datetime.date, note=""):
    """The commission urges the unit (催办): its editors are notified and the
    unit is expected to catch up by `respond_by`."""
    rules.ensure_commission(actor)
    reminder = rules.lock(reminder)
    if reminder.status != ReminderStatus.PROPOSED:
        raise ValidationError(_("只有待处理的催办可以发出。"))
    today = timezone.localdate()
    if respond_by is None or respond_by < today:
        raise ValidationError({"respond_by": _("回复时限不能早于今天。")})
    audited_update(reminder, actor=actor, respond_by=respond_by)
    audited_transition(
        reminder, actor=actor, to_state=ReminderStatus.SENT, reason=note or _("发出催办")
    )
    notify(
        recipients=rules.editor_ids(reminder.unit_id),
        verb=NotificationVerb.REMINDER,
        obj=reminder,
        message=_("纪委惩防办催办:%(detail)s 请于%(due)s前加快推进并报告进展。")
        % {"detail": reminder.detail, "due": respond_by.isoformat()},
    )
    return reminder


@transaction.atomic
def reminder_dismiss(reminder: SupervisionReminder, *, actor, reason: str):
    """The commission drops a reminder (e.g. the delay is explained)."""
    rules.ensure_commission(actor)
    reason = rules.required_text(reason, "reason", _("请填写撤销催办的原因。"))
    reminder = rules.lock(reminder)
    if reminder.status not in OPEN_REMINDER_STATES:
        raise ValidationError(_("该催办已处理,不能撤销。"))
    return audited_transition(
        reminder, actor=actor, to_state=ReminderStatus.DISMISSED, reason=reason
    )


# --- Letters (督办函) -----------------------------------------------------------------------


# A monthly cycle proposes reminders only while it is current: rerunning an
# old month (or loading history) must not dig up reminders nobody can act on.
CURRENT_CYCLE_DAYS = 45


@cycle_handler(CycleKind.MONTHLY)
def propose_reminders_for_cycle(*, cycle, actor=None) -> int:
    """The month's cycle proposes the reminders (催办) for what lags at the
    month's end; the commission then sends them or turns them into letters.
    The "propose reminders" button does the same for any day."""
    if cycle.period_end < timezone.localdate() - datetime.timedelta(days=CURRENT_CYCLE_DAYS):
        return 0
    return letters_propose_reminders(cycle=cycle, actor=actor)


def next_letter_number(year: int) -> str:
    """The next number of the year, race-free: the year's counter row is
    locked until the transaction ends. A new year's counter starts after the
    highest number already used that year (letters loaded from elsewhere)."""
    counter, created = LetterNumberCounter.objects.get_or_create(year=year)
    counter = LetterNumberCounter.objects.select_for_update().get(pk=counter.pk)
    if created or counter.last == 0:
        counter.last = _highest_used(year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{LETTER_NUMBER_PREFIX}〔{year}〕{counter.last}号"


def _highest_used(year: int) -> int:
    prefix = f"{LETTER_NUMBER_PREFIX}〔{year}〕"
    highest = 0
    for number in SupervisionLetter.objects.filter(number__startswith=prefix).values_list(
        "number", flat=True
    ):
        digits = number[len(prefix) :].rstrip("号")
        if digits.isdigit():
            highest = max(highest, int(digits))
    return highest


def letter_text(*, unit, reason, project=None, assignment=None, finding=None, detail="",
                reply_deadline=None) -> tuple[str, str]:  # fmt: skip
    """Title and items of a letter, from the template
    inspections/letter_items.txt (the assembled 督办函 order: 事由 → 督办事项 →
    办理要求 → 时限 → 逾期后果)."""
    context = {
        "unit": unit,
        "reason": reason,
        "reasons": LetterReason,
        "project": project,
        "assignment": assignment,
        "finding": finding,
        "detail": detail,
        "reply_deadline": reply_deadline,
    }
    if finding is not None:
        title = _("关于督促%(unit)s限期整改督查发现问题的督办函") % {"unit": unit.name}
    elif project is not None:
        title = _("关于加快推进“%(name)s”项目的督办函") % {"name": project.name}
    else:
        title = _("关于%(unit)s有关工作的督办函") % {"unit": unit.name}
    items = render_to_string("inspections/letter_items.txt", context).strip()
    return title[:200], items


def _letter_subject(reminder, unit, reason, project, assignment, finding):
    if reminder is not None:
        return (
            reminder.unit,
            reminder.reason,
            reminder.project,
            reminder.assignment,
            reminder.finding,
        )
    return unit, reason, project, assignment, finding


@transaction.atomic
def letter_issue(
    *,
    actor,
    reply_deadline: datetime.date | None = None,
    reminder: SupervisionReminder | None = None,
    unit=None,
    reason: str = LetterReason.LAGGING_PROJECT,
    project=None,
    assignment=None,
    finding=None,
    items: str = "",
    title: str = "",
    issued_on: datetime.date | None = None,
    cycle=None,
) -> SupervisionLetter:
    """The commission issues a numbered supervision letter to a unit, from an
    open reminder (its unit, reason and subject) or for the subject given.
    Title and items come from the letter template unless given. The letter
    starts "issued" with its reply deadline (default LETTER_REPLY_DAYS days);
    the unit's editors are notified."""
    rules.ensure_commission(actor)
    if reminder is not None:
        reminder = rules.lock(reminder)
        if reminder.status not in OPEN_REMINDER_STATES:
            raise ValidationError(_("该催办已处理,不能再据此发督办函。"))
    unit, reason, project, assignment, finding = _letter_subject(
        reminder, unit, reason, project, assignment, finding
    )
    if unit is None:
        raise ValidationError({"unit": _("请选择督办单位。")})
    issued_on = issued_on or timezone.localdate()
    reply_deadline = reply_deadline or issued_on + datetime.timedelta(days=reply_days())
    if reply_deadline < issued_on:
        raise ValidationError({"reply_deadline": _("回复时限不能早于发函日期。")})
    default_title, default_items = letter_text(
        unit=unit,
        reason=reason,
        project=project,
        assignment=assignment,
        finding=finding,
        detail=reminder.detail if reminder is not None else "",
        reply_deadline=reply_deadline,
    )
    key = rules.subject_key(project=project, assignment=assignment, finding=finding)
    if (
        key
        and SupervisionLetter.objects.filter(
            unit=unit, reason=reason, subject_key=key, status__in=OPEN_LETTER_STATES
        ).exists()
    ):
        raise ValidationError(_("该单位就同一事由和对象已有未办结的督办函。"))
    letter = audited_create(
        SupervisionLetter,
        actor=actor,
        number=next_letter_number(issued_on.year),
        title=(title or "").strip() or default_title,
        cycle=cycle or (reminder.cycle if reminder is not None else None),
        unit=unit,
        project=project,
        assignment=assignment,
        finding=finding,
        reason=reason,
        items=(items or "").strip() or default_items,
        issued_on=issued_on,
        reply_deadline=reply_deadline,
        subject_key=key,
        status=LetterStatus.DRAFT,
    )
    audited_transition(letter, actor=actor, to_state=LetterStatus.ISSUED, reason=_("发出督办函"))
    if reminder is not None:
        audited_update(reminder, actor=actor, letter=letter)
        audited_transition(
            reminder,
            actor=actor,
            to_state=ReminderStatus.LETTER,
            reason=_("已发督办函%(number)s") % {"number": letter.number},
        )
    notify(
        recipients=rules.editor_ids(unit.pk),
        verb=NotificationVerb.LETTER,
        obj=letter,
        message=_("纪委惩防办向你单位发出督办函%(number)s「%(title)s」,请于%(due)s前书面回复。")
        % {"number": letter.number, "title": letter.title, "due": reply_deadline.isoformat()},
    )
    return letter


def _check_awaiting(letter: SupervisionLetter) -> None:
    if letter.status not in AWAITING_REPLY:
        raise ValidationError(
            _("督办函“%(status)s”,现在不能回复。") % {"status": letter.get_status_display()}
        )


@atomic_with_files
def letter_reply(
    letter: SupervisionLetter, *, actor, content: str, file=None, replied_on=None
) -> LetterReply:
    """The unit answers in writing (its editors only), with an evidence file
    (type checked by content, size limited). The letter becomes "answered";
    the commission is notified."""
    rules.ensure(
        actor,
        actor is None or rules.edits_unit(actor, letter.unit),
        _("督办函只能由被督办单位回复。"),
    )
    letter = rules.lock(letter)
    _check_awaiting(letter)
    content = rules.required_text(content, "content", _("请填写回复内容。"))
    replied_on = replied_on or timezone.localdate()
    values = {}
    if file is not None:
        values = rules.store_evidence(
            file, field=LetterReply._meta.get_field("evidence"), instance=LetterReply(letter=letter)
        )
    reply = audited_create(
        LetterReply,
        actor=actor,
        letter=letter,
        content=content,
        submitted_by=rules.author(actor),
        submitted_on=replied_on,
        **values,
    )
    audited_update(letter, actor=actor, reply=content, replied_on=replied_on)
    audited_transition(
        letter, actor=actor, to_state=LetterStatus.ANSWERED, reason=_("单位书面回复")
    )
    notify(
        recipients=rules.commission_user_ids(),
        verb=NotificationVerb.DUE_SOON,
        obj=letter,
        message=_("%(unit)s已回复督办函%(number)s,请审核。")
        % {"unit": letter.unit.name, "number": letter.number},
    )
    return reply


def _latest_reply(letter) -> LetterReply | None:
    return letter.replies.order_by("-submitted_on", "-pk").first()


def _review_reply(letter, *, actor, accepted: bool, comment: str) -> None:
    reply = _latest_reply(letter)
    if reply is not None:
        audited_update(
            reply,
            actor=actor,
            accepted=accepted,
            review_comment=comment,
            reviewed_by=rules.author(actor),
            reviewed_on=timezone.localdate(),
        )


def _check_answered(letter) -> None:
    if letter.status != LetterStatus.ANSWERED:
        raise ValidationError(
            _("只能审核已回复的督办函;该督办函“%(status)s”。")
            % {"status": letter.get_status_display()}
        )


@transaction.atomic
def letter_accept(letter: SupervisionLetter, *, actor, comment: str = "") -> SupervisionLetter:
    """The commission accepts the answer: the letter is closed (办结)."""
    rules.ensure_commission(actor)
    letter = rules.lock(letter)
    _check_answered(letter)
    comment = (comment or "").strip()
    _review_reply(letter, actor=actor, accepted=True, comment=comment)
    audited_transition(
        letter, actor=actor, to_state=LetterStatus.CLOSED, reason=comment or _("回复属实,同意办结")
    )
    notify(
        recipients=rules.editor_ids(letter.unit_id),
        verb=NotificationVerb.VERIFIED,
        obj=letter,
        message=_("督办函%(number)s的回复已审核通过,督办事项办结。") % {"number": letter.number},
    )
    return letter


@transaction.atomic
def letter_return(
    letter: SupervisionLetter, *, actor, comment: str, reply_deadline=None
) -> SupervisionLetter:
    """The commission returns the answer with a comment (required); the unit
    must answer again, by `reply_deadline` when a new one is given."""
    rules.ensure_commission(actor)
    comment = rules.required_text(comment, "comment", _("退回回复须填写退回意见。"))
    letter = rules.lock(letter)
    _check_answered(letter)
    if reply_deadline is not None:
        if reply_deadline < timezone.localdate():
            raise ValidationError({"reply_deadline": _("新的回复时限不能早于今天。")})
        audited_update(letter, actor=actor, reply_deadline=reply_deadline)
    _review_reply(letter, actor=actor, accepted=False, comment=comment)
    audited_transition(letter, actor=actor, to_state=LetterStatus.RETURNED, reason=comment)
    notify(
        recipients=rules.editor_ids(letter.unit_id),
        verb=NotificationVerb.RETURNED,
        obj=letter,
        message=_("督办函%(number)s的回复被退回:%(comment)s 请于%(due)s前重新回复。")
        % {
            "number": letter.number,
            "comment": comment,
            "due": letter.reply_deadline.isoformat(),
        },
    )
    return letter


# --- Escalation to an interview (约谈) ------------------------------------------------------


def letters_escalate_overdue(*, today=None, actor=None) -> int:
    """Escalate every letter whose answer is overdue (issued or returned, the
    reply deadline passed): the letter becomes "escalated" and an interview
    is scheduled (deadline INTERVIEW_DAYS days on). Idempotent: an escalated
    letter is not escalated again and a letter has at most one interview (a
    database constraint). Returns how many letters were escalated."""
    rules.ensure_commission(actor)
    today = today or timezone.localdate()
    overdue = SupervisionLetter.objects.filter(
        status__in=(LetterStatus.ISSUED, LetterStatus.RETURNED), reply_deadline__lt=today
    ).values_list("pk", flat=True)
    escalated = 0
    for pk in list(overdue):
        if _escalate(pk, today=today, actor=actor):
            escalated += 1
    return escalated


@transaction.atomic
def _escalate(pk: int, *, today, actor) -> bool:
    letter = (
        SupervisionLetter.objects.select_for_update()
        .filter(pk=pk, status__in=(LetterStatus.ISSUED, LetterStatus.RETURNED))
        .first()
    )
    if letter is None or letter.reply_deadline >= today:
        return False  # answered or escalated meanwhile
    reason = _("超过回复时限(%(due)s)未回复,转约谈") % {"due": letter.reply_deadline.isoformat()}
    audited_transition(letter, actor=actor, to_state=LetterStatus.ESCALATED, reason=reason)
    interview = Interview.objects.filter(letter=letter).first()
    if interview is None:
        interview = audited_create(
            Interview,
            actor=actor,
            letter=letter,
            unit=letter.unit,
            status=InterviewStatus.SCHEDULED,
            deadline=today + datetime.timedelta(days=interview_days()),
        )
        audit.record_transition(
            actor=actor,
            obj=interview,
            field="status",
            from_state="",
            to_state=InterviewStatus.SCHEDULED,
            reason=reason,
        )
    notify(
        recipients=rules.editor_ids(letter.unit_id),
        verb=NotificationVerb.INTERVIEW,
        obj=letter,
        message=_("你单位未在时限内回复督办函%(number)s,纪委惩防办将约谈单位主要负责人。")
        % {"number": letter.number},
    )
    notify(
        recipients=rules.commission_user_ids(),
        verb=NotificationVerb.INTERVIEW,
        obj=interview,
        message=_("%(unit)s逾期未回复督办函%(number)s,请于%(due)s前组织约谈。")
        % {
            "unit": letter.unit.name,
            "number": letter.number,
            "due": interview.deadline.isoformat(),
        },
    )
    return True


@transaction.atomic
def interview_record(
    interview: Interview,
    *,
    actor,
    held_on: datetime.date,
    interviewers: str,
    interviewees: str,
    minutes: str,
    commitments: str,
) -> Interview:
    """The commission records the interview held: date, who talked to whom,
    the minutes and the unit's commitments. The letter still awaits the
    unit's written answer."""
    rules.ensure_commission(actor)
    interview = rules.lock(interview)
    if interview.status != InterviewStatus.SCHEDULED:
        raise ValidationError(_("该约谈已记录。"))
    errors = {}
    if held_on is None:
        errors["held_on"] = [_("请填写约谈日期。")]
    elif held_on > timezone.localdate():
        errors["held_on"] = [_("约谈日期不能晚于今天。")]
    elif interview.letter.issued_on and held_on < interview.letter.issued_on:
        errors["held_on"] = [_("约谈日期不能早于发函日期。")]
    for name, value, message in (
        ("interviewers", interviewers, _("请填写约谈人。")),
        ("interviewees", interviewees, _("请填写被约谈人。")),
        ("minutes", minutes, _("请填写约谈记录。")),
        ("commitments", commitments, _("请填写整改承诺。")),
    ):
        if not (value or "").strip():
            errors[name] = [message]
    if errors:
        raise ValidationError(errors)
    audited_update(
        interview,
        actor=actor,
        held_on=held_on,
        interviewers=interviewers.strip(),
        interviewees=interviewees.strip(),
        minutes=minutes.strip(),
        commitments=commitments.strip(),
    )
    return audited_transition(
        interview, actor=actor, to_state=InterviewStatus.HELD, reason=_("约谈已进行")
    )


# --- Deadline reminders (the daily job) ----------------------------------------------------


def letters_send_deadline_reminders(*, today=None) -> int:
    """Remind the unit's editors of a letter whose reply is due within
    LETTER_DUE_SOON_DAYS days or overdue, and the commission of an interview
    due soon or overdue. At most one reminder per recipient, object, kind and
    day (a database constraint). Returns the number of rows created."""
    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=due_soon_days())
    rows: list[Notification] = []
    letters = SupervisionLetter.objects.filter(
        status__in=AWAITING_REPLY, reply_deadline__lte=soon
    ).select_related("unit")
    from projects.selectors import unit_editor_ids

    letters = list(letters)
    editors = unit_editor_ids({letter.unit_id for letter in letters})
    for letter in letters:
        verb, days = rules.deadline_verb(letter.reply_deadline, today)
        values = {"number": letter.number, "due": letter.reply_deadline.isoformat(), "days": days}
        message = (
            _("督办函%(number)s的回复时限(%(due)s)已过%(days)d天,请尽快书面回复。")
            if verb == NotificationVerb.OVERDUE
            else _("督办函%(number)s须于%(due)s前书面回复,还有%(days)d天。")
        ) % values
        rows += build_notifications(
            recipients=editors.get(letter.unit_id, []),
            verb=verb,
            obj=letter,
            message=message,
            day=today,
        )
    interviews = Interview.objects.filter(
        status=InterviewStatus.SCHEDULED, deadline__lte=soon
    ).select_related("unit", "letter")
    commission = rules.commission_user_ids()
    for interview in interviews:
        verb, days = rules.deadline_verb(interview.deadline, today)
        message = _("约谈%(unit)s(督办函%(number)s)的时限为%(due)s,尚未记录约谈。") % {
            "unit": interview.unit.name,
            "number": interview.letter.number,
            "due": interview.deadline.isoformat(),
        }
        rows += build_notifications(
            recipients=commission, verb=verb, obj=interview, message=message, day=today
        )
    return save_reminders(rows)


def save_reminders(rows: list[Notification]) -> int:
    """Insert reminder rows, skipping those already sent today."""
    if not rows:
        return 0
    before = Notification.objects.count()
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    return Notification.objects.count() - before

"""The escalation ladder end to end: lagging project → reminder (催办) →
numbered supervision letter (督办函) → the unit's answer with evidence →
accepted or returned; an overdue answer → interview (约谈)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from inspections.choices import (
    InterviewStatus,
    LetterReason,
    LetterStatus,
    ReminderStatus,
)
from inspections.models import (
    Interview,
    LetterReply,
    SupervisionLetter,
    SupervisionReminder,
)
from inspections.services import letters
from pingxiang_cf.models import AuditLog, Notification, NotificationVerb, Transition
from projects.choices import ProjectStage
from tests import factories as f
from tests.inspections.ladder import LATE, fake_pdf, lagging_project, pdf_file

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _states(obj):
    return list(
        Transition.objects.filter(object_id=str(obj.pk), content_type__model=obj._meta.model_name)
        .order_by("pk")
        .values_list("from_state", "to_state")
    )


@pytest.fixture
def project(tree):
    return lagging_project(tree["county_a"])


@pytest.fixture
def reminder(project):
    assert letters.letters_propose_reminders(today=LATE) == 1
    return SupervisionReminder.objects.get()


@pytest.fixture
def letter(reminder, commission, editor_a):
    return letters.letter_issue(actor=commission, reminder=reminder)


# --- Reminders ---------------------------------------------------------------------------------


def test_a_lagging_project_gets_one_reminder_for_its_lead_unit(project, tree):
    assert letters.letters_propose_reminders(today=LATE) == 1
    reminder = SupervisionReminder.objects.get()
    assert reminder.unit == tree["county_a"]
    assert reminder.project == project
    assert reminder.reason == LetterReason.LAGGING_PROJECT
    assert reminder.subject_key == f"project:{project.pk}"
    assert reminder.status == ReminderStatus.PROPOSED
    assert reminder.due_date == project.end_date
    assert "逾期" in reminder.detail or "超过" in reminder.detail


def test_proposing_twice_leaves_one_reminder(project):
    assert letters.letters_propose_reminders(today=LATE) == 1
    assert letters.letters_propose_reminders(today=LATE) == 0
    assert SupervisionReminder.objects.count() == 1


def test_projects_on_track_or_finished_get_no_reminder(tree):
    on_time = datetime.date(f.YEAR, 1, 10)  # planned progress ~2 %: green
    lagging_project(tree["county_a"])
    f.ProjectFactory(lead_unit=tree["county_b"], stage=ProjectStage.EVALUATE)
    assert letters.letters_propose_reminders(today=on_time) == 0
    assert letters.letters_propose_reminders(today=LATE) == 1  # only the implementing one


def test_a_lagging_assignment_gets_a_reminder_for_its_assignee(project, tree):
    split = f.DownwardAssignmentFactory(
        project=project, assignee_unit=tree["township_a"], deadline=project.end_date
    )
    assert letters.letters_propose_reminders(today=LATE) == 2
    assert SupervisionReminder.objects.filter(
        unit=tree["township_a"], assignment=split, subject_key=f"assignment:{split.pk}"
    ).exists()


def test_an_overdue_finding_gets_a_reminder_about_rectification(tree):
    finding = f.FindingFactory(unit=tree["county_b"], deadline=datetime.date(f.YEAR, 5, 31))
    assert letters.letters_propose_reminders(today=LATE) == 1
    reminder = SupervisionReminder.objects.get()
    assert (reminder.unit, reminder.finding) == (tree["county_b"], finding)
    assert reminder.reason == LetterReason.OVERDUE_RECTIFICATION


def test_the_database_keeps_one_open_reminder_per_unit_reason_and_subject(reminder):
    with pytest.raises(ValidationError) as info:
        f.SupervisionReminderFactory.build(
            unit=reminder.unit, project=reminder.project, subject_key=reminder.subject_key
        ).full_clean()
    assert "该单位就同一事由和对象已有未处理的催办。" in str(info.value)


def test_no_new_reminder_while_a_letter_on_the_subject_is_open(letter):
    assert letters.letters_propose_reminders(today=LATE) == 0


def test_a_dismissed_reminder_makes_room_for_a_new_one(reminder, commission):
    letters.reminder_dismiss(reminder, actor=commission, reason="已说明情况")
    assert letters.letters_propose_reminders(today=LATE) == 1
    assert SupervisionReminder.objects.filter(status=ReminderStatus.PROPOSED).count() == 1


def test_sending_a_reminder_notifies_the_units_editors(
    reminder, commission, editor_a, django_capture_on_commit_callbacks
):
    due = timezone.localdate() + datetime.timedelta(days=10)
    with pytest.raises(ValidationError):
        letters.reminder_send(reminder, actor=commission, respond_by=None)
    with django_capture_on_commit_callbacks(execute=True):
        letters.reminder_send(reminder, actor=commission, respond_by=due)
    reminder.refresh_from_db()
    assert (reminder.status, reminder.respond_by) == (ReminderStatus.SENT, due)
    notice = Notification.objects.get(recipient=editor_a, object_id=str(reminder.pk))
    assert (notice.verb, notice.get_verb_display(), notice.tone) == ("reminder", "催办", "warning")
    assert _states(reminder) == [("proposed", "sent")]


@pytest.mark.parametrize("persona", ["editor_a", "leader", "auditor", "outsider"])
def test_only_the_commission_proposes_sends_or_dismisses(request, reminder, persona):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        letters.letters_propose_reminders(actor=user, today=LATE)
    with pytest.raises(PermissionDenied):
        letters.reminder_dismiss(reminder, actor=user, reason="x")
    with pytest.raises(PermissionDenied):
        letters.letter_issue(actor=user, reminder=reminder)


# --- Letters -----------------------------------------------------------------------------------


def test_issuing_from_a_reminder_numbers_the_letter_and_closes_the_reminder(
    reminder, commission, editor_a, project, tree, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        letter = letters.letter_issue(actor=commission, reminder=reminder)
    year = timezone.localdate().year
    assert letter.number == f"萍纪惩督〔{year}〕1号"
    assert letter.status == LetterStatus.ISSUED
    assert (letter.unit, letter.project) == (tree["county_a"], project)
    assert letter.reply_deadline == letter.issued_on + datetime.timedelta(days=15)
    assert letter.title == f"关于加快推进“{project.name}”项目的督办函"
    assert "一、督办事由" in letter.items and "逾期未回复" in letter.items
    reminder.refresh_from_db()
    assert (reminder.status, reminder.letter) == (ReminderStatus.LETTER, letter)
    assert _states(letter) == [("draft", "issued")]
    notice = Notification.objects.get(recipient=editor_a, object_id=str(letter.pk))
    assert (notice.verb, notice.get_verb_display(), notice.tone) == ("letter", "督办函", "danger")


def test_letters_are_numbered_in_sequence_per_year(commission, tree):
    units = [tree["county_a"], tree["county_b"], tree["department"]]
    issued = [
        letters.letter_issue(
            actor=commission,
            unit=unit,
            project=lagging_project(unit),
            issued_on=datetime.date(2012, 3, 1),
        )
        for unit in units
    ]
    assert [x.number for x in issued] == [f"萍纪惩督〔2012〕{n}号" for n in (1, 2, 3)]
    other_year = letters.letter_issue(
        actor=commission,
        unit=units[0],
        reason=LetterReason.OTHER,
        issued_on=datetime.date(2013, 1, 5),
    )
    assert other_year.number == "萍纪惩督〔2013〕1号"


def test_numbering_continues_after_numbers_already_used(commission, tree):
    f.SupervisionLetterFactory(number="萍纪惩督〔2012〕41号")
    letter = letters.letter_issue(
        actor=commission,
        unit=tree["county_a"],
        reason=LetterReason.OTHER,
        issued_on=datetime.date(2012, 5, 1),
    )
    assert letter.number == "萍纪惩督〔2012〕42号"


def test_a_second_open_letter_on_the_same_subject_is_refused(letter, commission, project):
    count = SupervisionLetter.objects.count()
    with pytest.raises(ValidationError) as info:
        letters.letter_issue(actor=commission, unit=project.lead_unit, project=project)
    assert "已有未办结的督办函" in str(info.value)
    assert SupervisionLetter.objects.count() == count


def test_a_reply_deadline_before_the_issue_date_is_refused(commission, tree):
    with pytest.raises(ValidationError) as info:
        letters.letter_issue(
            actor=commission,
            unit=tree["county_a"],
            reason=LetterReason.OTHER,
            issued_on=datetime.date(2012, 5, 1),
            reply_deadline=datetime.date(2012, 4, 1),
        )
    assert "回复时限不能早于发函日期。" in str(info.value)
    assert not SupervisionLetter.objects.exists()


def test_the_unit_answers_with_evidence_and_the_commission_accepts(
    letter, editor_a, commission, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reply = letters.letter_reply(
            letter, actor=editor_a, content="已制定整改措施。", file=pdf_file()
        )
    letter.refresh_from_db()
    assert letter.status == LetterStatus.ANSWERED
    assert (letter.reply, letter.replied_on) == ("已制定整改措施。", timezone.localdate())
    assert reply.evidence_type == "application/pdf" and reply.evidence_name == "回复.pdf"
    assert reply.evidence.name.startswith("letters/")
    assert Notification.objects.filter(recipient=commission, object_id=str(letter.pk)).exists()
    letters.letter_accept(letter, actor=commission, comment="同意办结")
    letter.refresh_from_db()
    reply.refresh_from_db()
    assert letter.status == LetterStatus.CLOSED
    assert (reply.accepted, reply.review_comment, reply.reviewed_by) == (
        True,
        "同意办结",
        commission,
    )
    assert _states(letter) == [("draft", "issued"), ("issued", "answered"), ("answered", "closed")]


def test_a_returned_answer_is_answered_again(letter, editor_a, commission):
    letters.letter_reply(letter, actor=editor_a, content="第一次回复", file=pdf_file())
    with pytest.raises(ValidationError) as info:
        letters.letter_return(letter, actor=commission, comment=" ")
    assert "退回回复须填写退回意见。" in str(info.value)
    new_deadline = timezone.localdate() + datetime.timedelta(days=5)
    letters.letter_return(
        letter, actor=commission, comment="措施不具体", reply_deadline=new_deadline
    )
    letter.refresh_from_db()
    assert (letter.status, letter.reply_deadline) == (LetterStatus.RETURNED, new_deadline)
    assert LetterReply.objects.get().accepted is False
    letters.letter_reply(letter, actor=editor_a, content="第二次回复", file=pdf_file())
    letter.refresh_from_db()
    assert letter.status == LetterStatus.ANSWERED
    assert LetterReply.objects.filter(letter=letter).count() == 2


def test_a_reply_with_a_file_that_is_not_what_it_claims_is_refused(letter, editor_a):
    audits = AuditLog.objects.count()
    with pytest.raises(ValidationError) as info:
        letters.letter_reply(letter, actor=editor_a, content="回复", file=fake_pdf())
    assert "不支持的文件类型" in str(info.value)
    letter.refresh_from_db()
    assert letter.status == LetterStatus.ISSUED
    assert not LetterReply.objects.exists()
    assert AuditLog.objects.count() == audits


def test_an_empty_reply_is_refused(letter, editor_a):
    with pytest.raises(ValidationError) as info:
        letters.letter_reply(letter, actor=editor_a, content="  ", file=pdf_file())
    assert "请填写回复内容。" in str(info.value)


@pytest.mark.parametrize(
    "persona", ["commission", "editor_b", "co_editor_b", "leader", "auditor", "outsider"]
)
def test_only_the_letters_unit_answers_it(request, letter, persona):
    with pytest.raises(PermissionDenied):
        letters.letter_reply(
            letter, actor=request.getfixturevalue(persona), content="回复", file=pdf_file()
        )
    assert not LetterReply.objects.exists()


@pytest.mark.parametrize("persona", ["editor_a", "leader", "auditor", "outsider"])
def test_only_the_commission_accepts_or_returns(request, letter, editor_a, persona):
    letters.letter_reply(letter, actor=editor_a, content="回复", file=pdf_file())
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        letters.letter_accept(letter, actor=user)
    with pytest.raises(PermissionDenied):
        letters.letter_return(letter, actor=user, comment="x")
    letter.refresh_from_db()
    assert letter.status == LetterStatus.ANSWERED


def test_an_unanswered_letter_cannot_be_accepted(letter, commission):
    with pytest.raises(ValidationError):
        letters.letter_accept(letter, actor=commission)


# --- Escalation ----------------------------------------------------------------------------


def test_an_overdue_answer_escalates_to_one_interview(
    letter, commission, editor_a, django_capture_on_commit_callbacks
):
    late = letter.reply_deadline + datetime.timedelta(days=1)
    assert letters.letters_escalate_overdue(today=letter.reply_deadline) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert letters.letters_escalate_overdue(today=late) == 1
    assert letters.letters_escalate_overdue(today=late) == 0
    letter.refresh_from_db()
    assert letter.status == LetterStatus.ESCALATED
    interview = Interview.objects.get()
    assert (interview.letter, interview.unit) == (letter, letter.unit)
    assert interview.status == InterviewStatus.SCHEDULED
    assert interview.deadline == late + datetime.timedelta(days=7)
    assert _states(interview) == [("", "scheduled")]
    notice = Notification.objects.get(recipient=commission, object_id=str(interview.pk))
    assert (notice.verb, notice.get_verb_display(), notice.tone) == ("interview", "约谈", "danger")
    # The unit still answers; the commission records the interview.
    letters.letter_reply(letter, actor=editor_a, content="约谈后整改", file=pdf_file())
    letters.interview_record(
        interview,
        actor=commission,
        held_on=timezone.localdate(),
        interviewers="市纪委副书记",
        interviewees="甲县分管领导",
        minutes="听取情况说明",
        commitments="一个月内完成",
    )
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.HELD
    assert _states(interview) == [("", "scheduled"), ("scheduled", "held")]


def test_an_answered_letter_does_not_escalate(letter, editor_a):
    letters.letter_reply(letter, actor=editor_a, content="回复", file=pdf_file())
    late = letter.reply_deadline + datetime.timedelta(days=30)
    assert letters.letters_escalate_overdue(today=late) == 0
    assert not Interview.objects.exists()


def test_recording_an_interview_needs_every_field(letter, commission):
    letters.letters_escalate_overdue(today=letter.reply_deadline + datetime.timedelta(days=1))
    interview = Interview.objects.get()
    with pytest.raises(ValidationError) as info:
        letters.interview_record(
            interview,
            actor=commission,
            held_on=None,
            interviewers="",
            interviewees="",
            minutes="",
            commitments="",
        )
    assert set(info.value.message_dict) == {
        "held_on",
        "interviewers",
        "interviewees",
        "minutes",
        "commitments",
    }
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.SCHEDULED


def test_deadline_reminders_are_sent_once_a_day(letter, editor_a):
    day = letter.reply_deadline - datetime.timedelta(days=2)
    assert letters.letters_send_deadline_reminders(today=day) == 1
    assert letters.letters_send_deadline_reminders(today=day) == 0
    late = letter.reply_deadline + datetime.timedelta(days=1)
    assert letters.letters_send_deadline_reminders(today=late) == 1
    verbs = set(
        Notification.objects.filter(recipient=editor_a, object_id=str(letter.pk)).values_list(
            "verb", flat=True
        )
    )
    assert {NotificationVerb.DUE_SOON, NotificationVerb.OVERDUE} <= verbs

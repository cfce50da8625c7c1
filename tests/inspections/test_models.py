"""Constraints and clean() rules of the inspections models."""

import datetime

import pytest

from inspections import choices as ins
from inspections.models import (
    Finding,
    Inspection,
    Notice,
    NoticeUnit,
    SupervisionCycle,
    SupervisionLetter,
)
from tests import factories as f
from tests.validation import (
    assert_create_refused,
    assert_db_refuses,
    assert_invalid,
    assert_valid,
)

pytestmark = pytest.mark.django_db

D = datetime.date


# --- Supervision cycles ----------------------------------------------------------------------


def _cycle(kind=ins.CycleKind.QUARTERLY, period="2011-Q1", **extra):
    return SupervisionCycle(
        kind=kind,
        period=period,
        period_start=extra.pop("period_start", D(2011, 1, 1)),
        period_end=extra.pop("period_end", D(2011, 3, 31)),
        **extra,
    )


def test_one_supervision_cycle_per_kind_and_period():
    _cycle().save()
    assert_create_refused(
        SupervisionCycle,
        "该类型该期间的督查周期已存在。",
        kind=ins.CycleKind.QUARTERLY,
        period="2011-Q1",
        period_start=D(2011, 1, 1),
        period_end=D(2011, 3, 31),
    )
    assert_db_refuses(lambda: _cycle().save(), SupervisionCycle)


def test_cycles_of_different_kinds_may_share_a_period():
    _cycle(kind=ins.CycleKind.ANNUAL, period="2011").save()
    assert_valid(_cycle(kind=ins.CycleKind.SEMIANNUAL, period="2011"))
    assert_valid(_cycle(kind=ins.CycleKind.ANNUAL, period="2012"))


def test_cycle_period_cannot_end_before_it_starts():
    cycle = f.SupervisionCycleFactory()
    cycle.period_end = cycle.period_start - datetime.timedelta(days=1)
    assert_invalid(cycle, "期间结束不能早于期间开始。")
    assert_db_refuses(
        lambda: SupervisionCycle.objects.filter(pk=cycle.pk).update(period_end=cycle.period_end),
        SupervisionCycle,
    )


# --- Notices ----------------------------------------------------------------------------------


def test_notice_number_is_unique():
    notice = f.NoticeFactory()
    duplicate = Notice(kind=ins.NoticeKind.OTHER, number=notice.number, title="重复")
    assert_invalid(duplicate, "具有 文号 的 通报 已存在。", field="number")
    assert_db_refuses(lambda: duplicate.save(), Notice)


def test_published_notice_needs_an_issue_date():
    notice = f.NoticeFactory()
    notice.status = ins.NoticeStatus.PUBLISHED
    assert_invalid(notice, "已发布的通报须有发文日期。")
    assert_db_refuses(
        lambda: Notice.objects.filter(pk=notice.pk).update(status=ins.NoticeStatus.PUBLISHED),
        Notice,
    )
    notice.issued_on = D(2024, 4, 10)
    assert_valid(notice)


def test_one_notice_of_a_kind_per_cycle():
    cycle = f.SupervisionCycleFactory()
    f.NoticeFactory(cycle=cycle, kind=ins.NoticeKind.MONTHLY)
    duplicate = f.NoticeFactory.build(cycle=cycle, kind=ins.NoticeKind.MONTHLY)
    assert_invalid(duplicate, "本周期已有该类型的通报。")
    assert_db_refuses(lambda: duplicate.save(), Notice)
    assert_valid(f.NoticeFactory.build(cycle=cycle, kind=ins.NoticeKind.INSPECTION))


def test_notices_outside_a_cycle_may_share_a_kind():
    f.NoticeFactory(kind=ins.NoticeKind.OTHER)
    assert_valid(f.NoticeFactory.build(kind=ins.NoticeKind.OTHER))


def test_unit_is_named_once_per_notice():
    named = f.NoticeUnitFactory()
    duplicate = NoticeUnit(notice=named.notice, unit=named.unit, reason="再次")
    assert_invalid(duplicate, "该单位已在本通报中。")
    assert_db_refuses(lambda: duplicate.save(), NoticeUnit)


# --- Inspections, findings --------------------------------------------------------------------


def test_inspection_cannot_end_before_it_starts():
    inspection = f.InspectionFactory()
    inspection.ended_on = inspection.started_on - datetime.timedelta(days=1)
    assert_invalid(inspection, "结束日期不能早于开始日期。")
    assert_db_refuses(
        lambda: Inspection.objects.filter(pk=inspection.pk).update(ended_on=inspection.ended_on),
        Inspection,
    )
    inspection.ended_on = inspection.started_on
    assert_valid(inspection)


def test_verified_finding_needs_a_closing_date():
    finding = f.FindingFactory()
    finding.status = ins.FindingStatus.VERIFIED
    assert_invalid(finding, "已销号的问题须填写销号日期。")
    assert_db_refuses(
        lambda: Finding.objects.filter(pk=finding.pk).update(status=ins.FindingStatus.VERIFIED),
        Finding,
    )
    finding.closed_on = D(2024, 6, 1)
    assert_valid(finding)


# --- Supervision letters ----------------------------------------------------------------------


def test_supervision_letter_number_is_unique():
    letter = f.SupervisionLetterFactory()
    duplicate = f.SupervisionLetterFactory.build(number=letter.number, unit=letter.unit)
    assert_invalid(duplicate, "具有 文号 的 督办函 已存在。", field="number")
    assert_db_refuses(lambda: duplicate.save(), SupervisionLetter)


def test_supervision_letter_reply_deadline_is_not_before_issue():
    letter = f.SupervisionLetterFactory()
    letter.status = ins.LetterStatus.ISSUED
    letter.issued_on = letter.reply_deadline + datetime.timedelta(days=1)
    assert_invalid(letter, "回复时限不能早于发函日期。")
    assert_db_refuses(
        lambda: SupervisionLetter.objects.filter(pk=letter.pk).update(
            status=ins.LetterStatus.ISSUED, issued_on=letter.issued_on
        ),
        SupervisionLetter,
    )
    letter.issued_on = letter.reply_deadline
    assert_valid(letter)


@pytest.mark.parametrize(
    "status", [ins.LetterStatus.ISSUED, ins.LetterStatus.ANSWERED, ins.LetterStatus.CLOSED]
)
def test_sent_supervision_letter_needs_an_issue_date(status):
    letter = f.SupervisionLetterFactory()
    letter.status = status
    assert_invalid(letter, "已发出的督办函须有发函日期。")
    assert_db_refuses(
        lambda: SupervisionLetter.objects.filter(pk=letter.pk).update(status=status),
        SupervisionLetter,
    )


def test_supervision_letter_assignment_belongs_to_its_project():
    assignment = f.DownwardAssignmentFactory()
    letter = f.SupervisionLetterFactory.build(
        unit=assignment.assignee_unit, project=f.ProjectFactory(), assignment=assignment
    )
    assert_invalid(letter, "任务分解不属于所督办的项目。", field="assignment")
    letter.project = assignment.project
    assert_valid(letter)

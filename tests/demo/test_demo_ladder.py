"""The demo's escalation ladder, inspection plans and meeting items: present,
consistent with the models' rules, and a base the services work on."""

import re

import pytest
from django.db.models import Count, Q

from demo import data
from inspections.choices import (
    ActionItemStatus,
    InspectionKind,
    InterviewStatus,
    LetterStatus,
    PlanStatus,
    ReminderStatus,
)
from inspections.models import (
    Inspection,
    InspectionPlan,
    Interview,
    LetterReply,
    MeetingActionItem,
    SupervisionLetter,
    SupervisionReminder,
)
from inspections.services import letters

pytestmark = [pytest.mark.django_db, pytest.mark.demo]


@pytest.fixture(scope="module", autouse=True)
def demo(pingxiang_demo):
    return pingxiang_demo


def test_every_letter_came_from_a_reminder_and_the_ladder_has_every_step():
    by_status = dict(
        SupervisionLetter.objects.values_list("status").annotate(n=Count("pk")).order_by()
    )
    assert by_status.get(LetterStatus.CLOSED, 0) > 0
    assert by_status.get(LetterStatus.ESCALATED, 0) > 0
    assert SupervisionReminder.objects.filter(status=ReminderStatus.LETTER).count() == sum(
        by_status.values()
    )
    open_reminders = SupervisionReminder.objects.filter(
        status__in=(ReminderStatus.PROPOSED, ReminderStatus.SENT)
    )
    assert open_reminders.count() == 12
    assert open_reminders.filter(status=ReminderStatus.SENT, respond_by__isnull=False).count() == 4


def test_replies_escalations_and_interviews_agree_with_the_letters():
    closed = SupervisionLetter.objects.filter(status=LetterStatus.CLOSED)
    assert not closed.exclude(replies__accepted=True).exists()
    assert LetterReply.objects.filter(accepted=False).exists()  # returned once, then accepted
    escalated = SupervisionLetter.objects.filter(status=LetterStatus.ESCALATED)
    assert Interview.objects.filter(letter__in=escalated).count() == escalated.count()
    assert not escalated.filter(reply_deadline__gte=data.AS_OF).exists()
    held = Interview.objects.filter(status=InterviewStatus.HELD)
    assert held.exists()
    assert not held.filter(Q(minutes="") | Q(commitments="") | Q(held_on__gt=data.AS_OF)).exists()


def test_letters_keep_the_official_numbering_and_one_open_letter_per_subject():
    numbers = list(SupervisionLetter.objects.values_list("number", flat=True))
    assert all(re.fullmatch(r"萍纪惩督〔20(08|09|10|11)〕\d+号", n) for n in numbers)
    assert "" not in SupervisionLetter.objects.values_list("subject_key", flat=True)


def test_each_quarter_has_a_plan_covering_its_routine_inspections():
    assert InspectionPlan.objects.filter(status=PlanStatus.APPROVED).count() == 12
    draft = InspectionPlan.objects.get(status=PlanStatus.DRAFT)
    assert (draft.year, draft.quarter, draft.units.count()) == (2011, 3, 10)
    routine = Inspection.objects.filter(kind=InspectionKind.ROUTINE)
    assert routine.count() == 72
    assert not routine.filter(plan__isnull=True).exists()
    for plan in InspectionPlan.objects.filter(status=PlanStatus.APPROVED):
        inspected = set(plan.inspections.values_list("units", flat=True))
        assert inspected == set(plan.units.values_list("pk", flat=True))


def test_meeting_decisions_are_tracked_items():
    items = MeetingActionItem.objects.all()
    assert items.count() == 21  # 7 meetings × 3
    assert items.filter(status=ActionItemStatus.DONE).exists()
    assert items.filter(status=ActionItemStatus.OPEN).exists()
    assert not items.filter(status=ActionItemStatus.DONE, done_on__gt=data.AS_OF).exists()


def test_proposing_reminders_on_the_demo_is_idempotent():
    first = letters.letters_propose_reminders(today=data.AS_OF)
    assert first > 0
    assert letters.letters_propose_reminders(today=data.AS_OF) == 0


def test_the_next_letter_number_follows_the_demos():
    highest = max(
        int(n.split("〕")[1].rstrip("号"))
        for n in SupervisionLetter.objects.filter(number__contains="〔2011〕").values_list(
            "number", flat=True
        )
    )
    assert letters.next_letter_number(2011) == f"萍纪惩督〔2011〕{highest + 1}号"

"""The daily escalation job, run through Celery (eager in the default
suite): run twice the same day → one interview, one reminder of each kind."""

import datetime

import pytest

from inspections.choices import LetterStatus
from inspections.models import Interview, SupervisionLetter, SupervisionReminder
from inspections.services import letters
from inspections.tasks import escalation_daily_task
from pingxiang_cf.celery import app
from pingxiang_cf.models import Notification
from tests import factories as f
from tests.inspections.ladder import LATE, lagging_project

pytestmark = pytest.mark.django_db


def test_the_daily_job_is_scheduled():
    entry = app.conf.beat_schedule["inspections-escalation-daily"]
    assert entry["task"] == "inspections.escalation_daily"
    assert entry["schedule"].hour == {7} and entry["schedule"].minute == {0}


def test_running_the_daily_job_twice_escalates_once(tree, commission, editor_a, editor_b):
    letter = letters.letter_issue(
        actor=commission,
        unit=tree["county_a"],
        project=lagging_project(tree["county_a"]),
        issued_on=datetime.date(2012, 3, 1),
        reply_deadline=datetime.date(2012, 3, 16),
    )
    f.FindingFactory(unit=tree["county_b"], deadline=datetime.date(2012, 3, 20))
    day = "2012-03-17"
    first = escalation_daily_task.delay(day).get()
    second = escalation_daily_task.delay(day).get()
    assert first == {
        "escalated": 1,
        "letter_reminders": 1,  # the escalated letter is still owed an answer
        "finding_reminders": 1,
        "action_item_reminders": 0,
    }
    assert second == dict.fromkeys(first, 0)
    letter.refresh_from_db()
    assert letter.status == LetterStatus.ESCALATED
    assert Interview.objects.count() == 1
    assert Notification.objects.filter(recipient=editor_b).count() == 1


def test_proposing_reminders_twice_then_escalating_gives_one_of_each(tree, commission):
    lagging_project(tree["county_a"])
    lagging_project(tree["county_b"])
    assert letters.letters_propose_reminders(today=LATE) == 2
    assert letters.letters_propose_reminders(today=LATE) == 0
    for reminder in SupervisionReminder.objects.all():
        letters.letter_issue(
            actor=commission,
            reminder=reminder,
            issued_on=datetime.date(2012, 3, 1),
            reply_deadline=datetime.date(2012, 3, 16),
        )
    assert letters.letters_propose_reminders(today=LATE) == 0
    for _ in range(2):
        escalation_daily_task.delay("2012-04-01").get()
    assert SupervisionLetter.objects.filter(status=LetterStatus.ESCALATED).count() == 2
    assert Interview.objects.count() == 2

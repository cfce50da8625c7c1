"""The monthly cycle proposes the month's reminders (催办), but only while it
is current: rerunning an old month proposes nothing."""

import pytest
from django.utils import timezone

from inspections.choices import CycleKind, ReminderStatus
from inspections.models import SupervisionReminder
from inspections.services.cycles import cycle_run
from tests.inspections.ladder import LATE, YEAR, lagging_project


@pytest.fixture
def lagging(tree, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: LATE)
    return lagging_project(tree["county_a"])


def test_the_current_monthly_cycle_proposes_reminders_once(lagging, tree):
    period = f"{LATE.year}-{LATE.month:02d}"
    cycle_run(kind=CycleKind.MONTHLY, period=period)
    cycle_run(kind=CycleKind.MONTHLY, period=period)
    proposed = SupervisionReminder.objects.filter(status=ReminderStatus.PROPOSED)
    assert list(proposed.values_list("unit", flat=True)) == [tree["county_a"].pk]


def test_an_old_monthly_cycle_proposes_nothing(lagging):
    cycle_run(kind=CycleKind.MONTHLY, period=f"{YEAR}-11")
    assert not SupervisionReminder.objects.exists()

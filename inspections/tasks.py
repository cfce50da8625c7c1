"""Celery tasks of the inspections app: thin, no objects as arguments, each
calling services. The beat schedule is in pingxiang_cf/celery.py."""

import datetime

from celery import shared_task
from django.utils import timezone

from inspections.services.findings import findings_send_deadline_reminders
from inspections.services.letters import (
    letters_escalate_overdue,
    letters_send_deadline_reminders,
)
from inspections.services.meetings import action_items_send_deadline_reminders

# --- Escalation ladder, findings, meeting items: the daily job (h4b) --------------------


@shared_task(name="inspections.escalation_daily")
def escalation_daily_task(day: str | None = None) -> dict:
    """Escalate letters whose answer is overdue to an interview, then send
    the day's reminders before and after the deadlines of letters,
    interviews, findings and meeting action items. Idempotent: a rerun the
    same day escalates nothing more and sends nothing twice."""
    today = datetime.date.fromisoformat(day) if day else timezone.localdate()
    return {
        "escalated": letters_escalate_overdue(today=today),
        "letter_reminders": letters_send_deadline_reminders(today=today),
        "finding_reminders": findings_send_deadline_reminders(today=today),
        "action_item_reminders": action_items_send_deadline_reminders(today=today),
    }

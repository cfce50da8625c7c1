"""Celery tasks of the inspections app: thin, no objects as arguments, each
calling services. The beat schedule is in pingxiang_cf/celery.py."""

import datetime

from celery import shared_task
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from inspections.services.findings import findings_send_deadline_reminders
from inspections.services.letters import (
    letters_escalate_overdue,
    letters_propose_reminders,
    letters_send_deadline_reminders,
)
from inspections.services.meetings import action_items_send_deadline_reminders
from pingxiang_cf.jobs import job_finish, job_running, job_set_done, job_set_total

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


@shared_task(name="inspections.propose_reminders", acks_late=True)
def propose_reminders_task(job_id: int, user_id: int | None = None) -> int:
    """The commission's "run now": propose the reminders as of today, with
    the job's progress; a retry proposes only what is still missing."""
    actor = get_user_model().objects.filter(pk=user_id).first() if user_id else None

    def progress(done: int, total: int) -> None:
        job_set_total(job_id, total)
        job_set_done(job_id, done)

    with job_running(job_id):
        count = letters_propose_reminders(actor=actor, on_progress=progress)
        job_finish(job_id, message=_("已生成%(count)d条催办建议。") % {"count": count})
    return count

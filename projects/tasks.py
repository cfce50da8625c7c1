"""Celery tasks of the projects app: thin, no objects as arguments, each
calling one service. The beat schedule is in pingxiang_cf/celery.py."""

from celery import shared_task
from django.utils import timezone

from projects.services import notify_due_and_overdue


@shared_task(name="projects.notify_due_and_overdue")
def notify_due_and_overdue_task() -> int:
    """Today's due-soon and overdue reminders; safe to run twice a day."""
    return notify_due_and_overdue(timezone.localdate())

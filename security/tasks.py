"""Celery tasks of the security app. The beat schedule is in pingxiang_cf/celery.py."""

from celery import shared_task

from security.services import login_records_purge


@shared_task(name="security.purge_login_records")
def purge_login_records_task() -> tuple[int, int]:
    """Delete old credential checks and ended lockouts; safe to rerun."""
    return login_records_purge()

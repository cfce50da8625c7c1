"""Celery tasks of the shared machinery. The beat schedule is in pingxiang_cf/celery.py."""

from celery import shared_task

from pingxiang_cf.jobs import job_purge_expired


@shared_task(name="pingxiang_cf.purge_expired_jobs")
def purge_expired_jobs_task() -> int:
    """Remove job result files past JOB_FILE_RETENTION_HOURS; safe to rerun."""
    return job_purge_expired()

"""Celery tasks of the shared machinery. The beat schedule is in pingxiang_cf/celery.py."""

from celery import shared_task

from pingxiang_cf.jobs import job_purge_expired


@shared_task(name="pingxiang_cf.purge_expired_jobs")
def purge_expired_jobs_task() -> int:
    """Remove job result files past JOB_FILE_RETENTION_HOURS; safe to rerun."""
    return job_purge_expired()


@shared_task(name="pingxiang_cf.export")
def export_task(job_id: int, name: str, user_id: int, params: dict, fmt: str) -> None:
    """A large export (pingxiang_cf/exports.py), written as the user who asked."""
    from pingxiang_cf.exports import run_job

    run_job(job_id, name, user_id, params, fmt)

"""Background jobs with progress: the row a "run now" button creates, the
Celery task advances and the page polls.

A view creates the job and queues its task on commit (`job_enqueue`), then
redirects to ``/jobs/<code>/`` at once. The task wraps its work in
``job_running(job_id)``, reports ``job_set_total``/``job_advance`` as it goes
and ends with ``job_finish`` (optionally attaching the file it produced).
Counting is done with conditional UPDATEs so that several batch tasks of one
job can advance it concurrently, and a task retried after a crash resumes
the same row instead of starting a second one.
"""

from __future__ import annotations

import contextlib
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Least
from django.utils import timezone

from pingxiang_cf.models import LIVE_JOB_STATUSES, Job, JobStatus

ERROR_MAX_CHARS = 4000


def job_create(*, kind: str, title: str, user=None, total: int = 0, key: str = "") -> Job:
    """A queued job. With a `key`, a live job of the same kind and key is
    returned instead of a second one (a double click joins the running job)."""
    if key:
        live = Job.objects.filter(kind=kind, key=key, status__in=LIVE_JOB_STATUSES).first()
        if live is not None:
            return live
    try:
        with transaction.atomic():
            return Job.objects.create(
                kind=kind, key=key, title=title, created_by=user, total=max(total, 0)
            )
    except IntegrityError:
        # Lost a race with another click: join the job that won.
        return Job.objects.get(kind=kind, key=key, status__in=LIVE_JOB_STATUSES)


def job_enqueue(job: Job, task, *args, **kwargs) -> None:
    """Queue `task(job.pk, *args)` once the current transaction commits."""
    transaction.on_commit(lambda: task.delay(job.pk, *args, **kwargs))


def job_start(job_id: int) -> None:
    """Mark the job running (a retried task finds it running already)."""
    Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now()
    )


def job_set_total(job_id: int, total: int) -> None:
    Job.objects.filter(pk=job_id).update(total=max(total, 0))


def job_advance(job_id: int, *, done: int = 1) -> None:
    """Add `done` units of progress, never past the total."""
    job = Job.objects.filter(pk=job_id)
    job.filter(total=0).update(done=F("done") + done)
    job.exclude(total=0).update(done=Least(F("done") + done, F("total")))


def job_set_done(job_id: int, done: int) -> None:
    """Set progress to an absolute count (idempotent under retries)."""
    job = Job.objects.filter(pk=job_id)
    job.filter(total=0).update(done=max(done, 0))
    job.exclude(total=0).update(done=Least(max(done, 0), F("total")))


def file_retention() -> timedelta:
    return timedelta(hours=settings.JOB_FILE_RETENTION_HOURS)


def job_finish(
    job_id: int, *, message: str = "", filename: str | None = None, content: bytes | None = None
) -> Job:
    """Mark the job done, attaching the file it produced if any."""
    job = Job.objects.get(pk=job_id)
    now = timezone.now()
    if content is not None:
        if job.file:
            job.file.delete(save=False)
        job.file.save(filename or "result.bin", ContentFile(content), save=False)
        job.filename = filename or ""
        job.expires_at = now + file_retention()
    job.status = JobStatus.DONE
    job.done = job.total or job.done
    job.message = message[:255]
    job.finished_at = now
    job.error = ""
    job.save()
    return job


def job_fail(job_id: int, *, error: str) -> None:
    Job.objects.filter(pk=job_id).update(
        status=JobStatus.FAILED, error=error[:ERROR_MAX_CHARS], finished_at=timezone.now()
    )


@contextlib.contextmanager
def job_running(job_id: int):
    """Run the body as the job's work: running on entry, failed (with the
    error) if the body raises. Finishing is the body's business."""
    job_start(job_id)
    try:
        yield
    except Exception as exc:
        job_fail(job_id, error=f"{type(exc).__name__}: {exc}")
        raise


def job_purge_expired(now=None) -> int:
    """Delete the files of finished jobs past their retention time (and the
    job rows older than that). Returns the number of files removed."""
    now = now or timezone.now()
    expired = Job.objects.filter(expires_at__lt=now).exclude(file="")
    removed = 0
    for job in expired:
        job.file.delete(save=False)
        job.filename = ""
        job.save(update_fields=["file", "filename"])
        removed += 1
    Job.objects.filter(
        status__in=(JobStatus.DONE, JobStatus.FAILED),
        finished_at__lt=now - file_retention(),
        file="",
    ).delete()
    return removed

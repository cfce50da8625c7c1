"""Celery tasks of the supervision cycles: thin, taking a kind and period or
ids, calling the services, queued after commit.

run_cycle_task(kind, period, job_id)
    cycle_run (the cycle, its frozen figures, the handlers), then fans the
    documents out: the monthly notice's PDF, the semiannual reports in
    batches of settings.CYCLE_BATCH_SIZE units (a few tasks, never one per unit).
report_batch_task(cycle_id, unit_ids, job_id) / notice_pdf_task(notice_id, job_id)
    generate the documents; each unit's report is written in its own
    transaction together with the job's progress.

Every task is idempotent: a retried or redelivered task (acks_late, a worker
killed half-way) meets the database constraints (one cycle per kind and
period, one notice per cycle and kind, one report per cycle and unit) and
skips what is already current. The job finishes when the database says all
documents are there, not when a counter says so.

The beat schedule is in pingxiang_cf/celery.py."""

from __future__ import annotations

import contextlib
import datetime
import logging

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inspections.choices import CycleKind, NoticeKind
from inspections.cycles import previous_period
from inspections.models import Notice, SupervisionCycle, SupervisionReport
from inspections.services.cycles import cycle_run
from inspections.services.findings import findings_send_deadline_reminders
from inspections.services.letters import (
    letters_escalate_overdue,
    letters_propose_reminders,
    letters_send_deadline_reminders,
)
from inspections.services.meetings import action_items_send_deadline_reminders
from inspections.services.notices import notice_store_pdf
from inspections.services.reports import report_unit_ids, supervision_report_generate
from pingxiang_cf import jobs
from pingxiang_cf.models import LIVE_JOB_STATUSES, Job

logger = logging.getLogger(__name__)

CYCLE_JOB_KIND = "inspections.cycle"
RETRY = {
    "autoretry_for": (OperationalError,),
    "retry_backoff": 5,
    "retry_backoff_max": 60,
    "max_retries": 5,
}


@contextlib.contextmanager
def _failing_job(job_id):
    """A batch that fails for good marks the job failed (a database hiccup is
    retried instead)."""
    try:
        yield
    except OperationalError:
        raise
    except Exception as error:
        if job_id:
            jobs.job_fail(job_id, error=f"{type(error).__name__}: {error}")
        raise


def _actor(user_id):
    return get_user_model().objects.filter(pk=user_id).first() if user_id else None


def batches(items: list, size: int | None = None) -> list[list]:
    size = size or settings.CYCLE_BATCH_SIZE
    return [items[i : i + size] for i in range(0, len(items), size)]


# --- What a cycle still has to produce ----------------------------------------------------------


def pending_documents(cycle: SupervisionCycle) -> dict:
    """{"notice": id or None, "units": [unit ids]} of documents not yet current."""
    notice_id = None
    if cycle.kind == CycleKind.MONTHLY:
        notice = Notice.objects.filter(cycle=cycle, kind=NoticeKind.MONTHLY).first()
        if notice is not None and not notice.pdf:
            notice_id = notice.pk
    units = []
    if cycle.kind == CycleKind.SEMIANNUAL:
        wanted = report_unit_ids(cycle)
        reports = (cycle.snapshot or {}).get("reports", {})
        done = {
            unit_id
            for unit_id, figures, pdf in SupervisionReport.objects.filter(cycle=cycle).values_list(
                "unit_id", "figures", "pdf"
            )
            if pdf and figures == reports.get(str(unit_id))
        }
        units = [u for u in wanted if u not in done]
    return {"notice": notice_id, "units": units}


def document_count(cycle: SupervisionCycle) -> int:
    count = len(report_unit_ids(cycle)) if cycle.kind == CycleKind.SEMIANNUAL else 0
    if cycle.kind == CycleKind.MONTHLY and Notice.objects.filter(cycle=cycle).exists():
        count += 1
    return count


def _finish_if_done(cycle_id: int, job_id) -> bool:
    cycle = SupervisionCycle.objects.get(pk=cycle_id)
    pending = pending_documents(cycle)
    done = pending["notice"] is None and not pending["units"]
    if done and job_id:
        jobs.job_finish(job_id, message=_("%(cycle)s已完成。") % {"cycle": cycle})
    return done


# --- Tasks ------------------------------------------------------------------------------------


@shared_task(name="inspections.run_cycle", **RETRY)
def run_cycle_task(kind: str, period: str, job_id=None, user_id=None) -> int:
    """Run one cycle and fan its documents out; returns the cycle id."""
    with transaction.atomic():
        cycle = cycle_run(kind=kind, period=period, actor=_actor(user_id))
        pending = pending_documents(cycle)
        if job_id:
            total = document_count(cycle)
            todo = len(pending["units"]) + (pending["notice"] is not None)
            # One step for the cycle itself, one per document; documents
            # already current (a rerun) count as done.
            jobs.job_set_total(job_id, total + 1)
            jobs.job_set_done(job_id, 1 + total - todo)
        transaction.on_commit(lambda: fan_out(cycle.pk, pending, job_id))
    return cycle.pk


@shared_task(name="inspections.run_cycle_job", **RETRY)
def run_cycle_job_task(job_id: int, kind: str, period: str, user_id=None) -> int:
    """The "run now" button's task (pingxiang_cf.jobs.job_enqueue puts the
    job id first): the cycle run under the job's progress."""
    with jobs.job_running(job_id):
        return run_cycle_task(kind, period, job_id=job_id, user_id=user_id)


def cycle_job_start(*, period, user) -> tuple[object, bool]:
    """The background job of a run-now click: a new job queued after commit,
    or the live job already running the same cycle (joined, not queued
    twice). Returns (job, created)."""
    key = f"{period.kind}:{period.text}"
    live = Job.objects.filter(kind=CYCLE_JOB_KIND, key=key, status__in=LIVE_JOB_STATUSES).first()
    if live is not None:
        return live, False
    job = jobs.job_create(
        kind=CYCLE_JOB_KIND,
        key=key,
        title=_("运行督查周期:%(label)s%(kind)s")
        % {"label": period.label, "kind": CycleKind(period.kind).label},
        user=user,
    )
    jobs.job_enqueue(job, run_cycle_job_task, period.kind, period.text, getattr(user, "pk", None))
    return job, True


def fan_out(cycle_id: int, pending: dict, job_id=None) -> None:
    """Queue the document tasks of a cycle (called after commit)."""
    if pending["notice"] is None and not pending["units"]:
        _finish_if_done(cycle_id, job_id)
        return
    if pending["notice"] is not None:
        notice_pdf_task.delay(pending["notice"], job_id, cycle_id)
    for unit_ids in batches(pending["units"]):
        report_batch_task.delay(cycle_id, unit_ids, job_id)


@shared_task(name="inspections.run_previous_cycle", **RETRY)
def run_previous_cycle_task(kind: str) -> int:
    """Beat entry: the last complete period of `kind` (on 1 April, a monthly
    run covers March), in Asia/Shanghai."""
    period = previous_period(kind, timezone.localdate())
    return run_cycle_task(kind, period.text)


@shared_task(name="inspections.report_batch", **RETRY)
def report_batch_task(cycle_id: int, unit_ids: list[int], job_id=None) -> int:
    """Generate the reports of some units; returns how many were written."""
    written = 0
    with _failing_job(job_id):
        cycle = SupervisionCycle.objects.get(pk=cycle_id)
        for unit_id in unit_ids:
            with transaction.atomic():
                _report, changed = supervision_report_generate(cycle=cycle, unit_id=unit_id)
                if changed and job_id:
                    jobs.job_advance(job_id, done=1)
            written += changed
        _finish_if_done(cycle_id, job_id)
    return written


@shared_task(name="inspections.notice_pdf", **RETRY)
def notice_pdf_task(notice_id: int, job_id=None, cycle_id=None) -> bool:
    """Render and keep a notice's PDF (again only if it is missing)."""
    with _failing_job(job_id):
        with transaction.atomic():
            notice = Notice._base_manager.filter(pk=notice_id).first()
            if notice is None:
                return False
            rendered = not notice.pdf
            if rendered:
                notice_store_pdf(notice)
                if job_id:
                    jobs.job_advance(job_id, done=1)
        if cycle_id is not None:
            _finish_if_done(cycle_id, job_id)
    return rendered


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
    actor = _actor(user_id)

    def progress(done: int, total: int) -> None:
        jobs.job_set_total(job_id, total)
        jobs.job_set_done(job_id, done)

    with jobs.job_running(job_id):
        count = letters_propose_reminders(actor=actor, on_progress=progress)
        jobs.job_finish(job_id, message=_("已生成%(count)d条催办建议。") % {"count": count})
    return count

"""Supervision cycles through a real Redis broker and live Celery worker
processes (started and stopped by PID), on the PostgreSQL test database.

- a monthly cycle run through the broker: one cycle, one notice with its PDF;
- a semiannual job whose worker is killed (SIGKILL) half-way: a second
  worker picks the unacknowledged batch up after the visibility timeout and
  the job completes with exactly one report per unit.

Runs in .ci/run's services pass (make services-test); the default suite
deselects it."""

from __future__ import annotations

import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from inspections.choices import CycleKind, NoticeKind
from inspections.models import Notice, SupervisionCycle, SupervisionReport
from pingxiang_cf.jobs import job_create
from pingxiang_cf.models import Job, JobStatus
from projects.choices import LedgerStatus
from tests import factories as f

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
D = datetime.date
# Short limits for the worker under test: Redis redelivers an unacknowledged
# task after twice the time limit (settings.CELERY_BROKER_TRANSPORT_OPTIONS).
TIME_LIMIT = 15


def _needs_services():
    if not os.environ.get("CELERY_BROKER_URL"):
        pytest.skip("needs CELERY_BROKER_URL (a real Redis broker)")
    if connection.vendor != "postgresql":
        pytest.skip("the worker must share the test database: needs PostgreSQL")


def _database_url() -> str:
    db = settings.DATABASES["default"]
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    auth = db.get("USER") or "postgres"
    if db.get("PASSWORD"):
        auth += f":{db['PASSWORD']}"
    return f"postgres://{auth}@{host}:{port}/{db['NAME']}"


class Workers:
    """Celery worker processes started by this test; each stopped by its PID."""

    def __init__(self, media_root: Path):
        self.media_root = media_root
        self.processes: list[subprocess.Popen] = []

    def start(self, batch_size: int = 20) -> subprocess.Popen:
        env = {
            **os.environ,
            "DATABASE_URL": _database_url(),
            "MEDIA_ROOT": str(self.media_root),
            "CELERY_TASK_TIME_LIMIT": str(TIME_LIMIT),
            "CYCLE_BATCH_SIZE": str(batch_size),
            "LOG_LEVEL": "WARNING",
        }
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "pingxiang_cf",
                "worker",
                "--pool=solo",
                "--concurrency=1",
                "--prefetch-multiplier=1",
                "--loglevel=WARNING",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.processes.append(process)
        return process

    def kill(self, process: subprocess.Popen) -> None:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.kill(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.kill(process.pid, signal.SIGKILL)
                    process.wait()


@pytest.fixture
def workers(tmp_path, settings):
    _needs_services()
    settings.MEDIA_ROOT = tmp_path
    started = Workers(tmp_path)
    try:
        yield started
    finally:
        started.stop_all()


def _wait(condition, *, timeout: float, step: float = 0.5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return False


def _lagging_project(unit, number):
    project = f.ProjectFactory(year=2011, number=number, lead_unit=unit)
    f.LedgerEntryFactory(
        project=project,
        entry_date=D(2011, 2, 1),
        progress_percent=10,
        status=LedgerStatus.VERIFIED,
    )
    return project


def test_a_monthly_cycle_runs_through_the_broker(workers, tree):
    from inspections.tasks import run_cycle_task

    _lagging_project(tree["county_a"], "2011-001")
    workers.start()
    started = time.monotonic()
    run_cycle_task.delay("monthly", "2011-03")
    assert _wait(
        lambda: Notice.objects.filter(cycle__period="2011-03").exclude(pdf="").exists(),
        timeout=120,
    ), "the worker did not produce the notice"
    elapsed = time.monotonic() - started
    assert SupervisionCycle.objects.filter(kind=CycleKind.MONTHLY, period="2011-03").count() == 1
    notice = Notice.objects.get(cycle__period="2011-03", kind=NoticeKind.MONTHLY)
    assert notice.pdf.size > 1000
    print(f"monthly cycle through the broker: {elapsed:.1f} s")


def test_a_worker_killed_mid_job_leaves_no_duplicates(workers, tree):
    from inspections.tasks import run_cycle_job_task

    units = [f.CountyFactory(parent=tree["city"]) for _ in range(14)]
    for index, unit in enumerate(units):
        _lagging_project(unit, f"2011-{index + 1:03d}")
    expected = len(units) + 2  # and the tree's two counties
    job = job_create(kind="inspections.cycle", key="semiannual:2011-H1", title="test")
    first = workers.start(batch_size=4)
    run_cycle_job_task.delay(job.pk, "semiannual", "2011-H1", None)

    def reports_done():
        return SupervisionReport.objects.exclude(pdf="").count()

    assert _wait(lambda: reports_done() >= 2, timeout=120), "the first worker did nothing"
    workers.kill(first)  # SIGKILL in the middle of a batch
    done_when_killed = reports_done()
    assert done_when_killed < expected, "the job finished before the worker was killed"
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING

    workers.start(batch_size=4)
    # the unacknowledged batch comes back after the visibility timeout
    assert _wait(
        lambda: Job.objects.get(pk=job.pk).status == JobStatus.DONE,
        timeout=TIME_LIMIT * 2 + 120,
    ), f"job not done: {Job.objects.get(pk=job.pk).__dict__}"
    cycle = SupervisionCycle.objects.get(kind=CycleKind.SEMIANNUAL, period="2011-H1")
    assert SupervisionCycle.objects.filter(kind=CycleKind.SEMIANNUAL).count() == 1
    reports = SupervisionReport.objects.filter(cycle=cycle)
    assert reports.count() == expected
    assert reports.values("unit").distinct().count() == expected
    assert not reports.filter(pdf="").exists()
    job.refresh_from_db()
    assert job.done == job.total == expected + 1

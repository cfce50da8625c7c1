"""Celery through a real Redis broker with a live worker process.

Runs in .ci/run's services pass (CELERY_BROKER_URL and CELERY_RESULT_BACKEND
set); the default suite runs Celery eagerly and deselects this module."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.services

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def live_worker():
    if not (os.environ.get("CELERY_BROKER_URL") and os.environ.get("CELERY_RESULT_BACKEND")):
        pytest.skip("needs CELERY_BROKER_URL and CELERY_RESULT_BACKEND")
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "pingxiang_cf",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--loglevel=WARNING",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        yield worker
    finally:
        # Stop only the worker we started, by its PID.
        os.kill(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.kill(worker.pid, signal.SIGKILL)
            worker.wait()


def test_task_round_trip_through_redis_and_a_live_worker(live_worker):
    from django.conf import settings

    from pingxiang_cf.celery import ping

    assert settings.CELERY_TASK_ALWAYS_EAGER is False
    result = ping.delay()
    assert result.get(timeout=60) == "pong"
    assert live_worker.poll() is None  # the worker is still running

"""The Celery app. Configured from Django settings (CELERY_* names); with no
broker URL set, settings turn on eager mode so tasks run in-process."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pingxiang_cf.settings")

app = Celery("pingxiang_cf")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The beat schedule lives here, one entry per periodic job with its cron in a
# comment; the supervision-cycle jobs add their entries.
app.conf.beat_schedule = {
    # 30 7 * * *  (daily 07:30, CELERY_TIMEZONE = Asia/Shanghai)
    "projects-notify-due-and-overdue": {
        "task": "projects.notify_due_and_overdue",
        "schedule": crontab(minute=30, hour=7),
    },
    # 15 0 * * *  (daily 00:15: every dashboard rollup rebuilt, lights judged on the new day)
    "dashboards-refresh-rollups-full": {
        "task": "dashboards.refresh_rollups_full",
        "schedule": crontab(minute=15, hour=0),
    },
    # */10 * * * *  (every 10 minutes: rollups of projects written since, if a queued run was lost)
    "dashboards-refresh-rollups": {
        "task": "dashboards.refresh_rollups",
        "schedule": crontab(minute="*/10"),
    },
    # 15 3 * * *  (daily 03:15): delete job result files past their retention
    "pingxiang-cf-purge-expired-jobs": {
        "task": "pingxiang_cf.purge_expired_jobs",
        "schedule": crontab(minute=15, hour=3),
    },
}


@app.task(name="pingxiang_cf.ping")
def ping() -> str:
    """Round-trip check used by the service tests and the health page."""
    return "pong"

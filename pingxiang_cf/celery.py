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
    # 15 3 * * *  (daily 03:15): delete job result files past their retention
    "pingxiang-cf-purge-expired-jobs": {
        "task": "pingxiang_cf.purge_expired_jobs",
        "schedule": crontab(minute=15, hour=3),
    },
    # 30 3 * * *  (daily 03:30): credential checks and ended lockouts past
    # LOGIN_RECORD_RETENTION_DAYS (the audit log keeps every sign-in)
    "security-purge-login-records": {
        "task": "security.purge_login_records",
        "schedule": crontab(minute=30, hour=3),
    },
    # Supervision cycles (inspections/tasks.py), each for the period just ended:
    # 0 6 1 * *          (06:00 on the 1st of every month: the previous month's notice)
    "inspections-monthly-cycle": {
        "task": "inspections.run_previous_cycle",
        "schedule": crontab(minute=0, hour=6, day_of_month=1),
        "args": ("monthly",),
    },
    # 15 6 1 1,4,7,10 *  (the 1st of each quarter: the previous quarter)
    "inspections-quarterly-cycle": {
        "task": "inspections.run_previous_cycle",
        "schedule": crontab(minute=15, hour=6, day_of_month=1, month_of_year="1,4,7,10"),
        "args": ("quarterly",),
    },
    # 30 6 1 1,7 *       (1 January and 1 July: the previous half-year's supervision reports)
    "inspections-semiannual-cycle": {
        "task": "inspections.run_previous_cycle",
        "schedule": crontab(minute=30, hour=6, day_of_month=1, month_of_year="1,7"),
        "args": ("semiannual",),
    },
    # 45 6 2 1 *         (2 January: the previous year's annual cycle)
    "inspections-annual-cycle": {
        "task": "inspections.run_previous_cycle",
        "schedule": crontab(minute=45, hour=6, day_of_month=2, month_of_year="1"),
        "args": ("annual",),
    },
    # 0 7 * * *  (daily 07:00): overdue letters → interviews; letter, interview,
    # finding and meeting-item reminders before and after their deadlines
    "inspections-escalation-daily": {
        "task": "inspections.escalation_daily",
        "schedule": crontab(minute=0, hour=7),
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
}


@app.task(name="pingxiang_cf.ping")
def ping() -> str:
    """Round-trip check used by the service tests and the health page."""
    return "pong"

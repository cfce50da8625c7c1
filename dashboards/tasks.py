"""Celery tasks of the dashboards app: thin, idempotent, calling
dashboards.rollups. The beat entries are in pingxiang_cf/celery.py."""

from celery import shared_task
from django.conf import settings
from django.db import transaction

from dashboards import rollups


@shared_task(name="dashboards.refresh_rollups")
def refresh_rollups_task() -> int:
    """Rebuild what the projects marked dirty touch (debounced, see request_refresh)."""
    rollups.release_refresh()  # a write from now on queues the next run
    with rollups.exclusive() as acquired:
        return rollups.refresh_dirty() if acquired else 0


@shared_task(name="dashboards.refresh_rollups_full")
def refresh_rollups_full_task() -> int:
    """Rebuild every rollup; nightly, since lights move with the date."""
    with rollups.exclusive() as acquired:
        return rollups.refresh_all() if acquired else 0


def request_refresh(project_ids) -> None:
    """Called after a project or ledger write: mark the projects stale once
    the transaction commits and queue one refresh, delayed by
    DASHBOARD_REFRESH_DELAY seconds so that a burst of writes costs one run."""

    ids = [pk for pk in project_ids if pk]

    def queue():
        rollups.mark_dirty(ids)
        if rollups.claim_refresh():
            refresh_rollups_task.apply_async(countdown=settings.DASHBOARD_REFRESH_DELAY)

    if ids:
        transaction.on_commit(queue)

"""Writes of the in-app notifications (the bell). Reads are in
pingxiang_cf/selectors.py (`unread_count`, `notifications_for`)."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from pingxiang_cf.models import Notification


def _user_ids(recipients: Iterable) -> list[int]:
    """Distinct ids, in first-seen order, of users or user ids."""
    ids: dict[int, None] = {}
    for recipient in recipients:
        user_id = getattr(recipient, "pk", recipient)
        if user_id is not None:
            ids[int(user_id)] = None
    return list(ids)


def build_notifications(
    *, recipients: Iterable, verb: str, obj: models.Model, message: str, day=None
) -> list[Notification]:
    """Unsaved notification rows, one per distinct recipient."""
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    day = day or timezone.localdate()
    return [
        Notification(
            recipient_id=user_id,
            verb=verb,
            message=str(message),
            content_type=content_type,
            object_id=str(obj.pk),
            day=day,
        )
        for user_id in _user_ids(recipients)
    ]


def notify(*, recipients: Iterable, verb: str, obj: models.Model, message: str) -> None:
    """Queue one notification per recipient about `obj`, inserted in one bulk
    INSERT once the surrounding transaction commits (nothing is sent for a
    change that is rolled back). A reminder already sent today is skipped."""
    rows = build_notifications(recipients=recipients, verb=verb, obj=obj, message=message)
    if rows:
        transaction.on_commit(lambda: Notification.objects.bulk_create(rows, ignore_conflicts=True))


def notification_mark_read(*, actor, notifications: Iterable | None = None, all=False) -> int:  # noqa: A002
    """Mark the actor's own notifications read: those given (objects or ids)
    or, with `all=True`, every unread one. Others' notifications are ignored.
    Returns how many were marked."""
    unread = Notification.objects.restrict(actor).unread()
    if not all:
        ids = [getattr(n, "pk", n) for n in notifications or ()]
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())

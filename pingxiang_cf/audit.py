"""Recording changes: snapshots of a model instance and the audit row."""

from __future__ import annotations

import json

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from pingxiang_cf.models import AuditAction, AuditLog, Transition


def snapshot(obj: models.Model) -> dict:
    """JSON-safe values of the concrete fields and many-to-many ids of `obj`."""
    data = {}
    for f in obj._meta.concrete_fields:
        if f.name in ("created_at", "updated_at"):
            continue
        value = f.value_from_object(obj)
        if isinstance(f, models.FileField):
            value = value.name if value else ""
        data[f.attname] = value
    if obj.pk is not None:
        for f in obj._meta.many_to_many:
            data[f.name] = sorted(o.pk for o in f.value_from_object(obj))
    # Round-trip through the encoder so dates, decimals and UUIDs become text.
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def diff(before: dict | None, after: dict | None) -> list[str]:
    before, after = before or {}, after or {}
    return sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))


def record(
    *,
    actor,
    action: str,
    obj: models.Model,
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
) -> AuditLog:
    """Write one audit row; callers run inside the transaction of the change."""
    return AuditLog.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        actor_name=getattr(actor, "username", "") or "",
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        before=before,
        after=after,
        changed_fields=diff(before, after),
        reason=reason,
    )


def record_transition(*, actor, obj, field: str, from_state: str, to_state: str, reason=""):
    """Append a transition row and its audit row."""
    Transition.objects.create(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
        field=field,
        from_state=from_state or "",
        to_state=to_state,
        reason=reason,
        actor=actor if actor is not None and actor.pk else None,
    )
    return record(
        actor=actor,
        action=AuditAction.TRANSITION,
        obj=obj,
        before={field: from_state},
        after={field: to_state},
        reason=reason,
    )


def history(obj: models.Model):
    """Audit rows of one object, newest first."""
    return AuditLog.objects.filter(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
    )

"""Recording changes and security events: snapshots of a model instance and
the audit row.

Every row says when, who (account and unit), from which IP address, what
(action and object) and with what outcome. The IP address comes from the
request being served (set by pingxiang_cf.middleware.AuditContextMiddleware
in a context variable, so services need not pass it); the unit from the
resolver named in settings.PXCF_USER_UNIT_RESOLVER. Rows are chained by hash
(pingxiang_cf/auditchain.py).

Other apps use:
  record(actor=, action=, obj=, before=, after=, reason=)   a write
  record_export(actor=, what=, rows=, fmt=)                  an export (download)
  record_import(actor=, what=, rows=, outcome=, reason=)     an import
  record_personal_view(actor=, obj=, fields=)                personal data shown
  record_event(actor=, action=, ...)                         anything else
"""

from __future__ import annotations

import contextvars
import json

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.module_loading import import_string

from pingxiang_cf import auditchain
from pingxiang_cf.models import AuditAction, AuditLog, AuditOutcome, Transition

# The client address of the request being served, or None outside a request.
current_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "pxcf_audit_ip", default=None
)


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or behind our own reverse proxy
    (AUDIT_TRUST_X_FORWARDED_FOR) the last address it appended."""
    if request is None:
        return None
    if getattr(settings, "AUDIT_TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return request.META.get("REMOTE_ADDR") or None


def actor_unit(actor) -> str:
    """The names of the units where `actor` holds a role (cached per user object)."""
    if actor is None or not getattr(actor, "pk", None):
        return ""
    cached = getattr(actor, "_pxcf_audit_unit", None)
    if cached is None:
        resolver = getattr(settings, "PXCF_USER_UNIT_RESOLVER", "")
        cached = import_string(resolver)(actor)[:255] if resolver else ""
        actor._pxcf_audit_unit = cached
    return cached


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


def record_event(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    object_repr: str = "",
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
    outcome: str = AuditOutcome.SUCCESS,
    request=None,
    actor_name: str = "",
) -> AuditLog:
    """Append one audit row (any action) to the chain. `obj` may be None
    for events about no stored object (a failed login with an unknown name,
    a refused URL: say what in `object_repr`)."""
    real_actor = actor if actor is not None and getattr(actor, "pk", None) else None
    ip = client_ip(request) if request is not None else current_ip.get()
    row = AuditLog(
        created_at=timezone.now(),
        actor=real_actor,
        actor_name=(actor_name or getattr(actor, "username", "") or "")[:150],
        unit=actor_unit(real_actor),
        ip=ip,
        action=action,
        outcome=outcome,
        content_type=(
            ContentType.objects.get_for_model(obj, for_concrete_model=False) if obj else None
        ),
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=(str(obj) if obj is not None and not object_repr else object_repr)[:255],
        before=before,
        after=after,
        changed_fields=diff(before, after),
        reason=reason,
    )
    auditchain.append(row)
    return row


def record(
    *,
    actor,
    action: str,
    obj: models.Model,
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
    outcome: str = AuditOutcome.SUCCESS,
    request=None,
) -> AuditLog:
    """Write one audit row about `obj`; callers run inside the transaction of the change."""
    return record_event(
        actor=actor,
        action=action,
        obj=obj,
        before=before,
        after=after,
        reason=reason,
        outcome=outcome,
        request=request,
    )


def record_export(
    *, actor, what: str, rows: int | None = None, fmt: str = "", obj=None, request=None
) -> AuditLog:
    """An export or download of data: `what` names it ("项目清单", "审计日志"),
    `rows` how many records left the system, `fmt` the format (csv/xlsx/pdf)."""
    return record_event(
        actor=actor,
        action=AuditAction.EXPORT,
        obj=obj,
        object_repr=what,
        after={"rows": rows, "format": fmt},
        request=request,
    )


def record_import(
    *,
    actor,
    what: str,
    rows: int | None = None,
    outcome: str = AuditOutcome.SUCCESS,
    reason: str = "",
    obj=None,
    request=None,
) -> AuditLog:
    """An import of data: `outcome` failure with the reason when it was refused."""
    return record_event(
        actor=actor,
        action=AuditAction.IMPORT,
        obj=obj,
        object_repr=what,
        after={"rows": rows},
        outcome=outcome,
        reason=reason,
        request=request,
    )


def record_personal_view(*, actor, obj: models.Model, fields, request=None) -> AuditLog:
    """Personal data of `obj` (an official's ID number, phone) was shown to `actor`."""
    return record_event(
        actor=actor,
        action=AuditAction.VIEW_PERSONAL,
        obj=obj,
        after={"fields": sorted(fields)},
        request=request,
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

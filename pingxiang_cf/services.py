"""Generic audited writes. Every app service that creates, changes or deletes
a row goes through these: permission check, validation, the write and its
audit row happen in one transaction; after the write the object is checked
again against the actor's scope, so nobody can move a row out of their reach
(or create one outside it)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils.translation import gettext as _

from pingxiang_cf import audit
from pingxiang_cf.models import AuditAction
from pingxiang_cf.scope import CHANGE, can


def ensure_can(actor, obj: models.Model, action: str = CHANGE) -> None:
    """Raise PermissionDenied unless `actor` may `action` the saved `obj`."""
    if actor is None:
        return  # system jobs (management commands, Celery) act without a user
    if not can(actor, obj, action):
        raise PermissionDenied(_("您没有权限修改该记录。"))


def _set_m2m(obj: models.Model, m2m: Mapping[str, Iterable] | None) -> None:
    for name, values in (m2m or {}).items():
        getattr(obj, name).set(values)


@transaction.atomic
def audited_create(
    model: type[models.Model], *, actor, m2m=None, audit_reason="", after_save=None, **fields
):
    """Validate, insert, check scope, record. Returns the new object.
    `after_save(obj)` runs after the insert and before the audit row, for
    services that keep derived columns (the unit tree's path)."""
    obj = model(**fields)
    obj.full_clean()
    obj.save()
    _set_m2m(obj, m2m)
    if after_save:
        after_save(obj)
    finish_audited_write(obj, actor=actor, before=None, reason=audit_reason)
    return obj


@transaction.atomic
def audited_update(
    obj: models.Model, *, actor, m2m=None, audit_reason="", after_save=None, **changes
):
    """Apply `changes`, validate, save, check scope before and after, record."""
    before = begin_audited_write(obj, actor=actor)
    for name, value in changes.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    _set_m2m(obj, m2m)
    if after_save:
        after_save(obj)
    finish_audited_write(obj, actor=actor, before=before, reason=audit_reason)
    return obj


def stored_snapshot(obj: models.Model) -> dict | None:
    """The audit snapshot of `obj` as the database holds it (values as stored:
    decimals at their places, many-to-many ids saved so far); None if the
    row is not stored."""
    if obj.pk is None:
        return None
    stored = type(obj)._base_manager.filter(pk=obj.pk).first()
    return None if stored is None else audit.snapshot(stored)


def begin_audited_write(obj: models.Model, *, actor) -> dict | None:
    """Open a write saved in several steps (a form, then its many-to-many
    values, as the admin does): check the actor may change the stored row
    and return its before-values read from the database, since a bound form
    has already changed the instance in memory. None for a new object. Call
    inside the transaction of the write."""
    before = stored_snapshot(obj)
    if before is not None:
        ensure_can(actor, obj)
    return before


def finish_audited_write(obj: models.Model, *, actor, before: dict | None, reason=""):
    """Close a write: check the saved object is still within the actor's
    reach, then record a create (`before` is None) or, if any stored value
    changed, an update. Returns the audit row, or None when nothing changed."""
    ensure_can(actor, obj)
    after = stored_snapshot(obj)
    if before is None:
        action = AuditAction.CREATE
    elif before != after:
        action = AuditAction.UPDATE
    else:
        return None
    return audit.record(
        actor=actor, action=action, obj=obj, before=before, after=after, reason=reason
    )


@transaction.atomic
def audited_delete(obj: models.Model, *, actor, audit_reason="") -> None:
    ensure_can(actor, obj)
    before = audit.snapshot(obj)
    audit.record(
        actor=actor, action=AuditAction.DELETE, obj=obj, before=before, reason=audit_reason
    )
    obj.delete()


@transaction.atomic
def audited_transition(obj: models.Model, *, actor, to_state: str, field="status", reason=""):
    """Move `obj.<field>` to `to_state`, appending a transition row."""
    ensure_can(actor, obj)
    from_state = getattr(obj, field)
    if from_state == to_state:
        return obj
    setattr(obj, field, to_state)
    obj.full_clean()
    obj.save()
    audit.record_transition(
        actor=actor,
        obj=obj,
        field=field,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
    )
    return obj

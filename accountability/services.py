"""Writes for the accountability app. Each goes through the audited helpers."""

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr

from accountability.models import Membership, Unit
from pingxiang_cf.services import audited_create, audited_update


def _path_for(unit: Unit) -> str:
    parent_path = unit.parent.path if unit.parent_id else "/"
    return f"{parent_path}{unit.pk}/"


@transaction.atomic
def unit_create(*, actor, **fields) -> Unit:
    """Create a unit and give it its place in the tree."""
    unit = audited_create(Unit, actor=actor, **fields)
    unit.path = _path_for(unit)
    unit.depth = unit.path.count("/") - 2
    Unit.objects.filter(pk=unit.pk).update(path=unit.path, depth=unit.depth)
    return unit


@transaction.atomic
def unit_update(unit: Unit, *, actor, **changes) -> Unit:
    """Change a unit; moving it under another parent re-roots its subtree."""
    old_path = unit.path
    unit = audited_update(unit, actor=actor, **changes)
    new_path = _path_for(unit)
    if new_path != old_path:
        depth_shift = new_path.count("/") - old_path.count("/")
        Unit.objects.filter(path__startswith=old_path).update(
            path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
            depth=F("depth") + depth_shift,
        )
        unit.refresh_from_db(fields=["path", "depth"])
    return unit


def membership_grant(*, actor, user, unit: Unit, role: str) -> Membership:
    return audited_create(Membership, actor=actor, user=user, unit=unit, role=role)

"""Writes for the accountability app. Each goes through the audited helpers."""

from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone

from accountability.choices import RiskLevel
from accountability.models import Membership, Unit
from pingxiang_cf.services import audited_create, audited_update


def _path_for(unit: Unit) -> str:
    parent_path = unit.parent.path if unit.parent_id else "/"
    return f"{parent_path}{unit.pk}/"


def _place_in_tree(unit: Unit) -> None:
    """Write the unit's path and depth; a moved unit takes its subtree along
    in one UPDATE."""
    old_path, new_path = unit.path, _path_for(unit)
    if new_path == old_path:
        return
    # updated_at by hand: UPDATE skips auto_now, and readers of the tree
    # (the dashboard's snapshots) notice a change by it.
    now = timezone.now()
    if old_path:
        Unit.objects.filter(path__startswith=old_path).update(
            path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
            depth=F("depth") + (new_path.count("/") - old_path.count("/")),
            updated_at=now,
        )
    else:
        Unit.objects.filter(pk=unit.pk).update(
            path=new_path, depth=new_path.count("/") - 2, updated_at=now
        )
    unit.refresh_from_db(fields=["path", "depth"])


def unit_create(*, actor, **fields) -> Unit:
    """Create a unit in its place in the tree."""
    return audited_create(Unit, actor=actor, after_save=_place_in_tree, **fields)


def unit_update(unit: Unit, *, actor, **changes) -> Unit:
    """Change a unit; moving it under another parent re-roots its subtree."""
    return audited_update(unit, actor=actor, after_save=_place_in_tree, **changes)


def risk_level(likelihood: int, impact: int) -> str:
    """The level of a risk point on the 5 × 5 likelihood × impact matrix:
    15 and above high, 8 and above medium, below that low."""
    score = likelihood * impact
    if score >= 15:
        return RiskLevel.HIGH
    if score >= 8:
        return RiskLevel.MEDIUM
    return RiskLevel.LOW


def membership_grant(*, actor, user, unit: Unit, role: str) -> Membership:
    return audited_create(Membership, actor=actor, user=user, unit=unit, role=role)

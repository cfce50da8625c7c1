"""Who may do what in the accountability app. The predicates run no query
(the user's scope is cached on the user); services raise on them and pages
use them for their buttons and their 403s."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from pingxiang_cf.roles import EDITOR_ROLES
from pingxiang_cf.scope import get_user_scope


def can_manage(user) -> bool:
    """Generating letters, approving risk maps, the register: the commission office."""
    return get_user_scope(user).edits_all


def edits_unit(user, unit) -> bool:
    """The user edits `unit` (an editor role there or above it) or is the commission."""
    scope = get_user_scope(user)
    if scope.edits_all:
        return True
    return any(unit.path.startswith(path) for path in scope.unit_paths(EDITOR_ROLES))


def can_edit_risk_map(user, unit) -> bool:
    """A unit's risk map is written by the unit's editors (the commission approves it)."""
    return edits_unit(user, unit)


def can_see_personal_data(user, official) -> bool:
    """An official's personal details: the commission and any role held in
    the official's own unit (not the units above it); everyone else sees
    masked values."""
    scope = get_user_scope(user)
    if scope.edits_all:
        return True
    unit_path = official.unit.path
    return any(path == unit_path for _role, path in scope.grants)


def ensure(actor, allowed: bool, message: str | None = None) -> None:
    """PermissionDenied unless allowed; a system job (actor None) always may."""
    if actor is not None and not allowed:
        raise PermissionDenied(message or _("您没有权限执行此操作。"))


def ensure_commission(actor) -> None:
    ensure(actor, can_manage(actor), _("只有纪委惩防办可以执行此操作。"))

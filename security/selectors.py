"""Reads of the security app."""

from __future__ import annotations

from accountability.models import Membership
from pingxiang_cf.models import AuditLog
from security.models import Lockout, PasswordHistory, SecurityPolicy, TOTPDevice


def user_unit_label(user) -> str:
    """The unit(s) where `user` holds a role, for audit rows (settings.PXCF_USER_UNIT_RESOLVER)."""
    names = (
        Membership.objects.filter(user=user)
        .order_by("unit__name")
        .values_list("unit__name", flat=True)
        .distinct()
    )
    return "、".join(names)


def security_policy() -> SecurityPolicy:
    policy = SecurityPolicy.objects.filter(pk=1).first()
    return policy if policy is not None else SecurityPolicy(pk=1)


def user_roles(user) -> set[str]:
    return set(Membership.objects.filter(user=user).values_list("role", flat=True))


def totp_required(user) -> bool:
    required = set(security_policy().totp_required_roles)
    return bool(required and required & user_roles(user))


def totp_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user).first()


def password_changed_at(user):
    """When the user's current password was set: the newest history row, or
    the account's creation for a password never changed here."""
    latest = (
        PasswordHistory.objects.filter(user=user)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
    ).first()
    return latest or user.date_joined


def active_lockout(username: str) -> Lockout | None:
    return Lockout.objects.active().filter(username=username).order_by("-expires_at").first()


def lockouts_for_admin(*, active_only: bool = False):
    queryset = Lockout.objects.select_related("released_by")
    return queryset.active() if active_only else queryset


def audit_rows(user):
    """The audit log as `user` may read it (the audit administrator only)."""
    return AuditLog.objects.restrict(user, "view").select_related("content_type")

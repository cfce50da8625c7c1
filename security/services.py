"""Writes of the security app: credential checks and lockouts, password
history, TOTP devices, the security policy. Every one is audited in the
audit log's hash chain (pingxiang_cf.audit)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from pingxiang_cf import audit
from pingxiang_cf.models import AuditAction, AuditOutcome
from pingxiang_cf.roles import Role
from security import selectors, totp
from security.models import Lockout, LoginAttempt, PasswordHistory, SecurityPolicy, TOTPDevice


def _user_named(username: str):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(username=username).first()


# --- Credential checks and lockouts --------------------------------------------------


@transaction.atomic
def login_succeeded(*, user, request=None, reason: str = "") -> None:
    """A password (or second factor) was right: the failure count restarts."""
    ip = audit.client_ip(request) if request is not None else audit.current_ip.get()
    LoginAttempt.objects.create(
        username=user.get_username(), ip=ip, succeeded=True, reason=reason[:64]
    )
    audit.record_event(
        actor=user, action=AuditAction.LOGIN, obj=user, reason=reason, request=request
    )


@transaction.atomic
def login_failed(*, username: str, request=None, reason: str = "") -> Lockout | None:
    """A wrong password or code for `username` (known or not). Returns the
    lockout when this failure reaches LOGIN_FAILURE_LIMIT failures in a row
    within the last LOCKOUT_MINUTES."""
    now = timezone.now()
    ip = audit.client_ip(request) if request is not None else audit.current_ip.get()
    LoginAttempt.objects.create(username=username, ip=ip, succeeded=False, reason=reason[:64])
    user = _user_named(username)
    audit.record_event(
        actor=user,
        actor_name=username,
        action=AuditAction.LOGIN_FAILED,
        obj=user,
        object_repr=username,
        outcome=AuditOutcome.FAILURE,
        reason=reason,
        request=request,
    )
    window_start = now - timedelta(minutes=settings.LOCKOUT_MINUTES)
    last_reset = (
        LoginAttempt.objects.filter(username=username, succeeded=True)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    last_lock = (
        Lockout.objects.filter(username=username)
        .order_by("-started_at")
        .values_list("started_at", flat=True)
        .first()
    )
    since = max(t for t in (window_start, last_reset, last_lock) if t is not None)
    failures = LoginAttempt.objects.filter(
        username=username, succeeded=False, created_at__gt=since
    ).count()
    if failures < settings.LOGIN_FAILURE_LIMIT or selectors.active_lockout(username):
        return None
    lockout = Lockout.objects.create(
        username=username,
        started_at=now,
        expires_at=now + timedelta(minutes=settings.LOCKOUT_MINUTES),
        failures=failures,
        ip=ip,
    )
    audit.record_event(
        actor=user,
        actor_name=username,
        action=AuditAction.LOCKOUT,
        obj=user,
        object_repr=username,
        outcome=AuditOutcome.FAILURE,
        reason=_("连续 %(count)d 次登录失败,锁定至 %(until)s。")
        % {"count": failures, "until": timezone.localtime(lockout.expires_at).strftime("%H:%M")},
        request=request,
    )
    return lockout


def login_refused_locked(*, username: str, request=None) -> None:
    """A sign-in attempt on a locked account: refused without checking the
    password, recorded."""
    user = _user_named(username)
    audit.record_event(
        actor=user,
        actor_name=username,
        action=AuditAction.LOGIN_FAILED,
        obj=user,
        object_repr=username,
        outcome=AuditOutcome.DENIED,
        reason=_("账号已锁定"),
        request=request,
    )


def login_refused_second_factor(*, user, request=None) -> None:
    """The right password where a second factor is required and cannot be
    given (the API token endpoint): refused, recorded, not counted as a failure."""
    audit.record_event(
        actor=user,
        action=AuditAction.LOGIN_FAILED,
        obj=user,
        outcome=AuditOutcome.DENIED,
        reason=_("须使用动态口令,不能仅凭密码获取 API 令牌"),
        request=request,
    )


def _ensure_role(actor, role: str) -> None:
    if actor is None:
        return  # management commands
    from pingxiang_cf.scope import get_user_scope

    if not (actor.is_superuser or role in get_user_scope(actor).roles):
        raise PermissionDenied(_("您没有权限执行此操作。"))


@transaction.atomic
def lockout_release(*, lockout: Lockout, actor, reason: str = "") -> Lockout:
    """The security administrator unlocks an account before its time."""
    _ensure_role(actor, Role.SECURITY_ADMIN)
    lockout = Lockout.objects.select_for_update().get(pk=lockout.pk)
    if not lockout.is_active:
        raise ValidationError(_("该锁定已失效,无需解锁。"))
    lockout.released_at = timezone.now()
    lockout.released_by = actor
    lockout.save(update_fields=["released_at", "released_by"])
    audit.record_event(
        actor=actor,
        action=AuditAction.UNLOCK,
        obj=lockout,
        object_repr=lockout.username,
        reason=reason,
    )
    return lockout


def login_records_purge(now=None) -> tuple[int, int]:
    """Delete credential checks older than LOGIN_RECORD_RETENTION_DAYS and
    lockouts that ended before then. They only serve the failure count and
    the lockout list; every check is also in the audit log, which keeps it.
    Returns (attempts, lockouts) deleted."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.LOGIN_RECORD_RETENTION_DAYS)
    attempts, _by_model = LoginAttempt.objects.filter(created_at__lt=cutoff).delete()
    ended = Q(expires_at__lt=cutoff) | Q(released_at__lt=cutoff)
    lockouts, _by_model = Lockout.objects.filter(ended).delete()
    return attempts, lockouts


# --- Passwords -------------------------------------------------------------------------


def password_history_add(*, user) -> None:
    """Called whenever a password is set (the validators' password_changed
    hook): keep its hash, trim the history to PASSWORD_HISTORY_COUNT."""
    if not user.pk or not user.password or not user.has_usable_password():
        return
    PasswordHistory.objects.create(user=user, password=user.password)
    keep = PasswordHistory.objects.filter(user=user).order_by("-created_at", "-pk")
    old = list(keep.values_list("pk", flat=True)[settings.PASSWORD_HISTORY_COUNT :])
    if old:
        PasswordHistory.objects.filter(pk__in=old).delete()


def password_expired(user, now=None) -> bool:
    max_age = settings.PASSWORD_MAX_AGE_DAYS
    if not max_age:
        return False
    now = now or timezone.now()
    return now - selectors.password_changed_at(user) > timedelta(days=max_age)


# --- Second factor ---------------------------------------------------------------------


@transaction.atomic
def totp_device_enrol(*, user, secret: str, code: str, actor) -> TOTPDevice:
    """Enrol the authenticator holding `secret`, proved by a current `code`."""
    if actor is not None and actor.pk != user.pk:
        raise PermissionDenied(_("只能为自己的账号启用动态口令。"))
    step = totp.matching_step(secret, code, timezone.now().timestamp())
    if step is None:
        raise ValidationError({"code": _("动态口令不正确,请核对手机时间后重试。")})
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(user=user, secret=secret, last_step=step)
    audit.record_event(
        actor=actor or user, action=AuditAction.SECURITY, obj=user, reason=_("启用动态口令")
    )
    return device


@transaction.atomic
def totp_verify(*, user, code: str, request=None) -> bool:
    """Check a sign-in code; a used code (same or earlier step) is refused.
    A wrong code counts as a failed sign-in towards the lockout."""
    device = TOTPDevice.objects.select_for_update().filter(user=user).first()
    step = (
        totp.matching_step(
            device.secret, code, timezone.now().timestamp(), after_step=device.last_step
        )
        if device
        else None
    )
    if step is None:
        login_failed(username=user.get_username(), request=request, reason=_("动态口令错误"))
        return False
    device.last_step = step
    device.save(update_fields=["last_step"])
    login_succeeded(user=user, request=request, reason=_("动态口令验证通过"))
    return True


@transaction.atomic
def totp_device_remove(*, user, actor) -> None:
    """Switch the second factor off (not allowed when the user's role requires it)."""
    if actor.pk != user.pk:
        _ensure_role(actor, Role.SECURITY_ADMIN)
    elif selectors.totp_required(user):
        raise ValidationError(_("您的角色要求使用动态口令,不能停用。"))
    TOTPDevice.objects.filter(user=user).delete()
    audit.record_event(actor=actor, action=AuditAction.SECURITY, obj=user, reason=_("停用动态口令"))


# --- Policy ------------------------------------------------------------------------------


@transaction.atomic
def security_policy_update(*, actor, totp_required_roles) -> SecurityPolicy:
    """The security administrator sets which roles must use a second factor."""
    _ensure_role(actor, Role.SECURITY_ADMIN)
    valid = {value for value, _label in Role.choices}
    roles = sorted(set(totp_required_roles))
    unknown = [r for r in roles if r not in valid]
    if unknown:
        raise ValidationError({"totp_required_roles": _("未知角色:%s") % "、".join(unknown)})
    policy, _created = SecurityPolicy.objects.select_for_update().get_or_create(pk=1)
    before = {"totp_required_roles": policy.totp_required_roles}
    policy.totp_required_roles = roles
    policy.updated_by = actor
    policy.save()
    audit.record_event(
        actor=actor,
        action=AuditAction.SECURITY,
        obj=policy,
        before=before,
        after={"totp_required_roles": roles},
    )
    return policy

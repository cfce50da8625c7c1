"""Personal API tokens: create (the key is returned once), revoke, and
resolve a presented key to its user. Only a SHA-256 hash of a key is stored:
keys are 256-bit random strings, so a plain hash is enough to make a stolen
table useless, and it lets a key be found with one indexed lookup.

Creating and revoking write an audit row in the same transaction. A token
acts with its user's scope (the API calls `restrict(token.user, …)`)."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pingxiang_cf import audit
from pingxiang_cf.models import ApiToken, AuditAction

KEY_PREFIX = "pxcf_"
# How often `last_used_at` is written at most: a client polling every second
# must not turn every read into a write.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


def default_days() -> int:
    return int(getattr(settings, "API_TOKEN_DAYS", 90))


def max_days() -> int:
    return int(getattr(settings, "API_TOKEN_MAX_DAYS", 365))


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _ensure_self(actor, user) -> None:
    if actor is None or actor.pk != user.pk:
        raise PermissionDenied(_("只能管理自己的令牌。"))


@transaction.atomic
def token_create(*, actor, user, name: str, days: int | None = None) -> tuple[ApiToken, str]:
    """Create a token for `user` (only by that user) valid for `days` days
    (default API_TOKEN_DAYS, at most API_TOKEN_MAX_DAYS). Returns the token
    and its key; the key is not stored and cannot be shown again."""
    _ensure_self(actor, user)
    if not user.is_active:
        raise PermissionDenied(_("账号已停用。"))
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写令牌名称。")})
    if len(name) > 64:
        raise ValidationError({"name": _("令牌名称不能超过64个字符。")})
    days = default_days() if days in (None, "") else days
    if not isinstance(days, int) or not 1 <= days <= max_days():
        raise ValidationError({"days": _("有效天数须在1到%(max)d之间。") % {"max": max_days()}})
    if ApiToken.objects.filter(user=user, name=name, revoked_at__isnull=True).exists():
        raise ValidationError({"name": _("您已有同名的有效令牌。")})
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=key[: len(KEY_PREFIX) + 6],
        key_hash=hash_key(key),
        expires_at=timezone.now() + datetime.timedelta(days=days),
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=token,
        after={"name": name, "prefix": token.prefix, "expires_at": token.expires_at.isoformat()},
    )
    return token, key


@transaction.atomic
def token_revoke(token: ApiToken, *, actor) -> ApiToken:
    """Revoke one of the actor's own tokens (idempotent)."""
    _ensure_self(actor, token.user)
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=token,
        before={"revoked_at": None},
        after={"revoked_at": token.revoked_at.isoformat()},
        reason=_("撤销令牌"),
    )
    return token


def token_for_key(key: str) -> ApiToken | None:
    """The usable token for a presented key, else None: unknown, revoked,
    expired, or its user switched off. Marks it used (at most once a minute)."""
    if not key or not key.startswith(KEY_PREFIX) or len(key) > 128:
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=hash_key(key)).first()
    now = timezone.now()
    if (
        token is None
        or token.revoked_at is not None
        or token.expires_at <= now
        or not token.user.is_active
    ):
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def active_tokens(user):
    """The user's tokens that are neither revoked nor expired, newest first."""
    return ApiToken.objects.restrict(user).filter(
        revoked_at__isnull=True, expires_at__gt=timezone.now()
    )

"""Security records and settings (GB/T 22239-2019 level 3, issue 9):
credential checks and lockouts, password history, TOTP devices and the
security policy the security administrator keeps."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pingxiang_cf.fields import EncryptedTextField
from pingxiang_cf.roles import Role


class LoginAttempt(models.Model):
    """One check of a password or second factor, on any way in (sign-in
    page, admin, API token). Counted to lock an account."""

    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    username = models.CharField(_("账号"), max_length=150, db_index=True)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    succeeded = models.BooleanField(_("成功"))
    reason = models.CharField(_("说明"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("登录尝试")
        verbose_name_plural = _("登录尝试")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["username", "created_at"])]

    def __str__(self):
        return f"{self.username} {self.created_at:%Y-%m-%d %H:%M} {self.succeeded}"


class LockoutQuerySet(models.QuerySet):
    def active(self, now=None):
        now = now or timezone.now()
        return self.filter(released_at__isnull=True, expires_at__gt=now)


class Lockout(models.Model):
    """An account locked after too many failures, until `expires_at` or
    until the security administrator releases it."""

    username = models.CharField(_("账号"), max_length=150, db_index=True)
    started_at = models.DateTimeField(_("锁定时间"), default=timezone.now)
    expires_at = models.DateTimeField(_("自动解锁时间"))
    failures = models.PositiveIntegerField(_("连续失败次数"))
    ip = models.GenericIPAddressField(_("最后尝试 IP"), null=True, blank=True)
    released_at = models.DateTimeField(_("人工解锁时间"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("解锁人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = LockoutQuerySet.as_manager()

    class Meta:
        verbose_name = _("账号锁定")
        verbose_name_plural = _("账号锁定")
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("started_at")),
                name="lockout_expires_after_start",
                violation_error_message=_("自动解锁时间必须晚于锁定时间。"),
            )
        ]

    def __str__(self):
        return f"{self.username} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def is_active(self) -> bool:
        return self.released_at is None and self.expires_at > timezone.now()


class PasswordHistory(models.Model):
    """The hashes of a user's passwords, newest first: a new password may not
    be one of the last PASSWORD_HISTORY_COUNT, and the newest one dates the
    password for the forced change after PASSWORD_MAX_AGE_DAYS."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="password_history",
    )
    password = models.CharField(_("密码哈希"), max_length=128)
    created_at = models.DateTimeField(_("修改时间"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("历史密码")
        verbose_name_plural = _("历史密码")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.user} {self.created_at:%Y-%m-%d}"


class TOTPDevice(models.Model):
    """A user's authenticator (RFC 6238): the shared secret, encrypted at
    rest, and the last time step accepted, so a code is never used twice."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="totp_device",
    )
    secret = EncryptedTextField(_("密钥"))
    confirmed_at = models.DateTimeField(_("启用时间"), default=timezone.now)
    last_step = models.BigIntegerField(_("最后使用的时间步"), default=0)

    class Meta:
        verbose_name = _("动态口令设备")
        verbose_name_plural = _("动态口令设备")

    def __str__(self):
        return str(self.user)


class SecurityPolicy(models.Model):
    """The policy the security administrator keeps (one row): which roles
    must sign in with a second factor (TOTP)."""

    totp_required_roles = models.JSONField(_("须使用动态口令的角色"), default=list, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("更新人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("安全策略")
        verbose_name_plural = _("安全策略")

    def __str__(self):
        return str(_("安全策略"))

    @property
    def totp_required_role_labels(self) -> list[str]:
        labels = dict(Role.choices)
        return [str(labels.get(role, role)) for role in self.totp_required_roles]

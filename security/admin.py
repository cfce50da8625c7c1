"""Admin for accounts (the system administrator's duty) and the security
records (read-only; the security administrator works on /security/).

Accounts: a system administrator creates accounts, switches them off and
resets passwords; nobody but a superuser touches `is_superuser`, direct
permissions or groups (roles are Memberships, granted in the accountability
admin). Every account write is audited, without the password hash."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db import transaction

from pingxiang_cf import audit
from pingxiang_cf.models import AuditAction
from security.models import Lockout, LoginAttempt, SecurityPolicy

User = get_user_model()
SUPERUSER_ONLY_FIELDS = ("is_superuser", "groups", "user_permissions")
NOT_AUDITED = {"password", "last_login"}


def account_snapshot(user) -> dict:
    return {k: v for k, v in audit.snapshot(user).items() if k not in NOT_AUDITED}


if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class AccountAdmin(UserAdmin):
    list_display = ("username", "first_name", "is_active", "is_staff", "last_login")
    list_filter = ("is_active", "is_staff")

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += [*SUPERUSER_ONLY_FIELDS, "last_login", "date_joined"]
        return readonly

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        # Superuser accounts are kept out of a system administrator's reach.
        return queryset if request.user.is_superuser else queryset.filter(is_superuser=False)

    def has_delete_permission(self, request, obj=None):
        # Accounts are switched off (is_active), never deleted: their audit trail stays whole.
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            stored = User.objects.filter(pk=obj.pk).first() if change else None
            before = account_snapshot(stored) if stored else None
            super().save_model(request, obj, form, change)
            after = account_snapshot(obj)
            if before != after:
                audit.record(
                    actor=request.user,
                    action=AuditAction.UPDATE if change else AuditAction.CREATE,
                    obj=obj,
                    before=before,
                    after=after,
                )

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            target = User.objects.filter(pk=id).first()
            if target is not None:
                audit.record(
                    actor=request.user,
                    action=AuditAction.SECURITY,
                    obj=target,
                    reason="重置密码",
                )
        return response


class ReadOnlyAdmin(admin.ModelAdmin):
    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LoginAttempt)
class LoginAttemptAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "username", "ip", "succeeded", "reason")
    list_filter = ("succeeded", "created_at")
    search_fields = ("username", "ip")


@admin.register(Lockout)
class LockoutAdmin(ReadOnlyAdmin):
    list_display = ("username", "started_at", "expires_at", "failures", "ip", "released_at")
    search_fields = ("username",)
    list_select_related = ("released_by",)


@admin.register(SecurityPolicy)
class SecurityPolicyAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "updated_at", "updated_by")

"""Model permissions derived from roles, so the admin and DRF's model
permissions agree with the visibility rule without a group per role.

commission: every permission on the domain models (audit rows stay read-only);
auditor:    view everything, including the audit log;
leader:     view the domain models;
editors:    view, plus add/change/delete on models that declare edit paths
            (which rows they may touch is still decided by `restrict`);
三员 (roles.ADMIN_ROLES): no business permission at all; each holds only the
            permissions of its duty (ADMIN_PERMISSIONS) and of the models that
            name it in `scope_admin_roles` / `scope_admin_view_roles`."""

from django.apps import apps
from django.contrib.auth.backends import BaseBackend

from pingxiang_cf.roles import ADMIN_PERMISSIONS, ADMIN_ROLES, EDITOR_ROLES, Role
from pingxiang_cf.scope import get_user_scope

DOMAIN_APPS = ("pingxiang_cf", "accountability", "projects", "inspections", "assessments")
APPEND_ONLY = {"auditlog", "transition", "auditchainhead"}


def _domain_models():
    for label in DOMAIN_APPS:
        yield from apps.get_app_config(label).get_models()


def role_permissions(roles: set[str]) -> set[str]:
    perms: set[str] = set()
    business = roles - ADMIN_ROLES
    for model in _domain_models():
        label, name = model._meta.app_label, model._meta.model_name
        required = getattr(model, "scope_view_roles", None)
        admin_all = roles & set(getattr(model, "scope_admin_roles", ()))
        admin_view = admin_all or roles & set(getattr(model, "scope_admin_view_roles", ()))
        may_view = bool(roles & set(required)) if required else bool(business)
        if may_view or admin_view:
            perms.add(f"{label}.view_{name}")
        if name in APPEND_ONLY:
            continue
        writer = (
            Role.COMMISSION in business
            or (business & EDITOR_ROLES and getattr(model, "scope_edit_paths", ()))
            or admin_all
        )
        if writer:
            perms.update(f"{label}.{verb}_{name}" for verb in ("add", "change", "delete"))
    for role in roles & ADMIN_ROLES:
        perms.update(ADMIN_PERMISSIONS[role])
    return perms


class RoleBackend(BaseBackend):
    """Grants permissions by role; authentication stays with ModelBackend."""

    def authenticate(self, request, **credentials):
        return None

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        cached = getattr(user_obj, "_pxcf_role_perms", None)
        if cached is None:
            cached = role_permissions(get_user_scope(user_obj).roles)
            user_obj._pxcf_role_perms = cached
        return cached

    def has_perm(self, user_obj, perm, obj=None):
        return perm in self.get_all_permissions(user_obj, obj)

    def has_module_perms(self, user_obj, app_label):
        return any(p.startswith(f"{app_label}.") for p in self.get_all_permissions(user_obj))

"""Model permissions derived from roles, so the admin and DRF's model
permissions agree with the visibility rule without a group per role.

commission: every permission on the domain models (audit rows stay read-only);
auditor:    view everything, including the audit log;
leader:     view the domain models;
editors:    view, plus add/change/delete on models that declare edit paths
            (which rows they may touch is still decided by `restrict`)."""

from django.apps import apps
from django.contrib.auth.backends import BaseBackend

from pingxiang_cf.roles import EDITOR_ROLES, Role
from pingxiang_cf.scope import get_user_scope

DOMAIN_APPS = ("pingxiang_cf", "accountability", "projects", "inspections", "assessments")
APPEND_ONLY = {"auditlog", "transition"}


def _domain_models():
    for label in DOMAIN_APPS:
        yield from apps.get_app_config(label).get_models()


def role_permissions(roles: set[str]) -> set[str]:
    perms: set[str] = set()
    for model in _domain_models():
        label, name = model._meta.app_label, model._meta.model_name
        required = getattr(model, "scope_view_roles", None)
        may_view = not required or bool(roles & set(required))
        if may_view and roles:
            perms.add(f"{label}.view_{name}")
        if name in APPEND_ONLY:
            continue
        writer = Role.COMMISSION in roles or (
            roles & EDITOR_ROLES and getattr(model, "scope_edit_paths", ())
        )
        if writer:
            perms.update(f"{label}.{verb}_{name}" for verb in ("add", "change", "delete"))
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

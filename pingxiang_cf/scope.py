"""The one visibility rule.

A user sees the units they hold a role in and every unit below them;
commission staff and auditors see everything; leaders see their jurisdiction
(a leader placed on the city unit sees everything). Writes: commission
everywhere, editors (lead/co-unit) inside their units' subtrees and only on
models that declare an edit path; leaders and auditors never.

Each scoped model declares, as class attributes,
  scope_paths       lookups from the model to a Unit that make a row visible
                    ("pk" on Unit itself); None means visible to every
                    signed-in user (framework and reference data);
  scope_edit_paths  lookups that make a row writable by an editor; empty
                    means only the commission writes it;
  scope_edit_roles  which editor roles those paths admit;
  scope_view_roles  if set, only holders of these roles see any row;
  scope_read_only   if true, nobody may change a row (audit records);
  scope_admin_roles       administrator roles (三员) that see and change
                          every row (memberships: the system administrator);
  scope_admin_view_roles  administrator roles that see every row.
The administrator roles (roles.ADMIN_ROLES) reach nothing else: they are not
business roles, whatever unit they are held in.
The per-user facts (roles and unit paths) come from a resolver named in
settings (PXCF_SCOPE_RESOLVER) so that this package imports no app.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q
from django.utils.module_loading import import_string

from pingxiang_cf.roles import ADMIN_ROLES, EDITOR_ROLES, GLOBAL_VIEW_ROLES, Role

VIEW = "view"
CHANGE = "change"


@dataclass(frozen=True)
class UserScope:
    """What one user may reach: (role, unit path) pairs plus superuser flag."""

    is_superuser: bool = False
    grants: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    # A role held in the root unit (the city) reaches every unit anyway; the
    # resolver says so here so that no subquery is built for it.
    holds_root: bool = False

    @property
    def roles(self) -> set[str]:
        return {role for role, _path in self.grants}

    @property
    def sees_all(self) -> bool:
        return self.is_superuser or self.holds_root or bool(self.roles & GLOBAL_VIEW_ROLES)

    @property
    def edits_all(self) -> bool:
        return self.is_superuser or Role.COMMISSION in self.roles

    @property
    def is_admin_only(self) -> bool:
        """Holds administrator roles (三员) and no business role."""
        roles = self.roles
        return not self.is_superuser and bool(roles) and roles <= ADMIN_ROLES

    def unit_paths(self, roles) -> list[str]:
        return sorted({path for role, path in self.grants if role in roles})


EMPTY_SCOPE = UserScope()


def get_user_scope(user) -> UserScope:
    """The user's scope, computed once per user object (one query)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return EMPTY_SCOPE
    cached = getattr(user, "_pxcf_scope", None)
    if cached is None:
        resolver = import_string(settings.PXCF_SCOPE_RESOLVER)
        cached = resolver(user)
        user._pxcf_scope = cached
    return cached


def _is_multivalued(model, path: str) -> bool:
    """Whether following `path` from `model` can yield several rows."""
    current = model
    for name in path.split("__"):
        try:
            f = current._meta.get_field(name)
        except FieldDoesNotExist:
            return False
        if f.many_to_many or f.one_to_many:
            return True
        if not f.is_relation:
            return False
        current = f.related_model
    return False


class RestrictedQuerySet(models.QuerySet):
    """QuerySet with `restrict(user, action)`, the single permission chokepoint."""

    def restrict(self, user, action: str = VIEW):
        model = self.model
        scope = get_user_scope(user)
        if scope is EMPTY_SCOPE:
            return self.none()
        admin_roles = scope.roles & ADMIN_ROLES
        if admin_roles and not scope.is_superuser:
            if admin_roles & set(getattr(model, "scope_admin_roles", ())) and (
                action == VIEW or not getattr(model, "scope_read_only", False)
            ):
                return self
            if action == VIEW and admin_roles & set(getattr(model, "scope_admin_view_roles", ())):
                return self
        if action == VIEW:
            required = getattr(model, "scope_view_roles", None)
            if required:
                if not (scope.is_superuser or scope.roles & set(required)):
                    return self.none()
            elif scope.is_admin_only:
                return self.none()  # the 三员 reach no business row a model does not grant them
            paths = getattr(model, "scope_paths", None)
            if paths is None or scope.sees_all:
                return self
            unit_paths = scope.unit_paths(set(Role) - ADMIN_ROLES)
        else:
            if getattr(model, "scope_read_only", False):
                return self.none()  # append-only records: nobody changes them
            if scope.edits_all:
                return self
            paths = getattr(model, "scope_edit_paths", ())
            roles = set(getattr(model, "scope_edit_roles", EDITOR_ROLES)) & EDITOR_ROLES
            unit_paths = scope.unit_paths(roles)
        if not paths or not unit_paths:
            return self.none()
        return self.filter(scope_filter(model, paths, unit_ids_below(unit_paths)))


def unit_ids_below(unit_paths: list[str]):
    """Subquery of the ids of the units at or below any of `unit_paths`."""
    unit_model = import_string(settings.PXCF_UNIT_MODEL)
    q = Q()
    for path in unit_paths:
        q |= Q(path__startswith=path)
    return unit_model._base_manager.filter(q).values("pk")


def scope_filter(model, paths, unit_ids) -> Q:
    """OR of `path IN unit_ids` over the paths; multi-valued paths go through a
    pk subquery so that a row is never returned twice."""
    q = Q()
    for path in paths:
        lookup = f"{path}__in"
        if _is_multivalued(model, path):
            q |= Q(pk__in=model._base_manager.filter(**{lookup: unit_ids}).values("pk"))
        else:
            q |= Q(**{lookup: unit_ids})
    return q


def can(user, obj, action: str = CHANGE) -> bool:
    """Whether `user` may `action` this saved object (one query)."""
    if obj.pk is None:
        return False
    return RestrictedQuerySet(model=type(obj)).restrict(user, action).filter(pk=obj.pk).exists()

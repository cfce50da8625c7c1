"""Access control over EVERY URL the project serves (GB/T 22239-2019 8.1.4.2).

The routes are read from the urlconf when the test runs (tests/security/
urlwalk.py), so the pages and API routes other apps add are covered without
touching this file:

- anonymous: every route answers a redirect to the sign-in page, 401 or 403,
  except the explicit allow-list below;
- a leader and a business auditor (read-only roles): every route with every
  unsafe method (POST on pages and the admin; POST, PUT, PATCH, DELETE on the
  API), path parameters filled with real objects, is refused and no row of any
  domain table changes."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.conf import settings
from django.db.models import UUIDField
from django.urls import reverse

from pingxiang_cf.models import AuditAction, AuditLog
from tests.pingxiang_cf.test_admin import world  # noqa: F401 - one row of every domain model
from tests.security.urlwalk import all_routes

pytestmark = pytest.mark.django_db

# Routes an anonymous visitor may reach, with the reason.
ANONYMOUS_ALLOWED = {
    "login": "the sign-in page",
    "admin-login": "sends the admin's sign-in to the sign-in page",
    "security:login-totp": "second sign-in step (sends back to sign-in without a pending login)",
    "set_language": "language choice (a cookie)",
    "logout": "signing out (nothing to protect)",
    "admin:logout": "signing out of the admin (nothing to protect)",
    "api-token-obtain": "the API's sign-in (username and password; lockout applies)",
}
# Routes where a signed-in user writes their own things (session, password,
# own notifications, own authenticator): not a write of business data.
PERSONAL = {
    "login",
    "logout",
    "admin-login",
    "admin:logout",
    "password_change",
    "password_change_done",
    "admin:password_change",
    "admin:password_change_done",
    "set_language",
    "notifications:read",
    "security:login-totp",
    "security:account-totp",
}
DOMAIN_APPS = ("pingxiang_cf", "accountability", "projects", "inspections", "assessments")
WRITE_ACTIONS = (
    AuditAction.CREATE,
    AuditAction.UPDATE,
    AuditAction.DELETE,
    AuditAction.TRANSITION,
    AuditAction.IMPORT,
)


def _login_paths() -> tuple[str, ...]:
    return (reverse(settings.LOGIN_URL), reverse("admin:login"))


def _refused_anonymously(response) -> bool:
    if response.status_code in (401, 403):
        return True
    if response.status_code in (301, 302):
        return response["Location"].split("?")[0] in _login_paths()
    return False


def test_every_route_refuses_anonymous_visitors(client):
    routes, unfilled = all_routes()
    assert unfilled == [], "URL patterns the walker cannot fill; teach urlwalk.py"
    assert len(routes) > 50
    leaks = []
    for route in routes:
        if route.name in ANONYMOUS_ALLOWED:
            continue
        for url in route.urls():
            response = client.get(url)
            if response.status_code == 405:
                response = client.post(url)
            if not _refused_anonymously(response):
                leaks.append(f"{route.name or route.pattern} {url} → {response.status_code}")
    assert leaks == []


def test_the_allow_list_names_real_routes():
    names = {route.name for route in all_routes()[0]}
    assert set(ANONYMOUS_ALLOWED) <= names


# --- Read-only roles write nothing --------------------------------------------------------


def _domain_models():
    for label in DOMAIN_APPS:
        yield from apps.get_app_config(label).get_models()


def fingerprint() -> dict:
    """Every row of every domain table, by primary key and last change."""
    prints = {}
    for model in _domain_models():
        fields = ["pk"] + (["updated_at"] if hasattr(model, "updated_at") else [])
        rows = model._base_manager.order_by("pk").values_list(*fields)
        if model is AuditLog:
            rows = rows.filter(action__in=WRITE_ACTIONS)
        prints[model._meta.label] = list(rows)
    return prints


def candidate_values() -> dict[str, list[str]]:
    """Real primary keys and codes: the first row of every domain model."""
    pks, codes = set(), set()
    for model in _domain_models():
        first = model._base_manager.order_by("pk").first()
        if first is None:
            continue
        pks.add(str(first.pk))
        for f in model._meta.concrete_fields:
            if isinstance(f, UUIDField):
                codes.add(str(getattr(first, f.attname)))
    pks = sorted(pks, key=int)
    return {"int": pks, "path": pks, "str": pks, "slug": pks, "uuid": sorted(codes)}


def admin_values(route, values) -> dict[str, list[str]]:
    """An admin route names its model: only that model's row is tried."""
    parts = route.name.removeprefix("admin:").split("_")
    for split in range(1, len(parts)):
        label = "_".join(parts[:split])
        rest = parts[split:]
        for cut in range(1, len(rest)):
            try:
                model = apps.get_model(label, "_".join(rest[:cut]))
            except LookupError:
                continue
            first = model._base_manager.order_by("pk").first()
            pk = [str(first.pk)] if first else ["1"]
            return {**values, "path": pk, "str": pk, "int": pk}
    return values


class WriteWatch:
    """Notices audit rows of a writing action added since the last look.

    It reads only rows past the last primary key seen (an index range), not
    the whole log: on PostgreSQL the log carries the dead rows of every demo
    load rolled back before, and a COUNT after each of the walk's thousands of
    requests took minutes there."""

    def __init__(self):
        self.last_pk = AuditLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    def wrote(self) -> bool:
        rows = list(AuditLog.objects.filter(pk__gt=self.last_pk).values_list("pk", "action"))
        if rows:
            self.last_pk = max(pk for pk, _action in rows)
        return any(action in WRITE_ACTIONS for _pk, action in rows)


# What a confirmation or a workflow step posts: enough for the admin's delete
# confirmation and the reason/comment of verify, return, cancel and advance.
FORM_DATA = {"post": "yes", "reason": "测试", "comment": "测试", "confirm": "1"}


def _send(client, route, method, url):
    if route.is_api:
        return getattr(client, method)(url, {}, content_type="application/json")
    return client.post(url, FORM_DATA)


def walk_unsafe(client, user, *, stop_at_first_write=False) -> list[str]:
    """Send every unsafe method to every route as `user`; the writes it made."""
    values = candidate_values()
    watch, written = WriteWatch(), []
    for route in all_routes()[0]:
        route_values = admin_values(route, values) if route.is_admin else values
        for url in route.urls(route_values):
            for method in ("post", "put", "patch", "delete") if route.is_api else ("post",):
                _send(client, route, method, url)
                if watch.wrote() and route.name not in PERSONAL:
                    written.append(f"{method.upper()} {url}")
                    if stop_at_first_write:
                        return written
        client.force_login(user)  # a sign-out route ends the session: sign in again
    return written


# The walk fills path parameters with the first key of every domain table.
# After a long session on PostgreSQL those keys are all different (sequences
# never go back), and the walk multiplies: fresh sequences keep it the size
# it has on a new database.
WALK_DB = pytest.mark.django_db(transaction=True, reset_sequences=True)


@WALK_DB
@pytest.mark.parametrize("persona", ["leader", "auditor"])
def test_read_only_roles_cannot_write_through_any_route(client, request, persona):
    request.getfixturevalue("world")
    user = request.getfixturevalue(persona)
    client.force_login(user)
    before = fingerprint()
    assert walk_unsafe(client, user) == []
    assert fingerprint() == before


@WALK_DB
def test_the_same_walk_does_write_for_the_commission(client, request):
    """The walk reaches real writes: a writer's first unsafe request that
    changes something is found (so the test above can fail)."""
    request.getfixturevalue("world")
    commission = request.getfixturevalue("commission")
    client.force_login(commission)
    assert walk_unsafe(client, commission, stop_at_first_write=True) != []


@pytest.mark.django_db
@pytest.mark.parametrize("odd", ["²", "٣", "abc", "-1", "0", "99999999999999999999"])
def test_odd_ids_in_query_strings_are_no_server_error(client, commission, odd):
    """Ids read from a query string go through pingxiang_cf.parsing: an
    Arabic-Indic or superscript digit, or a number too big, is a 404 or
    ignored, never a 500."""
    client.force_login(commission)
    risk = client.get(reverse("accountability:risk-review-start"), {"unit": odd})
    assert risk.status_code in (200, 403, 404)
    plan = client.get(reverse("inspections:inspection-create"), {"plan": odd})
    assert plan.status_code == 200

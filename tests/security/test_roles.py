"""三员分立: the system administrator (accounts, roles), the security
administrator (policy, lockouts) and the audit administrator (the audit
log) are distinct roles; none can do another's work or any business work."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.urls import reverse

from accountability.models import Membership
from pingxiang_cf.roles import Role
from pingxiang_cf.scope import CHANGE, VIEW

pytestmark = pytest.mark.django_db

DOMAIN_APPS = ("pingxiang_cf", "accountability", "projects", "inspections", "assessments")

# Each duty's pages; the others get 403.
DUTIES = {
    "sysadmin": [reverse("admin:auth_user_changelist"), reverse("admin:auth_user_add")],
    "secadmin": [reverse("security:lockouts"), reverse("security:policy")],
    "audit_admin": [
        reverse("security:audit"),
        reverse("security:audit-export"),
        reverse("admin:pingxiang_cf_auditlog_changelist"),
    ],
}


@pytest.mark.parametrize("persona", list(DUTIES))
def test_each_administrator_does_their_own_duty_and_no_other(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    for duty, urls in DUTIES.items():
        for url in urls:
            status = client.get(url).status_code
            assert status == (200 if duty == persona else 403), (persona, url, status)


@pytest.mark.parametrize("persona", ["commission", "auditor", "leader", "editor_a"])
def test_business_roles_do_none_of_the_administrators_duties(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    for urls in DUTIES.values():
        for url in urls:
            assert client.get(url).status_code == 403, (persona, url)


def _models():
    for label in DOMAIN_APPS:
        yield from apps.get_app_config(label).get_models()


@pytest.mark.parametrize("persona", ["sysadmin", "secadmin", "audit_admin"])
def test_administrators_write_no_business_data(request, persona):
    user = request.getfixturevalue(persona)
    for model in _models():
        writable = not model.objects.restrict(user, CHANGE).query.is_empty()
        assert writable == (persona == "sysadmin" and model is Membership), model._meta.label


@pytest.mark.parametrize("persona", ["sysadmin", "secadmin", "audit_admin"])
def test_administrators_see_no_business_rows(request, persona, county_a_project):
    from projects.models import Project

    user = request.getfixturevalue(persona)
    assert not Project.objects.restrict(user, VIEW).exists()
    assert client_has_no_project_perm(user)


def client_has_no_project_perm(user) -> bool:
    return not any(user.has_perm(f"projects.{v}_project") for v in ("view", "add", "change"))


@pytest.fixture
def county_a_project(tree):
    from tests import factories as f

    return f.ProjectFactory(lead_unit=tree["county_a"])


def test_the_system_administrator_grants_roles_but_not_superuser_powers(client, sysadmin, tree):
    client.force_login(sysadmin)
    user = get_user_model().objects.create(username="newcomer")
    page = client.get(reverse("admin:auth_user_change", args=[user.pk]))
    assert page.status_code == 200
    form_fields = page.context["adminform"].form.fields
    assert "is_superuser" not in form_fields and "user_permissions" not in form_fields
    response = client.post(
        reverse("admin:accountability_membership_add"),
        {"user": user.pk, "unit": tree["county_a"].pk, "role": Role.LEAD_UNIT},
    )
    assert response.status_code == 302, response.content[:2000]
    assert Membership.objects.filter(user=user, role=Role.LEAD_UNIT).exists()


def test_superuser_accounts_are_out_of_the_system_administrators_reach(client, sysadmin, superuser):
    client.force_login(sysadmin)
    assert client.get(reverse("admin:auth_user_change", args=[superuser.pk])).status_code == 302
    listing = client.get(reverse("admin:auth_user_changelist"))
    assert "superuser" not in [u.username for u in listing.context["cl"].result_list]


def test_account_changes_are_audited_without_the_password_hash(client, sysadmin):
    from pingxiang_cf.models import AuditLog

    client.force_login(sysadmin)
    user = get_user_model().objects.create(username="worker", is_active=True)
    page = client.get(reverse("admin:auth_user_change", args=[user.pk]))
    data = {
        k: v
        for k, v in page.context["adminform"].form.initial.items()
        if k in ("username", "first_name", "last_name", "email")
    }
    data.update(username="worker", is_active="", is_staff="")
    client.post(reverse("admin:auth_user_change", args=[user.pk]), data)
    user.refresh_from_db()
    assert user.is_active is False
    row = AuditLog.objects.get(actor=sysadmin, object_id=str(user.pk))
    assert row.before["is_active"] is True and row.after["is_active"] is False
    assert "password" not in row.after

"""Lockout after LOGIN_FAILURE_LIMIT failures for LOCKOUT_MINUTES, on every
way in: the sign-in page, the admin (which signs in through that page) and
anything calling django.contrib.auth.authenticate (the API token endpoint)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory
from django.urls import reverse
from freezegun import freeze_time

from pingxiang_cf.models import AuditAction, AuditLog, AuditOutcome
from security.models import Lockout, LoginAttempt
from tests import factories as f

pytestmark = pytest.mark.django_db

PASSWORD = "Correct-Horse-42"
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def alice(tree):
    user = f.UserFactory(username="alice")
    user.set_password(PASSWORD)
    user.save()
    return user


def _login(client, password, username="alice"):
    return client.post(reverse("login"), {"username": username, "password": password})


def _fail(client, times, username="alice"):
    for _ in range(times):
        response = _login(client, "wrong-password", username)
        assert response.status_code == 200  # the form again, with an error


def test_five_failures_lock_the_account_for_thirty_minutes(client, alice):
    with freeze_time(START) as clock:
        _fail(client, 4)
        assert not Lockout.objects.exists()
        _fail(client, 1)
        lockout = Lockout.objects.get(username="alice")
        assert lockout.expires_at - lockout.started_at == dt.timedelta(minutes=30)

        # Locked: even the right password is refused, with a clear message.
        response = _login(client, PASSWORD)
        assert response.status_code == 200
        assert "账号已锁定" in response.content.decode()
        assert "_auth_user_id" not in client.session

        clock.tick(dt.timedelta(minutes=29))
        _login(client, PASSWORD)
        assert "_auth_user_id" not in client.session

        clock.tick(dt.timedelta(minutes=2))
        response = _login(client, PASSWORD)
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(alice.pk)


def test_failures_are_audited_and_the_lockout_too(client, alice):
    _fail(client, 5)
    failed = AuditLog.objects.filter(action=AuditAction.LOGIN_FAILED, actor_name="alice")
    assert failed.count() == 5
    assert set(failed.values_list("outcome", flat=True)) == {AuditOutcome.FAILURE}
    assert failed.first().ip == "127.0.0.1"
    lock = AuditLog.objects.get(action=AuditAction.LOCKOUT)
    assert lock.actor == alice and "5" in lock.reason
    _login(client, PASSWORD)
    refused = AuditLog.objects.filter(action=AuditAction.LOGIN_FAILED, outcome=AuditOutcome.DENIED)
    assert refused.count() == 1


def test_a_success_restarts_the_count(client, alice):
    _fail(client, 4)
    assert _login(client, PASSWORD).status_code == 302
    client.logout()
    _fail(client, 4)
    assert not Lockout.objects.exists()
    assert AuditLog.objects.filter(action=AuditAction.LOGIN, actor=alice).count() == 1


def test_unknown_names_are_locked_too(client, tree):
    _fail(client, 5, username="nobody")
    assert Lockout.objects.filter(username="nobody").exists()


@pytest.mark.parametrize("limit,minutes", [(3, 10)])
def test_limit_and_duration_come_from_settings(client, alice, settings, limit, minutes):
    settings.LOGIN_FAILURE_LIMIT, settings.LOCKOUT_MINUTES = limit, minutes
    _fail(client, 3)
    lockout = Lockout.objects.get(username="alice")
    assert lockout.expires_at - lockout.started_at == dt.timedelta(minutes=10)


def test_authenticate_itself_is_locked_which_covers_the_api_token_endpoint(alice):
    """The API token endpoint calls django.contrib.auth.authenticate(request=…)."""
    request = RequestFactory().post("/api/v1/auth/token/", REMOTE_ADDR="10.1.2.3")
    for _ in range(5):
        assert authenticate(request=request, username="alice", password="nope") is None
    assert authenticate(request=request, username="alice", password=PASSWORD) is None
    assert Lockout.objects.get(username="alice").ip == "10.1.2.3"
    assert LoginAttempt.objects.filter(username="alice", succeeded=False).count() == 5


def test_the_admin_signs_in_through_the_locked_sign_in_page(client, alice):
    response = client.get(reverse("admin:login"), {"next": "/admin/"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    _fail(client, 5)
    assert "账号已锁定" in _login(client, PASSWORD).content.decode()


# --- The security administrator sees and releases lockouts -----------------------------------


def test_security_admin_sees_and_releases_a_lockout(client, alice, secadmin):
    _fail(client, 5)
    client.force_login(secadmin)
    page = client.get(reverse("security:lockouts"), {"active": "1"})
    assert page.status_code == 200 and "alice" in page.content.decode()
    lockout = Lockout.objects.get()
    release = reverse("security:lockout-release", args=[lockout.pk])
    assert client.post(release, {"reason": ""}).status_code == 302
    lockout.refresh_from_db()
    assert lockout.released_at is None  # a reason is required
    assert client.post(release, {"reason": "本人电话确认"}).status_code == 302
    lockout.refresh_from_db()
    assert lockout.released_by == secadmin
    row = AuditLog.objects.get(action=AuditAction.UNLOCK)
    assert row.actor == secadmin and row.reason == "本人电话确认"
    client.logout()
    assert _login(client, PASSWORD).status_code == 302


@pytest.mark.parametrize("persona", ["commission", "sysadmin", "audit_admin", "leader"])
def test_only_the_security_admin_releases_lockouts(client, alice, request, persona):
    _fail(client, 5)
    client.force_login(request.getfixturevalue(persona))
    lockout = Lockout.objects.get()
    assert client.get(reverse("security:lockouts")).status_code == 403
    release = reverse("security:lockout-release", args=[lockout.pk])
    assert client.post(release, {"reason": "x"}).status_code == 403
    lockout.refresh_from_db()
    assert lockout.released_at is None


def test_the_api_token_endpoint_is_locked_too(client, alice):
    url = reverse("api-token-obtain")
    for _ in range(5):
        response = client.post(url, {"username": "alice", "password": "nope", "name": "t"})
        assert response.status_code == 400
    response = client.post(url, {"username": "alice", "password": PASSWORD, "name": "t"})
    assert response.status_code == 400
    assert Lockout.objects.filter(username="alice").exists()
    assert not alice.api_tokens.exists()


def test_the_api_token_endpoint_refuses_a_password_alone_where_a_second_factor_is_set(
    client, alice
):
    from security import totp
    from security.models import TOTPDevice

    TOTPDevice.objects.create(user=alice, secret=totp.new_secret())
    url = reverse("api-token-obtain")
    response = client.post(url, {"username": "alice", "password": PASSWORD, "name": "t"})
    assert response.status_code == 400
    row = AuditLog.objects.get(action=AuditAction.LOGIN_FAILED, actor=alice)
    assert row.outcome == AuditOutcome.DENIED and "动态口令" in row.reason
    assert not Lockout.objects.exists()


def test_the_lockout_list_query_count_does_not_grow_with_rows(client, secadmin):
    import datetime as dt_

    from django.utils import timezone

    from tests.querycount import assert_constant_queries

    def lock(n):
        now = timezone.now()
        for i in range(n):
            Lockout.objects.create(
                username=f"u{n}-{i}",
                started_at=now,
                expires_at=now + dt_.timedelta(minutes=30),
                failures=5,
                released_by=secadmin if i % 2 else None,
                released_at=now if i % 2 else None,
            )

    lock(1)
    client.force_login(secadmin)
    assert_constant_queries(
        lambda: client.get(reverse("security:lockouts")), lambda: lock(20), limit=12
    )


def test_old_credential_checks_and_ended_lockouts_are_purged(client, alice, settings):
    """The daily job deletes what is past LOGIN_RECORD_RETENTION_DAYS and
    keeps recent checks, a live lockout and the audit rows of every sign-in."""
    from security.tasks import purge_login_records_task

    settings.LOGIN_RECORD_RETENTION_DAYS = 30
    with freeze_time(START):
        _fail(client, 5)  # five old failures and the lockout they caused
    with freeze_time(START + dt.timedelta(days=40)):
        _fail(client, 5)  # a recent series, locked again
        audit_before = AuditLog.objects.count()
        assert LoginAttempt.objects.count() == 10
        assert Lockout.objects.count() == 2
        assert tuple(purge_login_records_task.delay().get()) == (5, 1)
        assert LoginAttempt.objects.count() == 5
        assert Lockout.objects.active().count() == 1
        assert AuditLog.objects.count() == audit_before
        assert tuple(purge_login_records_task.delay().get()) == (0, 0)

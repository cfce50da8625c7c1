"""Sessions end after 30 minutes idle and 8 hours in all; signing out
destroys the session on the server."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from freezegun import freeze_time

from pingxiang_cf.models import AuditAction, AuditLog

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)


def _signed_in(client) -> bool:
    response = client.get(reverse("home"))
    return response.status_code == 200


def test_idle_for_more_than_30_minutes_signs_out(client, editor_a):
    with freeze_time(T0) as clock:
        client.force_login(editor_a)
        key = client.session.session_key
        clock.tick(dt.timedelta(minutes=29))
        assert _signed_in(client)
        clock.tick(dt.timedelta(minutes=29))  # 29 minutes after the last request
        assert _signed_in(client)
        clock.tick(dt.timedelta(minutes=31))
        response = client.get(reverse("home"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        assert not Session.objects.filter(session_key=key).exists()
        row = AuditLog.objects.get(action=AuditAction.LOGOUT, actor=editor_a)
        assert row.reason == "会话超时"


def test_the_bells_polling_is_not_activity(client, editor_a):
    with freeze_time(T0) as clock:
        client.force_login(editor_a)
        for _ in range(4):
            clock.tick(dt.timedelta(minutes=10))
            client.get(reverse("notifications:count"))
        assert not _signed_in(client)


def test_eight_hours_after_sign_in_ends_the_session_whatever_the_activity(client, editor_a):
    with freeze_time(T0) as clock:
        client.force_login(editor_a)
        for _ in range(23):  # a request every 20 minutes: 7 h 40 min
            clock.tick(dt.timedelta(minutes=20))
            assert _signed_in(client)
        clock.tick(dt.timedelta(minutes=21))  # 8 h 01 min
        assert not _signed_in(client)


def test_api_requests_get_401_when_the_session_timed_out(client, editor_a):
    with freeze_time(T0) as clock:
        client.force_login(editor_a)
        clock.tick(dt.timedelta(minutes=31))
        response = client.get("/api/v1/summary/")
        assert response.status_code == 401


def test_logout_destroys_the_session_and_is_audited(client, editor_a):
    client.force_login(editor_a)
    key = client.session.session_key
    assert Session.objects.filter(session_key=key).exists()
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
    assert client.get(reverse("home")).status_code == 302
    row = AuditLog.objects.get(action=AuditAction.LOGOUT)
    assert row.actor == editor_a


def test_session_cookie_settings(settings):
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.SESSION_IDLE_TIMEOUT == 30 * 60

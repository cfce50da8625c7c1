"""The optional second factor: RFC 6238 codes, sign-in in two steps, a used
code refused, and required per role by the security administrator."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.urls import reverse
from freezegun import freeze_time

from pingxiang_cf.models import AuditAction, AuditLog
from pingxiang_cf.roles import Role
from security import totp
from security.models import SecurityPolicy, TOTPDevice
from tests import factories as f

pytestmark = pytest.mark.django_db

PASSWORD = "Correct-Horse-42"
# RFC 6238 appendix B: the SHA-1 seed "12345678901234567890", 8 digits.
RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
RFC_VECTORS = [
    (59, "94287082"),
    (1111111109, "07081804"),
    (1111111111, "14050471"),
    (1234567890, "89005924"),
    (2000000000, "69279037"),
    (20000000000, "65353130"),
]


@pytest.mark.parametrize("timestamp,expected", RFC_VECTORS)
def test_codes_match_the_rfc_6238_test_vectors(timestamp, expected):
    assert totp.hotp(RFC_SECRET, totp.time_step(timestamp), digits=8) == expected


def test_a_code_is_accepted_one_step_early_or_late_only():
    secret = totp.new_secret()
    now = 1_700_000_000
    assert totp.matching_step(secret, totp.code_at(secret, now - 30), now) is not None
    assert totp.matching_step(secret, totp.code_at(secret, now + 30), now) is not None
    assert totp.matching_step(secret, totp.code_at(secret, now - 90), now) is None
    assert totp.matching_step(secret, "12345", now) is None


def test_a_code_typed_in_full_width_digits_is_accepted_and_junk_is_refused():
    """A Chinese input method types "１２３４５６"; other characters are no code
    (they must not reach hmac.compare_digest, which refuses non-ASCII text)."""
    secret = totp.new_secret()
    now = 1_700_000_000
    code = totp.code_at(secret, now)
    wide = "".join(chr(ord(digit) + 0xFEE0) for digit in code)
    assert totp.matching_step(secret, wide, now) is not None
    for junk in ("٠١٢٣٤٥", "abcdef", "12345６7", ""):
        assert totp.matching_step(secret, junk, now) is None


@pytest.fixture
def carol(tree):
    user = f.UserFactory(username="carol")
    user.set_password(PASSWORD)
    user.save()
    f.MembershipFactory(user=user, unit=tree["county_a"], role=Role.LEAD_UNIT)
    return user


def _password_step(client, user):
    return client.post(reverse("login"), {"username": user.username, "password": PASSWORD})


def test_a_user_with_an_authenticator_signs_in_in_two_steps(client, carol):
    secret = totp.new_secret()
    with freeze_time("2026-03-02 09:00:00"):
        TOTPDevice.objects.create(user=carol, secret=secret)
        response = _password_step(client, carol)
        assert response["Location"] == reverse("security:login-totp")
        assert "_auth_user_id" not in client.session  # not signed in yet
        assert client.get(reverse("home")).status_code == 302

        wrong = client.post(reverse("security:login-totp"), {"code": "000000"})
        assert wrong.status_code == 200 and "_auth_user_id" not in client.session

        code = totp.code_at(secret, time.time())
        response = client.post(reverse("security:login-totp"), {"code": code})
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(carol.pk)

        # The same code cannot be used again (replay).
        client.logout()
        _password_step(client, carol)
        client.post(reverse("security:login-totp"), {"code": code})
        assert "_auth_user_id" not in client.session
    assert AuditLog.objects.filter(action=AuditAction.LOGIN_FAILED, actor=carol).count() == 2


def test_wrong_codes_count_towards_the_lockout(client, carol):
    TOTPDevice.objects.create(user=carol, secret=totp.new_secret())
    _password_step(client, carol)  # a success: the count starts from here
    for _ in range(5):
        client.post(reverse("security:login-totp"), {"code": "000000"})
    from security.models import Lockout

    assert Lockout.objects.filter(username="carol").exists()


def test_the_secret_is_encrypted_at_rest(carol):
    from django.db import connection

    TOTPDevice.objects.create(user=carol, secret="JBSWY3DPEHPK3PXP")
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM security_totpdevice")
        [(stored,)] = cursor.fetchall()
    assert "JBSWY3DPEHPK3PXP" not in stored
    assert TOTPDevice.objects.get().secret == "JBSWY3DPEHPK3PXP"


def test_the_security_admin_requires_a_second_factor_for_a_role(client, carol, secadmin):
    client.force_login(secadmin)
    response = client.post(reverse("security:policy"), {"totp_required_roles": [Role.LEAD_UNIT]})
    assert response.status_code == 302
    assert SecurityPolicy.objects.get().totp_required_roles == [Role.LEAD_UNIT]
    assert AuditLog.objects.filter(action=AuditAction.SECURITY, actor=secadmin).exists()
    client.logout()

    with freeze_time("2026-03-02 09:00:00"):
        response = _password_step(client, carol)
        assert response["Location"] == reverse("security:login-totp")
        page = client.get(reverse("security:login-totp"))
        secret = page.context["secret"]  # enrolment: the new secret is shown once
        assert secret and not TOTPDevice.objects.filter(user=carol).exists()
        client.post(reverse("security:login-totp"), {"code": totp.code_at(secret, time.time())})
        assert client.session["_auth_user_id"] == str(carol.pk)
        assert TOTPDevice.objects.get(user=carol).secret == secret

    # Required: the user cannot switch it off.
    client.post(reverse("security:account-totp"), {"remove": "1"})
    assert TOTPDevice.objects.filter(user=carol).exists()


@pytest.mark.parametrize("persona", ["commission", "sysadmin", "audit_admin", "editor_a"])
def test_only_the_security_admin_sets_the_policy(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(reverse("security:policy"), {"totp_required_roles": [Role.LEADER]})
    assert response.status_code == 403
    assert not SecurityPolicy.objects.exists()


def test_an_optional_authenticator_can_be_enrolled_and_removed(client, carol):
    with freeze_time(dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)):
        client.force_login(carol)
        page = client.get(reverse("security:account-totp"))
        secret = page.context["secret"]
        bad = client.post(reverse("security:account-totp"), {"code": "000000"})
        assert bad.status_code == 200 and not TOTPDevice.objects.exists()
        client.post(reverse("security:account-totp"), {"code": totp.code_at(secret, time.time())})
        assert TOTPDevice.objects.filter(user=carol).exists()
        client.post(reverse("security:account-totp"), {"remove": "1"})
        assert not TOTPDevice.objects.filter(user=carol).exists()


def test_the_policy_form_refuses_an_unknown_role_and_saves_nothing(client, secadmin):
    client.force_login(secadmin)
    response = client.post(reverse("security:policy"), {"totp_required_roles": ["root"]})
    assert response.status_code == 200
    assert "root" in response.content.decode() and "有效" in response.content.decode()
    assert not SecurityPolicy.objects.exists()

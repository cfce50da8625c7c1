"""Password policy: length, complexity, not like the user's name, not common,
not one of the last 5, a forced change after 90 days; Chinese messages."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from freezegun import freeze_time

from security.models import PasswordHistory
from tests import factories as f

pytestmark = pytest.mark.django_db

GOOD = "Pingxiang-Lian-2026"


@pytest.fixture
def bob(tree):
    user = f.UserFactory(username="zhangsanfeng")
    user.set_password(GOOD)
    user.save()
    return user


def _messages(password, user=None) -> str:
    with pytest.raises(ValidationError) as exc:
        validate_password(password, user)
    return " ".join(exc.value.messages)


def test_a_good_password_passes(bob):
    validate_password("Another-Strong-Pass-7", bob)


@pytest.mark.parametrize(
    "password,expected",
    [
        ("Ab1-xyz", "密码长度太短"),  # shorter than 10
        ("abcdefghijkl", "须至少包含"),  # one class only
        ("abcdefgh1234", "须至少包含"),  # two classes
        ("1234567890123", "只包含数字"),  # numeric
        ("qwertyuiop", "太常见"),  # common
    ],
)
def test_weak_passwords_are_refused_in_chinese(bob, password, expected):
    assert expected in _messages(password, bob)


def test_a_password_like_the_username_is_refused(bob):
    assert "与用户名" in _messages("Zhangsanfeng-1", bob) or "相似" in _messages(
        "Zhangsanfeng-1", bob
    )


def test_none_of_the_last_five_passwords_may_come_back(bob):
    used = [GOOD] + [f"Rotated-Pass-{n}x" for n in range(1, 5)]
    for password in used[1:]:
        bob.set_password(password)
        bob.save()
    assert PasswordHistory.objects.filter(user=bob).count() == 5
    for password in used:
        assert "最近 5 次" in _messages(password, bob)
    bob.set_password("Rotated-Pass-5x")
    bob.save()
    validate_password(GOOD, bob)  # now six passwords ago: allowed again
    assert PasswordHistory.objects.filter(user=bob).count() == 5


def test_min_length_comes_from_settings():
    from django.conf import settings

    validators = {v["NAME"].rsplit(".", 1)[1]: v for v in settings.AUTH_PASSWORD_VALIDATORS}
    assert validators["MinimumLengthValidator"]["NAME"].startswith("pingxiang_cf.")
    assert validators["MinimumLengthValidator"]["OPTIONS"]["min_length"] == (
        settings.PASSWORD_MIN_LENGTH
    )


def test_the_password_change_page_refuses_a_weak_one_and_keeps_the_old(client, bob):
    client.force_login(bob)
    response = client.post(
        reverse("password_change"),
        {"old_password": GOOD, "new_password1": "abcdefghijkl", "new_password2": "abcdefghijkl"},
    )
    assert response.status_code == 200
    assert "须至少包含" in response.content.decode()
    bob.refresh_from_db()
    assert bob.check_password(GOOD)


# --- Forced change after PASSWORD_MAX_AGE_DAYS -------------------------------------------------


def test_a_password_older_than_90_days_must_be_changed_first(client, tree):
    with freeze_time("2026-01-01 08:00:00"):
        user = f.UserFactory(username="wangwu")
        user.set_password(GOOD)
        user.save()
    with freeze_time("2026-03-31 08:00:00"):  # 89 days
        client.force_login(user)
        assert client.get(reverse("home")).status_code == 200
    with freeze_time("2026-04-02 08:00:00"):  # 91 days
        client.force_login(user)
        response = client.get(reverse("home"))
        assert response.status_code == 302
        assert response["Location"] == reverse("password_change")
        assert client.get(reverse("password_change")).status_code == 200
        response = client.post(
            reverse("password_change"),
            {
                "old_password": GOOD,
                "new_password1": "Brand-New-Pass-9",
                "new_password2": "Brand-New-Pass-9",
            },
        )
        assert response.status_code == 302
        assert client.get(reverse("home")).status_code == 200


def test_the_maximum_age_is_configurable(client, tree, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 30
    with freeze_time("2026-01-01 08:00:00"):
        user = f.UserFactory(username="zhaoliu")
        user.set_password(GOOD)
        user.save()
    with freeze_time("2026-02-05 08:00:00"):
        client.force_login(user)
        assert client.get(reverse("home")).status_code == 302
    settings.PASSWORD_MAX_AGE_DAYS = 0  # never forced
    with freeze_time("2027-02-05 08:00:00"):
        client.force_login(user)
        assert client.get(reverse("home")).status_code == 200

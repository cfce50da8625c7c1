"""Configuration comes from the environment and refuses unsafe production values."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from pingxiang_cf.env import env_bool, env_int, env_list

ROOT = Path(__file__).resolve().parents[2]


def _start_django(**env) -> subprocess.CompletedProcess:
    full_env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SECRET_KEY", "DEBUG", "FIELD_ENCRYPTION_KEYS")
    }
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        cwd=ROOT,
        env={**full_env, "DJANGO_SETTINGS_MODULE": "pingxiang_cf.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_the_development_secret_key():
    result = _start_django(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_starts_with_a_real_secret_key():
    result = _start_django(
        DEBUG="0",
        SECRET_KEY="a-real-secret-" + "x" * 40,
        FIELD_ENCRYPTION_KEYS="t5eedV0_do7AAxy4xuu3ZeifIcqgpUxbg-x4CvVFSFA=",
    )
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


def test_locale_and_time_zone():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ is True
    assert [code for code, _name in settings.LANGUAGES] == ["zh-hans", "en"]


def test_embedded_profile_runs_celery_eagerly_without_a_broker():
    if os.environ.get("CELERY_BROKER_URL"):
        pytest.skip("a broker is configured for this run")
    from pingxiang_cf.celery import ping

    assert settings.CELERY_TASK_ALWAYS_EAGER is True
    assert ping.delay().get(timeout=5) == "pong"


def test_visibility_timeout_outlasts_the_task_time_limit():
    timeout = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert timeout > settings.CELERY_TASK_TIME_LIMIT


@pytest.mark.parametrize("raw", ["maybe", "2", "yes please"])
def test_env_bool_rejects_garbage(monkeypatch, raw):
    monkeypatch.setenv("PXCF_FLAG", raw)
    with pytest.raises(ImproperlyConfigured, match="PXCF_FLAG"):
        env_bool("PXCF_FLAG")


def test_env_helpers_parse_values(monkeypatch):
    monkeypatch.setenv("PXCF_FLAG", "off")
    monkeypatch.setenv("PXCF_N", "42")
    monkeypatch.setenv("PXCF_HOSTS", "a.gov.cn, b.gov.cn,")
    assert env_bool("PXCF_FLAG", True) is False
    assert env_int("PXCF_N", 1) == 42
    assert env_list("PXCF_HOSTS", []) == ["a.gov.cn", "b.gov.cn"]
    monkeypatch.setenv("PXCF_N", "forty")
    with pytest.raises(ImproperlyConfigured):
        env_int("PXCF_N", 1)

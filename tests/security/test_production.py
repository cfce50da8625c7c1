"""The production profile passes Django's deployment checks; pages carry a
strict Content Security Policy that no template breaks with inline script."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "production-secret-" + "k" * 50,
    "ALLOWED_HOSTS": "cf.example.gov.cn",
    "FIELD_ENCRYPTION_KEYS": "t5eedV0_do7AAxy4xuu3ZeifIcqgpUxbg-x4CvVFSFA=",
}


def _manage(*args, **env):
    base = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_profile_passes_check_deploy_at_warning_level():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_development_profile_would_not_pass_it():
    """The test above means something: the same check fails without the profile."""
    result = _manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0


def test_production_refuses_to_start_without_an_encryption_key():
    env = {**PRODUCTION_ENV, "FIELD_ENCRYPTION_KEYS": ""}
    result = _manage("check", **env)
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS" in result.stderr


@pytest.mark.django_db
def test_pages_carry_the_security_headers(client, editor_a):
    client.force_login(editor_a)
    response = client.get(reverse("home"))
    policy = response["Content-Security-Policy"]
    assert (
        "script-src 'self'" in policy and "unsafe-inline" not in policy.split("style-src-attr")[0]
    )
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cache-Control"] == "no-store"


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
JS_URL = re.compile(r"href\s*=\s*[\"']javascript:", re.I)


def _templates():
    for folder in [ROOT / "templates", *ROOT.glob("*/templates")]:
        if ".venv" in folder.parts or "node_modules" in folder.parts:
            continue
        yield from folder.rglob("*.html")


def test_no_template_has_inline_script_or_event_handlers():
    offenders = []
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, HANDLER, JS_URL):
            for match in pattern.finditer(text):
                offenders.append(f"{path.relative_to(ROOT)}: {match.group(0)}")
    assert offenders == []

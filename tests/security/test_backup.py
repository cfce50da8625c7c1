"""deploy/backup.sh and deploy/restore.sh: a backup restored into a scratch
database (and a scratch media folder) holds the data and the files."""

from __future__ import annotations

import os
import subprocess
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from pingxiang_cf import audit
from pingxiang_cf.models import AuditAction
from tests import factories as f

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _url(name: str) -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


def _admin_sql(sql: str):
    with psycopg.connect(_url("postgres"), autocommit=True) as conn:
        conn.execute(sql)


def test_a_backup_restores_into_a_scratch_database_with_its_files(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only (DATABASE_URL=postgres://…)")
    unit = f.UnitFactory(name="备份测试单位")
    audit.record_event(actor=None, action=AuditAction.UPDATE, obj=unit, reason="备份前")
    media = tmp_path / "media"
    (media / "evidence").mkdir(parents=True)
    (media / "evidence" / "a.pdf").write_bytes(b"%PDF-1.4 backup test")

    env = {
        **os.environ,
        "DATABASE_URL": _url(connection.settings_dict["NAME"]),
        "MEDIA_ROOT": str(media),
        "PXCF_ENV_FILE": "/nonexistent",
    }
    out = subprocess.run(
        ["bash", str(ROOT / "deploy/backup.sh"), str(tmp_path / "backups")],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    backup_dir = out.stdout.strip().splitlines()[-1]
    assert {p.name for p in Path(backup_dir).iterdir()} == {"db.dump", "media.tar.gz", "SHA256SUMS"}

    scratch = f"pxcf_restore_{uuid.uuid4().hex[:8]}"
    _admin_sql(f'CREATE DATABASE "{scratch}"')
    try:
        restored_media = tmp_path / "restored-media"
        out = subprocess.run(
            [
                "bash",
                str(ROOT / "deploy/restore.sh"),
                backup_dir,
                _url(scratch),
                str(restored_media),
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert out.returncode == 0, out.stderr
        with psycopg.connect(_url(scratch)) as conn:
            names = [r[0] for r in conn.execute("SELECT name FROM accountability_unit")]
            reasons = [r[0] for r in conn.execute("SELECT reason FROM pingxiang_cf_auditlog")]
            triggers = [
                r[0]
                for r in conn.execute(
                    "SELECT tgname FROM pg_trigger WHERE tgname = 'pxcf_auditlog_append_only'"
                )
            ]
        assert "备份测试单位" in names
        assert "备份前" in reasons
        assert triggers == ["pxcf_auditlog_append_only"]  # the append-only guard came back
        assert (restored_media / "evidence" / "a.pdf").read_bytes() == b"%PDF-1.4 backup test"
    finally:
        _admin_sql(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')


def test_a_corrupted_backup_is_refused(tmp_path):
    backup = tmp_path / "b"
    backup.mkdir()
    (backup / "db.dump").write_bytes(b"x")
    (backup / "media.tar.gz").write_bytes(b"y")
    (backup / "SHA256SUMS").write_text("0" * 64 + "  db.dump\n" + "0" * 64 + "  media.tar.gz\n")
    out = subprocess.run(
        [
            "bash",
            str(ROOT / "deploy/restore.sh"),
            str(backup),
            "postgres://nowhere/x",
            str(tmp_path),
        ],
        env={**os.environ, "PXCF_ENV_FILE": "/nonexistent"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode != 0

"""Shared set-up of the API and export benchmarks: a scratch PostgreSQL
database (created here, dropped at the end unless --keep) filled with SQL
(`generate_series`) so that a million rows take seconds, not minutes.

Not a benchmark by itself; `bench/api_serialize.py` and
`bench/export_speed.py` import it."""

from __future__ import annotations

import base64
import contextlib
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432"


def setup_django(database: str, server: str = DEFAULT_SERVER) -> None:
    """Create `database` (if missing) and point Django at it; DEBUG off."""
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{database}"')
    os.environ["DATABASE_URL"] = f"{server}/{database}"
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", os.urandom(32).hex())
    # DEBUG off needs a field encryption key (a throwaway one: scratch data only).
    os.environ.setdefault(
        "FIELD_ENCRYPTION_KEYS", base64.urlsafe_b64encode(os.urandom(32)).decode()
    )
    os.environ["CELERY_BROKER_URL"] = ""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pingxiang_cf.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def drop_database(database: str, server: str = DEFAULT_SERVER) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def fill(*, projects: int, ledger_entries: int = 0, units: int = 50):
    """A city with `units` counties, a commission user, the framework,
    `projects` projects (one mechanism, one co-unit each) and
    `ledger_entries` entries spread over them. Idempotent per size: a
    database already holding them is left alone. Returns the commission user."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from accountability.choices import UnitKind, UnitTier
    from accountability.models import Membership, Unit
    from accountability.services import unit_create
    from pingxiang_cf.roles import Role
    from projects.models import Framework, LedgerEntry, Mechanism, Program, Project, Tier

    user, _ = get_user_model().objects.get_or_create(username="bench-commission")
    if Project.objects.count() == projects and LedgerEntry.objects.count() == ledger_entries:
        return user
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE projects_ledgerentry, projects_projectcounit, projects_project_mechanisms,"
            " projects_project RESTART IDENTITY CASCADE"
        )
    city = Unit.objects.filter(parent=None).first() or unit_create(
        actor=None, code="BENCH-CITY", name="萍乡市", tier=UnitTier.CITY, kind=UnitKind.CITY
    )
    while Unit.objects.count() < units + 1:
        n = Unit.objects.count()
        unit_create(
            actor=None,
            code=f"BENCH-{n:04d}",
            name=f"测试县{n:04d}",
            tier=UnitTier.COUNTY,
            kind=UnitKind.COUNTY,
            parent=city,
        )
    Membership.objects.get_or_create(user=user, unit=city, role=Role.COMMISSION)
    framework, _ = Framework.objects.get_or_create(
        code="bench", defaults={"name": "1335", "main_line": "x"}
    )
    tier, _ = Tier.objects.get_or_create(
        framework=framework, code="county", defaults={"name": "县区"}
    )
    program, _ = Program.objects.get_or_create(
        framework=framework, code="sunshine", defaults={"name": "廉政阳光工程"}
    )
    mechanism, _ = Mechanism.objects.get_or_create(
        framework=framework, code="self", defaults={"name": "自律机制", "goal": "不愿腐败"}
    )
    unit_ids = list(Unit.objects.exclude(pk=city.pk).values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO projects_project (created_at, updated_at, code, number, year, name,
                category, tier_id, program_id, lead_unit_id, description, stage, start_date,
                end_date, promotion_note)
            SELECT now(), now(), gen_random_uuid(), 'P-' || lpad(i::text, 7, '0'),
                2008 + i %% 10, '项目' || i || ' =SUM(A1) 廉政建设',
                (ARRAY['common', 'individual', 'extension'])[1 + i %% 3], %s, %s,
                (%s::bigint[])[1 + i %% %s], '项目内容 ' || i, 'implement',
                make_date(2008 + i %% 10, 1, 1), make_date(2008 + i %% 10, 12, 31), ''
            FROM generate_series(1, %s) AS i
            """,
            [tier.pk, program.pk, unit_ids, len(unit_ids), projects],
        )
        cursor.execute(
            "INSERT INTO projects_project_mechanisms (project_id, mechanism_id)"
            " SELECT id, %s FROM projects_project",
            [mechanism.pk],
        )
        cursor.execute(
            """
            INSERT INTO projects_projectcounit (created_at, updated_at, project_id, unit_id)
            SELECT now(), now(), p.id, (%s::bigint[])[1 + (p.lead_unit_id + 1) %% %s]
            FROM projects_project p
            """,
            [unit_ids, len(unit_ids)],
        )
        if ledger_entries:
            cursor.execute(
                """
                INSERT INTO projects_ledgerentry (created_at, updated_at, code, project_id,
                    unit_id, entry_date, content, progress_percent, status, review_comment,
                    reviewed_at)
                SELECT now(), now(), gen_random_uuid(), p.id, p.lead_unit_id,
                    p.start_date + (i %% 300), '完成第' || i || '项工作 -5 +1 @x',
                    i %% 101, 'verified', '属实', now()
                FROM generate_series(1, %s) AS i
                JOIN projects_project p ON p.id = 1 + i %% %s
                """,
                [ledger_entries, projects],
            )
        cursor.execute("ANALYZE")
    return user


@contextlib.contextmanager
def scratch_database(name: str, *, keep: bool):
    setup_django(name)
    try:
        yield
    finally:
        if not keep:
            drop_database(name)


def peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

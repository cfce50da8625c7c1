"""How long the project registry (/projects/) takes at the demo scale.

Run on demand, not part of the test suite:

    .venv/bin/python bench/project_list.py [--runs 30]

It loads the demo into a scratch SQLite database (a temporary file, removed
afterwards), signs in as `commission` (who sees every project) and, in the
same run, times the median of `--runs` warm runs of
  (a) rendering the first page of /projects/ through the test client, and
  (b) a bare query of the same page's rows: the list's order and filter, the
      columns a row shows, 50 rows, executed through the cursor,
for the unfiltered list, `?year=2011` and `?light=red`, and prints both times
and their ratio. DEBUG is off, as in production.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE_SIZE = 50  # projects.views.PAGE_SIZE, checked below
ROW_COLUMNS = ("pk", "code", "number", "name", "year", "category", "stage", "lead_unit__name")


def _setup(scratch: Path) -> None:
    """Point Django at a scratch database and media folder, then set it up."""
    os.environ["DATABASE_URL"] = f"sqlite:///{scratch / 'bench.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(scratch / "media")
    os.environ["DEBUG"] = "false"
    os.environ["SECRET_KEY"] = os.urandom(32).hex()
    os.environ["CELERY_BROKER_URL"] = ""  # tasks run in-process
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pingxiang_cf.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _median_ms(run, runs: int) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="timed runs per case (median)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="pxcf-bench-") as scratch:
        _setup(Path(scratch))
        from django.contrib.auth import get_user_model
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client
        from django.utils import timezone

        from projects import views
        from projects.models import Project
        from projects.selectors import project_ids_with_light

        assert views.PAGE_SIZE == PAGE_SIZE
        print("Loading the demo into a scratch SQLite database …", flush=True)
        call_command("migrate", verbosity=0)
        call_command("load_pingxiang_demo", force=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
        total = Project.objects.count()

        client = Client()
        client.force_login(get_user_model().objects.get(username="commission"))
        ordered = Project.objects.order_by("-year", "number", "pk")
        today = timezone.localdate()
        red = project_ids_with_light(Project.objects.all(), color="red", today=today)
        cases = [
            ("/projects/", ordered),
            ("/projects/?year=2011", ordered.filter(year=2011)),
            ("/projects/?light=red", ordered.filter(pk__in=red)),
        ]

        print(
            f"{total} projects; median of {args.runs} warm runs; "
            f"{os.cpu_count()} cores; SQLite {connection.Database.sqlite_version}\n"
        )
        header = f"{'page':<24}{'rows':>5}{'page ms':>10}{'bare ms':>10}{'ratio':>8}"
        print(header)
        print("-" * len(header))
        for path, queryset in cases:
            sql, params = queryset.values_list(*ROW_COLUMNS)[:PAGE_SIZE].query.sql_with_params()

            def bare(sql=sql, params=params):
                with connection.cursor() as cursor:
                    cursor.execute(sql, params)
                    return cursor.fetchall()

            def page(path=path):
                response = client.get(path)
                assert response.status_code == 200, (path, response.status_code)
                return response

            rows = bare()
            html = page().content.decode()  # warm-up, and a check of the rows
            missing = [number for _pk, _code, number, *_ in rows if number not in html]
            assert not missing, f"{path}: rows of the bare query not on the page: {missing[:5]}"
            for _ in range(3):
                page()
                bare()
            page_ms = _median_ms(page, args.runs)
            bare_ms = _median_ms(bare, args.runs)
            print(
                f"{path:<24}{len(rows):>5}{page_ms:>10.1f}{bare_ms:>10.2f}"
                f"{page_ms / bare_ms:>7.0f}×"
            )
        connection.close()


if __name__ == "__main__":
    main()

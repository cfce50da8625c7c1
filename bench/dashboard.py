"""How fast the leaders' dashboard is at province scale (PostgreSQL).

Run on demand, not part of the test suite, against databases filled by
`manage.py generate_scale_data` (their rollups built):

    .venv/bin/python bench/dashboard.py --db pxcf_h7_100k --db pxcf_h7_1m [--runs 40]

For each database, in a subprocess of this same run (so both sizes are
measured side by side), it signs a city leader and a county leader in with
the test client and, for each case below, times `--runs` warm requests of
  (a) the dashboard view (GET through the test client: scope, filters, every
      rollup query, Python roll-up of the rows, template, JSON for the charts),
  (b) the same page's own SQL: the exact statements the view ran (captured
      once), replayed through a plain psycopg connection and fetched,
and prints p50/p95 of both and their ratio; then the ratio of each case's
view p50/p95 at the last database to the first. DEBUG is off, as in
production. Cases: the city as a leader opens it (all years), the city for
one year, the city with its body rendered each time (the first reader after
a refresh; the others get the body cached), a county (its leader's default
page), the county and a township for one year (all read from the nodes'
snapshots), and the city for one year and one program (a filter: computed
live from the rollups).
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASE_URL = "postgres://postgres@127.0.0.1:5432/"


def _setup(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["DEBUG"] = "false"
    os.environ["SECRET_KEY"] = os.urandom(32).hex()
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["CELERY_BROKER_URL"] = ""
    # Production settings want encryption keys and HTTPS; the test client
    # speaks plain HTTP and the page reads no encrypted field.
    os.environ["FIELD_ENCRYPTION_KEYS"] = base64.urlsafe_b64encode(os.urandom(32)).decode()
    os.environ["SECURE_SSL_REDIRECT"] = "false"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pingxiang_cf.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    # No collectstatic for a benchmark: plain static storage renders {% static %}.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def _leader(username: str, unit):
    from django.contrib.auth import get_user_model

    from accountability.models import Membership
    from pingxiang_cf.roles import Role

    user, _ = get_user_model().objects.get_or_create(username=username)
    Membership.objects.get_or_create(user=user, unit=unit, role=Role.LEADER)
    return user


def _computing_statements(user, params: dict) -> list[str]:
    """The statements of computing the page's figures live (selectors.dashboard)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from dashboards import selectors

    node = selectors.dashboard_node(user, params.get("unit"))
    names = ("year", "tier", "program", "mechanism")
    filters = selectors.Filters(**{name: params[name] for name in names if name in params})
    with CaptureQueriesContext(connection) as captured:
        options = selectors.filter_options()
        selectors.dashboard(user, node, filters, options=options, today=timezone.localdate())
    return [q["sql"] for q in captured.captured_queries]


def worker(database_url: str, runs: int, only: str = "") -> dict:
    _setup(database_url)
    import psycopg
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from accountability.models import Unit
    from dashboards.models import ProjectFact
    from projects.models import LedgerEntry, Program, Project, Tier

    root = Unit.objects.get(parent__isnull=True, code__startswith="SYN")
    county = Unit.objects.filter(parent=root, kind="county").order_by("path").first()
    township = Unit.objects.filter(parent=county).order_by("path").first()
    year = Project.objects.order_by("-year").values_list("year", flat=True).first()
    program = Program.objects.order_by("pk").values_list("pk", flat=True).first()
    tier = Tier.objects.order_by("pk").values_list("pk", flat=True).first()
    city_client, county_client = Client(), Client()
    leaders = {city_client: _leader("bench_city_leader", root)}
    leaders[county_client] = _leader("bench_county_leader", county)
    for client, user in leaders.items():
        client.force_login(user)
    dashboard_url, units_url = reverse("dashboards:index"), reverse("dashboards:units")
    floor_url = reverse("notifications:count")
    cases = [
        ("city, all years (leader's home)", city_client, {}),
        (f"city, {year}", city_client, {"year": year}),
        ("city, all years, body not cached", city_client, {"cold": 1}),
        ("county (its leader's home)", county_client, {}),
        (f"county, {year}", county_client, {"year": year}),
        (f"township, {year}", county_client, {"unit": township.pk, "year": year}),
        (f"city, {year}, one program", city_client, {"year": year, "program": program}),
        (
            f"city, {year}, one program, not cached",
            city_client,
            {"year": year, "program": program, "cold": 1},
        ),
        (
            f"city, {year}, program + tier, not cached",
            city_client,
            {"year": year, "program": program, "tier": tier, "cold": 1},
        ),
        ("city, units page, by red lights", city_client, {"page_url": units_url, "sort": "red"}),
        # Django's fixed cost per request for comparison: a signed-in JSON
        # endpoint (session, user, one count) through the same middleware.
        ("floor: the bell's unread count", city_client, {"page_url": floor_url}),
    ]
    raw = psycopg.connect(database_url, autocommit=True)
    results = {
        "projects": Project.objects.count(),
        "ledger": LedgerEntry.objects.count(),
        "facts": ProjectFact.objects.count(),
        "cases": [],
    }
    for name, client, params in cases:
        if only and only not in name:
            continue
        cold = bool(params.pop("cold", False))
        url = params.pop("page_url", dashboard_url)
        for _ in range(5):  # warm: connection, templates, caches
            assert client.get(url, params).status_code == 200
        if cold:
            cache.clear()
        with CaptureQueriesContext(connection) as captured:
            client.get(url, params)
        statements = [q["sql"] for q in captured.captured_queries]
        # The second baseline: the SQL that computes the same figures from
        # the rollups (what the page runs without a snapshot), for a
        # dashboard case.
        computing = _computing_statements(leaders[client], params) if url == dashboard_url else []

        def bare(statements=statements):
            with raw.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)
                    if cursor.description:
                        cursor.fetchall()

        for _ in range(3):
            bare()
        view_times, sql_times, computing_times = [], [], []
        for _ in range(runs):  # interleaved, so that load on the machine hits both alike
            if cold:
                cache.clear()  # the body is rendered again (first reader after a refresh)
            started = time.perf_counter()
            response = client.get(url, params)
            view_times.append(time.perf_counter() - started)
            assert response.status_code == 200
            started = time.perf_counter()
            bare()
            sql_times.append(time.perf_counter() - started)
            if computing:
                started = time.perf_counter()
                bare(computing)
                computing_times.append(time.perf_counter() - started)
        view_p50, view_p95 = _percentiles(view_times)
        sql_p50, sql_p95 = _percentiles(sql_times)
        live_p50, live_p95 = _percentiles(computing_times) if computing else (None, None)
        results["cases"].append(
            {
                "case": name,
                "queries": len(statements),
                "view_p50": view_p50,
                "view_p95": view_p95,
                "sql_p50": sql_p50,
                "sql_p95": sql_p95,
                "live_p50": live_p50,
                "live_p95": live_p95,
            }
        )
    raw.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", action="append", required=True, help="database name (repeat)")
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--case", default="", help="only the cases whose name contains this")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.runs, args.case)))
        return
    measured = {}
    for name in args.db:
        url = name if "://" in name else BASE_URL + name
        output = subprocess.run(
            [sys.executable, __file__, "--db", name, "--worker", url, "--runs", str(args.runs)]
            + ["--case", args.case],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        measured[name] = json.loads(output.strip().splitlines()[-1])
    for name, result in measured.items():
        print(
            f"\n{name}: {result['projects']:,} projects, {result['ledger']:,} ledger entries, "
            f"{args.runs} runs per case"
        )
        print(
            f"{'case':40} {'queries':>7} {'view p50':>9} {'view p95':>9} "
            f"{'SQL p50':>8} {'SQL p95':>8} {'view/SQL p50':>12} {'p95':>6} "
            f"{'live SQL p50':>12} {'view/live p50':>13} {'p95':>6}"
        )
        for c in result["cases"]:
            live = ""
            if c["live_p50"]:
                live = (
                    f" {c['live_p50']:>12.1f} {c['view_p50'] / c['live_p50']:>12.2f}× "
                    f"{c['view_p95'] / c['live_p95']:>5.2f}×"
                )
            print(
                f"{c['case']:40} {c['queries']:>7} {c['view_p50']:>9.1f} {c['view_p95']:>9.1f} "
                f"{c['sql_p50']:>8.1f} {c['sql_p95']:>8.1f} "
                f"{c['view_p50'] / c['sql_p50']:>11.2f}× {c['view_p95'] / c['sql_p95']:>5.2f}×"
                + live
            )
    if len(measured) > 1:
        first, last = list(measured)[0], list(measured)[-1]
        print(f"\n{last} against {first} (view times):")
        for a, b in zip(measured[first]["cases"], measured[last]["cases"], strict=True):
            print(
                f"{b['case']:40} p50 {b['view_p50'] / a['view_p50']:.2f}×  "
                f"p95 {b['view_p95'] / a['view_p95']:.2f}×"
            )


if __name__ == "__main__":
    main()

"""The export engine against bare loops over the same cursor, and its peak
memory at 100k and 1M rows, in the same run.

    .venv/bin/python bench/export_speed.py [--rows 100000] [--big 1000000] [--keep]

Needs the PostgreSQL server at 127.0.0.1:5432 (user postgres, trust); uses a
scratch database `pxcf_bench_export` (dropped at the end unless --keep),
filled with `--big` ledger entries. The export is the real `ledger-entries`
spec (10 columns: texts with formula-looking content, dates, a date-time,
integers, choices) as the commission sees it.

- **CSV**: `csv_chunks()` (conversion, formula escaping, BOM, chunks of 2,000
  rows encoded to UTF-8) against a bare loop: the same SQL through a
  server-side cursor, `csv.writer` over the raw rows, the same chunking and
  encoding. Target: engine ≥ 0.5 × the bare rows/s.
- **XLSX**: `write_xlsx()` against a bare openpyxl write-only loop appending
  the raw rows (the date-time made naive and the UUID made text, which
  openpyxl requires).
  Target: engine ≥ 0.7 × the bare rows/s.
- **memory**: each engine export in a fresh process, at --rows and at --big
  rows; peak resident memory (ru_maxrss). Target: ≤ 150 MB, not growing.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import subprocess
import sys
import tempfile
import time

from api_data import fill, peak_rss_mb, scratch_database, setup_django

DATABASE = "pxcf_bench_export"
PROJECTS = 20000


def _spec_and_queryset(user, rows: int):
    from projects.exports import LEDGER_ENTRIES

    queryset = LEDGER_ENTRIES.queryset(user, {})
    return LEDGER_ENTRIES, queryset[:rows]


def engine_csv(spec, queryset, sink) -> None:
    from pingxiang_cf.exports import csv_chunks

    for chunk in csv_chunks(spec, queryset):
        sink.write(chunk)


def bare_csv(spec, queryset, sink) -> None:
    from django.db import connection

    keys = [c.key for c in spec.columns]
    sql, params = queryset.values_list(*keys).query.sql_with_params()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([str(c.header) for c in spec.columns])
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(2000):
            for row in rows:
                writer.writerow(row)
            sink.write(buffer.getvalue().encode())
            buffer.seek(0)
            buffer.truncate()


def engine_xlsx(spec, queryset, path) -> None:
    from pingxiang_cf.exports import write_xlsx

    write_xlsx(spec, queryset, path)


def bare_xlsx(spec, queryset, path) -> None:
    from django.db import connection
    from openpyxl import Workbook

    keys = [c.key for c in spec.columns]
    when = next(i for i, c in enumerate(spec.columns) if c.kind == "datetime")
    code = next(i for i, c in enumerate(spec.columns) if c.key == "code")
    sql, params = queryset.values_list(*keys).query.sql_with_params()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append([str(c.header) for c in spec.columns])
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(2000):
            for row in rows:
                row = list(row)
                if row[when] is not None:
                    row[when] = row[when].replace(tzinfo=None)
                row[code] = str(row[code])
                sheet.append(row)
    workbook.save(path)


def timed(run) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def child(fmt: str, rows: int, database: str) -> None:
    """One engine export in this fresh process; prints JSON with peak memory."""
    setup_django(database)
    from django.contrib.auth import get_user_model
    from django.db import transaction

    user = get_user_model().objects.get(username="bench-commission")
    before = peak_rss_mb()
    spec, queryset = _spec_and_queryset(user, rows)
    with transaction.atomic():  # server-side cursors live in a transaction
        if fmt == "csv":
            with open(os.devnull, "wb") as sink:
                seconds = timed(lambda: engine_csv(spec, queryset, sink))
        else:
            with tempfile.NamedTemporaryFile(suffix=".xlsx") as out:
                seconds = timed(lambda: engine_xlsx(spec, queryset, out.name))
    print(json.dumps({"before": before, "peak": peak_rss_mb(), "seconds": seconds}))


def measure_memory(fmt: str, rows: int, database: str) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, "--child", fmt, str(rows), "--database", database],
        check=True,
        capture_output=True,
        text=True,
        cwd=os.path.dirname(__file__),
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--big", type=int, default=1_000_000)
    parser.add_argument(
        "--xlsx-rows", type=int, default=0, help="rows for XLSX speed (default --rows)"
    )
    parser.add_argument("--database", default=DATABASE)
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--child", nargs=2, metavar=("FORMAT", "ROWS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], int(args.child[1]), args.database)
        return

    with scratch_database(args.database, keep=args.keep):
        from django.db import transaction

        print(f"Filling {PROJECTS} projects and {args.big} ledger entries …", flush=True)
        user = fill(projects=PROJECTS, ledger_entries=args.big)
        spec, queryset = _spec_and_queryset(user, args.rows)
        results = {}
        xlsx_rows = args.xlsx_rows or args.rows
        _spec, xlsx_queryset = _spec_and_queryset(user, xlsx_rows)
        # Bare and engine interleaved, best of the rounds: a change in the
        # machine's load hits both alike.
        with transaction.atomic(), open(os.devnull, "wb") as sink:
            bare_csv(spec, queryset, sink)  # warm
            for _ in range(3):
                for name, run in (
                    ("csv bare", lambda: bare_csv(spec, queryset, sink)),
                    ("csv engine", lambda: engine_csv(spec, queryset, sink)),
                ):
                    results[name] = min(results.get(name, 1e9), timed(run))
        with transaction.atomic(), tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "out.xlsx")
            for _ in range(2):
                for name, run in (
                    ("xlsx bare", lambda: bare_xlsx(spec, xlsx_queryset, path)),
                    ("xlsx engine", lambda: engine_xlsx(spec, xlsx_queryset, path)),
                ):
                    results[name] = min(results.get(name, 1e9), timed(run))
        print(f"\nThroughput (CSV {args.rows} rows, XLSX {xlsx_rows} rows; best of runs, rows/s):")
        for fmt, target, n in (("csv", 0.5, args.rows), ("xlsx", 0.7, xlsx_rows)):
            bare = n / results[f"{fmt} bare"]
            engine = n / results[f"{fmt} engine"]
            print(
                f"  {fmt:4}  engine {engine:9.0f}  bare {bare:9.0f}  "
                f"ratio {engine / bare:4.2f} (target ≥ {target})"
            )
        if args.skip_memory:
            return
        print("\nPeak memory of an engine export in a fresh process (MB):")
        for fmt in ("csv", "xlsx"):
            for rows in (args.rows, args.big):
                m = measure_memory(fmt, rows, args.database)
                print(
                    f"  {fmt:4} {rows:>9} rows  peak {m['peak']:6.1f}  "
                    f"(after start-up {m['before']:5.1f})  {m['seconds']:6.1f} s"
                )


if __name__ == "__main__":
    main()

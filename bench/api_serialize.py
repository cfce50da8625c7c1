"""Serialising a page of 1,000 projects through the API against a raw
psycopg fetch of the same rows dumped with orjson, in the same run.

    .venv/bin/python bench/api_serialize.py [--projects 20000] [--runs 30] [--keep]
        [--database pxcf_bench_api]

Needs the PostgreSQL server at 127.0.0.1:5432 (user postgres, trust); uses a
scratch database (`--database`, default `pxcf_bench_api`; dropped at the end
unless --keep). Times the
median of --runs warm runs (interleaved) of:

- **api**: `GET /api/v1/projects/?page_size=1000` through the viewset (token-less
  `force_authenticate` as the commission; the user's scope is looked up each
  time as in a request): FilterSet, scope, keyset page, rows from `.values()`,
  the two many-to-many queries, orjson rendering — the whole view;
- **rows**: the serialising part alone: the page's `.values()` query, the
  row plan and the orjson rendering (no request, no FilterSet);
- **raw**: psycopg with `dict_row`: the same columns and joins, the same order
  and limit, the same two many-to-many queries, `orjson.dumps(rows)`.

Target (issue 8): api ≤ 2.5 × raw."""

from __future__ import annotations

import argparse
import os
import statistics
import time

import orjson
from api_data import fill, scratch_database

RAW_PAGE = """
SELECT p.id, p.code, p.number, p.year, p.name, p.category,
       p.tier_id, t.name AS tier_name, p.program_id, g.name AS program_name,
       p.brand_model_id, p.plan_task_id, p.lead_unit_id, u.name AS lead_unit_name,
       p.responsible_official_id, p.description, p.stage, p.start_date, p.end_date,
       p.created_at, p.updated_at
FROM projects_project p
JOIN projects_tier t ON t.id = p.tier_id
JOIN projects_program g ON g.id = p.program_id
JOIN accountability_unit u ON u.id = p.lead_unit_id
ORDER BY p.year DESC, p.number ASC, p.id ASC
LIMIT 1000
"""


def medians_ms(functions, runs: int) -> list[float]:
    """Median time of each function, the functions interleaved run by run so
    that a change in the machine's load hits them all alike."""
    for f in functions:
        for _ in range(3):
            f()
    timings = [[] for _ in functions]
    for _ in range(runs):
        for f, times in zip(functions, timings, strict=True):
            started = time.perf_counter()
            f()
            times.append(time.perf_counter() - started)
    return [statistics.median(times) * 1000 for times in timings]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument("--database", default="pxcf_bench_api")
    args = parser.parse_args()

    with scratch_database(args.database, keep=args.keep):
        import psycopg
        from psycopg.rows import dict_row
        from rest_framework.test import APIRequestFactory, force_authenticate

        from pingxiang_cf.api.renderers import FastJSONRenderer
        from projects.api.views import ProjectViewSet
        from projects.models import Project

        print(f"Filling {args.projects} projects …", flush=True)
        user = fill(projects=args.projects)
        view = ProjectViewSet.as_view({"get": "list"})
        factory = APIRequestFactory()

        def api() -> bytes:
            user.__dict__.pop("_pxcf_scope", None)
            request = factory.get("/api/v1/projects/", {"page_size": 1000})
            force_authenticate(request, user=user)
            response = view(request)
            response.render()
            return response.content

        plan = ProjectViewSet.row_plan()
        renderer = FastJSONRenderer()

        def rows() -> bytes:
            page = plan.values(Project.objects.order_by("-year", "number", "pk"))[:1000]
            return renderer.render({"next": None, "previous": None, "results": plan.rows(page)})

        conn = psycopg.connect(os.environ["DATABASE_URL"])

        def raw() -> bytes:
            with conn.cursor(row_factory=dict_row) as cur:
                page = cur.execute(RAW_PAGE).fetchall()
                ids = [row["id"] for row in page]
                cur.execute(
                    "SELECT project_id, mechanism_id FROM projects_project_mechanisms"
                    " WHERE project_id = ANY(%s) ORDER BY mechanism_id",
                    [ids],
                ).fetchall()
                cur.execute(
                    "SELECT project_id, unit_id FROM projects_projectcounit"
                    " WHERE project_id = ANY(%s) ORDER BY unit_id",
                    [ids],
                ).fetchall()
            return orjson.dumps(page)

        api_rows = orjson.loads(api())["results"]
        raw_rows = orjson.loads(raw())
        assert len(api_rows) == len(raw_rows) == 1000
        assert [r["id"] for r in api_rows] == [r["id"] for r in raw_rows]

        api_ms, rows_ms, raw_ms = medians_ms((api, rows, raw), args.runs)
        print(f"projects in table: {args.projects}, page: 1000 rows, runs: {args.runs}")
        print(f"api  (whole view)      {api_ms:8.2f} ms   {api_ms / raw_ms:5.2f} × raw")
        print(f"rows (serialise only)  {rows_ms:8.2f} ms   {rows_ms / raw_ms:5.2f} × raw")
        print(f"raw  (psycopg+orjson)  {raw_ms:8.2f} ms")
        conn.close()


if __name__ == "__main__":
    main()

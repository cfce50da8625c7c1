"""A synthetic province in PostgreSQL, fast: units by COPY, projects,
mechanisms, targets and ledger entries by INSERT … SELECT over
generate_series (no ORM save per row), then the dashboards' rollups.

    manage.py generate_scale_data --projects 1000000 --ledger-per-project 10

The tree is a root (tier "city") with counties and departments below it,
townships below the counties and village points below the townships,
scaled with the number of projects. Projects spread over --years years up
to this one; a department leads mostly Integrity Sunshine projects, a county
Featured ones, a township Grassroots ones; most past projects are finished,
some are late. Ledger entries climb to each project's final progress, all
verified except, for some projects, the last one. Deterministic for a given
--seed. Refuses SQLite, and a database that already has units unless --force."""

from __future__ import annotations

import datetime
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from accountability.choices import UnitKind, UnitTier
from accountability.models import Unit
from dashboards import rollups
from projects.choices import PlanTaskStatus
from projects.models import (
    Framework,
    LedgerEntry,
    Mechanism,
    Plan,
    PlanTask,
    Program,
    Project,
    Target,
    Tier,
)

PREFIX = "SYN"
MECHANISMS = (
    ("self_discipline", "自律机制", "不愿腐败"),
    ("institution", "制度体系", "不能腐败"),
    ("prevention", "防范机制", "不可腐败"),
    ("long_term", "长效机制", "不易腐败"),
    ("punishment", "惩处机制", "不敢腐败"),
)


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))


class Command(BaseCommand):
    help = "在 PostgreSQL 中快速生成合成的全省规模数据(项目、台账),并重建看板汇总表。"

    def add_arguments(self, parser):
        parser.add_argument("--projects", type=int, required=True)
        parser.add_argument("--ledger-per-project", type=int, default=10)
        parser.add_argument("--years", type=int, default=15)
        parser.add_argument("--seed", type=float, default=0.1335)
        parser.add_argument("--force", action="store_true", help="数据库非空时仍然生成")
        parser.add_argument("--no-rollups", action="store_true", help="不重建看板汇总表")

    def handle(self, *args, **opts):
        if connection.vendor != "postgresql":
            raise CommandError(
                "generate_scale_data 只能在 PostgreSQL 上运行(请设置 DATABASE_URL)。"
            )
        if Unit.objects.exists() and not opts["force"]:
            raise CommandError("数据库不是空的;确需在现有数据上追加合成数据,请加 --force。")
        if opts["projects"] < 1 or opts["ledger_per_project"] < 0:
            raise CommandError("--projects 须为正数,--ledger-per-project 不能为负。")
        self.today = timezone.localdate()
        timings = {}
        started = time.monotonic()
        with transaction.atomic():
            framework = self._framework()
            timings["framework"] = self._lap(started)
            root, leads = self._units(opts["projects"])
            timings["units"] = self._lap(started)
            self._plan(framework, leads, opts["projects"])
            self._projects(opts, framework, root)
            timings["projects"] = self._lap(started)
            self._ledger(opts["ledger_per_project"])
            timings["ledger"] = self._lap(started)
        with connection.cursor() as cursor:
            for model in (Unit, Project, LedgerEntry, Target, Project.mechanisms.through):
                table = model._meta.db_table
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT coalesce(max(id), 1) FROM {table}))"
                )
                cursor.execute(f"ANALYZE {table}")
        timings["analyze"] = self._lap(started)
        generated = time.monotonic() - started
        self.stdout.write(
            f"generated {opts['projects']} projects, "
            f"{opts['projects'] * opts['ledger_per_project']} ledger entries at most, "
            f"in {generated:.1f} s ({timings})"
        )
        if not opts["no_rollups"]:
            begun = time.monotonic()
            rollups.refresh_all(today=self.today)
            with connection.cursor() as cursor:
                for table in (
                    "dashboards_projectfact",
                    "dashboards_completioncell",
                    "dashboards_activitycell",
                ):
                    cursor.execute(f"ANALYZE {table}")
            self.stdout.write(f"rollups rebuilt in {time.monotonic() - begun:.1f} s")

    def _lap(self, started) -> float:
        return round(time.monotonic() - started, 1)

    # --- Framework and units (a few thousand rows) ---------------------------------------

    def _framework(self):
        framework, _ = Framework.objects.get_or_create(
            code=f"{PREFIX.lower()}-1335",
            defaults={"name": "合成省“1335”", "main_line": "项目化管理、责任制落实"},
        )
        self.tiers = {}
        for order, (code, name) in enumerate(
            (("county", "县区层级"), ("department", "部门层级"), ("grassroots", "基层层级"))
        ):
            self.tiers[code], _ = Tier.objects.get_or_create(
                framework=framework, code=code, defaults={"name": name, "sort_order": order}
            )
        self.programs = {}
        for order, (code, name) in enumerate(
            (
                ("sunshine", "廉政阳光工程"),
                ("featured", "重点特色工程"),
                ("grassroots", "基层保廉工程"),
            )
        ):
            self.programs[code], _ = Program.objects.get_or_create(
                framework=framework, code=code, defaults={"name": name, "sort_order": order}
            )
        self.mechanisms = []
        for order, (code, name, goal) in enumerate(MECHANISMS):
            mechanism, _ = Mechanism.objects.get_or_create(
                framework=framework,
                code=code,
                defaults={"name": name, "goal": goal, "sort_order": order},
            )
            self.mechanisms.append(mechanism)
        return framework

    def _units(self, projects: int):
        """Root → counties (+ departments) → townships → village points, by COPY."""
        counties = _clamp(projects // 10_000, 5, 100)
        departments = _clamp(projects // 2_500, 20, 400)
        townships_per_county, villages_per_township = 12, 8
        with connection.cursor() as cursor:
            cursor.execute("SELECT coalesce(max(id), 0) FROM accountability_unit")
            next_id = cursor.fetchone()[0] + 1
        now = timezone.now()
        rows = []
        leads = []  # (id, tier code) of the units that lead projects

        def add(name, tier, kind, parent_path, depth, order):
            nonlocal next_id
            unit_id = next_id
            next_id += 1
            path = f"{parent_path}{unit_id}/"
            rows.append(
                (
                    unit_id,
                    now,
                    now,
                    f"{PREFIX}-{unit_id}",
                    name,
                    "",
                    tier,
                    kind,
                    int(path.strip("/").split("/")[-2]) if depth else None,
                    path,
                    depth,
                    order,
                    True,
                )
            )
            return unit_id, path

        root_id, root_path = add("合成省", UnitTier.CITY, UnitKind.CITY, "/", 0, 0)
        for d in range(departments):
            unit_id, _ = add(
                f"省直单位{d + 1:03d}",
                UnitTier.DEPARTMENT,
                UnitKind.MUNICIPAL_DEPT,
                root_path,
                1,
                1000 + d,
            )
            leads.append((unit_id, "department"))
        for c in range(counties):
            county_id, county_path = add(
                f"合成县{c + 1:03d}", UnitTier.COUNTY, UnitKind.COUNTY, root_path, 1, c
            )
            leads.append((county_id, "county"))
            for t in range(townships_per_county):
                town_id, town_path = add(
                    f"合成县{c + 1:03d}第{t + 1}镇",
                    UnitTier.GRASSROOTS,
                    UnitKind.TOWNSHIP,
                    county_path,
                    2,
                    t,
                )
                leads.append((town_id, "grassroots"))
                for v in range(villages_per_township):
                    add(
                        f"合成县{c + 1:03d}第{t + 1}镇{v + 1}村代办点",
                        UnitTier.GRASSROOTS,
                        UnitKind.VILLAGE_AGENT_POINT,
                        town_path,
                        3,
                        v,
                    )
        columns = (
            "id, created_at, updated_at, code, name, short_name, tier, kind, "
            "parent_id, path, depth, sort_order, is_active"
        )
        copy_sql = f"COPY accountability_unit ({columns}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(copy_sql) as copy:
            for row in rows:
                copy.write_row(row)
        self.stdout.write(f"{len(rows)} units")
        return Unit.objects.get(pk=root_id), leads

    def _plan(self, framework, leads, projects: int):
        plan = Plan.objects.create(
            framework=framework,
            title="合成省惩防体系建设实施细则任务分工方案",
            issuer="合成省委",
            issued_on=datetime.date(self.today.year - 5, 3, 1),
            period_start=self.today.year - 5,
            period_end=self.today.year,
        )
        count = max(113, projects // 2_000)
        tasks = []
        for i in range(count):
            done = i % 100 < 92
            tasks.append(
                PlanTask(
                    plan=plan,
                    number=f"{i + 1:04d}",
                    content=f"合成任务{i + 1}",
                    lead_unit_id=leads[(i * 7919) % len(leads)][0],
                    mechanism=self.mechanisms[i % len(self.mechanisms)],
                    program=list(self.programs.values())[i % 3],
                    deadline=datetime.date(self.today.year, 12, 31),
                    status=PlanTaskStatus.COMPLETED if done else PlanTaskStatus.IN_PROGRESS,
                    completed_on=datetime.date(self.today.year - 1, 12, 1) if done else None,
                )
            )
        PlanTask.objects.bulk_create(tasks, batch_size=2000)

    # --- Projects and ledger (bulk SQL) -----------------------------------------------------

    def _projects(self, opts, framework, root):
        n, years = opts["projects"], opts["years"]
        first_year = self.today.year - years + 1
        tier = {code: t.pk for code, t in self.tiers.items()}
        program = {code: p.pk for code, p in self.programs.items()}
        mechanisms = [m.pk for m in self.mechanisms]
        with connection.cursor() as cursor:
            cursor.execute("SET max_parallel_workers_per_gather = 0")  # one plan: deterministic
            cursor.execute("SELECT setseed(%s)", [opts["seed"]])
            cursor.execute("SELECT coalesce(max(id), 0) FROM projects_project")
            base = cursor.fetchone()[0]
            cursor.execute(
                "CREATE TEMP TABLE syn_lead (n int PRIMARY KEY, id bigint, tier text) "
                "ON COMMIT DROP"
            )
            cursor.execute(
                "INSERT INTO syn_lead SELECT row_number() OVER (ORDER BY id), id, "
                "CASE WHEN tier = 'county' THEN 'county' WHEN tier = 'department' "
                "THEN 'department' ELSE 'grassroots' END "
                "FROM accountability_unit WHERE path LIKE %s AND depth BETWEEN 1 AND 2",
                [root.path + "%"],
            )
            cursor.execute("SELECT count(*) FROM syn_lead")
            leads = cursor.fetchone()[0]
            # One row per project with its random draws; projects and ledger read it.
            cursor.execute(
                """
                CREATE TEMP TABLE syn_project ON COMMIT DROP AS
                SELECT s.sg AS g, %(base)s + s.sg AS id, l.id AS lead, l.tier AS lead_tier, s.*
                FROM (
                    SELECT g AS sg, random() AS r_unit, random() AS r_year, random() AS r_cat,
                           random() AS r_prog, random() AS r_start, random() AS r_end,
                           random() AS r_done, random() AS r_mech, random() AS r_mech2,
                           random() AS r_pending, random() AS r_pace
                    FROM generate_series(1, %(n)s) g
                ) s
                JOIN syn_lead l ON l.n = 1 + floor(s.r_unit * %(leads)s)::int
                """,
                {"base": base, "n": n, "leads": leads},
            )
            cursor.execute(
                """
                ALTER TABLE syn_project ADD COLUMN year int, ADD COLUMN start_date date,
                    ADD COLUMN end_date date, ADD COLUMN final int, ADD COLUMN stage text
                """
            )
            cursor.execute(
                """
                UPDATE syn_project SET year = %(first)s + floor(r_year * %(years)s)::int
                """,
                {"first": first_year, "years": years},
            )
            cursor.execute(
                """
                UPDATE syn_project SET
                    start_date = make_date(year, 1, 1) + floor(r_start * 60)::int,
                    end_date = make_date(year, 12, 31) - floor(r_end * 45)::int
                """
            )
            # Past projects: 85 % finished (100 %), the rest stuck between 30 and 95 %;
            # running ones: on pace, give or take.
            cursor.execute(
                """
                UPDATE syn_project SET final = CASE
                    WHEN end_date < %(today)s AND r_done < 0.85 THEN 100
                    WHEN end_date < %(today)s THEN 30 + floor(r_pace * 65)::int
                    WHEN start_date >= %(today)s THEN 0
                    ELSE least(100, greatest(0, floor(
                        100.0 * (%(today)s - start_date) / greatest(end_date - start_date, 1)
                        * (0.55 + r_pace * 0.6))::int))
                    END
                """,
                {"today": self.today},
            )
            cursor.execute(
                """
                UPDATE syn_project SET stage = CASE
                    WHEN final = 100 AND r_pending < 0.5 THEN 'promote'
                    WHEN final = 100 THEN 'evaluate'
                    WHEN start_date >= %(today)s THEN 'establish'
                    ELSE 'implement' END
                """,
                {"today": self.today},
            )
            cursor.execute(
                """
                INSERT INTO projects_project (
                    id, created_at, updated_at, code, number, year, name, category,
                    tier_id, program_id, brand_model_id, plan_task_id, copied_from_id,
                    lead_unit_id, responsible_official_id, description, stage,
                    start_date, end_date, promotion_note)
                SELECT id, now(), now(), gen_random_uuid(), 'S' || lpad(g::text, 8, '0'),
                    year, '合成项目' || g,
                    CASE WHEN r_cat < 0.49 THEN 'common' WHEN r_cat < 0.95 THEN 'individual'
                         ELSE 'extension' END,
                    CASE lead_tier WHEN 'county' THEN %(t_county)s
                         WHEN 'department' THEN %(t_dept)s ELSE %(t_grass)s END,
                    CASE WHEN r_prog < 0.8 THEN
                            CASE lead_tier WHEN 'county' THEN %(p_feat)s
                                 WHEN 'department' THEN %(p_sun)s ELSE %(p_grass)s END
                         WHEN r_prog < 0.9 THEN %(p_sun)s ELSE %(p_grass)s END,
                    NULL, NULL, NULL, lead, NULL, '', stage, start_date, end_date, ''
                FROM syn_project
                """,
                {
                    "t_county": tier["county"],
                    "t_dept": tier["department"],
                    "t_grass": tier["grassroots"],
                    "p_feat": program["featured"],
                    "p_sun": program["sunshine"],
                    "p_grass": program["grassroots"],
                },
            )
            through = Project.mechanisms.through._meta.db_table
            mechs = "ARRAY[" + ",".join(str(pk) for pk in mechanisms) + "]::bigint[]"
            cursor.execute(
                f"""
                INSERT INTO {through} (project_id, mechanism_id)
                SELECT id, ({mechs})[1 + floor(r_mech * 5)::int] FROM syn_project
                UNION
                SELECT id, ({mechs})[1 + floor(r_mech2 * 5)::int] FROM syn_project
                WHERE r_mech2 < 0.4
                """
            )
            cursor.execute(
                """
                INSERT INTO projects_target (
                    created_at, updated_at, project_id, description, measure_unit,
                    target_value, due_date, sort_order)
                SELECT now(), now(), id, '完成年度量化目标', '项', 100, end_date, 0
                FROM syn_project
                """
            )
        self.stdout.write(f"{n} projects")

    def _ledger(self, per_project: int):
        if not per_project:
            return
        with connection.cursor() as cursor:
            cursor.execute(
                """
                INSERT INTO projects_ledgerentry (
                    created_at, updated_at, code, project_id, assignment_id, unit_id,
                    entry_date, content, progress_percent, status, author_id, reviewer_id,
                    reviewed_at, review_comment)
                SELECT now(), now(), gen_random_uuid(), p.id, NULL, p.lead,
                    p.start_date + ((least(p.end_date, %(today)s) - p.start_date) * k
                                    / %(m)s)::int,
                    '第' || k || '次工作进展', (p.final * k / %(m)s)::int,
                    CASE WHEN k = %(m)s AND p.r_pending < 0.1 THEN 'submitted'
                         ELSE 'verified' END,
                    NULL, NULL, NULL, ''
                FROM syn_project p CROSS JOIN generate_series(1, %(m)s) k
                WHERE p.start_date < %(today)s
                """,
                {"today": self.today, "m": per_project},
            )
            self.stdout.write(f"{cursor.rowcount} ledger entries")

"""Supervision-cycle periods, the handler registry, cycle_run and its frozen
snapshot, idempotence, and the Celery pipeline run eagerly."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from inspections import tasks
from inspections.choices import CycleKind, NoticeKind, NoticeStatus
from inspections.cycles import (
    cycle_handler,
    handlers_for,
    parse_period,
    period_containing,
    previous_period,
    unregister,
)
from inspections.models import Notice, NoticeUnit, SupervisionCycle, SupervisionReport
from inspections.services.cycles import cycle_run
from pingxiang_cf.models import AuditLog, Job, JobStatus
from projects.choices import LedgerStatus
from tests import factories as f

D = datetime.date


# --- Periods ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "text", "normal", "start", "end"),
    [
        (CycleKind.MONTHLY, "2012-03", "2012-03", D(2012, 3, 1), D(2012, 3, 31)),
        (CycleKind.MONTHLY, " 2012-3 ", "2012-03", D(2012, 3, 1), D(2012, 3, 31)),
        (CycleKind.MONTHLY, "2012-02", "2012-02", D(2012, 2, 1), D(2012, 2, 29)),
        (CycleKind.MONTHLY, "2011-12", "2011-12", D(2011, 12, 1), D(2011, 12, 31)),
        (CycleKind.QUARTERLY, "2012-Q1", "2012-Q1", D(2012, 1, 1), D(2012, 3, 31)),
        (CycleKind.QUARTERLY, "2012-q4", "2012-Q4", D(2012, 10, 1), D(2012, 12, 31)),
        (CycleKind.SEMIANNUAL, "2012-H1", "2012-H1", D(2012, 1, 1), D(2012, 6, 30)),
        (CycleKind.SEMIANNUAL, "2012-h2", "2012-H2", D(2012, 7, 1), D(2012, 12, 31)),
        (CycleKind.ANNUAL, "2012", "2012", D(2012, 1, 1), D(2012, 12, 31)),
    ],
)
def test_periods_parse_to_their_first_and_last_day(kind, text, normal, start, end):
    period = parse_period(kind, text)
    assert (period.text, period.start, period.end) == (normal, start, end)


@pytest.mark.parametrize(
    ("kind", "text", "message"),
    [
        (CycleKind.MONTHLY, "2012-13", "月份须在 1 至 12 之间。"),
        (CycleKind.MONTHLY, "2012-00", "月份须在 1 至 12 之间。"),
        (CycleKind.MONTHLY, "2012-Q1", "“2012-Q1”不是有效的月度通报期间,格式应如 2012-03。"),
        (CycleKind.MONTHLY, "", "“”不是有效的月度通报期间,格式应如 2012-03。"),
        (CycleKind.QUARTERLY, "2012-Q5", "季度须为 Q1 至 Q4。"),
        (CycleKind.QUARTERLY, "2012-03", "“2012-03”不是有效的季度督查期间,格式应如 2012-Q1。"),
        (CycleKind.SEMIANNUAL, "2012-H3", "半年须为 H1(上半年)或 H2(下半年)。"),
        (CycleKind.ANNUAL, "12", "“12”不是有效的年度考核期间,格式应如 2012。"),
        (CycleKind.ANNUAL, "1999", "年份须在 2000 至 2100 之间。"),
        ("weekly", "2012-W1", "未知的周期类型“weekly”"),
    ],
)
def test_bad_periods_are_refused_with_a_chinese_message(kind, text, message):
    with pytest.raises(ValidationError) as info:
        parse_period(kind, text)
    assert message in info.value.messages[0]


def test_previous_period_is_the_last_complete_one():
    assert previous_period(CycleKind.MONTHLY, D(2012, 4, 1)).text == "2012-03"
    assert previous_period(CycleKind.MONTHLY, D(2012, 1, 1)).text == "2011-12"
    assert previous_period(CycleKind.QUARTERLY, D(2012, 4, 1)).text == "2012-Q1"
    assert previous_period(CycleKind.SEMIANNUAL, D(2012, 7, 1)).text == "2012-H1"
    assert previous_period(CycleKind.SEMIANNUAL, D(2012, 1, 1)).text == "2011-H2"
    assert previous_period(CycleKind.ANNUAL, D(2012, 1, 2)).text == "2011"
    assert period_containing(CycleKind.QUARTERLY, D(2012, 8, 15)).label == "2012年第3季度"


# --- A small world: three projects of 2011 -----------------------------------------------------


def _verified(project, day, progress):
    return f.LedgerEntryFactory(
        project=project, entry_date=day, progress_percent=progress, status=LedgerStatus.VERIFIED
    )


@pytest.fixture
def world(tree):
    """county_a: one project ahead of plan (green); county_b: one behind by
    19 points (yellow); the department: one far behind a milestone (red).
    A later verified entry (10 April) must not count for March."""
    green = f.ProjectFactory(year=2011, number="2011-001", lead_unit=tree["county_a"])
    yellow = f.ProjectFactory(year=2011, number="2011-002", lead_unit=tree["county_b"])
    red = f.ProjectFactory(year=2011, number="2011-003", lead_unit=tree["department"])
    f.MilestoneFactory(project=red, planned_date=D(2011, 3, 1), planned_progress=60)
    _verified(green, D(2011, 3, 15), 30)
    _verified(yellow, D(2011, 3, 10), 5)
    _verified(yellow, D(2011, 4, 10), 90)
    f.LedgerEntryFactory(project=red, entry_date=D(2011, 3, 20), progress_percent=80)  # a draft
    f.ProjectFactory(
        year=2011, number="2011-004", lead_unit=tree["county_a"], start_date=D(2011, 5, 1)
    )  # not started in March
    return {"green": green, "yellow": yellow, "red": red}


def test_snapshot_freezes_progress_and_lights_as_of_the_period_end(world, tree):
    cycle = cycle_run(kind=CycleKind.MONTHLY, period="2011-03")
    snapshot = cycle.snapshot
    assert (cycle.period_start, cycle.period_end) == (D(2011, 3, 1), D(2011, 3, 31))
    rows = {p["number"]: p for p in snapshot["projects"]}
    assert set(rows) == {"2011-001", "2011-002", "2011-003"}
    assert {n: (r["progress"], r["planned"], r["light"]) for n, r in rows.items()} == {
        "2011-001": (30, 24, "green"),
        "2011-002": (5, 24, "yellow"),
        "2011-003": (0, 64, "red"),
    }
    assert snapshot["overall"] == {
        "projects": 3,
        "units": 3,
        "progress": 11.7,
        "planned": 37.3,
        "green": 1,
        "yellow": 1,
        "red": 1,
        "units_with_red": 1,
    }
    assert snapshot["comparison"] is None
    assert snapshot["as_of"] == "2011-03-31"


def test_monthly_notice_names_lagging_units_and_praises_all_green_ones(world, tree):
    cycle = cycle_run(kind=CycleKind.MONTHLY, period="2011-03")
    notice = Notice.objects.get(cycle=cycle)
    assert (notice.kind, notice.status) == (NoticeKind.MONTHLY, NoticeStatus.DRAFT)
    assert notice.title == "关于2011年3月惩防体系建设项目进展情况的通报"
    named = {(n.unit.name, n.is_criticism): n.reason for n in notice.named_units.all()}
    assert named == {
        ("市审计局", True): "1个项目亮红灯(2011-003),平均核实进度0.0%,进度滞后于时间节点。",
        ("甲县", False): "1个项目全部绿灯,平均核实进度30.0%,推进有力。",
    }
    assert "全市3个牵头单位承担的3个年度重点工作项目,平均核实进度11.7%" in notice.body
    assert "市审计局等1个单位项目推进滞后,予以通报批评" in notice.body


def test_next_month_compares_with_the_previous_cycles_snapshot(world):
    cycle_run(kind=CycleKind.MONTHLY, period="2011-03")
    april = cycle_run(kind=CycleKind.MONTHLY, period="2011-04")
    comparison = april.snapshot["comparison"]
    assert comparison["period"] == "2011-03"
    assert comparison["progress"] == 11.7
    # yellow project: 5 % → 90 % verified on 10 April
    assert april.snapshot["overall"]["progress"] == 40.0
    assert comparison["progress_delta"] == 28.3
    units = {u["name"]: u for u in april.snapshot["units"]}
    assert (units["乙县"]["prev_progress"], units["乙县"]["progress"]) == (5.0, 90.0)
    notice = Notice.objects.get(cycle=april)
    assert "与2011年3月相比,平均核实进度提高28.3个百分点" in notice.body


def test_running_a_cycle_twice_leaves_one_of_each(world):
    first = cycle_run(kind=CycleKind.MONTHLY, period="2011-03")
    second = cycle_run(kind=CycleKind.MONTHLY, period="2011-03")
    assert first.pk == second.pk
    assert SupervisionCycle.objects.filter(kind=CycleKind.MONTHLY, period="2011-03").count() == 1
    assert Notice.objects.filter(cycle=first).count() == 1
    assert NoticeUnit.objects.filter(notice__cycle=first).count() == 2


def test_a_cycle_run_is_refused_to_anyone_but_the_commission(world, editor_a, leader, commission):
    for user in (editor_a, leader):
        with pytest.raises(PermissionDenied):
            cycle_run(kind=CycleKind.MONTHLY, period="2011-03", actor=user)
    assert not SupervisionCycle.objects.exists()
    cycle = cycle_run(kind=CycleKind.MONTHLY, period="2011-03", actor=commission)
    assert AuditLog.objects.filter(object_id=str(cycle.pk), actor=commission).exists()


def test_registered_handlers_run_with_each_cycle_of_their_kind(world):
    calls = []

    @cycle_handler(CycleKind.ANNUAL)
    def annual(*, cycle, actor):
        calls.append((cycle.period, actor))

    try:
        cycle_handler(CycleKind.ANNUAL)(annual)  # registering twice has no effect
        assert handlers_for(CycleKind.ANNUAL).count(annual) == 1
        cycle_run(kind=CycleKind.ANNUAL, period="2011")
        cycle_run(kind=CycleKind.MONTHLY, period="2011-03")
        assert calls == [("2011", None)]
    finally:
        unregister(CycleKind.ANNUAL, annual)


def test_a_failing_handler_rolls_the_whole_run_back(world):
    def broken(*, cycle, actor):
        raise RuntimeError("boom")

    cycle_handler(CycleKind.QUARTERLY)(broken)
    try:
        with pytest.raises(RuntimeError):
            cycle_run(kind=CycleKind.QUARTERLY, period="2011-Q1")
    finally:
        unregister(CycleKind.QUARTERLY, broken)
    assert not SupervisionCycle.objects.filter(kind=CycleKind.QUARTERLY).exists()


# --- The command and the tasks ------------------------------------------------------------------


def test_run_cycle_command_runs_a_period_and_refuses_a_bad_one(world, capsys):
    call_command("run_cycle", "monthly", "2011-03", "--no-documents")
    assert "月度通报 2011-03:3个项目,平均核实进度11.7%" in capsys.readouterr().out
    with pytest.raises(CommandError, match="月份须在 1 至 12 之间"):
        call_command("run_cycle", "monthly", "2011-13")
    assert SupervisionCycle.objects.count() == 1


@pytest.fixture
def eager():
    """Run queued tasks in-process, even in the services pass where a broker
    is configured (the worker tests live in test_cycle_worker.py)."""
    from pingxiang_cf.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_run_now_task_runs_the_cycle_and_renders_the_notice_under_a_job(
    world, media, eager, commission, django_capture_on_commit_callbacks
):
    from pingxiang_cf.jobs import job_create

    job = job_create(kind="inspections.cycle", key="monthly:2011-03", title="t", user=commission)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.run_cycle_job_task(job.pk, "monthly", "2011-03", commission.pk)
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == (JobStatus.DONE, 2, 2)
    notice = Notice.objects.get(cycle__period="2011-03")
    assert notice.pdf and notice.pdf.size > 1000
    # again: nothing new, the job of the rerun is done at once
    again = job_create(kind="inspections.cycle", key="monthly:2011-03b", title="t")
    with django_capture_on_commit_callbacks(execute=True):
        tasks.run_cycle_job_task(again.pk, "monthly", "2011-03", None)
    again.refresh_from_db()
    assert again.status == JobStatus.DONE
    assert Notice.objects.filter(cycle__period="2011-03").count() == 1
    assert Job.objects.filter(status=JobStatus.FAILED).count() == 0


def test_semiannual_reports_fan_out_in_batches_one_per_unit(
    world, tree, media, eager, monkeypatch, settings, django_capture_on_commit_callbacks
):
    rendered = []
    settings.CYCLE_BATCH_SIZE = 1
    monkeypatch.setattr(
        "inspections.services.reports.render_report_pdf",
        lambda report: rendered.append(report.unit.name) or b"%PDF-1.7 test",
    )
    sent = []
    original = tasks.report_batch_task.delay
    monkeypatch.setattr(
        tasks.report_batch_task, "delay", lambda *a: sent.append(a[1]) or original(*a)
    )
    with django_capture_on_commit_callbacks(execute=True):
        tasks.run_cycle_task("semiannual", "2011-H1")
    cycle = SupervisionCycle.objects.get(kind=CycleKind.SEMIANNUAL, period="2011-H1")
    reports = SupervisionReport.objects.filter(cycle=cycle)
    # both counties always; a department only with something to report
    assert set(reports.values_list("unit__name", flat=True)) == {"乙县", "甲县", "市审计局"}
    assert sorted(rendered) == sorted(["乙县", "甲县", "市审计局"])
    assert len(sent) == 3  # batches of CYCLE_BATCH_SIZE (1 here)
    # a retry of the whole job writes nothing again
    rendered.clear()
    with django_capture_on_commit_callbacks(execute=True):
        tasks.run_cycle_task("semiannual", "2011-H1")
    assert rendered == []
    assert reports.count() == 3
    assert tasks.report_batch_task(cycle.pk, [tree["county_a"].pk]) == 0


def test_scheduled_run_covers_the_previous_month(world, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda: D(2011, 4, 1))
    cycle_id = tasks.run_previous_cycle_task("monthly")
    assert SupervisionCycle.objects.get(pk=cycle_id).period == "2011-03"


def test_beat_schedule_has_the_cycle_entries():
    from pingxiang_cf.celery import app

    schedule = app.conf.beat_schedule
    monthly = schedule["inspections-monthly-cycle"]
    assert monthly["task"] == "inspections.run_previous_cycle"
    assert monthly["args"] == ("monthly",)
    assert monthly["schedule"].day_of_month == {1}
    assert schedule["inspections-quarterly-cycle"]["schedule"].month_of_year == {1, 4, 7, 10}
    assert schedule["inspections-semiannual-cycle"]["schedule"].month_of_year == {1, 7}

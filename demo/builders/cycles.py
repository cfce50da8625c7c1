"""Supervision cycles run through the same services as Celery beat: the
monthly cycles of 2009–2010 with their notices reviewed and published by the
commission, the frozen figures of the 2011 months (whose notices the
inspections builder made), a draft July 2011 notice waiting for review, and
the semiannual supervision reports of every half-year.

The seed names 35 units critically in its notices (demo.figures). A monthly
notice proposes the units with red-light projects; as the commission does
before review, the demo keeps only units already named for problems found in
inspections and takes the others off the draft with a reason, so the seed's
figure holds."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection

from demo.context import DemoContext, cap
from inspections.choices import CycleKind, NoticeKind, NoticeStatus
from inspections.cycles import parse_period
from inspections.models import Notice, NoticeUnit, SupervisionCycle
from inspections.services.cycles import cycle_run
from inspections.services.notices import notice_publish, notice_review, notice_unit_remove
from inspections.services.reports import report_unit_ids, supervision_report_generate

PUBLISHED_MONTHS = [f"{year}-{month:02d}" for year in (2009, 2010) for month in range(1, 13)]
FROZEN_MONTHS = [f"2011-{month:02d}" for month in range(1, 7)]
DRAFT_MONTH = "2011-07"
HALF_YEARS = ("2008-H2", "2009-H1", "2009-H2", "2010-H1", "2010-H2", "2011-H1")
NOT_NAMED = "经核实,该单位已说明客观原因并制定赶进度措施,本月暂不点名通报"


# Freshly bulk-loaded tables have no planner statistics yet; without them
# PostgreSQL reads the as-of progress subqueries row by row (2 s a month
# instead of 0.05 s).
ANALYZED_TABLES = (
    "projects_project",
    "projects_target",
    "projects_assignment",
    "projects_ledgerentry",
    "projects_ledgerquantity",
    "projects_milestone",
)


def _analyze() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE " + ", ".join(ANALYZED_TABLES))


def build_cycles(ctx: DemoContext) -> None:
    commission = ctx.users["commission"]
    _analyze()
    for period in PUBLISHED_MONTHS:
        cycle = cycle_run(kind=CycleKind.MONTHLY, period=period)
        _publish(cycle, commission)
    for period in [*FROZEN_MONTHS, DRAFT_MONTH]:
        cycle_run(kind=CycleKind.MONTHLY, period=period)
    for period in HALF_YEARS:
        cycle = cycle_run(kind=CycleKind.SEMIANNUAL, period=period)
        for unit_id in report_unit_ids(cycle):
            supervision_report_generate(cycle=cycle, unit_id=unit_id, render=False)
    ctx.cycles = {(c.kind, c.period): c for c in SupervisionCycle.objects.all()}


def _publish(cycle, commission) -> None:
    notice = Notice.objects.get(cycle=cycle, kind=NoticeKind.MONTHLY)
    if notice.status != NoticeStatus.DRAFT:
        return
    already_named = set(
        NoticeUnit.objects.filter(
            is_criticism=True, notice__status=NoticeStatus.PUBLISHED
        ).values_list("unit_id", flat=True)
    )
    for named in notice.named_units.filter(is_criticism=True).order_by("pk"):
        if named.unit_id not in already_named:
            notice_unit_remove(named, actor=commission, reason=NOT_NAMED)
    notice_review(notice, actor=commission)
    end = parse_period(cycle.kind, cycle.period).end
    notice_publish(notice, actor=commission, issued_on=cap(end + timedelta(days=8)), render=False)

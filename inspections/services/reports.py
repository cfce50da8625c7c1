"""The semiannual supervision report (半年督导报告) of each county and
department: progress of the projects it leads, findings raised in the
half-year (closed or open at its end), supervision letters and their answers.

The figures come from the semiannual cycle's frozen snapshot
(inspections.services.cycles.report_figures); one report per cycle and unit
(a database constraint), generated unit by unit so that the Celery job can
fan out in batches and a rerun rewrites nothing that is already current."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inspections.choices import CycleKind, Severity
from inspections.cycles import cycle_handler, period_label
from inspections.models import SupervisionCycle, SupervisionReport
from pingxiang_cf import audit
from pingxiang_cf.models import AuditAction

logger = logging.getLogger(__name__)


def report_unit_ids(cycle: SupervisionCycle) -> list[int]:
    """The units the cycle's snapshot has a report for, in code order."""
    reports = (cycle.snapshot or {}).get("reports", {})
    return [int(k) for k, v in sorted(reports.items(), key=lambda kv: kv[1]["unit"]["code"])]


def report_title(report: SupervisionReport) -> str:
    return _("%(unit)s%(label)s惩防体系建设督导报告") % {
        "unit": report.unit.name,
        "label": period_label(report.cycle.kind, report.cycle.period),
    }


def report_context(report: SupervisionReport) -> dict:
    figures = report.figures
    severities = dict(Severity.choices)
    findings = [
        {**row, "severity_label": severities.get(row["severity"], row["severity"])}
        for row in figures.get("findings", {}).get("rows", [])
    ]
    return {
        "report": report,
        "title": report_title(report),
        "label": period_label(report.cycle.kind, report.cycle.period),
        "figures": figures,
        "projects": figures.get("projects", {}),
        "findings": figures.get("findings", {}),
        "finding_rows": findings,
        "letters": figures.get("letters", {}),
        "as_of": report.cycle.period_end,
    }


def render_report_pdf(report: SupervisionReport) -> bytes:
    from pingxiang_cf.pdf import render_pdf

    return render_pdf("pdf/report.html", report_context(report))


def _get_or_create(cycle, unit_id, figures) -> tuple[SupervisionReport, bool]:
    report = SupervisionReport.objects.filter(cycle=cycle, unit_id=unit_id).first()
    if report is not None:
        return report, False
    try:
        with transaction.atomic():
            report = SupervisionReport.objects.create(cycle=cycle, unit_id=unit_id, figures=figures)
    except IntegrityError:  # a retried or parallel batch made it first
        return SupervisionReport.objects.get(cycle=cycle, unit_id=unit_id), False
    audit.record(actor=None, action=AuditAction.CREATE, obj=report, reason=_("生成督导报告"))
    return report, True


@transaction.atomic
def supervision_report_generate(
    *, cycle: SupervisionCycle, unit_id: int, render: bool = True
) -> tuple[SupervisionReport, bool]:
    """The report of one unit for a semiannual cycle: created or brought up
    to date with the snapshot, its PDF rendered when `render`. Returns the
    report and whether anything was written; a report already current (same
    figures, PDF present) is left alone, so retries do no work twice."""
    if cycle.kind != CycleKind.SEMIANNUAL:
        raise ValidationError(_("督导报告只能由半年督导周期生成。"))
    figures = (cycle.snapshot or {}).get("reports", {}).get(str(unit_id))
    if figures is None:
        raise ValidationError(_("该单位不在本周期的督导范围内。"))
    report, created = _get_or_create(cycle, unit_id, figures)
    report = (
        SupervisionReport.objects.select_for_update()
        .select_related("unit", "cycle")
        .get(pk=report.pk)
    )
    current = report.figures == figures and (bool(report.pdf) or not render)
    if current and not created:
        return report, False
    old_pdf = report.pdf.name if report.pdf else ""
    report.figures = figures
    report.generated_at = timezone.now()
    if render:
        report.pdf.save(f"{report.code}.pdf", ContentFile(render_report_pdf(report)), save=False)
    report.save(update_fields=["figures", "generated_at", "pdf", "updated_at"])
    if old_pdf and old_pdf != report.pdf.name:
        storage = report.pdf.storage
        transaction.on_commit(lambda: storage.delete(old_pdf))
    return report, True


@transaction.atomic
def supervision_reports_prune(*, cycle: SupervisionCycle) -> int:
    """Remove reports of units the cycle's snapshot no longer covers."""
    keep = report_unit_ids(cycle)
    stale = SupervisionReport.objects.filter(cycle=cycle).exclude(unit_id__in=keep)
    count = 0
    for report in stale:
        audit.record(actor=None, action=AuditAction.DELETE, obj=report, reason=_("督导范围变化"))
        report.delete()
        count += 1
    return count


@cycle_handler(CycleKind.SEMIANNUAL)
def semiannual_reports_handler(*, cycle, actor):
    """Run with every semiannual cycle: drop reports of units no longer
    covered; the reports themselves are generated unit by unit (tasks)."""
    return supervision_reports_prune(cycle=cycle)

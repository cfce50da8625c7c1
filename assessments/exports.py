"""Score sheets: a PDF per unit (pingxiang_cf.pdf) and a summary workbook
(openpyxl: a sheet per comparable group, styled header, frozen panes,
numbers stored as numbers, text escaped against formula injection)."""

from __future__ import annotations

from io import BytesIO

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from assessments.choices import AssessmentGroup
from assessments.models import Deduction, LeaderReview, Score, UnitAssessment
from pingxiang_cf.pdf import render_pdf

FORMULA_PREFIXES = ("=", "+", "-", "@")


def safe_text(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def sheet_queryset():
    scores = Score.objects.select_related("indicator").prefetch_related(
        Prefetch("deductions", queryset=Deduction.objects.order_by("sort_order", "pk"))
    )
    return UnitAssessment.objects.select_related("unit", "scheme").prefetch_related(
        Prefetch("scores", queryset=scores.order_by("indicator__sort_order", "indicator__code")),
        Prefetch("leader_reviews", queryset=LeaderReview.objects.select_related("official")),
    )


def sheet_context(assessment: UnitAssessment) -> dict:
    return {"a": assessment, "scheme": assessment.scheme, "scores": list(assessment.scores.all())}


def sheet_filename(assessment: UnitAssessment) -> str:
    return f"{assessment.scheme.year}年度考核评分表-{assessment.unit.name}.pdf"


def render_sheet_pdf(assessment: UnitAssessment) -> bytes:
    return render_pdf("assessments/pdf/score_sheet.html", sheet_context(assessment))


HEADERS = (
    (_("排名"), 6),
    (_("单位"), 28),
    (_("指标得分"), 10),
    (_("加分"), 8),
    (_("扣分"), 8),
    (_("总分"), 10),
    (_("等次"), 8),
    (_("一票否决"), 10),
    (_("党风廉政建设责任制得分"), 14),
    (_("上年总分"), 10),
    (_("较上年"), 10),
    (_("状态"), 10),
)


def summary_xlsx(scheme) -> bytes:
    """One sheet per comparable group, ranked; numbers are numbers."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor="9E1B1B")
    thin = Side(style="thin", color="999999")
    rows = (
        UnitAssessment.objects.filter(scheme=scheme)
        .select_related("unit")
        .order_by("group", "rank", "unit__code")
    )
    by_group: dict[str, list] = {g: [] for g in AssessmentGroup.values}
    for a in rows:
        by_group.setdefault(a.group, []).append(a)
    for group, members in by_group.items():
        sheet = workbook.create_sheet(title=str(AssessmentGroup(group).label)[:31])
        sheet.append([str(label) for label, _width in HEADERS])
        for column, (_label, width) in enumerate(HEADERS, start=1):
            cell = sheet.cell(row=1, column=column)
            cell.font, cell.fill = header_font, header_fill
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cell.border = Border(bottom=thin)
            sheet.column_dimensions[get_column_letter(column)].width = width
        for a in members:
            sheet.append(
                [
                    a.rank,
                    safe_text(a.unit.name),
                    a.base_points,
                    a.bonus_points,
                    a.deduction_points,
                    a.total,
                    a.get_grade_display(),
                    _("是") if a.vetoed else "",
                    a.conduct_score,
                    a.previous_total,
                    a.change,
                    a.get_status_display(),
                ]
            )
        for row in sheet.iter_rows(min_row=2, min_col=3, max_col=11):
            for cell in row:
                if cell.column in (7, 8):
                    continue
                cell.number_format = "0.00"
        sheet.freeze_panes = "C2"
        sheet.auto_filter.ref = sheet.dimensions
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def summary_filename(scheme) -> str:
    return f"{scheme.year}年度惩防体系建设考核结果汇总表.xlsx"

"""The dashboard's tables as one XLSX workbook (openpyxl), a sheet per table.
Text cells starting with = + - @ are escaped (no formula injection)."""

from __future__ import annotations

from io import BytesIO

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_START = ("=", "+", "-", "@")


def safe(value):
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _figure_headers():
    return [
        _("项目数"),
        _("已完成"),
        _("完成率(%)"),
        _("已到期"),
        _("按期完成"),
        _("按期完成率(%)"),
        _("绿灯"),
        _("黄灯"),
        _("红灯"),
        _("平均进度(%)"),
    ]


def _figure_cells(f):
    return [
        f.total,
        f.done,
        float(f.completion_rate),
        f.due,
        f.on_time,
        float(f.on_time_rate),
        f.green,
        f.yellow,
        f.red,
        float(f.mean_progress),
    ]


def _sheet(book, title, headers, rows):
    sheet = book.create_sheet(title=title[:31])
    sheet.append([safe(h) for h in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([safe(value) for value in row])
    sheet.freeze_panes = "A2"
    return sheet


def dashboard_workbook(data: dict) -> Workbook:
    book = Workbook()
    book.remove(book.active)
    node, totals, plan = data["node"], data["totals"], data["plan_tasks"]
    sup, out = data["supervision"], data["outcomes"]
    _sheet(
        book,
        _("总览"),
        [_("指标"), _("数值")],
        [
            (_("单位"), node.name),
            (_("年度"), data["filters"].year or _("全部年度")),
            (_("计划任务总数"), plan["total"]),
            (_("已完成计划任务"), plan["completed"]),
            (_("计划任务完成率(%)"), float(plan["completion_rate"])),
            (_("牵头项目数"), totals.total),
            (_("已完成项目"), totals.done),
            (_("项目完成率(%)"), float(totals.completion_rate)),
            (_("绿灯"), totals.green),
            (_("黄灯"), totals.yellow),
            (_("红灯"), totals.red),
            (_("发布通报"), sup["notices"]),
            (_("被通报单位"), sup["units_notified"]),
            (_("日常督查"), sup["routine"]),
            (_("集中督查"), sup["concentrated"]),
            (_("督办函"), sup["letters"]["issued"]),
            (_("发现问题"), sup["findings"]["total"]),
            (_("已整改销号"), sup["findings"]["rectified"]),
            (_("表彰单位"), out["commendations"]["units"]),
            (_("表彰县级领导干部"), out["commendations"]["leaders"]),
            (_("责任追究单位"), out["accountability"]["units"]),
            (_("责任追究县级领导干部"), out["accountability"]["leaders"]),
        ],
    )
    for title, key in (
        (_("按类别"), "categories"),
        (_("按层级"), "tiers"),
        (_("按工程"), "programs"),
        (_("按机制"), "mechanisms"),
        (_("按年度"), "years"),
        (_("按下级单位"), "children"),
    ):
        _sheet(
            book,
            title,
            [_("名称"), *_figure_headers()],
            [[row.label, *_figure_cells(row.figures)] for row in data[key]],
        )
    _sheet(
        book,
        _("按期完成排名"),
        [_("名次"), _("单位"), *_figure_headers()],
        [
            [index, row.label, *_figure_cells(row.figures)]
            for index, row in enumerate(data["ranking"], 1)
        ],
    )
    _sheet(
        book,
        _("月度趋势"),
        [_("月份"), _("报送台账"), _("核实台账"), _("完成项目")],
        [[r["month"], r["entries"], r["verified"], r["completed"]] for r in data["trend"]],
    )
    _sheet(
        book,
        _("台账热力图"),
        [_("单位"), *[_("%(month)d月") % {"month": m} for m in range(1, 13)]],
        [[row.label, *row.months] for row in data["heat"]],
    )
    _sheet(
        book,
        _("滞后项目"),
        [
            _("预警"),
            _("项目编号"),
            _("项目名称"),
            _("年度"),
            _("牵头单位"),
            _("责任人"),
            _("实际进度(%)"),
            _("计划进度(%)"),
            _("逾期天数"),
            _("预警原因"),
        ],
        [
            [
                str(fact.light_label),
                fact.project.number,
                fact.project.name,
                fact.year,
                fact.lead_unit.name,
                getattr(fact.project.responsible_official, "name", ""),
                fact.progress,
                fact.planned_progress,
                fact.overdue_days,
                fact.light_reason,
            ]
            for fact in data["lagging"]
        ],
    )
    return book


def dashboard_xlsx_response(data: dict) -> HttpResponse:
    buffer = BytesIO()
    dashboard_workbook(data).save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    name = f"dashboard-{data['node'].pk}-{data['filters'].year or 'all'}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response

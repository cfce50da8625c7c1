"""CSV exports of the accountability lists: declared columns (Chinese
header, value function), streamed row by row, with cells that a spreadsheet
would run as a formula (leading = + - @, tab, CR) escaped by a quote."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 500


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[object], object]


def escape_cell(value) -> str:
    if value is None:
        return ""
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


class _Echo:
    def write(self, value):
        return value


def _date(value):
    return value.isoformat() if value else ""


def csv_rows(columns: Iterable[Column], rows: Iterable) -> Iterable[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # BOM: spreadsheet programs then read the file as UTF-8
    yield writer.writerow([str(c.header) for c in columns])
    for row in rows:
        yield writer.writerow([escape_cell(c.value(row)) for c in columns])


def csv_response(columns, queryset, basename: str) -> StreamingHttpResponse:
    rows = queryset.iterator(chunk_size=CHUNK) if hasattr(queryset, "iterator") else queryset
    response = StreamingHttpResponse(
        csv_rows(columns, rows), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{basename}-{stamp}.csv"'
    return response


def _subject(row):
    return row.unit.name if row.unit_id else f"{row.official.name}({row.official.unit.name})"


LETTER_COLUMNS = (
    Column(_("年度"), lambda r: r.year),
    Column(_("标题"), lambda r: r.title),
    Column(_("签订层级"), lambda r: r.get_level_display()),
    Column(_("甲方单位"), lambda r: r.issuer_unit.name),
    Column(_("乙方单位"), lambda r: r.recipient_unit.name),
    Column(_("乙方科室"), lambda r: r.recipient_section.name if r.recipient_section_id else ""),
    Column(_("状态"), lambda r: r.get_status_display()),
    Column(_("签订日期"), lambda r: _date(r.signed_on)),
)
GROUP_COLUMNS = (
    Column(_("名称"), lambda r: r.name),
    Column(_("所属单位"), lambda r: r.unit.name),
    Column(_("办公室"), lambda r: r.office_name),
    Column(_("成立文号"), lambda r: r.document_number),
    Column(_("成立日期"), lambda r: _date(r.established_on)),
    Column(_("撤销日期"), lambda r: _date(r.dissolved_on)),
    Column(_("在任成员数"), lambda r: r.current_members),
)
REVIEW_COLUMNS = (
    Column(_("年度"), lambda r: r.year),
    Column(_("单位"), lambda r: r.unit.name),
    Column(_("状态"), lambda r: r.get_status_display()),
    Column(_("提交日期"), lambda r: _date(r.submitted_on)),
    Column(_("审定日期"), lambda r: _date(r.approved_on)),
)
RISK_POST_COLUMNS = (
    Column(_("年度"), lambda r: r.year),
    Column(_("单位"), lambda r: r.unit.name),
    Column(_("岗位"), lambda r: r.name),
    Column(_("科室"), lambda r: r.section.name if r.section_id else ""),
    Column(_("监管层级"), lambda r: r.get_oversight_tier_display()),
    Column(_("风险点数"), lambda r: r.point_count),
    Column(_("高风险点数"), lambda r: r.high_count),
)
COMMENDATION_COLUMNS = (
    Column(_("年度"), lambda r: r.year),
    Column(_("对象"), _subject),
    Column(_("表彰名称"), lambda r: r.title),
    Column(_("来源"), lambda r: r.get_source_display()),
    Column(_("状态"), lambda r: r.get_status_display()),
    Column(_("决定文号"), lambda r: r.document_number),
    Column(_("决定日期"), lambda r: _date(r.decided_on)),
)
CASE_COLUMNS = (
    Column(_("年度"), lambda r: r.year),
    Column(_("对象"), _subject),
    Column(_("追究事由"), lambda r: r.reason),
    Column(_("处理方式"), lambda r: r.get_measure_display()),
    Column(_("来源"), lambda r: r.get_source_display()),
    Column(_("状态"), lambda r: r.get_status_display()),
    Column(_("决定文号"), lambda r: r.document_number),
    Column(_("决定日期"), lambda r: _date(r.decided_on)),
)
OFFICIAL_COLUMNS = (
    Column(_("姓名"), lambda r: r.name),
    Column(_("单位"), lambda r: r.unit.name),
    Column(_("科室"), lambda r: r.section.name if r.section_id else ""),
    Column(_("职务"), lambda r: r.post),
    Column(_("职级"), lambda r: r.get_rank_display()),
    Column(_("联系电话"), lambda r: r.phone_shown),
)

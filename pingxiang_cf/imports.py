"""The import engine: an XLSX in, checked row by row, written all or nothing.

An import is a declaration (an app's `imports.py`, see projects/imports.py):
its columns (Chinese header, required or not, an example for the template),
`check(rows, user)` that turns raw rows into what to write and reports every
problem with its row and column, and `apply(checked, user)` that writes
through the app's services. The engine:

1. checks the upload before parsing anything: size (IMPORT_MAX_BYTES), type
   by content (an XLSX is a ZIP with `[Content_Types].xml` and
   `xl/workbook.xml`; the file name and the browser's type are not trusted),
   zip bomb (the sum of the declared unpacked sizes, IMPORT_MAX_UNPACKED_BYTES,
   and the compression ratio), and the number of parts;
2. parses with openpyxl read-only, whose XML parser is defusedxml's (no
   entity expansion, no external entities) — refused if defusedxml is absent;
3. maps the header row by its Chinese names, skips empty rows, refuses more
   than IMPORT_MAX_ROWS;
4. preview: every row checked, nothing written;
5. import: the same checks again inside one transaction, then the writes;
   any error (a check, or a service refusing a row) rolls everything back
   and the report lists row, column and message in Chinese;
6. writes an audit row for every import (done or refused);
7. the uploaded file lives in a temporary file that is removed after use,
   whatever happens (`Upload` is a context manager; stale ones left by an
   abandoned preview are purged after an hour).
"""

from __future__ import annotations

import contextlib
import datetime
import decimal
import difflib
import os
import re
import secrets
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pingxiang_cf.exports import audit_exchange
from pingxiang_cf.models import AuditAction

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UPLOAD_DIR_NAME = "pxcf-imports"
UPLOAD_MAX_AGE_SECONDS = 3600
MAX_ZIP_PARTS = 2000
MAX_COMPRESSION_RATIO = 200
SEPARATORS = re.compile(r"[、,,;;/\n]+")


class UploadRejected(Exception):
    """The file was refused before it was parsed (message in Chinese)."""


# --- Report -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    row: int  # the spreadsheet's row number (the header is row 1)
    column: str  # the column's Chinese header, or "" for the whole row
    message: str


@dataclass
class Report:
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    written: int = 0
    checked: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def add(self, row: int, column: str, message: str) -> None:
        self.errors.append(RowError(row, str(column), str(message)))

    def sorted_errors(self) -> list[RowError]:
        return sorted(self.errors, key=lambda e: (e.row, e.column))


class ImportFailed(Exception):
    def __init__(self, report: Report):
        super().__init__(_("导入失败,未写入任何数据。"))
        self.report = report


# --- Declarations -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportColumn:
    key: str
    header: str
    required: bool = True
    example: object = ""
    help: str = ""
    width: int = 16


@dataclass(frozen=True)
class Row:
    number: int
    values: dict


@dataclass
class ImportSpec:
    name: str
    title: str
    columns: tuple[ImportColumn, ...]
    check: Callable  # (rows: list[Row], user, report: Report, options: dict) -> list
    apply: Callable  # (checked: list, user, report: Report, options: dict) -> int
    may_import: Callable  # (user) -> bool
    model: type | None = None
    options_form: type | None = None  # a Django form for choices such as the plan

    def header(self, key: str) -> str:
        return next(str(c.header) for c in self.columns if c.key == key)


_REGISTRY: dict[str, ImportSpec] = {}
_discovered = False


def register(spec: ImportSpec) -> ImportSpec:
    _REGISTRY[spec.name] = spec
    return spec


def get_spec(name: str) -> ImportSpec | None:
    global _discovered
    if not _discovered:
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("imports")
        _discovered = True
    return _REGISTRY.get(name)


def names() -> list[str]:
    """The registered imports' names (what `/imports/<name>/` accepts)."""
    get_spec("")
    return sorted(_REGISTRY)


# --- Cell readers (for the specs' checks) -----------------------------------------------------


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


DATE_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
)


def cell_date(value) -> datetime.date:
    """A date cell or a date written as text; ValueError with a Chinese message."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = cell_text(value)
    for pattern in DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return datetime.date(*(int(g) for g in match.groups()))
            except ValueError:
                break
    raise ValueError(_("日期“%(value)s”无效,请写成 2011-12-31 的形式。") % {"value": text})


def cell_int(value, *, minimum=None, maximum=None) -> int:
    text = cell_text(value)
    try:
        number = int(decimal.Decimal(text))
        if decimal.Decimal(text) != number:
            raise ValueError
    except (decimal.InvalidOperation, ValueError) as exc:
        raise ValueError(_("“%(value)s”不是整数。") % {"value": text}) from exc
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        raise ValueError(
            _("数值%(value)s超出范围(%(min)s–%(max)s)。")
            % {"value": number, "min": minimum, "max": maximum}
        )
    return number


def cell_decimal(value) -> decimal.Decimal:
    text = cell_text(value)
    try:
        number = decimal.Decimal(text)
    except decimal.InvalidOperation as exc:
        raise ValueError(_("“%(value)s”不是数字。") % {"value": text}) from exc
    if not number.is_finite():
        raise ValueError(_("“%(value)s”不是数字。") % {"value": text})
    return number


def split_names(value) -> list[str]:
    return [part.strip() for part in SEPARATORS.split(cell_text(value)) if part.strip()]


def suggest(name: str, choices: Iterable[str]) -> str:
    """ ", 您是否要找:A、B" for the closest names (difflib), or ""."""
    close = difflib.get_close_matches(name, list(choices), n=3, cutoff=0.4)
    return _("您是否要找:%(names)s") % {"names": "、".join(close)} if close else ""


def unknown(kind: str, name: str, choices: Iterable[str]) -> str:
    message = _("未找到%(kind)s“%(name)s”。") % {"kind": kind, "name": name}
    hint = suggest(name, choices)
    return f"{message}{hint}" if hint else message


# --- Uploads ----------------------------------------------------------------------------------


def upload_dir() -> str:
    path = os.path.join(tempfile.gettempdir(), UPLOAD_DIR_NAME)
    os.makedirs(path, mode=0o700, exist_ok=True)
    return path


def purge_stale_uploads(now: float | None = None) -> int:
    """Remove uploads older than an hour (a preview nobody confirmed)."""
    now = now or time.time()
    removed = 0
    for name in os.listdir(upload_dir()):
        path = os.path.join(upload_dir(), name)
        try:
            if now - os.path.getmtime(path) > UPLOAD_MAX_AGE_SECONDS:
                os.unlink(path)
                removed += 1
        except FileNotFoundError:
            pass
    return removed


def check_xlsx(path: str) -> None:
    """Refuse anything that is not a plain, reasonably sized XLSX."""
    size = os.path.getsize(path)
    if size > settings.IMPORT_MAX_BYTES:
        raise UploadRejected(
            _("文件过大(%(size).1f MB),上限为 %(max).1f MB。")
            % {"size": size / 1048576, "max": settings.IMPORT_MAX_BYTES / 1048576}
        )
    with open(path, "rb") as handle:
        head = handle.read(4)
    if head != b"PK\x03\x04" or not zipfile.is_zipfile(path):
        raise UploadRejected(_("文件不是 Excel(.xlsx)文件。请使用下载的模板填写。"))
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
            names = {part.filename for part in parts}
            if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
                raise UploadRejected(_("文件不是 Excel(.xlsx)文件。请使用下载的模板填写。"))
            if len(parts) > MAX_ZIP_PARTS:
                raise UploadRejected(_("文件结构异常(部件过多),已拒绝。"))
            unpacked = sum(part.file_size for part in parts)
            packed = sum(part.compress_size for part in parts) or 1
            if (
                unpacked > settings.IMPORT_MAX_UNPACKED_BYTES
                or unpacked / packed > MAX_COMPRESSION_RATIO
            ):
                raise UploadRejected(_("文件解压后过大(疑似压缩炸弹),已拒绝。"))
            if any(part.flag_bits & 0x1 for part in parts):
                raise UploadRejected(_("文件已加密,请另存为未加密的 .xlsx 后再上传。"))
    except zipfile.BadZipFile as exc:
        raise UploadRejected(_("文件已损坏,无法读取。")) from exc


class Upload:
    """An uploaded file kept in a private temporary file under a random token;
    removed on `discard()` or when leaving the `with` block."""

    def __init__(self, token: str):
        if not re.fullmatch(r"[A-Za-z0-9_-]{20,64}", token or ""):
            raise UploadRejected(_("上传的文件已失效,请重新上传。"))
        self.token = token
        self.path = os.path.join(upload_dir(), f"{token}.xlsx")

    @classmethod
    def save(cls, uploaded) -> Upload:
        """Store a Django UploadedFile, checked before anything parses it."""
        purge_stale_uploads()
        if uploaded.size > settings.IMPORT_MAX_BYTES:
            raise UploadRejected(
                _("文件过大(%(size).1f MB),上限为 %(max).1f MB。")
                % {"size": uploaded.size / 1048576, "max": settings.IMPORT_MAX_BYTES / 1048576}
            )
        upload = cls(secrets.token_urlsafe(24))
        with open(os.open(upload.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
            for chunk in uploaded.chunks():
                out.write(chunk)
        try:
            check_xlsx(upload.path)
        except BaseException:
            upload.discard()
            raise
        return upload

    def exists(self) -> bool:
        return os.path.exists(self.path)

    def discard(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.discard()


def scan_xml(path: str) -> None:
    """Parse every XML part once with defusedxml, refusing any DTD, entity
    or external reference, before openpyxl (itself on defusedxml) reads it."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import iterparse

    with zipfile.ZipFile(path) as archive:
        for part in archive.infolist():
            if not part.filename.endswith((".xml", ".rels")):
                continue
            try:
                with archive.open(part) as stream:
                    for _event, element in iterparse(stream, forbid_dtd=True):
                        element.clear()
            except (DefusedXmlException, SyntaxError) as exc:
                raise UploadRejected(_("文件已损坏或格式不正确,无法读取。")) from exc


# --- Parsing ----------------------------------------------------------------------------------


def read_rows(spec: ImportSpec, path: str, report: Report) -> list[Row]:
    """The data rows of the first sheet, by header; header problems go to the report."""
    import openpyxl

    if not openpyxl.DEFUSEDXML:
        raise UploadRejected(_("服务器未安装 defusedxml,拒绝解析上传的文件。"))
    check_xlsx(path)
    scan_xml(path)
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a broken file
        raise UploadRejected(_("文件已损坏或格式不正确,无法读取。")) from exc
    try:
        sheet = workbook.worksheets[0]
        iterator = sheet.iter_rows(values_only=True)
        header = next(iterator, None) or ()
        positions = {}
        for index, value in enumerate(header):
            name = cell_text(value)
            if name:
                positions.setdefault(name, index)
        keys = {}
        for column in spec.columns:
            title = str(column.header)
            if title in positions:
                keys[column.key] = positions[title]
            elif column.required:
                report.add(1, title, _("缺少必填列“%(name)s”。") % {"name": title})
        rows = []
        for number, values in enumerate(iterator, start=2):
            if values is None or all(cell_text(v) == "" for v in values):
                continue
            if len(rows) >= settings.IMPORT_MAX_ROWS:
                raise UploadRejected(
                    _("数据超过 %(max)d 行,请分批导入。") % {"max": settings.IMPORT_MAX_ROWS}
                )
            rows.append(
                Row(
                    number,
                    {key: (values[i] if i < len(values) else None) for key, i in keys.items()},
                )
            )
        return rows
    finally:
        workbook.close()


def required(row: Row, spec: ImportSpec, report: Report, *keys: str) -> bool:
    """Report each empty required cell of `keys`; True if all are filled."""
    ok = True
    for key in keys:
        if cell_text(row.values.get(key)) == "":
            report.add(row.number, spec.header(key), _("必填项为空。"))
            ok = False
    return ok


# --- Preview and import -----------------------------------------------------------------------


def _ensure_allowed(spec: ImportSpec, user) -> None:
    if not spec.may_import(user):
        raise PermissionDenied(_("您没有权限导入%(title)s。") % {"title": spec.title})


def preview(spec: ImportSpec, path: str, user, options: dict | None = None) -> Report:
    """Every row checked; nothing written."""
    _ensure_allowed(spec, user)
    report = Report()
    rows = read_rows(spec, path, report)
    report.rows = len(rows)
    if report.ok:
        report.checked = spec.check(rows, user, report, options or {})
    if not rows and report.ok:
        report.add(2, "", _("文件中没有数据行。"))
    return report


def run_import(spec: ImportSpec, path: str, user, options: dict | None = None) -> Report:
    """Check again and write everything in one transaction, or nothing:
    raises ImportFailed with the report if any row is refused."""
    options = options or {}
    try:
        with transaction.atomic():
            report = preview(spec, path, user, options)
            if report.ok:
                report.written = spec.apply(report.checked, user, report, options)
            if not report.ok:
                raise ImportFailed(report)
            _audit(spec, user, report, options, done=True)
    except ImportFailed as failed:
        _audit(spec, user, failed.report, options, done=False)
        raise
    return report


def _audit(spec: ImportSpec, user, report: Report, options: dict, *, done: bool) -> None:
    audit_exchange(
        actor=user,
        action=AuditAction.IMPORT,
        model=spec.model,
        summary=(_("导入%(title)s:%(n)d 行") if done else _("导入%(title)s被拒绝:%(n)d 处错误"))
        % {"title": spec.title, "n": report.written if done else len(report.errors)},
        details={
            "import": spec.name,
            "done": done,
            "rows": report.rows,
            "written": report.written if done else 0,
            "errors": len(report.errors),
            "options": {k: str(v) for k, v in options.items()},
        },
    )


def service_errors(report: Report, row: Row, spec: ImportSpec, exc: ValidationError, fields):
    """A service's ValidationError on one row, mapped to the row's columns
    (`fields`: model field → column key)."""
    if hasattr(exc, "error_dict"):
        for name, messages in exc.message_dict.items():
            key = fields.get(name)
            column = spec.header(key) if key else ""
            for message in messages:
                report.add(row.number, column, message)
    else:
        for message in exc.messages:
            report.add(row.number, "", message)


# --- Templates --------------------------------------------------------------------------------


def template_bytes(spec: ImportSpec) -> bytes:
    """The XLSX template: the header row only (required columns highlighted)
    and a second sheet explaining each column with an example. No example
    row on the data sheet, so an unchanged template imports nothing."""
    import io

    import openpyxl
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = str(spec.title)[:31]
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="FFF2CC")
    for index, column in enumerate(spec.columns, start=1):
        cell = sheet.cell(row=1, column=index, value=str(column.header))
        cell.font = bold
        if column.required:
            cell.fill = fill
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    notes = workbook.create_sheet(_("填写说明"))
    notes.append([_("列名"), _("是否必填"), _("示例"), _("说明")])
    for cell in notes[1]:
        cell.font = bold
    for column in spec.columns:
        notes.append(
            [
                str(column.header),
                _("必填") if column.required else _("选填"),
                column.example,
                str(column.help),
            ]
        )
    notes.append([])
    notes.append([_("数据从第一个工作表的第 2 行起填写;黄色列为必填。")])
    for letter, width in zip("ABCD", (16, 10, 24, 60), strict=True):
        notes.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

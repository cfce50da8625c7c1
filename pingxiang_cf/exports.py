"""The export engine. An export is a declaration (an app's `exports.py`):

    register(ExportSpec(
        name="projects", title=_("重点工作项目"), model=Project,
        filterset_class=ProjectFilterSet,
        columns=(
            text("number", _("项目编号")),
            integer("year", _("年度")),
            choice("category", _("项目类别"), ProjectCategory),
            date("start_date", _("开始日期")),
        ),
    ))

and one engine runs every export:
- rows come from the list's own FilterSet over `restrict(user, "view")`, so an
  export holds exactly what the list shows with the same parameters, and
  never a row outside the user's scope;
- they are read with `.values_list(...).iterator()` in chunks (memory does not
  grow with rows) and written typed: numbers as numbers, dates as dates;
- text that a spreadsheet would run as a formula (leading = + - @, tab or
  CR) is prefixed with an apostrophe;
- CSV streams at once (UTF-8 with a BOM so Excel reads Chinese), XLSX is
  written with openpyxl's write-only mode to a temporary file that is
  removed as soon as it is sent;
- more than EXPORT_SYNC_MAX_ROWS rows become a background job (jobs.py) with a
  progress bar and a download link kept JOB_FILE_RETENTION_HOURS;
- every export writes an audit row (who, what, which filters, which format).

URLs: `/exports/<name>/?format=csv|xlsx&<list filters>` for the pages and
`/api/v1/<resource>/export/?format=csv|xlsx&<filters>` for the API."""

from __future__ import annotations

import contextlib
import csv
import datetime
import decimal
import io
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _

from pingxiang_cf.models import AuditAction, AuditLog

CSV = "csv"
XLSX = "xlsx"
FORMATS = (CSV, XLSX)
CONTENT_TYPES = {
    CSV: "text/csv; charset=utf-8",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
CHUNK_ROWS = 2000
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(text: str) -> str:
    """Text a spreadsheet would evaluate, made inert with a leading apostrophe."""
    return "'" + text if text.startswith(FORMULA_LEADS) else text


# --- Columns ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str  # a `.values()` path, or an annotation the spec's `prepare` adds
    header: str
    kind: str = "text"  # text | int | decimal | date | datetime
    formatter: Callable | None = None  # raw value → value of the kind
    width: int = 14


def text(key, header, formatter=None, width=20) -> Column:
    return Column(key, header, "text", formatter, width)


def integer(key, header, width=10) -> Column:
    return Column(key, header, "int", None, width)


def number(key, header, width=12) -> Column:
    return Column(key, header, "decimal", None, width)


def date(key, header, width=12) -> Column:
    return Column(key, header, "date", None, width)


def datetime_(key, header, width=18) -> Column:
    return Column(key, header, "datetime", None, width)


def choice(key, header, choices, width=12) -> Column:
    labels = {value: str(label) for value, label in choices.choices}
    return Column(key, header, "text", lambda v: labels.get(v, v), width)


# --- Specs and their registry -----------------------------------------------------------------


@dataclass
class ExportSpec:
    name: str
    title: str
    model: type[models.Model]
    columns: tuple[Column, ...]
    filterset_class: type | None = None
    # The user's rows before filtering; default `model.objects.restrict(user)`.
    base_queryset: Callable | None = None
    # Annotations the columns need (applied after filtering).
    prepare: Callable | None = None
    extra: dict = field(default_factory=dict)

    def queryset(self, user, params) -> models.QuerySet:
        base = (
            self.base_queryset(user)
            if self.base_queryset
            else self.model._default_manager.restrict(user)
        )
        if self.filterset_class is not None:
            request = SimpleNamespace(user=user, GET=params, query_params=params)
            filterset = self.filterset_class(params, queryset=base, request=request)
            if not filterset.is_valid():
                raise ValidationError(
                    {name: [str(e) for e in errors] for name, errors in filterset.errors.items()}
                )
            base = filterset.qs
        return self.prepare(base) if self.prepare else base

    def filename(self, fmt: str) -> str:
        return f"{self.title}-{timezone.localdate():%Y%m%d}.{fmt}"


_REGISTRY: dict[str, ExportSpec] = {}
_discovered = False


def register(spec: ExportSpec) -> ExportSpec:
    _REGISTRY[spec.name] = spec
    return spec


def get_spec(name: str) -> ExportSpec | None:
    global _discovered
    if not _discovered:
        autodiscover_modules("exports")
        _discovered = True
    return _REGISTRY.get(name)


# --- Rows -------------------------------------------------------------------------------------


def _localise(value: datetime.datetime, tz) -> datetime.datetime:
    """Local wall-clock time without a zone (spreadsheets have none)."""
    if value.tzinfo is not None:
        value = value.astimezone(tz)
    return value.replace(tzinfo=None, microsecond=0)


def _converter(column: Column, fmt: str, tz) -> Callable | None:
    """A per-cell function, or None when the stored value goes out as it is
    (csv.writer writes None as an empty cell and dates as ISO text itself)."""
    custom = column.formatter
    if column.kind == "text":

        def convert(v):
            if custom is not None and v is not None:
                v = custom(v)
            if v.__class__ is not str:
                if v is None:
                    return None
                v = str(v)
            return "'" + v if v.startswith(FORMULA_LEADS) else v

        return convert
    if column.kind == "datetime":
        if fmt == CSV:
            return lambda v: None if v is None else _localise(v, tz).isoformat(sep=" ")
        return lambda v: None if v is None else _localise(v, tz)
    if column.kind == "decimal":
        if fmt == CSV:
            return lambda v: None if v is None else format(v, "f")
        return lambda v: None if v is None else (float(v) if isinstance(v, decimal.Decimal) else v)
    return None  # int, date


def rows(spec: ExportSpec, queryset, fmt: str) -> Iterator[list]:
    """The export's rows, converted for `fmt`, read in chunks."""
    keys = [c.key for c in spec.columns]
    tz = timezone.get_current_timezone()  # once: the lookup is slow per value
    pairs = [
        (i, f) for i, f in enumerate(_converter(c, fmt, tz) for c in spec.columns) if f is not None
    ]
    for raw in queryset.values_list(*keys).iterator(chunk_size=CHUNK_ROWS):
        out = list(raw)
        for i, f in pairs:
            out[i] = f(out[i])
        yield out


def headers(spec: ExportSpec) -> list[str]:
    return [str(c.header) for c in spec.columns]


# --- Writers ----------------------------------------------------------------------------------


def csv_chunks(spec: ExportSpec, queryset, progress: Callable | None = None) -> Iterator[bytes]:
    """UTF-8 CSV with a BOM, yielded in chunks of CHUNK_ROWS rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers(spec))
    yield "\ufeff".encode() + buffer.getvalue().encode()
    buffer.seek(0)
    buffer.truncate()
    count = 0
    for row in rows(spec, queryset, CSV):
        writer.writerow(row)
        count += 1
        if count % CHUNK_ROWS == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
            if progress:
                progress(count)
    if buffer.tell():
        yield buffer.getvalue().encode()
    if progress:
        progress(count)


def write_xlsx(spec: ExportSpec, queryset, path: str, progress: Callable | None = None) -> int:
    """Write an XLSX file (one sheet, typed cells) to `path`; returns the row count."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(spec.title)[:31])
    for index, column in enumerate(spec.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    sheet.append(headers(spec))
    count = 0
    for row in rows(spec, queryset, XLSX):
        sheet.append(row)
        count += 1
        if progress and count % CHUNK_ROWS == 0:
            progress(count)
    workbook.save(path)
    if progress:
        progress(count)
    return count


def write_file(spec: ExportSpec, queryset, fmt: str, progress=None) -> str:
    """Write the export to a new temporary file and return its path; the
    caller removes it (the file is removed here if writing fails)."""
    handle, path = tempfile.mkstemp(prefix="pxcf-export-", suffix=f".{fmt}")
    os.close(handle)
    try:
        if fmt == CSV:
            with open(path, "wb") as out:
                for chunk in csv_chunks(spec, queryset, progress):
                    out.write(chunk)
        else:
            write_xlsx(spec, queryset, path, progress)
    except BaseException:
        os.unlink(path)
        raise
    return path


class _RemovedOnClose(io.FileIO):
    """A file that removes itself when closed (after the response is sent)."""

    def close(self):
        name = self.name
        super().close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(name)


def open_and_unlink(path: str):
    return _RemovedOnClose(path, "rb")


# --- Audit ------------------------------------------------------------------------------------


def audit_exchange(
    *, actor, action: str, model: type[models.Model], summary: str, details: dict
) -> AuditLog:
    """One audit row for an export or import (not tied to a single row)."""
    return AuditLog.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        actor_name=getattr(actor, "username", "") or "",
        action=action,
        content_type=ContentType.objects.get_for_model(model),
        object_id="*",
        object_repr=summary[:255],
        after=details,
        changed_fields=[],
    )


def clean_params(params) -> dict[str, list[str]]:
    """The filter parameters of a request (without paging/format), JSON-safe."""
    skip = {"format", "page", "page_size", "cursor", "csrfmiddlewaretoken"}
    return {k: params.getlist(k) for k in params if k not in skip}


def audit_export(*, actor, spec: ExportSpec, fmt: str, params: dict, mode: str) -> None:
    audit_exchange(
        actor=actor,
        action=AuditAction.EXPORT,
        model=spec.model,
        summary=_("导出%(title)s(%(fmt)s)") % {"title": spec.title, "fmt": fmt.upper()},
        details={"export": spec.name, "format": fmt, "filters": params, "mode": mode},
    )


def is_large(queryset) -> bool:
    """More than EXPORT_SYNC_MAX_ROWS rows? (reads one row past the limit, no COUNT)."""
    limit = settings.EXPORT_SYNC_MAX_ROWS
    return queryset.order_by().values("pk")[limit : limit + 1].exists()


def as_querydict(params: dict[str, Iterable[str]]):
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    for key, values in params.items():
        query.setlist(key, list(values))
    return query


# --- Running an export: at once, or as a background job ---------------------------------------


def stream_response(spec: ExportSpec, queryset, fmt: str):
    """The whole export as a download, written while it is sent."""
    from django.http import FileResponse, StreamingHttpResponse
    from django.utils.http import content_disposition_header

    filename = spec.filename(fmt)
    if fmt == CSV:
        response = StreamingHttpResponse(
            csv_chunks(spec, queryset), content_type=CONTENT_TYPES[CSV]
        )
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response
    path = write_file(spec, queryset, fmt)
    return FileResponse(
        open_and_unlink(path),
        as_attachment=True,
        filename=filename,
        content_type=CONTENT_TYPES[XLSX],
    )


def start_job(*, spec: ExportSpec, fmt: str, user, params: dict):
    """Create the job row and queue the export after commit; returns the job."""
    from pingxiang_cf.jobs import job_create, job_enqueue
    from pingxiang_cf.tasks import export_task

    job = job_create(
        kind="export",
        title=_("导出%(title)s(%(fmt)s)") % {"title": spec.title, "fmt": fmt.upper()},
        user=user,
    )
    job_enqueue(job, export_task, spec.name, user.pk, params, fmt)
    return job


def run_job(job_id: int, name: str, user_id: int, params: dict, fmt: str) -> None:
    """The background export: the same rows as the list (as the user), with
    progress, attached to the job and kept JOB_FILE_RETENTION_HOURS. The
    temporary file is removed whatever happens."""
    from django.contrib.auth import get_user_model
    from django.core.files import File

    from pingxiang_cf.jobs import (
        file_retention,
        job_finish,
        job_running,
        job_set_done,
        job_set_total,
    )
    from pingxiang_cf.models import Job

    with job_running(job_id):
        spec = get_spec(name)
        user = get_user_model().objects.get(pk=user_id)
        queryset = spec.queryset(user, as_querydict(params))
        job_set_total(job_id, queryset.order_by().count())
        path = write_file(spec, queryset, fmt, progress=lambda n: job_set_done(job_id, n))
        try:
            job = Job.objects.get(pk=job_id)
            if job.file:
                job.file.delete(save=False)
            filename = spec.filename(fmt)
            with open(path, "rb") as handle:
                job.file.save(filename, File(handle), save=False)
            job.filename = filename
            job.expires_at = timezone.now() + file_retention()
            job.save(update_fields=["file", "filename", "expires_at"])
        finally:
            os.unlink(path)
        job_finish(job_id, message=_("导出完成"))

"""Exports: each format read back, typed cells, formula escaping, the list's
filters and the user's scope, large exports as a job, temp files removed,
an audit row each time."""

import csv
import datetime
import glob
import io
import os
import tempfile

import openpyxl
import pytest

from pingxiang_cf import exports
from pingxiang_cf.models import AuditAction, AuditLog, Job, JobStatus
from projects.exports import PROJECTS
from tests import factories as f
from tests.api.mixins import client_for

pytestmark = pytest.mark.django_db


def _body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def _csv(response) -> list[list[str]]:
    data = _body(response)
    assert data.startswith(b"\xef\xbb\xbf")  # BOM for Excel
    return list(csv.reader(io.StringIO(data[3:].decode("utf-8"))))


def _xlsx(response):
    return openpyxl.load_workbook(io.BytesIO(_body(response))).active


@pytest.fixture
def projects(tree):
    a = f.ProjectFactory(lead_unit=tree["county_a"], number="A-1", name='=HYPERLINK("x")')
    b = f.ProjectFactory(lead_unit=tree["county_b"], number="B-1", name="乙县项目")
    c = f.ProjectFactory(lead_unit=tree["county_a"], number="A-2", name="@SUM(1)", year=2023)
    return a, b, c


def test_csv_export_reads_back_with_chinese_headers_and_escaped_formulas(
    client, tree, editor_a, projects
):
    client.force_login(editor_a)
    response = client.get("/exports/projects/?format=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    table = _csv(response)
    assert table[0][:3] == ["项目编号", "年度", "项目名称"]
    by_number = {row[0]: row for row in table[1:]}
    assert set(by_number) == {"A-1", "A-2"}  # nothing of county_b
    assert by_number["A-1"][2] == '\'=HYPERLINK("x")'
    assert by_number["A-2"][2] == "'@SUM(1)"
    assert by_number["A-1"][8] == "2024-01-01"


def test_xlsx_export_has_typed_cells_and_inert_text(client, tree, editor_a, projects):
    client.force_login(editor_a)
    response = client.get("/exports/projects/?format=xlsx&year=2024")
    assert response.status_code == 200
    sheet = _xlsx(response)
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "项目编号"
    assert [r[0] for r in rows[1:]] == ["A-1"]  # the list's filter applied
    row = next(sheet.iter_rows(min_row=2, max_row=2))
    assert row[1].value == 2024 and row[1].data_type == "n"
    assert row[2].value == '\'=HYPERLINK("x")' and row[2].data_type == "s"
    assert row[8].value == datetime.datetime(2024, 1, 1) and row[8].is_date


def test_api_export_uses_the_same_filters_and_scope(tree, editor_a, projects):
    client = client_for(editor_a)
    response = client.get("/api/v1/projects/export/?format=csv&q=SUM")
    assert response.status_code == 200
    assert [row[0] for row in _csv(response)[1:]] == ["A-2"]
    xlsx = client.get("/api/v1/ledger-entries/export/?format=xlsx")
    assert xlsx.status_code == 200
    assert _xlsx(xlsx).cell(1, 1).value == "项目编号"
    bad = client.get("/api/v1/projects/export/?format=pdf")
    assert bad.status_code == 400 and bad["Content-Type"] == "application/json"


def test_anonymous_cannot_export(client, tree, projects):
    assert client.get("/exports/projects/?format=csv").status_code == 302
    assert client_for().get("/api/v1/projects/export/?format=csv").status_code == 401


def test_every_export_is_audited(client, tree, editor_a, projects):
    client.force_login(editor_a)
    _body(client.get("/exports/projects/?format=csv&year=2024"))
    row = AuditLog.objects.get(action=AuditAction.EXPORT)
    assert row.actor == editor_a
    assert row.after["filters"] == {"year": ["2024"]} and row.after["format"] == "csv"


def test_large_export_becomes_a_job_with_a_download(
    client, tree, commission, projects, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_SYNC_MAX_ROWS = 2
    client.force_login(commission)
    before = set(glob.glob(os.path.join(tempfile.gettempdir(), "pxcf-export-*")))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get("/exports/projects/?format=xlsx")
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.code}/"
    assert job.status == JobStatus.DONE and job.total == 3 and job.done == 3
    assert job.expires_at is not None and job.filename.endswith(".xlsx")
    download = client.get(f"/jobs/{job.code}/download/")
    assert len(list(_xlsx(download).iter_rows())) == 4
    after = set(glob.glob(os.path.join(tempfile.gettempdir(), "pxcf-export-*")))
    assert after == before  # the temporary file is gone
    job.file.delete(save=False)


def test_api_large_export_answers_202_with_the_job(
    tree, commission, projects, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_SYNC_MAX_ROWS = 1
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(commission).get("/api/v1/projects/export/?format=csv")
    assert response.status_code == 202
    job = Job.objects.get(code=response.json()["job"])
    assert job.status == JobStatus.DONE
    job.file.delete(save=False)


def test_xlsx_temp_file_is_removed_after_sending(client, tree, editor_a, projects):
    client.force_login(editor_a)
    before = set(glob.glob(os.path.join(tempfile.gettempdir(), "pxcf-export-*")))
    response = client.get("/exports/projects/?format=xlsx")
    _body(response)
    response.close()
    after = set(glob.glob(os.path.join(tempfile.gettempdir(), "pxcf-export-*")))
    assert after == before


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+86 123", "'+86 123"),
        ("-2", "'-2"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("安全", "安全"),
        ("a=b", "a=b"),
    ],
)
def test_formula_escaping(text, expected):
    assert exports.escape_formula(text) == expected


def test_unknown_export_is_404(client, editor_a):
    client.force_login(editor_a)
    assert client.get("/exports/nope/?format=csv").status_code == 404


def test_project_list_page_links_its_exports_with_the_filters(client, tree, editor_a, projects):
    client.force_login(editor_a)
    html = client.get("/projects/?year=2024").content.decode()
    assert "/exports/projects/?format=xlsx&amp;year=2024" in html


def test_spec_rows_equal_the_list_rows(tree, commission, projects):
    rows = list(exports.rows(PROJECTS, PROJECTS.queryset(commission, {}), exports.CSV))
    assert sorted(r[0] for r in rows) == ["A-1", "A-2", "B-1"]

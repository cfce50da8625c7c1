"""Imports through the API (`/api/v1/imports/{kind}/`): the same engine and
permissions as the pages — a dry run reports every row without writing, a
commit writes everything or nothing, any error is a 400 with the report
(row, column, Chinese message), the file is checked before parsing and
never left behind."""

import datetime
import io
import os

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from pingxiang_cf import imports, tokens
from pingxiang_cf.models import AuditAction, AuditLog
from projects.imports import LEDGER_ENTRIES
from projects.models import LedgerEntry, PlanTask
from tests import factories as f
from tests.api.mixins import client_for
from tests.api.test_imports import HEADERS, good_rows, xlsx, zip_bomb

pytestmark = pytest.mark.django_db

LEDGER_HEADERS = [str(c.header) for c in LEDGER_ENTRIES.columns]


@pytest.fixture
def plan_world(tree):
    plan = f.PlanFactory()
    f.MechanismFactory(framework=plan.framework, name="自律机制", code="self")
    f.ProgramFactory(framework=plan.framework, name="廉政阳光工程", code="sunshine")
    f.PlanTaskFactory(plan=plan, number="9.9", lead_unit=tree["county_a"])
    return plan


def token_client(user) -> APIClient:
    _token, key = tokens.token_create(actor=user, user=user, name="imports")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def upload(data: bytes, name="plan.xlsx"):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def uploads_left() -> set[str]:
    return set(os.listdir(imports.upload_dir()))


def post(client, kind, data: bytes, *, dry_run=False, **fields):
    url = f"/api/v1/imports/{kind}/" + ("?dry_run=1" if dry_run else "")
    return client.post(url, {"file": upload(data), **fields}, format="multipart")


# --- Template and permissions -------------------------------------------------------------------


def test_template_downloads_with_the_chinese_headers(tree, commission):
    response = token_client(commission).get("/api/v1/imports/plan-tasks/template/")
    assert response.status_code == 200
    assert response["Content-Type"] == imports.XLSX_CONTENT_TYPE
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert list(next(workbook.worksheets[0].iter_rows(values_only=True))) == HEADERS


def test_anonymous_is_401_and_unknown_kind_404(tree, commission):
    assert client_for().get("/api/v1/imports/plan-tasks/template/").status_code == 401
    assert client_for().post("/api/v1/imports/plan-tasks/").status_code == 401
    client = token_client(commission)
    assert client.get("/api/v1/imports/nothing/template/").status_code == 404
    assert post(client, "nothing", b"x").status_code == 404


@pytest.mark.parametrize("kind", ["plan-tasks", "projects", "ledger-entries"])
def test_read_only_leader_may_not_import_anything(tree, leader, kind):
    client = token_client(leader)
    assert client.get(f"/api/v1/imports/{kind}/template/").status_code == 403
    response = post(client, kind, xlsx(LEDGER_HEADERS, []))
    assert response.status_code == 403
    assert "没有权限" in response.json()["detail"]


def test_unit_editor_may_not_import_the_plan_or_projects(tree, editor_a, plan_world):
    client = token_client(editor_a)
    before = PlanTask.objects.count()
    response = post(client, "plan-tasks", xlsx(HEADERS, good_rows()), plan=plan_world.pk)
    assert response.status_code == 403
    assert post(client, "projects", xlsx(HEADERS, [])).status_code == 403
    assert PlanTask.objects.count() == before


# --- The task division plan -------------------------------------------------------------------


def test_dry_run_reports_and_writes_nothing_then_commit_writes_all(tree, commission, plan_world):
    client = token_client(commission)
    before = uploads_left()
    data = xlsx(HEADERS, good_rows())
    response = post(client, "plan-tasks", data, dry_run=True, plan=plan_world.pk)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body == {
        "kind": "plan-tasks",
        "dry_run": True,
        "ok": True,
        "rows": 3,
        "written": 0,
        "errors": [],
    }
    assert PlanTask.objects.filter(plan=plan_world).count() == 1
    response = post(client, "plan-tasks", data, plan=plan_world.pk)
    assert response.status_code == 201, response.json()
    assert response.json()["written"] == 3 and response.json()["dry_run"] is False
    numbers = set(PlanTask.objects.filter(plan=plan_world).values_list("number", flat=True))
    assert numbers == {"9.9", "1.1", "1.2", "1.3"}
    assert uploads_left() == before
    assert AuditLog.objects.filter(action=AuditAction.IMPORT, after__done=True).count() == 1


def test_a_bad_row_in_the_middle_writes_nothing_and_is_reported(tree, commission, plan_world):
    rows = good_rows()
    rows[1][2] = "乙具"  # an unknown lead unit, close to 乙县
    rows[1][6] = "2011-02-30"  # and a date that does not exist
    client = token_client(commission)
    before = uploads_left()
    for dry_run in (True, False):
        response = post(
            client, "plan-tasks", xlsx(HEADERS, rows), dry_run=dry_run, plan=plan_world.pk
        )
        assert response.status_code == 400
        body = response.json()
        assert body["ok"] is False and body["written"] == 0 and body["rows"] == 3
        by_column = {e["column"]: e for e in body["errors"]}
        assert {e["row"] for e in body["errors"]} == {3}
        assert "未找到单位“乙具”" in by_column["牵头单位"]["message"]
        assert "乙县" in by_column["牵头单位"]["message"]
        assert "日期" in by_column["完成时限"]["message"]
    assert PlanTask.objects.filter(plan=plan_world).count() == 1
    assert uploads_left() == before
    assert AuditLog.objects.filter(action=AuditAction.IMPORT, after__done=False).count() == 1


def test_missing_plan_or_file_is_a_report_on_row_zero(tree, commission, plan_world):
    client = token_client(commission)
    response = post(client, "plan-tasks", xlsx(HEADERS, good_rows()))
    assert response.status_code == 400
    assert [(e["row"], e["column"]) for e in response.json()["errors"]] == [(0, "plan")]
    response = client.post("/api/v1/imports/plan-tasks/", {"plan": plan_world.pk})
    assert response.status_code == 400
    assert [(e["row"], e["column"]) for e in response.json()["errors"]] == [(0, "file")]


# --- The file is checked before parsing -------------------------------------------------------


def _file_error(response) -> str:
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert (error["row"], error["column"]) == (0, "file")
    return error["message"]


def test_a_renamed_csv_is_refused(tree, commission, plan_world):
    response = post(token_client(commission), "plan-tasks", b"a,b\n1,2\n", plan=plan_world.pk)
    assert "不是 Excel" in _file_error(response)


def test_a_file_over_the_size_limit_is_refused(tree, commission, plan_world, settings):
    settings.IMPORT_MAX_BYTES = 1000
    data = xlsx(HEADERS, good_rows() * 20)
    response = post(token_client(commission), "plan-tasks", data, plan=plan_world.pk)
    assert "文件过大" in _file_error(response)


def test_a_zip_bomb_is_refused_and_not_kept(tree, commission, plan_world, settings):
    settings.IMPORT_MAX_UNPACKED_BYTES = 1024 * 1024
    before = uploads_left()
    response = post(token_client(commission), "plan-tasks", zip_bomb(), plan=plan_world.pk)
    assert "疑似压缩炸弹" in _file_error(response)
    assert uploads_left() == before


# --- Ledger entries: unit editors, their own unit only -------------------------------------------


def test_unit_editor_imports_ledger_entries_of_their_unit(tree, editor_a):
    project = f.ProjectFactory(lead_unit=tree["county_a"], year=2024, number="L-1")
    rows = [[2024, "L-1", "2024-02-01", "一月进展", 10], [2024, "L-1", "2024-03-01", "二月", 30]]
    response = post(token_client(editor_a), "ledger-entries", xlsx(LEDGER_HEADERS, rows))
    assert response.status_code == 201, response.json()
    assert response.json()["written"] == 2
    entries = LedgerEntry.objects.filter(project=project)
    assert {e.unit_id for e in entries} == {tree["county_a"].pk}
    assert sorted(e.entry_date for e in entries) == [
        datetime.date(2024, 2, 1),
        datetime.date(2024, 3, 1),
    ]


def test_unit_editor_cannot_import_another_units_ledger(tree, editor_a):
    own = f.ProjectFactory(lead_unit=tree["county_a"], year=2024, number="L-1")
    # county_a co-organizes it, so editor_a sees it, but the ledger is county_b's
    other = f.ProjectFactory(
        lead_unit=tree["county_b"], year=2024, number="B-1", co_units=[tree["county_a"]]
    )
    f.ProjectFactory(lead_unit=tree["county_b"], year=2024, number="B-2")  # out of scope
    rows = [
        [2024, "L-1", "2024-02-01", "一月进展", 10],
        [2024, "B-1", "2024-02-01", "替别人填", 10],
        [2024, "B-2", "2024-02-01", "看不见的项目", 10],
        [2024, "L-1", "2024-03-01", "二月进展", 30],
    ]
    response = post(token_client(editor_a), "ledger-entries", xlsx(LEDGER_HEADERS, rows))
    assert response.status_code == 400
    errors = {e["row"]: e for e in response.json()["errors"]}
    assert set(errors) == {3, 4}
    assert "填报单位" in errors[3]["message"]
    assert "不在您的范围内" in errors[4]["message"]
    assert not LedgerEntry.objects.filter(project__in=[own, other]).exists()


def test_any_unknown_kind_is_a_json_404(tree, commission):
    client = token_client(commission)
    for kind in ("null,null", "%C2%84", "AAA"):
        response = client.get(f"/api/v1/imports/{kind}/template/")
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"

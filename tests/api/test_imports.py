"""Imports: the template, upload checks before parsing (type by content,
size, zip bomb, XML entities), the preview with every row checked, and the
all-or-nothing import with a row-by-row report in Chinese."""

import datetime
import io
import os
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pingxiang_cf import imports
from pingxiang_cf.models import AuditAction, AuditLog
from projects.imports import LEDGER_ENTRIES, PLAN_TASKS, PROJECTS
from projects.models import LedgerEntry, PlanTask, Project
from tests import factories as f

pytestmark = pytest.mark.django_db

HEADERS = [
    "任务编号",
    "任务内容",
    "牵头单位",
    "协办单位",
    "机制",
    "工程",
    "完成时限",
    "状态",
    "完成日期",
]


def xlsx(headers, rows) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(data: bytes, name="plan.xlsx"):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


@pytest.fixture
def plan_world(tree):
    plan = f.PlanFactory()
    f.MechanismFactory(framework=plan.framework, name="自律机制", code="self")
    f.ProgramFactory(framework=plan.framework, name="廉政阳光工程", code="sunshine")
    f.PlanTaskFactory(plan=plan, number="9.9", lead_unit=tree["county_a"])
    return plan


def good_rows():
    return [
        [
            "1.1",
            "建立制度",
            "甲县",
            "乙县、市审计局",
            "自律机制",
            "廉政阳光工程",
            "2011-12-31",
            "",
            "",
        ],
        [
            "1.2",
            "开展培训",
            "乙县",
            "",
            "自律机制",
            "",
            datetime.date(2011, 6, 30),
            "已完成",
            "2011-06-01",
        ],
        ["1.3", "推广经验", "市审计局", "甲县", "自律机制", "", "2011/9/30", "推进中", ""],
    ]


def uploads_left() -> set[str]:
    return set(os.listdir(imports.upload_dir()))


def test_template_has_the_chinese_headers_and_no_data_row(client, commission, plan_world):
    client.force_login(commission)
    response = client.get("/imports/plan-tasks/template/")
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS and len(rows) == 1
    notes = [r[0] for r in workbook.worksheets[1].iter_rows(values_only=True)]
    assert "牵头单位" in notes


def test_clean_file_previews_then_imports_everything(client, commission, plan_world, tree):
    client.force_login(commission)
    before = uploads_left()
    data = {"plan": plan_world.pk, "file": upload(xlsx(HEADERS, good_rows()))}
    preview = client.post("/imports/plan-tasks/", data)
    assert preview.status_code == 200
    html = preview.content.decode()
    assert 'id="import-preview-ok"' in html
    assert PlanTask.objects.filter(plan=plan_world).count() == 1  # nothing written yet
    token = preview.context["token"]
    done = client.post("/imports/plan-tasks/confirm/", {"token": token, "plan": plan_world.pk})
    assert 'id="import-done"' in done.content.decode()
    tasks = {t.number: t for t in PlanTask.objects.filter(plan=plan_world)}
    assert set(tasks) == {"9.9", "1.1", "1.2", "1.3"}
    assert {u.name for u in tasks["1.1"].co_units.all()} == {"乙县", "市审计局"}
    assert tasks["1.2"].status == "completed" and tasks["1.2"].completed_on == datetime.date(
        2011, 6, 1
    )
    assert tasks["1.3"].deadline == datetime.date(2011, 9, 30)
    audit = AuditLog.objects.get(action=AuditAction.IMPORT)
    assert audit.after["done"] is True and audit.after["written"] == 3
    assert uploads_left() == before  # the temporary file is gone


def test_a_bad_row_in_the_middle_writes_nothing_and_is_reported(commission, plan_world, tmp_path):
    rows = good_rows()
    rows[1] = ["1.1", "", "乙具", "乙县", "不存在机制", "", "2011-13-01", "已完成", ""]
    path = tmp_path / "bad.xlsx"
    path.write_bytes(xlsx(HEADERS, rows))
    with pytest.raises(imports.ImportFailed) as failed:
        imports.run_import(PLAN_TASKS, str(path), commission, {"plan": plan_world})
    assert PlanTask.objects.filter(plan=plan_world).count() == 1
    errors = {(e.row, e.column): e.message for e in failed.value.report.errors}
    assert errors[(3, "任务编号")] == "任务编号“1.1”与第 2 行重复。"
    assert errors[(3, "任务内容")] == "必填项为空。"
    assert errors[(3, "牵头单位")].startswith("未找到单位“乙具”。您是否要找:乙县")
    assert errors[(3, "机制")].startswith("机制“不存在机制”不存在。")
    assert "日期“2011-13-01”无效" in errors[(3, "完成时限")]
    assert errors[(3, "完成日期")] == "已完成的任务须填写完成日期。"
    assert all(e.row == 3 for e in failed.value.report.errors)
    refused = AuditLog.objects.get(action=AuditAction.IMPORT)
    assert refused.after["done"] is False


def test_co_organizer_equal_to_lead_and_existing_number_are_refused(
    commission, plan_world, tmp_path
):
    rows = [["1.1", "x", "甲县", "甲县", "自律机制", "", "2011-12-31", "", ""]]
    rows.append(["9.9", "x", "甲县", "", "自律机制", "", "2011-12-31", "", ""])
    path = tmp_path / "x.xlsx"
    path.write_bytes(xlsx(HEADERS, rows))
    report = imports.preview(PLAN_TASKS, str(path), commission, {"plan": plan_world})
    messages = {(e.row, e.column): e.message for e in report.errors}
    assert messages[(2, "协办单位")] == "协办单位“甲县”与牵头单位相同。"
    assert messages[(3, "任务编号")] == "任务编号“9.9”在本方案中已存在。"


def test_missing_required_column_is_reported(commission, plan_world, tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_bytes(xlsx(HEADERS[:2], [["1", "x"]]))
    report = imports.preview(PLAN_TASKS, str(path), commission, {"plan": plan_world})
    assert any(e.row == 1 and e.column == "牵头单位" for e in report.errors)


def test_preview_with_errors_keeps_no_file(client, commission, plan_world):
    client.force_login(commission)
    before = uploads_left()
    bad = [["1.1", "x", "无此单位", "", "自律机制", "", "2011-12-31", "", ""]]
    response = client.post(
        "/imports/plan-tasks/", {"plan": plan_world.pk, "file": upload(xlsx(HEADERS, bad))}
    )
    html = response.content.decode()
    assert 'id="import-errors"' in html and "无此单位" in html
    assert uploads_left() == before


def test_editor_may_not_import_the_plan(client, editor_a, plan_world):
    client.force_login(editor_a)
    assert client.get("/imports/plan-tasks/").status_code == 403


# --- Checked before parsing ------------------------------------------------------------------


def _post_file(client, commission, plan, data, name="plan.xlsx"):
    client.force_login(commission)
    return client.post("/imports/plan-tasks/", {"plan": plan.pk, "file": upload(data, name)})


def test_a_renamed_csv_is_refused_by_content(client, commission, plan_world):
    response = _post_file(client, commission, plan_world, "任务编号,任务内容\n1,x\n".encode())
    assert "文件不是 Excel(.xlsx)文件" in response.content.decode()


def test_a_file_over_the_size_limit_is_refused(client, commission, plan_world, settings):
    settings.IMPORT_MAX_BYTES = 1000
    response = _post_file(client, commission, plan_world, xlsx(HEADERS, good_rows() * 20))
    assert "文件过大" in response.content.decode()


def zip_bomb() -> bytes:
    """A small XLSX-looking package whose one sheet unpacks to 8 MB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (8 * 1024 * 1024))
    return buffer.getvalue()


def test_a_zip_bomb_is_refused_before_parsing(client, commission, plan_world, settings):
    settings.IMPORT_MAX_UNPACKED_BYTES = 1024 * 1024
    before = uploads_left()
    response = _post_file(client, commission, plan_world, zip_bomb())
    assert "疑似压缩炸弹" in response.content.decode()
    assert uploads_left() == before


def test_xml_entities_are_refused(client, commission, plan_world):
    good = xlsx(HEADERS, good_rows())
    source = zipfile.ZipFile(io.BytesIO(good))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/workbook.xml":
                body = content.split(b"?>", 1)[-1] if content.startswith(b"<?xml") else content
                content = (
                    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
                    b'<!ENTITY b "&a;&a;&a;&a;">]>' + body
                )
            out.writestr(item, content)
    response = _post_file(client, commission, plan_world, buffer.getvalue())
    assert "文件已损坏或格式不正确" in response.content.decode()
    assert PlanTask.objects.filter(plan=plan_world).count() == 1


def test_defusedxml_is_what_openpyxl_parses_with():
    assert openpyxl.DEFUSEDXML is True


# --- Projects with targets, ledger entries ------------------------------------------------------

PROJECT_HEADERS = [str(c.header) for c in PROJECTS.columns]
LEDGER_HEADERS = [str(c.header) for c in LEDGER_ENTRIES.columns]


def test_projects_with_targets_import_in_one_go(commission, tree, tmp_path):
    tier, program = f.TierFactory(name="部门"), f.ProgramFactory(name="廉政阳光工程")
    common = [2011, "2011-900", "廉政培训", "共性项目", tier.name, program.name, "甲县"]
    dates = ["2011-01-01", "2011-12-31", ""]
    rows = [
        common + dates + ["培训", "次", 4, "2011-12-31"],
        common + dates + ["覆盖单位", "个", 10, "2011-11-30"],
    ]
    path = tmp_path / "p.xlsx"
    path.write_bytes(xlsx(PROJECT_HEADERS, rows))
    report = imports.run_import(PROJECTS, str(path), commission)
    assert report.written == 1
    project = Project.objects.get(year=2011, number="2011-900")
    assert [t.description for t in project.targets.order_by("sort_order")] == ["培训", "覆盖单位"]


def test_ledger_bulk_import_rolls_back_when_a_service_refuses_a_later_row(editor_a, tree, tmp_path):
    project = f.ProjectFactory(lead_unit=tree["county_a"], year=2024, number="L-1")
    future = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    rows = [
        [2024, "L-1", "2024-02-01", "一月进展", 10],
        [2024, "L-1", future, "未来的进展", 20],  # passes the checks, the service refuses it
        [2024, "L-1", "2024-03-01", "二月进展", 30],
    ]
    path = tmp_path / "l.xlsx"
    path.write_bytes(xlsx(LEDGER_HEADERS, rows))
    with pytest.raises(imports.ImportFailed) as failed:
        imports.run_import(LEDGER_ENTRIES, str(path), editor_a)
    assert not LedgerEntry.objects.filter(project=project).exists()
    [error] = failed.value.report.errors
    assert (error.row, error.column, error.message) == (3, "日期", "台账日期不能晚于今天。")


def test_ledger_import_refuses_projects_out_of_scope(editor_a, tree, tmp_path):
    f.ProjectFactory(lead_unit=tree["county_b"], year=2024, number="B-1")
    path = tmp_path / "l.xlsx"
    path.write_bytes(xlsx(LEDGER_HEADERS, [[2024, "B-1", "2024-02-01", "x", 10]]))
    report = imports.preview(LEDGER_ENTRIES, str(path), editor_a)
    assert "不在您的范围内" in report.errors[0].message


def test_project_list_links_the_imports_the_user_may_run(client, commission, editor_a, leader):
    client.force_login(commission)
    html = client.get("/projects/").content.decode()
    assert "/imports/plan-tasks/" in html and "/imports/projects/" in html
    client.force_login(editor_a)
    html = client.get("/projects/").content.decode()
    assert "/imports/ledger-entries/" in html and "/imports/plan-tasks/" not in html
    client.force_login(leader)
    assert 'id="project-import"' not in client.get("/projects/").content.decode()

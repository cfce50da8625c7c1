"""Issue 3's browser scenario: a lead-unit editor splits a project three ways
and records a ledger entry with an evidence file; the commission officer
returns it, the editor corrects and resubmits it, the officer verifies it and
the project's progress and light change; another county's editor gets 404."""

import pytest
from django.utils import timezone

from projects.choices import LedgerStatus, ProjectStage
from projects.models import Assignment, Evidence, LedgerEntry
from tests import factories as f
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def scenario(tree, editor_a, editor_b, commission):
    today = timezone.localdate()
    project = f.ProjectFactory(
        number="2026-101",
        name="甲县廉政教育全覆盖",
        year=today.year,
        lead_unit=tree["county_a"],
        co_units=[tree["department"]],
        stage=ProjectStage.IMPLEMENT,
    )
    target = f.TargetFactory(project=project, description="开展廉政教育", target_value=10)
    if today > project.start_date:
        f.MilestoneFactory(
            project=project, name="年度督导", planned_date=today, planned_progress=80
        )
    section = f.SectionFactory(unit=tree["county_a"], name="党风廉政建设室")
    return {"project": project, "target": target, "section": section, "today": today}


def _sign_out(page):
    page.locator("#user-menu").click()
    page.get_by_role("button", name="退出登录").click()
    page.wait_for_url("**/accounts/login/")


def _open_project(page, project):
    page.goto(page.base_url + f"/projects/{project.code}/")


def _split(page, scenario, *, kind, content, section=None, unit=None, share="30"):
    page.get_by_role("link", name="分解任务").click()
    page.wait_for_url("**/splits/new/")
    page.select_option("#id_kind", kind)
    if section is not None:
        page.select_option("#id_section", str(section.pk))
    if unit is not None:
        page.select_option("#id_assignee_unit", str(unit.pk))
    page.fill("#id_content", content)
    page.fill("#id_deadline", scenario["project"].end_date.isoformat())
    page.fill("#id_responsible_person", "王五")
    page.fill(f"#id_share_{scenario['target'].pk}", share)
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(f"**/projects/{scenario['project'].code}/#splits")
    assert page.get_by_text("已分解任务").is_visible()


def test_ledger_entry_from_split_to_verification(page, login, scenario, tree, tmp_path):
    project, target, today = scenario["project"], scenario["target"], scenario["today"]
    evidence_file = tmp_path / "培训签到表.pdf"
    evidence_file.write_bytes(PDF)

    # The lead-unit editor splits the project three ways.
    login("editor_a", PASSWORD)
    _open_project(page, project)
    _split(page, scenario, kind="inner", section=scenario["section"], content="党风室组织培训")
    _split(page, scenario, kind="outer", unit=tree["department"], content="审计局专项检查")
    _split(page, scenario, kind="downward", unit=tree["township_a"], content="乡镇组织学习")
    splits = page.locator("#splits tbody tr")
    assert splits.count() == 3
    assert sorted(Assignment.objects.values_list("kind", flat=True)) == [
        "downward",
        "inner",
        "outer",
    ]

    # … and records a ledger entry with an evidence file, submitted at once.
    page.get_by_role("link", name="填报项目台账").click()
    page.wait_for_url("**/ledger/new/")
    page.fill("#id_entry_date", today.isoformat())
    page.fill("#id_content", "完成全县廉政教育培训")
    page.fill("#id_progress_percent", "100")
    page.fill(f"#id_quantity_{target.pk}", "10")
    page.set_input_files("#id_files", str(evidence_file))
    page.get_by_role("button", name="保存并提交核实").click()
    page.wait_for_url("**/#ledger")
    assert page.get_by_text("台账已保存并提交核实。").is_visible()
    entry = LedgerEntry.objects.get()
    assert entry.status == LedgerStatus.SUBMITTED
    assert Evidence.objects.get(entry=entry).original_name == "培训签到表.pdf"
    _sign_out(page)

    # The commission officer returns it with a comment.
    login("commission", PASSWORD)
    _open_project(page, project)
    progress_before = page.locator(".app-progress").first.inner_text()
    light_before = page.locator("#project-light").inner_text()
    assert "红灯" in light_before or today == project.start_date
    ledger = page.locator("#ledger")
    ledger.get_by_role("link", name="退回").click()
    page.wait_for_url(f"**/ledger/{entry.code}/return/")
    assert page.get_by_role("link", name="培训签到表.pdf").is_visible()
    page.fill("#id_comment", "请补充培训照片和签到人数")
    page.get_by_role("button", name="确认退回").click()
    page.wait_for_url("**/#ledger")
    assert ledger.locator(".app-ledger-returned").is_visible()
    _sign_out(page)

    # The editor sees the comment, corrects the entry and submits it again.
    login("editor_a", PASSWORD)
    _open_project(page, project)
    assert page.locator("#ledger").get_by_text("核实意见:请补充培训照片和签到人数").is_visible()
    page.locator("#ledger").get_by_role("link", name="修改").click()
    page.wait_for_url(f"**/ledger/{entry.code}/edit/")
    assert page.get_by_text("请补充培训照片和签到人数").is_visible()
    page.fill("#id_content", "完成全县廉政教育培训,签到120人")
    page.get_by_role("button", name="保存并提交核实").click()
    page.wait_for_url("**/#ledger")
    assert page.get_by_text("台账已修改并重新提交核实。").is_visible()
    _sign_out(page)

    # The officer verifies it; the project's progress and light change.
    login("commission", PASSWORD)
    _open_project(page, project)
    page.locator("#ledger").get_by_role("link", name="核实", exact=True).click()
    page.wait_for_url(f"**/ledger/{entry.code}/verify/")
    assert page.get_by_text("完成全县廉政教育培训,签到120人").is_visible()
    page.get_by_role("button", name="确认核实").click()
    page.wait_for_url("**/#ledger")
    assert page.locator("#ledger .app-ledger-verified").is_visible()
    progress_after = page.locator(".app-progress").first.inner_text()
    assert progress_after != progress_before
    assert "100%" in progress_after
    assert page.locator("#project-light").inner_text() != light_before
    entry.refresh_from_db()
    assert entry.status == LedgerStatus.VERIFIED
    _sign_out(page)

    # An editor of another county cannot open the project.
    login("editor_b", PASSWORD)
    response = page.goto(page.base_url + f"/projects/{project.code}/")
    assert response.status == 404
    response = page.goto(page.base_url + f"/ledger/{entry.code}/edit/")
    assert response.status == 404

"""The write pages of the project workspace (projects/actions.py), per endpoint
and persona: anonymous users are sent to sign in, users who cannot see the
object get 404, users who see it but may not act get 403, allowed users write
through the services; bad input comes back with a Chinese message, the typed
values kept and nothing written."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pingxiang_cf.roles import Role
from projects import actions
from projects import services as svc
from projects.actions import _ledger_targets
from projects.choices import (
    AssignmentStatus,
    LedgerStatus,
    ProjectCategory,
    ProjectStage,
    SplitKind,
)
from projects.models import (
    Assignment,
    AssignmentShare,
    Evidence,
    LedgerEntry,
    Project,
)
from tests import factories as f
from tests.projects.test_services import NothingWritten

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def dept_editor(tree):
    """A co-unit editor of the department, the project's co-organizing unit."""
    user = f.UserFactory(username="dept_editor")
    f.MembershipFactory(user=user, unit=tree["department"], role=Role.CO_UNIT)
    return user


@pytest.fixture
def world(tree, editor_a):
    """County A leads a project with the department as co-organizer: a target,
    a section, an outer split to the department, a submitted entry and a
    draft entry with a stored evidence file."""
    project = f.ProjectFactory(
        lead_unit=tree["county_a"],
        co_units=[tree["department"]],
        number="XM-1",
        name="廉政风险防控",
        stage=ProjectStage.IMPLEMENT,
    )
    target = f.TargetFactory(project=project, description="开展廉政教育", target_value=10)
    outer = f.OuterAssignmentFactory(project=project, assignee_unit=tree["department"])
    submitted = f.LedgerEntryFactory(project=project, status=LedgerStatus.SUBMITTED)
    draft = f.LedgerEntryFactory(project=project, content="草稿内容")
    evidence = svc.evidence_attach(
        draft, actor=editor_a, file=SimpleUploadedFile("会议纪要.pdf", PDF)
    )
    return {
        "project": project,
        "target": target,
        "section": f.SectionFactory(unit=tree["county_a"], name="党风室"),
        "outer": outer,
        "submitted": submitted,
        "draft": draft,
        "evidence": evidence,
    }


def url(world, name):
    project, entry = world["project"], world["draft"]
    by_name = {
        "project-create": ("projects:project-create", []),
        "project-edit": ("projects:project-edit", [project.code]),
        "project-copy": ("projects:project-copy", [project.code]),
        "project-advance": ("projects:project-advance", [project.code]),
        "split-create": ("projects:split-create", [project.code]),
        "split-edit": ("projects:split-edit", [world["outer"].pk]),
        "split-cancel": ("projects:split-cancel", [world["outer"].pk]),
        "ledger-create": ("projects:ledger-create", [project.code]),
        "ledger-edit": ("projects:ledger-edit", [entry.code]),
        "ledger-submit": ("projects:ledger-submit", [entry.code]),
        "ledger-delete": ("projects:ledger-delete", [entry.code]),
        "ledger-verify": ("projects:ledger-verify", [world["submitted"].code]),
        "ledger-return": ("projects:ledger-return", [world["submitted"].code]),
        "evidence-download": ("projects:evidence-download", [world["evidence"].pk]),
    }
    view, args = by_name[name]
    return reverse(view, args=args)


ENDPOINTS = [
    "project-create",
    "project-edit",
    "project-copy",
    "project-advance",
    "split-create",
    "split-edit",
    "split-cancel",
    "ledger-create",
    "ledger-edit",
    "ledger-submit",
    "ledger-delete",
    "ledger-verify",
    "ledger-return",
    "evidence-download",
]
POST_ONLY = {"ledger-submit"}
OBJECT_ENDPOINTS = [name for name in ENDPOINTS if name != "project-create"]
WRITE_ENDPOINTS = [name for name in ENDPOINTS if name != "evidence-download"]


def hit(client, world, name):
    target = url(world, name)
    return client.post(target) if name in POST_ONLY else client.get(target)


def _text(response) -> str:
    return response.content.decode()


# --- Who may open what -------------------------------------------------------------------


@pytest.mark.parametrize("name", ENDPOINTS)
def test_anonymous_users_are_sent_to_sign_in(client, world, name):
    response = hit(client, world, name)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name", OBJECT_ENDPOINTS)
def test_editor_of_another_county_gets_404(client, world, editor_b, name):
    client.force_login(editor_b)
    assert hit(client, world, name).status_code == 404


@pytest.mark.parametrize("persona", ["leader", "auditor"])
@pytest.mark.parametrize("name", WRITE_ENDPOINTS)
def test_read_only_roles_get_403_everywhere(client, world, request, persona, name):
    client.force_login(request.getfixturevalue(persona))
    with NothingWritten():
        assert hit(client, world, name).status_code == 403


@pytest.mark.parametrize(
    "name", ["project-edit", "split-create", "split-edit", "split-cancel", "ledger-create"]
)
def test_co_unit_editor_sees_the_project_but_cannot_change_the_split_or_lead_ledger(
    client, world, dept_editor, name
):
    client.force_login(dept_editor)
    assert client.get(reverse("projects:detail", args=[world["project"].code])).status_code == 200
    assert hit(client, world, name).status_code == 403


@pytest.mark.parametrize("name", ["ledger-edit", "ledger-submit", "ledger-verify"])
def test_co_unit_editor_cannot_reach_the_lead_units_entries(client, world, dept_editor, name):
    client.force_login(dept_editor)
    assert hit(client, world, name).status_code == 404


@pytest.mark.parametrize("name", ["ledger-verify", "ledger-return"])
def test_only_the_commission_reviews_entries(client, world, editor_a, name):
    client.force_login(editor_a)
    assert hit(client, world, name).status_code == 403


@pytest.mark.parametrize("name", ["ledger-create", "ledger-edit", "ledger-submit", "ledger-delete"])
def test_the_commission_does_not_write_a_units_ledger(client, world, commission, name):
    client.force_login(commission)
    with NothingWritten():
        assert hit(client, world, name).status_code == 403


@pytest.mark.parametrize("name", ["project-create", "project-edit", "project-copy"])
def test_lead_unit_editor_cannot_establish_or_change_projects(client, world, editor_a, name):
    client.force_login(editor_a)
    assert hit(client, world, name).status_code == 403


def test_changes_are_post_only(client, world, editor_a):
    client.force_login(editor_a)
    assert client.get(url(world, "ledger-submit")).status_code == 405
    assert LedgerEntry.objects.get(pk=world["draft"].pk).status == LedgerStatus.DRAFT


# --- The buttons on the project page -----------------------------------------------------


def test_action_flags_cost_no_queries(world, editor_a, commission):
    assignments = list(world["project"].assignments.select_related("assignee_unit"))
    entry = LedgerEntry.objects.select_related("unit").get(pk=world["draft"].pk)
    project = Project.objects.select_related("lead_unit").get(pk=world["project"].pk)
    for user in (editor_a, commission):
        actions.project_actions(user, project, assignments)  # the scope query, once per user
        with CaptureQueriesContext(connection) as queries:
            flags = actions.project_actions(user, project, assignments)
            actions.entry_actions(user, entry)
        assert len(queries) == 0
        assert flags.split


def test_project_page_shows_each_user_only_their_buttons(
    client, world, editor_a, commission, leader
):
    detail = reverse("projects:detail", args=[world["project"].code])
    client.force_login(editor_a)
    page = _text(client.get(detail))
    assert url(world, "split-create") in page
    assert url(world, "ledger-create") in page
    assert url(world, "ledger-submit") in page
    assert url(world, "project-edit") not in page
    assert url(world, "ledger-verify") not in page
    assert url(world, "evidence-download") in page

    client.force_login(commission)
    page = _text(client.get(detail))
    assert url(world, "project-edit") in page
    assert url(world, "project-advance") in page
    assert url(world, "ledger-verify") in page
    assert url(world, "ledger-submit") not in page

    client.force_login(leader)
    page = _text(client.get(detail))
    assert 'id="h-actions"' not in page
    assert url(world, "ledger-verify") not in page


# --- Projects ------------------------------------------------------------------------------


def _project_post(tree, **extra):
    data = {
        "number": "XM-NEW",
        "year": "2024",
        "name": "新立项目",
        "category": ProjectCategory.COMMON,
        "tier": f.TierFactory().pk,
        "program": f.ProgramFactory().pk,
        "lead_unit": tree["county_a"].pk,
        "start_date": "2024-01-01",
        "end_date": "2024-12-31",
        "co_units": [tree["county_b"].pk],
        "mechanisms": [f.MechanismFactory().pk],
        "targets-TOTAL_FORMS": "2",
        "targets-INITIAL_FORMS": "0",
        "targets-0-description": "培训",
        "targets-0-measure_unit": "场",
        "targets-0-target_value": "12",
        "targets-0-due_date": "2024-11-30",
    }
    data.update(extra)
    return data


def test_commission_establishes_a_project_with_targets(client, tree, commission):
    client.force_login(commission)
    response = client.post(reverse("projects:project-create"), _project_post(tree), follow=True)
    project = Project.objects.get(number="XM-NEW")
    assert response.redirect_chain[-1][0] == reverse("projects:detail", args=[project.code])
    assert "项目“新立项目”已立项。" in _text(response)
    assert [t.description for t in project.targets.all()] == ["培训"]
    assert list(project.co_units.all()) == [tree["county_b"]]
    assert project.mechanisms.count() == 1


def test_bad_project_input_keeps_what_was_typed_and_writes_nothing(client, tree, commission):
    client.force_login(commission)
    data = _project_post(tree, **{"targets-0-due_date": "2025-03-01"})
    with NothingWritten():
        response = client.post(reverse("projects:project-create"), data)
    assert response.status_code == 200
    page = _text(response)
    assert "量化目标「培训」的完成时限须在项目起止日期之内。" in page
    assert 'value="新立项目"' in page
    assert 'value="2025-03-01"' in page


def test_commission_edits_a_project_and_its_targets(client, world, commission):
    project, target = world["project"], world["target"]
    client.force_login(commission)
    form = client.get(url(world, "project-edit"))
    assert 'value="廉政风险防控"' in _text(form)
    data = _project_post(
        {"county_a": project.lead_unit, "county_b": project.lead_unit},
        number=project.number,
        name="廉政风险防控(修订)",
        tier=project.tier_id,
        program=project.program_id,
        co_units=[u.pk for u in project.co_units.all()],
        **{
            "targets-TOTAL_FORMS": "2",
            "targets-INITIAL_FORMS": "1",
            "targets-0-id": str(target.pk),
            "targets-0-description": "开展廉政教育",
            "targets-0-target_value": "20",
            "targets-1-description": "专项检查",
            "targets-1-measure_unit": "次",
            "targets-1-target_value": "4",
            "targets-1-due_date": "2024-10-31",
        },
    )
    response = client.post(url(world, "project-edit"), data)
    assert response.status_code == 302
    project.refresh_from_db()
    target.refresh_from_db()
    assert project.name == "廉政风险防控(修订)"
    assert target.target_value == Decimal("20")
    assert project.targets.count() == 2


def test_commission_copies_a_common_project_to_next_year(client, world, commission, tree):
    client.force_login(commission)
    response = client.post(
        url(world, "project-copy"),
        {"year": "2025", "lead_units": [tree["county_a"].pk, tree["county_b"].pk]},
    )
    assert response.status_code == 302
    copies = Project.objects.filter(year=2025, copied_from=world["project"])
    assert sorted(copies.values_list("number", flat=True)) == ["XM-1-01", "XM-1-02"]
    with NothingWritten():
        again = client.post(url(world, "project-copy"), {"year": "2025"})
    assert again.status_code == 200
    assert "2025年度已为甲县复制过该项目。" in _text(again)
    assert 'value="2025"' in _text(again)


def test_advance_with_open_splits_is_refused_with_the_reason(client, world, commission):
    project = world["project"]
    client.force_login(commission)
    with NothingWritten():
        response = client.post(
            url(world, "project-advance"), {"to_stage": "evaluate", "reason": "年中评估"}
        )
    assert response.status_code == 200
    assert "尚有1项任务分解未完成,不能进入评估阶段。" in _text(response)
    assert "年中评估" in _text(response)
    project.refresh_from_db()
    assert project.stage == ProjectStage.IMPLEMENT


def test_commission_advances_an_established_project(client, world, commission):
    project = world["project"]
    Project.objects.filter(pk=project.pk).update(stage=ProjectStage.ESTABLISH)
    client.force_login(commission)
    missing = client.post(url(world, "project-advance"), {"to_stage": "implement"})
    assert "请填写阶段变更的原因。" in _text(missing)
    response = client.post(
        url(world, "project-advance"), {"to_stage": "implement", "reason": "目标已确定"}
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.stage == ProjectStage.IMPLEMENT


# --- The three splits ----------------------------------------------------------------------


def _split(world, **extra):
    data = {
        "kind": SplitKind.INNER,
        "section": world["section"].pk,
        "content": "党风室负责培训",
        "deadline": "2024-10-31",
        "responsible_person": "李四",
        f"share_{world['target'].pk}": "30",
    }
    data.update(extra)
    return data


def test_lead_unit_editor_splits_three_ways(client, world, editor_a, tree):
    client.force_login(editor_a)
    create = url(world, "split-create")
    assert client.post(create, _split(world)).status_code == 302
    outer = _split(world, kind=SplitKind.OUTER, section="", assignee_unit=tree["department"].pk)
    assert client.post(create, outer).status_code == 302
    down = _split(world, kind=SplitKind.DOWNWARD, section="", assignee_unit=tree["township_a"].pk)
    assert client.post(create, down).status_code == 302
    kinds = Assignment.objects.filter(project=world["project"]).values_list("kind", flat=True)
    assert sorted(kinds) == sorted([SplitKind.INNER, SplitKind.OUTER, SplitKind.OUTER, "downward"])
    assert AssignmentShare.objects.filter(target=world["target"]).count() == 3


def test_assignee_must_fit_the_split_kind(client, world, editor_a, tree):
    client.force_login(editor_a)
    data = _split(world, kind=SplitKind.OUTER, section="", assignee_unit=tree["township_a"].pk)
    with NothingWritten():
        response = client.post(url(world, "split-create"), data)
    assert response.status_code == 200
    assert "外分须分解到本项目的协办单位。" in _text(response)
    assert "党风室负责培训" in _text(response)


def test_shares_over_100_percent_are_refused_and_input_kept(client, world, editor_a):
    client.force_login(editor_a)
    f.AssignmentShareFactory(
        assignment=world["outer"], target=world["target"], share_percent=Decimal("80")
    )
    with NothingWritten():
        response = client.post(url(world, "split-create"), _split(world))
    assert response.status_code == 200
    page = _text(response)
    assert "该目标各分解的分担比例合计不能超过100%(已分配80.00%)。" in page
    assert 'value="30"' in page


def test_lead_unit_editor_edits_and_cancels_a_split(client, world, editor_a, tree):
    outer = world["outer"]
    client.force_login(editor_a)
    data = _split(
        world,
        kind=SplitKind.OUTER,
        section="",
        assignee_unit=tree["department"].pk,
        content="审计局负责检查",
    )
    assert client.post(url(world, "split-edit"), data).status_code == 302
    outer.refresh_from_db()
    assert outer.content == "审计局负责检查"

    confirm = client.get(url(world, "split-cancel"))
    assert "确认撤销" in _text(confirm)
    with NothingWritten():
        missing = client.post(url(world, "split-cancel"), {"reason": ""})
    assert "请填写撤销原因。" in _text(missing)
    assert client.post(url(world, "split-cancel"), {"reason": "调整分工"}).status_code == 302
    outer.refresh_from_db()
    assert outer.status == AssignmentStatus.CANCELLED


# --- The ledger ----------------------------------------------------------------------------


def _entry_post(world, **extra):
    data = {
        "entry_date": "2024-06-30",
        "content": "完成第一季度培训",
        "progress_percent": "40",
        f"quantity_{world['target'].pk}": "4",
    }
    data.update(extra)
    return data


def test_lead_unit_editor_records_an_entry_with_evidence(client, world, editor_a):
    client.force_login(editor_a)
    files = [SimpleUploadedFile("签到表.pdf", PDF), SimpleUploadedFile("照片.png", PNG)]
    response = client.post(
        url(world, "ledger-create"), {**_entry_post(world), "files": files, "submit": "1"}
    )
    assert response.status_code == 302
    entry = LedgerEntry.objects.get(content="完成第一季度培训")
    assert entry.status == LedgerStatus.SUBMITTED
    assert entry.quantities.get().quantity == Decimal("4")
    names = sorted(entry.evidence.values_list("original_name", flat=True))
    assert names == ["照片.png", "签到表.pdf"]
    stored = entry.evidence.get(original_name="签到表.pdf")
    assert "签到表" not in stored.file.name  # stored under a random name
    assert stored.file.read() == PDF


def test_co_unit_editor_reports_on_its_assignment(client, world, dept_editor):
    client.force_login(dept_editor)
    target = url(world, "ledger-create") + f"?assignment={world['outer'].pk}"
    data = _entry_post(world)
    data.pop(f"quantity_{world['target'].pk}")
    response = client.post(target, data)
    assert response.status_code == 302
    entry = LedgerEntry.objects.get(content="完成第一季度培训")
    assert entry.assignment == world["outer"]
    assert entry.unit == world["outer"].assignee_unit


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("程序.exe", b"MZ\x90\x00", "「程序.exe」的类型不受支持"),
        ("伪装.pdf", PNG, "文件内容与扩展名不符:内容是PNG文件。"),
        ("脚本.pdf", b"<script>alert(1)</script>", "不支持的文件类型"),
    ],
)
def test_evidence_of_a_wrong_type_is_refused(client, world, editor_a, name, content, message):
    client.force_login(editor_a)
    data = {**_entry_post(world), "files": [SimpleUploadedFile(name, content)]}
    with NothingWritten():
        response = client.post(url(world, "ledger-create"), data)
    assert response.status_code == 200
    page = _text(response)
    assert message in page
    assert "完成第一季度培训" in page  # the typed text is kept


def test_evidence_over_the_size_limit_is_refused(client, world, editor_a, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    client.force_login(editor_a)
    data = {**_entry_post(world), "files": [SimpleUploadedFile("大.pdf", PDF + b"0" * 2048)]}
    with NothingWritten():
        response = client.post(url(world, "ledger-create"), data)
    assert response.status_code == 200
    assert "「大.pdf」超过" in _text(response)


def test_bad_ledger_input_names_the_problem(client, world, editor_a):
    client.force_login(editor_a)
    with NothingWritten():
        response = client.post(
            url(world, "ledger-create"), _entry_post(world, entry_date="2023-12-31")
        )
    assert response.status_code == 200
    assert "台账日期不能早于项目开始日期。" in _text(response)
    assert 'value="2023-12-31"' in _text(response)


def test_owner_corrects_a_returned_entry_and_submits_it_again(client, world, editor_a, commission):
    entry = world["submitted"]
    svc.ledger_entry_return(entry, actor=commission, comment="请补充签到表")
    client.force_login(editor_a)
    form = client.get(url(world, "ledger-edit").replace(str(world["draft"].code), str(entry.code)))
    assert "请补充签到表" in _text(form)
    response = client.post(
        reverse("projects:ledger-edit", args=[entry.code]),
        {
            **_entry_post(world, content="已补充签到表"),
            "files": [SimpleUploadedFile("签到表.pdf", PDF)],
            "submit": "1",
        },
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == LedgerStatus.SUBMITTED
    assert entry.content == "已补充签到表"
    assert entry.evidence.count() == 1


def test_a_submitted_entry_cannot_be_edited(client, world, editor_a):
    client.force_login(editor_a)
    response = client.get(reverse("projects:ledger-edit", args=[world["submitted"].code]))
    assert response.status_code == 302
    follow = client.get(response.url)
    assert "只有草稿或被退回的台账可以修改。" in _text(follow)


def test_owner_submits_a_draft(client, world, editor_a):
    client.force_login(editor_a)
    response = client.post(url(world, "ledger-submit"), follow=True)
    assert "台账已提交核实。" in _text(response)
    world["draft"].refresh_from_db()
    assert world["draft"].status == LedgerStatus.SUBMITTED


def test_owner_deletes_a_draft_after_confirming(client, world, editor_a):
    client.force_login(editor_a)
    confirm = client.get(url(world, "ledger-delete"))
    assert "确认删除" in _text(confirm)
    assert LedgerEntry.objects.filter(pk=world["draft"].pk).exists()
    assert client.post(url(world, "ledger-delete")).status_code == 302
    assert not LedgerEntry.objects.filter(pk=world["draft"].pk).exists()
    assert not Evidence.objects.filter(pk=world["evidence"].pk).exists()


def test_commission_verifies_a_submitted_entry(client, world, commission):
    client.force_login(commission)
    page = client.get(url(world, "ledger-verify"))
    assert "确认核实" in _text(page)
    response = client.post(url(world, "ledger-verify"), {"comment": "属实"})
    assert response.status_code == 302
    world["submitted"].refresh_from_db()
    assert world["submitted"].status == LedgerStatus.VERIFIED
    assert world["submitted"].review_comment == "属实"


def test_return_needs_a_comment(client, world, commission):
    client.force_login(commission)
    with NothingWritten():
        response = client.post(url(world, "ledger-return"), {"comment": "  "})
    assert response.status_code == 200
    assert "退回台账须填写退回意见。" in _text(response)
    response = client.post(url(world, "ledger-return"), {"comment": "缺少佐证"})
    assert response.status_code == 302
    world["submitted"].refresh_from_db()
    assert world["submitted"].status == LedgerStatus.RETURNED


def test_verifying_twice_is_refused_with_a_message(client, world, commission):
    client.force_login(commission)
    client.post(url(world, "ledger-verify"), {})
    response = client.post(url(world, "ledger-verify"), {})
    assert response.status_code == 200
    assert "只能核实或退回待核实的台账" in _text(response)


# --- Evidence download ---------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["editor_a", "commission", "leader", "auditor"])
def test_evidence_downloads_as_an_attachment_for_users_who_see_it(client, world, request, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(url(world, "evidence-download"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "%E4%BC%9A%E8%AE%AE%E7%BA%AA%E8%A6%81.pdf" in disposition  # 会议纪要.pdf
    assert b"".join(response.streaming_content) == PDF


@pytest.mark.parametrize("persona", ["editor_b", "dept_editor", "outsider"])
def test_evidence_is_hidden_from_users_who_cannot_see_it(client, world, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url(world, "evidence-download")).status_code == 404


def test_evidence_is_not_served_from_media_url(client, world, editor_a):
    client.force_login(editor_a)
    stored = world["evidence"].file.name
    assert client.get(f"/media/{stored}").status_code == 404


def test_a_file_missing_on_disk_is_404(client, world, editor_a):
    Evidence.objects.filter(pk=world["evidence"].pk).update(file="evidence/2024/missing")
    client.force_login(editor_a)
    assert client.get(url(world, "evidence-download")).status_code == 404


def test_quantities_only_for_shared_targets_on_an_assignment(world, tree):
    """The assignment's ledger form offers only the targets it shares."""
    other = f.TargetFactory(project=world["project"], description="其他目标")
    f.AssignmentShareFactory(assignment=world["outer"], target=world["target"])
    assert list(_ledger_targets(world["project"], world["outer"])) == [world["target"]]
    assert set(_ledger_targets(world["project"], None)) == {world["target"], other}

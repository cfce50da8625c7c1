"""The project workspace's business rules (projects/services.py), per role:
what each persona may do, the exact refusals, and that a refusal writes
nothing (no row, no audit row, no transition, no notification)."""

import datetime
import gc
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from pingxiang_cf import audit
from pingxiang_cf.models import AuditAction, AuditLog, Notification, Transition
from projects import choices as prj
from projects import selectors as sel
from projects import services as svc
from projects.models import (
    Assignment,
    AssignmentShare,
    Evidence,
    LedgerEntry,
    LedgerQuantity,
    Milestone,
    Project,
    ProjectCoUnit,
    Target,
)
from tests import factories as f

pytestmark = pytest.mark.django_db

D = datetime.date
READ_ONLY = ["leader", "auditor", "outsider"]
TABLES = (
    Project,
    ProjectCoUnit,
    Target,
    Milestone,
    Assignment,
    AssignmentShare,
    LedgerEntry,
    LedgerQuantity,
    Evidence,
    AuditLog,
    Transition,
    Notification,
)


def counts():
    """Rows per table; a refused request's own audit row (a permission
    denial, issue 9) is not a write of the refused change."""
    return {
        m._meta.label: (
            m._base_manager.exclude(action=AuditAction.DENIED) if m is AuditLog else m._base_manager
        ).count()
        for m in TABLES
    }


class NothingWritten:
    def __enter__(self):
        self.before = counts()
        return self

    def __exit__(self, *exc):
        assert counts() == self.before


@pytest.fixture
def world(tree):
    """County A leads a 2024 project with county B as co-organizer."""
    project = f.ProjectFactory(
        lead_unit=tree["county_a"], co_units=[tree["county_b"]], number="XM-1"
    )
    return {
        "project": project,
        "target": f.TargetFactory(
            project=project, description="开展廉政教育", target_value=Decimal("10")
        ),
        "section": f.SectionFactory(unit=tree["county_a"], name="党风室"),
    }


def _project_fields(tree, **extra):
    return {
        "number": "XM-NEW",
        "year": 2024,
        "name": "廉政风险防控",
        "category": prj.ProjectCategory.COMMON,
        "tier": f.TierFactory(),
        "program": f.ProgramFactory(),
        "lead_unit": tree["county_a"],
        "start_date": D(2024, 1, 1),
        "end_date": D(2024, 12, 31),
        **extra,
    }


TARGET = {
    "description": "培训",
    "measure_unit": "场",
    "target_value": Decimal("12"),
    "due_date": D(2024, 11, 30),
}


# --- Projects ---------------------------------------------------------------------------------


def test_commission_creates_a_project_with_targets_co_units_and_mechanisms(tree, commission):
    mechanism = f.MechanismFactory()
    project = svc.project_create(
        actor=commission,
        targets=[TARGET, {**TARGET, "description": "检查", "target_value": 4}],
        mechanisms=[mechanism],
        co_units=[tree["county_b"], tree["department"]],
        milestones=[
            {
                "name": "中期",
                "stage": "implement",
                "planned_date": D(2024, 6, 30),
                "planned_progress": 50,
            }
        ],
        **_project_fields(tree),
    )
    assert project.stage == prj.ProjectStage.ESTABLISH
    assert [t.description for t in project.targets.all()] == ["培训", "检查"]
    assert set(project.co_units.all()) == {tree["county_b"], tree["department"]}
    assert list(project.mechanisms.all()) == [mechanism]
    assert project.milestones.count() == 1
    assert audit.history(project).get().action == AuditAction.CREATE
    # one audit row per created row: project, 2 targets, 2 co-units, 1 milestone
    assert AuditLog.objects.filter(actor=commission).count() == 6


@pytest.mark.parametrize("name", ["editor_a", "co_editor_b", *READ_ONLY])
def test_only_the_commission_creates_projects(tree, request, name):
    user = request.getfixturevalue(name)
    with NothingWritten(), pytest.raises(PermissionDenied):
        svc.project_create(actor=user, targets=[TARGET], **_project_fields(tree))


def test_target_outside_the_project_period_is_refused_and_nothing_is_written(tree, commission):
    with NothingWritten(), pytest.raises(ValidationError) as info:
        svc.project_create(
            actor=commission,
            targets=[{**TARGET, "due_date": D(2025, 1, 31)}],
            **_project_fields(tree),
        )
    assert info.value.message_dict["targets"] == [
        "量化目标「培训」的完成时限须在项目起止日期之内。"
    ]


def test_invalid_target_value_names_the_row(tree, commission):
    with NothingWritten(), pytest.raises(ValidationError) as info:
        svc.project_create(
            actor=commission,
            targets=[TARGET, {**TARGET, "target_value": 0}],
            **_project_fields(tree),
        )
    assert "第2项量化目标:目标值须大于0。" in info.value.message_dict["targets"]


def test_project_update_syncs_targets_and_refuses_deleting_a_reported_target(world, commission):
    project, target = world["project"], world["target"]
    reported = f.TargetFactory(project=project, description="已填报目标")
    f.LedgerQuantityFactory(target=reported, entry=f.LedgerEntryFactory(project=project))
    with NothingWritten(), pytest.raises(ValidationError) as info:
        svc.project_update(project, actor=commission, name="新名称", targets=[])
    assert info.value.message_dict["targets"] == [
        "量化目标「已填报目标」已有台账填报的完成数量,不能删除。"
    ]
    svc.project_update(
        project,
        actor=commission,
        name="新名称",
        targets=[
            {"pk": target.pk, "target_value": Decimal("20")},
            {"pk": reported.pk},
            TARGET,
        ],
    )
    project.refresh_from_db()
    target.refresh_from_db()
    assert project.name == "新名称"
    assert target.target_value == Decimal("20")
    assert project.targets.count() == 3
    assert audit.history(target).first().changed_fields == ["target_value"]


@pytest.mark.parametrize("name", ["editor_a", "co_editor_b", *READ_ONLY])
def test_only_the_commission_updates_projects(world, request, name):
    with NothingWritten(), pytest.raises(PermissionDenied):
        svc.project_update(world["project"], actor=request.getfixturevalue(name), name="x")


def test_project_update_refuses_moving_the_end_before_a_split_deadline(world, commission):
    f.InnerAssignmentFactory(project=world["project"], deadline=D(2024, 11, 30))
    with NothingWritten(), pytest.raises(ValidationError) as info:
        svc.project_update(world["project"], actor=commission, end_date=D(2024, 10, 31))
    assert "end_date" in info.value.message_dict


def test_copy_a_common_project_to_a_new_year_for_one_unit(world, commission, tree):
    project = world["project"]
    f.MilestoneFactory(project=project, planned_date=D(2024, 2, 29), planned_progress=30)
    [copy] = svc.project_copy_to_year(project, actor=commission, year=2025)
    assert (copy.number, copy.year, copy.lead_unit) == ("XM-1", 2025, tree["county_a"])
    assert copy.copied_from == project
    assert copy.stage == prj.ProjectStage.ESTABLISH
    assert (copy.start_date, copy.end_date) == (D(2025, 1, 1), D(2025, 12, 31))
    assert [(t.description, t.due_date) for t in copy.targets.all()] == [
        ("开展廉政教育", D(2025, 12, 31))
    ]
    assert [m.planned_date for m in copy.milestones.all()] == [D(2025, 2, 28)]
    assert list(copy.co_units.all()) == [tree["county_b"]]


def test_copy_to_many_units_in_one_action_numbers_each_copy(world, commission, tree):
    copies = svc.project_copy_to_year(
        world["project"],
        actor=commission,
        year=2025,
        lead_units=[tree["county_a"], tree["county_b"], tree["department"]],
    )
    assert [(c.number, c.lead_unit) for c in copies] == [
        ("XM-1-01", tree["county_a"]),
        ("XM-1-02", tree["county_b"]),
        ("XM-1-03", tree["department"]),
    ]
    # the lead unit is never its own co-organizer
    assert list(copies[1].co_units.all()) == []
    with NothingWritten(), pytest.raises(ValidationError) as info:
        svc.project_copy_to_year(
            world["project"], actor=commission, year=2025, lead_units=[tree["county_b"]]
        )
    assert "2025年度已为乙县复制过该项目。" in info.value.messages


def test_copy_refuses_a_duplicate_number_and_an_individual_project(world, commission):
    svc.project_copy_to_year(world["project"], actor=commission, year=2025)
    with NothingWritten(), pytest.raises(ValidationError) as info:
        svc.project_copy_to_year(world["project"], actor=commission, year=2025)
    assert "2025年度已有编号为XM-1的项目。" in info.value.messages
    individual = f.ProjectFactory(category=prj.ProjectCategory.INDIVIDUAL)
    with NothingWritten(), pytest.raises(ValidationError) as info:
        svc.project_copy_to_year(individual, actor=commission, year=2025)
    assert info.value.messages == ["只有共性项目可以复制到新年度。"]


@pytest.mark.parametrize("name", ["editor_a", *READ_ONLY])
def test_only_the_commission_copies_projects(world, request, name):
    with NothingWritten(), pytest.raises(PermissionDenied):
        svc.project_copy_to_year(world["project"], actor=request.getfixturevalue(name), year=2025)


# --- Life cycle -----------------------------------------------------------------------------------


def test_project_advances_one_stage_at_a_time_with_a_recorded_reason(world, commission):
    project = world["project"]
    project.stage = prj.ProjectStage.ESTABLISH
    project.save()
    with NothingWritten(), pytest.raises(ValidationError) as info:
        svc.project_advance(project, actor=commission, to_stage="evaluate", reason="跳级")
    assert info.value.message_dict["to_stage"] == [
        "项目只能逐级推进:当前为“立项”,下一阶段为“实施”。"
    ]
    with NothingWritten(), pytest.raises(ValidationError) as info:
        svc.project_advance(project, actor=commission, to_stage="implement", reason="  ")
    assert info.value.message_dict["reason"] == ["请填写阶段变更的原因。"]
    svc.project_advance(project, actor=commission, to_stage="implement", reason="立项完成")
    project.refresh_from_db()
    assert project.stage == prj.ProjectStage.IMPLEMENT
    transition = Transition.objects.get(object_id=str(project.pk), field="stage")
    assert (transition.from_state, transition.to_state, transition.reason, transition.actor) == (
        "establish",
        "implement",
        "立项完成",
        commission,
    )
    assert audit.history(project).first().action == AuditAction.TRANSITION


def test_cannot_evaluate_while_an_assignment_is_open(world, commission):
    project = world["project"]
    open_split = f.InnerAssignmentFactory(project=project)
    f.InnerAssignmentFactory(project=project, status=prj.AssignmentStatus.COMPLETED)
    with NothingWritten(), pytest.raises(ValidationError) as info:
        svc.project_advance(project, actor=commission, to_stage="evaluate", reason="年终")
    assert info.value.message_dict["to_stage"] == ["尚有1项任务分解未完成,不能进入评估阶段。"]
    svc.assignment_complete(open_split, actor=commission, reason="已完成")
    svc.project_advance(project, actor=commission, to_stage="evaluate", reason="年终")
    assert Project.objects.get(pk=project.pk).stage == prj.ProjectStage.EVALUATE


def test_promotion_needs_a_note_of_what_and_to_whom(world, commission):
    project = world["project"]
    project.stage = prj.ProjectStage.EVALUATE
    project.save()
    with NothingWritten(), pytest.raises(ValidationError) as info:
        svc.project_advance(project, actor=commission, to_stage="promote", reason="成效好")
    assert info.value.message_dict["promotion_note"] == ["进入推广阶段须写明推广的内容和推广对象。"]
    svc.project_advance(
        project,
        actor=commission,
        to_stage="promote",
        reason="成效好",
        promotion_note="“三资”监管平台推广到全市各乡镇",
    )
    project.refresh_from_db()
    assert project.stage == prj.ProjectStage.PROMOTE
    assert project.promotion_note == "“三资”监管平台推广到全市各乡镇"
    with pytest.raises(ValidationError, match="已处于推广阶段"):
        svc.project_advance(project, actor=commission, to_stage="promote", reason="再次")


def test_implementing_needs_a_target(tree, commission):
    project = f.ProjectFactory(stage=prj.ProjectStage.ESTABLISH)
    with NothingWritten(), pytest.raises(ValidationError, match="至少有一个量化目标"):
        svc.project_advance(project, actor=commission, to_stage="implement", reason="开始")


@pytest.mark.parametrize("name", ["editor_a", "co_editor_b", *READ_ONLY])
def test_only_the_commission_advances_projects(world, request, name):
    with NothingWritten(), pytest.raises(PermissionDenied):
        svc.project_advance(
            world["project"], actor=request.getfixturevalue(name), to_stage="evaluate", reason="x"
        )


# --- The three splits -----------------------------------------------------------------------------


def _split(world, actor, tree, **extra):
    fields = {
        "project": world["project"],
        "kind": prj.SplitKind.OUTER,
        "assignee_unit": tree["county_b"],
        "content": "开展廉政教育宣讲",
        "deadline": D(2024, 10, 31),
        "responsible_person": "李四",
        "shares": {world["target"]: 40},
        **extra,
    }
    return svc.assignment_create(actor=actor, **fields)


def test_lead_unit_editor_splits_three_ways_and_assignees_are_notified(
    world, tree, editor_a, editor_b, co_editor_b, django_capture_on_commit_callbacks
):
    township = tree["township_a"]
    with django_capture_on_commit_callbacks(execute=True):
        outer = _split(world, editor_a, tree)
        inner = _split(
            world,
            editor_a,
            tree,
            kind=prj.SplitKind.INNER,
            assignee_unit=tree["county_a"],
            section=world["section"],
            shares={world["target"]: 30},
        )
        downward = _split(
            world,
            editor_a,
            tree,
            kind=prj.SplitKind.DOWNWARD,
            assignee_unit=township,
            shares={world["target"]: "30"},
        )
    assert [a.kind for a in (outer, inner, downward)] == ["outer", "inner", "downward"]
    assert AssignmentShare.objects.filter(target=world["target"]).count() == 3
    assert audit.history(outer).get().actor == editor_a
    assigned = Notification.objects.filter(verb="assigned", object_id=str(outer.pk))
    assert {n.recipient for n in assigned} == {editor_b, co_editor_b}
    assert "开展廉政教育" not in assigned.first().message  # the project's name, not content
    assert world["project"].name in assigned.first().message


def test_shares_of_a_target_cannot_pass_100_percent(world, tree, editor_a):
    _split(world, editor_a, tree, shares={world["target"]: 70})
    with NothingWritten(), pytest.raises(ValidationError) as info:
        _split(
            world,
            editor_a,
            tree,
            kind=prj.SplitKind.INNER,
            assignee_unit=tree["county_a"],
            section=world["section"],
            shares={world["target"]: 31},
        )
    assert info.value.message_dict["shares"] == [
        "量化目标「开展廉政教育」:该目标各分解的分担比例合计不能超过100%(已分配70.00%)。"
    ]


def test_the_assignee_must_fit_the_kind(world, tree, editor_a):
    with NothingWritten(), pytest.raises(ValidationError) as info:
        _split(world, editor_a, tree, assignee_unit=tree["department"])
    assert info.value.message_dict["assignee_unit"] == ["外分须分解到本项目的协办单位。"]
    with NothingWritten(), pytest.raises(ValidationError) as info:
        _split(world, editor_a, tree, kind=prj.SplitKind.DOWNWARD, assignee_unit=tree["county_b"])
    assert info.value.message_dict["assignee_unit"] == ["下分须分解到牵头单位的下级单位。"]


@pytest.mark.parametrize(
    ("deadline", "message"),
    [
        (D(2023, 12, 31), "完成时限不能早于项目开始日期。"),
        (D(2025, 1, 1), "完成时限不能晚于项目结束日期。"),
    ],
)
def test_the_deadline_lies_inside_the_project_period(world, tree, editor_a, deadline, message):
    with NothingWritten(), pytest.raises(ValidationError) as info:
        _split(world, editor_a, tree, deadline=deadline)
    assert info.value.message_dict["deadline"] == [message]


@pytest.mark.parametrize("name", ["editor_b", "co_editor_b", *READ_ONLY])
def test_only_the_lead_unit_or_the_commission_splits(world, tree, request, name):
    with NothingWritten(), pytest.raises(PermissionDenied):
        _split(world, request.getfixturevalue(name), tree)


def test_commission_may_split_too(world, tree, commission):
    assert _split(world, commission, tree).pk


def test_update_and_cancel_an_assignment(world, tree, editor_a, editor_b):
    assignment = _split(world, editor_a, tree)
    svc.assignment_update(
        assignment, actor=editor_a, content="改为专题宣讲", shares={world["target"]: 60}
    )
    assert AssignmentShare.objects.get(assignment=assignment).share_percent == Decimal("60")
    with pytest.raises(PermissionDenied):
        svc.assignment_update(assignment, actor=editor_b, content="越权修改")
    with NothingWritten(), pytest.raises(ValidationError) as info:
        svc.assignment_cancel(assignment, actor=editor_a, reason="")
    assert info.value.message_dict["reason"] == ["请填写撤销原因。"]
    svc.assignment_cancel(assignment, actor=editor_a, reason="任务调整")
    assignment.refresh_from_db()
    assert assignment.status == prj.AssignmentStatus.CANCELLED
    assert not AssignmentShare.objects.filter(assignment=assignment).exists()  # released
    with pytest.raises(ValidationError, match="只能修改进行中的任务分解。"):
        svc.assignment_update(assignment, actor=editor_a, content="再改")


# --- The ledger ---------------------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _ooxml(main_part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr(main_part, "<x/>")
    return buffer.getvalue()


def _ole2(stream: str) -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500 + stream.encode("utf-16-le")


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def outer(world, tree, editor_a):
    return _split(world, editor_a, tree)


def _entry(outer, actor, **extra):
    fields = {
        "project": outer.project,
        "assignment": outer,
        "entry_date": D(2024, 5, 31),
        "content": "完成宣讲4场",
        "progress_percent": 40,
        "quantities": {outer.shares.get().target: 4},
        **extra,
    }
    return svc.ledger_entry_create(actor=actor, **fields)


def test_full_ledger_cycle_return_correct_verify_changes_progress_and_light(
    world, outer, media, editor_b, co_editor_b, commission, django_capture_on_commit_callbacks
):
    target = world["target"]
    entry = _entry(outer, co_editor_b, files=[upload("纪要.pdf", PDF)], submit=True)
    assert entry.status == prj.LedgerStatus.SUBMITTED
    assert entry.unit == outer.assignee_unit and entry.author == co_editor_b
    assert sel.assignment_progress(outer) == 0  # not verified yet
    with NothingWritten(), pytest.raises(ValidationError) as info:
        svc.ledger_entry_return(entry, actor=commission, comment=" ")
    assert info.value.message_dict["comment"] == ["退回台账须填写退回意见。"]
    with django_capture_on_commit_callbacks(execute=True):
        svc.ledger_entry_return(entry, actor=commission, comment="请补充签到表")
    returned = Notification.objects.filter(verb="returned").first()
    assert returned.target == entry and "请补充签到表" in returned.message
    assert Notification.objects.filter(verb="returned").count() == 2  # editor_b, co_editor_b
    svc.ledger_entry_update(
        entry,
        actor=co_editor_b,
        progress_percent=50,
        quantities={target: 5},
        files=[upload("签到表.pdf", PDF)],
        submit=True,
    )
    assert entry.status == prj.LedgerStatus.SUBMITTED
    assert sorted(entry.evidence.values_list("original_name", flat=True)) == [
        "签到表.pdf",
        "纪要.pdf",
    ]
    with django_capture_on_commit_callbacks(execute=True):
        svc.ledger_entry_verify(entry, actor=commission, comment="属实")
    entry.refresh_from_db()
    assert (entry.status, entry.reviewer, entry.review_comment) == ("verified", commission, "属实")
    assert sel.assignment_progress(outer) == 50
    assert sel.target_attainment(target) == Decimal("50.00")
    states = list(
        Transition.objects.filter(object_id=str(entry.pk), field="status").values_list(
            "from_state", "to_state"
        )
    )
    assert states == [
        ("draft", "submitted"),
        ("submitted", "returned"),
        ("returned", "submitted"),
        ("submitted", "verified"),
    ]
    assert Notification.objects.filter(verb="verified").count() == 2
    with pytest.raises(ValidationError, match="不能再修改"):
        svc.ledger_entry_update(entry, actor=co_editor_b, content="改")


def test_verifying_100_percent_completes_the_assignment(outer, co_editor_b, commission):
    entry = _entry(outer, co_editor_b, progress_percent=100, submit=True)
    svc.ledger_entry_verify(entry, actor=commission)
    outer.refresh_from_db()
    assert outer.status == prj.AssignmentStatus.COMPLETED


@pytest.mark.parametrize("name", ["commission", "editor_a", *READ_ONLY])
def test_only_the_owning_unit_writes_its_ledger(outer, request, name):
    with NothingWritten(), pytest.raises(PermissionDenied):
        _entry(outer, request.getfixturevalue(name))


@pytest.mark.parametrize("name", ["editor_b", "co_editor_b", "editor_a", *READ_ONLY])
def test_only_the_commission_verifies_or_returns(outer, co_editor_b, request, name):
    entry = _entry(outer, co_editor_b, submit=True)
    user = request.getfixturevalue(name)
    with NothingWritten(), pytest.raises(PermissionDenied):
        svc.ledger_entry_verify(entry, actor=user)
    with NothingWritten(), pytest.raises(PermissionDenied):
        svc.ledger_entry_return(entry, actor=user, comment="退回")


def test_only_submitted_entries_are_verified(outer, co_editor_b, commission):
    entry = _entry(outer, co_editor_b)
    with NothingWritten(), pytest.raises(ValidationError, match="只能核实或退回待核实的台账"):
        svc.ledger_entry_verify(entry, actor=commission)


def test_quantity_for_a_target_the_assignment_does_not_share_is_refused(world, outer, co_editor_b):
    other = f.TargetFactory(project=world["project"], description="查处案件")
    with NothingWritten(), pytest.raises(ValidationError) as info:
        _entry(outer, co_editor_b, quantities={other: 1})
    assert info.value.message_dict["quantities"] == [
        "量化目标「查处案件」:该任务分解未分担此目标,不能填报其完成数量。"
    ]


def test_lead_unit_writes_project_level_entries(world, editor_a):
    entry = svc.ledger_entry_create(
        actor=editor_a,
        project=world["project"],
        entry_date=D(2024, 4, 1),
        content="召开推进会",
        progress_percent=20,
    )
    assert entry.unit == world["project"].lead_unit and entry.status == "draft"


def test_entry_date_in_the_future_is_refused(world, editor_a):
    with NothingWritten(), pytest.raises(ValidationError) as info:
        svc.ledger_entry_create(
            actor=editor_a,
            project=world["project"],
            entry_date=datetime.date.today() + datetime.timedelta(days=2),
            content="x",
            progress_percent=1,
        )
    assert info.value.message_dict["entry_date"] == ["台账日期不能晚于今天。"]


# --- Evidence ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("纪要.pdf", PDF, "application/pdf"),
        ("现场.PNG", PNG, "image/png"),
        ("照片.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 20, "image/jpeg"),
        ("动图.gif", b"GIF89a" + b"\x00" * 20, "image/gif"),
        (
            "方案.docx",
            _ooxml("word/document.xml"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "统计.xlsx",
            _ooxml("xl/workbook.xml"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (
            "汇报.pptx",
            _ooxml("ppt/presentation.xml"),
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        ("旧方案.doc", _ole2("WordDocument"), "application/msword"),
        ("旧统计.xls", _ole2("Workbook"), "application/vnd.ms-excel"),
    ],
)
def test_evidence_type_is_read_from_the_content(
    outer, co_editor_b, media, name, content, content_type
):
    entry = _entry(outer, co_editor_b)
    evidence = svc.evidence_attach(entry, actor=co_editor_b, file=upload(name, content))
    assert (evidence.original_name, evidence.content_type, evidence.size) == (
        name,
        content_type,
        len(content),
    )
    stored = evidence.file.name
    assert name not in stored and stored.startswith("evidence/2024/")
    assert (media / stored).read_bytes() == content
    assert evidence.uploaded_by == co_editor_b


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("病毒.exe", b"MZ\x90\x00" + b"\x00" * 20, "不支持的文件类型"),
        ("说明.txt", "纯文本".encode(), "不支持的文件类型"),
        ("伪装.pdf", PNG, "文件内容与扩展名不符:内容是PNG文件。"),
        ("压缩包.docx", _ooxml("other/thing.xml"), "不支持的文件类型"),
        ("表格.doc", _ole2("Workbook"), "不支持的文件类型"),
        ("空.pdf", b"", "文件为空。"),
    ],
)
def test_evidence_of_a_wrong_type_is_refused(outer, co_editor_b, media, name, content, message):
    entry = _entry(outer, co_editor_b)
    with NothingWritten(), pytest.raises(ValidationError) as info:
        svc.evidence_attach(entry, actor=co_editor_b, file=upload(name, content))
    assert message in info.value.message_dict["file"][0]
    assert not list(media.rglob("*.*")) and not (media / "evidence").exists()


def test_evidence_larger_than_the_limit_is_refused(outer, co_editor_b, media, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    entry = _entry(outer, co_editor_b)
    with NothingWritten(), pytest.raises(ValidationError) as info:
        svc.evidence_attach(entry, actor=co_editor_b, file=upload("大.pdf", PDF + b"0" * 1024))
    assert info.value.message_dict["file"] == ["文件大小0.0 MB超过上限0.0 MB。"]
    svc.evidence_attach(entry, actor=co_editor_b, file=upload("小.pdf", PDF))


def test_no_evidence_after_submission_and_not_by_others(outer, co_editor_b, editor_a, media):
    entry = _entry(outer, co_editor_b)
    with NothingWritten(), pytest.raises(PermissionDenied):
        svc.evidence_attach(entry, actor=editor_a, file=upload("a.pdf", PDF))
    svc.ledger_entry_submit(entry, actor=co_editor_b)
    with NothingWritten(), pytest.raises(ValidationError, match="不能再修改"):
        svc.evidence_attach(entry, actor=co_editor_b, file=upload("a.pdf", PDF))


def test_a_draft_is_deleted_with_its_rows_and_files(
    outer, co_editor_b, media, django_capture_on_commit_callbacks
):
    entry = _entry(outer, co_editor_b, files=[upload("a.pdf", PDF)])
    stored = media / entry.evidence.get().file.name
    with django_capture_on_commit_callbacks(execute=True):
        svc.ledger_entry_delete(entry, actor=co_editor_b)
    assert not LedgerEntry.objects.filter(pk=entry.pk).exists()
    assert not stored.exists()


def test_a_refused_correction_changes_nothing(outer, co_editor_b, media):
    entry = _entry(outer, co_editor_b)
    with NothingWritten(), pytest.raises(ValidationError):
        svc.ledger_entry_update(
            entry, actor=co_editor_b, content="改", files=[upload("a.exe", b"MZ")], submit=True
        )
    entry.refresh_from_db()
    assert (entry.content, entry.status) == ("完成宣讲4场", prj.LedgerStatus.DRAFT)


# --- Stored files follow the transaction ---------------------------------------------------


def stored_files(media) -> list:
    return [path for path in media.rglob("*") if path.is_file()]


def test_a_failing_second_file_leaves_no_file_of_the_first(outer, co_editor_b, media):
    files = [upload("纪要.pdf", PDF), upload("伪装.pdf", PNG)]
    with NothingWritten(), pytest.raises(ValidationError, match="内容是PNG文件"):
        _entry(outer, co_editor_b, files=files)
    assert stored_files(media) == []


def test_a_failing_correction_leaves_no_file(outer, co_editor_b, media):
    entry = _entry(outer, co_editor_b, files=[upload("纪要.pdf", PDF)])
    kept = stored_files(media)
    with NothingWritten(), pytest.raises(ValidationError, match="内容是PNG文件"):
        svc.ledger_entry_update(
            entry,
            actor=co_editor_b,
            files=[upload("签到表.pdf", PDF), upload("伪装.pdf", PNG)],
            submit=True,
        )
    assert stored_files(media) == kept


def test_a_row_that_cannot_be_written_leaves_no_file(outer, co_editor_b, media, monkeypatch):
    entry = _entry(outer, co_editor_b)

    def broken(*args, **kwargs):
        raise ValidationError("数据库拒绝")

    monkeypatch.setattr(svc, "audited_create", broken)
    with pytest.raises(ValidationError, match="数据库拒绝"):
        svc.evidence_attach(entry, actor=co_editor_b, file=upload("纪要.pdf", PDF))
    assert stored_files(media) == []


def test_files_go_when_the_callers_transaction_rolls_back(outer, co_editor_b, media):
    entry = _entry(outer, co_editor_b)
    with pytest.raises(RuntimeError), transaction.atomic():
        svc.evidence_attach(entry, actor=co_editor_b, file=upload("纪要.pdf", PDF))
        _entry(outer, co_editor_b, files=[upload("签到表.pdf", PDF)])
        assert len(stored_files(media)) == 2
        raise RuntimeError("the caller gives up")
    assert stored_files(media) == []
    assert not Evidence.objects.exists()


def test_a_caught_failure_keeps_the_files_of_what_was_committed(outer, co_editor_b, media):
    """A service failing inside a caller's transaction removes only its own files."""
    entry = _entry(outer, co_editor_b)
    with transaction.atomic():
        kept = svc.evidence_attach(entry, actor=co_editor_b, file=upload("纪要.pdf", PDF))
        with pytest.raises(ValidationError):
            svc.evidence_attach(entry, actor=co_editor_b, file=upload("伪装.pdf", PNG))
        with pytest.raises(ValidationError):
            _entry(outer, co_editor_b, files=[upload("a.pdf", PDF), upload("b.pdf", PNG)])
    assert stored_files(media) == [media / kept.file.name]


@pytest.mark.django_db(transaction=True)
def test_committed_files_stay(tree, editor_a, media):
    """Committed by the service itself, or by the caller's transaction around it."""
    project = f.ProjectFactory(lead_unit=tree["county_a"], start_date=D(2024, 1, 1))
    fields = {
        "actor": editor_a,
        "project": project,
        "entry_date": D(2024, 5, 31),
        "content": "完成宣讲4场",
        "progress_percent": 40,
    }
    own = svc.ledger_entry_create(files=[upload("纪要.pdf", PDF)], **fields)
    with transaction.atomic():
        callers = svc.ledger_entry_create(files=[upload("签到表.pdf", PDF)], **fields)
    gc.collect()
    names = [entry.evidence.get().file.name for entry in (own, callers)]
    assert sorted(stored_files(media)) == sorted(media / name for name in names)


# --- One rule: the predicates the pages use are the services' guards ------------------------

PERSONAS = ["commission", "editor_a", "editor_b", "co_editor_b", *READ_ONLY, "superuser"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_can_split_answers_as_the_split_service_does(world, tree, request, persona):
    user = request.getfixturevalue(persona)
    allowed = svc.can_split(user, world["project"])
    try:
        _split(world, user, tree)
    except PermissionDenied:
        assert not allowed
    else:
        assert allowed
    assert allowed == (persona in ("commission", "editor_a", "superuser"))


@pytest.mark.parametrize("persona", PERSONAS)
def test_can_write_ledger_answers_as_the_ledger_services_do(outer, request, persona, media):
    user = request.getfixturevalue(persona)
    project = outer.project
    for assignment in (None, outer):
        allowed = svc.can_write_ledger(user, project, assignment)
        try:
            entry = svc.ledger_entry_create(
                actor=user,
                project=project,
                assignment=assignment,
                entry_date=D(2024, 5, 31),
                content="宣讲",
                progress_percent=10,
            )
        except PermissionDenied:
            assert not allowed
        else:
            assert allowed and svc.can_write_ledger(user, entry)
    assert svc.can_write_ledger(user, project) == (persona in ("editor_a", "superuser"))
    assert svc.can_write_ledger(user, project, outer) == (
        persona in ("editor_b", "co_editor_b", "superuser")
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_can_verify_answers_as_the_review_service_does(outer, request, persona, co_editor_b):
    user = request.getfixturevalue(persona)
    entry = _entry(outer, co_editor_b, submit=True)
    allowed = svc.can_verify(user)
    try:
        svc.ledger_entry_verify(entry, actor=user)
    except PermissionDenied:
        assert not allowed
    else:
        assert allowed
    assert allowed == (persona in ("commission", "superuser"))


# --- Consistency rules found in review -------------------------------------------------------


def test_lead_unit_cannot_change_once_the_project_is_split(world, outer, commission, tree):
    project = world["project"]
    with NothingWritten(), pytest.raises(ValidationError) as info:
        svc.project_update(project, actor=commission, lead_unit=tree["department"])
    assert "不能更换牵头单位" in str(info.value)
    project.refresh_from_db()
    assert project.lead_unit == tree["county_a"]


def test_lead_unit_can_change_before_any_split(world, commission, tree):
    project = svc.project_update(world["project"], actor=commission, lead_unit=tree["department"])
    assert project.lead_unit == tree["department"]


def test_a_cancelled_split_takes_no_more_entries_and_its_pending_one_is_not_verified(
    outer, co_editor_b, editor_a, commission
):
    pending = _entry(outer, co_editor_b, submit=True)
    draft = _entry(outer, co_editor_b)
    svc.assignment_cancel(outer, actor=editor_a, reason="改由他单位承担")
    pending.refresh_from_db()
    draft.refresh_from_db()
    with NothingWritten(), pytest.raises(ValidationError, match="已撤销"):
        svc.ledger_entry_verify(pending, actor=commission)
    with NothingWritten(), pytest.raises(ValidationError, match="不能再填报或提交"):
        svc.ledger_entry_submit(draft, actor=co_editor_b)
    with NothingWritten(), pytest.raises(ValidationError, match="不能再填报或提交"):
        svc.ledger_entry_update(draft, actor=co_editor_b, content="补充")
    with NothingWritten(), pytest.raises(ValidationError, match="不能再填报或提交"):
        svc.ledger_entry_create(
            actor=co_editor_b,
            project=outer.project,
            assignment=outer,
            entry_date=D(2024, 6, 1),
            content="继续推进",
            progress_percent=50,
        )


def test_completion_follows_the_latest_verified_entry_not_the_one_just_verified(
    outer, co_editor_b, commission
):
    later = _entry(outer, co_editor_b, entry_date=D(2024, 5, 1), progress_percent=60, submit=True)
    earlier = _entry(
        outer, co_editor_b, entry_date=D(2024, 3, 1), progress_percent=100, submit=True
    )
    svc.ledger_entry_verify(later, actor=commission)
    svc.ledger_entry_verify(earlier, actor=commission)
    outer.refresh_from_db()
    assert outer.status == prj.AssignmentStatus.OPEN
    assert sel.assignment_progress(outer) == 60


def test_a_completed_split_takes_no_new_entries(outer, co_editor_b, commission):
    done = _entry(outer, co_editor_b, progress_percent=100, submit=True)
    svc.ledger_entry_verify(done, actor=commission)
    outer.refresh_from_db()
    assert outer.status == prj.AssignmentStatus.COMPLETED
    with NothingWritten(), pytest.raises(ValidationError, match="已完成"):
        _entry(outer, co_editor_b, progress_percent=30)

"""Constraints and clean() rules of the projects models: the framework, the
plan, projects, the three splits, shares, milestones and the ledger."""

import datetime
from decimal import Decimal

import pytest

from projects import choices as prj
from projects.models import (
    Assignment,
    AssignmentShare,
    BrandModel,
    Framework,
    LedgerEntry,
    LedgerQuantity,
    Mechanism,
    Milestone,
    Plan,
    PlanTask,
    Program,
    Project,
    ProjectCoUnit,
    Target,
    Tier,
)
from tests import factories as f
from tests.validation import (
    assert_create_refused,
    assert_db_refuses,
    assert_invalid,
    assert_valid,
)

pytestmark = pytest.mark.django_db

D = datetime.date


# --- Framework --------------------------------------------------------------------------


def test_framework_code_is_unique():
    f.FrameworkFactory(code="px")
    assert_invalid(
        Framework(code="px", name="另一", main_line="主线"), "具有 编码 的 工作模式 已存在。"
    )
    assert_db_refuses(
        lambda: Framework.objects.create(code="px", name="另一", main_line="主线"), Framework
    )


@pytest.mark.parametrize(
    ("model", "factory"),
    [(Tier, f.TierFactory), (Program, f.ProgramFactory), (Mechanism, f.MechanismFactory)],
)
def test_framework_element_code_is_unique_within_its_framework(model, factory):
    element = factory(code="sunshine")
    extra = {"goal": "不能腐败"} if model is Mechanism else {}
    duplicate = model(framework=element.framework, code="sunshine", name="重复", **extra)
    assert_invalid(duplicate, "本工作模式中已有相同编码。")
    assert_db_refuses(lambda: duplicate.save(), model)
    other = model(framework=f.FrameworkFactory(), code="sunshine", name="另一城市", **extra)
    assert_valid(other)


def test_brand_model_name_is_unique_per_county():
    brand = f.BrandModelFactory(name="梯链网")
    duplicate = BrandModel(unit=brand.unit, program=brand.program, name="梯链网")
    assert_invalid(duplicate, "该县区已有同名品牌模式。")
    assert_db_refuses(lambda: duplicate.save(), BrandModel)


# --- Plan -------------------------------------------------------------------------------


def test_plan_period_cannot_end_before_it_starts():
    plan = f.PlanFactory()
    plan.period_end = plan.period_start - 1
    assert_invalid(plan, "截止年度不能早于起始年度。")
    assert_db_refuses(
        lambda: Plan.objects.filter(pk=plan.pk).update(period_end=plan.period_end), Plan
    )
    plan.period_end = plan.period_start
    assert_valid(plan)


def test_plan_task_number_is_unique_within_its_plan():
    task = f.PlanTaskFactory(number="T001")
    duplicate = f.PlanTaskFactory.build(
        plan=task.plan, number="T001", lead_unit=task.lead_unit, mechanism=task.mechanism
    )
    assert_invalid(duplicate, "任务编号在本方案中重复。")
    assert_db_refuses(lambda: duplicate.save(), PlanTask)


COMPLETION_MESSAGE = "已完成的任务须填写完成日期,未完成的任务不能填写完成日期。"


def test_completed_plan_task_needs_a_completion_date():
    task = f.PlanTaskFactory()
    task.status = prj.PlanTaskStatus.COMPLETED
    assert_invalid(task, COMPLETION_MESSAGE)
    assert_db_refuses(
        lambda: PlanTask.objects.filter(pk=task.pk).update(status=prj.PlanTaskStatus.COMPLETED),
        PlanTask,
    )
    task.completed_on = D(2012, 6, 30)
    assert_valid(task)


@pytest.mark.parametrize("status", [prj.PlanTaskStatus.PENDING, prj.PlanTaskStatus.IN_PROGRESS])
def test_unfinished_plan_task_cannot_have_a_completion_date(status):
    task = f.PlanTaskFactory(status=status)
    task.completed_on = D(2012, 6, 30)
    assert_invalid(task, COMPLETION_MESSAGE)
    assert_db_refuses(
        lambda: PlanTask.objects.filter(pk=task.pk).update(completed_on=D(2012, 6, 30)), PlanTask
    )


# --- Projects -----------------------------------------------------------------------------


def test_project_number_is_unique_per_year():
    project = f.ProjectFactory(number="2024-01")
    duplicate = f.ProjectFactory.build(
        number="2024-01",
        tier=project.tier,
        program=project.program,
        lead_unit=project.lead_unit,
    )
    assert_invalid(duplicate, "该年度已有相同编号的项目。")
    assert_db_refuses(lambda: duplicate.save(), Project)
    next_year = f.ProjectFactory.build(
        number="2024-01",
        year=2025,
        tier=project.tier,
        program=project.program,
        lead_unit=project.lead_unit,
    )
    assert_valid(next_year)


def test_project_cannot_end_before_it_starts():
    project = f.ProjectFactory()
    project.end_date = project.start_date - datetime.timedelta(days=1)
    assert_invalid(project, "结束日期不能早于开始日期。")
    assert_db_refuses(
        lambda: Project.objects.filter(pk=project.pk).update(end_date=project.end_date), Project
    )


def test_project_starts_within_its_year():
    project = f.ProjectFactory(year=2024)
    project.start_date = D(2023, 12, 31)
    assert_invalid(project, "开始日期须在项目年度内。", field="start_date")


def test_co_unit_cannot_be_lead_unit():
    project = f.ProjectFactory()
    assert_create_refused(
        ProjectCoUnit, "协办单位不能是牵头单位本身。", project=project, unit=project.lead_unit
    )


def test_co_unit_is_added_once():
    link = f.ProjectCoUnitFactory()
    duplicate = ProjectCoUnit(project=link.project, unit=link.unit)
    assert_invalid(duplicate, "该协办单位已添加。")
    assert_db_refuses(lambda: duplicate.save(), ProjectCoUnit)


@pytest.mark.parametrize("value", [Decimal("0"), Decimal("-1")])
def test_target_value_is_positive(value):
    target = f.TargetFactory()
    target.target_value = value
    assert_invalid(target, "目标值须大于0。")
    assert_db_refuses(
        lambda: Target.objects.filter(pk=target.pk).update(target_value=value), Target
    )


# --- The three splits ------------------------------------------------------------------------


def _split(project, kind, assignee_unit, section=None, **extra):
    return Assignment(
        project=project,
        kind=kind,
        assignee_unit=assignee_unit,
        section=section,
        content="分解任务",
        deadline=extra.pop("deadline", project.end_date),
        **extra,
    )


@pytest.fixture
def county_project():
    """A project led by a county, with a township and a village below it,
    one co-organizing department and one unrelated department."""
    county = f.CountyFactory()
    township = f.TownshipFactory(parent=county)
    village = f.UnitFactory(parent=township, tier="grassroots", kind="village_agent_point")
    co_unit = f.UnitFactory()
    project = f.ProjectFactory(lead_unit=county, co_units=[co_unit])
    return {
        "project": project,
        "lead": county,
        "township": township,
        "village": village,
        "co_unit": co_unit,
        "stranger": f.UnitFactory(),
    }


def test_inner_split_must_name_a_section_of_the_lead_unit(county_project):
    p = county_project
    foreign_section = f.SectionFactory(unit=p["co_unit"])
    assert_invalid(
        _split(p["project"], prj.SplitKind.INNER, p["lead"], foreign_section),
        "内分须分解到牵头单位的内设科室。",
        field="section",
    )
    own_section = f.SectionFactory(unit=p["lead"])
    assert_valid(_split(p["project"], prj.SplitKind.INNER, p["lead"], own_section))


def test_inner_split_needs_a_section(county_project):
    p = county_project
    split = _split(p["project"], prj.SplitKind.INNER, p["lead"])
    assert_invalid(split, "内分须指定本单位科室;外分和下分不能指定科室。")
    assert_db_refuses(lambda: split.save(), Assignment)


def test_inner_split_stays_with_the_lead_unit(county_project):
    p = county_project
    section = f.SectionFactory(unit=p["co_unit"])
    assert_invalid(
        _split(p["project"], prj.SplitKind.INNER, p["co_unit"], section),
        "内分的承担单位须是牵头单位本身。",
        field="assignee_unit",
    )


@pytest.mark.parametrize("kind", [prj.SplitKind.OUTER, prj.SplitKind.DOWNWARD])
def test_outer_and_downward_splits_cannot_name_a_section(county_project, kind):
    p = county_project
    assignee = p["co_unit"] if kind == prj.SplitKind.OUTER else p["township"]
    split = _split(p["project"], kind, assignee, f.SectionFactory(unit=assignee))
    assert_invalid(split, "内分须指定本单位科室;外分和下分不能指定科室。")
    assert_db_refuses(lambda: split.save(), Assignment)


def test_outer_split_goes_to_a_co_unit(county_project):
    p = county_project
    assert_valid(_split(p["project"], prj.SplitKind.OUTER, p["co_unit"]))
    assert_invalid(
        _split(p["project"], prj.SplitKind.OUTER, p["stranger"]),
        "外分须分解到本项目的协办单位。",
        field="assignee_unit",
    )


def test_outer_split_cannot_go_to_the_lead_unit(county_project):
    p = county_project
    assert_invalid(
        _split(p["project"], prj.SplitKind.OUTER, p["lead"]),
        "外分的承担单位不能是牵头单位本身。",
        field="assignee_unit",
    )


@pytest.mark.parametrize("assignee", ["township", "village"])
def test_downward_split_goes_to_any_unit_below_the_lead(county_project, assignee):
    p = county_project
    assert_valid(_split(p["project"], prj.SplitKind.DOWNWARD, p[assignee]))


@pytest.mark.parametrize("assignee", ["lead", "co_unit", "stranger", "city"])
def test_downward_split_must_be_to_a_unit_strictly_below_the_lead(county_project, assignee):
    p = county_project
    unit = f.city_unit() if assignee == "city" else p[assignee]
    assert_create_refused(
        Assignment,
        "下分须分解到牵头单位的下级单位。",
        project=p["project"],
        kind=prj.SplitKind.DOWNWARD,
        assignee_unit=unit,
        content="分解任务",
        deadline=p["project"].end_date,
    )


def test_split_deadline_cannot_pass_the_project_end(county_project):
    p = county_project
    split = _split(
        p["project"],
        prj.SplitKind.DOWNWARD,
        p["township"],
        deadline=p["project"].end_date + datetime.timedelta(days=1),
    )
    assert_invalid(split, "完成时限不能晚于项目结束日期。", field="deadline")


# --- Shares of a target -----------------------------------------------------------------------


def test_share_percent_is_above_0_and_at_most_100():
    share = f.AssignmentShareFactory()
    for value in (Decimal("0"), Decimal("100.01")):
        share.share_percent = value
        assert_invalid(share, "分担比例须大于0且不超过100。", field="share_percent")
        assert_db_refuses(
            lambda v=value: AssignmentShare.objects.filter(pk=share.pk).update(share_percent=v),
            AssignmentShare,
        )


def test_shares_of_a_target_cannot_exceed_100_percent_in_total():
    first = f.AssignmentShareFactory(share_percent=Decimal("60"))
    project, target = first.assignment.project, first.target
    second = f.OuterAssignmentFactory(project=project)
    assert_create_refused(
        AssignmentShare,
        "该目标各分解的分担比例合计不能超过100%(已分配60.00%)。",
        assignment=second,
        target=target,
        share_percent=Decimal("40.01"),
    )
    assert_valid(AssignmentShare(assignment=second, target=target, share_percent=Decimal("40")))


def test_changing_a_share_does_not_count_its_own_old_value():
    share = f.AssignmentShareFactory(share_percent=Decimal("60"))
    share.share_percent = Decimal("100")
    assert_valid(share)


def test_share_must_be_of_a_target_of_the_same_project():
    assignment = f.InnerAssignmentFactory()
    other_target = f.TargetFactory()
    assert_invalid(
        AssignmentShare(assignment=assignment, target=other_target, share_percent=Decimal("10")),
        "只能分担本项目的量化目标。",
        field="target",
    )


def test_an_assignment_shares_a_target_once():
    share = f.AssignmentShareFactory(share_percent=Decimal("30"))
    duplicate = AssignmentShare(
        assignment=share.assignment, target=share.target, share_percent=Decimal("10")
    )
    assert_invalid(duplicate, "该分解已分担此目标。")
    assert_db_refuses(lambda: duplicate.save(), AssignmentShare)


# --- Milestones and ledger --------------------------------------------------------------------


def test_milestone_progress_is_between_0_and_100():
    milestone = f.MilestoneFactory()
    milestone.planned_progress = 101
    assert_invalid(milestone, "计划进度须在0到100之间。")
    for value in (101, -1):
        assert_db_refuses(
            lambda v=value: Milestone.objects.filter(pk=milestone.pk).update(planned_progress=v),
            Milestone,
        )
    milestone.planned_progress = -1
    assert_invalid(milestone, "确保该值大于或等于0。", field="planned_progress")
    for value in (0, 100):
        milestone.planned_progress = value
        assert_valid(milestone)


def test_ledger_progress_is_between_0_and_100():
    entry = f.LedgerEntryFactory()
    entry.progress_percent = 101
    assert_invalid(entry, "完成进度须在0到100之间。")
    for value in (101, -1):
        assert_db_refuses(
            lambda v=value: LedgerEntry.objects.filter(pk=entry.pk).update(progress_percent=v),
            LedgerEntry,
        )
    entry.progress_percent = 100
    assert_valid(entry)


def test_project_ledger_without_an_assignment_is_written_by_the_lead_unit():
    project = f.ProjectFactory()
    assert_create_refused(
        LedgerEntry,
        "项目台账须由牵头单位填报。",
        project=project,
        unit=f.UnitFactory(),
        entry_date=D(2024, 5, 1),
        content="进展",
        progress_percent=10,
    )


def test_assignment_ledger_is_written_by_the_assignee():
    assignment = f.OuterAssignmentFactory()
    entry = f.LedgerEntryFactory.build(assignment=assignment)
    assert entry.unit == assignment.assignee_unit
    assert_valid(entry)
    entry.unit = assignment.project.lead_unit
    assert_invalid(entry, "填报单位须是该任务分解的承担单位。", field="unit")


def test_ledger_assignment_must_belong_to_the_entry_project():
    assignment = f.DownwardAssignmentFactory()
    entry = f.LedgerEntryFactory.build(
        assignment=assignment, project=f.ProjectFactory(), unit=assignment.assignee_unit
    )
    assert_invalid(entry, "任务分解不属于该项目。", field="assignment")


def test_ledger_quantity_is_not_negative():
    quantity = f.LedgerQuantityFactory()
    quantity.quantity = Decimal("-0.01")
    assert_invalid(quantity, "完成数量不能为负数。")
    assert_db_refuses(
        lambda: LedgerQuantity.objects.filter(pk=quantity.pk).update(quantity=Decimal("-1")),
        LedgerQuantity,
    )
    quantity.quantity = Decimal("0")
    assert_valid(quantity)


def test_ledger_quantity_target_must_belong_to_the_entry_project():
    entry = f.LedgerEntryFactory()
    assert_create_refused(
        LedgerQuantity,
        "只能填报本项目的量化目标。",
        entry=entry,
        target=f.TargetFactory(),
        quantity=Decimal("1"),
    )


def test_ledger_quantity_reports_a_target_once_per_entry():
    quantity = f.LedgerQuantityFactory()
    duplicate = LedgerQuantity(entry=quantity.entry, target=quantity.target, quantity=1)
    assert_invalid(duplicate, "本条台账已填报该目标的完成数量。")
    assert_db_refuses(lambda: duplicate.save(), LedgerQuantity)


def test_share_that_is_not_a_number_gets_the_field_message():
    share = f.AssignmentShareFactory()
    share.share_percent = "一半"
    assert_invalid(share, "“一半”的值应该是一个十进制数字。", field="share_percent")

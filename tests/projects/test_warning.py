"""The early-warning rule (projects.services.warning_light) at each of its
boundaries, planned progress from milestones, and lights on real rows."""

import datetime

import pytest

from projects import choices as prj
from projects import selectors as sel
from projects.models import Project
from projects.services import LightColor, planned_progress, warning_light
from tests import factories as f

D = datetime.date
TODAY = D(2024, 7, 1)
FAR = TODAY + datetime.timedelta(days=100)
GREEN, YELLOW, RED = LightColor.GREEN, LightColor.YELLOW, LightColor.RED


@pytest.fixture(autouse=True)
def _margins(settings):
    settings.WARNING_YELLOW_MARGIN = 10
    settings.WARNING_RED_MARGIN = 30
    settings.WARNING_DUE_SOON_DAYS = 14


def light(planned=50, actual=50, due=FAR, done=False):
    return warning_light(
        planned_progress=planned, actual_progress=actual, due_date=due, today=TODAY, done=done
    )


@pytest.mark.parametrize(
    ("planned", "actual", "color"),
    [
        (50, 50, GREEN),
        (50, 60, GREEN),  # ahead of plan
        (60, 50, GREEN),  # behind by exactly the yellow margin
        (61, 50, YELLOW),  # one point more
        (80, 50, YELLOW),  # behind by exactly the red margin
        (81, 50, RED),  # one point more
        (100, 0, RED),
    ],
)
def test_margins(planned, actual, color):
    assert light(planned, actual).color == color


@pytest.mark.parametrize(
    ("days", "color"),
    [
        (15, GREEN),  # one day beyond the due-soon window
        (14, YELLOW),  # exactly N days
        (1, YELLOW),
        (0, YELLOW),  # due today: not yet overdue
        (-1, RED),  # overdue by one day
        (-200, RED),
    ],
)
def test_due_dates(days, color):
    assert light(due=TODAY + datetime.timedelta(days=days)).color == color


@pytest.mark.parametrize("days", [-30, -1, 0, 5])
def test_done_is_green_whatever_the_date_or_the_gap(days):
    result = light(planned=100, actual=0, due=TODAY + datetime.timedelta(days=days), done=True)
    assert (result.color, result.reason) == (GREEN, "已完成。")


def test_reasons_are_sentences_with_the_figures():
    assert light(60, 40).reason == "计划进度60%,实际核实进度40%,落后20个百分点。"
    assert light(90, 40).reason == "计划进度90%,实际核实进度40%,落后50个百分点。"
    assert light(due=D(2024, 6, 30), actual=70).reason == (
        "已超过完成时限(2024-06-30)1天,实际核实进度70%,尚未完成。"
    )
    assert light(due=D(2024, 7, 11), actual=70).reason == (
        "距完成时限(2024-07-11)还有10天,实际核实进度70%。"
    )
    assert light(due=TODAY, actual=70).reason == "今天是完成时限,实际核实进度70%。"
    assert light(55, 50).reason == "进度正常:计划进度55%,实际核实进度50%。"
    assert light(60, 40).label == "黄灯"


def test_overdue_outranks_being_behind_and_being_behind_outranks_due_soon():
    assert light(90, 10, due=TODAY - datetime.timedelta(days=1)).reason.startswith("已超过")
    assert light(80, 60, due=TODAY).reason.startswith("计划进度80%")


def test_margins_come_from_settings(settings):
    settings.WARNING_YELLOW_MARGIN = 5
    settings.WARNING_RED_MARGIN = 15
    settings.WARNING_DUE_SOON_DAYS = 3
    assert light(56, 50).color == YELLOW
    assert light(66, 50).color == RED
    assert light(due=TODAY + datetime.timedelta(days=4)).color == GREEN
    assert light(due=TODAY + datetime.timedelta(days=3)).color == YELLOW


# --- Planned progress -------------------------------------------------------------------------

START, END = D(2024, 1, 1), D(2024, 12, 31)


def plan(on, milestones=()):
    return planned_progress(start_date=START, end_date=END, milestones=milestones, on=on)


def test_planned_progress_is_0_at_start_and_100_at_end_without_milestones():
    assert plan(D(2023, 12, 1)) == 0
    assert plan(START) == 0
    assert plan(END) == 100
    assert plan(D(2025, 3, 1)) == 100
    assert plan(D(2024, 7, 1)) == 50  # day 182 of 365 → 49.86 → 50


def test_planned_progress_interpolates_between_milestones():
    milestones = [(D(2024, 3, 31), 20), (D(2024, 6, 30), 60)]
    assert plan(D(2024, 3, 31), milestones) == 20
    assert plan(D(2024, 6, 30), milestones) == 60
    # halfway (45 of 91 days after 31 March) between 20 and 60: 20 + 40 × 45/91 = 39.78
    assert plan(D(2024, 5, 15), milestones) == 40
    # after the last milestone: towards 100 at the end (184 days from 30 June)
    assert plan(D(2024, 9, 30), milestones) == 80  # 60 + 40 × 92/184
    assert plan(D(2024, 2, 15), milestones) == 10  # 0 + 20 × 45/90


def test_milestones_outside_the_period_are_ignored():
    assert plan(D(2024, 7, 1), [(D(2023, 6, 1), 90), (D(2025, 1, 1), 10)]) == 50


# --- Lights on real rows ------------------------------------------------------------------------


@pytest.mark.django_db
def test_project_light_uses_milestones_and_verified_progress(tree):
    project = f.ProjectFactory(lead_unit=tree["county_a"])
    f.TargetFactory(project=project)
    f.MilestoneFactory(project=project, planned_date=D(2024, 6, 30), planned_progress=60)
    f.LedgerEntryFactory(
        project=project,
        entry_date=D(2024, 6, 1),
        progress_percent=40,
        status=prj.LedgerStatus.VERIFIED,
    )
    f.LedgerEntryFactory(
        project=project,
        entry_date=D(2024, 6, 20),
        progress_percent=90,
        status=prj.LedgerStatus.SUBMITTED,  # not verified: does not count
    )
    [row] = sel.projects_with_lights(Project.objects.filter(pk=project.pk), today=D(2024, 6, 30))
    assert (row.planned_progress, row.progress) == (60, 40)
    assert row.light.color == YELLOW
    assert row.light.reason == "计划进度60%,实际核实进度40%,落后20个百分点。"


@pytest.mark.django_db
def test_project_light_is_red_when_an_unattained_target_is_overdue(tree):
    project = f.ProjectFactory(lead_unit=tree["county_a"])
    f.TargetFactory(project=project, due_date=D(2024, 3, 31))
    [row] = sel.projects_with_lights(Project.objects.filter(pk=project.pk), today=D(2024, 4, 1))
    assert row.light.color == RED
    assert "2024-03-31" in row.light.reason


@pytest.mark.django_db
def test_evaluated_project_is_green(tree):
    project = f.ProjectFactory(lead_unit=tree["county_a"], stage=prj.ProjectStage.EVALUATE)
    [row] = sel.projects_with_lights(Project.objects.filter(pk=project.pk), today=D(2025, 6, 1))
    assert row.light.color == GREEN


@pytest.mark.django_db
def test_filter_projects_by_light(tree):
    late = f.ProjectFactory(lead_unit=tree["county_a"])
    f.TargetFactory(project=late, due_date=D(2024, 3, 31))
    fine = f.ProjectFactory(lead_unit=tree["county_a"], stage=prj.ProjectStage.EVALUATE)
    queryset = Project.objects.all()
    assert sel.project_ids_with_light(queryset, color=RED, today=D(2024, 4, 1)) == [late.pk]
    assert sel.project_ids_with_light(queryset, color=GREEN, today=D(2024, 4, 1)) == [fine.pk]


@pytest.mark.django_db
def test_assignment_light_runs_from_project_start_to_deadline(tree):
    assignment = f.InnerAssignmentFactory(
        project=f.ProjectFactory(lead_unit=tree["county_a"]), deadline=D(2024, 5, 1)
    )
    from projects.models import Assignment

    [row] = sel.assignments_with_lights(
        Assignment.objects.filter(pk=assignment.pk), today=D(2024, 3, 1)
    )
    # planned: 60 of 121 days → 50 %; actual 0 → behind 50 → red
    assert (row.planned_progress, row.progress, row.light.color) == (50, 0, RED)

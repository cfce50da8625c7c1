"""Progress and attainment derived from verified ledger entries only, and
the bulk annotations that keep a list page at a fixed number of queries."""

import datetime
from decimal import Decimal

import pytest

from pingxiang_cf.scope import get_user_scope
from projects import choices as prj
from projects import selectors as sel
from projects.models import Project
from tests import factories as f
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

D = datetime.date
VERIFIED = prj.LedgerStatus.VERIFIED


def _entry(project, *, assignment=None, day, progress, status=VERIFIED, **quantities):
    fields = {"assignment": assignment} if assignment else {"project": project}
    return f.LedgerEntryFactory(**fields, entry_date=day, progress_percent=progress, status=status)


def test_project_progress_is_the_latest_verified_project_level_entry(tree):
    project = f.ProjectFactory(lead_unit=tree["county_a"])
    _entry(project, day=D(2024, 3, 1), progress=20)
    _entry(project, day=D(2024, 5, 1), progress=45)
    _entry(project, day=D(2024, 6, 1), progress=90, status=prj.LedgerStatus.SUBMITTED)
    _entry(project, day=D(2024, 6, 2), progress=95, status=prj.LedgerStatus.RETURNED)
    _entry(project, day=D(2024, 6, 3), progress=99, status=prj.LedgerStatus.DRAFT)
    assert sel.project_progress(project) == 45


def test_latest_means_latest_entry_date_not_latest_written(tree):
    project = f.ProjectFactory(lead_unit=tree["county_a"])
    _entry(project, day=D(2024, 5, 1), progress=60)
    _entry(project, day=D(2024, 4, 1), progress=30)  # written later, about an earlier day
    assert sel.project_progress(project) == 60


def test_project_progress_falls_back_to_the_mean_of_its_assignments(tree):
    project = f.ProjectFactory(lead_unit=tree["county_a"])
    first = f.InnerAssignmentFactory(project=project)
    second = f.InnerAssignmentFactory(project=project)
    unreported = f.InnerAssignmentFactory(project=project)
    cancelled = f.InnerAssignmentFactory(project=project, status=prj.AssignmentStatus.CANCELLED)
    _entry(project, assignment=first, day=D(2024, 4, 1), progress=50)
    _entry(project, assignment=first, day=D(2024, 5, 1), progress=80)
    _entry(project, assignment=second, day=D(2024, 5, 1), progress=45)
    _entry(project, assignment=cancelled, day=D(2024, 5, 1), progress=100)
    assert sel.assignment_progress(first) == 80
    assert sel.assignment_progress(second) == 45
    assert sel.assignment_progress(unreported) == 0
    # (80 + 45 + 0) / 3 = 41.67 → 42; the cancelled split does not count
    assert sel.project_progress(project) == 42


def test_project_without_entries_or_assignments_has_progress_zero(tree):
    assert sel.project_progress(f.ProjectFactory(lead_unit=tree["county_a"])) == 0


def test_target_attainment_sums_verified_quantities_and_caps_at_100(tree):
    project = f.ProjectFactory(lead_unit=tree["county_a"])
    target = f.TargetFactory(project=project, target_value=Decimal("8"))
    other = f.TargetFactory(project=project, target_value=Decimal("3"))
    for day, qty, status in [
        (D(2024, 3, 1), "2", VERIFIED),
        (D(2024, 4, 1), "1.5", VERIFIED),
        (D(2024, 5, 1), "4", prj.LedgerStatus.SUBMITTED),
    ]:
        entry = _entry(project, day=day, progress=10, status=status)
        f.LedgerQuantityFactory(entry=entry, target=target, quantity=Decimal(qty))
    entry = _entry(project, day=D(2024, 5, 2), progress=10)
    f.LedgerQuantityFactory(entry=entry, target=other, quantity=Decimal("5"))
    rows = {t.pk: t for t in sel.project_targets(project)}
    assert rows[target.pk].verified_quantity == Decimal("3.50")
    assert rows[target.pk].attainment == Decimal("43.75")
    assert rows[other.pk].verified_quantity == Decimal("5.00")
    assert rows[other.pk].attainment == Decimal("100.00")
    assert sel.target_attainment(target) == Decimal("43.75")
    annotated = sel.annotate_project_progress(Project.objects.filter(pk=project.pk)).get()
    assert annotated.attainment == Decimal("71.88")  # (43.75 + 100) / 2, rounded
    assert annotated.next_due == target.due_date  # the unattained target


def test_project_without_targets_has_no_attainment(tree):
    project = f.ProjectFactory(lead_unit=tree["county_a"])
    annotated = sel.annotate_project_progress(Project.objects.filter(pk=project.pk)).get()
    assert annotated.attainment is None and annotated.next_due is None


# --- Query counts: a list page does not grow with rows -------------------------------------


def _grow_projects(tree, count):
    lead = tree["county_a"]
    for index in range(count):
        project = f.ProjectFactory(lead_unit=lead)
        target = f.TargetFactory(project=project)
        f.MilestoneFactory(project=project, planned_date=D(2024, 6, 30), planned_progress=40)
        assignment = f.InnerAssignmentFactory(project=project)
        entry = _entry(project, assignment=assignment, day=D(2024, 5, 1), progress=index % 100)
        f.LedgerQuantityFactory(entry=entry, target=target, quantity=Decimal("1"))


@pytest.mark.parametrize("name", ["commission", "editor_a", "leader"])
def test_project_list_with_progress_and_lights_runs_a_fixed_number_of_queries(tree, request, name):
    user = request.getfixturevalue(name)
    get_user_scope(user)  # resolved once per request, before the page
    _grow_projects(tree, 10)

    def run():
        rows = sel.projects_with_lights(
            Project.objects.restrict(user).select_related("lead_unit"), today=D(2024, 7, 1)
        )
        assert all(row.light.reason for row in rows)
        return rows

    count = assert_constant_queries(run, lambda: _grow_projects(tree, 190), limit=2)
    assert len(run()) == 200
    print(f"{name}: {count} queries for 10 and for 200 projects")


def test_assignment_list_with_lights_runs_a_fixed_number_of_queries(tree, editor_a):
    get_user_scope(editor_a)
    _grow_projects(tree, 10)

    def run():
        from projects.models import Assignment

        rows = sel.assignments_with_lights(
            Assignment.objects.restrict(editor_a), today=D(2024, 7, 1)
        )
        assert all(row.light for row in rows)

    assert_constant_queries(run, lambda: _grow_projects(tree, 190), limit=2)

"""The headline summary on a tiny data set (the conftest personas' tree):
exact figures, the scope rule, the completion rate's rounding, and a query
count that does not grow with rows (the demo module checks the same count
on the full data set)."""

from datetime import date

import pytest
from django.urls import reverse

from accountability import choices as acc
from accountability.models import (
    AccountabilityCase,
    Commendation,
    LeadingGroup,
    Official,
    ResponsibilityLetter,
)
from dashboards.selectors import completion_rate, headline_summary
from inspections.models import Inspection, Notice, NoticeUnit
from projects.models import Framework, Mechanism, Plan, PlanTask, Program, Project, Tier
from tests.dashboards.query_budget import SUMMARY_QUERIES
from tests.querycount import assert_constant_queries

URL = reverse("api-summary")


@pytest.fixture
def framework(db):
    framework = Framework.objects.create(code="t", name="1335", main_line="项目化管理、责任制落实")
    return {
        "framework": framework,
        "tier": Tier.objects.create(framework=framework, code="county", name="县区"),
        "program": Program.objects.create(
            framework=framework, code="sunshine", name="廉政阳光工程"
        ),
        "mechanism": Mechanism.objects.create(
            framework=framework, code="prevention", name="防范机制", goal="不可腐败"
        ),
        "plan": Plan.objects.create(
            framework=framework,
            title="实施细则",
            issuer="中共萍乡市委",
            issued_on=date(2008, 6, 20),
            period_start=2008,
            period_end=2012,
        ),
    }


class Rows:
    """Adds one of everything the summary counts, for a unit; call again to grow."""

    def __init__(self, framework):
        self.fw = framework
        self.n = 0

    def add(self, unit, *, completed=True):
        self.n += 1
        n, fw = self.n, self.fw
        PlanTask.objects.create(
            plan=fw["plan"],
            number=str(n),
            content="任务",
            lead_unit=unit,
            mechanism=fw["mechanism"],
            deadline=date(2010, 12, 31),
            status="completed" if completed else "pending",
            completed_on=date(2010, 6, 1) if completed else None,
        )
        Project.objects.create(
            number=f"2010-{n:03d}",
            year=2010,
            name=f"项目{n}",
            category=("common", "individual", "extension")[n % 3],
            tier=fw["tier"],
            program=fw["program"],
            lead_unit=unit,
            start_date=date(2010, 1, 10),
            end_date=date(2010, 12, 31),
        )
        inspection = Inspection.objects.create(
            kind="routine", title=f"督查{n}", started_on=date(2010, 5, 1), ended_on=date(2010, 5, 2)
        )
        inspection.units.add(unit)
        notice = Notice.objects.create(
            kind="inspection",
            number=f"萍惩防通〔2010〕{n}号",
            title="通报",
            status="published",
            issued_on=date(2010, 5, 20),
        )
        NoticeUnit.objects.create(notice=notice, unit=unit, reason="台账不全")
        official = Official.objects.create(
            name=f"干部{n}", unit=unit, post="局长", rank=acc.OfficialRank.COUNTY
        )
        Commendation.objects.create(
            year=2010, unit=unit, source="assessment", decided_on=date(2011, 2, 20), title="先进"
        )
        AccountabilityCase.objects.create(
            year=2010,
            official=official,
            source="finding",
            decided_on=date(2010, 8, 1),
            reason="落实不力",
            measure="admonition",
        )
        LeadingGroup.objects.create(name=f"领导小组{n}", unit=unit, established_on=date(2008, 5, 1))
        ResponsibilityLetter.objects.create(
            year=2000 + n,
            level="city_to_lead",
            title="责任书",
            issuer_unit=unit.parent,
            recipient_unit=unit,
            status="signed",
            signed_on=date(2010, 3, 12),
        )


@pytest.fixture
def rows(framework):
    return Rows(framework)


def test_commission_summary_counts_every_row(tree, commission, rows):
    rows.add(tree["county_a"])
    rows.add(tree["department"], completed=False)
    assert headline_summary(commission) == {
        "plan_tasks": {"total": 2, "completed": 1, "completion_rate": "50.00"},
        "projects": {"total": 2, "common": 0, "individual": 1, "extension": 1},
        "units": {"county": 2, "department": 2, "township": 1},
        "service_points": {"county_centres": 0, "township_centres": 0, "village_points": 0},
        "inspections": {"routine": 2, "concentrated": 0, "units_notified": 2},
        "commendations": {"units": 2, "leaders": 0},
        "accountability": {"units": 0, "leaders": 2},
        "leading_groups": 2,
        "responsibility_letters": 2,
    }


def test_editor_summary_covers_own_subtree_only(tree, editor_a, rows):
    rows.add(tree["county_a"])
    rows.add(tree["department"], completed=False)
    summary = headline_summary(editor_a)
    assert summary["plan_tasks"] == {"total": 1, "completed": 1, "completion_rate": "100.00"}
    assert summary["projects"]["total"] == 1
    assert summary["units"] == {"county": 1, "department": 0, "township": 1}
    assert summary["inspections"]["units_notified"] == 1
    assert summary["responsibility_letters"] == 1


def test_draft_notices_and_unsigned_letters_are_not_counted(tree, commission, rows):
    rows.add(tree["county_a"])
    Notice.objects.update(status="draft", issued_on=None)
    ResponsibilityLetter.objects.update(status="issued", signed_on=None)
    summary = headline_summary(commission)
    assert summary["inspections"]["units_notified"] == 0
    assert summary["responsibility_letters"] == 0


def test_user_without_a_role_sees_zeros(tree, outsider, rows):
    rows.add(tree["county_a"])
    summary = headline_summary(outsider)
    assert summary["plan_tasks"] == {"total": 0, "completed": 0, "completion_rate": "0.00"}
    assert summary["projects"]["total"] == 0
    assert summary["leading_groups"] == 0


@pytest.mark.parametrize(
    ("completed", "total", "rate"),
    [
        (104, 113, "92.04"),
        (0, 0, "0.00"),
        (1, 3, "33.33"),
        (2, 3, "66.67"),
        (1, 160, "0.63"),
        (5, 5, "100.00"),
    ],
)
def test_completion_rate_has_two_places_rounded_half_up(completed, total, rate):
    assert completion_rate(completed, total) == rate


@pytest.mark.parametrize("persona", ["commission", "editor_a"])
def test_summary_endpoint_runs_a_fixed_number_of_queries(client, tree, rows, persona, request):
    user = request.getfixturevalue(persona)
    rows.add(tree["county_a"])
    client.force_login(user)

    def run():
        assert client.get(URL).status_code == 200

    def grow():
        for _ in range(5):
            rows.add(tree["county_a"])
            rows.add(tree["township_a"])

    assert assert_constant_queries(run, grow, limit=SUMMARY_QUERIES) == SUMMARY_QUERIES


def test_anonymous_gets_401(client, db):
    assert client.get(URL).status_code == 401  # token auth: WWW-Authenticate

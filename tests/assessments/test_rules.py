"""Each automatic rule at its boundaries, through the scoring service."""

import datetime
from decimal import Decimal

import pytest

from accountability import choices as acc
from assessments import rules, services
from inspections import choices as ins
from tests import factories as f
from tests.assessments.conftest import AS_OF, YEAR, assessment_of, indicator

pytestmark = pytest.mark.django_db
D = datetime.date


def _compute(scheme, as_of=AS_OF):
    services.assessment_compute(scheme=scheme, actor=None, as_of=as_of)


def _points(scheme, unit, code):
    return assessment_of(scheme, unit).scores.get(indicator__code=code)


def _letter(unit, *, deadline, replied=None, issued=None):
    return f.SupervisionLetterFactory(
        unit=unit,
        issued_on=issued or D(YEAR, 3, 1),
        reply_deadline=deadline,
        replied_on=replied,
        status=ins.LetterStatus.ANSWERED if replied else ins.LetterStatus.ISSUED,
    )


def test_registry_names_every_rule_once_and_adding_one_is_a_decorator():
    assert {
        "plan_tasks_completed",
        "targets_attained",
        "ledger_timely",
        "letters_answered",
        "findings_rectified",
        "responsibility_letters_signed",
        "criticized_in_notices",
        "serious_findings_open",
    } <= set(rules.RULES)

    @rules.register("test_only_rule", "测试")
    def test_only_rule(indicator, facts, unit):
        return rules.RuleResult([rules.Line(Decimal("1"), "一条")])

    try:
        assert rules.RULES["test_only_rule"].function is test_only_rule
        with pytest.raises(ValueError):
            rules.register("test_only_rule", "重复")(test_only_rule)
    finally:
        del rules.RULES["test_only_rule"]


def test_letter_answered_on_its_deadline_costs_nothing_a_day_late_costs_per_item(opened, tree):
    county = tree["county_a"]
    _letter(county, deadline=D(YEAR, 3, 15), replied=D(YEAR, 3, 15))
    _compute(opened)
    score = _points(opened, county, "R1")
    assert (score.points, score.deductions.count()) == (Decimal("10.00"), 0)
    assert score.inputs["letters"] == 1 and score.inputs["late"] == 0

    _letter(county, deadline=D(YEAR, 4, 15), replied=D(YEAR, 4, 16))
    _letter(county, deadline=D(YEAR, 5, 15))  # never answered
    _compute(opened)
    score = _points(opened, county, "R1")
    assert score.points == Decimal("6.00")
    assert [line.points for line in score.deductions.all()] == [Decimal("2.00")] * 2
    assert "未按时回复" in score.deductions.first().reason


def test_letter_deductions_stop_at_zero_and_letters_not_yet_due_do_not_count(opened, tree):
    county = tree["county_a"]
    for month in range(1, 7):
        _letter(county, deadline=D(YEAR, month, 20), issued=D(YEAR, month, 1))
    _letter(county, deadline=D(YEAR, 12, 20), issued=D(YEAR, 12, 1))
    _compute(opened, as_of=D(YEAR, 12, 19))
    score = _points(opened, county, "R1")
    assert score.points == Decimal("0.00")  # 6 × 2 = 12 > 10: capped
    assert score.inputs["letters"] == 6


def test_finding_closed_on_its_deadline_is_on_time_later_or_open_is_not(opened, tree):
    unit = tree["department"]
    f.FindingFactory(
        unit=unit,
        deadline=D(YEAR, 5, 31),
        status=ins.FindingStatus.VERIFIED,
        closed_on=D(YEAR, 5, 31),
    )
    _compute(opened)
    assert _points(opened, unit, "R2").points == Decimal("10.00")
    f.FindingFactory(
        unit=unit,
        deadline=D(YEAR, 6, 30),
        status=ins.FindingStatus.VERIFIED,
        closed_on=D(YEAR, 7, 1),
    )
    f.FindingFactory(unit=unit, deadline=D(YEAR, 8, 31))
    _compute(opened)
    assert _points(opened, unit, "R2").points == Decimal("6.00")


def test_criticism_deduction_item_is_capped(opened, tree):
    unit = tree["county_b"]
    for month in range(1, 8):
        notice = f.NoticeFactory(status=ins.NoticeStatus.PUBLISHED, issued_on=D(YEAR, month, 5))
        f.NoticeUnitFactory(notice=notice, unit=unit, is_criticism=True)
    _compute(opened)
    assessment = assessment_of(opened, unit)
    assert _points(opened, unit, "E2").points == Decimal("5.00")  # 7 × 1, cap 5
    assert assessment.deduction_points == Decimal("5.00")


def test_plan_tasks_completed_on_the_deadline_keep_their_share(commission, tree):
    from tests.assessments.conftest import make_scheme

    scheme = make_scheme(commission)
    services.indicator_update(
        indicator=indicator(scheme, "R2"), actor=commission, rule_code="plan_tasks_completed"
    )
    services.assessment_year_open(scheme=scheme, actor=commission, compute=False)
    county = tree["county_a"]
    f.PlanTaskFactory(
        lead_unit=county, deadline=D(YEAR, 6, 30), status="completed", completed_on=D(YEAR, 6, 30)
    )
    f.PlanTaskFactory(
        lead_unit=county, deadline=D(YEAR, 6, 30), status="completed", completed_on=D(YEAR, 7, 1)
    )
    f.PlanTaskFactory(lead_unit=county, deadline=D(YEAR, 9, 30), status="in_progress")
    f.PlanTaskFactory(lead_unit=county, deadline=D(YEAR + 1, 1, 31), status="in_progress")
    _compute(scheme)
    score = _points(scheme, county, "R2")
    # 3 tasks due in the year; 2 late: 10 − 2 × 3.33
    assert score.points == Decimal("3.34")
    assert score.inputs == {
        "rule": "plan_tasks_completed",
        "as_of": "2024-12-31",
        "due": 3,
        "on_time": 1,
    }


def test_responsibility_letters_unsigned_lose_their_share_and_none_loses_all(commission, tree):
    from tests.assessments.conftest import make_scheme

    scheme = make_scheme(commission)
    services.indicator_update(
        indicator=indicator(scheme, "R2"),
        actor=commission,
        rule_code="responsibility_letters_signed",
    )
    services.assessment_year_open(scheme=scheme, actor=commission, compute=False)
    county = tree["county_a"]
    issuers = ("city", "commission_office", "department", "county_b")
    for issuer, signed in zip(issuers, (True, True, False, False), strict=True):
        f.ResponsibilityLetterFactory(
            year=YEAR,
            issuer_unit=tree[issuer],
            recipient_unit=county,
            status=acc.LetterStatus.SIGNED if signed else acc.LetterStatus.ISSUED,
            signed_on=D(YEAR, 2, 1) if signed else None,
        )
    _compute(scheme)
    assert _points(scheme, county, "R2").points == Decimal("5.00")  # 10 − 2 × 2.50
    _compute(scheme)
    # No letter at all: every point lost, with a line saying so.
    score = _points(scheme, tree["county_b"], "R2")
    assert score.points == Decimal("0.00")
    assert score.deductions.get().reason == "本年度未签订责任书"


def test_serious_open_finding_vetoes_and_grades_poor(commission, tree):
    from tests.assessments.conftest import make_scheme

    scheme = make_scheme(commission)
    services.indicator_update(
        indicator=indicator(scheme, "V1"), actor=commission, rule_code="serious_findings_open"
    )
    services.assessment_year_open(scheme=scheme, actor=commission, compute=False)
    unit = tree["county_a"]
    f.FindingFactory(unit=unit, severity=ins.Severity.SERIOUS, deadline=D(YEAR, 5, 31))
    _compute(scheme)
    a = assessment_of(scheme, unit)
    assert a.vetoed and a.grade == "poor"
    assert "严重问题逾期未整改" in a.veto_reason
    assert not assessment_of(scheme, tree["county_b"]).vetoed

"""Constraints and clean() rules of the assessments models."""

from decimal import Decimal

import pytest

from assessments import choices as ass
from assessments.models import (
    AssessmentScheme,
    Indicator,
    Score,
    ScoreSheet,
    UnitAssessment,
)
from tests import factories as f
from tests.validation import (
    assert_create_refused,
    assert_db_refuses,
    assert_invalid,
    assert_valid,
)

pytestmark = pytest.mark.django_db


# --- Schemes and indicators ------------------------------------------------------------------


def test_one_assessment_scheme_per_year():
    scheme = f.AssessmentSchemeFactory(year=2011)
    duplicate = AssessmentScheme(year=2011, title="重复")
    assert_invalid(duplicate, "具有 年度 的 考核方案 已存在。", field="year")
    assert_db_refuses(lambda: duplicate.save(), AssessmentScheme)
    assert scheme.pk


@pytest.mark.parametrize(
    ("excellent", "good", "fair"),
    [("80", "80", "60"), ("90", "60", "60"), ("90", "80", "-1"), ("70", "80", "60")],
)
def test_grade_thresholds_are_ordered(excellent, good, fair):
    scheme = f.AssessmentSchemeFactory()
    scheme.excellent_from, scheme.good_from, scheme.fair_from = (
        Decimal(excellent),
        Decimal(good),
        Decimal(fair),
    )
    assert_invalid(scheme, "等次分数线须满足:优秀 > 良好 > 一般 ≥ 0。")
    assert_db_refuses(
        lambda: AssessmentScheme.objects.filter(pk=scheme.pk).update(
            excellent_from=Decimal(excellent), good_from=Decimal(good), fair_from=Decimal(fair)
        ),
        AssessmentScheme,
    )


def test_indicator_code_is_unique_within_a_scheme():
    indicator = f.IndicatorFactory(code="A1")
    duplicate = f.IndicatorFactory.build(scheme=indicator.scheme, code="A1")
    assert_invalid(duplicate, "指标编码在本方案中重复。")
    assert_db_refuses(lambda: duplicate.save(), Indicator)
    assert_valid(f.IndicatorFactory.build(scheme=f.AssessmentSchemeFactory(), code="A1"))


def test_indicator_maximum_is_not_negative():
    indicator = f.IndicatorFactory()
    indicator.max_points = Decimal("-1")
    assert_invalid(indicator, "分值不能为负数。")
    assert_db_refuses(
        lambda: Indicator.objects.filter(pk=indicator.pk).update(max_points=Decimal("-1")),
        Indicator,
    )


def test_auto_indicator_names_its_rule():
    scheme = f.AssessmentSchemeFactory()
    assert_create_refused(
        Indicator,
        "自动计分指标须指定计分规则。",
        scheme=scheme,
        category="项目推进",
        code="AUTO1",
        name="台账按期填报率",
        max_points=Decimal("10"),
        rule_kind=ass.RuleKind.AUTO,
    )
    indicator = f.IndicatorFactory.build(
        scheme=scheme, rule_kind=ass.RuleKind.AUTO, rule_code="ledger_timely"
    )
    assert_valid(indicator)
    indicator.save()
    assert_db_refuses(
        lambda: Indicator.objects.filter(pk=indicator.pk).update(rule_code=""), Indicator
    )


# --- Unit assessments -------------------------------------------------------------------------


def test_one_assessment_per_unit_and_scheme():
    assessment = f.UnitAssessmentFactory()
    duplicate = UnitAssessment(scheme=assessment.scheme, unit=assessment.unit)
    assert_invalid(duplicate, "该单位在本年度已有考核记录。")
    assert_db_refuses(lambda: duplicate.save(), UnitAssessment)


@pytest.mark.parametrize("total", [Decimal("-0.01"), Decimal("200.01")])
def test_assessment_total_is_within_range(total):
    assessment = f.UnitAssessmentFactory()
    assessment.total = total
    assert_invalid(assessment, "总分超出有效范围。")
    assert_db_refuses(
        lambda: UnitAssessment.objects.filter(pk=assessment.pk).update(total=total),
        UnitAssessment,
    )


@pytest.mark.parametrize("total", [None, Decimal("0"), Decimal("100"), Decimal("200")])
def test_assessment_total_accepts_valid_values(total):
    assessment = f.UnitAssessmentFactory()
    assessment.total = total
    assert_valid(assessment)


# --- Scores -----------------------------------------------------------------------------------


def _score(points, *, reason="", indicator=None, assessment=None):
    assessment = assessment or f.UnitAssessmentFactory()
    indicator = indicator or f.IndicatorFactory(scheme=assessment.scheme)
    return Score(
        assessment=assessment,
        indicator=indicator,
        points=Decimal(points),
        max_points=indicator.max_points,
        reason=reason,
    )


def test_score_cannot_exceed_the_indicator_maximum():
    score = _score("10.01", reason="超出")
    assert_invalid(score, "得分须在0到该指标分值之间。")
    assert_db_refuses(lambda: score.save(), Score)


def test_score_cannot_be_negative():
    score = _score("-1", reason="倒扣")
    assert_invalid(score, "得分须在0到该指标分值之间。")
    assert_db_refuses(lambda: score.save(), Score)


def test_score_may_be_zero_or_the_maximum():
    assert_valid(_score("0", reason="未开展"))
    assert_valid(_score("10"))


def test_stored_score_cannot_be_raised_above_the_maximum():
    score = f.ScoreFactory()
    assert_db_refuses(
        lambda: Score.objects.filter(pk=score.pk).update(points=score.max_points + 1), Score
    )


def test_score_maximum_is_copied_from_the_indicator():
    score = _score("8", reason="扣2分")
    score.max_points = Decimal("20")
    assert_invalid(score, "分值须与指标分值一致。", field="max_points")


def test_score_indicator_belongs_to_the_assessments_scheme():
    score = _score("10", indicator=f.IndicatorFactory())
    assert_invalid(score, "指标不属于本次考核的方案。", field="indicator")


@pytest.mark.parametrize("reason", ["", "   "])
def test_manual_deduction_needs_a_reason(reason):
    assert_invalid(_score("7", reason=reason), "人工评分扣分须填写扣分理由。", field="reason")


def test_manual_deduction_with_a_reason_is_valid():
    assert_valid(_score("7", reason="台账不全,扣3分"))


def test_automatic_deduction_needs_no_reason():
    assessment = f.UnitAssessmentFactory()
    indicator = f.IndicatorFactory(
        scheme=assessment.scheme, rule_kind=ass.RuleKind.AUTO, rule_code="ledger_timely"
    )
    assert_valid(_score("7", indicator=indicator, assessment=assessment))


def test_indicator_is_scored_once_per_assessment():
    score = f.ScoreFactory()
    duplicate = _score("10", indicator=score.indicator, assessment=score.assessment)
    assert_invalid(duplicate, "该指标已评分。")
    assert_db_refuses(lambda: duplicate.save(), Score)


# --- Score sheets -----------------------------------------------------------------------------


def test_score_sheet_is_generated_once_per_assessment_and_kind():
    sheet = f.ScoreSheetFactory()
    duplicate = ScoreSheet(
        scheme=sheet.scheme, assessment=sheet.assessment, kind=sheet.kind, file="x.pdf"
    )
    assert_invalid(duplicate, "该评分表已生成。")
    assert_db_refuses(lambda: duplicate.save(), ScoreSheet)


def test_score_sheet_assessment_belongs_to_its_scheme():
    sheet = f.ScoreSheetFactory.build(
        scheme=f.AssessmentSchemeFactory(), assessment=f.UnitAssessmentFactory()
    )
    assert_invalid(sheet, "单位考核不属于该考核方案。", field="assessment")


def test_summary_sheet_is_generated_once_per_scheme_and_kind():
    scheme = f.AssessmentSchemeFactory()
    f.ScoreSheetFactory(scheme=scheme, assessment=None, kind=ass.SheetKind.XLSX)
    duplicate = ScoreSheet(scheme=scheme, assessment=None, kind=ass.SheetKind.XLSX, file="y.xlsx")
    assert_invalid(duplicate, "该评分表已生成。")


def test_indicator_of_an_opened_scheme_is_frozen():
    """The services refuse first; the model's own check keeps the admin out too."""
    indicator = f.IndicatorFactory()
    AssessmentScheme.objects.filter(pk=indicator.scheme_id).update(status=ass.SchemeStatus.ACTIVE)
    indicator.refresh_from_db()
    indicator.max_points = Decimal("5")
    assert_invalid(indicator, "考核方案已启用,指标已冻结,不能修改。")

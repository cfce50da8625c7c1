"""The yearly 100-point assessment: a scheme per year with its indicators,
then one assessment per county and department with a score per indicator,
the total, the grade and the rank."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from assessments.choices import AssessmentStatus, Grade, RuleKind, SchemeStatus
from assessments.models import AssessmentScheme, Indicator, Score, UnitAssessment
from demo import data
from demo.context import DemoContext, half_points

# (code, category, name, max points, rule kind, rule code, criteria)
INDICATORS = (
    (
        "A1",
        "组织领导",
        "领导小组和惩防办健全,专题研究部署惩防体系建设",
        10,
        RuleKind.MANUAL,
        "",
        "未成立领导小组扣3分;全年未专题研究扣3分。",
    ),
    (
        "A2",
        "组织领导",
        "责任书签订和责任分解",
        10,
        RuleKind.AUTO,
        "letters_signed",
        "按责任书签订率计分。",
    ),
    (
        "B1",
        "项目管理",
        "项目立项与任务“三分”",
        15,
        RuleKind.MANUAL,
        "",
        "任务未分解到科室、协办单位和下级单位的,每项扣2分。",
    ),
    (
        "B2",
        "项目管理",
        "项目管理台账按时报送并经核实",
        15,
        RuleKind.AUTO,
        "ledger_verified",
        "按台账核实率计分。",
    ),
    (
        "B3",
        "项目管理",
        "年度量化目标完成情况",
        25,
        RuleKind.AUTO,
        "targets_achieved",
        "按量化目标平均完成率计分。",
    ),
    (
        "C1",
        "督查整改",
        "督查发现问题整改到位",
        10,
        RuleKind.AUTO,
        "findings_closed",
        "按问题销号率计分;无问题的得满分。",
    ),
    (
        "C2",
        "督查整改",
        "廉政风险岗位防控管理",
        10,
        RuleKind.MANUAL,
        "",
        "风险点排查不全、防控措施不落实的酌情扣分。",
    ),
    ("D1", "创新工作", "工作创新和特色亮点", 5, RuleKind.MANUAL, "", "无创新做法的扣2至5分。"),
)
MANUAL_REASONS = {
    "A1": "领导小组会议记录不全,专题研究部署次数不足",
    "B1": "部分项目任务未分解到责任科室和责任人",
    "C2": "风险点排查不够全面,防控措施针对性不强",
    "D1": "工作创新亮点不突出",
}


def build_schemes(ctx: DemoContext) -> None:
    for year in data.YEARS:
        scheme = AssessmentScheme.objects.create(
            year=year,
            title=(
                f"{year}年度萍乡市推进惩治和预防腐败体系建设暨落实党风廉政建设责任制"
                "检查考核工作方案"
            ),
            document_number=f"萍惩防字〔{year}〕{ctx.rng.randint(2, 9)}号",
            status=SchemeStatus.ACTIVE if year == data.AS_OF.year else SchemeStatus.FROZEN,
        )
        indicators = [
            Indicator(
                scheme=scheme,
                category=category,
                code=code,
                name=name,
                max_points=Decimal(points),
                rule_kind=kind,
                rule_code=rule,
                criteria=criteria,
                sort_order=order,
            )
            for order, (code, category, name, points, kind, rule, criteria) in enumerate(
                INDICATORS, start=1
            )
        ]
        Indicator.objects.bulk_create(indicators)
        ctx.schemes[year] = scheme
        ctx.indicators[year] = indicators


def build_unit_assessments(ctx: DemoContext) -> None:
    units = [*ctx.counties, *ctx.departments]
    quality = {unit.pk: ctx.rng.uniform(0.72, 0.98) for unit in units}
    stats = _auto_inputs(ctx)
    for year in data.YEARS:
        scheme = ctx.schemes[year]
        published = scheme.status == SchemeStatus.FROZEN
        sheets = []
        for unit in units:
            scores = [
                _score(ctx, indicator, quality[unit.pk], stats, unit, year, published)
                for indicator in ctx.indicators[year]
            ]
            total = sum((s.points for s in scores), Decimal("0"))
            sheets.append((unit, scores, total))
        _save_year(ctx, scheme, sheets, published, quality)


def _save_year(ctx, scheme, sheets, published, quality) -> None:
    ranked = sorted(sheets, key=lambda row: (-row[2], row[0].code))
    assessments, scores = [], []
    for rank, (unit, unit_scores, total) in enumerate(ranked, start=1):
        conduct = half_points(100 * min(1.0, quality[unit.pk] + ctx.rng.uniform(-0.05, 0.06)))
        assessment = UnitAssessment(
            scheme=scheme,
            unit=unit,
            status=AssessmentStatus.PUBLISHED if published else AssessmentStatus.SELF_SCORED,
            total=total,
            grade=grade_for(scheme, total),
            rank=rank,
            self_comment="本单位认真落实惩防体系建设责任制,项目推进有序,台账规范。",
            conduct_score=conduct,
            published_on=date(scheme.year + 1, 2, ctx.rng.randint(10, 28)) if published else None,
        )
        assessments.append(assessment)
        for score in unit_scores:
            score.assessment = assessment
            scores.append(score)
    UnitAssessment.objects.bulk_create(assessments)
    Score.objects.bulk_create(scores)
    ctx.assessments[scheme.year] = assessments


def grade_for(scheme, total: Decimal) -> str:
    if total >= scheme.excellent_from:
        return Grade.EXCELLENT
    if total >= scheme.good_from:
        return Grade.GOOD
    if total >= scheme.fair_from:
        return Grade.FAIR
    return Grade.POOR


def _score(ctx, indicator, quality, stats, unit, year, published) -> Score:
    maximum = indicator.max_points
    if indicator.rule_kind == RuleKind.AUTO:
        done, total = stats[indicator.rule_code].get((unit.pk, year), (0, 0))
        ratio = done / total if total else 1.0
        points = min(maximum, half_points(float(maximum) * ratio))
        inputs = {"done": done, "total": total}
        reason = f"完成率 {ratio:.1%}({done}/{total})" if total else "无相关记录,按满分计"
    else:
        ratio = min(1.0, quality + ctx.rng.uniform(-0.08, 0.06))
        points = min(maximum, half_points(float(maximum) * ratio))
        inputs = {}
        reason = MANUAL_REASONS[indicator.code] if points < maximum else ""
    self_points = min(maximum, points + half_points(ctx.rng.uniform(0, 1)))
    return Score(
        indicator=indicator,
        points=points,
        max_points=maximum,
        self_points=self_points,
        reason=reason,
        inputs=inputs,
        assessed_by=ctx.users["commission"] if published else None,
    )


def _auto_inputs(ctx) -> dict:
    """(done, total) per (unit, year) for each automatic rule, from the built data."""
    return {
        "letters_signed": {key: tuple(v) for key, v in ctx.letter_stats.items()},
        "ledger_verified": {key: tuple(v) for key, v in ctx.ledger_stats.items()},
        "targets_achieved": _targets_achieved(ctx),
        "findings_closed": {key: tuple(v) for key, v in ctx.finding_stats.items()},
    }


def _targets_achieved(ctx) -> dict:
    """Per unit and year: the summed completion (in percent, capped at 100 per
    project) of the projects it led, out of 100 per project."""
    result: dict = {}
    for project in ctx.projects:
        key = (project.lead_unit_id, project.year)
        done, total = result.get(key, (0, 0))
        result[key] = (done + round(100 * min(1.0, project._demo_ratio)), total + 100)
    return result

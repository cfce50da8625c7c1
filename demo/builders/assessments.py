"""The yearly 100-point assessment, scored through the services exactly as
the commission would: a scheme per year (the first written indicator by
indicator, later years copied from the year before), the annual run for every
county, department and township, the automatic rules computed over the demo's
ledgers, letters and findings, the manual indicators scored by the commission
with a reason and evidence per deduction, self-scoring, review with the
party-conduct score and the leaders' cadre results (三者同步), and, for the
years before the seed's date, publication with the group rankings."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from accountability.choices import UnitKind
from assessments import services
from assessments.choices import CadreGrade, RuleKind
from assessments.models import UnitAssessment
from demo import data
from demo.context import DemoContext, half_points

DEPARTMENTS = [UnitKind.MUNICIPAL_DEPT.value, UnitKind.PROVINCIAL_DEPT.value]
COUNTIES_AND_TOWNSHIPS = [UnitKind.COUNTY.value, UnitKind.TOWNSHIP.value]

# (code, category, name, max points, rule kind, rule code, criteria, applies to kinds, params)
INDICATORS = (
    (
        "A1",
        "组织领导",
        "领导小组和惩防办健全,专题研究部署惩防体系建设",
        10,
        RuleKind.MANUAL,
        "",
        "未成立领导小组扣3分;全年未专题研究扣3分。",
        [],
        {},
    ),
    (
        "A2",
        "组织领导",
        "责任书签订和责任分解",
        10,
        RuleKind.AUTO,
        "responsibility_letters_signed",
        "按责任书签订率计分;未签订责任书不得分。",
        [],
        {},
    ),
    (
        "B1",
        "项目管理",
        "项目立项与任务“三分”",
        10,
        RuleKind.MANUAL,
        "",
        "任务未分解到科室、协办单位和下级单位的,每项扣2分。",
        [],
        {},
    ),
    (
        "B2",
        "项目管理",
        "项目管理台账按时报送并经核实",
        15,
        RuleKind.AUTO,
        "ledger_timely",
        "未经核实或晚于时限的台账按比例扣分。",
        [],
        {},
    ),
    (
        "B3",
        "项目管理",
        "年度量化目标完成情况",
        20,
        RuleKind.AUTO,
        "targets_attained",
        "按经核实台账计算的量化目标完成率计分。",
        [],
        {},
    ),
    (
        "B4",
        "项目管理",
        "实施方案任务按期完成",
        5,
        RuleKind.AUTO,
        "plan_tasks_completed",
        "到期未完成的方案任务按比例扣分。",
        [],
        {},
    ),
    (
        "C1",
        "督查整改",
        "督查发现问题按期整改销号",
        10,
        RuleKind.AUTO,
        "findings_rectified",
        "每个问题未按期整改销号扣2分,扣完为止。",
        [],
        {"per_item": "2"},
    ),
    (
        "C2",
        "督查整改",
        "督办函按时回复",
        5,
        RuleKind.AUTO,
        "letters_answered",
        "每件督办函未按时回复扣2分,扣完为止。",
        [],
        {"per_item": "2"},
    ),
    (
        "C3",
        "督查整改",
        "廉政风险岗位防控管理",
        10,
        RuleKind.MANUAL,
        "",
        "风险点排查不全、防控措施不落实的酌情扣分。",
        DEPARTMENTS,
        {},
    ),
    (
        "C4",
        "督查整改",
        "品牌模式和基层保廉工程",
        10,
        RuleKind.MANUAL,
        "",
        "品牌模式推进不力、基层站点运行不规范的酌情扣分。",
        COUNTIES_AND_TOWNSHIPS,
        {},
    ),
    (
        "D1",
        "创新工作",
        "工作创新和特色亮点",
        5,
        RuleKind.MANUAL,
        "",
        "无创新做法的扣2至5分。",
        [],
        {},
    ),
    (
        "E1",
        "加分项目",
        "工作经验被上级推广",
        3,
        RuleKind.BONUS,
        "",
        "经验做法被省级以上推广的每项加1分,最多3分。",
        [],
        {},
    ),
    (
        "E2",
        "扣分项目",
        "被通报批评",
        5,
        RuleKind.DEDUCTION,
        "criticized_in_notices",
        "每被通报批评一次扣1分,最多扣5分。",
        [],
        {"per_item": "1"},
    ),
    (
        "V1",
        "一票否决",
        "发生严重违纪违法案件或重大责任事故",
        0,
        RuleKind.VETO,
        "",
        "发生的,年度考核实行一票否决。",
        [],
        {},
    ),
)
# One unit is vetoed (一票否决) in this year, to show how a veto reads.
VETO_YEAR = 2009
MANUAL_REASONS = {
    "A1": ("领导小组会议记录不全,专题研究部署次数不足", "考核组查阅会议记录"),
    "B1": ("部分项目任务未分解到责任科室和责任人", "项目分解台账抽查"),
    "C3": ("风险点排查不够全面,防控措施针对性不强", "廉政风险防控资料抽查"),
    "C4": ("品牌模式推进不够有力,基层站点运行记录不全", "实地检查记录"),
    "D1": ("工作创新亮点不突出", "年度工作总结"),
}


def build_schemes(ctx: DemoContext) -> None:
    """The first year's scheme is written indicator by indicator and opened; each
    later year is a copy of the year before ("copy last year's scheme")."""
    commission = ctx.users["commission"]
    previous = None
    for year in data.YEARS:
        title = (
            f"{year}年度萍乡市推进惩治和预防腐败体系建设暨落实党风廉政建设责任制检查考核工作方案"
        )
        if previous is None:
            scheme = services.scheme_create(actor=commission, year=year, title=title)
            for order, row in enumerate(INDICATORS, start=1):
                code, category, name, points, kind, rule, criteria, kinds, params = row
                services.indicator_create(
                    scheme=scheme,
                    actor=commission,
                    category=category,
                    code=code,
                    name=name,
                    max_points=Decimal(points),
                    rule_kind=kind,
                    rule_code=rule,
                    criteria=criteria,
                    applies_to_kinds=kinds,
                    params=params,
                    sort_order=order,
                )
        else:
            scheme = services.scheme_copy(scheme=previous, year=year, actor=commission, title=title)
        services.scheme_update(
            scheme=scheme,
            actor=commission,
            document_number=f"萍惩防字〔{year}〕{ctx.rng.randint(2, 9)}号",
        )
        ctx.schemes[year] = scheme
        ctx.indicators[year] = list(scheme.indicators.order_by("sort_order"))
        previous = scheme


def build_unit_assessments(ctx: DemoContext) -> None:
    """Each year: open, compute, score the manual indicators, self-score, review;
    publish the years before the seed's date. The current year (2011) stays
    open, self-scored, with its automatic scores as of the seed's date."""
    commission = ctx.users["commission"]
    units = list(services.assessed_units())
    quality = {unit.pk: ctx.rng.uniform(0.72, 0.98) for unit in units}
    for year in data.YEARS:
        scheme = ctx.schemes[year]
        services.assessment_year_open(scheme=scheme, actor=commission, compute=False)
        as_of = min(date(year, 12, 31), data.AS_OF)
        services.assessment_compute(scheme=scheme, actor=commission, as_of=as_of)
        current = year == data.AS_OF.year
        assessments = list(
            UnitAssessment.objects.filter(scheme=scheme)
            .select_related("unit", "scheme")
            .order_by("unit__code")
        )
        indicators = {i.code: i for i in ctx.indicators[year]}
        entries = [
            entry
            for assessment in assessments
            for entry in _manual_entries(ctx, assessment, indicators, quality[assessment.unit_id])
        ]
        services.scores_manual_bulk(scheme=scheme, entries=entries, actor=commission)
        for assessment in assessments:
            editor = ctx.editors.get(assessment.unit_id)
            if editor is not None:
                _self_score(editor, assessment)
        if not current:
            services.assessments_review_bulk(
                scheme=scheme,
                actor=commission,
                entries=[_review(ctx, a, quality[a.unit_id]) for a in assessments],
            )
            services.scheme_publish(
                scheme=scheme,
                actor=commission,
                published_on=date(year + 1, 2, ctx.rng.randint(10, 28)),
            )
        else:
            services.scheme_rank(scheme=scheme)
        # The outcome builder reads counties and departments, best first.
        ctx.assessments[year] = sorted(
            UnitAssessment.objects.filter(
                scheme=scheme, group__in=["county", "department"]
            ).select_related("unit"),
            key=lambda a: (-a.total, a.unit.code),
        )


def _manual_entries(ctx, assessment, indicators, quality):
    unit = assessment.unit
    for code, indicator in indicators.items():
        if indicator.is_automatic or not indicator.applies_to(unit):
            continue
        lines, points = [], Decimal(0)
        if indicator.rule_kind == RuleKind.BONUS:
            if ctx.chance(0.12):
                points = Decimal(ctx.rng.randint(1, 2))
                lines = [
                    {
                        "points": points,
                        "reason": "经验做法被省纪委简报推广",
                        "evidence": f"省纪委简报{assessment.scheme.year}年"
                        f"第{ctx.rng.randint(3, 40)}期",
                    }
                ]
        elif indicator.rule_kind == RuleKind.VETO:
            if assessment.scheme.year == VETO_YEAR and unit.pk == ctx.departments[-1].pk:
                yield {
                    "assessment": assessment,
                    "indicator": indicator,
                    "points": 0,
                    "vetoed": True,
                    "lines": [
                        {
                            "reason": "单位主要负责人因严重违纪被立案审查",
                            "evidence": f"萍纪立〔{VETO_YEAR}〕12号立案决定书",
                        }
                    ],
                }
                continue
        else:
            ratio = min(1.0, quality + ctx.rng.uniform(-0.08, 0.06))
            points = min(indicator.max_points, half_points(float(indicator.max_points) * ratio))
            if points < indicator.max_points:
                reason, evidence = MANUAL_REASONS[code]
                lines = [
                    {
                        "points": indicator.max_points - points,
                        "reason": reason,
                        "evidence": evidence,
                    }
                ]
        yield {"assessment": assessment, "indicator": indicator, "points": points, "lines": lines}


def _self_score(editor, assessment) -> None:
    entries = {
        score.indicator_id: {"self_points": score.max_points, "comment": ""}
        for score in assessment.scores.all()
        if score.max_points
    }
    services.assessment_self_score(
        assessment=assessment,
        actor=editor,
        entries=entries,
        comment="本单位认真落实惩防体系建设责任制,项目推进有序,台账规范。",
    )


def _review(ctx, assessment, quality) -> dict:
    conduct = half_points(100 * min(1.0, quality + ctx.rng.uniform(-0.05, 0.06)))
    grades = {
        review.pk: {
            "cadre_grade": CadreGrade.EXCELLENT
            if ctx.chance(quality - 0.6)
            else CadreGrade.COMPETENT
        }
        for review in assessment.leader_reviews.order_by("pk")
    }
    return {
        "assessment": assessment,
        "conduct_score": conduct,
        "conduct_comment": "落实党风廉政建设责任制情况良好。"
        if conduct >= 85
        else "责任制落实有待加强。",
        "leader_grades": grades,
    }

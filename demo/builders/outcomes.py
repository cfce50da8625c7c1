"""Commendations (28 units, 30 county-level officials) and accountability
cases (9 units, 13 county-level officials), traced to the assessment,
finding or supervision letter that led to them."""

from __future__ import annotations

from datetime import date, timedelta

from accountability.choices import AccountabilityMeasure, OfficialRank, OutcomeSource
from accountability.models import AccountabilityCase, Commendation
from demo.context import DemoContext, cap
from inspections.choices import Severity

# Per assessed year: (units commended, officials commended, units held accountable)
PER_YEAR = {2008: (9, 10, 3), 2009: (9, 10, 3), 2010: (10, 10, 3)}
OFFICIALS_HELD_ACCOUNTABLE = 13
COUNTY_LEVEL = (OfficialRank.COUNTY, OfficialRank.PROVINCIAL)
STATEMENTS = (
    "对督查发现的问题无异议,作为分管领导负有领导责任,已组织专题整改。",
    "问题属实;因项目资金未及时到位导致进度滞后,恳请在处理时予以考虑。",
    "接受组织处理,将以此为戒,切实履行“一岗双责”。",
)


def build_outcomes(ctx: DemoContext) -> None:
    commendations, cases = [], []
    commended_units, commended_people = set(), set()
    numbers = _DocumentNumbers()
    for year, (n_units, n_people, n_blamed) in PER_YEAR.items():
        ranked = ctx.assessments[year]  # best first
        decided = date(year + 1, 2, ctx.rng.randint(18, 28))
        number = numbers.next(decided)
        top = [a for a in ranked if a.unit_id not in commended_units][:n_units]
        for assessment in top:
            commended_units.add(assessment.unit_id)
            commendations.append(
                _commendation(
                    year,
                    decided,
                    number,
                    assessment,
                    unit=assessment.unit,
                    title=f"{year}年度惩防体系建设先进单位",
                )
            )
        people = [
            (a, ctx.heads[a.unit_id])
            for a in ranked
            if ctx.heads.get(a.unit_id)
            and ctx.heads[a.unit_id].rank in COUNTY_LEVEL
            and ctx.heads[a.unit_id].pk not in commended_people
        ][:n_people]
        for assessment, official in people:
            commended_people.add(official.pk)
            commendations.append(
                _commendation(
                    year,
                    decided,
                    number,
                    assessment,
                    official=official,
                    title=f"{year}年度党风廉政建设和惩防体系建设先进个人",
                )
            )
        for assessment in ranked[-n_blamed:]:
            cases.append(_unit_case(year, decided, number, assessment))
    cases += _official_cases(ctx, numbers)
    Commendation.objects.bulk_create(commendations)
    AccountabilityCase.objects.bulk_create(cases)


class _DocumentNumbers:
    def __init__(self):
        self.used: dict[int, int] = {}

    def next(self, day: date) -> str:
        self.used[day.year] = self.used.get(day.year, 0) + 3
        return f"萍字〔{day.year}〕{self.used[day.year]}号"


def _commendation(year, decided, number, assessment, *, title, unit=None, official=None):
    return Commendation(
        year=year,
        unit=unit,
        official=official,
        source=OutcomeSource.ASSESSMENT,
        source_assessment=assessment,
        document_number=number,
        decided_on=decided,
        title=title,
    )


def _unit_case(year, decided, number, assessment) -> AccountabilityCase:
    return AccountabilityCase(
        year=year,
        unit=assessment.unit,
        source=OutcomeSource.ASSESSMENT,
        source_assessment=assessment,
        document_number=number,
        decided_on=decided,
        reason=f"{year}年度惩防体系建设考核排名靠后,牵头项目推进缓慢,量化目标未完成。",
        measure=AccountabilityMeasure.CRITICISM_NOTICE,
    )


def _official_cases(ctx, numbers) -> list[AccountabilityCase]:
    """County-level officials of units with serious findings, then of units
    that received supervision letters, until there are 13."""
    cases, seen = [], set()
    candidates = [(f, None) for f in ctx.findings if f.severity == Severity.SERIOUS]
    candidates += [(None, letter) for letter in ctx.letters]
    measures = [
        AccountabilityMeasure.ADMONITION,
        AccountabilityMeasure.CRITICISM_NOTICE,
        AccountabilityMeasure.ORDERED_INSPECTION,
    ]
    for finding, letter in candidates:
        unit = finding.unit if finding else letter.unit
        official = ctx.deputies.get(unit.pk) or ctx.heads.get(unit.pk)
        if official is None or official.rank not in COUNTY_LEVEL or official.pk in seen:
            continue
        seen.add(official.pk)
        start = finding.deadline if finding else letter.reply_deadline
        decided = cap(start + timedelta(days=ctx.rng.randint(10, 40)))
        cases.append(
            AccountabilityCase(
                year=decided.year,
                official=official,
                source=OutcomeSource.FINDING if finding else OutcomeSource.LETTER,
                source_finding=finding,
                source_letter=letter,
                document_number=numbers.next(decided),
                decided_on=decided,
                reason=(
                    f"分管的惩防体系建设工作督查发现问题:{finding.description}"
                    if finding
                    else f"{unit.name}对督办函({letter.number})事项落实不力"
                ),
                measure=ctx.rng.choice(measures),
                # 陈述申辩: told a fortnight before the decision, answered within a week.
                statement_deadline=decided - timedelta(days=7),
                statement_on=decided - timedelta(days=9),
                statement=STATEMENTS[len(cases) % len(STATEMENTS)],
            )
        )
        if len(cases) == OFFICIALS_HELD_ACCOUNTABLE:
            break
    assert len(cases) == OFFICIALS_HELD_ACCOUNTABLE, "too few county-level officials to hold"
    return cases

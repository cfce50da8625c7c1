"""A small scheme over the personas' tree: two automatic indicators, one
manual, a bonus, a deduction item and a veto item; regular maxima add to 100
for every comparable group."""

import datetime
from decimal import Decimal

import pytest

from assessments import choices as ass
from assessments import services
from tests import factories as f

YEAR = 2024
AS_OF = datetime.date(YEAR, 12, 31)


def make_scheme(actor, year=YEAR):
    scheme = services.scheme_create(actor=actor, year=year, title=f"{year}年度考核方案")
    rows = (
        ("R1", "督查整改", ass.RuleKind.AUTO, "letters_answered", "10", {"per_item": "2"}),
        ("R2", "督查整改", ass.RuleKind.AUTO, "findings_rectified", "10", {}),
        ("M1", "组织领导", ass.RuleKind.MANUAL, "", "80", {}),
        ("E1", "加分项目", ass.RuleKind.BONUS, "", "3", {}),
        ("E2", "扣分项目", ass.RuleKind.DEDUCTION, "criticized_in_notices", "5", {}),
        ("V1", "一票否决", ass.RuleKind.VETO, "", "0", {}),
    )
    for order, (code, category, kind, rule, points, params) in enumerate(rows, start=1):
        services.indicator_create(
            scheme=scheme,
            actor=actor,
            code=code,
            category=category,
            name=f"指标{code}",
            rule_kind=kind,
            rule_code=rule,
            max_points=Decimal(points),
            params=params,
            sort_order=order,
        )
    return scheme


@pytest.fixture
def scheme(commission):
    return make_scheme(commission)


@pytest.fixture
def opened(scheme, commission, tree):
    services.assessment_year_open(scheme=scheme, actor=commission, compute=False)
    scheme.refresh_from_db()
    return scheme


def indicator(scheme, code):
    return scheme.indicators.get(code=code)


def assessment_of(scheme, unit):
    return scheme.assessments.get(unit=unit)


def full_manual(scheme, assessment, actor, points="80", lines=()):
    return services.score_manual(
        assessment=assessment,
        indicator=indicator(scheme, "M1"),
        points=points,
        lines=list(lines),
        actor=actor,
    )


def score_all_manual(scheme, actor):
    """Full marks on M1, nothing on the bonus and veto items, for every unit."""
    for a in scheme.assessments.select_related("unit"):
        full_manual(scheme, a, actor)
        for code in ("E1", "V1"):
            services.score_manual(
                assessment=a, indicator=indicator(scheme, code), points="0", actor=actor
            )


__all__ = ["AS_OF", "YEAR", "f"]

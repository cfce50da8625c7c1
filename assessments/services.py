"""Writes of the annual assessment (一年一考核): the rulebook, the annual run,
automatic and manual scoring, self-scoring, review, publication and
reopening, ranking, and the outcomes that follow.

Every function takes the acting user as `actor` (None for system jobs such as
the Celery run), runs in one transaction, checks permission first and writes
through the audited helpers. Bad input raises ValidationError with a Chinese
message and saves nothing; a user who may not act gets PermissionDenied.

How a total is made (the same function for every path, Decimal to the cent,
ROUND_HALF_UP):
    base       = Σ points of the regular (automatic and manual) indicators
    bonus      = min(scheme.bonus_cap, Σ bonus items)
    deduction  = min(scheme.deduction_cap, Σ deduction items)
    total      = max(0, base + bonus − deduction)
    grade      = by the scheme's thresholds; a vetoed unit (一票否决) is 较差
Ranking is within the comparable group (县区 / 市直和省属单位 / 乡镇), by total,
highest first. Equal totals (to the cent) share a rank and the next rank is
skipped (1, 2, 2, 4: "competition ranking"); the page lists tied units by
unit code.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accountability.choices import OutcomeSource, UnitKind
from accountability.models import AccountabilityCase, Commendation, Official, Unit
from assessments import rules
from assessments.choices import (
    AssessmentGroup,
    AssessmentStatus,
    DeductionSource,
    Grade,
    ProposalKind,
    ProposalStatus,
    RuleKind,
    SchemeStatus,
)
from assessments.models import (
    AssessmentScheme,
    Deduction,
    Indicator,
    LeaderReview,
    OutcomeProposal,
    Score,
    UnitAssessment,
)
from pingxiang_cf import audit
from pingxiang_cf.models import AuditAction, AuditLog, Transition
from pingxiang_cf.scope import get_user_scope
from pingxiang_cf.services import (
    audited_create,
    audited_delete,
    audited_transition,
    audited_update,
    ensure_can,
)

HUNDRED = Decimal("100")
ZERO = rules.ZERO
cents = rules.cents

# Which unit kinds form each comparable group.
GROUP_KINDS = {
    AssessmentGroup.COUNTY: (UnitKind.COUNTY,),
    AssessmentGroup.DEPARTMENT: (UnitKind.MUNICIPAL_DEPT, UnitKind.PROVINCIAL_DEPT),
    AssessmentGroup.TOWNSHIP: (UnitKind.TOWNSHIP,),
}
KIND_GROUP = {kind: group for group, kinds in GROUP_KINDS.items() for kind in kinds}
REGULAR_KINDS = (RuleKind.AUTO, RuleKind.MANUAL)
BATCH_SIZE = 200


# --- Permissions ------------------------------------------------------------------------


def is_commission(user) -> bool:
    return user is not None and get_user_scope(user).edits_all


def _ensure_commission(actor) -> None:
    if actor is not None and not is_commission(actor):
        raise PermissionDenied(_("只有纪委惩防办可以进行此操作。"))


def can_self_score(user, assessment: UnitAssessment) -> bool:
    return (
        user is not None
        and assessment.status in (AssessmentStatus.DRAFT, AssessmentStatus.SELF_SCORED)
        and UnitAssessment.objects.restrict(user, "change").filter(pk=assessment.pk).exists()
    )


def _lock(obj):
    return type(obj)._base_manager.select_for_update().get(pk=obj.pk)


def _decimal(value, *, field: str, message: str) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError({field: message}) from None
    if not number.is_finite():
        raise ValidationError({field: message})
    return cents(number)


def unit_group(unit) -> str:
    return KIND_GROUP.get(unit.kind, "")


def assessed_units():
    """The units assessed each year: counties, departments and townships."""
    return Unit.objects.filter(is_active=True, kind__in=list(KIND_GROUP)).order_by("code")


# --- The rulebook -----------------------------------------------------------------------


def _ensure_draft(scheme: AssessmentScheme) -> None:
    if scheme.status != SchemeStatus.DRAFT:
        raise ValidationError(_("考核方案已启用,指标已冻结,不能修改。"))


SCHEME_FIELDS = (
    "year",
    "title",
    "document_number",
    "excellent_from",
    "good_from",
    "fair_from",
    "bonus_cap",
    "deduction_cap",
)
INDICATOR_FIELDS = (
    "category",
    "code",
    "name",
    "max_points",
    "rule_kind",
    "rule_code",
    "criteria",
    "applies_to_tier",
    "applies_to_kinds",
    "params",
    "sort_order",
)


def _only(fields: Mapping, allowed: Iterable[str]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unexpected fields: {sorted(unknown)}")


@transaction.atomic
def scheme_create(*, actor, **fields) -> AssessmentScheme:
    _ensure_commission(actor)
    _only(fields, SCHEME_FIELDS)
    return audited_create(AssessmentScheme, actor=actor, status=SchemeStatus.DRAFT, **fields)


@transaction.atomic
def scheme_update(*, scheme: AssessmentScheme, actor, **changes) -> AssessmentScheme:
    _ensure_commission(actor)
    _only(changes, SCHEME_FIELDS)
    scheme = _lock(scheme)
    _ensure_draft(scheme)
    return audited_update(scheme, actor=actor, **changes)


@transaction.atomic
def indicator_create(*, scheme: AssessmentScheme, actor, **fields) -> Indicator:
    _ensure_commission(actor)
    _only(fields, INDICATOR_FIELDS)
    _ensure_draft(_lock(scheme))
    return audited_create(Indicator, actor=actor, scheme=scheme, **fields)


@transaction.atomic
def indicator_update(*, indicator: Indicator, actor, **changes) -> Indicator:
    _ensure_commission(actor)
    _only(changes, INDICATOR_FIELDS)
    _ensure_draft(_lock(indicator.scheme))
    return audited_update(indicator, actor=actor, **changes)


@transaction.atomic
def indicator_delete(*, indicator: Indicator, actor) -> None:
    _ensure_commission(actor)
    _ensure_draft(_lock(indicator.scheme))
    audited_delete(indicator, actor=actor)


def _applicable(indicator: Indicator, tier: str, kinds: Iterable[str]) -> bool:
    if indicator.applies_to_tier and indicator.applies_to_tier != tier:
        return False
    return not indicator.applies_to_kinds or bool(set(kinds) & set(indicator.applies_to_kinds))


GROUP_TIERS = {
    AssessmentGroup.COUNTY: "county",
    AssessmentGroup.DEPARTMENT: "department",
    AssessmentGroup.TOWNSHIP: "grassroots",
}


def scheme_problems(scheme: AssessmentScheme, indicators=None) -> list[str]:
    """Why the scheme cannot be used yet, one message each; empty when valid.
    The regular indicators that apply to each comparable group must add up to
    exactly 100 points."""
    indicators = list(indicators if indicators is not None else scheme.indicators.all())
    problems = []
    if not indicators:
        return [_("考核方案还没有指标。")]
    for group, kinds in GROUP_KINDS.items():
        total = sum(
            (
                i.max_points
                for i in indicators
                if i.rule_kind in REGULAR_KINDS and _applicable(i, GROUP_TIERS[group], kinds)
            ),
            ZERO,
        )
        if cents(total) != HUNDRED:
            problems.append(
                _("适用于%(group)s的指标分值合计为%(total)s分,须为100分。")
                % {"group": AssessmentGroup(group).label, "total": cents(total)}
            )
    for i in indicators:
        if i.rule_code and i.rule_code not in rules.RULES:
            problems.append(
                _("指标%(code)s的计分规则“%(rule)s”不存在。")
                % {"code": i.code, "rule": i.rule_code}
            )
        if i.rule_kind in (RuleKind.BONUS, RuleKind.DEDUCTION) and i.max_points <= 0:
            problems.append(_("加分或扣分项%(code)s须设定上限分值。") % {"code": i.code})
    return problems


def scheme_validate(scheme: AssessmentScheme) -> None:
    problems = scheme_problems(scheme)
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def scheme_copy(*, scheme: AssessmentScheme, year: int, actor, title: str = "") -> AssessmentScheme:
    """Copy a scheme and its indicators to a new year, as a draft (one action)."""
    _ensure_commission(actor)
    if AssessmentScheme.objects.filter(year=year).exists():
        raise ValidationError({"year": _("%(year)s年度的考核方案已存在。") % {"year": year}})
    new = audited_create(
        AssessmentScheme,
        actor=actor,
        year=year,
        title=title or scheme.title.replace(str(scheme.year), str(year)),
        document_number="",
        status=SchemeStatus.DRAFT,
        excellent_from=scheme.excellent_from,
        good_from=scheme.good_from,
        fair_from=scheme.fair_from,
        bonus_cap=scheme.bonus_cap,
        deduction_cap=scheme.deduction_cap,
        copied_from=scheme,
        audit_reason=_("复制%(year)s年度考核方案") % {"year": scheme.year},
    )
    for indicator in scheme.indicators.order_by("sort_order", "code"):
        audited_create(
            Indicator,
            actor=actor,
            scheme=new,
            **{name: getattr(indicator, name) for name in INDICATOR_FIELDS},
        )
    return new


# --- The annual run ---------------------------------------------------------------------


def _leaders(unit_ids) -> dict:
    """Unit-level officials (heads and deputies, not section staff) per unit."""
    result = defaultdict(list)
    for official in Official.objects.filter(
        unit_id__in=unit_ids, is_active=True, section__isnull=True
    ).order_by("unit_id", "pk"):
        result[official.unit_id].append(official)
    return result


@transaction.atomic
def assessment_year_open(*, scheme: AssessmentScheme, actor, compute: bool = True) -> int:
    """Validate the scheme, freeze it, and create one assessment per assessed
    unit with a score row per applicable indicator (manual ones pending), the
    links to the unit's leaders (三者同步); then queue the automatic scoring.
    Running it again creates only what is missing. Returns the number of
    assessments created."""
    _ensure_commission(actor)
    scheme = _lock(scheme)
    if scheme.status == SchemeStatus.DRAFT:
        scheme_validate(scheme)
        scheme.opened_at = timezone.now()
        scheme.save(update_fields=["opened_at", "updated_at"])
        audited_transition(
            scheme, actor=actor, to_state=SchemeStatus.ACTIVE, reason=_("启动年度考核")
        )
    indicators = list(scheme.indicators.order_by("sort_order", "code"))
    existing = set(scheme.assessments.values_list("unit_id", flat=True))
    units = [u for u in assessed_units() if u.pk not in existing]
    created = UnitAssessment.objects.bulk_create(
        [
            UnitAssessment(scheme=scheme, unit=unit, group=unit_group(unit), total=None)
            for unit in units
        ]
    )
    if not created:
        return 0
    if created[0].pk is None:  # backends that do not return ids
        by_unit = dict(scheme.assessments.values_list("unit_id", "pk"))
        for assessment in created:
            assessment.pk = by_unit[assessment.unit_id]
    scores = []
    for assessment in created:
        for indicator in indicators:
            if indicator.applies_to(assessment.unit):
                scores.append(_blank_score(assessment, indicator))
    Score.objects.bulk_create(scores)
    leaders = _leaders([u.pk for u in units])
    LeaderReview.objects.bulk_create(
        [
            LeaderReview(assessment=a, official=official)
            for a in created
            for official in leaders.get(a.unit_id, [])
        ]
    )
    for assessment in created:
        audit.record(
            actor=actor, action=AuditAction.CREATE, obj=assessment, after=audit.snapshot(assessment)
        )
    if compute:
        from assessments.tasks import compute_scheme

        scheme_id = scheme.pk
        transaction.on_commit(lambda: compute_scheme.delay(scheme_id))
    return len(created)


def _blank_score(assessment, indicator) -> Score:
    regular = indicator.rule_kind in REGULAR_KINDS
    return Score(
        assessment=assessment,
        indicator=indicator,
        max_points=indicator.max_points,
        points=indicator.max_points if regular else ZERO,
        pending=not indicator.is_automatic,
        inputs={},
    )


def run_annual_assessment(cycle, *, actor=None) -> dict:
    """Hook for the annual supervision cycle (年度考核): open the cycle's year
    (creating what is missing) and score every unit now. Returns counts."""
    year = cycle.period_start.year
    scheme = AssessmentScheme.objects.filter(year=year).first()
    if scheme is None:
        raise ValidationError(_("%(year)s年度还没有考核方案。") % {"year": year})
    created = assessment_year_open(scheme=scheme, actor=actor, compute=False)
    computed = assessment_compute(scheme=scheme, actor=actor)
    return {"created": created, "computed": computed}


# --- Scoring ----------------------------------------------------------------------------


def as_of_for(scheme: AssessmentScheme, today: datetime.date | None = None) -> datetime.date:
    """The day the automatic rules look at: the year's last day, or today while
    the year is running."""
    today = today or timezone.localdate()
    return min(datetime.date(scheme.year, 12, 31), today)


def _apply(indicator: Indicator, result: rules.RuleResult) -> tuple[Decimal, bool]:
    """Points (and veto) from a rule's lines, the same way for every rule."""
    total = result.total
    if indicator.rule_kind in REGULAR_KINDS:
        return cents(indicator.max_points - min(indicator.max_points, total)), False
    if indicator.rule_kind == RuleKind.VETO:
        return ZERO, bool(result.lines)
    return cents(min(indicator.max_points, total)), False


def assessment_compute(
    *, scheme: AssessmentScheme, actor=None, assessment_ids=None, as_of=None
) -> int:
    """Compute the automatic indicators of the scheme's assessments that are not
    published, in batches; returns how many assessments were computed. The
    same data always gives the same points, lines and totals."""
    _ensure_commission(actor)
    scheme = AssessmentScheme.objects.get(pk=scheme.pk)
    if scheme.status == SchemeStatus.DRAFT:
        raise ValidationError(_("考核方案尚未启用。"))
    ids = list(
        UnitAssessment.objects.filter(scheme=scheme)
        .exclude(status=AssessmentStatus.PUBLISHED)
        .filter(**({"pk__in": assessment_ids} if assessment_ids is not None else {}))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    as_of = as_of or as_of_for(scheme)
    for start in range(0, len(ids), BATCH_SIZE):
        compute_batch(
            scheme=scheme, assessment_ids=ids[start : start + BATCH_SIZE], actor=actor, as_of=as_of
        )
    if ids:
        scheme_rank(scheme=scheme)
    return len(ids)


@transaction.atomic
def compute_batch(*, scheme, assessment_ids, actor=None, as_of) -> None:
    assessments = list(
        UnitAssessment.objects.select_for_update()
        .filter(pk__in=assessment_ids)
        .exclude(status=AssessmentStatus.PUBLISHED)
        .select_related("unit")
        .order_by("pk")
    )
    if not assessments:
        return
    indicators = {i.pk: i for i in scheme.indicators.all()}
    automatic = [i for i in indicators.values() if i.is_automatic]
    facts = rules.YearFacts(scheme.year, [a.unit_id for a in assessments], as_of=as_of)
    # Automatic scores are rewritten whole (delete + insert: one statement each,
    # whatever the number of rows); manual scores are kept as they are.
    auto_ids = [i.pk for i in automatic]
    Score.objects.filter(assessment__in=assessments, indicator_id__in=auto_ids).delete()
    scores = defaultdict(dict)
    for score in Score.objects.filter(assessment__in=assessments).exclude(
        indicator_id__in=auto_ids
    ):
        scores[score.assessment_id][score.indicator_id] = score
    new_scores, lines = [], []
    for assessment in assessments:
        for indicator in automatic:
            if not indicator.applies_to(assessment.unit):
                continue
            result = rules.RULES[indicator.rule_code].function(indicator, facts, assessment.unit)
            points, vetoed = _apply(indicator, result)
            score = Score(
                assessment=assessment,
                indicator=indicator,
                max_points=indicator.max_points,
                points=points,
                vetoed=vetoed,
                pending=False,
                inputs={"rule": indicator.rule_code, "as_of": as_of.isoformat(), **result.inputs},
                reason="; ".join(str(line.reason) for line in result.lines)[:2000],
            )
            scores[assessment.pk][indicator.pk] = score
            new_scores.append(score)
            lines.append((score, result.lines))
    Score.objects.bulk_create(new_scores)
    if new_scores and new_scores[0].pk is None:  # backends that do not return ids
        ids = {
            (s.assessment_id, s.indicator_id): s.pk
            for s in Score.objects.filter(assessment__in=assessments, indicator_id__in=auto_ids)
        }
        for score in new_scores:
            score.pk = ids[(score.assessment_id, score.indicator_id)]
    Deduction.objects.bulk_create(
        [
            Deduction(
                score=score,
                points=line.points,
                reason=str(line.reason),
                evidence=str(line.evidence)[:255],
                source=DeductionSource.AUTO,
                sort_order=order,
            )
            for score, score_lines in lines
            for order, line in enumerate(score_lines, start=1)
        ]
    )
    now = timezone.now()
    for assessment in assessments:
        before = _totals_snapshot(assessment)
        _set_totals(assessment, scores[assessment.pk].values(), indicators)
        assessment.computed_at = now
        after = _totals_snapshot(assessment)
        if before != after:
            audit.record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=assessment,
                before=before,
                after=after,
                reason=_("自动计分"),
            )
    _save_totals(assessments, extra=("computed_at",))


TOTAL_FIELDS = [
    "base_points",
    "bonus_points",
    "deduction_points",
    "total",
    "grade",
    "vetoed",
    "veto_reason",
]


def _save_totals(assessments, extra=()) -> None:
    """One UPDATE per assessment (bulk_update's CASE expressions cost more
    to build than the statements cost to run)."""
    for a in assessments:
        UnitAssessment.objects.filter(pk=a.pk).update(
            **{name: getattr(a, name) for name in (*TOTAL_FIELDS, *extra)}
        )


def _totals_snapshot(assessment) -> dict:
    return {
        name: (
            str(getattr(assessment, name))
            if isinstance(getattr(assessment, name), Decimal)
            else getattr(assessment, name)
        )
        for name in TOTAL_FIELDS
    }


def grade_for(scheme: AssessmentScheme, total: Decimal, *, vetoed: bool = False) -> str:
    if vetoed:
        return Grade.POOR
    if total >= scheme.excellent_from:
        return Grade.EXCELLENT
    if total >= scheme.good_from:
        return Grade.GOOD
    if total >= scheme.fair_from:
        return Grade.FAIR
    return Grade.POOR


def compute_totals(scheme, scores, indicators: Mapping[int, Indicator]) -> dict:
    """The parts of a total from its score rows (see the module docstring)."""
    base = bonus = deduction = ZERO
    veto_reasons = []
    for score in scores:
        kind = indicators[score.indicator_id].rule_kind
        if kind in REGULAR_KINDS:
            base += score.points
        elif kind == RuleKind.BONUS:
            bonus += score.points
        elif kind == RuleKind.DEDUCTION:
            deduction += score.points
        elif kind == RuleKind.VETO and score.vetoed:
            veto_reasons.append(f"{indicators[score.indicator_id].name}:{score.reason}")
    bonus = cents(min(bonus, scheme.bonus_cap))
    deduction = cents(min(deduction, scheme.deduction_cap))
    base = cents(base)
    total = cents(max(ZERO, base + bonus - deduction))
    vetoed = bool(veto_reasons)
    return {
        "base_points": base,
        "bonus_points": bonus,
        "deduction_points": deduction,
        "total": total,
        "vetoed": vetoed,
        "veto_reason": "\n".join(veto_reasons),
        "grade": grade_for(scheme, total, vetoed=vetoed),
    }


def _set_totals(assessment, scores, indicators) -> None:
    for name, value in compute_totals(assessment.scheme, scores, indicators).items():
        setattr(assessment, name, value)


def _refresh_totals(assessment: UnitAssessment, *, actor, reason: str) -> None:
    indicators = {i.pk: i for i in assessment.scheme.indicators.all()}
    before = _totals_snapshot(assessment)
    _set_totals(assessment, list(assessment.scores.all()), indicators)
    after = _totals_snapshot(assessment)
    assessment.save(update_fields=[*TOTAL_FIELDS, "updated_at"])
    if before != after:
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=assessment,
            before=before,
            after=after,
            reason=reason,
        )


def _ensure_open(assessment: UnitAssessment) -> None:
    if assessment.status == AssessmentStatus.PUBLISHED:
        raise ValidationError(_("考核结果已公布并冻结;如需修改,请先说明理由重新打开。"))


def _validate_manual(assessment, indicator, points, lines, vetoed):
    """Check one manual entry; returns (points, [(amount, reason, evidence)])
    or raises ValidationError. Shared by the single and the bulk service."""
    if indicator.scheme_id != assessment.scheme_id:
        raise ValidationError({"indicator": _("指标不属于本次考核的方案。")})
    if indicator.is_automatic:
        raise ValidationError({"indicator": _("自动计分指标由系统计算,不能人工评分。")})
    if not indicator.applies_to(assessment.unit):
        raise ValidationError({"indicator": _("该指标不适用于本单位。")})
    maximum = indicator.max_points
    veto = indicator.rule_kind == RuleKind.VETO
    points = ZERO if veto else _decimal(points, field="points", message=_("请输入有效的分数。"))
    if points < 0:
        raise ValidationError({"points": _("得分不能为负数。")})
    if points > maximum:
        raise ValidationError(
            {"points": _("得分不能超过该指标分值(%(max)s分)。") % {"max": maximum}}
        )
    clean_lines, errors = [], []
    for number, line in enumerate(lines, start=1):
        reason = (line.get("reason") or "").strip()
        evidence = (line.get("evidence") or "").strip()
        raw = line.get("points")
        if not reason and not evidence and raw in (None, ""):
            continue
        amount = ZERO
        if not veto:
            amount = _decimal(
                raw,
                field="lines",
                message=_("第%(n)s项:请输入有效的扣分分值。") % {"n": number},
            )
        if amount < 0:
            errors.append(_("第%(n)s项:分值不能为负数。") % {"n": number})
        if not reason:
            errors.append(_("第%(n)s项:每项扣分须填写扣分理由。") % {"n": number})
        if not evidence:
            errors.append(_("第%(n)s项:每项扣分须注明依据或佐证材料。") % {"n": number})
        clean_lines.append((amount, reason, evidence[:255]))
    if errors:
        raise ValidationError({"lines": errors})
    accounted = cents(sum((amount for amount, _r, _e in clean_lines), ZERO))
    if indicator.rule_kind in REGULAR_KINDS:
        expected = cents(maximum - points)
        if accounted != expected:
            raise ValidationError(
                {
                    "lines": _("扣分明细合计%(sum)s分,与扣减的%(expected)s分不符。")
                    % {"sum": accounted, "expected": expected}
                }
            )
    elif veto:
        if vetoed and not clean_lines:
            raise ValidationError({"lines": _("一票否决须填写否决事由和依据。")})
    elif accounted != points:
        raise ValidationError(
            {
                "lines": _("明细合计%(sum)s分,与%(points)s分不符。")
                % {"sum": accounted, "points": points}
            }
        )
    return points, clean_lines


def _manual_fields(indicator, points, clean_lines, vetoed, actor) -> dict:
    return {
        "points": points,
        "max_points": indicator.max_points,
        "reason": "; ".join(r for _a, r, _e in clean_lines),
        "vetoed": bool(vetoed) and indicator.rule_kind == RuleKind.VETO,
        "pending": False,
        "assessed_by": actor,
        "inputs": {"rule": "manual"},
    }


@transaction.atomic
def score_manual(
    *,
    assessment: UnitAssessment,
    indicator: Indicator,
    points,
    lines: Iterable[Mapping] = (),
    vetoed: bool = False,
    actor,
) -> Score:
    """An assessor scores a manual indicator (or a manual bonus, deduction or
    veto item). Each lost point (or, on a bonus item, each awarded point) is a
    line with its points, a reason and its evidence; the lines must account
    for the points exactly. Nothing is saved when anything is wrong."""
    _ensure_commission(actor)
    assessment = _lock(assessment)
    _ensure_open(assessment)
    points, clean_lines = _validate_manual(assessment, indicator, points, lines, vetoed)
    score = Score.objects.filter(assessment=assessment, indicator=indicator).first()
    if score is None:
        score = Score(assessment=assessment, indicator=indicator)
    audited_update(
        score, actor=actor, **_manual_fields(indicator, points, clean_lines, vetoed, actor)
    )
    for old in score.deductions.filter(source=DeductionSource.MANUAL):
        audited_delete(old, actor=actor)
    for order, (amount, line_reason, evidence) in enumerate(clean_lines, start=1):
        audited_update(
            Deduction(score=score, source=DeductionSource.MANUAL, sort_order=order),
            actor=actor,
            points=amount,
            reason=line_reason,
            evidence=evidence,
        )
    _refresh_totals(
        assessment, actor=actor, reason=_("人工评分:%(code)s") % {"code": indicator.code}
    )
    return score


@transaction.atomic
def scores_manual_bulk(*, scheme: AssessmentScheme, entries: Iterable[Mapping], actor) -> int:
    """Many manual entries at once (an assessor's whole sheet, an import): each
    entry is {"assessment", "indicator", "points", "lines", "vetoed"} and is
    checked exactly as `score_manual` checks it; if any is wrong nothing is
    saved. One audit row per assessment lists the entered scores and lines."""
    _ensure_commission(actor)
    entries = list(entries)
    ids = {e["assessment"].pk for e in entries}
    assessments = {
        a.pk: a
        for a in UnitAssessment.objects.select_for_update()
        .filter(pk__in=ids, scheme=scheme)
        .select_related("unit", "scheme")
    }
    validated = []
    for entry in entries:
        assessment = assessments.get(entry["assessment"].pk)
        if assessment is None:
            raise ValidationError(_("单位考核不属于该考核方案。"))
        _ensure_open(assessment)
        indicator = entry["indicator"]
        points, clean_lines = _validate_manual(
            assessment, indicator, entry.get("points"), entry.get("lines", ()), entry.get("vetoed")
        )
        validated.append((assessment, indicator, points, clean_lines, entry.get("vetoed")))
    scores = {
        (s.assessment_id, s.indicator_id): s
        for s in Score.objects.filter(assessment_id__in=assessments)
    }
    old_ids, new_scores, new_lines, written = [], [], [], defaultdict(dict)
    for assessment, indicator, points, clean_lines, vetoed in validated:
        old = scores.get((assessment.pk, indicator.pk))
        if old is None:
            raise ValidationError(_("该指标不适用于本单位。"))
        old_ids.append(old.pk)
        # Rewritten whole, like the automatic scores; the unit's self-score stays.
        score = Score(
            assessment=assessment,
            indicator=indicator,
            self_points=old.self_points,
            self_comment=old.self_comment,
            **_manual_fields(indicator, points, clean_lines, vetoed, actor),
        )
        scores[(assessment.pk, indicator.pk)] = score
        new_scores.append(score)
        new_lines += [
            Deduction(
                score=score,
                points=amount,
                reason=reason,
                evidence=evidence,
                source=DeductionSource.MANUAL,
                sort_order=order,
            )
            for order, (amount, reason, evidence) in enumerate(clean_lines, start=1)
        ]
        written[assessment.pk][indicator.code] = [
            str(points),
            [[str(a), r, e] for a, r, e in clean_lines],
        ]
    Score.objects.filter(pk__in=old_ids).delete()
    Score.objects.bulk_create(new_scores)
    if new_scores and new_scores[0].pk is None:  # backends that do not return ids
        ids = {
            (s.assessment_id, s.indicator_id): s.pk
            for s in Score.objects.filter(assessment_id__in=assessments)
        }
        for score in new_scores:
            score.pk = ids[(score.assessment_id, score.indicator_id)]
    Deduction.objects.bulk_create(new_lines)
    indicators = {i.pk: i for i in scheme.indicators.all()}
    by_assessment = defaultdict(list)
    for score in scores.values():
        by_assessment[score.assessment_id].append(score)
    for pk, assessment in assessments.items():
        before = _totals_snapshot(assessment)
        _set_totals(assessment, by_assessment[pk], indicators)
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=assessment,
            before=before,
            after={**_totals_snapshot(assessment), "manual_scores": written[pk]},
            reason=_("人工评分"),
        )
    _save_totals(assessments.values())
    return len(validated)


@transaction.atomic
def assessment_self_score(
    *, assessment: UnitAssessment, actor, entries: Mapping[int, Mapping], comment: str = ""
) -> UnitAssessment:
    """The unit scores itself (自评) and comments; the points it claims sit
    beside the assessor's and never change the total."""
    ensure_can(actor, assessment)
    assessment = _lock(assessment)
    if assessment.status not in (AssessmentStatus.DRAFT, AssessmentStatus.SELF_SCORED):
        raise ValidationError(_("考核已进入审核,不能再自评。"))
    scores = {s.indicator_id: s for s in assessment.scores.select_related("indicator")}
    errors = []
    changes = []
    for indicator_id, entry in entries.items():
        score = scores.get(int(indicator_id))
        if score is None:
            raise ValidationError(_("指标不属于本单位的考核。"))
        raw = entry.get("self_points")
        value = None
        if raw not in (None, ""):
            value = _decimal(raw, field="self_points", message=_("请输入有效的分数。"))
            if value < 0 or value > score.max_points:
                errors.append(
                    _("%(code)s自评分须在0到%(max)s分之间。")
                    % {"code": score.indicator.code, "max": score.max_points}
                )
        changes.append((score, value, (entry.get("comment") or "").strip()))
    if errors:
        raise ValidationError({"self_points": errors})
    before = {str(s.indicator_id): [str(s.self_points), s.self_comment] for s, _v, _c in changes}
    for score, value, text in changes:
        score.self_points, score.self_comment = value, text
    Score.objects.bulk_update([s for s, _v, _c in changes], ["self_points", "self_comment"])
    after = {str(s.indicator_id): [str(s.self_points), s.self_comment] for s, _v, _c in changes}
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=assessment,
        before={"self_scores": before, "self_comment": assessment.self_comment},
        after={"self_scores": after, "self_comment": comment.strip()},
        reason=_("单位自评"),
    )
    assessment.self_comment = comment.strip()
    assessment.save(update_fields=["self_comment", "updated_at"])
    if assessment.status == AssessmentStatus.DRAFT:
        audited_transition(
            assessment, actor=actor, to_state=AssessmentStatus.SELF_SCORED, reason=_("单位自评")
        )
    return assessment


@transaction.atomic
def assessment_review(
    *,
    assessment: UnitAssessment,
    actor,
    conduct_score=None,
    conduct_comment: str = "",
    leader_grades: Mapping[int, Mapping] | None = None,
    reason: str = "",
) -> UnitAssessment:
    """The commission reviews a unit's year in one step (三者同步): the system
    score (every indicator scored), the party-conduct responsibility score and
    the leaders' cadre assessment results."""
    _ensure_commission(actor)
    assessment = _lock(assessment)
    _ensure_open(assessment)
    pending = assessment.scores.filter(pending=True).select_related("indicator")
    if pending:
        codes = ", ".join(s.indicator.code for s in pending)
        raise ValidationError(_("尚有指标未评分:%(codes)s。") % {"codes": codes})
    changes = {"conduct_comment": conduct_comment.strip()}
    if conduct_score not in (None, ""):
        value = _decimal(conduct_score, field="conduct_score", message=_("请输入有效的分数。"))
        if not ZERO <= value <= HUNDRED:
            raise ValidationError(
                {"conduct_score": _("党风廉政建设责任制考核得分须在0到100之间。")}
            )
        changes["conduct_score"] = value
    audited_update(assessment, actor=actor, **changes)
    reviews = {r.pk: r for r in assessment.leader_reviews.all()}
    for review_id, values in (leader_grades or {}).items():
        review = reviews.get(int(review_id))
        if review is None:
            raise ValidationError(_("该干部不属于本单位考核。"))
        audited_update(
            review,
            actor=actor,
            cadre_grade=values.get("cadre_grade", review.cadre_grade) or "",
            comment=(values.get("comment", review.comment) or "").strip(),
        )
    return audited_transition(
        assessment, actor=actor, to_state=AssessmentStatus.REVIEWED, reason=reason or _("审核通过")
    )


def _bulk_transition(objs, *, actor, to_state: str, reason: str, extra=None) -> None:
    """Move many rows to `to_state`: one UPDATE per row, the transition rows
    and their audit rows inserted in two statements (the same records
    audited_transition writes one by one)."""
    objs = [o for o in objs if o.status != to_state]
    if not objs:
        return
    content_type = ContentType.objects.get_for_model(type(objs[0]))
    actor_row = actor if actor is not None and actor.pk else None
    transitions, logs = [], []
    for obj in objs:
        from_state, obj.status = obj.status, to_state
        fields = {"status": to_state, **{name: getattr(obj, name) for name in (extra or ())}}
        type(obj).objects.filter(pk=obj.pk).update(**fields)
        transitions.append(
            Transition(
                content_type=content_type,
                object_id=str(obj.pk),
                field="status",
                from_state=from_state,
                to_state=to_state,
                reason=reason,
                actor=actor_row,
            )
        )
        logs.append(
            AuditLog(
                actor=actor_row,
                actor_name=getattr(actor, "username", "") or "",
                action=AuditAction.TRANSITION,
                content_type=content_type,
                object_id=str(obj.pk),
                object_repr=str(obj)[:255],
                before={"status": from_state},
                after={"status": to_state},
                changed_fields=["status"],
                reason=reason,
            )
        )
    Transition.objects.bulk_create(transitions)
    AuditLog.objects.bulk_create(logs)


@transaction.atomic
def assessments_review_bulk(*, scheme: AssessmentScheme, entries: Iterable[Mapping], actor) -> int:
    """Review many units at once (the commission's sign-off meeting): each entry
    is {"assessment", "conduct_score", "conduct_comment", "leader_grades"},
    checked as `assessment_review` checks it; nothing is saved if any is wrong."""
    _ensure_commission(actor)
    entries = list(entries)
    assessments = {
        a.pk: a
        for a in UnitAssessment.objects.select_for_update()
        .filter(pk__in=[e["assessment"].pk for e in entries], scheme=scheme)
        .select_related("unit", "scheme")
    }
    pending = dict(
        Score.objects.filter(assessment_id__in=assessments, pending=True).values_list(
            "assessment_id", "indicator__code"
        )
    )
    reviews = defaultdict(dict)
    for review in LeaderReview.objects.filter(assessment_id__in=assessments):
        reviews[review.assessment_id][review.pk] = review
    changes = []
    for entry in entries:
        assessment = assessments.get(entry["assessment"].pk)
        if assessment is None:
            raise ValidationError(_("单位考核不属于该考核方案。"))
        _ensure_open(assessment)
        if assessment.pk in pending:
            raise ValidationError(
                _("%(unit)s尚有指标未评分:%(codes)s。")
                % {"unit": assessment.unit, "codes": pending[assessment.pk]}
            )
        conduct = _conduct(entry.get("conduct_score"))
        grades = {}
        for review_id, values in (entry.get("leader_grades") or {}).items():
            review = reviews[assessment.pk].get(int(review_id))
            if review is None:
                raise ValidationError(_("该干部不属于本单位考核。"))
            grades[review] = values.get("cadre_grade") or ""
        changes.append((assessment, conduct, (entry.get("conduct_comment") or "").strip(), grades))
    for assessment, conduct, comment, grades in changes:
        before = {
            "conduct_score": str(assessment.conduct_score),
            "conduct_comment": assessment.conduct_comment,
        }
        assessment.conduct_score, assessment.conduct_comment = conduct, comment
        UnitAssessment.objects.filter(pk=assessment.pk).update(
            conduct_score=conduct, conduct_comment=comment
        )
        for review, grade in grades.items():
            LeaderReview.objects.filter(pk=review.pk).update(cadre_grade=grade)
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=assessment,
            before=before,
            after={
                "conduct_score": str(conduct),
                "conduct_comment": comment,
                "cadre_grades": {str(r.official_id): g for r, g in grades.items()},
            },
            reason=_("三者同步审核"),
        )
    _bulk_transition(
        [a for a, *_rest in changes],
        actor=actor,
        to_state=AssessmentStatus.REVIEWED,
        reason=_("审核通过"),
    )
    return len(changes)


def _conduct(value):
    if value in (None, ""):
        return None
    number = _decimal(value, field="conduct_score", message=_("请输入有效的分数。"))
    if not ZERO <= number <= HUNDRED:
        raise ValidationError({"conduct_score": _("党风廉政建设责任制考核得分须在0到100之间。")})
    return number


@transaction.atomic
def scheme_publish(*, scheme: AssessmentScheme, actor, published_on=None) -> int:
    """Publish the year's results: every assessment must be reviewed; ranks are
    fixed, each assessment is frozen, the scheme is closed. Returns the number
    of assessments published now."""
    _ensure_commission(actor)
    scheme = _lock(scheme)
    waiting = scheme.assessments.exclude(
        status__in=[AssessmentStatus.REVIEWED, AssessmentStatus.PUBLISHED]
    ).count()
    if waiting:
        raise ValidationError(_("还有%(n)s个单位的考核未审核,不能公布。") % {"n": waiting})
    scheme_rank(scheme=scheme, actor=actor)
    day = published_on or timezone.localdate()
    ready = list(
        scheme.assessments.filter(status=AssessmentStatus.REVIEWED).select_related("scheme", "unit")
    )
    for assessment in ready:
        assessment.published_on = day
    _bulk_transition(
        ready,
        actor=actor,
        to_state=AssessmentStatus.PUBLISHED,
        reason=_("公布考核结果"),
        extra=("published_on",),
    )
    published = len(ready)
    if scheme.status != SchemeStatus.FROZEN:
        audited_transition(
            scheme, actor=actor, to_state=SchemeStatus.FROZEN, reason=_("公布考核结果")
        )
    return published


@transaction.atomic
def assessment_reopen(*, assessment: UnitAssessment, actor, reason: str) -> UnitAssessment:
    """Reopen a published assessment: a reason is required and recorded."""
    _ensure_commission(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("重新打开已公布的考核须说明理由。")})
    assessment = _lock(assessment)
    if assessment.status != AssessmentStatus.PUBLISHED:
        raise ValidationError(_("只有已公布的考核才需要重新打开。"))
    return audited_transition(
        assessment, actor=actor, to_state=AssessmentStatus.REVIEWED, reason=reason
    )


# --- Ranking ----------------------------------------------------------------------------


def competition_ranks(totals: list[Decimal]) -> list[int]:
    """Ranks of totals sorted highest first: equal totals share a rank and the
    next rank is skipped (100, 95, 95, 90 → 1, 2, 2, 4)."""
    ranks = []
    for index, total in enumerate(totals):
        if index and total == totals[index - 1]:
            ranks.append(ranks[-1])
        else:
            ranks.append(index + 1)
    return ranks


def _category_points(assessment_ids) -> dict:
    result = defaultdict(lambda: defaultdict(lambda: ZERO))
    for assessment_id, category, kind, points in Score.objects.filter(
        assessment_id__in=assessment_ids
    ).values_list("assessment_id", "indicator__category", "indicator__rule_kind", "points"):
        sign = -1 if kind == RuleKind.DEDUCTION else 1
        result[assessment_id][category] += sign * points
    return result


@transaction.atomic
def scheme_rank(*, scheme: AssessmentScheme, actor=None) -> None:
    """Rank within each comparable group and compare with last year (the
    change and, per indicator category, where it came from)."""
    assessments = list(scheme.assessments.select_related("unit").order_by("pk"))
    previous = {
        a.unit_id: a
        for a in UnitAssessment.objects.filter(scheme__year=scheme.year - 1, total__isnull=False)
    }
    points_now = _category_points([a.pk for a in assessments])
    points_before = _category_points([a.pk for a in previous.values()])
    by_group = defaultdict(list)
    for a in assessments:
        by_group[a.group].append(a)
    changed = []
    for members in by_group.values():
        members.sort(
            key=lambda a: (-(a.total if a.total is not None else Decimal(-1)), a.unit.code)
        )
        ranks = competition_ranks([a.total for a in members])
        for a, rank in zip(members, ranks, strict=True):
            before = previous.get(a.unit_id)
            reasons = []
            if before is not None:
                now, then = points_now[a.pk], points_before[before.pk]
                for category in sorted(set(now) | set(then)):
                    delta = cents(now.get(category, ZERO) - then.get(category, ZERO))
                    if delta:
                        reasons.append({"category": category, "delta": str(delta)})
            new = (
                rank if a.total is not None else None,
                before.total if before else None,
                before.rank if before else None,
                reasons,
            )
            if (a.rank, a.previous_total, a.previous_rank, a.change_reasons) != new:
                a.rank, a.previous_total, a.previous_rank, a.change_reasons = new
                changed.append(a)
    UnitAssessment.objects.bulk_update(
        changed, ["rank", "previous_total", "previous_rank", "change_reasons"]
    )


# --- Outcomes ---------------------------------------------------------------------------

PROPOSAL_FIELDS = (
    "unit",
    "official",
    "source",
    "source_assessment",
    "source_finding",
    "title",
    "reason",
    "measure",
)


@transaction.atomic
def proposal_create(*, scheme: AssessmentScheme, kind: str, actor, **fields) -> OutcomeProposal:
    _ensure_commission(actor)
    _only(fields, PROPOSAL_FIELDS)
    if not (fields.get("reason") or "").strip():
        raise ValidationError({"reason": _("请填写事由。")})
    source_assessment = fields.get("source_assessment")
    if source_assessment is not None and source_assessment.status != AssessmentStatus.PUBLISHED:
        raise ValidationError(_("只能依据已公布的考核结果提出建议。"))
    return audited_update(OutcomeProposal(scheme=scheme, kind=kind), actor=actor, **fields)


def _exists(scheme, kind, *, unit=None, official=None) -> bool:
    return OutcomeProposal.objects.filter(
        scheme=scheme, kind=kind, unit=unit, official=official
    ).exists()


@transaction.atomic
def proposals_suggest(*, scheme: AssessmentScheme, actor, top_per_group: int = 3) -> int:
    """Propose from the published ranking and the year's findings: the best
    units of each group (graded 优秀) and their heads for commendation; units
    graded 较差 (or vetoed) and units with a serious finding left unrectified
    for accountability. Existing proposals are kept; returns how many are new."""
    from inspections.choices import FindingStatus, Severity
    from inspections.models import Finding

    _ensure_commission(actor)
    published = scheme.assessments.filter(status=AssessmentStatus.PUBLISHED).select_related("unit")
    if not published.exists():
        raise ValidationError(_("考核结果公布后才能提出表彰和责任追究建议。"))
    leaders = _leaders(published.values_list("unit_id", flat=True))
    created = 0
    for group in GROUP_KINDS:
        best = list(
            published.filter(group=group, rank__lte=top_per_group, grade=Grade.EXCELLENT).order_by(
                "rank", "unit__code"
            )
        )
        for a in best:
            if not _exists(scheme, ProposalKind.COMMENDATION, unit=a.unit):
                proposal_create(
                    scheme=scheme,
                    kind=ProposalKind.COMMENDATION,
                    actor=actor,
                    unit=a.unit,
                    source=OutcomeSource.ASSESSMENT,
                    source_assessment=a,
                    title=_("%(year)s年度惩防体系建设先进单位") % {"year": scheme.year},
                    reason=_("年度考核%(total)s分,%(group)s第%(rank)s名。")
                    % {"total": a.total, "group": a.get_group_display(), "rank": a.rank},
                )
                created += 1
            for official in leaders.get(a.unit_id, [])[:1]:
                if not _exists(scheme, ProposalKind.COMMENDATION, official=official):
                    proposal_create(
                        scheme=scheme,
                        kind=ProposalKind.COMMENDATION,
                        actor=actor,
                        official=official,
                        source=OutcomeSource.ASSESSMENT,
                        source_assessment=a,
                        title=_("%(year)s年度党风廉政建设和惩防体系建设先进个人")
                        % {"year": scheme.year},
                        reason=_("所在单位年度考核%(group)s第%(rank)s名。")
                        % {"group": a.get_group_display(), "rank": a.rank},
                    )
                    created += 1
    for a in published.filter(Q(grade=Grade.POOR) | Q(vetoed=True)).order_by("unit__code"):
        if not _exists(scheme, ProposalKind.ACCOUNTABILITY, unit=a.unit):
            proposal_create(
                scheme=scheme,
                kind=ProposalKind.ACCOUNTABILITY,
                actor=actor,
                unit=a.unit,
                source=OutcomeSource.ASSESSMENT,
                source_assessment=a,
                measure="criticism_notice",
                reason=(a.veto_reason and _("一票否决:%(r)s") % {"r": a.veto_reason})
                or _("年度考核%(total)s分,等次较差。") % {"total": a.total},
            )
            created += 1
    serious = (
        Finding.objects.filter(
            severity=Severity.SERIOUS, deadline__year=scheme.year, unit__in=published.values("unit")
        )
        .exclude(status=FindingStatus.VERIFIED)
        .select_related("unit")
        .order_by("deadline", "pk")
    )
    for finding in serious:
        if not _exists(scheme, ProposalKind.ACCOUNTABILITY, unit=finding.unit):
            proposal_create(
                scheme=scheme,
                kind=ProposalKind.ACCOUNTABILITY,
                actor=actor,
                unit=finding.unit,
                source=OutcomeSource.FINDING,
                source_finding=finding,
                measure="criticism_notice",
                reason=_("严重问题逾期未整改:%(text)s") % {"text": finding.description[:80]},
            )
            created += 1
    return created


@transaction.atomic
def proposal_approve(
    *, proposal: OutcomeProposal, actor, decided_on: datetime.date, document_number: str = ""
) -> OutcomeProposal:
    """Approve a proposal: the register row is written with its source."""
    _ensure_commission(actor)
    proposal = _lock(proposal)
    if proposal.status != ProposalStatus.PROPOSED:
        raise ValidationError(_("该建议已处理。"))
    if decided_on is None:
        raise ValidationError({"decided_on": _("请填写决定日期。")})
    common = {
        "year": proposal.scheme.year,
        "unit": proposal.unit,
        "official": proposal.official,
        "source": proposal.source,
        "source_assessment": proposal.source_assessment,
        "source_finding": proposal.source_finding,
        "document_number": document_number.strip(),
        "decided_on": decided_on,
    }
    changes = {"document_number": document_number.strip(), "decided_on": decided_on}
    if proposal.kind == ProposalKind.COMMENDATION:
        changes["commendation"] = audited_create(
            Commendation, actor=actor, title=proposal.title, **common
        )
    else:
        changes["case"] = audited_update(
            AccountabilityCase(),
            actor=actor,
            reason=proposal.reason,
            measure=proposal.measure,
            **common,
        )
    audited_update(proposal, actor=actor, **changes)
    return audited_transition(
        proposal, actor=actor, to_state=ProposalStatus.APPROVED, reason=_("批准")
    )


@transaction.atomic
def proposal_reject(*, proposal: OutcomeProposal, actor, reason: str) -> OutcomeProposal:
    _ensure_commission(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请说明不予批准的理由。")})
    proposal = _lock(proposal)
    if proposal.status != ProposalStatus.PROPOSED:
        raise ValidationError(_("该建议已处理。"))
    return audited_transition(
        proposal, actor=actor, to_state=ProposalStatus.REJECTED, reason=reason
    )


# --- Score sheets -------------------------------------------------------------------------


def score_sheets_generate(*, scheme: AssessmentScheme, on_total=None, on_progress=None) -> int:
    """Render every unit's PDF sheet and the summary XLSX, storing one
    ScoreSheet per (assessment, kind) and one summary per scheme: a rerun
    replaces the files, never adds rows. Returns the number of PDFs."""
    from django.core.files.base import ContentFile

    from assessments import exports
    from assessments.choices import SheetKind
    from assessments.models import ScoreSheet

    assessments = list(
        exports.sheet_queryset().filter(scheme=scheme).order_by("group", "rank", "unit__code")
    )
    if on_total:
        on_total(len(assessments) + 1)

    def store(assessment, kind, name, content):
        with transaction.atomic():
            sheet, _created = ScoreSheet.objects.select_for_update().get_or_create(
                scheme=scheme, assessment=assessment, kind=kind, defaults={"file": ""}
            )
            old = sheet.file.name if sheet.file else ""
            sheet.file.save(name, ContentFile(content), save=True)
            if old and old != sheet.file.name:
                sheet.file.storage.delete(old)

    for assessment in assessments:
        store(
            assessment,
            SheetKind.PDF,
            f"sheet-{scheme.year}-{assessment.unit.code}.pdf",
            exports.render_sheet_pdf(assessment),
        )
        if on_progress:
            on_progress()
    store(None, SheetKind.XLSX, f"summary-{scheme.year}.xlsx", exports.summary_xlsx(scheme))
    if on_progress:
        on_progress()
    return len(assessments)

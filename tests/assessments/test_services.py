"""The rulebook, the annual run, manual scoring, review, publication,
ranking and outcomes, through the services."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accountability.models import Commendation
from assessments import choices as ass
from assessments import services
from assessments.models import Deduction, Indicator, Score, UnitAssessment
from inspections import choices as ins
from pingxiang_cf.models import AuditLog, Transition
from tests import factories as f
from tests.assessments.conftest import (
    AS_OF,
    YEAR,
    assessment_of,
    full_manual,
    indicator,
    make_scheme,
    score_all_manual,
)

pytestmark = pytest.mark.django_db
D = datetime.date


# --- Rulebook -------------------------------------------------------------------------


def test_scheme_whose_maxima_are_not_100_cannot_be_opened(commission, scheme, tree):
    services.indicator_update(indicator=indicator(scheme, "M1"), actor=commission, max_points="70")
    assert services.scheme_problems(scheme) == [
        "适用于县区的指标分值合计为90.00分,须为100分。",
        "适用于市直和省属单位的指标分值合计为90.00分,须为100分。",
        "适用于乡镇(街道)的指标分值合计为90.00分,须为100分。",
    ]
    with pytest.raises(ValidationError) as exc:
        services.assessment_year_open(scheme=scheme, actor=commission, compute=False)
    assert "须为100分" in exc.value.messages[0]
    scheme.refresh_from_db()
    assert scheme.status == ass.SchemeStatus.DRAFT
    assert not UnitAssessment.objects.exists()


def test_applicability_is_checked_per_group(commission, scheme):
    """An indicator for departments only must be balanced by one for the rest."""
    services.indicator_update(indicator=indicator(scheme, "M1"), actor=commission, max_points="70")
    services.indicator_create(
        scheme=scheme,
        actor=commission,
        code="M2",
        category="风险防控",
        name="廉政风险防控",
        rule_kind=ass.RuleKind.MANUAL,
        max_points=Decimal("10"),
        applies_to_kinds=["municipal_dept", "provincial_dept"],
    )
    problems = services.scheme_problems(scheme)
    assert problems == [
        "适用于县区的指标分值合计为90.00分,须为100分。",
        "适用于乡镇(街道)的指标分值合计为90.00分,须为100分。",
    ]


def test_unknown_rule_is_refused(commission, scheme):
    with pytest.raises(ValidationError) as exc:
        services.indicator_create(
            scheme=scheme,
            actor=commission,
            code="X1",
            category="x",
            name="x",
            rule_kind=ass.RuleKind.AUTO,
            rule_code="no_such_rule",
            max_points=Decimal("1"),
        )
    assert exc.value.message_dict["rule_code"] == ["没有名为“no_such_rule”的计分规则。"]
    assert not Indicator.objects.filter(code="X1").exists()


def test_opened_scheme_is_frozen(commission, opened):
    m1 = indicator(opened, "M1")
    for attempt in (
        lambda: services.indicator_update(indicator=m1, actor=commission, max_points="70"),
        lambda: services.indicator_delete(indicator=m1, actor=commission),
        lambda: services.indicator_create(
            scheme=opened,
            actor=commission,
            code="N1",
            category="x",
            name="x",
            rule_kind=ass.RuleKind.MANUAL,
            max_points=Decimal("1"),
        ),
        lambda: services.scheme_update(scheme=opened, actor=commission, excellent_from="95"),
    ):
        with pytest.raises(ValidationError, match="考核方案已启用,指标已冻结,不能修改。"):
            attempt()
    m1.refresh_from_db()
    assert m1.max_points == Decimal("80")
    assert opened.status == ass.SchemeStatus.ACTIVE and opened.opened_at


def test_copy_last_years_scheme_is_one_action(commission, opened):
    copy = services.scheme_copy(scheme=opened, year=YEAR + 1, actor=commission)
    assert copy.status == ass.SchemeStatus.DRAFT and copy.copied_from == opened
    fields = ("code", "category", "max_points", "rule_kind", "rule_code", "params")
    assert list(copy.indicators.values_list(*fields)) == list(
        opened.indicators.values_list(*fields)
    )
    assert services.scheme_problems(copy) == []
    with pytest.raises(ValidationError):
        services.scheme_copy(scheme=opened, year=YEAR + 1, actor=commission)


# --- The annual run ----------------------------------------------------------------------


def test_open_creates_one_assessment_per_unit_in_its_group_with_leaders(commission, scheme, tree):
    head = f.OfficialFactory(unit=tree["county_a"], post="县委书记")
    services.assessment_year_open(scheme=scheme, actor=commission, compute=False)
    groups = dict(scheme.assessments.values_list("unit__name", "group"))
    assert groups == {
        "市纪委": "department",
        "甲县": "county",
        "甲县一镇": "township",
        "乙县": "county",
        "市审计局": "department",
    }
    a = assessment_of(scheme, tree["county_a"])
    assert list(a.leader_reviews.values_list("official", flat=True)) == [head.pk]
    assert a.scores.count() == 6 and a.scores.filter(pending=True).count() == 3
    # A second run adds only what is missing.
    assert services.assessment_year_open(scheme=scheme, actor=commission, compute=False) == 0


def test_run_annual_assessment_scores_every_unit(commission, scheme, tree):
    cycle = f.SupervisionCycleFactory(
        kind="annual", period=str(YEAR), period_start=D(YEAR, 1, 1), period_end=D(YEAR, 12, 31)
    )
    f.SupervisionLetterFactory(
        unit=tree["county_a"],
        issued_on=D(YEAR, 2, 1),
        reply_deadline=D(YEAR, 2, 10),
        status=ins.LetterStatus.ISSUED,
    )
    result = services.run_annual_assessment(cycle)
    assert result == {"created": 5, "computed": 5}
    assert assessment_of(scheme, tree["county_a"]).scores.get(indicator__code="R1").points == 8


# --- Manual scoring: bad input refused, nothing saved -------------------------------------------


def _refused(opened, commission, tree, message, **kwargs):
    a = assessment_of(opened, tree["county_a"])
    before = (Score.objects.count(), Deduction.objects.count(), AuditLog.objects.count())
    with pytest.raises(ValidationError) as exc:
        services.score_manual(
            assessment=a,
            indicator=indicator(opened, kwargs.pop("code", "M1")),
            actor=commission,
            **kwargs,
        )
    assert message in " ".join(exc.value.messages)
    assert (Score.objects.count(), Deduction.objects.count(), AuditLog.objects.count()) == before
    assert a.scores.get(indicator__code="M1").pending


def test_manual_score_above_its_maximum_is_refused(opened, commission, tree):
    _refused(opened, commission, tree, "得分不能超过该指标分值(80.00分)。", points="80.5")


def test_deduction_without_reason_or_evidence_is_refused(opened, commission, tree):
    _refused(
        opened,
        commission,
        tree,
        "第1项:每项扣分须填写扣分理由。",
        points="78",
        lines=[{"points": "2", "reason": "", "evidence": "检查记录"}],
    )
    _refused(
        opened,
        commission,
        tree,
        "第1项:每项扣分须注明依据或佐证材料。",
        points="78",
        lines=[{"points": "2", "reason": "台账不全", "evidence": ""}],
    )


def test_deduction_lines_must_account_for_the_points(opened, commission, tree):
    _refused(
        opened,
        commission,
        tree,
        "扣分明细合计1.00分,与扣减的2.00分不符。",
        points="78",
        lines=[{"points": "1", "reason": "台账不全", "evidence": "检查记录"}],
    )
    _refused(opened, commission, tree, "请输入有效的分数。", points="abc")


def test_automatic_indicator_cannot_be_scored_by_hand(opened, commission, tree):
    _refused(opened, commission, tree, "自动计分指标由系统计算", code="R1", points="1")


def test_manual_score_writes_its_deduction_ledger(opened, commission, tree):
    a = assessment_of(opened, tree["county_a"])
    full_manual(
        opened,
        a,
        commission,
        points="75.5",
        lines=[
            {"points": "3", "reason": "全年未专题研究部署", "evidence": "会议记录"},
            {"points": "1.5", "reason": "领导小组成员调整未发文", "evidence": "发文登记"},
        ],
    )
    score = a.scores.get(indicator__code="M1")
    assert (score.points, score.pending, score.assessed_by) == (Decimal("75.50"), False, commission)
    assert list(score.deductions.values_list("points", "reason")) == [
        (Decimal("3.00"), "全年未专题研究部署"),
        (Decimal("1.50"), "领导小组成员调整未发文"),
    ]
    a.refresh_from_db()
    assert a.base_points == Decimal("95.50")  # automatic ones not computed yet: 10 + 10 + 75.5
    assert AuditLog.objects.filter(object_id=str(score.pk), action="update").exists()


# --- Totals, reproducibility, ranking ----------------------------------------------------------


def _letters_and_findings(tree):
    f.SupervisionLetterFactory(
        unit=tree["county_a"],
        issued_on=D(YEAR, 2, 1),
        reply_deadline=D(YEAR, 2, 10),
        status=ins.LetterStatus.ISSUED,
    )
    f.FindingFactory(unit=tree["county_b"], deadline=D(YEAR, 3, 31))
    notice = f.NoticeFactory(status=ins.NoticeStatus.PUBLISHED, issued_on=D(YEAR, 4, 1))
    f.NoticeUnitFactory(notice=notice, unit=tree["county_b"], is_criticism=True)


def test_totals_bonus_deduction_veto_and_grades(opened, commission, tree):
    _letters_and_findings(tree)
    score_all_manual(opened, commission)
    services.assessment_compute(scheme=opened, actor=commission, as_of=AS_OF)
    a = assessment_of(opened, tree["county_a"])
    b = assessment_of(opened, tree["county_b"])
    assert (a.base_points, a.bonus_points, a.deduction_points, a.total, a.grade) == (
        Decimal("98.00"),
        Decimal("0.00"),
        Decimal("0.00"),
        Decimal("98.00"),
        "excellent",
    )
    assert (b.base_points, b.deduction_points, b.total) == (
        Decimal("98.00"),
        Decimal("1.00"),
        Decimal("97.00"),
    )
    services.score_manual(
        assessment=b,
        indicator=indicator(opened, "E1"),
        points="2",
        actor=commission,
        lines=[{"points": "2", "reason": "经验被省纪委推广", "evidence": "省纪委简报第5期"}],
    )
    services.score_manual(
        assessment=a,
        indicator=indicator(opened, "V1"),
        points="0",
        vetoed=True,
        actor=commission,
        lines=[{"reason": "发生严重违纪案件", "evidence": "立案决定书"}],
    )
    a.refresh_from_db()
    b.refresh_from_db()
    assert (b.bonus_points, b.total) == (Decimal("2.00"), Decimal("99.00"))
    assert (a.total, a.vetoed, a.grade) == (Decimal("98.00"), True, "poor")


def test_recomputing_with_the_same_inputs_gives_the_same_total_to_the_cent(
    opened, commission, tree
):
    _letters_and_findings(tree)
    f.PlanTaskFactory(lead_unit=tree["county_a"], deadline=D(YEAR, 5, 1), status="in_progress")
    score_all_manual(opened, commission)

    def state():
        return (
            list(UnitAssessment.objects.order_by("pk").values_list("total", "base_points", "rank")),
            list(
                Deduction.objects.order_by(
                    "score__assessment", "score__indicator", "sort_order"
                ).values_list("score__assessment", "score__indicator", "points", "reason")
            ),
        )

    services.assessment_compute(scheme=opened, actor=commission, as_of=AS_OF)
    first = state()
    audits = AuditLog.objects.count()
    services.assessment_compute(scheme=opened, actor=commission, as_of=AS_OF)
    assert state() == first
    assert AuditLog.objects.count() == audits  # nothing changed, nothing recorded


def test_competition_ranking():
    totals = [Decimal(x) for x in ("100", "95.50", "95.50", "90", "90", "90", "80")]
    assert services.competition_ranks(totals) == [1, 2, 2, 4, 4, 4, 7]


def test_ties_share_a_rank_within_their_group(opened, commission, tree):
    score_all_manual(opened, commission)
    services.assessment_compute(scheme=opened, actor=commission, as_of=AS_OF)
    ranks = dict(opened.assessments.values_list("unit__name", "rank"))
    # Both counties 100.00 → both 1st; both departments and the township each rank on their own.
    assert ranks == {"甲县": 1, "乙县": 1, "市纪委": 1, "市审计局": 1, "甲县一镇": 1}
    b = assessment_of(opened, tree["county_b"])
    full_manual(
        opened,
        b,
        commission,
        points="79.99",
        lines=[{"points": "0.01", "reason": "小瑕疵", "evidence": "检查记录"}],
    )
    services.scheme_rank(scheme=opened)
    ranks = dict(opened.assessments.filter(group="county").values_list("unit__name", "rank"))
    assert ranks == {"甲县": 1, "乙县": 2}


def test_change_from_last_year_with_reasons(commission, tree):
    last = make_scheme(commission, year=YEAR - 1)
    services.assessment_year_open(scheme=last, actor=commission, compute=False)
    score_all_manual(last, commission)
    services.assessment_compute(scheme=last, actor=commission, as_of=D(YEAR - 1, 12, 31))
    this = services.scheme_copy(scheme=last, year=YEAR, actor=commission)
    services.assessment_year_open(scheme=this, actor=commission, compute=False)
    score_all_manual(this, commission)
    f.FindingFactory(unit=tree["county_a"], deadline=D(YEAR, 3, 31))
    services.assessment_compute(scheme=this, actor=commission, as_of=AS_OF)
    a = assessment_of(this, tree["county_a"])
    assert (a.previous_total, a.total, a.change) == (
        Decimal("100.00"),
        Decimal("98.00"),
        Decimal("-2.00"),
    )
    assert a.change_reasons == [{"category": "督查整改", "delta": "-2.00"}]


# --- Workflow: self-score, review (三者同步), publish, reopen -------------------------------------


def _ready(opened, commission):
    score_all_manual(opened, commission)
    services.assessment_compute(scheme=opened, actor=commission, as_of=AS_OF)
    for a in opened.assessments.all():
        services.assessment_review(assessment=a, actor=commission, conduct_score="90")


def test_unit_self_scores_its_own_assessment_only(opened, editor_a, tree):
    a = assessment_of(opened, tree["county_a"])
    m1 = indicator(opened, "M1")
    services.assessment_self_score(
        assessment=a,
        actor=editor_a,
        entries={m1.pk: {"self_points": "80", "comment": "已全部落实"}},
        comment="自评意见",
    )
    a.refresh_from_db()
    assert a.status == ass.AssessmentStatus.SELF_SCORED and a.self_comment == "自评意见"
    assert a.scores.get(indicator=m1).self_points == Decimal("80.00")
    with pytest.raises(ValidationError, match="自评分须在0到80.00分之间"):
        services.assessment_self_score(
            assessment=a, actor=editor_a, entries={m1.pk: {"self_points": "81"}}
        )
    with pytest.raises(PermissionDenied):
        services.assessment_self_score(
            assessment=assessment_of(opened, tree["county_b"]), actor=editor_a, entries={}
        )


@pytest.mark.parametrize("persona", ["editor_a", "leader", "auditor", "county_leader"])
def test_only_the_commission_scores_reviews_and_publishes(request, opened, tree, persona):
    user = request.getfixturevalue(persona)
    a = assessment_of(opened, tree["county_a"])
    with pytest.raises(PermissionDenied):
        full_manual(opened, a, user)
    with pytest.raises(PermissionDenied):
        services.assessment_review(assessment=a, actor=user)
    with pytest.raises(PermissionDenied):
        services.scheme_publish(scheme=opened, actor=user)
    with pytest.raises(PermissionDenied):
        services.assessment_year_open(scheme=opened, actor=user)


def test_review_needs_every_indicator_scored(opened, commission, tree):
    a = assessment_of(opened, tree["county_a"])
    with pytest.raises(ValidationError, match="尚有指标未评分:M1, E1, V1"):
        services.assessment_review(assessment=a, actor=commission)


def test_review_carries_conduct_score_and_leaders_cadre_results(opened, commission, tree):
    score_all_manual(opened, commission)
    a = assessment_of(opened, tree["county_a"])
    review = f.LeaderReviewFactory(assessment=a, cadre_grade="")
    with pytest.raises(ValidationError, match="党风廉政建设责任制考核得分须在0到100之间"):
        services.assessment_review(assessment=a, actor=commission, conduct_score="101")
    services.assessment_review(
        assessment=a,
        actor=commission,
        conduct_score="92.5",
        conduct_comment="责任制落实到位",
        leader_grades={review.pk: {"cadre_grade": "excellent", "comment": "优秀"}},
    )
    a.refresh_from_db()
    review.refresh_from_db()
    assert (a.status, a.conduct_score, review.cadre_grade) == (
        "reviewed",
        Decimal("92.50"),
        "excellent",
    )


def test_publish_freezes_and_reopen_needs_a_reason(opened, commission, tree):
    with pytest.raises(ValidationError, match="还有5个单位的考核未审核,不能公布。"):
        services.scheme_publish(scheme=opened, actor=commission)
    _ready(opened, commission)
    assert (
        services.scheme_publish(scheme=opened, actor=commission, published_on=D(YEAR + 1, 2, 1))
        == 5
    )
    a = assessment_of(opened, tree["county_a"])
    assert (a.status, a.published_on) == ("published", D(YEAR + 1, 2, 1))
    opened.refresh_from_db()
    assert opened.status == ass.SchemeStatus.FROZEN
    with pytest.raises(ValidationError, match="考核结果已公布并冻结"):
        full_manual(
            opened,
            a,
            commission,
            points="70",
            lines=[{"points": "10", "reason": "复核", "evidence": "复核记录"}],
        )
    assert services.assessment_compute(scheme=opened, actor=commission, as_of=AS_OF) == 0
    with pytest.raises(ValidationError, match="重新打开已公布的考核须说明理由。"):
        services.assessment_reopen(assessment=a, actor=commission, reason="  ")
    services.assessment_reopen(assessment=a, actor=commission, reason="单位申诉,复核台账")
    last = Transition.objects.filter(object_id=str(a.pk)).last()
    assert (last.from_state, last.to_state, last.reason) == (
        "published",
        "reviewed",
        "单位申诉,复核台账",
    )
    full_manual(
        opened,
        a,
        commission,
        points="70",
        lines=[{"points": "10", "reason": "复核发现台账造假", "evidence": "复核记录"}],
    )
    services.scheme_publish(scheme=opened, actor=commission)
    a.refresh_from_db()
    assert (a.status, a.total, a.rank) == ("published", Decimal("90.00"), 2)


# --- Outcomes ---------------------------------------------------------------------------------


def test_outcomes_from_the_published_ranking_enter_the_register(opened, commission, tree):
    head = f.OfficialFactory(unit=tree["county_a"], post="县委书记", rank="county")
    services.assessment_year_open(scheme=opened, actor=commission, compute=False)
    f.LeaderReviewFactory(assessment=assessment_of(opened, tree["county_a"]), official=head)
    with pytest.raises(ValidationError, match="考核结果公布后"):
        services.proposals_suggest(scheme=opened, actor=commission)
    _ready(opened, commission)
    services.scheme_publish(scheme=opened, actor=commission)
    created = services.proposals_suggest(scheme=opened, actor=commission, top_per_group=1)
    assert created == 6  # 5 units at 100 (all 1st), 甲县's head
    assert services.proposals_suggest(scheme=opened, actor=commission, top_per_group=1) == 0
    proposal = opened.proposals.get(official=head)
    services.proposal_approve(
        proposal=proposal,
        actor=commission,
        decided_on=D(YEAR + 1, 2, 20),
        document_number="萍字〔2025〕3号",
    )
    row = Commendation.objects.get(official=head)
    assert (row.source, row.source_assessment, row.year) == (
        "assessment",
        assessment_of(opened, tree["county_a"]),
        YEAR,
    )
    proposal.refresh_from_db()
    assert (proposal.status, proposal.commendation) == ("approved", row)
    with pytest.raises(ValidationError, match="该建议已处理。"):
        services.proposal_approve(proposal=proposal, actor=commission, decided_on=D(YEAR + 1, 3, 1))
    other = opened.proposals.filter(status="proposed").first()
    with pytest.raises(ValidationError):
        services.proposal_reject(proposal=other, actor=commission, reason="")
    services.proposal_reject(proposal=other, actor=commission, reason="名额已满")
    assert Commendation.objects.count() == 1

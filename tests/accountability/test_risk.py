"""Integrity-risk management (四分法): the level rule at its boundaries, the
map's writes by the unit, the yearly review (submit, approve, return) and
its versioning, the map page (SVG and table) and the post list."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accountability import services
from accountability.choices import (
    HandlingCategory,
    OversightTier,
    ReviewStatus,
    RiskCategory,
    RiskLevel,
)
from accountability.models import RiskPoint, RiskPost, RiskProcess, RiskReview
from accountability.selectors import level_counts
from pingxiang_cf.models import Transition
from tests import factories as f
from tests.querycount import assert_constant_queries

YEAR = f.YEAR
H, M, L = RiskLevel.HIGH, RiskLevel.MEDIUM, RiskLevel.LOW


# --- The level rule ---------------------------------------------------------------------


# Every cell of the 5 × 5 matrix (likelihood rows, impact columns): the
# boundaries are a score of 8 (medium from there) and 15 (high from there).
MATRIX = {
    1: (L, L, L, L, L),
    2: (L, L, L, M, M),  # 2×4 = 8 is the first medium
    3: (L, L, M, M, H),  # 3×3 = 9 medium, 3×5 = 15 the first high
    4: (L, M, M, H, H),  # 4×2 = 8 medium, 4×3 = 12 medium, 4×4 = 16 high
    5: (L, M, H, H, H),  # 5×1 = 5 low, 5×3 = 15 high
}


@pytest.mark.parametrize("likelihood", range(1, 6))
def test_risk_level_over_the_whole_matrix(likelihood):
    levels = tuple(services.risk_level(likelihood, impact) for impact in range(1, 6))
    assert levels == MATRIX[likelihood]


@pytest.mark.parametrize(
    ("likelihood", "impact", "level"),
    [(2, 3, L), (2, 4, M), (3, 4, M), (3, 5, H), (5, 5, H), (1, 1, L)],
    ids=["6 low", "8 medium", "12 medium", "15 high", "25 high", "1 low"],
)
def test_risk_level_at_its_boundaries(likelihood, impact, level):
    assert services.risk_level(likelihood, impact) == level


# --- Writing the map ----------------------------------------------------------------------


@pytest.fixture
def post(tree, editor_a):
    return services.risk_post_create(
        unit=tree["county_a"],
        year=YEAR,
        name="财务会计岗",
        actor=editor_a,
        oversight_tier=OversightTier.SUPERVISING_DEPT,
    )


def test_editor_builds_a_map_and_the_level_is_computed(tree, editor_a, post):
    power = services.risk_power_add(post, actor=editor_a, name="资金支付审核")
    point = services.risk_point_add(
        power,
        actor=editor_a,
        description="虚列支出套取资金",
        category=RiskCategory.PROCESS,
        likelihood=3,
        impact=5,
        handling=HandlingCategory.ACCOUNTABILITY,
    )
    assert point.level == H
    services.risk_control_add(
        point, actor=editor_a, measure="大额支出集体研究", rule_name="财务管理办法"
    )
    review = RiskReview.objects.get(unit=tree["county_a"], year=YEAR)
    assert review.status == ReviewStatus.DRAFT
    point = services.risk_point_update(point, actor=editor_a, likelihood=2)
    assert point.level == M  # 2 × 5 = 10: re-graded, never typed
    point = services.risk_point_update(point, actor=editor_a, likelihood=1)
    assert point.level == L  # 1 × 5 = 5


def test_likelihood_outside_1_to_5_is_refused(editor_a, post):
    power = services.risk_power_add(post, actor=editor_a, name="审批")
    with pytest.raises(ValidationError) as exc:
        services.risk_point_add(
            power,
            actor=editor_a,
            description="x",
            category=RiskCategory.DUTY,
            likelihood=6,
            impact=0,
        )
    assert set(exc.value.message_dict) == {"likelihood", "impact"}
    assert not RiskPoint.objects.exists()


def test_another_unit_cannot_write_the_map(tree, editor_b, leader, post):
    for user in (editor_b, leader):
        with pytest.raises(PermissionDenied):
            services.risk_power_add(post, actor=user, name="审批")
        with pytest.raises(PermissionDenied):
            services.risk_post_create(unit=tree["county_a"], year=YEAR, name="新岗", actor=user)


def test_process_steps_carry_the_posts_risk_points(tree, editor_a, post):
    power = services.risk_power_add(post, actor=editor_a, name="支付")
    point = services.risk_point_add(
        power,
        actor=editor_a,
        description="违规支付",
        category=RiskCategory.DUTY,
        likelihood=2,
        impact=2,
    )
    process = services.risk_process_create(
        unit=tree["county_a"],
        year=YEAR,
        name="资金支付流程",
        actor=editor_a,
        steps=[("申请", None, []), ("审核", post, [point]), ("支付", post, [])],
    )
    steps = list(process.steps.order_by("number"))
    assert [s.name for s in steps] == ["申请", "审核", "支付"]
    assert list(steps[1].risk_points.all()) == [point]


# --- The review and its versions ------------------------------------------------------------


def _full_map(unit, editor, year=YEAR):
    post = services.risk_post_create(unit=unit, year=year, name="采购岗", actor=editor)
    power = services.risk_power_add(post, actor=editor, name="供应商确定")
    point = services.risk_point_add(
        power,
        actor=editor,
        description="排斥潜在供应商",
        category=RiskCategory.PROCESS,
        likelihood=4,
        impact=4,
    )
    services.risk_control_add(point, actor=editor, measure="进入交易平台", rule_name="采购规程")
    services.risk_process_create(
        unit=unit,
        year=year,
        name="采购流程",
        actor=editor,
        steps=[("需求", None, []), ("评审", post, [point])],
    )
    return RiskReview.objects.get(unit=unit, year=year)


def test_submit_approve_freezes_the_map(tree, editor_a, commission):
    review = _full_map(tree["county_a"], editor_a)
    with pytest.raises(PermissionDenied):
        services.risk_review_approve(review, actor=editor_a)
    services.risk_review_submit(review, actor=editor_a)
    post = RiskPost.objects.get(unit=tree["county_a"], year=YEAR)
    with pytest.raises(ValidationError, match="不能再修改"):
        services.risk_power_add(post, actor=editor_a, name="新职权")
    review = services.risk_review_approve(review, actor=commission, comment="同意")
    assert review.status == ReviewStatus.APPROVED and review.approved_on is not None
    states = list(
        Transition.objects.filter(object_id=str(review.pk)).values_list("to_state", flat=True)
    )
    assert states == ["submitted", "approved"]
    with pytest.raises(ValidationError):
        services.risk_review_submit(review, actor=editor_a)


def test_return_needs_a_comment_and_reopens_the_map(tree, editor_a, commission):
    review = _full_map(tree["county_a"], editor_a)
    services.risk_review_submit(review, actor=editor_a)
    with pytest.raises(ValidationError, match="须填写审核意见"):
        services.risk_review_return(review, actor=commission, comment=" ")
    review = services.risk_review_return(review, actor=commission, comment="防控措施不具体")
    assert review.status == ReviewStatus.RETURNED
    post = RiskPost.objects.get(unit=tree["county_a"], year=YEAR)
    services.risk_power_add(post, actor=editor_a, name="补充职权")  # editable again
    services.risk_review_submit(review, actor=editor_a)


def test_an_empty_map_cannot_be_submitted(tree, editor_a):
    review = services.risk_review_start(unit=tree["county_a"], year=YEAR, actor=editor_a)
    with pytest.raises(ValidationError, match="还没有风险岗位"):
        services.risk_review_submit(review, actor=editor_a)


def test_annual_review_copies_the_map_and_keeps_the_previous_year(tree, editor_a, commission):
    unit = tree["county_a"]
    old = _full_map(unit, editor_a, year=YEAR - 1)
    services.risk_review_submit(old, actor=editor_a)
    services.risk_review_approve(old, actor=commission)
    project = f.ProjectFactory(lead_unit=unit, year=YEAR - 1)
    RiskPost.objects.get(unit=unit, year=YEAR - 1).projects.add(project)

    new = services.risk_review_start(unit=unit, year=YEAR, actor=editor_a)
    assert new.based_on == old and new.status == ReviewStatus.DRAFT
    new_post = RiskPost.objects.get(unit=unit, year=YEAR)
    assert list(new_post.projects.all()) == [project]
    point = RiskPoint.objects.get(power__post=new_post)
    assert point.controls.count() == 1
    step = RiskProcess.objects.get(unit=unit, year=YEAR).steps.get(number=2)
    assert step.post == new_post and list(step.risk_points.all()) == [point]
    # re-assess this year: the approved previous year does not move
    services.risk_point_update(point, actor=editor_a, likelihood=1)
    assert level_counts(unit, YEAR) == {"high": 0, "medium": 0, "low": 1, "total": 1}
    assert level_counts(unit, YEAR - 1) == {"high": 1, "medium": 0, "low": 0, "total": 1}
    old.refresh_from_db()
    assert old.status == ReviewStatus.APPROVED
    with pytest.raises(ValidationError, match="已存在"):
        services.risk_review_start(unit=unit, year=YEAR, actor=editor_a)


# --- Pages --------------------------------------------------------------------------------


def test_map_page_draws_points_lines_and_surface_and_compares_years(
    client, tree, editor_a, commission
):
    unit = tree["county_a"]
    old = _full_map(unit, editor_a, year=YEAR - 1)
    services.risk_review_submit(old, actor=editor_a)
    services.risk_review_approve(old, actor=commission)
    services.risk_review_start(unit=unit, year=YEAR, actor=editor_a)
    client.force_login(editor_a)
    response = client.get(reverse("accountability:risk-map", args=[unit.pk, YEAR]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="risk-map-svg"' in html and "risk-high" in html and 'class="risk-line"' in html
    assert "采购规程" in html  # the rule, the surface
    assert f">{YEAR - 1}</a>（" in html or f"{YEAR - 1}</a>(" in html  # the previous year's row
    table = client.get(reverse("accountability:risk-map", args=[unit.pk, YEAR]), {"view": "table"})
    assert 'id="risk-map-svg"' not in table.content.decode()
    assert "排斥潜在供应商" in table.content.decode()


def test_map_is_404_outside_scope_and_read_only_for_leaders(
    client, tree, editor_a, editor_b, leader
):
    unit = tree["county_a"]
    _full_map(unit, editor_a)
    url = reverse("accountability:risk-map", args=[unit.pk, YEAR])
    client.force_login(editor_b)
    assert client.get(url).status_code == 404
    client.force_login(leader)
    html = client.get(url).content.decode()
    assert "新增风险岗位" not in html
    assert (
        client.get(reverse("accountability:risk-post-create", args=[unit.pk, YEAR])).status_code
        == 403
    )


def test_risk_point_form_refuses_bad_input(client, tree, editor_a, post):
    power = services.risk_power_add(post, actor=editor_a, name="审批")
    client.force_login(editor_a)
    url = reverse("accountability:risk-point-add", args=[power.pk])
    response = client.post(
        url,
        {
            "description": "",
            "category": "duty",
            "likelihood": "9",
            "impact": "3",
            "handling": "reminder",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "此项为必填项" in html and "选择一个有效的选项" in html
    assert not RiskPoint.objects.exists()


def test_process_form_needs_two_steps_and_known_posts(client, tree, editor_a, post):
    client.force_login(editor_a)
    url = reverse("accountability:risk-process-create", args=[tree["county_a"].pk, YEAR])
    response = client.post(url, {"name": "流程", "steps": "只有一步"})
    assert "至少需要两个环节" in response.content.decode()
    response = client.post(url, {"name": "流程", "steps": "申请\n审核|不存在的岗位"})
    assert "不是本年度风险图中的岗位" in response.content.decode()
    response = client.post(url, {"name": "流程", "steps": "申请\n审核|财务会计岗"})
    assert response.status_code == 302
    assert RiskProcess.objects.get().steps.get(number=2).post == post


def test_risk_post_list_filters_and_query_count(client, tree, commission, editor_a):
    _full_map(tree["county_a"], editor_a)
    client.force_login(commission)
    url = reverse("accountability:risk-posts")
    assert "共 1 个" in client.get(url, {"level": "high"}).content.decode()
    assert (
        "共 0 个" in client.get(url, {"level": "low"}).content.decode()
        or "没有符合条件" in client.get(url, {"level": "low"}).content.decode()
    )

    def grow():
        for _n in range(10):
            unit = f.UnitFactory(parent=tree["county_b"])
            f.RiskPointFactory(power__post__unit=unit)

    assert_constant_queries(lambda: client.get(url), grow, limit=10)


def test_map_page_query_count_is_constant(client, tree, editor_a):
    unit = tree["county_a"]
    _full_map(unit, editor_a)
    client.force_login(editor_a)
    url = reverse("accountability:risk-map", args=[unit.pk, YEAR])

    def grow():
        for n in range(5):
            _post = services.risk_post_create(unit=unit, year=YEAR, name=f"岗{n}", actor=editor_a)
            power = services.risk_power_add(_post, actor=editor_a, name="权")
            point = services.risk_point_add(
                power,
                actor=editor_a,
                description="点",
                category=RiskCategory.DUTY,
                likelihood=1,
                impact=1,
            )
            services.risk_control_add(point, actor=editor_a, measure="措施", rule_name=f"制度{n}")

    assert_constant_queries(lambda: client.get(url), grow, limit=25)


def test_risk_map_list_filters_and_query_count(client, tree, commission, editor_a):
    _full_map(tree["county_a"], editor_a)
    client.force_login(commission)
    url = reverse("accountability:risk-maps")
    assert "共 1 份" in client.get(url, {"status": "draft"}).content.decode()
    assert "没有符合条件" in client.get(url, {"status": "approved"}).content.decode()

    def grow():
        for _ in range(10):
            f.RiskReviewFactory(unit=f.UnitFactory(parent=tree["county_b"]))

    assert_constant_queries(lambda: client.get(url), grow, limit=10)


def test_editor_home_of_risk_maps_offers_the_own_unit(client, tree, editor_a):
    client.force_login(editor_a)
    html = client.get(reverse("accountability:risk-maps")).content.decode()
    assert f"/responsibility/risk/start/?unit={tree['county_a'].pk}" in html

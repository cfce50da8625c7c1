"""Issue 6's browser scenario: a unit editor opens the year's risk map,
records a post, a power, a risk point (the level is computed) and a control,
and submits the map; the commission officer approves it; the map is then
frozen for the editor and another county's editor gets 404."""

import pytest

from accountability.choices import ReviewStatus
from accountability.models import RiskControl, RiskPoint, RiskReview
from tests.factories import PASSWORD, YEAR

pytestmark = pytest.mark.browser


def _sign_out(page):
    page.locator("#user-menu").click()
    page.get_by_role("button", name="退出登录").click()
    page.wait_for_url("**/accounts/login/")


def _submit_form(page, fields):
    for selector, value in fields.items():
        element = page.locator(selector)
        if element.evaluate("e => e.tagName") == "SELECT":
            element.select_option(value)
        else:
            element.fill(value)
    page.locator("#form-submit").click()


def test_editor_records_a_risk_point_and_control_and_commission_approves(
    page, login, tree, editor_a, editor_b, commission
):
    unit = tree["county_a"]
    login("editor_a", PASSWORD)
    page.goto(page.base_url + f"/responsibility/risk/start/?unit={unit.pk}")
    _submit_form(page, {"#id_year": str(YEAR)})
    page.wait_for_url(f"**/responsibility/risk/{unit.pk}/{YEAR}/")
    assert page.locator("#review-status").inner_text() == "编制中"

    page.get_by_role("link", name="新增风险岗位").click()
    _submit_form(page, {"#id_name": "财务会计岗", "#id_oversight_tier": "supervising_dept"})
    page.wait_for_url(f"**/responsibility/risk/{unit.pk}/{YEAR}/")
    page.get_by_role("link", name="+职权").click()
    _submit_form(page, {"#id_name": "资金支付审核", "#id_basis": "《会计法》"})
    page.get_by_role("link", name="+风险点").click()
    # bad input first: nothing is saved and the form says why
    _submit_form(page, {"#id_description": "", "#id_likelihood": "4", "#id_impact": "4"})
    assert page.locator(".invalid-feedback").first.inner_text() == "此项为必填项。"
    _submit_form(
        page,
        {
            "#id_description": "违规审批支付、虚列支出套取资金",
            "#id_category": "process",
            "#id_likelihood": "4",
            "#id_impact": "4",
            "#id_handling": "accountability",
        },
    )
    page.wait_for_url(f"**/responsibility/risk/{unit.pk}/{YEAR}/")
    point = RiskPoint.objects.get()
    assert point.level == "high"  # 4 × 4 = 16
    page.get_by_role("link", name="+防控措施").click()
    _submit_form(
        page,
        {
            "#id_measure": "资金支付实行“双签”制度",
            "#id_rule_name": "财务管理办法",
            "#id_owner": "分管副县长",
        },
    )
    page.wait_for_url(f"**/responsibility/risk/{unit.pk}/{YEAR}/")
    assert RiskControl.objects.get().risk_point == point
    assert page.locator("#risk-map-svg .risk-high").count() >= 1
    assert "财务管理办法" in page.locator("#risk-map-svg").inner_html()
    assert page.locator("#level-counts").inner_text().split("\n")[1].split() == [
        str(YEAR),
        "1",
        "0",
        "0",
        "1",
    ]

    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#submit-review").click()
    page.wait_for_selector("text=风险图已提交纪委审核。")
    assert page.locator("#review-status").inner_text() == "待审核"
    assert page.get_by_role("link", name="新增风险岗位").count() == 0
    _sign_out(page)

    login("editor_b", PASSWORD)
    response = page.goto(page.base_url + f"/responsibility/risk/{unit.pk}/{YEAR}/")
    assert response.status == 404
    page.context.clear_cookies()  # the 404 page has no user menu

    login("commission", PASSWORD)
    page.goto(page.base_url + f"/responsibility/risk/{unit.pk}/{YEAR}/")
    page.locator("#approve-review").click()
    _submit_form(page, {"#id_comment": "风险点识别准确,同意。"})
    page.wait_for_selector("text=风险图已审定。")
    assert page.locator("#review-status").inner_text() == "已审定"
    review = RiskReview.objects.get(unit=unit, year=YEAR)
    assert review.status == ReviewStatus.APPROVED and review.comment == "风险点识别准确,同意。"

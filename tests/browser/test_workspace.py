"""A lead-unit editor finds its work in the browser; another county cannot."""

import pytest

from projects.choices import ProjectStage
from tests import factories as f
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def projects(tree):
    tier, program = f.TierFactory(name="县区层级"), f.ProgramFactory(name="重点特色工程")
    common = {"tier": tier, "program": program, "lead_unit": tree["county_a"]}
    current = f.ProjectFactory(
        number="2011-037",
        name="甲县“梯链网”工作模式深化",
        year=2011,
        stage=ProjectStage.IMPLEMENT,
        **common,
    )
    f.MilestoneFactory(project=current, name="半年督导")
    f.TargetFactory(project=current, description="签订责任书")
    f.ProjectFactory(number="2010-011", name="甲县三资管理", year=2010, **common)
    return current


def test_editor_signs_in_filters_and_opens_a_project(
    page, login, editor_a, editor_b, projects, tmp_path
):
    login("editor_a", PASSWORD)
    assert page.url == page.base_url + "/"
    assert page.locator("h1").inner_text() == "工作台"
    assert page.get_by_text("我的项目").is_visible()
    # our CSS and Bootstrap are served by the app
    assert page.evaluate("getComputedStyle(document.body).display") == "flex"

    page.get_by_role("link", name="项目库").first.click()
    page.wait_for_url("**/projects/")
    assert page.locator("#result-count").inner_text() == "共 2 个项目"
    page.select_option("#id_year", "2011")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url("**/projects/?*year=2011*")
    assert page.locator("#result-count").inner_text() == "共 1 个项目"

    page.get_by_role("link", name="甲县“梯链网”工作模式深化").click()
    page.wait_for_url(f"**/projects/{projects.code}/")
    assert page.get_by_role("heading", name="项目管理工作流程图").is_visible()
    assert page.get_by_text("签订责任书").is_visible()
    page.screenshot(path=str(tmp_path / "project-detail.png"), full_page=True)
    assert (tmp_path / "project-detail.png").stat().st_size > 10_000

    # sign out through the user menu, then another county's editor tries the same URL
    page.locator("#user-menu").click()
    page.get_by_role("button", name="退出登录").click()
    page.wait_for_url("**/accounts/login/")
    login("editor_b", PASSWORD)
    response = page.goto(page.base_url + f"/projects/{projects.code}/")
    assert response.status == 404


def test_phone_width_has_a_collapsed_navigation(page, login, editor_a, projects, tmp_path):
    page.set_viewport_size({"width": 375, "height": 800})
    login("editor_a", PASSWORD)
    assert not page.get_by_role("link", name="项目库").first.is_visible()
    page.locator(".navbar-toggler").click()
    page.get_by_role("link", name="项目库").first.wait_for(state="visible")
    page.screenshot(path=str(tmp_path / "home-phone.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375  # nothing overflows the phone screen

"""A leader opens the dashboard in Chromium over the Pingxiang demo: the
charts render (every canvas drawn by Chart.js, no console error), the
headline shows the seed's figures, a drill-down keeps the filters, and the
page is captured for the README (docs/screenshots/dashboard.png); the
units page behind the dashboard's table sorts and keeps the filters
(docs/screenshots/dashboard-units.png)."""

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(settings.BASE_DIR) / "docs" / "screenshots"
SCREENSHOT = SCREENSHOTS / "dashboard.png"


@pytest.fixture
def demo(transactional_db):
    call_command("load_pingxiang_demo", force=True, stdout=StringIO(), stderr=StringIO())


def test_leader_dashboard_renders_its_charts(page, login, demo):
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login("leader", settings.DEMO_PASSWORD)
    page.goto(page.base_url + "/")
    page.wait_for_selector("canvas[data-chart='trend'][data-rendered='1']")

    canvases = page.locator("canvas[data-chart]")
    assert canvases.count() == 7
    assert page.locator("canvas[data-chart][data-rendered='1']").count() == 7
    assert page.locator("table[data-chart-heat] tbody tr").count() > 5
    assert page.inner_text("[data-figure='plan-rate']") == "92.04%"
    assert page.inner_text("[data-figure='projects']") == "255"
    assert errors == []

    page.set_viewport_size({"width": 1280, "height": 1500})
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=False)

    # Filter by year, then drill into a county: the year stays.
    page.select_option("#id_year", "2010")
    page.wait_for_url("**year=2010**")
    page.click("section[aria-labelledby='h-children'] details summary")
    page.click("section[aria-labelledby='h-children'] details table a:has-text('安源区')")
    page.wait_for_url("**unit=**")
    assert "year=2010" in page.url
    page.wait_for_selector("canvas[data-chart='tier'][data-rendered='1']")
    assert page.inner_text("h1").startswith("安源区")
    assert errors == []

    # Every unit below, sorted by red lights: the filters stay.
    page.goto(page.base_url + "/?year=2011")
    page.click("[data-more='children'] a")
    page.wait_for_url("**/dashboard/units/**")
    assert "year=2011" in page.url
    page.click("nav a:has-text('红灯数')")
    page.wait_for_url("**sort=red**")
    assert "year=2011" in page.url
    rows = page.locator("table.app-dash-table tbody tr")
    assert rows.count() > 5
    reds = [int(rows.nth(i).locator("td").nth(7).inner_text()) for i in range(rows.count())]
    assert reds == sorted(reds, reverse=True) and reds[0] > reds[-1]
    assert errors == []
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(SCREENSHOTS / "dashboard-units.png"), full_page=False)

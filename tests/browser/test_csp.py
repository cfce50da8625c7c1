"""The pages satisfy their Content Security Policy: Chromium reports no
violation (no inline script, no handler attribute, nothing from elsewhere)
on the main pages of each kind of user, the admin included."""

import pytest
from django.urls import reverse

from projects.choices import ProjectStage
from tests import factories as f
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def project(tree):
    tier, program = f.TierFactory(name="县区层级"), f.ProgramFactory(name="重点特色工程")
    project = f.ProjectFactory(
        number="2011-037",
        name="甲县“梯链网”工作模式深化",
        year=2011,
        stage=ProjectStage.IMPLEMENT,
        tier=tier,
        program=program,
        lead_unit=tree["county_a"],
    )
    f.MilestoneFactory(project=project, name="半年督导")
    f.TargetFactory(project=project, description="签订责任书")
    return project


def _violations(page, login, username, paths):
    messages = []
    page.on(
        "console",
        lambda msg: messages.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    login(username, PASSWORD)
    for path in paths:
        response = page.goto(page.base_url + path)
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")
    return messages


def test_workspace_pages_raise_no_csp_violation(page, login, commission, project, tree):
    paths = [
        "/",
        reverse("projects:list"),
        reverse("projects:detail", args=[project.code]),
        reverse("projects:unit-wall", args=[tree["county_a"].pk]) + "?year=2011",
        reverse("notifications:list"),
        reverse("password_change"),
        reverse("security:home"),
        reverse("security:account-totp"),
        reverse("admin:index"),
        reverse("admin:projects_project_changelist"),
        reverse("admin:projects_project_change", args=[project.pk]),
    ]
    assert _violations(page, login, "commission", paths) == []


def test_administrators_pages_raise_no_csp_violation(page, login, secadmin, audit_admin, sysadmin):
    assert (
        _violations(
            page, login, "secadmin", [reverse("security:lockouts"), reverse("security:policy")]
        )
        == []
    )


def test_audit_and_account_pages_raise_no_csp_violation(page, login, audit_admin, sysadmin):
    assert _violations(page, login, "audit_admin", [reverse("security:audit")]) == []


def test_system_administrators_pages_raise_no_csp_violation(page, login, sysadmin):
    paths = [reverse("admin:auth_user_changelist"), reverse("admin:auth_user_add")]
    assert _violations(page, login, "sysadmin", paths) == []


def test_the_sign_in_page_raises_no_csp_violation(page):
    messages = []
    page.on("console", lambda msg: messages.append(msg.text))
    page.goto(page.base_url + reverse("login"))
    page.wait_for_load_state("networkidle")
    assert [m for m in messages if "Content Security Policy" in m] == []

"""The main navigation (pingxiang_cf/navigation.py): each role sees the
entries it may open, the current one is marked, and the three
administrators land on their own desk."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

BUSINESS = ["工作台", "项目库", "统计看板", "通报", "督查督办", "责任制落实", "年度考核"]


def _nav(client, url="/") -> tuple[list[str], list[str]]:
    """The entries of the main navigation, and the current one(s)."""
    response = client.get(url, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    nav = html[html.index('id="main-nav"') : html.index("app-user-menu")]
    labels = re.findall(r'class="nav-link[^"]*"[^>]*>([^<]+)</a>', nav)
    active = re.findall(r'class="nav-link[^"]*\bactive\b[^"]*"[^>]*>([^<]+)</a>', nav)
    return labels, active


@pytest.mark.parametrize("persona", ["editor_a", "leader", "auditor"])
def test_business_roles_see_the_business_pages_and_no_desk(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    labels, _active = _nav(client, reverse("projects:list"))
    assert labels[: len(BUSINESS)] == BUSINESS
    assert "安全管理" not in labels


def test_every_entry_opens_for_the_commission(client, commission):
    client.force_login(commission)
    response = client.get(reverse("projects:list"))
    nav = response.content.decode().split('id="main-nav"')[1].split("app-user-menu")[0]
    for href in set(re.findall(r'href="(/[^"]*)"', nav)):
        assert client.get(href).status_code == 200, href


@pytest.mark.parametrize("persona", ["sysadmin", "secadmin", "audit_admin"])
def test_administrators_see_their_desk_and_land_on_it(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url == reverse("security:home")
    labels, active = _nav(client, reverse("security:home"))
    assert "安全管理" in labels and active == ["安全管理"]
    assert not set(BUSINESS[1:]) & set(labels)


@pytest.mark.parametrize(
    ("url_name", "current"),
    [
        ("projects:list", "项目库"),
        ("inspections:notice-list", "通报"),
        ("inspections:cycle-list", "通报"),
        ("inspections:letter-list", "督查督办"),
        ("inspections:finding-list", "督查督办"),
        ("accountability:register", "责任制落实"),
        ("assessments:list", "年度考核"),
    ],
)
def test_the_current_entry_is_marked(client, commission, url_name, current):
    client.force_login(commission)
    _labels, active = _nav(client, reverse(url_name))
    assert active == [current]


def test_a_leaders_home_marks_the_dashboard(client, leader, editor_a):
    """`/` is the dashboard for a leader (统计看板 current), the workspace for others."""
    client.force_login(leader)
    assert _nav(client, "/")[1] == ["统计看板"]
    client.force_login(editor_a)
    assert _nav(client, "/")[1] == ["工作台"]


def test_navigation_costs_no_query(commission, django_assert_max_num_queries):
    """The entries come from the scope the request already resolved."""
    from pingxiang_cf.navigation import main_nav
    from pingxiang_cf.scope import get_user_scope

    get_user_scope(commission)
    with django_assert_max_num_queries(0):
        links = main_nav(commission, None)
    assert [link.label for link in links][: len(BUSINESS)] == BUSINESS

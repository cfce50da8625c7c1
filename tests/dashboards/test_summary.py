"""GET /api/v1/summary/ over the demo data: the seed's figures for the
commission, a smaller scoped summary for a county editor, and a fixed
number of queries."""

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse

from accountability.models import Unit
from inspections.models import Inspection
from projects.models import PlanTask, Project
from tests.dashboards.query_budget import SUMMARY_QUERIES
from tests.querycount import count_queries

pytestmark = [pytest.mark.django_db, pytest.mark.demo]

URL = reverse("api-summary")

SEED_SUMMARY = {
    "plan_tasks": {"total": 113, "completed": 104, "completion_rate": "92.04"},
    "projects": {"total": 255, "common": 125, "individual": 117, "extension": 13},
    "units": {"county": 5, "department": 87, "township": 46},
    "service_points": {"county_centres": 5, "township_centres": 47, "village_points": 625},
    "inspections": {"routine": 72, "concentrated": 4, "units_notified": 35},
    "commendations": {"units": 28, "leaders": 30},
    "accountability": {"units": 9, "leaders": 13},
    "leading_groups": 137,
}
# 安源区 and what lies below it: 5 townships, its service centre, 5 township
# centres plus the 城郊管委会 one, 67 village agent points.
ANYUAN_SUMMARY = {
    "plan_tasks": {"total": 18, "completed": 17, "completion_rate": "94.44"},
    "projects": {"total": 39, "common": 33, "individual": 4, "extension": 2},
    "units": {"county": 1, "department": 0, "township": 5},
    "service_points": {"county_centres": 1, "township_centres": 6, "village_points": 67},
    "inspections": {"routine": 6, "concentrated": 4, "units_notified": 1},
    # 安源区 itself, and its head, are commended from the assessment ranking.
    "commendations": {"units": 1, "leaders": 1},
    "accountability": {"units": 0, "leaders": 0},
    "leading_groups": 6,
    "responsibility_letters": 42,
}


@pytest.fixture(scope="module", autouse=True)
def demo(pingxiang_demo):
    return pingxiang_demo


def summary_for(client, username) -> dict:
    client.force_login(get_user_model().objects.get(username=username))
    response = client.get(URL)
    assert response.status_code == 200
    return response.json()


def test_commission_gets_the_seed_figures(client):
    body = summary_for(client, "commission")
    letters = body.pop("responsibility_letters")
    assert body == SEED_SUMMARY
    assert isinstance(letters, int) and letters >= 1100


@pytest.mark.parametrize("username", ["leader", "auditor"])
def test_city_leader_and_auditor_see_the_whole_city(client, username):
    assert summary_for(client, username) == summary_for(client, "commission")


@pytest.mark.parametrize("username", ["anyuan", "anyuan_leader"])
def test_county_roles_get_their_county_only(client, username):
    assert summary_for(client, username) == ANYUAN_SUMMARY


def test_county_summary_agrees_with_the_visibility_rule(client):
    """The scoped figures are the rows touching 安源区's subtree, counted directly."""
    body = summary_for(client, "anyuan")
    path = Unit.objects.get(name="安源区").path
    below = Unit.objects.filter(path__startswith=path)
    projects = Project.objects.filter(
        Q(lead_unit__in=below) | Q(co_units__in=below) | Q(assignments__assignee_unit__in=below)
    ).distinct()
    tasks = PlanTask.objects.filter(Q(lead_unit__in=below) | Q(co_units__in=below)).distinct()
    inspections = Inspection.objects.filter(units__in=below).distinct()
    assert body["projects"]["total"] == projects.count()
    assert body["plan_tasks"]["total"] == tasks.count()
    assert body["inspections"]["routine"] == inspections.filter(kind="routine").count()
    assert body["units"]["township"] == below.filter(kind="township").count()


def test_department_editor_sees_one_department(client):
    body = summary_for(client, "caizheng")
    assert body["units"] == {"county": 0, "department": 1, "township": 0}
    assert body["service_points"] == {
        "county_centres": 0,
        "township_centres": 0,
        "village_points": 0,
    }
    assert 0 < body["projects"]["total"] < 255


def test_anonymous_is_refused(client):
    assert client.get(URL).status_code == 401  # token auth answers with WWW-Authenticate


@pytest.mark.parametrize("username", ["commission", "anyuan"])
def test_query_count_is_the_same_as_on_a_tiny_data_set(client, username):
    client.force_login(get_user_model().objects.get(username=username))
    with count_queries() as qc:
        assert client.get(URL).status_code == 200
    assert qc.count == SUMMARY_QUERIES, "\n".join(qc.queries)

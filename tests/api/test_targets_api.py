"""Targets and milestones of the projects: read in scope (generic endpoint
tests, filters, constant query count), written with their project
(`targets` / `milestones` of PUT/PATCH, If-Match)."""

import datetime

import pytest

from projects.api import views
from tests import factories as f
from tests.api.mixins import EndpointTests, client_for, results

pytestmark = pytest.mark.django_db


class TestTargets(EndpointTests):
    url = "/api/v1/targets/"
    viewset = views.TargetViewSet

    def visible(self, tree):
        project = f.ProjectFactory(lead_unit=tree["county_a"], co_units=[tree["township_a"]])
        return f.TargetFactory(project=project)

    def hidden(self, tree):
        return f.TargetFactory(project=f.ProjectFactory(lead_unit=tree["county_b"]))

    def grow(self, tree, n):
        for _ in range(n):
            self.visible(tree)


class TestMilestones(EndpointTests):
    url = "/api/v1/milestones/"
    viewset = views.MilestoneViewSet

    def visible(self, tree):
        return f.MilestoneFactory(project=f.ProjectFactory(lead_unit=tree["county_a"]))

    def hidden(self, tree):
        return f.MilestoneFactory(project=f.ProjectFactory(lead_unit=tree["county_b"]))

    def grow(self, tree, n):
        for _ in range(n):
            self.visible(tree)


def test_targets_and_milestones_are_read_only(tree, commission):
    target = f.TargetFactory(project=f.ProjectFactory(lead_unit=tree["county_a"]))
    client = client_for(commission)
    assert client.post("/api/v1/targets/", {}, format="json").status_code == 405
    response = client.patch(f"/api/v1/targets/{target.pk}/", {}, format="json")
    assert response.status_code == 405


def test_co_unit_reads_the_targets_of_a_project_it_co_organizes(tree, editor_b):
    project = f.ProjectFactory(lead_unit=tree["county_a"], co_units=[tree["county_b"]])
    target = f.TargetFactory(project=project, description="共同目标")
    rows = results(client_for(editor_b).get("/api/v1/targets/"))
    assert [r["id"] for r in rows] == [target.pk]
    assert rows[0]["project"] == {"id": project.pk, "name": project.name}
    assert rows[0]["project_code"] == str(project.code)


def test_target_filters_by_project_and_search(tree, commission):
    one = f.ProjectFactory(lead_unit=tree["county_a"], year=2024)
    two = f.ProjectFactory(lead_unit=tree["county_b"], year=2023)
    a = f.TargetFactory(project=one, description="廉政培训", sort_order=2)
    b = f.TargetFactory(project=one, description="覆盖单位", sort_order=1)
    c = f.TargetFactory(project=two, description="廉政谈话")
    client = client_for(commission)

    def ids(query):
        return [r["id"] for r in results(client.get(f"/api/v1/targets/?{query}"))]

    assert ids(f"project={one.pk}") == [b.pk, a.pk]  # by sort order within the project
    assert ids(f"project_code={two.code}") == [c.pk]
    assert set(ids("q=廉政")) == {a.pk, c.pk}
    assert ids("year=2023") == [c.pk]


def test_milestone_filters_by_stage_and_dates(tree, commission):
    project = f.ProjectFactory(lead_unit=tree["county_a"], year=2024)
    early = f.MilestoneFactory(project=project, planned_date=datetime.date(2024, 3, 31))
    late = f.MilestoneFactory(
        project=project, planned_date=datetime.date(2024, 9, 30), stage="evaluate"
    )
    client = client_for(commission)
    rows = results(client.get(f"/api/v1/milestones/?project={project.pk}"))
    assert [r["id"] for r in rows] == [early.pk, late.pk]
    rows = results(client.get("/api/v1/milestones/?stage=evaluate"))
    assert [r["id"] for r in rows] == [late.pk]
    rows = results(client.get("/api/v1/milestones/?date_to=2024-06-30"))
    assert [r["id"] for r in rows] == [early.pk]


def test_commission_writes_milestones_with_the_project(tree, commission):
    project = f.ProjectFactory(lead_unit=tree["county_a"], year=2024)
    kept = f.MilestoneFactory(project=project, name="启动")
    f.MilestoneFactory(project=project, name="将被删除")
    client = client_for(commission)
    url = f"/api/v1/projects/{project.code}/"
    etag = client.get(url).headers["ETag"]
    payload = {
        "milestones": [
            {
                "pk": kept.pk,
                "name": "启动会",
                "stage": "implement",
                "planned_date": "2024-03-31",
                "planned_progress": 10,
            },
            {
                "name": "中期评估",
                "stage": "evaluate",
                "planned_date": "2024-07-31",
                "planned_progress": 60,
            },
        ]
    }
    response = client.patch(url, payload, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.json()
    rows = results(client.get(f"/api/v1/milestones/?project={project.pk}"))
    assert [(r["name"], r["planned_progress"]) for r in rows] == [("启动会", 10), ("中期评估", 60)]
    assert rows[0]["id"] == kept.pk
    stale = client.patch(url, {"milestones": []}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert project.milestones.count() == 2


def test_milestone_outside_the_project_period_is_400_and_not_written(tree, commission):
    project = f.ProjectFactory(lead_unit=tree["county_a"], year=2024)
    client = client_for(commission)
    url = f"/api/v1/projects/{project.code}/"
    etag = client.get(url).headers["ETag"]
    payload = {
        "milestones": [
            {
                "name": "太晚",
                "stage": "evaluate",
                "planned_date": "2031-01-01",
                "planned_progress": 60,
            }
        ]
    }
    response = client.patch(url, payload, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 400
    assert "起止日期" in str(response.json())
    assert not project.milestones.exists()


def test_editor_may_not_write_milestones(tree, editor_a):
    project = f.ProjectFactory(lead_unit=tree["county_a"], year=2024)
    client = client_for(editor_a)
    url = f"/api/v1/projects/{project.code}/"
    etag = client.get(url).headers["ETag"]
    response = client.patch(url, {"milestones": []}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 403

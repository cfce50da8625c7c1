"""The projects app's endpoints: generic scope tests, then the writes."""

import pytest

from projects.api import views
from projects.choices import LedgerStatus, ProjectStage
from projects.models import LedgerEntry, Project
from tests import factories as f
from tests.api.mixins import EndpointTests, WriteEndpointTests, client_for, results

pytestmark = pytest.mark.django_db


def _project(unit, **kwargs):
    return f.ProjectFactory(lead_unit=unit, **kwargs)


class TestPlanTasks(EndpointTests):
    url = "/api/v1/plan-tasks/"
    viewset = views.PlanTaskViewSet

    def visible(self, tree):
        return f.PlanTaskFactory(lead_unit=tree["county_a"], co_units=[tree["township_a"]])

    def hidden(self, tree):
        return f.PlanTaskFactory(lead_unit=tree["county_b"])

    def grow(self, tree, n):
        for _ in range(n):
            self.visible(tree)


class TestProjects(EndpointTests, WriteEndpointTests):
    url = "/api/v1/projects/"
    lookup = "code"
    viewset = views.ProjectViewSet

    def visible(self, tree):
        mechanism = f.MechanismFactory()
        project = _project(tree["county_a"], co_units=[tree["township_a"]])
        project.mechanisms.add(mechanism)
        return project

    def hidden(self, tree):
        return _project(tree["county_b"])

    def grow(self, tree, n):
        for _ in range(n):
            self.visible(tree)

    def create_payload(self, tree):
        return {
            "number": "API-1",
            "year": 2024,
            "name": "接口新建项目",
            "category": "common",
            "tier": f.TierFactory().pk,
            "program": f.ProgramFactory().pk,
            "lead_unit": tree["county_a"].pk,
            "start_date": "2024-01-01",
            "end_date": "2024-12-31",
            "targets": [
                {
                    "description": "培训",
                    "measure_unit": "次",
                    "target_value": "4",
                    "due_date": "2024-12-31",
                }
            ],
        }


class TestAssignments(EndpointTests, WriteEndpointTests):
    url = "/api/v1/assignments/"
    viewset = views.AssignmentViewSet

    def visible(self, tree):
        project = _project(tree["county_a"])
        return f.DownwardAssignmentFactory(project=project, assignee_unit=tree["township_a"])

    def hidden(self, tree):
        return f.DownwardAssignmentFactory(project=_project(tree["county_b"]))

    def grow(self, tree, n):
        for _ in range(n):
            self.visible(tree)

    def create_payload(self, tree):
        project = _project(tree["county_a"])
        return {
            "project": project.pk,
            "kind": "downward",
            "assignee_unit": tree["township_a"].pk,
            "content": "下分任务",
            "deadline": "2024-06-30",
        }


class TestLedgerEntries(EndpointTests, WriteEndpointTests):
    url = "/api/v1/ledger-entries/"
    lookup = "code"
    viewset = views.LedgerEntryViewSet

    def visible(self, tree):
        return f.LedgerEntryFactory(project=_project(tree["county_a"]), unit=tree["county_a"])

    def hidden(self, tree):
        return f.LedgerEntryFactory(project=_project(tree["county_b"]), unit=tree["county_b"])

    def grow(self, tree, n):
        for _ in range(n):
            self.visible(tree)

    def create_payload(self, tree):
        project = _project(tree["county_a"])
        return {
            "project": project.pk,
            "entry_date": "2024-03-01",
            "content": "开展培训",
            "progress_percent": 20,
        }


# --- Writes ------------------------------------------------------------------------------


def test_commission_creates_a_project_with_targets(tree, commission):
    payload = TestProjects().create_payload(tree)
    response = client_for(commission).post("/api/v1/projects/", payload, format="json")
    assert response.status_code == 201, response.content
    project = Project.objects.get(code=response.json()["code"])
    assert project.name == "接口新建项目"
    assert [t.description for t in project.targets.all()] == ["培训"]
    assert response.headers["ETag"]


def test_editor_cannot_create_a_project(tree, editor_a):
    payload = TestProjects().create_payload(tree)
    response = client_for(editor_a).post("/api/v1/projects/", payload, format="json")
    assert response.status_code == 403
    assert not Project.objects.filter(number="API-1").exists()


def test_bad_project_input_is_400_in_chinese_and_writes_nothing(tree, commission):
    payload = TestProjects().create_payload(tree) | {"end_date": "2023-01-01"}
    response = client_for(commission).post("/api/v1/projects/", payload, format="json")
    assert response.status_code == 400
    assert "结束日期" in response.content.decode()
    assert not Project.objects.filter(number="API-1").exists()


def test_owner_writes_a_ledger_entry_and_submits_it(tree, editor_a):
    payload = TestLedgerEntries().create_payload(tree)
    client = client_for(editor_a)
    response = client.post("/api/v1/ledger-entries/", payload, format="json")
    assert response.status_code == 201, response.content
    code, etag = response.json()["code"], response.headers["ETag"]
    response = client.post(f"/api/v1/ledger-entries/{code}/submit/", HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.content
    assert LedgerEntry.objects.get(code=code).status == LedgerStatus.SUBMITTED


def test_co_unit_cannot_edit_other_units_ledger(tree, editor_b):
    entry = TestLedgerEntries().visible(tree)
    response = client_for(editor_b).patch(
        f"/api/v1/ledger-entries/{entry.code}/", {"content": "x"}, format="json"
    )
    assert response.status_code == 404  # county_a is out of editor_b's scope


def test_commission_sees_but_may_not_write_a_units_ledger(tree, commission):
    entry = TestLedgerEntries().visible(tree)
    client = client_for(commission)
    etag = client.get(f"/api/v1/ledger-entries/{entry.code}/").headers["ETag"]
    response = client.patch(
        f"/api/v1/ledger-entries/{entry.code}/", {"content": "x"}, format="json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 403


def test_stale_ledger_update_is_refused_with_412(tree, editor_a):
    entry = TestLedgerEntries().visible(tree)
    client = client_for(editor_a)
    url = f"/api/v1/ledger-entries/{entry.code}/"
    etag = client.get(url).headers["ETag"]
    first = client.patch(url, {"content": "第一次修改"}, format="json", HTTP_IF_MATCH=etag)
    assert first.status_code == 200, first.content
    assert first.headers["ETag"] != etag
    stale = client.patch(url, {"content": "过时的修改"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    entry.refresh_from_db()
    assert entry.content == "第一次修改"


def test_update_without_if_match_is_428(tree, editor_a):
    entry = TestLedgerEntries().visible(tree)
    response = client_for(editor_a).patch(
        f"/api/v1/ledger-entries/{entry.code}/", {"content": "x"}, format="json"
    )
    assert response.status_code == 428
    entry.refresh_from_db()
    assert entry.content != "x"


def test_commission_verifies_a_submitted_entry(tree, commission, editor_a):
    entry = TestLedgerEntries().visible(tree)
    entry.status = LedgerStatus.SUBMITTED
    entry.save()
    client = client_for(commission)
    url = f"/api/v1/ledger-entries/{entry.code}/"
    etag = client.get(url).headers["ETag"]
    response = client.post(url + "verify/", {"comment": "属实"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == LedgerStatus.VERIFIED
    # the owner may not verify
    other = TestLedgerEntries().visible(tree)
    other.status = LedgerStatus.SUBMITTED
    other.save()
    owner = client_for(editor_a)
    url = f"/api/v1/ledger-entries/{other.code}/"
    etag = owner.get(url).headers["ETag"]
    assert owner.post(url + "verify/", {}, format="json", HTTP_IF_MATCH=etag).status_code == 403


def test_project_advance_is_a_workflow_step(tree, commission):
    project = TestProjects().visible(tree)
    project.stage = ProjectStage.ESTABLISH
    project.save()
    f.TargetFactory(project=project)
    client = client_for(commission)
    url = f"/api/v1/projects/{project.code}/"
    etag = client.get(url).headers["ETag"]
    response = client.post(
        url + "advance/",
        {"to_stage": "implement", "reason": "启动"},
        format="json",
        HTTP_IF_MATCH=etag,
    )
    assert response.status_code == 200, response.content
    assert response.json()["stage"] == "implement"


def test_lead_unit_splits_its_project(tree, editor_a):
    payload = TestAssignments().create_payload(tree)
    response = client_for(editor_a).post("/api/v1/assignments/", payload, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["assignee_unit"]["id"] == tree["township_a"].pk


def test_keyset_pages_walk_every_row_once_in_order(tree, commission):
    for i in range(7):
        _project(tree["county_a"], number=f"K{i:02d}")
    client = client_for(commission)
    seen, url = [], "/api/v1/projects/?page_size=3&o=number"
    pages = 0
    while url:
        body = client.get(url).json()
        seen += [row["number"] for row in body["results"]]
        url, pages = body["next"], pages + 1
    assert seen == sorted(seen) and len(seen) == len(set(seen)) == 7
    assert pages == 3
    # and back
    body = client.get("/api/v1/projects/?page_size=3&o=number").json()
    second = client.get(body["next"]).json()
    back = client.get(second["previous"]).json()
    assert [r["number"] for r in back["results"]] == [r["number"] for r in body["results"]]


def test_filters_and_search_apply_to_the_api_list(tree, commission):
    _project(tree["county_a"], name="廉政培训", year=2024)
    _project(tree["county_b"], name="作风建设", year=2024)
    client = client_for(commission)
    assert [r["name"] for r in results(client.get("/api/v1/projects/?q=廉政"))] == ["廉政培训"]
    rows = results(client.get(f"/api/v1/projects/?lead_unit={tree['county_b'].pk}"))
    assert [r["name"] for r in rows] == ["作风建设"]
    assert client.get("/api/v1/projects/?cursor=garbage").status_code == 400

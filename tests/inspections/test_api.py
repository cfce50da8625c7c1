"""API endpoints of inspections, findings and supervision letters: the
generic scope tests, then the workflow steps through the API."""

import datetime

import pytest

from inspections.api import views
from inspections.choices import FindingStatus, LetterStatus
from inspections.models import Finding, Inspection, SupervisionLetter
from tests import factories as f
from tests.api.mixins import EndpointTests, WriteEndpointTests, client_for, results
from tests.inspections.ladder import fake_pdf, lagging_project, pdf_file

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


class TestInspections(EndpointTests, WriteEndpointTests):
    url = "/api/v1/inspections/"
    viewset = views.InspectionViewSet

    def visible(self, tree):
        return f.InspectionFactory(units=[tree["county_a"], tree["county_b"]])

    def hidden(self, tree):
        return f.InspectionFactory(units=[tree["county_b"]])

    def grow(self, tree, n):
        for _ in range(n):
            self.visible(tree)

    def create_payload(self, tree):
        return {
            "kind": "special",
            "title": "专项检查",
            "started_on": "2024-05-01",
            "ended_on": "2024-05-03",
            "units": [tree["county_a"].pk],
        }


class TestFindings(EndpointTests, WriteEndpointTests):
    url = "/api/v1/findings/"
    viewset = views.FindingViewSet

    def visible(self, tree):
        inspection = f.InspectionFactory(units=[tree["county_a"]])
        return f.FindingFactory(inspection=inspection, unit=tree["county_a"])

    def hidden(self, tree):
        return f.FindingFactory(unit=tree["county_b"])

    def grow(self, tree, n):
        for _ in range(n):
            self.visible(tree)

    def create_payload(self, tree):
        inspection = f.InspectionFactory(units=[tree["county_a"]])
        return {
            "inspection": inspection.pk,
            "unit": tree["county_a"].pk,
            "description": "台账不全",
            "required_rectification": "补齐",
            "deadline": "2024-06-30",
        }


class TestSupervisionLetters(EndpointTests, WriteEndpointTests):
    url = "/api/v1/supervision-letters/"
    lookup = "code"
    viewset = views.SupervisionLetterViewSet

    def visible(self, tree):
        return f.SupervisionLetterFactory(unit=tree["county_a"])

    def hidden(self, tree):
        return f.SupervisionLetterFactory(unit=tree["county_b"])

    def grow(self, tree, n):
        for _ in range(n):
            self.visible(tree)

    def create_payload(self, tree):
        return {"unit": tree["county_a"].pk, "reason": "other"}

    def test_out_of_scope_object_cannot_be_changed(self, tree, editor_a):
        hidden = self.hidden(tree)
        response = client_for(editor_a).post(
            f"{self.detail(hidden)}reply/", {"content": "x"}, format="json"
        )
        assert response.status_code == 404


def _etag(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response["ETag"]


def test_the_commission_records_and_the_unit_rectifies_through_the_api(
    tree, commission, editor_a, editor_b
):
    inspection = f.InspectionFactory(units=[tree["county_a"]])
    boss = client_for(commission)
    response = boss.post(
        "/api/v1/findings/",
        {
            "inspection": inspection.pk,
            "unit": tree["county_a"].pk,
            "description": "制度不健全",
            "required_rectification": "建立制度",
            "deadline": "2024-06-30",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    url = f"/api/v1/findings/{response.json()['id']}/"
    assert client_for(editor_b).post(f"{url}submit/").status_code == 404
    unit = client_for(editor_a)
    # A rectification needs an evidence file whose content matches its name.
    bad = unit.post(
        f"{url}submit/",
        {"description": "已整改", "file": fake_pdf()},
        format="multipart",
        HTTP_IF_MATCH=_etag(unit, url),
    )
    assert bad.status_code == 400 and "不支持的文件类型" in bad.content.decode()
    response = unit.post(
        f"{url}submit/",
        {"description": "已整改", "file": pdf_file()},
        format="multipart",
        HTTP_IF_MATCH=_etag(unit, url),
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == FindingStatus.SUBMITTED
    denied = unit.post(f"{url}verify/", {}, format="json", HTTP_IF_MATCH=_etag(unit, url))
    assert denied.status_code == 403
    stale = boss.post(f"{url}verify/", {}, format="json", HTTP_IF_MATCH='"0-0"')
    assert stale.status_code == 412
    response = boss.post(f"{url}verify/", {}, format="json", HTTP_IF_MATCH=_etag(boss, url))
    assert response.status_code == 200
    assert Finding.objects.get().status == FindingStatus.VERIFIED


def test_a_letter_is_issued_answered_and_returned_through_the_api(tree, commission, editor_a):
    project = lagging_project(tree["county_a"])
    boss = client_for(commission)
    deadline = (datetime.date.today() + datetime.timedelta(days=15)).isoformat()
    response = boss.post(
        "/api/v1/supervision-letters/",
        {
            "unit": tree["county_a"].pk,
            "reason": "lagging_project",
            "project": project.pk,
            "reply_deadline": deadline,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    row = response.json()
    assert row["number"].startswith("萍纪惩督〔") and row["status"] == LetterStatus.ISSUED
    url = f"/api/v1/supervision-letters/{row['code']}/"
    unit = client_for(editor_a)
    assert unit.post("/api/v1/supervision-letters/", {}, format="json").status_code == 403
    response = unit.post(
        f"{url}reply/",
        {"content": "已整改", "file": pdf_file()},
        format="multipart",
        HTTP_IF_MATCH=_etag(unit, url),
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == LetterStatus.ANSWERED
    empty = boss.post(f"{url}return/", {}, format="json", HTTP_IF_MATCH=_etag(boss, url))
    assert empty.status_code == 400
    response = boss.post(
        f"{url}return/", {"comment": "不具体"}, format="json", HTTP_IF_MATCH=_etag(boss, url)
    )
    assert response.status_code == 200
    assert SupervisionLetter.objects.get().status == LetterStatus.RETURNED


def test_filters_and_search_work_on_the_api(tree, commission):
    f.InspectionFactory(units=[tree["county_a"]], kind="special", title="专项检查一")
    f.InspectionFactory(units=[tree["county_a"]], title="日常督查二")
    client = client_for(commission)
    assert [r["title"] for r in results(client.get("/api/v1/inspections/?kind=special"))] == [
        "专项检查一"
    ]
    assert [r["title"] for r in results(client.get("/api/v1/inspections/?q=日常"))] == [
        "日常督查二"
    ]
    assert Inspection.objects.count() == 2

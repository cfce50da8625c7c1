"""The assessments app's endpoints: generic scope tests for the unit-scoped
ones, then the workflow steps through the API."""

import pytest

from assessments import services
from assessments.api import views
from assessments.models import AssessmentScheme, UnitAssessment
from tests import factories as f
from tests.api.mixins import EndpointTests, WriteEndpointTests, client_for, results
from tests.assessments.conftest import (
    AS_OF,
    assessment_of,
    indicator,
    make_scheme,
    score_all_manual,
)

pytestmark = pytest.mark.django_db


def _assessment(unit, **kwargs):
    return f.UnitAssessmentFactory(unit=unit, group="county", **kwargs)


class TestAssessments(EndpointTests):
    url = "/api/v1/assessments/"
    viewset = views.AssessmentViewSet

    def visible(self, tree):
        return _assessment(
            tree["county_a"], change_reasons=[{"category": "项目管理", "delta": "1.00"}]
        )

    def hidden(self, tree):
        return _assessment(tree["county_b"])

    def grow(self, tree, n):
        for _ in range(n):
            self.visible(tree)


class TestScores(EndpointTests):
    url = "/api/v1/assessment-scores/"
    viewset = views.ScoreViewSet

    def visible(self, tree):
        return f.ScoreFactory(
            assessment=_assessment(tree["county_a"]), inputs={"rule": "x", "n": 1}
        )

    def hidden(self, tree):
        return f.ScoreFactory(assessment=_assessment(tree["county_b"]))

    def grow(self, tree, n):
        for _ in range(n):
            self.visible(tree)


class TestOutcomes(EndpointTests, WriteEndpointTests):
    url = "/api/v1/assessment-outcomes/"
    viewset = views.OutcomeViewSet

    def visible(self, tree):
        return f.OutcomeProposalFactory(unit=tree["county_a"])

    def hidden(self, tree):
        return f.OutcomeProposalFactory(unit=tree["county_b"])

    def grow(self, tree, n):
        for _ in range(n):
            self.visible(tree)

    def test_out_of_scope_object_cannot_be_changed(self, tree, editor_a):
        """Proposals change only through their steps: out of scope is 404."""
        hidden = self.hidden(tree)
        response = client_for(editor_a).post(
            f"{self.detail(hidden)}approve/", {"decided_on": "2025-02-01"}, format="json"
        )
        assert response.status_code == 404

    def create_payload(self, tree):
        return {
            "scheme": f.AssessmentSchemeFactory().pk,
            "kind": "commendation",
            "unit": tree["county_a"].pk,
            "source": "other",
            "title": "先进单位",
            "reason": "工作突出",
        }


def test_schemes_and_indicators_are_readable_reference_data(tree, editor_a, commission):
    scheme = make_scheme(commission)
    rows = results(client_for(editor_a).get("/api/v1/assessment-schemes/"))
    assert [r["year"] for r in rows] == [scheme.year]
    rows = results(client_for(editor_a).get(f"/api/v1/assessment-indicators/?scheme={scheme.pk}"))
    assert [r["code"] for r in rows] == ["R1", "R2", "M1", "E1", "E2", "V1"]
    assert client_for().get("/api/v1/assessment-schemes/").status_code == 401


def test_scheme_workflow_through_the_api(tree, commission, editor_a, leader):
    client = client_for(commission)
    response = client.post(
        "/api/v1/assessment-schemes/", {"year": 2030, "title": "2030年度考核方案"}, format="json"
    )
    assert response.status_code == 201, response.content
    scheme_id = response.json()["id"]
    assert (
        client_for(leader)
        .post("/api/v1/assessment-schemes/", {"year": 2031, "title": "x"}, format="json")
        .status_code
        == 403
    )
    # Not 100 points yet: opening is refused with the reason, nothing created.
    response = client.post(f"/api/v1/assessment-schemes/{scheme_id}/open/", format="json")
    assert response.status_code == 400
    assert "考核方案还没有指标。" in response.content.decode()
    payload = {
        "scheme": scheme_id,
        "category": "组织领导",
        "code": "M1",
        "name": "组织领导",
        "max_points": "100",
        "rule_kind": "manual",
    }
    assert (
        client_for(editor_a)
        .post("/api/v1/assessment-indicators/", payload, format="json")
        .status_code
        == 403
    )
    response = client.post("/api/v1/assessment-indicators/", payload, format="json")
    assert response.status_code == 201, response.content
    indicator_id = response.json()["id"]
    response = client.post(f"/api/v1/assessment-schemes/{scheme_id}/open/", format="json")
    assert response.status_code == 200 and response.json()["status"] == "active"
    # Frozen now.
    response = client.patch(
        f"/api/v1/assessment-indicators/{indicator_id}/", {"max_points": "90"}, format="json"
    )
    assert response.status_code == 400
    assert "指标已冻结" in response.content.decode()
    assert UnitAssessment.objects.filter(scheme_id=scheme_id).count() == 5
    response = client.post(
        f"/api/v1/assessment-schemes/{scheme_id}/copy/", {"year": 2031}, format="json"
    )
    assert response.status_code == 200
    assert AssessmentScheme.objects.get(year=2031).indicators.count() == 1


def test_manual_score_review_publish_reopen_through_the_api(tree, commission, editor_a):
    opened = make_scheme(commission)
    services.assessment_year_open(scheme=opened, actor=commission, compute=False)
    client = client_for(commission)
    a = assessment_of(opened, tree["county_a"])
    m1 = indicator(opened, "M1")
    url = f"/api/v1/assessments/{a.pk}/score/"
    response = client.post(url, {"indicator": m1.pk, "points": "81"}, format="json")
    assert response.status_code == 400
    assert "得分不能超过该指标分值(80.00分)。" in response.content.decode()
    bad = {
        "indicator": m1.pk,
        "points": "78",
        "lines": [{"points": "2", "reason": "", "evidence": "记录"}],
    }
    assert "每项扣分须填写扣分理由" in client.post(url, bad, format="json").content.decode()
    assert (
        client_for(editor_a)
        .post(url, {"indicator": m1.pk, "points": "80"}, format="json")
        .status_code
        == 403
    )
    good = {
        "indicator": m1.pk,
        "points": "78",
        "lines": [{"points": "2", "reason": "台账不全", "evidence": "记录"}],
    }
    response = client.post(url, good, format="json")
    assert response.status_code == 200, response.content
    score_all_manual(opened, commission)
    services.assessment_compute(scheme=opened, actor=commission, as_of=AS_OF)
    for other in opened.assessments.all():
        response = client.post(
            f"/api/v1/assessments/{other.pk}/review/", {"conduct_score": "90"}, format="json"
        )
        assert response.status_code == 200, response.content
    response = client.post(f"/api/v1/assessment-schemes/{opened.pk}/publish/", format="json")
    assert response.json()["status"] == "frozen"
    response = client.post(f"/api/v1/assessments/{a.pk}/reopen/", {"reason": ""}, format="json")
    assert response.status_code == 400
    response = client.post(
        f"/api/v1/assessments/{a.pk}/reopen/", {"reason": "申诉复核"}, format="json"
    )
    assert response.json()["status"] == "reviewed"
    rows = results(client_for(editor_a).get(f"/api/v1/assessment-scores/?assessment={a.pk}"))
    assert {r["indicator_code"] for r in rows} == {"R1", "R2", "M1", "E1", "E2", "V1"}

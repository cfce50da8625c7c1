"""API endpoints of the accountability app: responsibility letters (with the
issue / sign / cascade steps), risk posts, commendations and accountability
cases (with the register's workflow steps)."""

import datetime

import pytest

from accountability.api.views import (
    CaseViewSet,
    CommendationViewSet,
    LetterViewSet,
    RiskPostViewSet,
)
from accountability.choices import LetterLevel, LetterStatus, OutcomeStatus
from accountability.models import AccountabilityCase, ResponsibilityLetter
from tests import factories as f
from tests.api.mixins import EndpointTests, client_for, results

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


class TestLetters(EndpointTests):
    url = "/api/v1/responsibility-letters/"
    lookup = "code"
    viewset = LetterViewSet

    def visible(self, tree):
        return f.ResponsibilityLetterFactory(recipient_unit=tree["county_a"])

    def hidden(self, tree):
        return f.ResponsibilityLetterFactory(recipient_unit=tree["county_b"])

    def grow(self, tree, n):
        for _ in range(n):
            f.ResponsibilityLetterFactory(recipient_unit=f.UnitFactory(parent=tree["county_a"]))


class TestRiskPosts(EndpointTests):
    url = "/api/v1/risk-posts/"
    viewset = RiskPostViewSet

    def visible(self, tree):
        post = f.RiskPostFactory(unit=tree["county_a"])
        post.projects.add(f.ProjectFactory(lead_unit=tree["county_a"]))
        return post

    def hidden(self, tree):
        return f.RiskPostFactory(unit=tree["county_b"])

    def grow(self, tree, n):
        for _ in range(n):
            f.RiskPostFactory(unit=tree["township_a"])


class TestCommendations(EndpointTests):
    url = "/api/v1/commendations/"
    viewset = CommendationViewSet

    def visible(self, tree):
        return f.CommendationFactory(unit=tree["county_a"])

    def hidden(self, tree):
        return f.CommendationFactory(unit=tree["county_b"])

    def grow(self, tree, n):
        for _ in range(n):
            f.CommendationFactory(unit=None, official=f.OfficialFactory(unit=tree["county_a"]))


class TestCases(EndpointTests):
    url = "/api/v1/accountability-cases/"
    viewset = CaseViewSet

    def visible(self, tree):
        return f.AccountabilityCaseFactory(unit=tree["county_a"])

    def hidden(self, tree):
        return f.AccountabilityCaseFactory(unit=tree["county_b"])

    def grow(self, tree, n):
        for _ in range(n):
            f.AccountabilityCaseFactory(unit=tree["township_a"])


def test_letter_filters_are_the_pages_filters(tree, commission):
    f.ResponsibilityLetterFactory(recipient_unit=tree["county_a"], status="issued")
    f.ResponsibilityLetterFactory(recipient_unit=tree["county_b"])
    client = client_for(commission)
    rows = results(
        client.get("/api/v1/responsibility-letters/", {"signed": "no", "status": "issued"})
    )
    assert [r["recipient_unit"]["name"] for r in rows] == ["甲县"]
    rows = results(client.get("/api/v1/responsibility-letters/", {"county": tree["county_b"].pk}))
    assert [r["recipient_unit"]["name"] for r in rows] == ["乙县"]


def test_letter_steps_issue_sign_and_cascade(tree, commission, editor_a, editor_b, leader):
    letter = f.ResponsibilityLetterFactory(recipient_unit=tree["county_a"])
    f.SectionFactory(unit=tree["county_a"], name="办公室")
    base = f"/api/v1/responsibility-letters/{letter.code}/"
    assert client_for(leader).post(base + "issue/").status_code == 403
    response = client_for(commission).post(base + "issue/")
    assert response.status_code == 200 and response.json()["status"] == LetterStatus.ISSUED
    bad = client_for(commission).post(base + "sign/", {"signed_on": "2999-01-01"}, format="json")
    assert bad.status_code == 400 and "不能晚于今天" in bad.json()["signed_on"][0]
    assert client_for(editor_b).post(base + "cascade/").status_code == 404
    cascade = client_for(editor_a).post(base + "cascade/")
    assert cascade.status_code == 200
    assert ResponsibilityLetter.objects.filter(
        parent=letter, level=LetterLevel.LEAD_TO_SUBORDINATE
    ).exists()
    signed = client_for(commission).post(
        base + "sign/", {"signed_on": TODAY.isoformat()}, format="json"
    )
    assert signed.json()["status"] == LetterStatus.SIGNED


def test_case_workflow_through_the_api(tree, commission, editor_a):
    client = client_for(commission)
    payload = {
        "year": 2024,
        "source": "letter",
        "unit": tree["county_a"].pk,
        "reason": "督办事项逾期未整改",
        "measure": "criticism_notice",
    }
    assert client_for(editor_a).post("/api/v1/accountability-cases/", payload).status_code == 403
    created = client.post("/api/v1/accountability-cases/", payload, format="json")
    assert created.status_code == 201, created.content
    base = f"/api/v1/accountability-cases/{created.json()['id']}/"
    early = client.post(base + "decide/", {"document_number": "1号", "decided_on": TODAY})
    assert early.status_code == 400 and "须先告知陈述申辩" in str(early.json())
    client.post(base + "request-statement/", {"deadline": TODAY.isoformat()}, format="json")
    client.post(
        base + "statement/",
        {"statement": "无异议", "statement_on": TODAY.isoformat()},
        format="json",
    )
    decided = client.post(
        base + "decide/",
        {"document_number": "萍纪〔2024〕3号", "decided_on": TODAY.isoformat()},
        format="json",
    )
    assert decided.status_code == 200 and decided.json()["status"] == OutcomeStatus.DECIDED
    case = AccountabilityCase.objects.get()
    assert case.statement == "无异议" and case.document_number == "萍纪〔2024〕3号"


def test_commendation_needs_exactly_one_subject(tree, commission):
    response = client_for(commission).post(
        "/api/v1/commendations/",
        {"year": 2024, "source": "assessment", "title": "先进"},
        format="json",
    )
    assert response.status_code == 400
    assert "单位和干部须且只能填写其中一项" in str(response.json())

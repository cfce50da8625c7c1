"""API of the cycles and notices: who reads what, the run action, the
notice workflow steps, and constant query counts."""

import datetime

import pytest

from inspections.choices import CycleKind, NoticeStatus
from inspections.models import Notice
from inspections.services import notices as svc
from inspections.services.cycles import cycle_run
from pingxiang_cf.models import Job
from tests import factories as f
from tests.api.mixins import client_for, results
from tests.querycount import assert_constant_queries

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(tree):
    project = f.ProjectFactory(year=2011, number="2011-050", lead_unit=tree["county_b"])
    f.MilestoneFactory(project=project, planned_date=D(2011, 3, 1), planned_progress=60)
    return Notice.objects.get(cycle=cycle_run(kind=CycleKind.MONTHLY, period="2011-03"))


def test_anonymous_gets_401(draft):
    assert client_for().get("/api/v1/cycles/").status_code == 401
    assert client_for().get("/api/v1/notices/").status_code == 401


def test_cycles_are_listed_with_their_snapshot_on_the_detail(draft, editor_a):
    client = client_for(editor_a)
    rows = results(client.get("/api/v1/cycles/?kind=monthly"))
    assert [(r["kind"], r["period"]) for r in rows] == [("monthly", "2011-03")]
    detail = client.get(f"/api/v1/cycles/{rows[0]['id']}/").json()
    assert detail["snapshot"]["overall"]["red"] == 1


def test_drafts_are_the_commissions_and_published_notices_everyones(draft, editor_a, commission):
    assert results(client_for(editor_a).get("/api/v1/notices/")) == []
    assert client_for(editor_a).get(f"/api/v1/notices/{draft.code}/").status_code == 404
    assert [r["id"] for r in results(client_for(commission).get("/api/v1/notices/"))] == [draft.pk]
    svc.notice_review(draft, actor=commission)
    svc.notice_publish(draft, actor=commission, issued_on=D(2011, 4, 8), render=False)
    row = client_for(editor_a).get(f"/api/v1/notices/{draft.code}/").json()
    assert (row["number"], row["status"]) == ("萍纪惩办通〔2011〕1号", "published")


def test_workflow_steps_through_the_api(draft, commission, editor_b):
    url = f"/api/v1/notices/{draft.code}/"
    assert client_for(editor_b).post(url + "review/").status_code == 404  # a draft: not visible
    client = client_for(commission)
    assert client.post(url + "publish/").status_code == 400  # not reviewed yet
    assert client.post(url + "review/").json()["status"] == NoticeStatus.REVIEWED
    response = client.post(url + "publish/", {"issued_on": "2011-04-08"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["number"] == "萍纪惩办通〔2011〕1号"
    assert client_for(editor_b).post(url + "reopen/", {"reason": "x"}).status_code == 403
    response = client.post(url + "reopen/", {"reason": ""}, format="json")
    assert response.status_code == 400
    draft.refresh_from_db()
    assert draft.status == NoticeStatus.PUBLISHED


def test_run_action_queues_a_job_for_the_commission_only(
    tree, commission, leader, django_capture_on_commit_callbacks
):
    assert (
        client_for(leader)
        .post("/api/v1/cycles/run/", {"kind": "monthly", "period": "2011-03"})
        .status_code
        == 403
    )
    bad = client_for(commission).post(
        "/api/v1/cycles/run/", {"kind": "monthly", "period": "2011-3x"}
    )
    assert bad.status_code == 400
    assert "不是有效的月度通报期间" in str(bad.json())
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client_for(commission).post(
            "/api/v1/cycles/run/", {"kind": "semiannual", "period": "2011-H1"}
        )
    assert response.status_code == 202
    job = Job.objects.get()
    assert response.json()["code"] == str(job.code)
    api_url = f"http://testserver/api/v1/jobs/{job.code}/"
    assert response["Location"] == response.json()["url"] == api_url
    assert response.json()["page"] == f"http://testserver/jobs/{job.code}/"
    assert len(callbacks) == 1


@pytest.mark.parametrize("url", ["/api/v1/cycles/", "/api/v1/notices/"])
def test_list_query_count_does_not_grow(tree, commission, url):
    client = client_for(commission)

    def grow():
        for _ in range(3):
            f.NoticeFactory(cycle=f.SupervisionCycleFactory(), kind="monthly")

    def run():
        assert client.get(url + "?page_size=100").status_code == 200

    grow()
    run()  # the user's scope is resolved once
    assert_constant_queries(run, grow, limit=8)

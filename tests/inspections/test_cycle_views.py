"""Pages of the cycles, notices and semiannual reports: status codes per role,
filters, the run-now button, workflow POSTs, form errors, query counts."""

import datetime

import pytest
from django.urls import reverse

from inspections.choices import CycleKind, NoticeStatus
from inspections.models import Notice, SupervisionCycle
from inspections.services import notices as svc
from inspections.services.cycles import cycle_run
from pingxiang_cf.models import Job
from tests import factories as f
from tests.querycount import assert_constant_queries

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(tree):
    project = f.ProjectFactory(year=2011, number="2011-020", lead_unit=tree["county_b"])
    f.MilestoneFactory(project=project, planned_date=D(2011, 3, 1), planned_progress=60)
    cycle = cycle_run(kind=CycleKind.MONTHLY, period="2011-03")
    return Notice.objects.get(cycle=cycle)


def _login(client, user):
    client.force_login(user)
    return client


def test_list_pages_answer_every_signed_in_role(client, draft, commission, editor_a, leader):
    for user in (commission, editor_a, leader):
        _login(client, user)
        for name in ("cycle-list", "notice-list", "report-list"):
            assert client.get(reverse(f"inspections:{name}")).status_code == 200
    client.logout()
    response = client.get(reverse("inspections:notice-list"))
    assert response.status_code == 302


def test_a_draft_is_404_outside_the_commission_and_visible_once_published(
    client, draft, commission, editor_b
):
    url = reverse("inspections:notice-detail", args=[draft.code])
    assert _login(client, editor_b).get(url).status_code == 404
    assert client.get(reverse("inspections:notice-pdf", args=[draft.code])).status_code == 404
    listing = client.get(reverse("inspections:notice-list"))
    assert draft.title not in listing.content.decode()
    svc.notice_review(draft, actor=commission)
    svc.notice_publish(draft, actor=commission, issued_on=D(2011, 4, 8), render=False)
    page = client.get(url)
    assert page.status_code == 200
    assert "萍纪惩办通〔2011〕1号" in page.content.decode()
    assert "审核通过" not in page.content.decode()  # no workflow buttons for an editor


def test_an_editor_posting_a_workflow_step_gets_403(client, draft, editor_b, commission):
    svc.notice_review(draft, actor=commission)
    svc.notice_publish(draft, actor=commission, issued_on=D(2011, 4, 8), render=False)
    _login(client, editor_b)
    response = client.post(
        reverse("inspections:notice-reopen", args=[draft.code]), {"reason": "想改"}
    )
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.status == NoticeStatus.PUBLISHED


def test_commission_walks_a_notice_through_the_pages(client, draft, commission):
    _login(client, commission)
    detail = reverse("inspections:notice-detail", args=[draft.code])
    page = client.get(detail).content.decode()
    assert "待编号" in page and "乙县" in page
    response = client.post(
        reverse("inspections:notice-edit", args=[draft.code]), {"title": "", "body": "x"}
    )
    assert response.status_code == 400
    assert "该字段是必填项" in response.content.decode()
    draft.refresh_from_db()
    assert draft.body != "x"
    client.post(reverse("inspections:notice-review", args=[draft.code]))
    response = client.post(reverse("inspections:notice-publish", args=[draft.code]))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == NoticeStatus.PUBLISHED
    response = client.post(
        reverse("inspections:notice-edit", args=[draft.code]),
        {"title": "t", "body": "b"},
        follow=True,
    )
    assert "已发布的通报已冻结" in response.content.decode()


def test_run_now_creates_a_job_and_redirects_to_its_page(
    client, tree, commission, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    _login(client, commission)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            reverse("inspections:cycle-run"), {"kind": "monthly", "period": "2011-03"}
        )
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:detail", args=[job.code])
    assert len(callbacks) == 1  # the task is queued after commit, not run in the request
    assert job.key == "monthly:2011-03"
    assert not SupervisionCycle.objects.exists()


def test_run_now_refuses_a_bad_period_and_non_commission_users(client, tree, commission, leader):
    _login(client, commission)
    response = client.post(
        reverse("inspections:cycle-run"), {"kind": "quarterly", "period": "2011-Q7"}
    )
    assert response.status_code == 400
    assert "季度须为 Q1 至 Q4。" in response.content.decode()
    assert not Job.objects.exists()
    _login(client, leader)
    response = client.post(
        reverse("inspections:cycle-run"), {"kind": "monthly", "period": "2011-03"}
    )
    assert response.status_code == 403
    assert "立即运行" not in client.get(reverse("inspections:cycle-list")).content.decode()


def test_cycle_filters_and_search(client, tree, commission):
    for period in ("2011-01", "2011-02"):
        cycle_run(kind=CycleKind.MONTHLY, period=period)
    cycle_run(kind=CycleKind.QUARTERLY, period="2011-Q1")
    _login(client, commission)
    page = client.get(reverse("inspections:cycle-list"), {"kind": "monthly"})
    assert page.context["page"].paginator.count == 2
    page = client.get(reverse("inspections:cycle-list"), {"q": "Q1"})
    assert [c.period for c in page.context["page"]] == ["2011-Q1"]
    page = client.get(reverse("inspections:cycle-list"), {"year": "2010"})
    assert "暂无督查周期" in page.content.decode()


def test_notice_search_by_named_unit(client, draft, commission):
    _login(client, commission)
    page = client.get(reverse("inspections:notice-list"), {"q": "乙县"})
    assert [n.pk for n in page.context["page"]] == [draft.pk]
    page = client.get(reverse("inspections:notice-list"), {"status": "published"})
    assert page.context["page"].paginator.count == 0


@pytest.mark.parametrize("name", ["cycle-list", "notice-list", "report-list"])
def test_list_query_count_does_not_grow_with_rows(client, tree, commission, name):
    _login(client, commission)
    url = reverse(f"inspections:{name}")

    def grow():
        for _ in range(3):
            cycle = f.SupervisionCycleFactory()
            f.NoticeFactory(cycle=cycle, kind="monthly")
            f.SupervisionReportFactory()

    grow()
    assert_constant_queries(lambda: client.get(url), grow, limit=12)


def test_report_page_and_visibility(client, tree, commission, editor_a, editor_b):
    report = f.SupervisionReportFactory(unit=tree["county_a"], figures={})
    url = reverse("inspections:report-detail", args=[report.code])
    assert _login(client, editor_a).get(url).status_code == 200
    assert _login(client, editor_b).get(url).status_code == 404
    assert _login(client, commission).get(url).status_code == 200


def test_cycle_detail_shows_the_frozen_figures(client, draft, commission, leader):
    _login(client, leader)
    page = client.get(reverse("inspections:cycle-detail", args=[draft.cycle_id]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "乙县" in body
    assert draft.title not in body  # the draft is the commission's


def test_a_second_click_joins_the_running_job(
    client, tree, commission, django_capture_on_commit_callbacks
):
    _login(client, commission)
    data = {"kind": "monthly", "period": "2011-03"}
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = client.post(reverse("inspections:cycle-run"), data)
        second = client.post(reverse("inspections:cycle-run"), data)
    assert first["Location"] == second["Location"]
    assert Job.objects.count() == 1
    assert len(callbacks) == 1  # queued once

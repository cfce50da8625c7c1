"""Background jobs through the API: a token client follows a large export's
202 to `/api/v1/jobs/{code}/`, polls its progress and downloads the file;
another user's job is 404; an expired file is 410 with a Chinese message."""

import datetime
import io

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from pingxiang_cf import jobs, tokens
from pingxiang_cf.models import Job, JobStatus
from tests import factories as f
from tests.api.mixins import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def token_client(user) -> APIClient:
    _token, key = tokens.token_create(actor=user, user=user, name="jobs")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def running(editor_a):
    job = jobs.job_create(kind="export", title="导出项目(CSV)", user=editor_a, total=8)
    jobs.job_start(job.pk)
    jobs.job_set_done(job.pk, 2)
    return job


@pytest.fixture
def finished(editor_a):
    job = jobs.job_create(kind="export", title="导出项目(CSV)", user=editor_a)
    return jobs.job_finish(job.pk, message="导出完成", filename="项目.csv", content=b"a,b\n1,2\n")


def test_anonymous_is_refused_with_401(finished):
    assert client_for().get(f"/api/v1/jobs/{finished.code}/").status_code == 401
    assert client_for().get(f"/api/v1/jobs/{finished.code}/download/").status_code == 401


def test_another_users_job_is_404(finished, editor_b):
    client = token_client(editor_b)
    assert client.get(f"/api/v1/jobs/{finished.code}/").status_code == 404
    assert client.get(f"/api/v1/jobs/{finished.code}/download/").status_code == 404


def test_unknown_or_malformed_code_is_404(editor_a):
    client = token_client(editor_a)
    assert client.get("/api/v1/jobs/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert client.get("/api/v1/jobs/not-a-uuid/").status_code == 404


def test_owner_sees_progress_and_no_download_yet(running, editor_a):
    client = token_client(editor_a)
    data = client.get(f"/api/v1/jobs/{running.code}/").json()
    assert data["kind"] == "export" and data["state"] == "running"
    assert (data["done"], data["total"], data["percent"]) == (2, 8, 25)
    assert data["download"] is None and data["finished_at"] is None
    response = client.get(f"/api/v1/jobs/{running.code}/download/")
    assert response.status_code == 409
    assert "尚未完成" in response.json()["detail"]


def test_commission_sees_every_job(running, commission):
    response = token_client(commission).get(f"/api/v1/jobs/{running.code}/")
    assert response.status_code == 200


def test_failed_job_shows_its_error_and_has_nothing_to_download(running, editor_a):
    jobs.job_fail(running.pk, error="RuntimeError: 数据库不可用")
    client = token_client(editor_a)
    data = client.get(f"/api/v1/jobs/{running.code}/").json()
    assert data["state"] == "failed" and "数据库不可用" in data["error"]
    assert data["finished_at"] is not None
    assert client.get(f"/api/v1/jobs/{running.code}/download/").status_code == 409


def test_owner_downloads_the_finished_file_with_a_token(finished, editor_a):
    client = token_client(editor_a)
    data = client.get(f"/api/v1/jobs/{finished.code}/").json()
    assert data["state"] == "done" and data["percent"] == 100
    assert data["download"] == f"http://testserver/api/v1/jobs/{finished.code}/download/"
    response = client.get(f"/api/v1/jobs/{finished.code}/download/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert _body(response) == b"a,b\n1,2\n"
    response.close()


def test_expired_file_is_410_with_a_chinese_message(finished, editor_a):
    client = token_client(editor_a)
    Job.objects.filter(pk=finished.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    data = client.get(f"/api/v1/jobs/{finished.code}/").json()
    assert data["download"] is None
    response = client.get(f"/api/v1/jobs/{finished.code}/download/")
    assert response.status_code == 410
    assert "保留期限" in response.json()["detail"]
    assert jobs.job_purge_expired() == 1  # the file is gone: still 410
    response = client.get(f"/api/v1/jobs/{finished.code}/download/")
    assert response.status_code == 410


def test_job_without_a_file_is_404_on_download(editor_a):
    job = jobs.job_create(kind="cycle-run", title="生成周期", user=editor_a)
    jobs.job_finish(job.pk, message="完成")
    response = token_client(editor_a).get(f"/api/v1/jobs/{job.code}/download/")
    assert response.status_code == 404


def test_large_api_export_points_at_the_api_job_and_downloads_with_a_token(
    tree, commission, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_SYNC_MAX_ROWS = 1
    for number in ("J-1", "J-2"):
        f.ProjectFactory(lead_unit=tree["county_a"], number=number)
    client = token_client(commission)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get("/api/v1/projects/export/?format=csv")
    assert response.status_code == 202
    job = Job.objects.get(code=response.json()["job"])
    url = f"http://testserver/api/v1/jobs/{job.code}/"
    assert response["Location"] == url and response.json()["url"] == url
    assert response.json()["page"] == f"http://testserver/jobs/{job.code}/"
    data = client.get(url).json()
    assert data["state"] == JobStatus.DONE and data["done"] == data["total"] == 2
    download = client.get(data["download"])
    assert download.status_code == 200
    text = io.StringIO(_body(download).decode("utf-8-sig")).read()
    assert "J-1" in text and "J-2" in text
    download.close()


def test_the_list_holds_the_callers_own_jobs_newest_first(
    running, finished, editor_a, editor_b, commission
):
    """Even the commission, which may open anyone's job by its code, lists only its own."""
    client = token_client(editor_a)
    assert client_for().get("/api/v1/jobs/").status_code == 401
    data = client.get("/api/v1/jobs/").json()
    assert data["count"] == 2
    assert [row["code"] for row in data["results"]] == [str(finished.code), str(running.code)]
    assert data["results"][0]["download"].endswith(f"/api/v1/jobs/{finished.code}/download/")
    only = client.get("/api/v1/jobs/", {"state": "running"}).json()["results"]
    assert [row["code"] for row in only] == [str(running.code)]
    assert client.get("/api/v1/jobs/", {"state": "nonsense"}).status_code == 400
    assert token_client(editor_b).get("/api/v1/jobs/").json()["count"] == 0
    assert token_client(commission).get("/api/v1/jobs/").json()["count"] == 0


def test_the_list_costs_the_same_queries_for_any_number_of_jobs(editor_a):
    from tests.querycount import assert_constant_queries

    client = token_client(editor_a)

    def grow():
        for n in range(20):
            jobs.job_create(kind="export", title="导出", user=editor_a, key=f"k{n}")

    def run():
        assert client.get("/api/v1/jobs/").status_code == 200

    jobs.job_create(kind="export", title="导出", user=editor_a, key="first")
    run()  # the token's first use of the minute writes its last_used_at
    # token, scope, count, rows
    assert assert_constant_queries(run, grow, limit=4) == 4

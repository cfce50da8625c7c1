import os
from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from pingxiang_cf.jobs import (
    job_advance,
    job_create,
    job_finish,
    job_purge_expired,
    job_running,
    job_set_done,
    job_set_total,
)
from pingxiang_cf.models import Job, JobStatus
from tests.factories import JobFactory


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_a_second_click_joins_the_live_job(db, commission):
    first = job_create(kind="cycle.run", key="monthly:2011-03", title="月度通报", user=commission)
    second = job_create(kind="cycle.run", key="monthly:2011-03", title="月度通报", user=commission)
    assert first.pk == second.pk
    assert Job.objects.count() == 1


def test_a_finished_job_does_not_block_a_new_run(db, commission):
    first = job_create(kind="cycle.run", key="monthly:2011-03", title="x", user=commission)
    job_finish(first.pk)
    second = job_create(kind="cycle.run", key="monthly:2011-03", title="x", user=commission)
    assert second.pk != first.pk


def test_the_database_refuses_two_live_jobs_for_one_key(db):
    Job.objects.create(kind="k", key="same", title="a")
    with pytest.raises(IntegrityError):
        Job.objects.create(kind="k", key="same", title="b")


def test_jobs_without_a_key_are_independent(db):
    assert job_create(kind="k", title="a").pk != job_create(kind="k", title="b").pk


def test_progress_counts_up_to_the_total_and_never_past_it(db):
    job = job_create(kind="k", title="t")
    job_set_total(job.pk, 3)
    job_advance(job.pk)
    job_advance(job.pk, done=5)
    job.refresh_from_db()
    assert (job.done, job.total, job.percent) == (3, 3, 100)
    job_set_done(job.pk, 2)
    job.refresh_from_db()
    assert job.percent == 66


def test_running_marks_the_job_and_a_failure_is_recorded(db):
    job = job_create(kind="k", title="t")
    with pytest.raises(RuntimeError), job_running(job.pk):
        assert Job.objects.get(pk=job.pk).status == JobStatus.RUNNING
        raise RuntimeError("磁盘已满")
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "磁盘已满" in job.error
    assert job.finished_at is not None


def test_finish_attaches_the_file_with_an_expiry(db, settings):
    settings.JOB_FILE_RETENTION_HOURS = 5
    job = job_create(kind="k", title="t", total=2)
    done = job_finish(job.pk, message="2 份", filename="通报.pdf", content=b"%PDF-1.7")
    assert done.status == JobStatus.DONE
    assert done.done == 2
    assert done.file.read() == b"%PDF-1.7"
    assert timedelta(hours=4, minutes=59) < done.expires_at - timezone.now() <= timedelta(hours=5)


def test_purge_removes_expired_files_only(db):
    old = job_finish(job_create(kind="k", title="old").pk, filename="a.xlsx", content=b"a")
    new = job_finish(job_create(kind="k", title="new").pk, filename="b.xlsx", content=b"b")
    Job.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    path = old.file.path
    assert job_purge_expired() == 1
    old.refresh_from_db()
    new.refresh_from_db()
    assert not old.file and new.file
    assert not os.path.exists(path)


def test_only_the_starter_and_the_commission_see_a_job(client, editor_a, editor_b, commission):
    job = JobFactory(created_by=editor_a)
    url = reverse("jobs:detail", args=[job.code])
    client.force_login(editor_b)
    assert client.get(url).status_code == 404
    client.force_login(editor_a)
    assert client.get(url).status_code == 200
    client.force_login(commission)
    assert client.get(url).status_code == 200


def test_anonymous_is_sent_to_login(client, db):
    job = JobFactory()
    response = client.get(reverse("jobs:progress", args=[job.code]))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_progress_fragment_polls_while_live_and_stops_when_done(client, editor_a):
    job = JobFactory(created_by=editor_a, total=4)
    job_advance(job.pk, done=1)
    client.force_login(editor_a)
    url = reverse("jobs:progress", args=[job.code])
    body = client.get(url).content.decode()
    assert 'hx-trigger="every 1s"' in body
    assert 'value="25"' in body
    job_finish(job.pk, filename="结果.csv", content=b"a,b")
    body = client.get(url).content.decode()
    assert "hx-trigger" not in body
    assert reverse("jobs:download", args=[job.code]) in body


def test_progress_as_json(client, editor_a):
    job = JobFactory(created_by=editor_a, total=10, done=3)
    client.force_login(editor_a)
    data = client.get(
        reverse("jobs:progress", args=[job.code]), HTTP_ACCEPT="application/json"
    ).json()
    assert data == {
        "status": "queued",
        "done": 3,
        "total": 10,
        "percent": 30,
        "message": "",
        "error": "",
        "download": None,
    }


def test_download_sends_the_file_to_those_who_may_see_it(client, editor_a, editor_b):
    job = JobFactory(created_by=editor_a)
    job_finish(job.pk, filename="考核汇总.xlsx", content=b"PK\x03\x04")
    url = reverse("jobs:download", args=[job.code])
    client.force_login(editor_b)
    assert client.get(url).status_code == 404
    client.force_login(editor_a)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"PK\x03\x04"
    assert "attachment" in response["Content-Disposition"]


def test_download_without_a_file_is_404(client, editor_a):
    job = JobFactory(created_by=editor_a)
    client.force_login(editor_a)
    assert client.get(reverse("jobs:download", args=[job.code])).status_code == 404

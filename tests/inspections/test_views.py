"""Pages of the escalation ladder, inspections, findings and meetings:
visibility (out of scope 404, read-only 403), the workflow through the
pages, Chinese form errors that save nothing, lists with filters and
pinned query counts."""

import datetime

import pytest
from django.urls import reverse

from inspections.choices import FindingStatus, LetterStatus
from inspections.models import (
    Finding,
    InspectionPlan,
    LetterReply,
    MeetingActionItem,
    SupervisionLetter,
)
from inspections.services import letters
from tests import factories as f
from tests.inspections.ladder import LATE, fake_pdf, lagging_project, pdf_file
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db
LIST_QUERIES = 12


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _client(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def letter(tree, commission):
    lagging_project(tree["county_a"])
    letters.letters_propose_reminders(today=LATE)
    reminder = f.SupervisionReminderFactory._meta.model.objects.get()
    return letters.letter_issue(actor=commission, reminder=reminder)


@pytest.fixture
def finding(tree):
    inspection = f.InspectionFactory(units=[tree["county_b"]])
    return f.FindingFactory(inspection=inspection, unit=tree["county_b"], deadline=LATE)


# --- Visibility ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("commission", 200),
        ("editor_a", 200),
        ("leader", 200),
        ("county_leader", 200),
        ("auditor", 200),
        ("editor_b", 404),
        ("outsider", 404),
    ],
)
def test_a_letter_is_visible_to_its_unit_and_the_readers(request, client, letter, persona, status):
    user = request.getfixturevalue(persona)
    response = _client(client, user).get(reverse("inspections:letter-detail", args=[letter.code]))
    assert response.status_code == status


@pytest.mark.parametrize(
    ("persona", "status"),
    [("commission", 403), ("leader", 403), ("auditor", 403), ("editor_b", 404), ("editor_a", 200)],
)
def test_only_the_unit_opens_the_reply_page(request, client, letter, persona, status):
    user = request.getfixturevalue(persona)
    url = reverse("inspections:letter-reply", args=[letter.code])
    assert _client(client, user).get(url).status_code == status


def test_anonymous_users_are_sent_to_sign_in(client, letter):
    response = client.get(reverse("inspections:letter-list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- The ladder through the pages -------------------------------------------------------------


def test_the_unit_replies_and_the_commission_accepts_through_the_pages(
    client, letter, editor_a, commission
):
    url = reverse("inspections:letter-reply", args=[letter.code])
    response = _client(client, editor_a).post(url, {"content": "已整改", "file": pdf_file()})
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.status == LetterStatus.ANSWERED
    reply = LetterReply.objects.get()
    download = client.get(reverse("inspections:reply-download", args=[reply.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    client.force_login(commission)
    response = client.post(
        reverse("inspections:letter-accept", args=[letter.code]), {"comment": ""}
    )
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.status == LetterStatus.CLOSED
    page = client.get(reverse("inspections:letter-detail", args=[letter.code]))
    assert "已办结" in page.content.decode()


def test_a_bad_reply_shows_chinese_errors_and_saves_nothing(client, letter, editor_a):
    url = reverse("inspections:letter-reply", args=[letter.code])
    response = _client(client, editor_a).post(url, {"content": "", "file": fake_pdf()})
    assert response.status_code == 200
    html = response.content.decode()
    assert "请填写回复内容。" in html
    response = client.post(url, {"content": "回复", "file": fake_pdf()})
    assert "不支持的文件类型" in response.content.decode()
    assert not LetterReply.objects.exists()
    letter.refresh_from_db()
    assert letter.status == LetterStatus.ISSUED


def test_the_commission_issues_a_letter_from_a_reminder_page(client, tree, commission):
    lagging_project(tree["county_b"])
    letters.letters_propose_reminders(today=LATE)
    reminder = f.SupervisionReminderFactory._meta.model.objects.get()
    url = reverse("inspections:reminder-issue", args=[reminder.pk])
    deadline = (datetime.date.today() + datetime.timedelta(days=10)).isoformat()
    response = _client(client, commission).post(url, {"reply_deadline": deadline})
    letter = SupervisionLetter.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("inspections:letter-detail", args=[letter.code])
    assert letter.number.startswith("萍纪惩督〔")


def test_an_editor_cannot_issue_letters(client, editor_a):
    response = _client(client, editor_a).get(reverse("inspections:letter-create"))
    assert response.status_code == 403


def test_the_unit_supervision_page_shows_every_step(client, letter, editor_a, tree):
    response = _client(client, editor_a).get(
        reverse("inspections:unit-supervision", args=[tree["county_a"].pk])
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert letter.number in html and "已发督办函" in html
    wall = client.get(reverse("projects:unit-wall", args=[tree["county_a"].pk]))
    assert (
        reverse("inspections:unit-supervision", args=[tree["county_a"].pk]) in wall.content.decode()
    )
    other = client.get(reverse("inspections:unit-supervision", args=[tree["county_b"].pk]))
    assert other.status_code == 404


# --- Findings ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("editor_b", 200),
        ("co_editor_b", 200),
        ("commission", 403),
        ("leader", 403),
        ("editor_a", 404),
    ],
)
def test_only_the_units_editors_open_the_rectification_page(
    request, client, finding, persona, status
):
    user = request.getfixturevalue(persona)
    url = reverse("inspections:finding-submit", args=[finding.pk])
    assert _client(client, user).get(url).status_code == status


def test_rectification_through_the_pages(client, finding, editor_b, commission):
    url = reverse("inspections:finding-submit", args=[finding.pk])
    response = _client(client, editor_b).post(url, {"description": "已整改", "file": pdf_file()})
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.status == FindingStatus.SUBMITTED
    assert client.get(reverse("inspections:finding-verify", args=[finding.pk])).status_code == 403
    client.force_login(commission)
    response = client.post(
        reverse("inspections:finding-return", args=[finding.pk]), {"comment": ""}
    )
    assert "请填写退回意见。" in response.content.decode()
    client.post(reverse("inspections:finding-return", args=[finding.pk]), {"comment": "不彻底"})
    finding.refresh_from_db()
    assert finding.status == FindingStatus.RETURNED
    client.force_login(editor_b)
    client.post(reverse("inspections:finding-start", args=[finding.pk]))
    finding.refresh_from_db()
    assert finding.status == FindingStatus.RECTIFYING
    page = client.get(reverse("inspections:finding-detail", args=[finding.pk])).content.decode()
    assert "不彻底" in page and "整改中" in page


def test_the_commission_records_a_finding_from_the_inspection_page(
    client, finding, commission, tree
):
    url = reverse("inspections:finding-create", args=[finding.inspection_id])
    data = {
        "unit": tree["county_b"].pk,
        "description": "制度不健全",
        "severity": "general",
        "required_rectification": "建立制度",
        "deadline": "2024-06-30",
    }
    assert _client(client, commission).post(url, data).status_code == 302
    assert Finding.objects.filter(description="制度不健全").exists()
    data["unit"] = tree["county_a"].pk  # not inspected
    response = client.post(url, data)
    assert response.status_code == 200
    assert Finding.objects.count() == 2


# --- Plans and meetings ---------------------------------------------------------------------


def test_the_plan_form_suggests_lagging_units_first(client, commission, tree):
    lagging_project(tree["county_b"])
    lagging_project(tree["county_b"])
    lagging_project(tree["county_a"])
    response = _client(client, commission).get(reverse("inspections:plan-create"))
    html = response.content.decode()
    suggested = html[html.index('id="suggested-units"') :]
    assert suggested.index("乙县") < suggested.index("甲县")
    response = client.post(
        reverse("inspections:plan-create"),
        {"year": 2024, "quarter": 3, "units": [tree["county_b"].pk], "title": "", "note": ""},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("inspections:plan-create"),
        {"year": 2024, "quarter": 3, "units": [], "title": "", "note": ""},
    )
    assert "请至少选择一个督查单位。" in response.content.decode()
    assert InspectionPlan.objects.count() == 1


def test_an_owner_completes_a_meeting_item_through_the_page(client, tree, editor_a, editor_b):
    meeting = f.JointMeetingFactory(units=[tree["county_a"]], held_on=datetime.date(2024, 6, 1))
    item = f.MeetingActionItemFactory(meeting=meeting, owner_unit=tree["county_a"])
    url = reverse("inspections:action-item-complete", args=[item.pk])
    assert _client(client, editor_b).get(url).status_code == 404
    client.force_login(editor_a)
    assert client.post(url, {"note": "", "done_on": "2024-06-20"}).status_code == 200
    assert client.post(url, {"note": "已完成", "done_on": "2024-06-20"}).status_code == 302
    item.refresh_from_db()
    assert item.status == "done"
    assert MeetingActionItem.objects.filter(status="open").count() == 0


# --- Lists ------------------------------------------------------------------------------------

LISTS = [
    "reminder-list",
    "letter-list",
    "inspection-list",
    "plan-list",
    "finding-list",
    "meeting-list",
    "action-item-list",
]


def _grow(tree, n):
    for i in range(n):
        unit = tree["county_a"] if i % 2 else tree["county_b"]
        project = lagging_project(unit)
        reminder = f.SupervisionReminderFactory(unit=unit, project=project)
        f.SupervisionLetterFactory(unit=unit, project=project, subject_key=f"project:{project.pk}")
        inspection = f.InspectionFactory(units=[unit, tree["township_a"]])
        f.FindingFactory(inspection=inspection, unit=unit, project=project)
        meeting = f.JointMeetingFactory(host_unit=tree["commission_office"], units=[unit])
        f.MeetingActionItemFactory(meeting=meeting, owner_unit=unit)
        f.InspectionPlanFactory(units=[unit])
        assert reminder.pk


@pytest.mark.parametrize("name", LISTS)
def test_lists_run_a_constant_number_of_queries(client, tree, commission, name):
    _grow(tree, 2)
    client.force_login(commission)
    url = reverse(f"inspections:{name}")

    def run():
        assert client.get(url).status_code == 200

    run()
    assert_constant_queries(run, lambda: _grow(tree, 25), limit=LIST_QUERIES)


@pytest.mark.parametrize("name", LISTS)
def test_lists_show_an_empty_state(client, outsider, name):
    response = _client(client, outsider).get(reverse(f"inspections:{name}"))
    assert response.status_code == 200
    assert "app-empty" in response.content.decode()


def test_lists_are_scoped_filtered_searched_sorted_and_paginated(client, tree, editor_a):
    _grow(tree, 60)
    client.force_login(editor_a)
    url = reverse("inspections:letter-list")
    page = client.get(url).content.decode()
    assert "共 30 条" in page  # county_a's half only
    assert "乙县" not in page.split('id="letter-table"')[1]
    page2 = client.get(url, {"page": 2}).content.decode()
    assert "共 30 条" in page2
    searched = client.get(url, {"q": "不存在的关键字"}).content.decode()
    assert "没有符合条件的督办函" in searched
    ordered = client.get(url, {"o": "-number"})
    numbers = [x.number for x in ordered.context["page"].object_list]
    assert numbers == sorted(numbers, reverse=True)
    filtered = client.get(url, {"status": "closed"})
    assert filtered.context["page"].paginator.count == 0


def test_the_navigation_has_the_supervision_entry(client, commission):
    html = _client(client, commission).get(reverse("home")).content.decode()
    assert reverse("inspections:letter-list") in html and "督查督办" in html


# --- Detail pages: visibility and constant queries ---------------------------------------------


def test_detail_pages_are_404_out_of_scope_and_200_in_scope(client, tree, editor_a, editor_b):
    _grow(tree, 2)
    inspection = f.InspectionFactory(units=[tree["county_b"]])
    finding = f.FindingFactory(inspection=inspection, unit=tree["county_b"])
    item = MeetingActionItem.objects.filter(owner_unit=tree["county_b"]).first()
    plan = InspectionPlan.objects.filter(units=tree["county_b"]).first()
    pages = [
        reverse("inspections:finding-detail", args=[finding.pk]),
        reverse("inspections:inspection-detail", args=[finding.inspection_id]),
        reverse("inspections:meeting-detail", args=[item.meeting_id]),
        reverse("inspections:plan-detail", args=[plan.pk]),
    ]
    client.force_login(editor_a)
    assert [client.get(url).status_code for url in pages] == [404, 404, 404, 404]
    client.force_login(editor_b)
    assert [client.get(url).status_code for url in pages] == [200, 200, 200, 200]


def test_the_unit_page_and_a_letter_page_run_constant_queries(client, tree, letter, commission):
    client.force_login(commission)
    unit_url = reverse("inspections:unit-supervision", args=[tree["county_a"].pk])
    letter_url = reverse("inspections:letter-detail", args=[letter.code])

    def run():
        assert client.get(unit_url).status_code == 200
        assert client.get(letter_url).status_code == 200

    def grow():
        _grow(tree, 10)
        for _ in range(5):
            f.LetterReplyFactory(letter=letter)

    run()
    assert_constant_queries(run, grow, limit=40)


def test_dismissing_a_reminder_asks_for_a_reason_first(client, tree, commission):
    lagging_project(tree["county_a"])
    letters.letters_propose_reminders(today=LATE)
    reminder = f.SupervisionReminderFactory._meta.model.objects.get()
    url = reverse("inspections:reminder-dismiss", args=[reminder.pk])
    client.force_login(commission)
    page = client.get(url).content.decode()
    assert "确认撤销" in page and "btn-danger" in page
    assert "请填写原因。" in client.post(url, {"reason": ""}).content.decode()
    reminder.refresh_from_db()
    assert reminder.status == "proposed"
    assert client.post(url, {"reason": "已说明"}).status_code == 302
    reminder.refresh_from_db()
    assert reminder.status == "dismissed"


def test_the_commission_records_an_interview_through_the_page(client, letter, commission, editor_a):
    letters.letters_escalate_overdue(today=letter.reply_deadline + datetime.timedelta(days=1))
    interview = letter.interview
    url = reverse("inspections:interview-record", args=[interview.pk])
    assert _client(client, editor_a).get(url).status_code == 403
    client.force_login(commission)
    data = {
        "held_on": datetime.date.today().isoformat(),
        "interviewers": "市纪委副书记",
        "interviewees": "甲县县长",
        "minutes": "说明情况",
        "commitments": "一周内回复",
    }
    assert client.post(url, data).status_code == 302
    interview.refresh_from_db()
    assert interview.status == "held"
    page = client.get(reverse("inspections:letter-detail", args=[letter.code])).content.decode()
    assert "一周内回复" in page and "已约谈" in page


def test_run_now_proposes_reminders_as_a_job_and_shows_its_progress(
    client, tree, commission, editor_a, django_capture_on_commit_callbacks
):
    from pingxiang_cf.models import Job, JobStatus

    lagging_project(tree["county_a"])
    url = reverse("inspections:reminder-propose")
    assert _client(client, editor_a).post(url).status_code == 403
    client.force_login(commission)
    assert client.get(url).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    job = Job.objects.get(kind="inspections.propose_reminders")
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:detail", args=[job.code])
    assert job.status == JobStatus.DONE and job.message == "已生成1条催办建议。"
    assert (job.done, job.total) == (1, 1)
    reminder = f.SupervisionReminderFactory._meta.model.objects.get()
    assert reminder.unit == tree["county_a"]
    assert client.get(response["Location"]).status_code == 200

"""The bell and the notifications page: the unread count in the top bar, a
private paginated list linking to each object's page, and marking read by
POST (CSRF-protected) that never touches another user's notifications."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from pingxiang_cf.context_processors import notifications as bell_context
from pingxiang_cf.models import Notification, NotificationVerb
from tests import factories as f
from tests.querycount import assert_constant_queries, count_queries

pytestmark = pytest.mark.django_db

LIST_URL = "notifications:list"
READ_URL = "notifications:read"
# session, user, the page's count and rows, one per kind of linked object (here
# the three: project, assignment, ledger entry), the bell's unread count,
# which the heading reuses, and the user's scope for the navigation.
NOTIFICATION_LIST_QUERIES = 9


def _text(response) -> str:
    return response.content.decode()


def _bell(text: str) -> str:
    return text.split('id="notification-bell"', 1)[1].split("</a>", 1)[0]


@pytest.fixture
def project(tree):
    return f.ProjectFactory(lead_unit=tree["county_a"], name="甲县廉政项目")


def _notify(user, target, message="消息", **kwargs):
    return f.NotificationFactory(recipient=user, target=target, message=message, **kwargs)


# --- The bell -----------------------------------------------------------------------------


def test_bell_shows_the_unread_count(client, editor_a, editor_b, project):
    _notify(editor_a, project)
    _notify(editor_a, project)
    _notify(editor_a, project, read_at=timezone.now())
    _notify(editor_b, project)  # someone else's
    client.force_login(editor_a)
    bell = _bell(_text(client.get(reverse("home"))))
    assert 'href="/notifications/"' in bell
    assert '<span class="app-bell-count" id="notification-count" data-bell-count>2</span>' in bell


def test_bell_hides_the_badge_when_all_is_read(client, editor_b):
    client.force_login(editor_b)
    bell = _bell(_text(client.get(reverse("home"))))
    assert "data-bell-count hidden>0<" in bell


def test_bell_count_costs_one_query_however_often_it_is_shown(editor_a, project):
    _notify(editor_a, project)
    request = RequestFactory().get("/")
    request.user = editor_a
    count = bell_context(request)["unread_notification_count"]
    with count_queries() as qc:
        assert count() == 1 and count() == 1
    assert qc.count == 1


def test_bell_is_zero_without_a_query_when_signed_out(anonymous):
    request = RequestFactory().get("/")
    request.user = anonymous
    with count_queries() as qc:
        assert bell_context(request) == {"unread_notification_count": 0}
    assert qc.count == 0


def test_count_endpoint_for_the_poller(client, editor_a, project):
    _notify(editor_a, project)
    client.force_login(editor_a)
    assert client.get(reverse("notifications:count")).json() == {"unread": 1}


def test_bell_script_is_a_static_file(client, editor_a):
    client.force_login(editor_a)
    text = _text(client.get(reverse("home")))
    assert "/static/js/bell.js" in text
    assert "<script>" not in text  # no inline scripts


# --- The list -------------------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client, db):
    for response in (
        client.get(reverse(LIST_URL)),
        client.post(reverse(READ_URL), {"all": "1"}),
        client.get(reverse("notifications:count")),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_list_shows_only_the_users_own_notifications(client, editor_a, editor_b, project):
    _notify(editor_a, project, message="给甲县的消息")
    _notify(editor_b, project, message="给乙县的消息")
    client.force_login(editor_a)
    text = _text(client.get(reverse(LIST_URL)))
    assert "给甲县的消息" in text and "给乙县的消息" not in text
    assert "1 条未读" in text


def test_list_puts_unread_first_then_newest(client, editor_a, project):
    _notify(editor_a, project, message="旧的未读")
    _notify(editor_a, project, message="新的已读", read_at=timezone.now())
    _notify(editor_a, project, message="新的未读")
    client.force_login(editor_a)
    text = _text(client.get(reverse(LIST_URL)))
    positions = [text.index(m) for m in ("新的未读", "旧的未读", "新的已读")]
    assert positions == sorted(positions)
    only_unread = _text(client.get(reverse(LIST_URL), {"unread": "1"}))
    assert "新的已读" not in only_unread and "旧的未读" in only_unread


def test_each_notification_links_to_its_object(client, editor_a, project, tree):
    assignment = f.DownwardAssignmentFactory(project=project, assignee_unit=tree["township_a"])
    entry = f.LedgerEntryFactory(project=project)
    _notify(editor_a, project, message="关于项目")
    _notify(editor_a, assignment, message="关于任务", verb=NotificationVerb.ASSIGNED)
    _notify(editor_a, entry, message="关于台账", verb=NotificationVerb.RETURNED)
    _notify(editor_a, tree["county_a"], message="关于单位")  # no page: plain text
    client.force_login(editor_a)
    text = _text(client.get(reverse(LIST_URL)))
    detail = reverse("projects:detail", args=[project.code])
    assert f'<a href="{detail}">关于项目</a>' in text
    assert f'<a href="{detail}#splits">关于任务</a>' in text
    assert f'<a href="{detail}#ledger">关于台账</a>' in text
    assert ">关于单位</span>" in text


def test_a_notification_whose_object_is_gone_has_no_link(client, editor_a, project):
    gone = f.ProjectFactory()
    _notify(editor_a, gone, message="已删除的项目")
    gone.delete()
    client.force_login(editor_a)
    text = _text(client.get(reverse(LIST_URL)))
    assert ">已删除的项目</span>" in text


def test_list_is_paginated(client, editor_a, project):
    for n in range(30):
        _notify(editor_a, project, message=f"第{n:02d}条")
    client.force_login(editor_a)
    first = _text(client.get(reverse(LIST_URL)))
    assert first.count("app-notification ") == 25 and "第 1 / 2 页" in first
    second = _text(client.get(reverse(LIST_URL), {"page": 2}))
    assert second.count("app-notification ") == 5


def test_list_query_count_is_constant(client, editor_a, project, tree):
    assignment = f.DownwardAssignmentFactory(project=project, assignee_unit=tree["township_a"])
    entry = f.LedgerEntryFactory(project=project)
    client.force_login(editor_a)

    def grow(n):
        for _ in range(n):
            _notify(editor_a, project)
            _notify(editor_a, assignment)
            _notify(editor_a, entry)

    grow(2)

    def run():
        assert client.get(reverse(LIST_URL)).status_code == 200

    run()
    count = assert_constant_queries(run, lambda: grow(20), limit=NOTIFICATION_LIST_QUERIES)
    assert count == NOTIFICATION_LIST_QUERIES


# --- Marking read ------------------------------------------------------------------------------


def test_mark_one_read(client, editor_a, project):
    first, second = _notify(editor_a, project), _notify(editor_a, project)
    client.force_login(editor_a)
    response = client.post(reverse(READ_URL), {"notification": first.pk, "next": "/notifications/"})
    assert response.status_code == 302 and response["Location"] == "/notifications/"
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None and second.read_at is None


def test_odd_ids_are_ignored_when_marking_read(client, editor_a, project):
    first = _notify(editor_a, project)
    client.force_login(editor_a)
    ids = ["²", "٣", "abc", "-1", "０", str(first.pk)]
    response = client.post(reverse(READ_URL), {"notification": ids, "next": "/notifications/"})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.read_at is not None


def test_mark_all_read(client, editor_a, editor_b, project):
    for _ in range(3):
        _notify(editor_a, project)
    theirs = _notify(editor_b, project)
    client.force_login(editor_a)
    response = client.post(reverse(READ_URL), {"all": "1"}, follow=True)
    assert "已将 3 条消息标为已读" in _text(response)
    assert not Notification.objects.filter(recipient=editor_a, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_another_users_notification_cannot_be_marked(client, editor_a, editor_b, project):
    theirs = _notify(editor_b, project)
    client.force_login(editor_a)
    response = client.post(reverse(READ_URL), {"notification": theirs.pk})
    assert response.status_code == 302
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_marking_ignores_garbage_and_foreign_next(client, editor_a, project):
    mine = _notify(editor_a, project)
    client.force_login(editor_a)
    response = client.post(
        reverse(READ_URL), {"notification": ["x", str(mine.pk)], "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse(LIST_URL)
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_marking_needs_post_and_a_csrf_token(editor_a, project):
    mine = _notify(editor_a, project)
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor_a)
    assert client.get(reverse(READ_URL)).status_code == 405
    assert client.post(reverse(READ_URL), {"all": "1"}).status_code == 403
    mine.refresh_from_db()
    assert mine.read_at is None


def test_page_offers_mark_read_forms_with_csrf(client, editor_a, project):
    _notify(editor_a, project)
    client.force_login(editor_a)
    text = _text(client.get(reverse(LIST_URL)))
    assert "全部标为已读" in text and "标为已读" in text
    assert text.count("csrfmiddlewaretoken") >= 3  # mark all, mark one, sign out

"""In-app notifications: queued after commit, one per recipient, private to
their recipient, marked read by their recipient only, and the daily
due/overdue reminders created once however often the job runs."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from pingxiang_cf.celery import app
from pingxiang_cf.models import Notification, NotificationVerb
from pingxiang_cf.notifications import notification_mark_read, notify
from pingxiang_cf.selectors import notifications_for, unread_count
from projects import choices as prj
from projects.services import notify_due_and_overdue
from projects.tasks import notify_due_and_overdue_task
from tests import factories as f

pytestmark = pytest.mark.django_db

D = datetime.date


def test_notify_inserts_one_row_per_recipient_after_commit(
    tree, editor_a, editor_b, django_capture_on_commit_callbacks
):
    project = f.ProjectFactory()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify(
            recipients=[editor_a, editor_b.pk, editor_a],
            verb=NotificationVerb.ASSIGNED,
            obj=project,
            message="新任务",
        )
        assert Notification.objects.count() == 0  # not before the commit
    assert len(callbacks) == 1
    rows = Notification.objects.order_by("recipient_id")
    assert [(n.recipient, n.verb, n.target, n.read_at) for n in rows] == [
        (editor_a, "assigned", project, None),
        (editor_b, "assigned", project, None),
    ]


def test_nothing_is_sent_for_a_rolled_back_change(tree, editor_a):
    project = f.ProjectFactory()
    with transaction.atomic():
        notify(recipients=[editor_a], verb="assigned", obj=project, message="x")
        transaction.set_rollback(True)
    assert Notification.objects.count() == 0


def test_users_see_and_mark_only_their_own_notifications(tree, editor_a, editor_b):
    project = f.ProjectFactory()
    mine = [f.NotificationFactory(recipient=editor_a, target=project) for _ in range(3)]
    theirs = f.NotificationFactory(recipient=editor_b, target=project)
    assert unread_count(editor_a) == 3
    assert set(notifications_for(editor_a)) == set(mine)
    assert notification_mark_read(actor=editor_a, notifications=[mine[0], theirs.pk]) == 1
    assert unread_count(editor_a) == 2 and unread_count(editor_b) == 1
    assert list(notifications_for(editor_a, unread_only=True)) == [mine[2], mine[1]]
    assert notification_mark_read(actor=editor_a, all=True) == 2
    assert unread_count(editor_a) == 0 and unread_count(editor_b) == 1


def test_anonymous_and_outsiders_see_none(tree, anonymous, outsider, editor_a):
    f.NotificationFactory(recipient=editor_a)
    assert unread_count(anonymous) == 0 and unread_count(outsider) == 0
    assert Notification.objects.restrict(editor_a, "change").count() == 0


# --- Daily reminders --------------------------------------------------------------------------


@pytest.fixture
def due_world(tree, editor_a, editor_b, co_editor_b, settings):
    settings.WARNING_DUE_SOON_DAYS = 14
    project = f.ProjectFactory(
        lead_unit=tree["county_a"], co_units=[tree["county_b"]], end_date=D(2024, 12, 31)
    )
    return {
        "project": project,
        "soon": f.OuterAssignmentFactory(
            project=project, assignee_unit=tree["county_b"], deadline=D(2024, 7, 15)
        ),
        "late": f.InnerAssignmentFactory(project=project, deadline=D(2024, 6, 30)),
        "far": f.OuterAssignmentFactory(
            project=project, assignee_unit=tree["county_b"], deadline=D(2024, 7, 16)
        ),
        "done": f.InnerAssignmentFactory(
            project=project, deadline=D(2024, 6, 1), status=prj.AssignmentStatus.COMPLETED
        ),
    }


def test_due_soon_and_overdue_reminders(due_world, editor_a, editor_b, co_editor_b):
    created = notify_due_and_overdue(D(2024, 7, 1))
    rows = {(n.recipient.username, n.verb, n.object_id) for n in Notification.objects.all()}
    soon, late = due_world["soon"], due_world["late"]
    assert rows == {
        ("editor_b", "due_soon", str(soon.pk)),
        ("co_editor_b", "due_soon", str(soon.pk)),
        ("editor_a", "overdue", str(late.pk)),
    }
    assert created == 3
    message = Notification.objects.get(verb="overdue").message
    assert message == (
        f"项目「{due_world['project'].name}」分解给你单位的任务已于2024-06-30到期,已逾期1天。"
    )


def test_reminders_are_created_once_however_often_the_job_runs(due_world, editor_a):
    assert notify_due_and_overdue(D(2024, 7, 1)) == 3
    assert notify_due_and_overdue(D(2024, 7, 1)) == 0
    # read today: not again today (one per recipient, verb, object and day) …
    notification_mark_read(actor=editor_a, all=True)
    assert notify_due_and_overdue(D(2024, 7, 1)) == 0
    # … but again tomorrow, while unread ones are not repeated; tomorrow the
    # 16 July deadline also enters the 14-day window (editor_b, co_editor_b)
    assert notify_due_and_overdue(D(2024, 7, 2)) == 3
    assert Notification.objects.filter(recipient=editor_a).count() == 2
    far = Notification.objects.filter(object_id=str(due_world["far"].pk))
    assert far.count() == 2 and set(far.values_list("day", flat=True)) == {D(2024, 7, 2)}


def test_the_database_refuses_a_second_reminder_on_the_same_day(due_world, editor_a):
    notify_due_and_overdue(D(2024, 7, 1))
    row = Notification.objects.filter(recipient=editor_a).get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(
            recipient=editor_a,
            verb=row.verb,
            message="重复",
            content_type=row.content_type,
            object_id=row.object_id,
            day=row.day,
        )


def test_lead_unit_is_reminded_of_its_project_end(tree, editor_a):
    project = f.ProjectFactory(lead_unit=tree["county_a"], end_date=D(2024, 7, 10))
    notify_due_and_overdue(D(2024, 7, 1))
    row = Notification.objects.get()
    assert (row.recipient, row.verb, row.target) == (editor_a, "due_soon", project)
    assert "还有9天" in row.message


def test_the_daily_task_and_its_beat_entry(due_world):
    # apply() runs the task here whatever the broker, as a worker would.
    created = notify_due_and_overdue_task.apply().get()
    assert created == Notification.objects.count() > 0
    entry = app.conf.beat_schedule["projects-notify-due-and-overdue"]
    assert entry["task"] == "projects.notify_due_and_overdue"
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({7}, {30})

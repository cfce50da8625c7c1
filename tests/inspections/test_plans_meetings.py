"""Quarterly inspection plans, inspections, joint meetings and their action items."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from inspections.choices import ActionItemStatus, InspectionKind, PlanStatus
from inspections.models import InspectionPlan, JointMeeting, MeetingActionItem
from inspections.services import inspection_plans as plans
from inspections.services import meetings
from pingxiang_cf.models import Notification, Transition
from tests import factories as f

pytestmark = pytest.mark.django_db
D = datetime.date


def test_a_plan_is_made_then_approved(commission, tree):
    plan = plans.inspection_plan_create(
        actor=commission, year=2012, quarter=2, units=[tree["county_a"], tree["county_b"]]
    )
    assert plan.title == "2012年第2季度惩防体系建设督查计划"
    assert set(plan.units.all()) == {tree["county_a"], tree["county_b"]}
    plans.inspection_plan_approve(plan, actor=commission)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    with pytest.raises(ValidationError):
        plans.inspection_plan_update(plan, actor=commission, units=[tree["city"]], title="x")


def test_one_plan_per_quarter_and_at_least_one_unit(commission, tree):
    plans.inspection_plan_create(actor=commission, year=2012, quarter=1, units=[tree["county_a"]])
    with pytest.raises(ValidationError) as info:
        plans.inspection_plan_create(
            actor=commission, year=2012, quarter=1, units=[tree["county_b"]]
        )
    assert "该季度的督查计划已存在。" in str(info.value)
    with pytest.raises(ValidationError) as info:
        plans.inspection_plan_create(actor=commission, year=2012, quarter=3, units=[])
    assert info.value.message_dict["units"] == ["请至少选择一个督查单位。"]
    assert InspectionPlan.objects.count() == 1


@pytest.mark.parametrize("persona", ["editor_a", "leader", "auditor", "outsider"])
def test_only_the_commission_plans_and_inspects(request, tree, persona):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        plans.inspection_plan_create(actor=user, year=2012, quarter=1, units=[tree["county_a"]])
    with pytest.raises(PermissionDenied):
        plans.inspection_create(
            actor=user,
            units=[tree["county_a"]],
            kind=InspectionKind.ROUTINE,
            title="x",
            started_on=D(2012, 4, 1),
            ended_on=D(2012, 4, 2),
        )


def test_an_inspection_on_a_plan_falls_in_its_quarter(commission, tree):
    plan = f.InspectionPlanFactory(year=2012, quarter=2, units=[tree["county_a"]])
    inspection = plans.inspection_create(
        actor=commission,
        units=[tree["county_a"]],
        plan=plan,
        kind=InspectionKind.SPECIAL,
        title="专项检查",
        started_on=D(2012, 5, 2),
        ended_on=D(2012, 5, 4),
        team_leader="王五",
        team="赵六、钱七",
    )
    assert inspection.plan == plan
    with pytest.raises(ValidationError) as info:
        plans.inspection_create(
            actor=commission,
            units=[tree["county_a"]],
            plan=plan,
            kind=InspectionKind.ROUTINE,
            title="x",
            started_on=D(2012, 12, 1),
            ended_on=D(2012, 12, 2),
        )
    assert "started_on" in info.value.message_dict


def test_a_unit_with_findings_stays_in_the_inspection(commission, tree):
    inspection = f.InspectionFactory(units=[tree["county_a"], tree["county_b"]])
    f.FindingFactory(inspection=inspection, unit=tree["county_b"])
    with pytest.raises(ValidationError) as info:
        plans.inspection_update(inspection, actor=commission, units=[tree["county_a"]])
    assert "乙县" in info.value.message_dict["units"][0]


# --- Joint meetings --------------------------------------------------------------------------


@pytest.fixture
def meeting(commission, tree, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # notifications are sent on commit
        return meetings.meeting_create(
            actor=commission,
            title="2012年第1次联席会议",
            held_on=D(2012, 4, 20),
            host_unit=tree["commission_office"],
            units=[tree["county_a"], tree["county_b"]],
            minutes="通报进度",
            decisions="两项",
            action_items=[
                {
                    "description": "制定赶进度措施",
                    "owner_unit": tree["county_a"],
                    "due_on": D(2012, 5, 31),
                },
                {
                    "description": "按月报送配合情况",
                    "owner_unit": tree["county_b"],
                    "due_on": D(2012, 6, 30),
                },
            ],
        )


def test_a_meetings_decisions_become_tracked_items(editor_a, meeting, tree):
    items = list(meeting.action_items.order_by("due_on"))
    assert [(i.owner_unit, i.status) for i in items] == [
        (tree["county_a"], ActionItemStatus.OPEN),
        (tree["county_b"], ActionItemStatus.OPEN),
    ]
    # The owner unit's editors hear of their item as a meeting decision.
    notice = Notification.objects.get(recipient=editor_a, object_id=str(items[0].pk))
    assert (notice.verb, notice.get_verb_display()) == ("meeting_item", "会议议定事项")


def test_a_bad_item_refuses_the_whole_meeting(commission, tree):
    with pytest.raises(ValidationError) as info:
        meetings.meeting_create(
            actor=commission,
            title="会议",
            held_on=D(2012, 4, 20),
            host_unit=tree["commission_office"],
            action_items=[
                {"description": "事项", "owner_unit": tree["county_a"], "due_on": D(2012, 1, 1)}
            ],
        )
    assert info.value.message_dict["action_items"] == [
        "第1项议定事项:完成时限不能早于会议召开日期。"
    ]
    assert not JointMeeting.objects.exists()
    assert not MeetingActionItem.objects.exists()


def test_the_owner_completes_and_the_commission_reopens(meeting, editor_a, commission):
    item = meeting.action_items.get(owner_unit__name="甲县")
    meetings.action_item_complete(item, actor=editor_a, note="已制定", done_on=D(2012, 5, 20))
    item.refresh_from_db()
    assert (item.status, item.done_on) == (ActionItemStatus.DONE, D(2012, 5, 20))
    meetings.action_item_reopen(item, actor=commission, reason="措施未落实")
    item.refresh_from_db()
    assert (item.status, item.done_on) == (ActionItemStatus.OPEN, None)
    states = Transition.objects.filter(
        content_type__model="meetingactionitem", object_id=str(item.pk)
    ).values_list("from_state", "to_state")
    assert list(states) == [("open", "done"), ("done", "open")]


@pytest.mark.parametrize("persona", ["editor_b", "co_editor_b", "leader", "auditor", "outsider"])
def test_others_cannot_complete_a_units_item(request, meeting, persona):
    item = meeting.action_items.get(owner_unit__name="甲县")
    with pytest.raises(PermissionDenied):
        meetings.action_item_complete(item, actor=request.getfixturevalue(persona), note="x")
    item.refresh_from_db()
    assert item.status == ActionItemStatus.OPEN


def test_completing_needs_a_note(meeting, editor_a):
    item = meeting.action_items.get(owner_unit__name="甲县")
    with pytest.raises(ValidationError) as info:
        meetings.action_item_complete(item, actor=editor_a, note="")
    assert info.value.message_dict["note"] == ["请填写办理情况。"]


def test_item_reminders_once_a_day(meeting, editor_a):
    day = D(2012, 5, 28)
    assert meetings.action_items_send_deadline_reminders(today=day) == 1
    assert meetings.action_items_send_deadline_reminders(today=day) == 0

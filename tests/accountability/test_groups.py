"""Leading groups and their offices: seats change over time and the history
is kept; only the group's own unit (or the commission) changes it."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accountability import services
from accountability.choices import GroupPosition
from accountability.models import LeadingGroup, LeadingGroupMember
from tests import factories as f
from tests.querycount import assert_constant_queries

D = datetime.date


@pytest.fixture
def group(tree, editor_a):
    return services.group_create(
        actor=editor_a,
        unit=tree["county_a"],
        name="甲县惩防体系建设领导小组",
        established_on=D(2010, 3, 1),
        office_name="甲县惩防办",
    )


def test_a_new_leader_ends_the_previous_leaders_seat(tree, editor_a, group):
    first = f.OfficialFactory(unit=tree["county_a"], name="老组长")
    second = f.OfficialFactory(unit=tree["county_a"], name="新组长")
    member = f.OfficialFactory(unit=tree["county_a"], name="成员甲")
    services.group_member_add(
        group, actor=editor_a, official=first, position=GroupPosition.LEADER, start_on=D(2010, 3, 1)
    )
    services.group_member_add(
        group,
        actor=editor_a,
        official=member,
        position=GroupPosition.MEMBER,
        start_on=D(2010, 3, 1),
    )
    services.group_member_add(
        group,
        actor=editor_a,
        official=second,
        position=GroupPosition.LEADER,
        start_on=D(2011, 1, 5),
    )
    seats = {s.official.name: (s.start_on, s.end_on) for s in group.members.all()}
    assert seats == {
        "老组长": (D(2010, 3, 1), D(2011, 1, 4)),
        "新组长": (D(2011, 1, 5), None),
        "成员甲": (D(2010, 3, 1), None),
    }


def test_seat_rules_refuse_bad_dates_and_duplicates(tree, editor_a, group):
    official = f.OfficialFactory(unit=tree["county_a"])
    with pytest.raises(ValidationError, match="不能早于领导小组成立日期"):
        services.group_member_add(
            group, actor=editor_a, official=official, position="member", start_on=D(2009, 1, 1)
        )
    seat = services.group_member_add(
        group, actor=editor_a, official=official, position="member", start_on=D(2010, 4, 1)
    )
    with pytest.raises(ValidationError, match="已是本领导小组的在任成员"):
        services.group_member_add(
            group, actor=editor_a, official=official, position="deputy", start_on=D(2010, 5, 1)
        )
    with pytest.raises(ValidationError, match="不能早于任职起日期"):
        services.group_member_end(seat, actor=editor_a, end_on=D(2010, 3, 1))
    services.group_member_end(seat, actor=editor_a, end_on=D(2011, 3, 1))
    seat.refresh_from_db()
    assert seat.end_on == D(2011, 3, 1)


def test_one_group_in_office_per_unit_and_dissolving_ends_seats(tree, editor_a, group):
    official = f.OfficialFactory(unit=tree["county_a"])
    services.group_member_add(
        group, actor=editor_a, official=official, position="leader", start_on=D(2010, 3, 1)
    )
    with pytest.raises(ValidationError, match="已有在任的领导小组"):
        services.group_create(
            actor=editor_a, unit=tree["county_a"], name="第二个", established_on=D(2011, 1, 1)
        )
    services.group_dissolve(group, actor=editor_a, dissolved_on=D(2012, 1, 1))
    assert LeadingGroupMember.objects.get().end_on == D(2012, 1, 1)
    services.group_create(
        actor=editor_a, unit=tree["county_a"], name="新领导小组", established_on=D(2012, 1, 2)
    )
    assert LeadingGroup.objects.count() == 2


def test_other_units_and_readers_cannot_change_a_group(tree, editor_b, leader, group):
    official = f.OfficialFactory(unit=tree["county_a"])
    for user in (editor_b, leader):
        with pytest.raises(PermissionDenied):
            services.group_member_add(
                group, actor=user, official=official, position="member", start_on=D(2010, 4, 1)
            )


def test_group_page_shows_current_and_past_members(client, tree, editor_a, editor_b, group):
    old = f.OfficialFactory(unit=tree["county_a"], name="前任主任")
    services.group_member_add(
        group, actor=editor_a, official=old, position="office_director", start_on=D(2010, 3, 1)
    )
    client.force_login(editor_a)
    url = reverse("accountability:group-member-add", args=[group.pk])
    new = f.OfficialFactory(unit=tree["county_a"], name="现任主任")
    response = client.post(
        url, {"official": new.pk, "position": "office_director", "start_on": "2011-06-01"}
    )
    assert response.status_code == 302
    html = client.get(reverse("accountability:group-detail", args=[group.pk])).content.decode()
    current = html[html.index('id="current-members"') : html.index('id="past-members"')]
    past = html[html.index('id="past-members"') :]
    assert "现任主任" in current and "前任主任" not in current
    assert "前任主任" in past and "2011-05-31" in past
    client.force_login(editor_b)
    assert client.get(reverse("accountability:group-detail", args=[group.pk])).status_code == 404
    assert client.get(url).status_code == 404


def test_member_form_refuses_missing_fields(client, editor_a, group):
    client.force_login(editor_a)
    response = client.post(
        reverse("accountability:group-member-add", args=[group.pk]), {"position": "member"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and html.count("此项为必填项") == 2
    assert not LeadingGroupMember.objects.exists()


def test_group_list_filters_and_query_count(client, tree, commission, group):
    client.force_login(commission)
    url = reverse("accountability:groups")
    assert "共 1 个" in client.get(url, {"active_state": "active"}).content.decode()
    assert "没有符合条件" in client.get(url, {"active_state": "dissolved"}).content.decode()
    csv = b"".join(client.get(url, {"export": "csv"}).streaming_content).decode()
    assert "甲县惩防体系建设领导小组" in csv

    def grow():
        for _ in range(10):
            g = f.LeadingGroupFactory(unit=f.UnitFactory(parent=tree["county_b"]))
            f.LeadingGroupMemberFactory(group=g)

    assert_constant_queries(lambda: client.get(url), grow, limit=10)

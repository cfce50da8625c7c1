"""Leading groups (领导小组) and their offices (惩防办). Membership changes
are never overwritten: a seat ends on a date and a new seat starts, so the
group's history stays readable."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accountability.choices import GroupPosition
from accountability.models import LeadingGroup, LeadingGroupMember, Official
from accountability.services.permissions import edits_unit, ensure
from pingxiang_cf.services import audited_create, audited_update

SINGLE_SEATS = (GroupPosition.LEADER, GroupPosition.OFFICE_DIRECTOR)


def _ensure_group_editor(actor, unit) -> None:
    ensure(actor, edits_unit(actor, unit), _("只有本单位或纪委惩防办可以维护领导小组。"))


def group_create(*, actor, unit, name, established_on, office_name="", document_number=""):
    _ensure_group_editor(actor, unit)
    if LeadingGroup.objects.filter(unit=unit, dissolved_on__isnull=True).exists():
        raise ValidationError(_("本单位已有在任的领导小组,请先撤销原领导小组。"))
    return audited_create(
        LeadingGroup,
        actor=actor,
        unit=unit,
        name=name,
        established_on=established_on,
        office_name=office_name,
        document_number=document_number,
    )


@transaction.atomic
def group_dissolve(group: LeadingGroup, *, actor, dissolved_on, reason=""):
    """The group is dissolved; the seats still open end on the same day."""
    _ensure_group_editor(actor, group.unit)
    if group.dissolved_on:
        raise ValidationError(_("该领导小组已撤销。"))
    for seat in group.members.filter(end_on__isnull=True).select_related("official", "group"):
        audited_update(
            seat, actor=actor, end_on=max(dissolved_on, seat.start_on), audit_reason=reason
        )
    return audited_update(group, actor=actor, dissolved_on=dissolved_on, audit_reason=reason)


@transaction.atomic
def group_member_add(
    group: LeadingGroup, *, actor, official: Official, position: str, start_on, reason=""
) -> LeadingGroupMember:
    """A new seat. The leader and the office director are single seats: the
    current holder's seat ends the day before the newcomer's starts."""
    _ensure_group_editor(actor, group.unit)
    if group.dissolved_on:
        raise ValidationError(_("该领导小组已撤销,不能再调整成员。"))
    if start_on < group.established_on:
        raise ValidationError({"start_on": _("任职起日期不能早于领导小组成立日期。")})
    current = group.members.filter(end_on__isnull=True)
    if current.filter(official=official).exists():
        raise ValidationError({"official": _("该干部已是本领导小组的在任成员。")})
    if position in SINGLE_SEATS:
        for seat in current.filter(position=position).select_related("official", "group"):
            if start_on <= seat.start_on:
                raise ValidationError({"start_on": _("任职起日期须晚于现任人员的任职起日期。")})
            audited_update(
                seat,
                actor=actor,
                end_on=start_on - datetime.timedelta(days=1),
                audit_reason=reason or _("人员调整"),
            )
    return audited_create(
        LeadingGroupMember,
        actor=actor,
        group=group,
        official=official,
        position=position,
        start_on=start_on,
        audit_reason=reason,
    )


def group_member_end(seat: LeadingGroupMember, *, actor, end_on, reason=""):
    """A member leaves the group on `end_on` (the seat is kept in the history)."""
    _ensure_group_editor(actor, seat.group.unit)
    if seat.end_on:
        raise ValidationError(_("该成员已离任。"))
    if end_on < seat.start_on:
        raise ValidationError({"end_on": _("任职止日期不能早于任职起日期。")})
    return audited_update(seat, actor=actor, end_on=end_on, audit_reason=reason)

"""Joint meetings (联席会议) and their decisions as tracked action items:
each item has an owner unit and a due date, and is open until the owner
(or the commission) reports it done; the commission may reopen it."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inspections.choices import ActionItemStatus
from inspections.models import JointMeeting, MeetingActionItem
from inspections.services import rules
from inspections.services.letters import save_reminders
from pingxiang_cf.models import Notification, NotificationVerb
from pingxiang_cf.notifications import build_notifications, notify
from pingxiang_cf.services import audited_create, audited_transition, audited_update

MEETING_FIELDS = ("title", "held_on", "host_unit", "minutes", "decisions")


def can_manage(user) -> bool:
    return rules.is_commission(user)


def can_complete(user, item: MeetingActionItem) -> bool:
    return item.status == ActionItemStatus.OPEN and (
        rules.is_commission(user) or rules.edits_unit(user, item.owner_unit)
    )


def can_reopen(user, item: MeetingActionItem) -> bool:
    return item.status == ActionItemStatus.DONE and rules.is_commission(user)


@transaction.atomic
def meeting_create(
    *, actor, units: Iterable = (), action_items: Iterable[Mapping] = (), **fields
) -> JointMeeting:
    """Record a joint meeting with the units present and its decisions; each
    of `action_items` ({description, owner_unit, due_on}) becomes a tracked item."""
    rules.ensure_commission(actor)
    unknown = sorted(set(fields) - set(MEETING_FIELDS))
    if unknown:
        raise TypeError(f"unexpected fields: {', '.join(unknown)}")
    held_on = fields.get("held_on")
    if held_on and held_on > timezone.localdate():
        raise ValidationError({"held_on": _("召开日期不能晚于今天。")})
    meeting = audited_create(JointMeeting, actor=actor, m2m={"units": list(units)}, **fields)
    errors = []
    for index, spec in enumerate(action_items, 1):
        try:
            action_item_add(meeting, actor=actor, **spec)
        except ValidationError as exc:
            errors += [_("第%(index)d项议定事项:") % {"index": index} + m for m in exc.messages]
    if errors:
        raise ValidationError({"action_items": errors})
    return meeting


@transaction.atomic
def meeting_update(meeting: JointMeeting, *, actor, units=None, **changes) -> JointMeeting:
    rules.ensure_commission(actor)
    unknown = sorted(set(changes) - set(MEETING_FIELDS))
    if unknown:
        raise TypeError(f"unexpected fields: {', '.join(unknown)}")
    m2m = None if units is None else {"units": list(units)}
    return audited_update(meeting, actor=actor, m2m=m2m, **changes)


@transaction.atomic
def action_item_add(
    meeting: JointMeeting, *, actor, description: str, owner_unit, due_on: datetime.date
) -> MeetingActionItem:
    """A decision becomes an item for `owner_unit`, due on `due_on` (not
    before the meeting); the owner's editors are notified."""
    rules.ensure_commission(actor)
    description = rules.required_text(description, "description", _("请填写议定事项。"))
    if owner_unit is None:
        raise ValidationError({"owner_unit": _("请选择责任单位。")})
    if due_on is None:
        raise ValidationError({"due_on": _("请填写完成时限。")})
    if due_on < meeting.held_on:
        raise ValidationError({"due_on": _("完成时限不能早于会议召开日期。")})
    item = audited_create(
        MeetingActionItem,
        actor=actor,
        meeting=meeting,
        description=description,
        owner_unit=owner_unit,
        due_on=due_on,
        status=ActionItemStatus.OPEN,
    )
    notify(
        recipients=rules.editor_ids(owner_unit.pk),
        verb=NotificationVerb.MEETING_ITEM,
        obj=item,
        message=_("%(meeting)s议定由你单位办理:%(text)s(%(due)s前)")
        % {"meeting": meeting.title, "text": description[:60], "due": due_on.isoformat()},
    )
    return item


@transaction.atomic
def action_item_complete(
    item: MeetingActionItem, *, actor, note: str, done_on=None
) -> MeetingActionItem:
    """The owner unit (or the commission) reports the item done."""
    rules.ensure(
        actor,
        actor is None or rules.is_commission(actor) or rules.edits_unit(actor, item.owner_unit),
        _("议定事项只能由责任单位或纪委惩防办办结。"),
    )
    item = rules.lock(item)
    if item.status != ActionItemStatus.OPEN:
        raise ValidationError(_("该事项已办结。"))
    note = rules.required_text(note, "note", _("请填写办理情况。"))
    done_on = done_on or timezone.localdate()
    if done_on < item.meeting.held_on:
        raise ValidationError({"done_on": _("办结日期不能早于会议召开日期。")})
    audited_update(item, actor=actor, done_note=note, done_on=done_on)
    return audited_transition(item, actor=actor, to_state=ActionItemStatus.DONE, reason=note)


@transaction.atomic
def action_item_reopen(item: MeetingActionItem, *, actor, reason: str) -> MeetingActionItem:
    """The commission reopens an item reported done (not done in fact)."""
    rules.ensure_commission(actor)
    reason = rules.required_text(reason, "reason", _("请填写重新办理的原因。"))
    item = rules.lock(item)
    if item.status != ActionItemStatus.DONE:
        raise ValidationError(_("只有已办结的事项可以重新办理。"))
    audited_transition(item, actor=actor, to_state=ActionItemStatus.OPEN, reason=reason)
    audited_update(item, actor=actor, done_on=None)
    notify(
        recipients=rules.editor_ids(item.owner_unit_id),
        verb=NotificationVerb.RETURNED,
        obj=item,
        message=_("议定事项“%(text)s”需重新办理:%(reason)s")
        % {"text": item.description[:40], "reason": reason},
    )
    return item


def action_items_send_deadline_reminders(*, today=None) -> int:
    """Remind the owner's editors of open items due within 7 days or overdue."""
    from projects.selectors import unit_editor_ids

    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=7)
    items = list(
        MeetingActionItem.objects.filter(status=ActionItemStatus.OPEN, due_on__lte=soon).only(
            "pk", "owner_unit_id", "due_on", "description"
        )
    )
    editors = unit_editor_ids({item.owner_unit_id for item in items})
    rows: list[Notification] = []
    for item in items:
        verb, days = rules.deadline_verb(item.due_on, today)
        values = {"text": item.description[:40], "due": item.due_on.isoformat(), "days": days}
        message = (
            _("联席会议议定事项“%(text)s”已超过完成时限(%(due)s)%(days)d天。")
            if verb == NotificationVerb.OVERDUE
            else _("联席会议议定事项“%(text)s”须于%(due)s前办结,还有%(days)d天。")
        ) % values
        rows += build_notifications(
            recipients=editors.get(item.owner_unit_id, []),
            verb=verb,
            obj=item,
            message=message,
            day=today,
        )
    return save_reminders(rows)

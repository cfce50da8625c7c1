"""Pages of joint meetings (联席会议) and their tracked action items."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inspections import selectors
from inspections import supervision_forms as forms
from inspections.filters import JointMeetingFilterSet, MeetingActionItemFilterSet
from inspections.models import JointMeeting, MeetingActionItem
from inspections.services import meetings as services
from inspections.views.pages import deny_unless, form_page, list_page, visible_or_404

MEETING_COLUMNS = (
    ("title", gettext_lazy("会议名称")),
    ("held_on", gettext_lazy("召开日期")),
    (None, gettext_lazy("召集单位")),
    (None, gettext_lazy("参会单位")),
    ("open_items", gettext_lazy("未办结事项")),
)
ITEM_COLUMNS = (
    (None, gettext_lazy("议定事项")),
    ("owner_unit", gettext_lazy("责任单位")),
    (None, gettext_lazy("会议")),
    ("due_on", gettext_lazy("完成时限")),
    (None, gettext_lazy("状态")),
)


def meeting_url(meeting, anchor="") -> str:
    url = reverse("inspections:meeting-detail", args=[meeting.pk])
    return f"{url}#{anchor}" if anchor else url


@login_required
def meeting_list(request):
    return list_page(
        request,
        filterset_class=JointMeetingFilterSet,
        queryset=selectors.meeting_list(request.user),
        template="inspections/meeting_list.html",
        columns=MEETING_COLUMNS,
        can_manage=services.can_manage(request.user),
    )


@login_required
def action_item_list(request):
    return list_page(
        request,
        filterset_class=MeetingActionItemFilterSet,
        queryset=selectors.action_item_list(request.user),
        template="inspections/meeting_item_list.html",
        columns=ITEM_COLUMNS,
        today=timezone.localdate(),
    )


@login_required
def meeting_detail(request, pk):
    meeting = visible_or_404(JointMeeting.objects.select_related("host_unit"), request.user, pk=pk)
    items = list(
        selectors.meeting_items(meeting).filter(
            pk__in=selectors.action_item_list(request.user).values("pk")
        )
    )
    for item in items:
        item.can_complete = services.can_complete(request.user, item)
        item.can_reopen = services.can_reopen(request.user, item)
    return render(
        request,
        "inspections/meeting_detail.html",
        {
            "meeting": meeting,
            "units": meeting.units.order_by("path"),
            "items": items,
            "can_manage": services.can_manage(request.user),
            "today": timezone.localdate(),
        },
    )


@login_required
def meeting_create(request):
    deny_unless(services.can_manage(request.user))
    form = forms.MeetingForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form=form,
        call=lambda data: services.meeting_create(actor=request.user, **data),
        done=_("联席会议已登记;请逐项添加议定事项。"),
        next_url=meeting_url,
        heading=_("登记联席会议"),
        back_url=reverse("inspections:meeting-list"),
        submit=_("保存"),
    )


@login_required
def action_item_add(request, pk):
    meeting = visible_or_404(JointMeeting.objects.all(), request.user, pk=pk)
    deny_unless(services.can_manage(request.user))
    form = forms.ActionItemForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form=form,
        call=lambda data: services.action_item_add(meeting, actor=request.user, **data),
        done=_("议定事项已添加,责任单位将收到通知。"),
        next_url=meeting_url(meeting, "items"),
        heading=_("添加议定事项"),
        back_url=meeting_url(meeting),
        submit=_("保存"),
        subject=meeting.title,
    )


def _item(user, pk) -> MeetingActionItem:
    return visible_or_404(
        MeetingActionItem.objects.select_related("meeting", "owner_unit"), user, pk=pk
    )


@login_required
def action_item_complete(request, pk):
    item = _item(request.user, pk)
    deny_unless(services.can_complete(request.user, item))
    form = forms.CompleteItemForm(request.POST or None)
    return form_page(
        request,
        form=form,
        call=lambda data: services.action_item_complete(
            item, actor=request.user, note=data["note"], done_on=data["done_on"]
        ),
        done=_("议定事项已办结。"),
        next_url=meeting_url(item.meeting, "items"),
        heading=_("办结议定事项"),
        back_url=meeting_url(item.meeting),
        submit=_("办结"),
        summary=item.description,
        subject=item.owner_unit.name,
    )


@login_required
def action_item_reopen(request, pk):
    item = _item(request.user, pk)
    deny_unless(services.can_reopen(request.user, item))
    form = forms.ReasonForm(request.POST or None)
    return form_page(
        request,
        form=form,
        call=lambda data: services.action_item_reopen(
            item, actor=request.user, reason=data["reason"]
        ),
        done=_("议定事项已重新交办。"),
        next_url=meeting_url(item.meeting, "items"),
        heading=_("重新办理"),
        back_url=meeting_url(item.meeting),
        submit=_("确认重新办理"),
        danger=True,
        summary=item.description,
        subject=item.owner_unit.name,
    )

"""Forms of the escalation ladder, inspections, findings and joint meetings.
They check the shape of the input and hand clean values to the services of
inspections/services/; the rules and their messages live there."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accountability.choices import UnitKind
from accountability.models import Unit
from inspections.choices import InspectionKind, LetterReason, Severity
from inspections.models import InspectionPlan
from pingxiang_cf.scope import VIEW
from projects.forms import EVIDENCE_EXTENSIONS, StyledForm
from projects.models import Project

QUARTERS = ((1, _("第一季度")), (2, _("第二季度")), (3, _("第三季度")), (4, _("第四季度")))


def _date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _text(rows=3):
    return forms.Textarea(attrs={"rows": rows})


def supervised_units(user):
    """Units the user can see that can be supervised (no village agent points)."""
    return (
        Unit.objects.restrict(user, VIEW)
        .filter(is_active=True)
        .exclude(kind=UnitKind.VILLAGE_AGENT_POINT)
        .order_by("path")
    )


def _evidence_field(required=True):
    return forms.FileField(
        label=_("佐证材料"),
        required=required,
        help_text=_("PDF、图片或Office文档,按文件内容核验类型。"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(EVIDENCE_EXTENSIONS)}),
        error_messages={"required": _("请上传佐证材料。")},
    )


# --- Reminders and letters --------------------------------------------------------------


class ReminderSendForm(StyledForm):
    respond_by = forms.DateField(label=_("回复时限"), widget=_date_widget())
    note = forms.CharField(label=_("催办说明"), required=False, widget=_text(2))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault(
            "respond_by", timezone.localdate() + datetime.timedelta(days=7)
        )
        super().__init__(*args, **kwargs)


class ReasonForm(StyledForm):
    reason = forms.CharField(
        label=_("原因"), widget=_text(3), error_messages={"required": _("请填写原因。")}
    )


class LetterIssueForm(StyledForm):
    """Issue a letter: from a reminder (subject fixed) or for a unit chosen here."""

    unit = forms.ModelChoiceField(label=_("督办单位"), queryset=Unit.objects.none())
    reason = forms.ChoiceField(label=_("督办事由"), choices=LetterReason.choices)
    project = forms.ModelChoiceField(
        label=_("督办项目"), queryset=Project.objects.none(), required=False
    )
    reply_deadline = forms.DateField(label=_("回复时限"), widget=_date_widget())
    title = forms.CharField(
        label=_("标题"), max_length=200, required=False, help_text=_("留空则按模板生成。")
    )
    items = forms.CharField(
        label=_("督办事项"), required=False, widget=_text(6), help_text=_("留空则按模板生成。")
    )

    def __init__(self, *args, user, reminder=None, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault(
            "reply_deadline", timezone.localdate() + datetime.timedelta(days=15)
        )
        super().__init__(*args, **kwargs)
        if reminder is not None:
            for name in ("unit", "reason", "project"):
                del self.fields[name]
        else:
            self.fields["unit"].queryset = supervised_units(user)
            self.fields["project"].queryset = (
                Project.objects.restrict(user, VIEW)
                .select_related("lead_unit")
                .order_by("-year", "number")
            )

    def clean(self):
        cleaned = super().clean()
        project, unit = cleaned.get("project"), cleaned.get("unit")
        if project is not None and unit is not None and project.lead_unit_id != unit.pk:
            self.add_error("project", _("督办项目须由督办单位牵头。"))
        return cleaned


class LetterReplyForm(StyledForm):
    content = forms.CharField(
        label=_("回复内容"),
        widget=_text(6),
        help_text=_("以单位名义书面回复,一事一文;不能按期完成的,说明进展情况和原因。"),
        error_messages={"required": _("请填写回复内容。")},
    )
    file = _evidence_field()


class ReviewForm(StyledForm):
    comment = forms.CharField(label=_("审核意见"), required=False, widget=_text(3))


class ReturnForm(StyledForm):
    comment = forms.CharField(
        label=_("退回意见"), widget=_text(3), error_messages={"required": _("请填写退回意见。")}
    )


class LetterReturnForm(ReturnForm):
    reply_deadline = forms.DateField(
        label=_("新的回复时限"),
        required=False,
        widget=_date_widget(),
        help_text=_("留空则沿用原回复时限。"),
    )


class InterviewForm(StyledForm):
    held_on = forms.DateField(label=_("约谈日期"), widget=_date_widget())
    interviewers = forms.CharField(label=_("约谈人"), max_length=200)
    interviewees = forms.CharField(label=_("被约谈人"), max_length=200)
    minutes = forms.CharField(label=_("约谈记录"), widget=_text(5))
    commitments = forms.CharField(label=_("整改承诺"), widget=_text(3))


# --- Inspections, plans, findings -------------------------------------------------------


class PlanForm(StyledForm):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(label=_("季度"), coerce=int, choices=QUARTERS)
    title = forms.CharField(
        label=_("计划名称"), max_length=200, required=False, help_text=_("留空则自动生成。")
    )
    units = forms.ModelMultipleChoiceField(
        label=_("督查单位"),
        queryset=Unit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一个督查单位。")},
    )
    note = forms.CharField(label=_("督查重点"), required=False, widget=_text(3))

    def __init__(self, *args, user, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = supervised_units(user).exclude(
            kind__in=(UnitKind.COUNTY_SERVICE_CENTRE, UnitKind.TOWNSHIP_SERVICE_CENTRE)
        )
        if plan is not None:
            del self.fields["year"]
            del self.fields["quarter"]
            self.fields["title"].required = True


class InspectionForm(StyledForm):
    kind = forms.ChoiceField(label=_("督查类型"), choices=InspectionKind.choices)
    title = forms.CharField(label=_("名称"), max_length=200)
    plan = forms.ModelChoiceField(
        label=_("季度督查计划"), queryset=InspectionPlan.objects.none(), required=False
    )
    started_on = forms.DateField(label=_("开始日期"), widget=_date_widget())
    ended_on = forms.DateField(label=_("结束日期"), widget=_date_widget())
    team_leader = forms.CharField(label=_("带队领导"), max_length=32, required=False)
    team = forms.CharField(label=_("督查组成员"), max_length=255, required=False)
    units = forms.ModelMultipleChoiceField(
        label=_("被督查单位"),
        queryset=Unit.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("按住 Ctrl 键可选择多个单位。"),
        error_messages={"required": _("请至少选择一个督查单位。")},
    )
    summary = forms.CharField(label=_("督查情况"), required=False, widget=_text(4))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = supervised_units(user)
        self.fields["plan"].queryset = InspectionPlan.objects.restrict(user, VIEW)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("started_on"), cleaned.get("ended_on")
        if start and end and end < start:
            self.add_error("ended_on", _("结束日期不能早于开始日期。"))
        return cleaned


class FindingForm(StyledForm):
    unit = forms.ModelChoiceField(label=_("责任单位"), queryset=Unit.objects.none())
    project = forms.ModelChoiceField(
        label=_("项目"), queryset=Project.objects.none(), required=False
    )
    description = forms.CharField(label=_("问题描述"), widget=_text(3))
    severity = forms.ChoiceField(label=_("严重程度"), choices=Severity.choices)
    required_rectification = forms.CharField(label=_("整改要求"), widget=_text(3))
    deadline = forms.DateField(label=_("整改时限"), widget=_date_widget())

    def __init__(self, *args, user, inspection, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("severity", Severity.GENERAL)
        kwargs["initial"].setdefault("deadline", inspection.ended_on + datetime.timedelta(days=30))
        super().__init__(*args, **kwargs)
        units = inspection.units.order_by("path")
        self.fields["unit"].queryset = units
        self.fields["project"].queryset = (
            Project.objects.restrict(user, VIEW)
            .filter(lead_unit__in=units, year=inspection.started_on.year)
            .order_by("number")
        )


class RectifyForm(StyledForm):
    description = forms.CharField(
        label=_("整改情况"), widget=_text(5), error_messages={"required": _("请填写整改情况。")}
    )
    file = _evidence_field()


# --- Joint meetings -----------------------------------------------------------------------


class MeetingForm(StyledForm):
    title = forms.CharField(label=_("会议名称"), max_length=200)
    held_on = forms.DateField(label=_("召开日期"), widget=_date_widget())
    host_unit = forms.ModelChoiceField(label=_("召集单位"), queryset=Unit.objects.none())
    units = forms.ModelMultipleChoiceField(
        label=_("参会单位"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("按住 Ctrl 键可选择多个单位。"),
    )
    minutes = forms.CharField(label=_("会议纪要"), required=False, widget=_text(5))
    decisions = forms.CharField(label=_("议定事项"), required=False, widget=_text(3))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = supervised_units(user)
        self.fields["host_unit"].queryset = units
        self.fields["units"].queryset = units


class ActionItemForm(StyledForm):
    description = forms.CharField(label=_("议定事项"), widget=_text(2))
    owner_unit = forms.ModelChoiceField(label=_("责任单位"), queryset=Unit.objects.none())
    due_on = forms.DateField(label=_("完成时限"), widget=_date_widget())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].queryset = supervised_units(user)


class CompleteItemForm(StyledForm):
    note = forms.CharField(
        label=_("办理情况"), widget=_text(3), error_messages={"required": _("请填写办理情况。")}
    )
    done_on = forms.DateField(label=_("办结日期"), widget=_date_widget())

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("done_on", timezone.localdate())
        super().__init__(*args, **kwargs)

"""Watching the work: supervision cycles, notices, inspections with their
findings and rectifications, supervision letters and joint meetings."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accountability.models import Unit
from inspections import choices
from pingxiang_cf.models import BaseModel
from pingxiang_cf.scope import VIEW, RestrictedQuerySet, get_user_scope
from projects.models import Assignment, Project


class SupervisionCycle(BaseModel):
    """One cycle of the rhythm (monthly/quarterly/semiannual/annual) for one
    period; it freezes the figures it used in `snapshot`."""

    kind = models.CharField(_("周期类型"), max_length=16, choices=choices.CycleKind.choices)
    period = models.CharField(
        _("期间"), max_length=16, help_text=_("如 2011-03、2011-Q1、2011-H1、2011")
    )
    period_start = models.DateField(_("期间开始"))
    period_end = models.DateField(_("期间结束"))
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=choices.CycleStatus.choices,
        default=choices.CycleStatus.OPEN,
    )
    snapshot = models.JSONField(_("数据快照"), default=dict, blank=True)
    last_run_at = models.DateTimeField(_("最近运行时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("督查周期")
        verbose_name_plural = _("督查周期")
        ordering = ["-period_start", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "period"],
                name="cycle_unique_kind_period",
                violation_error_message=_("该类型该期间的督查周期已存在。"),
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="cycle_period_ordered",
                violation_error_message=_("期间结束不能早于期间开始。"),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.period}"


# --- Notice visibility (cycles/notices block) -------------------------------------------


class NoticeQuerySet(RestrictedQuerySet):
    """A published notice is circulated to every signed-in user; drafts and
    reviewed notices are the commission's own work and only it sees them.
    Only the commission changes notices (no edit path)."""

    def restrict(self, user, action: str = VIEW):
        queryset = super().restrict(user, action)
        if action == VIEW and not get_user_scope(user).edits_all:
            queryset = queryset.filter(status=choices.NoticeStatus.PUBLISHED)
        return queryset


class NoticeUnitQuerySet(RestrictedQuerySet):
    """The units named in a notice are seen like the notice: not before it is
    published, except by the commission."""

    def restrict(self, user, action: str = VIEW):
        queryset = super().restrict(user, action)
        if action == VIEW and not get_user_scope(user).edits_all:
            queryset = queryset.filter(notice__status=choices.NoticeStatus.PUBLISHED)
        return queryset


class Notice(BaseModel):
    """A notice (通报); published notices are frozen."""

    code = models.UUIDField(_("编码"), default=uuid.uuid4, unique=True, editable=False)
    cycle = models.ForeignKey(
        SupervisionCycle,
        verbose_name=_("督查周期"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notices",
    )
    kind = models.CharField(_("通报类型"), max_length=16, choices=choices.NoticeKind.choices)
    number = models.CharField(_("文号"), max_length=64, unique=True)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"), blank=True)
    issuing_office = models.CharField(_("发文机关"), max_length=64, default="中共萍乡市纪委惩防办")
    issued_on = models.DateField(_("发文日期"), null=True, blank=True)
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=choices.NoticeStatus.choices,
        default=choices.NoticeStatus.DRAFT,
    )
    units = models.ManyToManyField(
        Unit, verbose_name=_("通报单位"), through="NoticeUnit", blank=True, related_name="notices"
    )
    pdf = models.FileField(_("PDF文件"), upload_to="notices/%Y/", blank=True)
    generated_at = models.DateTimeField(_("生成时间"), null=True, blank=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("通报")
        verbose_name_plural = _("通报")
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=choices.NoticeStatus.PUBLISHED) | Q(issued_on__isnull=False),
                name="notice_published_has_date",
                violation_error_message=_("已发布的通报须有发文日期。"),
            ),
            models.UniqueConstraint(
                fields=["cycle", "kind"],
                condition=Q(cycle__isnull=False),
                name="notice_one_per_cycle_kind",
                violation_error_message=_("本周期已有该类型的通报。"),
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"


class NoticeUnit(BaseModel):
    """A unit named in a notice, praised or criticised, with the reason."""

    notice = models.ForeignKey(
        Notice, verbose_name=_("通报"), on_delete=models.CASCADE, related_name="named_units"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+"
    )
    is_criticism = models.BooleanField(_("批评通报"), default=True)
    reason = models.TextField(_("通报事由"))

    objects = NoticeUnitQuerySet.as_manager()
    scope_paths = ("unit",)

    class Meta:
        verbose_name = _("通报单位")
        verbose_name_plural = _("通报单位")
        constraints = [
            models.UniqueConstraint(
                fields=["notice", "unit"],
                name="notice_unit_unique",
                violation_error_message=_("该单位已在本通报中。"),
            )
        ]

    def __str__(self):
        return f"{self.notice.number}:{self.unit}"


class Inspection(BaseModel):
    """An inspection (督查): routine, concentrated or special, over some units."""

    kind = models.CharField(_("督查类型"), max_length=16, choices=choices.InspectionKind.choices)
    title = models.CharField(_("名称"), max_length=200)
    cycle = models.ForeignKey(
        SupervisionCycle,
        verbose_name=_("督查周期"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inspections",
    )
    started_on = models.DateField(_("开始日期"))
    ended_on = models.DateField(_("结束日期"))
    team_leader = models.CharField(_("带队领导"), max_length=32, blank=True)
    team = models.CharField(_("督查组成员"), max_length=255, blank=True)
    units = models.ManyToManyField(
        Unit, verbose_name=_("被督查单位"), blank=True, related_name="inspections"
    )
    summary = models.TextField(_("督查情况"), blank=True)
    plan = models.ForeignKey(
        "InspectionPlan",
        verbose_name=_("季度督查计划"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inspections",
    )

    scope_paths = ("units",)

    class Meta:
        verbose_name = _("督查")
        verbose_name_plural = _("督查")
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__gte=F("started_on")),
                name="inspection_dates_ordered",
                violation_error_message=_("结束日期不能早于开始日期。"),
            )
        ]

    def __str__(self):
        return self.title


class Finding(BaseModel):
    """A problem found at one unit (and maybe one project) that must be rectified."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("督查"), on_delete=models.CASCADE, related_name="findings"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="findings"
    )
    project = models.ForeignKey(
        Project,
        verbose_name=_("项目"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="findings",
    )
    description = models.TextField(_("问题描述"))
    severity = models.CharField(
        _("严重程度"),
        max_length=16,
        choices=choices.Severity.choices,
        default=choices.Severity.GENERAL,
    )
    required_rectification = models.TextField(_("整改要求"))
    deadline = models.DateField(_("整改时限"))
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=choices.FindingStatus.choices,
        default=choices.FindingStatus.OPEN,
    )
    closed_on = models.DateField(_("销号日期"), null=True, blank=True)

    scope_paths = ("unit",)
    scope_edit_paths = ("unit",)

    class Meta:
        verbose_name = _("督查问题")
        verbose_name_plural = _("督查问题")
        ordering = ["deadline", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=choices.FindingStatus.VERIFIED) | Q(closed_on__isnull=False),
                name="finding_verified_has_date",
                violation_error_message=_("已销号的问题须填写销号日期。"),
            )
        ]

    def __str__(self):
        return f"{self.unit}:{self.description[:30]}"


class Rectification(BaseModel):
    """The unit's rectification report on a finding and the commission's review."""

    finding = models.ForeignKey(
        Finding, verbose_name=_("问题"), on_delete=models.CASCADE, related_name="rectifications"
    )
    description = models.TextField(_("整改情况"))
    evidence = models.FileField(_("佐证材料"), upload_to="rectifications/%Y/", blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_on = models.DateField(_("提交日期"))
    review_comment = models.TextField(_("审核意见"), blank=True)
    accepted = models.BooleanField(_("审核通过"), null=True, blank=True)
    evidence_name = models.CharField(_("原文件名"), max_length=255, blank=True)
    evidence_type = models.CharField(_("文件类型"), max_length=100, blank=True)
    evidence_size = models.PositiveIntegerField(_("文件大小"), default=0)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_on = models.DateField(_("审核日期"), null=True, blank=True)

    scope_paths = ("finding__unit",)
    scope_edit_paths = ("finding__unit",)

    class Meta:
        verbose_name = _("整改报告")
        verbose_name_plural = _("整改报告")
        ordering = ["finding", "submitted_on"]

    def __str__(self):
        return f"{self.finding}({self.submitted_on})"


class SupervisionLetter(BaseModel):
    """A numbered supervision letter (督办函) to a lagging unit, with its reply."""

    code = models.UUIDField(_("编码"), default=uuid.uuid4, unique=True, editable=False)
    number = models.CharField(_("文号"), max_length=64, unique=True)
    title = models.CharField(_("标题"), max_length=200)
    cycle = models.ForeignKey(
        SupervisionCycle,
        verbose_name=_("督查周期"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="letters",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("督办单位"),
        on_delete=models.PROTECT,
        related_name="supervision_letters",
    )
    project = models.ForeignKey(
        Project,
        verbose_name=_("督办项目"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supervision_letters",
    )
    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("督办任务分解"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supervision_letters",
    )
    finding = models.ForeignKey(
        Finding,
        verbose_name=_("督办问题"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supervision_letters",
    )
    reason = models.CharField(_("督办事由"), max_length=24, choices=choices.LetterReason.choices)
    items = models.TextField(_("督办事项"))
    issued_on = models.DateField(_("发函日期"), null=True, blank=True)
    reply_deadline = models.DateField(_("回复时限"))
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=choices.LetterStatus.choices,
        default=choices.LetterStatus.DRAFT,
    )
    reply = models.TextField(_("回复内容"), blank=True)
    replied_on = models.DateField(_("回复日期"), null=True, blank=True)
    # What the letter is about, as one key ("project:12", "assignment:7",
    # "finding:3"): one open letter per unit, reason and subject.
    subject_key = models.CharField(_("督办对象"), max_length=32, blank=True, default="")

    scope_paths = ("unit",)
    scope_edit_paths = ("unit",)  # the unit writes its reply; issuing is the commission's

    class Meta:
        verbose_name = _("督办函")
        verbose_name_plural = _("督办函")
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(issued_on__isnull=True) | Q(reply_deadline__gte=F("issued_on")),
                name="letter_deadline_after_issue",
                violation_error_message=_("回复时限不能早于发函日期。"),
            ),
            models.CheckConstraint(
                condition=Q(status=choices.LetterStatus.DRAFT) | Q(issued_on__isnull=False),
                name="letter_issued_has_date",
                violation_error_message=_("已发出的督办函须有发函日期。"),
            ),
            models.UniqueConstraint(
                fields=["unit", "reason", "subject_key"],
                condition=~Q(subject_key="") & ~Q(status=choices.LetterStatus.CLOSED),
                name="letter_one_open_per_subject",
                violation_error_message=_("该单位就同一事由和对象已有未办结的督办函。"),
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    def clean(self):
        if self.project_id and self.assignment_id and self.assignment.project_id != self.project_id:
            raise ValidationError({"assignment": _("任务分解不属于所督办的项目。")})


class JointMeeting(BaseModel):
    """A joint meeting (联席会议) with the units present and its decisions."""

    title = models.CharField(_("会议名称"), max_length=200)
    held_on = models.DateField(_("召开日期"))
    host_unit = models.ForeignKey(
        Unit, verbose_name=_("召集单位"), on_delete=models.PROTECT, related_name="hosted_meetings"
    )
    units = models.ManyToManyField(
        Unit, verbose_name=_("参会单位"), blank=True, related_name="joint_meetings"
    )
    minutes = models.TextField(_("会议纪要"), blank=True)
    decisions = models.TextField(_("议定事项"), blank=True)

    scope_paths = ("host_unit", "units")
    scope_edit_paths = ("host_unit",)

    class Meta:
        verbose_name = _("联席会议")
        verbose_name_plural = _("联席会议")
        ordering = ["-held_on"]

    def __str__(self):
        return f"{self.held_on} {self.title}"


# --- Semiannual supervision reports (cycles/notices block) ---------------------------------


class SupervisionReport(BaseModel):
    """The half-year supervision report (督导报告) of one county or department
    for one semiannual cycle: the figures frozen when it was generated and
    its PDF. One per cycle and unit."""

    code = models.UUIDField(_("编码"), default=uuid.uuid4, unique=True, editable=False)
    cycle = models.ForeignKey(
        SupervisionCycle,
        verbose_name=_("督查周期"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="supervision_reports"
    )
    figures = models.JSONField(_("数据"), default=dict, blank=True)
    pdf = models.FileField(_("PDF文件"), upload_to="reports/%Y/", blank=True)
    generated_at = models.DateTimeField(_("生成时间"), null=True, blank=True)

    scope_paths = ("unit",)

    class Meta:
        verbose_name = _("督导报告")
        verbose_name_plural = _("督导报告")
        ordering = ["-cycle__period_start", "unit__code", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "unit"],
                name="report_one_per_cycle_unit",
                violation_error_message=_("该单位本周期的督导报告已存在。"),
            )
        ]

    def __str__(self):
        return f"{self.cycle} {self.unit}"


# --- Escalation ladder, inspection plans, meeting action items (h4b) ------------------------


class SupervisionReminder(BaseModel):
    """A reminder (催办) proposed by the monthly job for a lagging project,
    assignment or finding: the commission sends it to the unit, turns it into
    a supervision letter, or dismisses it."""

    unit = models.ForeignKey(
        Unit,
        verbose_name=_("催办单位"),
        on_delete=models.PROTECT,
        related_name="supervision_reminders",
    )
    reason = models.CharField(_("催办事由"), max_length=24, choices=choices.LetterReason.choices)
    subject_key = models.CharField(_("催办对象"), max_length=32)
    project = models.ForeignKey(
        Project,
        verbose_name=_("项目"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="supervision_reminders",
    )
    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("任务分解"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="supervision_reminders",
    )
    finding = models.ForeignKey(
        Finding,
        verbose_name=_("督查问题"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="supervision_reminders",
    )
    cycle = models.ForeignKey(
        SupervisionCycle,
        verbose_name=_("督查周期"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reminders",
    )
    detail = models.TextField(_("滞后情况"))
    due_date = models.DateField(_("完成时限"))
    proposed_on = models.DateField(_("提出日期"))
    respond_by = models.DateField(_("催办回复时限"), null=True, blank=True)
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=choices.ReminderStatus.choices,
        default=choices.ReminderStatus.PROPOSED,
    )
    letter = models.ForeignKey(
        SupervisionLetter,
        verbose_name=_("督办函"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reminders",
    )

    scope_paths = ("unit",)
    scope_edit_paths = ()  # only the commission handles reminders

    class Meta:
        verbose_name = _("催办")
        verbose_name_plural = _("催办")
        ordering = ["-proposed_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "reason", "subject_key"],
                condition=Q(status__in=choices.OPEN_REMINDER_STATES),
                name="reminder_one_open_per_subject",
                violation_error_message=_("该单位就同一事由和对象已有未处理的催办。"),
            ),
            models.CheckConstraint(
                condition=~Q(status=choices.ReminderStatus.SENT) | Q(respond_by__isnull=False),
                name="reminder_sent_has_deadline",
                violation_error_message=_("已催办的须填写回复时限。"),
            ),
        ]

    def __str__(self):
        return f"{self.unit}:{self.get_reason_display()}({self.subject_key})"


class LetterReply(BaseModel):
    """The unit's written answer to a supervision letter, with its evidence
    file, and the commission's review of it."""

    letter = models.ForeignKey(
        SupervisionLetter,
        verbose_name=_("督办函"),
        on_delete=models.CASCADE,
        related_name="replies",
    )
    content = models.TextField(_("回复内容"))
    evidence = models.FileField(_("佐证材料"), upload_to="letters/%Y/", blank=True)
    evidence_name = models.CharField(_("原文件名"), max_length=255, blank=True)
    evidence_type = models.CharField(_("文件类型"), max_length=100, blank=True)
    evidence_size = models.PositiveIntegerField(_("文件大小"), default=0)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("回复人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_on = models.DateField(_("回复日期"))
    accepted = models.BooleanField(_("审核通过"), null=True, blank=True)
    review_comment = models.TextField(_("审核意见"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_on = models.DateField(_("审核日期"), null=True, blank=True)

    scope_paths = ("letter__unit",)
    scope_edit_paths = ("letter__unit",)

    class Meta:
        verbose_name = _("督办回复")
        verbose_name_plural = _("督办回复")
        ordering = ["letter", "submitted_on", "pk"]

    def __str__(self):
        return f"{self.letter.number}({self.submitted_on})"


class Interview(BaseModel):
    """An interview (约谈) of a unit whose answer to a letter is overdue:
    scheduled by the daily job, then recorded by the commission."""

    letter = models.OneToOneField(
        SupervisionLetter,
        verbose_name=_("督办函"),
        on_delete=models.CASCADE,
        related_name="interview",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("约谈单位"), on_delete=models.PROTECT, related_name="interviews"
    )
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=choices.InterviewStatus.choices,
        default=choices.InterviewStatus.SCHEDULED,
    )
    deadline = models.DateField(_("约谈时限"))
    held_on = models.DateField(_("约谈日期"), null=True, blank=True)
    interviewers = models.CharField(_("约谈人"), max_length=200, blank=True)
    interviewees = models.CharField(_("被约谈人"), max_length=200, blank=True)
    minutes = models.TextField(_("约谈记录"), blank=True)
    commitments = models.TextField(_("整改承诺"), blank=True)

    scope_paths = ("unit",)
    scope_edit_paths = ()

    class Meta:
        verbose_name = _("约谈")
        verbose_name_plural = _("约谈")
        ordering = ["deadline", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=choices.InterviewStatus.HELD) | Q(held_on__isnull=False),
                name="interview_held_has_date",
                violation_error_message=_("已约谈的须填写约谈日期。"),
            )
        ]

    def __str__(self):
        return f"{self.unit}:{self.letter.number}"


class LetterNumberCounter(BaseModel):
    """The last number given to a supervision letter in a year; incremented
    under a row lock so that two letters issued at once never share one."""

    scope_paths = None  # a counter, not about any unit
    scope_edit_paths = ()

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    last = models.PositiveIntegerField(_("最后编号"), default=0)

    class Meta:
        verbose_name = _("督办函编号")
        verbose_name_plural = _("督办函编号")

    def __str__(self):
        return f"{self.year}:{self.last}"


class InspectionPlan(BaseModel):
    """The quarterly inspection plan (一季一督查): which units the commission
    inspects that quarter."""

    year = models.PositiveSmallIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(_("季度"))
    title = models.CharField(_("计划名称"), max_length=200)
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=choices.PlanStatus.choices,
        default=choices.PlanStatus.DRAFT,
    )
    units = models.ManyToManyField(
        Unit, verbose_name=_("督查单位"), blank=True, related_name="inspection_plans"
    )
    note = models.TextField(_("督查重点"), blank=True)

    scope_paths = ("units",)
    scope_edit_paths = ()

    class Meta:
        verbose_name = _("季度督查计划")
        verbose_name_plural = _("季度督查计划")
        ordering = ["-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "quarter"],
                name="inspection_plan_one_per_quarter",
                violation_error_message=_("该季度的督查计划已存在。"),
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1) & Q(quarter__lte=4),
                name="inspection_plan_quarter_range",
                violation_error_message=_("季度须为1至4。"),
            ),
        ]

    def __str__(self):
        return self.title


class MeetingActionItem(BaseModel):
    """A decision of a joint meeting that one unit must carry out by a date."""

    meeting = models.ForeignKey(
        JointMeeting,
        verbose_name=_("联席会议"),
        on_delete=models.CASCADE,
        related_name="action_items",
    )
    description = models.TextField(_("议定事项"))
    owner_unit = models.ForeignKey(
        Unit, verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="action_items"
    )
    due_on = models.DateField(_("完成时限"))
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=choices.ActionItemStatus.choices,
        default=choices.ActionItemStatus.OPEN,
    )
    done_on = models.DateField(_("办结日期"), null=True, blank=True)
    done_note = models.TextField(_("办理情况"), blank=True)

    scope_paths = ("owner_unit", "meeting__host_unit")
    scope_edit_paths = ("owner_unit",)

    class Meta:
        verbose_name = _("会议议定事项")
        verbose_name_plural = _("会议议定事项")
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=choices.ActionItemStatus.DONE) | Q(done_on__isnull=False),
                name="action_item_done_has_date",
                violation_error_message=_("已办结的事项须填写办结日期。"),
            )
        ]

    def __str__(self):
        return f"{self.owner_unit}:{self.description[:30]}"

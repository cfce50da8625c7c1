from django.db import models
from django.utils.translation import gettext_lazy as _


class CycleKind(models.TextChoices):
    MONTHLY = "monthly", _("月度通报")
    QUARTERLY = "quarterly", _("季度督查")
    SEMIANNUAL = "semiannual", _("半年督导")
    ANNUAL = "annual", _("年度考核")


class CycleStatus(models.TextChoices):
    OPEN = "open", _("进行中")
    CLOSED = "closed", _("已结束")


class NoticeStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    REVIEWED = "reviewed", _("已审核")
    PUBLISHED = "published", _("已发布")


class NoticeKind(models.TextChoices):
    MONTHLY = "monthly", _("月度进展通报")
    INSPECTION = "inspection", _("督查情况通报")
    OTHER = "other", _("其他通报")


class InspectionKind(models.TextChoices):
    ROUTINE = "routine", _("日常督查")
    CONCENTRATED = "concentrated", _("集中督查")
    SPECIAL = "special", _("专项检查")


class Severity(models.TextChoices):
    MINOR = "minor", _("轻微")
    GENERAL = "general", _("一般")
    SERIOUS = "serious", _("严重")


class FindingStatus(models.TextChoices):
    OPEN = "open", _("待整改")
    RECTIFYING = "rectifying", _("整改中")
    SUBMITTED = "submitted", _("已提交")
    VERIFIED = "verified", _("已销号")
    RETURNED = "returned", _("已退回")


class LetterStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    ISSUED = "issued", _("已发出")
    ANSWERED = "answered", _("已回复")
    CLOSED = "closed", _("已办结")
    ESCALATED = "escalated", _("已转约谈")
    RETURNED = "returned", _("已退回")


class LetterReason(models.TextChoices):
    LAGGING_PROJECT = "lagging_project", _("项目进展缓慢")
    OVERDUE_RECTIFICATION = "overdue_rectification", _("整改逾期")
    OTHER = "other", _("其他")


# --- Escalation ladder, inspection plans, meeting action items (h4b) -----------------


class ReminderStatus(models.TextChoices):
    PROPOSED = "proposed", _("待处理")
    SENT = "sent", _("已催办")
    LETTER = "letter", _("已发督办函")
    DISMISSED = "dismissed", _("已撤销")


# A reminder in one of these states blocks a second one on the same subject.
OPEN_REMINDER_STATES = (ReminderStatus.PROPOSED, ReminderStatus.SENT)


class InterviewStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("待约谈")
    HELD = "held", _("已约谈")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    APPROVED = "approved", _("已确定")


class ActionItemStatus(models.TextChoices):
    OPEN = "open", _("办理中")
    DONE = "done", _("已办结")

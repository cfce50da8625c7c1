from django.db import models
from django.utils.translation import gettext_lazy as _


class SchemeStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    ACTIVE = "active", _("已启用")
    FROZEN = "frozen", _("已冻结")


class RuleKind(models.TextChoices):
    AUTO = "auto", _("自动计分")
    MANUAL = "manual", _("人工评分")
    BONUS = "bonus", _("加分项")
    DEDUCTION = "deduction", _("扣分项")
    VETO = "veto", _("一票否决")


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("待评分")
    SELF_SCORED = "self_scored", _("已自评")
    REVIEWED = "reviewed", _("已审核")
    PUBLISHED = "published", _("已公布")


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    GOOD = "good", _("良好")
    FAIR = "fair", _("一般")
    POOR = "poor", _("较差")


class SheetKind(models.TextChoices):
    PDF = "pdf", _("PDF评分表")
    XLSX = "xlsx", _("XLSX汇总表")

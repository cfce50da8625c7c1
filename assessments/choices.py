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


class AssessmentGroup(models.TextChoices):
    """Comparable groups: units are ranked only against their peers."""

    COUNTY = "county", _("县区")
    DEPARTMENT = "department", _("市直和省属单位")
    TOWNSHIP = "township", _("乡镇(街道)")


class CadreGrade(models.TextChoices):
    """A leader's annual cadre assessment (干部年度考核) result."""

    EXCELLENT = "excellent", _("优秀")
    COMPETENT = "competent", _("称职")
    BASIC = "basic", _("基本称职")
    INCOMPETENT = "incompetent", _("不称职")


class DeductionSource(models.TextChoices):
    AUTO = "auto", _("自动计分")
    MANUAL = "manual", _("人工评分")


class ProposalKind(models.TextChoices):
    COMMENDATION = "commendation", _("表彰")
    ACCOUNTABILITY = "accountability", _("责任追究")


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("未批准")

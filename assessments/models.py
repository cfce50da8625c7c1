"""Judging the work: the yearly assessment scheme and its indicators, one
assessment per unit, the scores, and the generated score sheets."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accountability.choices import UnitTier
from accountability.models import Unit
from assessments import choices
from pingxiang_cf.models import BaseModel


class AssessmentScheme(BaseModel):
    """The year's assessment measures and work plan (考核办法 + 年度考核工作方案)."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    title = models.CharField(_("名称"), max_length=200)
    document_number = models.CharField(_("文号"), max_length=64, blank=True)
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=choices.SchemeStatus.choices,
        default=choices.SchemeStatus.DRAFT,
    )
    excellent_from = models.DecimalField(
        _("优秀分数线"), max_digits=5, decimal_places=2, default=Decimal("90")
    )
    good_from = models.DecimalField(
        _("良好分数线"), max_digits=5, decimal_places=2, default=Decimal("80")
    )
    fair_from = models.DecimalField(
        _("一般分数线"), max_digits=5, decimal_places=2, default=Decimal("60")
    )

    class Meta:
        verbose_name = _("考核方案")
        verbose_name_plural = _("考核方案")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    excellent_from__gt=F("good_from"),
                    good_from__gt=F("fair_from"),
                    fair_from__gte=0,
                ),
                name="scheme_grade_thresholds_ordered",
                violation_error_message=_("等次分数线须满足:优秀 > 良好 > 一般 ≥ 0。"),
            )
        ]

    def __str__(self):
        return self.title


class Indicator(BaseModel):
    """An indicator with its maximum points and its scoring rule."""

    scheme = models.ForeignKey(
        AssessmentScheme,
        verbose_name=_("考核方案"),
        on_delete=models.CASCADE,
        related_name="indicators",
    )
    category = models.CharField(_("指标类别"), max_length=64)
    code = models.CharField(_("指标编码"), max_length=16)
    name = models.CharField(_("指标名称"), max_length=200)
    max_points = models.DecimalField(_("分值"), max_digits=5, decimal_places=2)
    rule_kind = models.CharField(_("计分方式"), max_length=16, choices=choices.RuleKind.choices)
    rule_code = models.CharField(
        _("计分规则"), max_length=64, blank=True, help_text=_("自动计分规则的名称")
    )
    criteria = models.TextField(_("评分标准"), blank=True)
    applies_to_tier = models.CharField(
        _("适用层级"), max_length=16, choices=UnitTier.choices, blank=True
    )
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("考核指标")
        verbose_name_plural = _("考核指标")
        ordering = ["scheme", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "code"],
                name="indicator_unique_code",
                violation_error_message=_("指标编码在本方案中重复。"),
            ),
            models.CheckConstraint(
                condition=Q(max_points__gte=0),
                name="indicator_max_points_non_negative",
                violation_error_message=_("分值不能为负数。"),
            ),
            models.CheckConstraint(
                condition=~Q(rule_kind=choices.RuleKind.AUTO) | ~Q(rule_code=""),
                name="indicator_auto_has_rule",
                violation_error_message=_("自动计分指标须指定计分规则。"),
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}({self.max_points}分)"


class UnitAssessment(BaseModel):
    """One unit's assessment under a scheme, with its result and rank."""

    scheme = models.ForeignKey(
        AssessmentScheme,
        verbose_name=_("考核方案"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("被考核单位"), on_delete=models.PROTECT, related_name="assessments"
    )
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=choices.AssessmentStatus.choices,
        default=choices.AssessmentStatus.DRAFT,
    )
    total = models.DecimalField(_("总分"), max_digits=6, decimal_places=2, null=True, blank=True)
    grade = models.CharField(_("等次"), max_length=16, choices=choices.Grade.choices, blank=True)
    rank = models.PositiveIntegerField(_("排名"), null=True, blank=True)
    self_comment = models.TextField(_("单位自评意见"), blank=True)
    conduct_score = models.DecimalField(
        _("党风廉政建设责任制考核得分"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    published_on = models.DateField(_("公布日期"), null=True, blank=True)

    scope_paths = ("unit",)
    scope_edit_paths = ("unit",)  # self-scoring and comments

    class Meta:
        verbose_name = _("单位考核")
        verbose_name_plural = _("单位考核")
        ordering = ["scheme", "rank", "unit"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "unit"],
                name="assessment_one_per_unit",
                violation_error_message=_("该单位在本年度已有考核记录。"),
            ),
            models.CheckConstraint(
                condition=Q(total__isnull=True) | Q(total__gte=0, total__lte=200),
                name="assessment_total_range",
                violation_error_message=_("总分超出有效范围。"),
            ),
        ]

    def __str__(self):
        return f"{self.scheme.year} {self.unit}"


class Score(BaseModel):
    """Points given on one indicator. `max_points` is copied from the
    indicator when the score is written so the database itself can refuse
    points above the maximum."""

    assessment = models.ForeignKey(
        UnitAssessment, verbose_name=_("单位考核"), on_delete=models.CASCADE, related_name="scores"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("考核指标"), on_delete=models.PROTECT, related_name="scores"
    )
    points = models.DecimalField(_("得分"), max_digits=5, decimal_places=2)
    max_points = models.DecimalField(_("分值"), max_digits=5, decimal_places=2)
    self_points = models.DecimalField(
        _("自评分"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    reason = models.TextField(_("评分理由/扣分说明"), blank=True)
    inputs = models.JSONField(_("计分依据"), default=dict, blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评分人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    scope_paths = ("assessment__unit",)

    class Meta:
        verbose_name = _("指标得分")
        verbose_name_plural = _("指标得分")
        ordering = ["assessment", "indicator__sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "indicator"],
                name="score_one_per_indicator",
                violation_error_message=_("该指标已评分。"),
            ),
            models.CheckConstraint(
                condition=Q(points__gte=0, points__lte=F("max_points")),
                name="score_within_max",
                violation_error_message=_("得分须在0到该指标分值之间。"),
            ),
        ]

    def __str__(self):
        return f"{self.indicator.code}:{self.points}"

    def clean(self):
        if self.indicator_id:
            if self.max_points is not None and self.max_points != self.indicator.max_points:
                raise ValidationError({"max_points": _("分值须与指标分值一致。")})
            if self.assessment_id and self.indicator.scheme_id != self.assessment.scheme_id:
                raise ValidationError({"indicator": _("指标不属于本次考核的方案。")})
            if (
                self.points is not None
                and self.points < self.indicator.max_points
                and self.indicator.rule_kind == choices.RuleKind.MANUAL
                and not self.reason.strip()
            ):
                raise ValidationError({"reason": _("人工评分扣分须填写扣分理由。")})


class ScoreSheet(BaseModel):
    """A generated score sheet (PDF per unit, XLSX summary)."""

    scheme = models.ForeignKey(
        AssessmentScheme,
        verbose_name=_("考核方案"),
        on_delete=models.CASCADE,
        related_name="sheets",
    )
    assessment = models.ForeignKey(
        UnitAssessment,
        verbose_name=_("单位考核"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="sheets",
    )
    kind = models.CharField(_("类型"), max_length=8, choices=choices.SheetKind.choices)
    file = models.FileField(_("文件"), upload_to="score-sheets/%Y/")
    generated_at = models.DateTimeField(_("生成时间"), auto_now=True)

    scope_paths = ("assessment__unit",)

    class Meta:
        verbose_name = _("评分表")
        verbose_name_plural = _("评分表")
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "assessment", "kind"],
                condition=Q(assessment__isnull=False),
                name="score_sheet_unique",
                violation_error_message=_("该评分表已生成。"),
            ),
            # The summary sheet has no assessment, and NULLs never collide in a
            # plain unique constraint, so it has its own.
            models.UniqueConstraint(
                fields=["scheme", "kind"],
                condition=Q(assessment__isnull=True),
                name="score_sheet_summary_unique",
                violation_error_message=_("该评分表已生成。"),
            ),
        ]

    def __str__(self):
        return f"{self.scheme.year} {self.get_kind_display()}"

    def clean(self):
        if self.assessment_id and self.scheme_id and self.assessment.scheme_id != self.scheme_id:
            raise ValidationError({"assessment": _("单位考核不属于该考核方案。")})

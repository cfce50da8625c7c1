"""Judging the work: the yearly assessment scheme and its indicators, one
assessment per unit, the scores, and the generated score sheets."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accountability.choices import AccountabilityMeasure, OutcomeSource, UnitTier
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
    bonus_cap = models.DecimalField(
        _("加分上限"), max_digits=5, decimal_places=2, default=Decimal("5")
    )
    deduction_cap = models.DecimalField(
        _("扣分上限"), max_digits=5, decimal_places=2, default=Decimal("10")
    )
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("复制自"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("启动考核时间"), null=True, blank=True)

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
            ),
            models.CheckConstraint(
                condition=Q(bonus_cap__gte=0, deduction_cap__gte=0),
                name="scheme_caps_non_negative",
                violation_error_message=_("加分上限和扣分上限不能为负数。"),
            ),
        ]

    @property
    def is_editable(self) -> bool:
        """Indicators may change only while the scheme is a draft."""
        return self.status == choices.SchemeStatus.DRAFT

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
    applies_to_kinds = models.JSONField(
        _("适用单位类别"), default=list, blank=True, help_text=_("为空表示适用于所有类别")
    )
    params = models.JSONField(
        _("规则参数"), default=dict, blank=True, help_text=_("如每项扣分 per_item")
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
            models.CheckConstraint(
                condition=~Q(rule_kind=choices.RuleKind.MANUAL) | Q(rule_code=""),
                name="indicator_manual_has_no_rule",
                violation_error_message=_("人工评分指标不能指定自动计分规则。"),
            ),
            models.CheckConstraint(
                condition=~Q(rule_kind=choices.RuleKind.VETO) | Q(max_points=0),
                name="indicator_veto_has_no_points",
                violation_error_message=_("一票否决项不设分值,分值须为0。"),
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}({self.max_points}分)"

    @property
    def is_regular(self) -> bool:
        """Counts towards the 100 points (automatic or manual indicator)."""
        return self.rule_kind in (choices.RuleKind.AUTO, choices.RuleKind.MANUAL)

    @property
    def is_automatic(self) -> bool:
        return bool(self.rule_code)

    def applies_to(self, unit) -> bool:
        if self.applies_to_tier and unit.tier != self.applies_to_tier:
            return False
        return not self.applies_to_kinds or unit.kind in self.applies_to_kinds

    def clean(self):
        if self.scheme_id and self.scheme.status != choices.SchemeStatus.DRAFT:
            # The services say so first; this keeps the admin from editing a frozen scheme.
            raise ValidationError(_("考核方案已启用,指标已冻结,不能修改。"))
        if self.rule_code:
            from assessments.rules import RULES  # the registry imports models

            if self.rule_code not in RULES:
                raise ValidationError(
                    {"rule_code": _("没有名为“%(code)s”的计分规则。") % {"code": self.rule_code}}
                )
        if not isinstance(self.applies_to_kinds, list):
            raise ValidationError({"applies_to_kinds": _("适用单位类别须为列表。")})


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
    group = models.CharField(
        _("考核组别"), max_length=16, choices=choices.AssessmentGroup.choices, blank=True
    )
    base_points = models.DecimalField(
        _("指标得分"), max_digits=6, decimal_places=2, default=Decimal("0")
    )
    bonus_points = models.DecimalField(
        _("加分"), max_digits=6, decimal_places=2, default=Decimal("0")
    )
    deduction_points = models.DecimalField(
        _("扣分"), max_digits=6, decimal_places=2, default=Decimal("0")
    )
    vetoed = models.BooleanField(_("一票否决"), default=False)
    veto_reason = models.TextField(_("否决事由"), blank=True)
    computed_at = models.DateTimeField(_("计分时间"), null=True, blank=True)
    conduct_comment = models.TextField(_("党风廉政建设责任制考核意见"), blank=True)
    previous_total = models.DecimalField(
        _("上年总分"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    previous_rank = models.PositiveIntegerField(_("上年排名"), null=True, blank=True)
    change_reasons = models.JSONField(_("分数变化原因"), default=list, blank=True)

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
            models.CheckConstraint(
                condition=Q(bonus_points__gte=0, deduction_points__gte=0, base_points__gte=0),
                name="assessment_parts_non_negative",
                violation_error_message=_("得分、加分和扣分不能为负数。"),
            ),
        ]

    def __str__(self):
        return f"{self.scheme.year} {self.unit}"

    @property
    def is_frozen(self) -> bool:
        return self.status == choices.AssessmentStatus.PUBLISHED

    @property
    def change(self):
        if self.total is None or self.previous_total is None:
            return None
        return self.total - self.previous_total


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
    self_comment = models.TextField(_("单位说明"), blank=True)
    vetoed = models.BooleanField(_("否决"), default=False)
    pending = models.BooleanField(_("待评分"), default=False)

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


class Deduction(BaseModel):
    """One line of the deduction ledger (扣分台账): why points were lost (or,
    on a bonus item, won) on one score, with its evidence. Automatic lines
    name the record that caused them; manual lines need a reason and evidence."""

    score = models.ForeignKey(
        Score, verbose_name=_("指标得分"), on_delete=models.CASCADE, related_name="deductions"
    )
    points = models.DecimalField(_("分值"), max_digits=5, decimal_places=2)
    reason = models.TextField(_("理由"))
    evidence = models.CharField(_("依据/佐证"), max_length=255, blank=True)
    source = models.CharField(
        _("来源"),
        max_length=16,
        choices=choices.DeductionSource.choices,
        default=choices.DeductionSource.MANUAL,
    )
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    scope_paths = ("score__assessment__unit",)

    class Meta:
        verbose_name = _("扣分明细")
        verbose_name_plural = _("扣分明细")
        ordering = ["score", "sort_order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(points__gte=0),
                name="deduction_points_non_negative",
                violation_error_message=_("扣分分值不能为负数。"),
            ),
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="deduction_has_reason",
                violation_error_message=_("每项扣分须填写扣分理由。"),
            ),
            models.CheckConstraint(
                condition=~Q(source=choices.DeductionSource.MANUAL) | ~Q(evidence=""),
                name="deduction_manual_has_evidence",
                violation_error_message=_("人工扣分须注明依据或佐证材料。"),
            ),
        ]

    def __str__(self):
        return f"{self.points}:{self.reason[:30]}"


class LeaderReview(BaseModel):
    """三者同步: a leader's annual cadre assessment result, linked to the unit's
    assessment of the same year."""

    assessment = models.ForeignKey(
        UnitAssessment,
        verbose_name=_("单位考核"),
        on_delete=models.CASCADE,
        related_name="leader_reviews",
    )
    official = models.ForeignKey(
        "accountability.Official",
        verbose_name=_("领导干部"),
        on_delete=models.PROTECT,
        related_name="assessment_reviews",
    )
    cadre_grade = models.CharField(
        _("干部年度考核等次"), max_length=16, choices=choices.CadreGrade.choices, blank=True
    )
    comment = models.TextField(_("考核意见"), blank=True)

    scope_paths = ("assessment__unit",)

    class Meta:
        verbose_name = _("领导干部年度考核")
        verbose_name_plural = _("领导干部年度考核")
        ordering = ["assessment", "official__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "official"],
                name="leader_review_unique",
                violation_error_message=_("该干部已在本单位考核中。"),
            )
        ]

    def __str__(self):
        return f"{self.assessment}:{self.official.name}"

    def clean(self):
        if (
            self.assessment_id
            and self.official_id
            and self.official.unit_id != self.assessment.unit_id
        ):
            raise ValidationError({"official": _("只能关联本单位的领导干部。")})


class OutcomeProposal(BaseModel):
    """A commendation or accountability case proposed by the commission from
    the published ranking or the year's findings; approving it writes the
    register row (accountability.Commendation / AccountabilityCase)."""

    scheme = models.ForeignKey(
        AssessmentScheme,
        verbose_name=_("考核方案"),
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    kind = models.CharField(_("类型"), max_length=16, choices=choices.ProposalKind.choices)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    official = models.ForeignKey(
        "accountability.Official",
        verbose_name=_("干部"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source = models.CharField(_("来源"), max_length=16, choices=OutcomeSource.choices)
    source_assessment = models.ForeignKey(
        UnitAssessment,
        verbose_name=_("来源考核"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    source_finding = models.ForeignKey(
        "inspections.Finding",
        verbose_name=_("来源问题"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("表彰名称"), max_length=128, blank=True)
    reason = models.TextField(_("事由"))
    measure = models.CharField(
        _("处理方式"), max_length=24, choices=AccountabilityMeasure.choices, blank=True
    )
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=choices.ProposalStatus.choices,
        default=choices.ProposalStatus.PROPOSED,
    )
    document_number = models.CharField(_("决定文号"), max_length=64, blank=True)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    commendation = models.OneToOneField(
        "accountability.Commendation",
        verbose_name=_("表彰记录"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    case = models.OneToOneField(
        "accountability.AccountabilityCase",
        verbose_name=_("责任追究记录"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    scope_paths = ("unit", "official__unit")

    class Meta:
        verbose_name = _("表彰和责任追究建议")
        verbose_name_plural = _("表彰和责任追究建议")
        ordering = ["scheme", "kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(unit__isnull=False) & Q(official__isnull=True))
                | (Q(unit__isnull=True) & Q(official__isnull=False)),
                name="proposal_one_subject",
                violation_error_message=_("单位和干部须且只能填写其中一项。"),
            ),
            models.CheckConstraint(
                condition=~Q(kind=choices.ProposalKind.ACCOUNTABILITY) | ~Q(measure=""),
                name="proposal_case_has_measure",
                violation_error_message=_("责任追究建议须选择处理方式。"),
            ),
            models.CheckConstraint(
                condition=~Q(kind=choices.ProposalKind.COMMENDATION) | ~Q(title=""),
                name="proposal_commendation_has_title",
                violation_error_message=_("表彰建议须填写表彰名称。"),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}:{self.unit or self.official}"

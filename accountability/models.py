"""Who is responsible: the unit tree, people, roles, leading groups,
responsibility letters, integrity-risk posts, commendations and
accountability cases."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accountability import choices
from pingxiang_cf.fields import EncryptedTextField
from pingxiang_cf.models import BaseModel
from pingxiang_cf.roles import Role


class Unit(BaseModel):
    """A unit in the tree: city → counties / departments → townships → points.

    `path` is the materialised path of primary keys ("/1/7/42/"), kept by
    accountability.services; "units below" is a prefix match on it."""

    code = models.CharField(_("单位编码"), max_length=32, unique=True)
    name = models.CharField(_("单位名称"), max_length=128)
    short_name = models.CharField(_("简称"), max_length=64, blank=True)
    tier = models.CharField(_("层级"), max_length=16, choices=choices.UnitTier.choices)
    kind = models.CharField(_("类别"), max_length=32, choices=choices.UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(
        _("层级路径"), max_length=255, blank=True, db_index=True, editable=False
    )
    depth = models.PositiveSmallIntegerField(_("深度"), default=0, editable=False)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("在用"), default=True)

    scope_paths = ("pk",)
    # The system administrator picks units when granting roles.
    scope_admin_view_roles = (Role.SYSTEM_ADMIN,)

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["path"]

    def __str__(self):
        return self.name

    def clean(self):
        if self.parent_id and self.pk and self.path and self.parent.path.startswith(self.path):
            raise ValidationError({"parent": _("上级单位不能是本单位或其下级单位。")})
        if self.tier == choices.UnitTier.CITY and self.parent_id:
            raise ValidationError({"parent": _("市级单位不能有上级单位。")})
        if self.tier != choices.UnitTier.CITY and not self.parent_id:
            raise ValidationError({"parent": _("请选择上级单位。")})

    def is_below(self, other: "Unit") -> bool:
        """True if this unit is strictly below `other` in the tree."""
        return self.pk != other.pk and self.path.startswith(other.path)


class Section(BaseModel):
    """A section (科室) inside a unit; the target of an inner split."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="sections"
    )
    name = models.CharField(_("科室名称"), max_length=64)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    scope_paths = ("unit",)
    scope_edit_paths = ("unit",)

    class Meta:
        verbose_name = _("内设科室")
        verbose_name_plural = _("内设科室")
        ordering = ["unit", "sort_order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "name"],
                name="section_unique_name_per_unit",
                violation_error_message=_("本单位已有同名科室。"),
            )
        ]

    def __str__(self):
        return f"{self.unit.short_name or self.unit.name}·{self.name}"


class Official(BaseModel):
    """A person who holds a post: unit head, responsible person, leader."""

    code = models.UUIDField(_("编码"), default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("姓名"), max_length=32)
    unit = models.ForeignKey(
        Unit, verbose_name=_("所在单位"), on_delete=models.PROTECT, related_name="officials"
    )
    section = models.ForeignKey(
        Section,
        verbose_name=_("所在科室"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="officials",
    )
    post = models.CharField(_("职务"), max_length=64)
    rank = models.CharField(
        _("职级"),
        max_length=16,
        choices=choices.OfficialRank.choices,
        default=choices.OfficialRank.OTHER,
    )
    # Personal data, encrypted at rest (pingxiang_cf/fields.py) and masked in lists.
    phone = EncryptedTextField(_("联系电话"), blank=True)
    id_number = EncryptedTextField(_("身份证号"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("系统账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="official",
    )
    is_active = models.BooleanField(_("在职"), default=True)

    scope_paths = ("unit",)
    scope_edit_paths = ("unit",)

    class Meta:
        verbose_name = _("干部")
        verbose_name_plural = _("干部")
        ordering = ["unit", "name"]

    def __str__(self):
        return f"{self.name}({self.post})"

    def clean(self):
        if self.section_id and self.section.unit_id != self.unit_id:
            raise ValidationError({"section": _("所选科室不属于该干部所在单位。")})

    @property
    def is_county_level_leader(self) -> bool:
        return self.rank in (choices.OfficialRank.COUNTY, choices.OfficialRank.PROVINCIAL)


class Membership(BaseModel):
    """A user's role in a unit; its reach is the unit and every unit below."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices)

    scope_paths = ("unit",)
    # 三员分立: the system administrator grants and withdraws roles.
    scope_admin_roles = (Role.SYSTEM_ADMIN,)

    class Meta:
        verbose_name = _("用户角色")
        verbose_name_plural = _("用户角色")
        ordering = ["user", "unit"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "unit", "role"],
                name="membership_unique",
                violation_error_message=_("该用户在此单位已有此角色。"),
            )
        ]

    def __str__(self):
        return f"{self.user} @ {self.unit}: {self.get_role_display()}"


class LeadingGroup(BaseModel):
    """A leading group (领导小组) for the system's work, with its office (惩防办)."""

    name = models.CharField(_("名称"), max_length=128)
    unit = models.ForeignKey(
        Unit, verbose_name=_("所属单位"), on_delete=models.PROTECT, related_name="leading_groups"
    )
    established_on = models.DateField(_("成立日期"))
    dissolved_on = models.DateField(_("撤销日期"), null=True, blank=True)
    office_name = models.CharField(_("办公室"), max_length=128, blank=True)
    document_number = models.CharField(_("成立文号"), max_length=64, blank=True)

    scope_paths = ("unit",)
    scope_edit_paths = ("unit",)

    class Meta:
        verbose_name = _("领导小组")
        verbose_name_plural = _("领导小组")
        ordering = ["unit", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=F("established_on")),
                name="leading_group_dates_ordered",
                violation_error_message=_("撤销日期不能早于成立日期。"),
            )
        ]

    def __str__(self):
        return self.name


class LeadingGroupMember(BaseModel):
    """An official's seat in a leading group over a period (changes kept)."""

    group = models.ForeignKey(
        LeadingGroup, verbose_name=_("领导小组"), on_delete=models.CASCADE, related_name="members"
    )
    official = models.ForeignKey(
        Official, verbose_name=_("干部"), on_delete=models.PROTECT, related_name="group_seats"
    )
    position = models.CharField(_("职位"), max_length=16, choices=choices.GroupPosition.choices)
    start_on = models.DateField(_("任职起"))
    end_on = models.DateField(_("任职止"), null=True, blank=True)

    scope_paths = ("group__unit",)
    scope_edit_paths = ("group__unit",)

    class Meta:
        verbose_name = _("领导小组成员")
        verbose_name_plural = _("领导小组成员")
        ordering = ["group", "position", "start_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gte=F("start_on")),
                name="group_member_dates_ordered",
                violation_error_message=_("任职止日期不能早于任职起日期。"),
            )
        ]

    def __str__(self):
        return f"{self.group}·{self.get_position_display()}·{self.official.name}"


class ResponsibilityLetter(BaseModel):
    """A responsibility letter (责任书): party A (issuer) and party B (recipient
    unit or section) for one year; letters cascade through `parent`."""

    code = models.UUIDField(_("编码"), default=uuid.uuid4, unique=True, editable=False)
    year = models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    level = models.CharField(_("签订层级"), max_length=24, choices=choices.LetterLevel.choices)
    title = models.CharField(_("标题"), max_length=200)
    issuer_unit = models.ForeignKey(
        Unit, verbose_name=_("甲方单位"), on_delete=models.PROTECT, related_name="letters_issued"
    )
    issuer_signatory = models.ForeignKey(
        Official,
        verbose_name=_("甲方签字人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recipient_unit = models.ForeignKey(
        Unit, verbose_name=_("乙方单位"), on_delete=models.PROTECT, related_name="letters_received"
    )
    recipient_section = models.ForeignKey(
        Section,
        verbose_name=_("乙方科室"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="letters",
    )
    recipient_signatory = models.ForeignKey(
        Official,
        verbose_name=_("乙方签字人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级责任书"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cascaded",
    )
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=choices.LetterStatus.choices,
        default=choices.LetterStatus.DRAFT,
    )
    signed_on = models.DateField(_("签订日期"), null=True, blank=True)
    scanned_copy = models.FileField(_("签字扫描件"), upload_to="letters/%Y/", blank=True)
    scanned_name = models.CharField(_("扫描件原文件名"), max_length=255, blank=True)

    scope_paths = ("issuer_unit", "recipient_unit")
    scope_edit_paths = ("issuer_unit",)

    class Meta:
        verbose_name = _("责任书")
        verbose_name_plural = _("责任书")
        ordering = ["-year", "issuer_unit", "recipient_unit"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "issuer_unit", "recipient_unit"],
                condition=Q(recipient_section__isnull=True),
                name="letter_unique_unit_per_year",
                violation_error_message=_("该年度已与该单位签订责任书。"),
            ),
            models.UniqueConstraint(
                fields=["year", "recipient_section"],
                condition=Q(recipient_section__isnull=False),
                name="letter_unique_section_per_year",
                violation_error_message=_("该年度已与该科室签订责任书。"),
            ),
            models.CheckConstraint(
                condition=~Q(status=choices.LetterStatus.SIGNED) | Q(signed_on__isnull=False),
                name="letter_signed_has_date",
                violation_error_message=_("已签订的责任书须填写签订日期。"),
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.recipient_section_id and self.recipient_section.unit_id != self.issuer_unit_id:
            raise ValidationError({"recipient_section": _("只能与本单位的内设科室签订责任书。")})
        if (
            self.recipient_section_id
            and self.recipient_unit_id
            and self.recipient_section.unit_id != self.recipient_unit_id
        ):
            raise ValidationError(
                {"recipient_unit": _("与科室签订时,乙方单位须是该科室所在单位。")}
            )
        if (
            self.issuer_unit_id
            and self.issuer_unit_id == self.recipient_unit_id
            and not self.recipient_section_id
        ):
            raise ValidationError({"recipient_unit": _("甲乙双方不能是同一单位。")})


class LetterClause(BaseModel):
    """One numbered commitment in a letter, linked to what it commits to."""

    letter = models.ForeignKey(
        ResponsibilityLetter,
        verbose_name=_("责任书"),
        on_delete=models.CASCADE,
        related_name="clauses",
    )
    number = models.PositiveSmallIntegerField(_("序号"))
    text = models.TextField(_("条款内容"))
    # Upward links by string reference (DESIGN.md §4): a missed target or a
    # lost point leads back to the clause that promised it.
    target = models.ForeignKey(
        "projects.Target",
        verbose_name=_("对应量化目标"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="clauses",
    )
    indicator = models.ForeignKey(
        "assessments.Indicator",
        verbose_name=_("对应考核指标"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="clauses",
    )

    scope_paths = ("letter__issuer_unit", "letter__recipient_unit")
    scope_edit_paths = ("letter__issuer_unit",)

    class Meta:
        verbose_name = _("责任条款")
        verbose_name_plural = _("责任条款")
        ordering = ["letter", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["letter", "number"],
                name="clause_unique_number",
                violation_error_message=_("条款序号重复。"),
            )
        ]

    def __str__(self):
        return f"{self.number}. {self.text[:40]}"


class RiskPost(BaseModel):
    """A risk post (风险岗位) of a unit for one review year (分岗确权)."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="risk_posts"
    )
    section = models.ForeignKey(
        Section,
        verbose_name=_("科室"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="risk_posts",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    name = models.CharField(_("岗位名称"), max_length=64)
    duties = models.TextField(_("岗位职责"), blank=True)
    oversight_tier = models.CharField(
        _("监管层级"),
        max_length=24,
        choices=choices.OversightTier.choices,
        default=choices.OversightTier.UNIT,
    )
    # Upward link by string reference: the Sunshine Program projects that treat this post.
    projects = models.ManyToManyField(
        "projects.Project",
        verbose_name=_("对应阳光工程项目"),
        blank=True,
        related_name="risk_posts",
    )

    scope_paths = ("unit",)
    scope_edit_paths = ("unit",)

    class Meta:
        verbose_name = _("风险岗位")
        verbose_name_plural = _("风险岗位")
        ordering = ["unit", "-year", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "name"],
                name="risk_post_unique_per_year",
                violation_error_message=_("本单位该年度已有同名风险岗位。"),
            )
        ]

    def __str__(self):
        return f"{self.unit.short_name or self.unit.name}·{self.name}({self.year})"

    def clean(self):
        if self.section_id and self.section.unit_id != self.unit_id:
            raise ValidationError({"section": _("所选科室不属于该单位。")})


class RiskPower(BaseModel):
    """A power held by a post (职权), from the unit's power list."""

    post = models.ForeignKey(
        RiskPost, verbose_name=_("风险岗位"), on_delete=models.CASCADE, related_name="powers"
    )
    name = models.CharField(_("职权名称"), max_length=128)
    basis = models.CharField(_("设定依据"), max_length=255, blank=True)

    scope_paths = ("post__unit",)
    scope_edit_paths = ("post__unit",)

    class Meta:
        verbose_name = _("岗位职权")
        verbose_name_plural = _("岗位职权")
        ordering = ["post", "name"]

    def __str__(self):
        return self.name


class RiskPoint(BaseModel):
    """A risk point on a power (分险设防): likelihood × impact gives the level."""

    power = models.ForeignKey(
        RiskPower, verbose_name=_("职权"), on_delete=models.CASCADE, related_name="risk_points"
    )
    description = models.TextField(_("风险点描述"))
    category = models.CharField(_("风险类别"), max_length=16, choices=choices.RiskCategory.choices)
    likelihood = models.PositiveSmallIntegerField(_("发生概率(1-5)"))
    impact = models.PositiveSmallIntegerField(_("影响程度(1-5)"))
    level = models.CharField(_("风险等级"), max_length=8, choices=choices.RiskLevel.choices)
    handling = models.CharField(
        _("处置类别"),
        max_length=16,
        choices=choices.HandlingCategory.choices,
        default=choices.HandlingCategory.REMINDER,
    )

    scope_paths = ("power__post__unit",)
    scope_edit_paths = ("power__post__unit",)

    class Meta:
        verbose_name = _("廉政风险点")
        verbose_name_plural = _("廉政风险点")
        ordering = ["power", "-likelihood"]
        constraints = [
            models.CheckConstraint(
                condition=Q(likelihood__gte=1, likelihood__lte=5),
                name="risk_point_likelihood_1_5",
                violation_error_message=_("发生概率须在1到5之间。"),
            ),
            models.CheckConstraint(
                condition=Q(impact__gte=1, impact__lte=5),
                name="risk_point_impact_1_5",
                violation_error_message=_("影响程度须在1到5之间。"),
            ),
        ]

    def __str__(self):
        return self.description[:40]


class RiskControl(BaseModel):
    """A prevention measure on a risk point (防控措施)."""

    risk_point = models.ForeignKey(
        RiskPoint, verbose_name=_("风险点"), on_delete=models.CASCADE, related_name="controls"
    )
    measure = models.TextField(_("防控措施"))
    rule_name = models.CharField(_("依据制度"), max_length=128, blank=True)
    owner = models.CharField(_("责任人"), max_length=64, blank=True)

    scope_paths = ("risk_point__power__post__unit",)
    scope_edit_paths = ("risk_point__power__post__unit",)

    class Meta:
        verbose_name = _("防控措施")
        verbose_name_plural = _("防控措施")
        ordering = ["risk_point", "pk"]

    def __str__(self):
        return self.measure[:40]


class RiskReview(BaseModel):
    """A unit's risk map for one year (its posts, processes and rules of that
    year): re-assessed by the unit, approved by the commission. Earlier years
    stay as they were approved, for comparison."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="risk_reviews"
    )
    year = models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=choices.ReviewStatus.choices,
        default=choices.ReviewStatus.DRAFT,
    )
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("上一年度风险图"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_on = models.DateField(_("提交日期"), null=True, blank=True)
    approved_on = models.DateField(_("审定日期"), null=True, blank=True)
    comment = models.TextField(_("审核意见"), blank=True)

    scope_paths = ("unit",)
    scope_edit_paths = ("unit",)

    class Meta:
        verbose_name = _("风险图年度评估")
        verbose_name_plural = _("风险图年度评估")
        ordering = ["unit", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year"],
                name="risk_review_unique_per_year",
                violation_error_message=_("本单位该年度的风险图已存在。"),
            ),
            models.CheckConstraint(
                condition=~Q(status=choices.ReviewStatus.APPROVED) | Q(approved_on__isnull=False),
                name="risk_review_approved_has_date",
                violation_error_message=_("已审定的风险图须有审定日期。"),
            ),
        ]

    def __str__(self):
        return f"{self.unit.short_name or self.unit.name} {self.year}年度廉政风险图"


class RiskProcess(BaseModel):
    """A business process (业务流程, a line of the map): steps in order, with
    the posts that act and the risk points met on the way."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="risk_processes"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    name = models.CharField(_("流程名称"), max_length=64)
    description = models.TextField(_("说明"), blank=True)

    scope_paths = ("unit",)
    scope_edit_paths = ("unit",)

    class Meta:
        verbose_name = _("业务流程")
        verbose_name_plural = _("业务流程")
        ordering = ["unit", "-year", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "name"],
                name="risk_process_unique_per_year",
                violation_error_message=_("本单位该年度已有同名业务流程。"),
            )
        ]

    def __str__(self):
        return self.name


class RiskProcessStep(BaseModel):
    """One step of a process, done by a post, with the risk points on it."""

    process = models.ForeignKey(
        RiskProcess, verbose_name=_("业务流程"), on_delete=models.CASCADE, related_name="steps"
    )
    number = models.PositiveSmallIntegerField(_("步骤序号"))
    name = models.CharField(_("环节名称"), max_length=64)
    post = models.ForeignKey(
        RiskPost,
        verbose_name=_("办理岗位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="process_steps",
    )
    risk_points = models.ManyToManyField(
        RiskPoint, verbose_name=_("环节风险点"), blank=True, related_name="process_steps"
    )

    scope_paths = ("process__unit",)
    scope_edit_paths = ("process__unit",)

    class Meta:
        verbose_name = _("流程环节")
        verbose_name_plural = _("流程环节")
        ordering = ["process", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["process", "number"],
                name="risk_step_unique_number",
                violation_error_message=_("流程环节序号重复。"),
            )
        ]

    def __str__(self):
        return f"{self.number}. {self.name}"

    def clean(self):
        if self.post_id and self.process_id and self.post.unit_id != self.process.unit_id:
            raise ValidationError({"post": _("办理岗位须是本单位的风险岗位。")})


class OutcomeBase(BaseModel):
    """Shared shape of the register: a unit or an official, a year, a source."""

    year = models.PositiveSmallIntegerField(_("年度"))
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    official = models.ForeignKey(
        Official,
        verbose_name=_("干部"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source = models.CharField(_("来源"), max_length=16, choices=choices.OutcomeSource.choices)
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=choices.OutcomeStatus.choices,
        # Rows recorded as decisions (the demo, the assessment's outcomes)
        # are decided; the register's own workflow starts them as proposed.
        default=choices.OutcomeStatus.DECIDED,
    )
    document_number = models.CharField(_("决定文号"), max_length=64, blank=True)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    decision_file = models.FileField(_("决定文件"), upload_to="decisions/%Y/", blank=True)
    decision_file_name = models.CharField(_("决定文件原文件名"), max_length=255, blank=True)
    # Upward links by string reference: which assessment, finding or letter led here.
    source_assessment = models.ForeignKey(
        "assessments.UnitAssessment",
        verbose_name=_("来源考核"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source_finding = models.ForeignKey(
        "inspections.Finding",
        verbose_name=_("来源问题"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source_letter = models.ForeignKey(
        "inspections.SupervisionLetter",
        verbose_name=_("来源督办函"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    scope_paths = ("unit", "official__unit")

    class Meta:
        abstract = True

    def __str__(self):
        subject = self.unit or self.official
        return f"{self.year} {subject}"

    @staticmethod
    def subject_constraint(name: str):
        return models.CheckConstraint(
            condition=(Q(unit__isnull=False) & Q(official__isnull=True))
            | (Q(unit__isnull=True) & Q(official__isnull=False)),
            name=name,
            violation_error_message=_("单位和干部须且只能填写其中一项。"),
        )

    @staticmethod
    def decided_constraint(name: str):
        return models.CheckConstraint(
            condition=~Q(status=choices.OutcomeStatus.DECIDED) | Q(decided_on__isnull=False),
            name=name,
            violation_error_message=_("已决定的记录须填写决定日期。"),
        )


class Commendation(OutcomeBase):
    """表彰: of a unit or an official."""

    title = models.CharField(_("表彰名称"), max_length=128)

    class Meta:
        verbose_name = _("表彰")
        verbose_name_plural = _("表彰")
        ordering = ["-year", "pk"]
        constraints = [
            OutcomeBase.subject_constraint("commendation_one_subject"),
            OutcomeBase.decided_constraint("commendation_decided_has_date"),
        ]


class AccountabilityCase(OutcomeBase):
    """责任追究: of a unit or an official."""

    reason = models.TextField(_("追究事由"))
    measure = models.CharField(
        _("处理方式"), max_length=24, choices=choices.AccountabilityMeasure.choices
    )
    # 陈述申辩: the unit or official is told and may state its case by a deadline.
    statement_deadline = models.DateField(_("陈述申辩截止日期"), null=True, blank=True)
    statement = models.TextField(_("陈述申辩意见"), blank=True)
    statement_on = models.DateField(_("陈述申辩日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("责任追究")
        verbose_name_plural = _("责任追究")
        ordering = ["-year", "pk"]
        constraints = [
            OutcomeBase.subject_constraint("accountability_one_subject"),
            OutcomeBase.decided_constraint("accountability_decided_has_date"),
        ]

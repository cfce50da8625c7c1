"""What must be done: the framework (seeded data), the plan and its tasks,
the yearly projects with their targets, the three splits, milestones, and
the ledger with its evidence."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accountability.models import Official, Section, Unit
from pingxiang_cf.models import BaseModel
from projects import choices

# --- The framework: data, not code (another city loads its own) -------------


class Framework(BaseModel):
    """A city's model, e.g. Pingxiang "1335", with its main line (the "1")."""

    code = models.SlugField(_("编码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    main_line = models.CharField(_("主线"), max_length=128)
    description = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("工作模式")
        verbose_name_plural = _("工作模式")
        ordering = ["code"]

    def __str__(self):
        return self.name


class FrameworkElement(BaseModel):
    framework = models.ForeignKey(
        Framework, verbose_name=_("工作模式"), on_delete=models.CASCADE, related_name="+"
    )
    code = models.SlugField(_("编码"), max_length=32)
    name = models.CharField(_("名称"), max_length=64)
    description = models.TextField(_("说明"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        abstract = True
        ordering = ["framework", "sort_order"]

    def __str__(self):
        return self.name


class Tier(FrameworkElement):
    """三个层级: county/district, department, grassroots."""

    class Meta(FrameworkElement.Meta):
        verbose_name = _("层级")
        verbose_name_plural = _("层级")
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "code"],
                name="tier_unique_code",
                violation_error_message=_("本工作模式中已有相同编码。"),
            )
        ]


class Program(FrameworkElement):
    """三大工程: Integrity Sunshine, Key Featured, Grassroots Integrity."""

    class Meta(FrameworkElement.Meta):
        verbose_name = _("工程")
        verbose_name_plural = _("工程")
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "code"],
                name="program_unique_code",
                violation_error_message=_("本工作模式中已有相同编码。"),
            )
        ]


class Mechanism(FrameworkElement):
    """五个机制, each with its goal (不愿/不能/不可/不易/不敢腐败)."""

    goal = models.CharField(_("目标"), max_length=32)

    class Meta(FrameworkElement.Meta):
        verbose_name = _("机制")
        verbose_name_plural = _("机制")
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "code"],
                name="mechanism_unique_code",
                violation_error_message=_("本工作模式中已有相同编码。"),
            )
        ]


class BrandModel(BaseModel):
    """A county's own brand model under the Key Featured Program (e.g. 梯链网)."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("县区"), on_delete=models.PROTECT, related_name="brand_models"
    )
    program = models.ForeignKey(
        Program, verbose_name=_("所属工程"), on_delete=models.PROTECT, related_name="brand_models"
    )
    name = models.CharField(_("品牌名称"), max_length=64)
    description = models.TextField(_("内容"), blank=True)

    class Meta:
        verbose_name = _("县区品牌模式")
        verbose_name_plural = _("县区品牌模式")
        ordering = ["unit"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "name"],
                name="brand_model_unique_per_unit",
                violation_error_message=_("该县区已有同名品牌模式。"),
            )
        ]

    def __str__(self):
        return f"{self.unit.short_name or self.unit.name}“{self.name}”"


# --- The plan -----------------------------------------------------------------


class Plan(BaseModel):
    """The committee's Implementation Rules and Task Division Plan."""

    framework = models.ForeignKey(
        Framework, verbose_name=_("工作模式"), on_delete=models.PROTECT, related_name="plans"
    )
    title = models.CharField(_("名称"), max_length=200)
    document_number = models.CharField(_("文号"), max_length=64, blank=True)
    issuer = models.CharField(_("印发机关"), max_length=64)
    issued_on = models.DateField(_("印发日期"))
    period_start = models.PositiveSmallIntegerField(_("起始年度"))
    period_end = models.PositiveSmallIntegerField(_("截止年度"))

    class Meta:
        verbose_name = _("实施方案")
        verbose_name_plural = _("实施方案")
        ordering = ["-issued_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="plan_period_ordered",
                violation_error_message=_("截止年度不能早于起始年度。"),
            )
        ]

    def __str__(self):
        return self.title


class PlanTask(BaseModel):
    """One task of the task division plan, with its lead and co-organizing units."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("实施方案"), on_delete=models.CASCADE, related_name="tasks"
    )
    number = models.CharField(_("任务编号"), max_length=16)
    content = models.TextField(_("任务内容"))
    lead_unit = models.ForeignKey(
        Unit, verbose_name=_("牵头单位"), on_delete=models.PROTECT, related_name="lead_plan_tasks"
    )
    co_units = models.ManyToManyField(
        Unit, verbose_name=_("协办单位"), blank=True, related_name="co_plan_tasks"
    )
    mechanism = models.ForeignKey(
        Mechanism, verbose_name=_("机制"), on_delete=models.PROTECT, related_name="plan_tasks"
    )
    program = models.ForeignKey(
        Program,
        verbose_name=_("工程"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plan_tasks",
    )
    deadline = models.DateField(_("完成时限"))
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=choices.PlanTaskStatus.choices,
        default=choices.PlanTaskStatus.PENDING,
    )
    completed_on = models.DateField(_("完成日期"), null=True, blank=True)

    scope_paths = ("lead_unit", "co_units")
    scope_edit_paths = ()

    class Meta:
        verbose_name = _("方案任务")
        verbose_name_plural = _("方案任务")
        ordering = ["plan", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"],
                name="plan_task_unique_number",
                violation_error_message=_("任务编号在本方案中重复。"),
            ),
            models.CheckConstraint(
                condition=Q(status=choices.PlanTaskStatus.COMPLETED, completed_on__isnull=False)
                | (~Q(status=choices.PlanTaskStatus.COMPLETED) & Q(completed_on__isnull=True)),
                name="plan_task_completed_has_date",
                violation_error_message=_(
                    "已完成的任务须填写完成日期,未完成的任务不能填写完成日期。"
                ),
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.content[:30]}"


# --- Projects -------------------------------------------------------------------


class Project(BaseModel):
    """A yearly key work project (年度重点工作项目) with quantified targets."""

    code = models.UUIDField(_("编码"), default=uuid.uuid4, unique=True, editable=False)
    number = models.CharField(_("项目编号"), max_length=32)
    year = models.PositiveSmallIntegerField(_("年度"))
    name = models.CharField(_("项目名称"), max_length=200)
    category = models.CharField(
        _("项目类别"), max_length=16, choices=choices.ProjectCategory.choices
    )
    tier = models.ForeignKey(
        Tier, verbose_name=_("层级"), on_delete=models.PROTECT, related_name="projects"
    )
    program = models.ForeignKey(
        Program, verbose_name=_("工程"), on_delete=models.PROTECT, related_name="projects"
    )
    mechanisms = models.ManyToManyField(
        Mechanism, verbose_name=_("机制"), blank=True, related_name="projects"
    )
    brand_model = models.ForeignKey(
        BrandModel,
        verbose_name=_("品牌模式"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )
    plan_task = models.ForeignKey(
        PlanTask,
        verbose_name=_("来源任务"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("复制自"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
    )
    lead_unit = models.ForeignKey(
        Unit, verbose_name=_("牵头单位"), on_delete=models.PROTECT, related_name="lead_projects"
    )
    co_units = models.ManyToManyField(
        Unit,
        verbose_name=_("协办单位"),
        blank=True,
        through="ProjectCoUnit",
        related_name="co_projects",
    )
    responsible_official = models.ForeignKey(
        Official,
        verbose_name=_("项目责任人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )
    description = models.TextField(_("项目内容"), blank=True)
    stage = models.CharField(
        _("阶段"),
        max_length=16,
        choices=choices.ProjectStage.choices,
        default=choices.ProjectStage.ESTABLISH,
    )
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    promotion_note = models.TextField(_("推广内容"), blank=True)

    scope_paths = ("lead_unit", "co_units", "assignments__assignee_unit")
    scope_edit_paths = ()  # the commission establishes and edits projects

    class Meta:
        verbose_name = _("重点工作项目")
        verbose_name_plural = _("重点工作项目")
        ordering = ["-year", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "number"],
                name="project_unique_number_per_year",
                violation_error_message=_("该年度已有相同编号的项目。"),
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="project_dates_ordered",
                violation_error_message=_("结束日期不能早于开始日期。"),
            ),
        ]
        indexes = [
            models.Index(fields=["year", "category"]),
            models.Index(fields=["lead_unit", "year"]),
        ]

    def __str__(self):
        return f"{self.number} {self.name}"

    def clean(self):
        if self.start_date and self.year and self.start_date.year != self.year:
            raise ValidationError({"start_date": _("开始日期须在项目年度内。")})


class ProjectCoUnit(BaseModel):
    """A co-organizing unit (协办单位) of a project."""

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="co_unit_links"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("协办单位"), on_delete=models.PROTECT, related_name="+"
    )

    scope_paths = ("project__lead_unit", "unit")

    class Meta:
        verbose_name = _("项目协办单位")
        verbose_name_plural = _("项目协办单位")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "unit"],
                name="project_co_unit_unique",
                violation_error_message=_("该协办单位已添加。"),
            )
        ]

    def __str__(self):
        return str(self.unit)

    def clean(self):
        if self.project_id and self.unit_id and self.project.lead_unit_id == self.unit_id:
            raise ValidationError({"unit": _("协办单位不能是牵头单位本身。")})


class Target(BaseModel):
    """A quantified annual target (量化目标) of a project."""

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="targets"
    )
    description = models.CharField(_("目标内容"), max_length=255)
    measure_unit = models.CharField(_("计量单位"), max_length=16)
    target_value = models.DecimalField(_("目标值"), max_digits=12, decimal_places=2)
    due_date = models.DateField(_("完成时限"))
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    scope_paths = ("project__lead_unit", "project__co_units", "project__assignments__assignee_unit")

    class Meta:
        verbose_name = _("量化目标")
        verbose_name_plural = _("量化目标")
        ordering = ["project", "sort_order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target_value__gt=0),
                name="target_value_positive",
                violation_error_message=_("目标值须大于0。"),
            )
        ]

    def __str__(self):
        return f"{self.description}:{self.target_value}{self.measure_unit}"


class Assignment(BaseModel):
    """One piece of a split (三分法): inner to a section of the lead unit,
    outer to a co-organizing unit, downward to a unit below the lead unit."""

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="assignments"
    )
    kind = models.CharField(_("分解方式"), max_length=16, choices=choices.SplitKind.choices)
    assignee_unit = models.ForeignKey(
        Unit, verbose_name=_("承担单位"), on_delete=models.PROTECT, related_name="assignments"
    )
    section = models.ForeignKey(
        Section,
        verbose_name=_("承担科室"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    content = models.TextField(_("任务内容"))
    responsible_official = models.ForeignKey(
        Official,
        verbose_name=_("责任人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assignments",
    )
    responsible_person = models.CharField(_("责任人姓名"), max_length=32, blank=True)
    deadline = models.DateField(_("完成时限"))
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=choices.AssignmentStatus.choices,
        default=choices.AssignmentStatus.OPEN,
    )

    scope_paths = ("project__lead_unit", "assignee_unit")
    scope_edit_paths = ("project__lead_unit",)  # the lead unit splits its own project

    class Meta:
        verbose_name = _("任务分解")
        verbose_name_plural = _("任务分解")
        ordering = ["project", "kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=choices.SplitKind.INNER, section__isnull=False)
                | (~Q(kind=choices.SplitKind.INNER) & Q(section__isnull=True)),
                name="assignment_section_iff_inner",
                violation_error_message=_("内分须指定本单位科室;外分和下分不能指定科室。"),
            ),
        ]

    def __str__(self):
        target = self.section or self.assignee_unit
        return f"{self.get_kind_display()}→{target}"

    def clean(self):
        if not (self.project_id and self.assignee_unit_id):
            return
        lead = self.project.lead_unit
        kind = self.kind
        if kind == choices.SplitKind.INNER:
            if self.assignee_unit_id != lead.pk:
                raise ValidationError({"assignee_unit": _("内分的承担单位须是牵头单位本身。")})
            if self.section_id and self.section.unit_id != lead.pk:
                raise ValidationError({"section": _("内分须分解到牵头单位的内设科室。")})
        elif kind == choices.SplitKind.OUTER:
            if self.assignee_unit_id == lead.pk:
                raise ValidationError({"assignee_unit": _("外分的承担单位不能是牵头单位本身。")})
            if not self.project.co_unit_links.filter(unit_id=self.assignee_unit_id).exists():
                raise ValidationError({"assignee_unit": _("外分须分解到本项目的协办单位。")})
        elif kind == choices.SplitKind.DOWNWARD and not self.assignee_unit.is_below(lead):
            raise ValidationError({"assignee_unit": _("下分须分解到牵头单位的下级单位。")})
        if self.deadline and self.project.end_date and self.deadline > self.project.end_date:
            raise ValidationError({"deadline": _("完成时限不能晚于项目结束日期。")})


class AssignmentShare(BaseModel):
    """The share of one target carried by an assignment, in percent."""

    assignment = models.ForeignKey(
        Assignment, verbose_name=_("任务分解"), on_delete=models.CASCADE, related_name="shares"
    )
    target = models.ForeignKey(
        Target, verbose_name=_("量化目标"), on_delete=models.CASCADE, related_name="shares"
    )
    share_percent = models.DecimalField(_("分担比例(%)"), max_digits=5, decimal_places=2)

    scope_paths = ("assignment__project__lead_unit", "assignment__assignee_unit")
    scope_edit_paths = ("assignment__project__lead_unit",)

    class Meta:
        verbose_name = _("目标分担")
        verbose_name_plural = _("目标分担")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "target"],
                name="share_unique_per_target",
                violation_error_message=_("该分解已分担此目标。"),
            ),
            models.CheckConstraint(
                condition=Q(share_percent__gt=0, share_percent__lte=100),
                name="share_percent_0_100",
                violation_error_message=_("分担比例须大于0且不超过100。"),
            ),
        ]

    def __str__(self):
        return f"{self.target.description} {self.share_percent}%"

    def clean(self):
        percent = self.share_percent
        if not isinstance(percent, (int, Decimal)):
            return  # empty or not a number: clean_fields() has said so
        if not 0 < percent <= 100:
            # The table constraint in Meta says the same; raising it here puts
            # the message on the field, next to the input that caused it.
            raise ValidationError({"share_percent": _("分担比例须大于0且不超过100。")})
        if not (self.assignment_id and self.target_id):
            return
        if self.target.project_id != self.assignment.project_id:
            raise ValidationError({"target": _("只能分担本项目的量化目标。")})
        others = (
            AssignmentShare.objects.filter(target_id=self.target_id)
            .exclude(pk=self.pk)
            .aggregate(total=models.Sum("share_percent"))["total"]
            or 0
        )
        if others + percent > 100:
            used = Decimal(others).quantize(Decimal("0.01"))
            raise ValidationError(
                {
                    "share_percent": _(
                        "该目标各分解的分担比例合计不能超过100%%(已分配%(used)s%%)。"
                    )
                    % {"used": used}
                }
            )


class Milestone(BaseModel):
    """A point on the workflow chart with the progress planned by then."""

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="milestones"
    )
    name = models.CharField(_("节点名称"), max_length=128)
    stage = models.CharField(_("阶段"), max_length=16, choices=choices.ProjectStage.choices)
    planned_date = models.DateField(_("计划日期"))
    planned_progress = models.PositiveSmallIntegerField(_("计划进度(%)"))
    actual_date = models.DateField(_("实际完成日期"), null=True, blank=True)

    scope_paths = ("project__lead_unit", "project__co_units", "project__assignments__assignee_unit")

    class Meta:
        verbose_name = _("节点")
        verbose_name_plural = _("节点")
        ordering = ["project", "planned_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_progress__gte=0, planned_progress__lte=100),
                name="milestone_progress_0_100",
                violation_error_message=_("计划进度须在0到100之间。"),
            )
        ]

    def __str__(self):
        return f"{self.name}({self.planned_date})"


class LedgerEntry(BaseModel):
    """A dated ledger entry (台账) of progress, written by the owning unit and
    verified by the commission office."""

    code = models.UUIDField(_("编码"), default=uuid.uuid4, unique=True, editable=False)
    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="ledger_entries"
    )
    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("任务分解"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="ledger_entries",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("填报单位"), on_delete=models.PROTECT, related_name="ledger_entries"
    )
    entry_date = models.DateField(_("日期"))
    content = models.TextField(_("工作进展"))
    progress_percent = models.PositiveSmallIntegerField(_("完成进度(%)"))
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=choices.LedgerStatus.choices,
        default=choices.LedgerStatus.DRAFT,
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("核实人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("核实时间"), null=True, blank=True)
    review_comment = models.TextField(_("核实意见"), blank=True)

    scope_paths = ("unit", "project__lead_unit")
    scope_edit_paths = ("unit",)

    class Meta:
        verbose_name = _("项目台账")
        verbose_name_plural = _("项目台账")
        ordering = ["project", "-entry_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress_percent__gte=0, progress_percent__lte=100),
                name="ledger_progress_0_100",
                violation_error_message=_("完成进度须在0到100之间。"),
            )
        ]
        indexes = [models.Index(fields=["project", "status", "entry_date"])]

    def __str__(self):
        return f"{self.entry_date} {self.content[:30]}"

    def clean(self):
        if self.assignment_id and self.project_id and self.assignment.project_id != self.project_id:
            raise ValidationError({"assignment": _("任务分解不属于该项目。")})
        if self.assignment_id and self.unit_id and self.assignment.assignee_unit_id != self.unit_id:
            raise ValidationError({"unit": _("填报单位须是该任务分解的承担单位。")})
        if (
            not self.assignment_id
            and self.project_id
            and self.unit_id
            and self.project.lead_unit_id != self.unit_id
        ):
            raise ValidationError({"unit": _("项目台账须由牵头单位填报。")})


class LedgerQuantity(BaseModel):
    """Quantity achieved towards one target, reported in a ledger entry."""

    entry = models.ForeignKey(
        LedgerEntry, verbose_name=_("台账"), on_delete=models.CASCADE, related_name="quantities"
    )
    target = models.ForeignKey(
        Target, verbose_name=_("量化目标"), on_delete=models.CASCADE, related_name="quantities"
    )
    quantity = models.DecimalField(_("完成数量"), max_digits=12, decimal_places=2)

    scope_paths = ("entry__unit", "entry__project__lead_unit")
    scope_edit_paths = ("entry__unit",)

    class Meta:
        verbose_name = _("完成数量")
        verbose_name_plural = _("完成数量")
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "target"],
                name="ledger_quantity_unique",
                violation_error_message=_("本条台账已填报该目标的完成数量。"),
            ),
            models.CheckConstraint(
                condition=Q(quantity__gte=0),
                name="ledger_quantity_non_negative",
                violation_error_message=_("完成数量不能为负数。"),
            ),
        ]

    def __str__(self):
        return f"{self.target.description}:{self.quantity}"

    def clean(self):
        if self.entry_id and self.target_id and self.entry.project_id != self.target.project_id:
            raise ValidationError({"target": _("只能填报本项目的量化目标。")})


def evidence_upload_to(instance, filename):
    """Stored under a random name; the original name is kept on the row."""
    return f"evidence/{instance.entry.project.year}/{uuid.uuid4().hex}"


class Evidence(BaseModel):
    """An evidence file attached to a ledger entry."""

    entry = models.ForeignKey(
        LedgerEntry, verbose_name=_("台账"), on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(_("文件"), upload_to=evidence_upload_to)
    original_name = models.CharField(_("原文件名"), max_length=255)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小(字节)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    scope_paths = ("entry__unit", "entry__project__lead_unit")
    scope_edit_paths = ("entry__unit",)

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        ordering = ["entry", "pk"]

    def __str__(self):
        return self.original_name

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanTaskStatus(models.TextChoices):
    PENDING = "pending", _("未启动")
    IN_PROGRESS = "in_progress", _("推进中")
    COMPLETED = "completed", _("已完成")


class ProjectCategory(models.TextChoices):
    COMMON = "common", _("共性项目")
    INDIVIDUAL = "individual", _("个性项目")
    EXTENSION = "extension", _("延伸项目")


class ProjectStage(models.TextChoices):
    ESTABLISH = "establish", _("立项")
    IMPLEMENT = "implement", _("实施")
    EVALUATE = "evaluate", _("评估")
    PROMOTE = "promote", _("推广")


class SplitKind(models.TextChoices):
    INNER = "inner", _("内分(本单位科室)")
    OUTER = "outer", _("外分(协办单位)")
    DOWNWARD = "downward", _("下分(下级单位)")


class AssignmentStatus(models.TextChoices):
    OPEN = "open", _("进行中")
    COMPLETED = "completed", _("已完成")
    CANCELLED = "cancelled", _("已撤销")


class LedgerStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待核实")
    VERIFIED = "verified", _("已核实")
    RETURNED = "returned", _("已退回")

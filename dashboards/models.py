"""Rollup tables behind the leaders' dashboard.

Nothing here is typed by a user: every row is derived from the projects app
(progress and lights from projects.selectors / projects.services) by
dashboards.rollups and kept current by the refresh job (dashboards.tasks).
The page reads these tables only, never a GROUP BY over the ledger.

Levels: a cell at level L belongs to the unit at depth L above (or equal to)
the project's lead unit — level 0 is the root (the city), level 1 a county or
a municipal department, level 2 a township or a county department. A unit
shallower than L stands for itself. UNIT_LEVEL rows belong to the lead unit
itself (activity only)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accountability.models import Unit
from pingxiang_cf.scope import RestrictedQuerySet
from projects.models import Mechanism, Program, Project, Tier

CELL_LEVELS = (0, 1, 2)
LAGGING = ("red", "yellow")  # the lights of the lagging list (projects.services.LightColor)
UNIT_LEVEL = 9


class ProjectFact(models.Model):
    """One row per project: its dimensions and its derived state."""

    # No foreign key constraint: a deleted project's fact stays until the
    # refresh its deletion queues (dashboards.signals) reads which nodes it
    # counted in, rebuilds them and drops it.
    project = models.OneToOneField(
        Project,
        verbose_name=_("项目"),
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="dashboard_fact",
    )
    lead_unit = models.ForeignKey(
        Unit, verbose_name=_("牵头单位"), on_delete=models.CASCADE, related_name="+"
    )
    unit_path = models.CharField(_("单位路径"), max_length=255)
    area0 = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    area1 = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    area2 = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    category = models.CharField(_("项目类别"), max_length=16)
    tier = models.ForeignKey(Tier, on_delete=models.CASCADE, related_name="+")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    stage = models.CharField(_("阶段"), max_length=16)
    end_date = models.DateField(_("结束日期"))
    progress = models.PositiveSmallIntegerField(_("进度"))
    planned_progress = models.PositiveSmallIntegerField(_("计划进度"))
    light = models.CharField(_("预警"), max_length=8)
    light_reason = models.CharField(_("预警原因"), max_length=255)
    light_due_date = models.DateField(_("预警判断时限"))
    done = models.BooleanField(_("已完成"))
    due = models.BooleanField(_("已到期"))
    on_time = models.BooleanField(_("按期完成"))
    completed_on = models.DateField(_("完成日期"), null=True)
    judged_on = models.DateField(_("判断日期"))

    objects = RestrictedQuerySet.as_manager()
    scope_paths = ("lead_unit",)

    class Meta:
        verbose_name = _("项目汇总")
        verbose_name_plural = _("项目汇总")
        indexes = [
            models.Index(fields=["area1", "year"], name="dash_fact_area1_year"),
            models.Index(fields=["area2", "year"], name="dash_fact_area2_year"),
            models.Index(
                fields=["light_due_date", "project"],
                condition=Q(light__in=LAGGING),
                name="dash_fact_lagging_due",
            ),
            models.Index(
                fields=["year", "light_due_date", "project"],
                condition=Q(light__in=LAGGING),
                name="dash_fact_lagging_year_due",
            ),
            models.Index(
                fields=["unit_path"], name="dash_fact_unit_path", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self):
        return f"{self.project_id} {self.light}"


class CompletionCell(models.Model):
    """Projects of one node, year (0: all years), tier, program, category — and mechanism:
    the row with mechanism NULL counts every project once; the rows with a
    mechanism count the projects of that mechanism (a project may have
    several)."""

    level = models.PositiveSmallIntegerField(_("层次"))
    node = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    node_path = models.CharField(max_length=255)
    year = models.PositiveSmallIntegerField(_("年度"))
    # No index of their own: the page reads cells by level, year and node
    # path (the indexes below); a lone tier index misled the planner into
    # scanning a fifth of the table (12 ms instead of 2 at 1M projects).
    tier = models.ForeignKey(Tier, on_delete=models.CASCADE, related_name="+", db_index=False)
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+", db_index=False)
    mechanism = models.ForeignKey(
        Mechanism, null=True, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    category = models.CharField(max_length=16)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    due = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)
    green = models.PositiveIntegerField(default=0)
    yellow = models.PositiveIntegerField(default=0)
    red = models.PositiveIntegerField(default=0)
    progress_sum = models.PositiveBigIntegerField(default=0)

    objects = RestrictedQuerySet.as_manager()
    scope_paths = ("node",)

    class Meta:
        verbose_name = _("完成情况汇总")
        verbose_name_plural = _("完成情况汇总")
        indexes = [
            models.Index(fields=["level", "node", "year"], name="dash_cell_node_year"),
            # The children of a node for one year filter (the live page under a filter).
            models.Index(
                fields=["level", "year", "mechanism", "node_path"],
                name="dash_cell_level_year_path",
                opclasses=["int2_ops", "int2_ops", "int8_ops", "varchar_pattern_ops"],
            ),
            models.Index(
                fields=["level", "node_path"],
                name="dash_cell_level_path",
                opclasses=["int2_ops", "varchar_pattern_ops"],
            ),
        ]

    def __str__(self):
        return f"L{self.level} {self.node_id} {self.year}"


class ActivityCell(models.Model):
    """Ledger activity and completions of one node in one month, of the
    projects of one tier and program — and mechanism, as in CompletionCell:
    the row with mechanism NULL counts every entry once, the rows with a
    mechanism the entries of that mechanism's projects."""

    level = models.PositiveSmallIntegerField(_("层次"))
    node = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    node_path = models.CharField(max_length=255)
    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("月份"))
    # No index of their own: the page reads cells by level, year and node
    # path (the indexes below); a lone tier index misled the planner into
    # scanning a fifth of the table (12 ms instead of 2 at 1M projects).
    tier = models.ForeignKey(Tier, on_delete=models.CASCADE, related_name="+", db_index=False)
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+", db_index=False)
    mechanism = models.ForeignKey(
        Mechanism, null=True, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    entries = models.PositiveIntegerField(default=0)
    verified = models.PositiveIntegerField(default=0)
    completed = models.PositiveIntegerField(default=0)

    objects = RestrictedQuerySet.as_manager()
    scope_paths = ("node",)

    class Meta:
        verbose_name = _("台账活动汇总")
        verbose_name_plural = _("台账活动汇总")
        indexes = [
            models.Index(fields=["level", "node", "year"], name="dash_act_node_year"),
            models.Index(
                fields=["level", "year", "mechanism", "node_path"],
                name="dash_act_level_year_path",
                opclasses=["int2_ops", "int2_ops", "int8_ops", "varchar_pattern_ops"],
            ),
            models.Index(
                fields=["level", "node_path"],
                name="dash_act_level_path",
                opclasses=["int2_ops", "varchar_pattern_ops"],
            ),
        ]

    def __str__(self):
        return f"L{self.level} {self.node_id} {self.year}-{self.month:02d}"


class DirtyProject(models.Model):
    """A project whose rollups are stale (written on commit, consumed by the job)."""

    project_id = models.BigIntegerField(primary_key=True)
    marked_at = models.DateTimeField()

    class Meta:
        verbose_name = _("待刷新项目")
        verbose_name_plural = _("待刷新项目")

    def __str__(self):
        return str(self.project_id)


class RollupState(models.Model):
    """The one row saying how fresh the rollups are and whether a refresh is queued."""

    key = models.CharField(max_length=16, primary_key=True, default="main")
    refreshed_at = models.DateTimeField(_("最近刷新"), null=True)
    full_refreshed_at = models.DateTimeField(_("最近全量刷新"), null=True)
    lights_on = models.DateField(_("预警判断日期"), null=True)
    pending = models.BooleanField(_("已排队"), default=False)
    requested_at = models.DateTimeField(_("请求时间"), null=True)
    # dashboards.snapshots.node_parts_fingerprint() at the last rebuild of
    # the node parts: a refresh skips them while it is unchanged.
    node_parts_fingerprint = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("汇总状态")
        verbose_name_plural = _("汇总状态")

    def __str__(self):
        return f"{self.key} {self.refreshed_at}"


NODE_PART = 1  # DashboardSnapshot.year of a node's own part (headline, units, options)


class DashboardSnapshot(models.Model):
    """What the dashboard shows for one node, written by the refresh
    (dashboards.snapshots) so that the page reads one row instead of
    computing: for year 0 (all years) and each year, the breakdowns, the
    children's figures, trend, heat map and lagging list with no tier,
    program or mechanism filter (variant ""), and for a node with many units
    directly below, under each single filter too (variant "program:3");
    for year NODE_PART, the node's part that does not depend on the filters
    (headline, crumbs, units below, the filter options). Other filter
    combinations are computed live."""

    node = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    variant = models.CharField(_("筛选"), max_length=32, default="", blank=True)
    payload = models.JSONField()
    built_at = models.DateTimeField(_("生成时间"))

    class Meta:
        verbose_name = _("看板快照")
        verbose_name_plural = _("看板快照")
        constraints = [
            models.UniqueConstraint(
                fields=["node", "year", "variant"], name="dash_snapshot_node_year_variant"
            )
        ]

    def __str__(self):
        return f"{self.node_id} {self.year} {self.variant}".rstrip()

"""Exports of the projects app, declared for pingxiang_cf.exports: the same
FilterSets as the lists, Chinese headers, typed cells."""

from django.utils.translation import gettext_lazy as _

from pingxiang_cf.exports import ExportSpec, choice, date, datetime_, integer, register, text
from projects import selectors, workspace
from projects.choices import (
    AssignmentStatus,
    LedgerStatus,
    PlanTaskStatus,
    ProjectCategory,
    ProjectStage,
    SplitKind,
)
from projects.filters import (
    AssignmentFilterSet,
    LedgerEntryFilterSet,
    PlanTaskFilterSet,
    ProjectFilterSet,
)
from projects.models import Assignment, LedgerEntry, PlanTask, Project

PROJECTS = register(
    ExportSpec(
        name="projects",
        title=_("重点工作项目"),
        model=Project,
        filterset_class=ProjectFilterSet,
        base_queryset=workspace.project_list,
        prepare=selectors.annotate_project_progress,
        columns=(
            text("number", _("项目编号"), width=14),
            integer("year", _("年度")),
            text("name", _("项目名称"), width=40),
            choice("category", _("项目类别"), ProjectCategory),
            text("tier__name", _("层级")),
            text("program__name", _("工程"), width=18),
            text("lead_unit__name", _("牵头单位"), width=24),
            choice("stage", _("阶段"), ProjectStage),
            date("start_date", _("开始日期")),
            date("end_date", _("结束日期")),
            integer("progress", _("进度(%)")),
            text("description", _("项目内容"), width=40),
            text("code", _("编码"), width=38),
        ),
    )
)

PLAN_TASKS = register(
    ExportSpec(
        name="plan-tasks",
        title=_("方案任务"),
        model=PlanTask,
        filterset_class=PlanTaskFilterSet,
        columns=(
            text("number", _("任务编号")),
            text("content", _("任务内容"), width=50),
            text("lead_unit__name", _("牵头单位"), width=24),
            text("mechanism__name", _("机制")),
            text("program__name", _("工程"), width=18),
            date("deadline", _("完成时限")),
            choice("status", _("状态"), PlanTaskStatus),
            date("completed_on", _("完成日期")),
        ),
    )
)

ASSIGNMENTS = register(
    ExportSpec(
        name="assignments",
        title=_("任务分解"),
        model=Assignment,
        filterset_class=AssignmentFilterSet,
        columns=(
            text("project__number", _("项目编号")),
            text("project__name", _("项目名称"), width=36),
            choice("kind", _("分解方式"), SplitKind, width=18),
            text("assignee_unit__name", _("承担单位"), width=24),
            text("section__name", _("承担科室")),
            text("content", _("任务内容"), width=40),
            text("responsible_person", _("责任人")),
            date("deadline", _("完成时限")),
            choice("status", _("状态"), AssignmentStatus),
        ),
    )
)

LEDGER_ENTRIES = register(
    ExportSpec(
        name="ledger-entries",
        title=_("项目台账"),
        model=LedgerEntry,
        filterset_class=LedgerEntryFilterSet,
        columns=(
            text("project__number", _("项目编号")),
            text("project__name", _("项目名称"), width=36),
            text("unit__name", _("填报单位"), width=24),
            date("entry_date", _("日期")),
            text("content", _("工作进展"), width=50),
            integer("progress_percent", _("完成进度(%)")),
            choice("status", _("状态"), LedgerStatus),
            datetime_("reviewed_at", _("核实时间")),
            text("review_comment", _("核实意见"), width=30),
            text("code", _("编码"), width=38),
        ),
    )
)

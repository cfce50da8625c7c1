"""Imports of the projects app, run by pingxiang_cf.imports (all or nothing,
row-by-row report in Chinese):

- `plan-tasks`: the task division plan (任务分工方案) into a chosen plan;
- `projects`: projects with their quantified targets (one row per target,
  the project's columns repeated);
- `ledger-entries`: ledger entries in bulk, by the owning units.

Each `check_*` resolves names to objects (units by name, short name or code
within the user's scope, with close-match suggestions; programs and
mechanisms of the plan's framework) and reports every problem; each
`apply_*` writes through projects.services (or the audited helpers), so the
same permission checks and audit rows apply as in the pages."""

from __future__ import annotations

import contextlib
from collections import defaultdict

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accountability.models import Unit
from pingxiang_cf.imports import (
    ImportColumn,
    ImportSpec,
    Report,
    Row,
    cell_date,
    cell_decimal,
    cell_int,
    cell_text,
    register,
    required,
    service_errors,
    split_names,
    suggest,
    unknown,
)
from pingxiang_cf.services import audited_create
from projects import services
from projects.choices import PlanTaskStatus, ProjectCategory
from projects.models import LedgerEntry, Mechanism, Plan, PlanTask, Program, Project, Tier

# --- Lookups ----------------------------------------------------------------------------------


class UnitNames:
    """The user's visible units by name, short name and code (one query)."""

    def __init__(self, user):
        self.by_key: dict[str, list[Unit]] = defaultdict(list)
        for unit in (
            Unit.objects.restrict(user)
            .filter(is_active=True)
            .only("pk", "name", "short_name", "code", "path")
        ):
            for key in {unit.name, unit.short_name, unit.code} - {""}:
                self.by_key[key].append(unit)
        self.names = sorted({u.name for units in self.by_key.values() for u in units})

    def find(self, name: str) -> tuple[Unit | None, str]:
        units = {u.pk: u for u in self.by_key.get(name, [])}
        if len(units) == 1:
            return next(iter(units.values())), ""
        if len(units) > 1:
            return None, _("单位名称“%(name)s”不唯一,请填写单位编码。") % {"name": name}
        return None, unknown(_("单位"), name, self.names)


class ElementNames:
    """Framework elements (programs, mechanisms, tiers) by name or code."""

    def __init__(self, model, framework_id, label):
        self.label = label
        self.by_key = {}
        for element in model.objects.filter(framework_id=framework_id):
            self.by_key.setdefault(element.name, element)
            self.by_key.setdefault(element.code, element)
        self.names = sorted({e.name for e in self.by_key.values()})

    def find(self, name: str):
        element = self.by_key.get(name)
        if element is None:
            message = _("%(kind)s“%(name)s”不存在。") % {"kind": self.label, "name": name}
            return None, message + suggest(name, self.names)
        return element, ""


def _choice(value: str, choices) -> str | None:
    text = cell_text(value)
    for key, label in choices.choices:
        if text in (key, str(label)):
            return key
    return None


def _labels(choices) -> str:
    return "、".join(str(label) for _key, label in choices.choices)


# --- The task division plan (任务分工方案) ------------------------------------------------------


class PlanChoiceForm(forms.Form):
    plan = forms.ModelChoiceField(
        label=gettext_lazy("导入到实施方案"),
        queryset=Plan.objects.all(),
        empty_label=None,
        widget=forms.Select(attrs={"class": "form-select"}),
    )


PLAN_TASK_COLUMNS = (
    ImportColumn(
        "number", gettext_lazy("任务编号"), example="1.1", help=gettext_lazy("方案内唯一")
    ),
    ImportColumn("content", gettext_lazy("任务内容"), example="建立风险岗位廉能管理制度", width=50),
    ImportColumn(
        "lead_unit",
        gettext_lazy("牵头单位"),
        example="市纪委",
        help=gettext_lazy("单位名称、简称或单位编码"),
        width=24,
    ),
    ImportColumn(
        "co_units",
        gettext_lazy("协办单位"),
        required=False,
        example="市财政局、市审计局",
        help=gettext_lazy("多个单位用顿号、逗号或分号分隔;不能与牵头单位相同"),
        width=30,
    ),
    ImportColumn(
        "mechanism",
        gettext_lazy("机制"),
        example="自律机制",
        help=gettext_lazy("方案所属工作模式中的机制名称"),
    ),
    ImportColumn(
        "program",
        gettext_lazy("工程"),
        required=False,
        example="廉政阳光工程",
        help=gettext_lazy("方案所属工作模式中的工程名称"),
        width=18,
    ),
    ImportColumn(
        "deadline", gettext_lazy("完成时限"), example="2011-12-31", help=gettext_lazy("日期")
    ),
    ImportColumn(
        "status",
        gettext_lazy("状态"),
        required=False,
        example="未启动",
        help=gettext_lazy("未启动、推进中或已完成;空白为未启动"),
    ),
    ImportColumn(
        "completed_on",
        gettext_lazy("完成日期"),
        required=False,
        example="",
        help=gettext_lazy("状态为已完成时必填"),
    ),
)


def _may_manage(user) -> bool:
    return services.can_manage_projects(user)


def check_plan_tasks(rows: list[Row], user, report: Report, options: dict) -> list[dict]:
    spec = PLAN_TASKS
    plan = options["plan"]
    units = UnitNames(user)
    mechanisms = ElementNames(Mechanism, plan.framework_id, _("机制"))
    programs = ElementNames(Program, plan.framework_id, _("工程"))
    existing = set(PlanTask.objects.filter(plan=plan).values_list("number", flat=True))
    seen: dict[str, int] = {}
    checked = []
    for row in rows:
        v = row.values
        h = spec.header
        required(row, spec, report, "number", "content", "lead_unit", "mechanism", "deadline")
        item = {"row": row.number, "co_units": []}
        number = cell_text(v.get("number"))
        if number:
            if len(number) > 16:
                report.add(row.number, h("number"), _("任务编号不能超过16个字符。"))
            elif number in seen:
                report.add(
                    row.number,
                    h("number"),
                    _("任务编号“%(n)s”与第 %(row)d 行重复。") % {"n": number, "row": seen[number]},
                )
            elif number in existing:
                report.add(
                    row.number, h("number"), _("任务编号“%(n)s”在本方案中已存在。") % {"n": number}
                )
            seen.setdefault(number, row.number)
        item["number"] = number
        item["content"] = cell_text(v.get("content"))
        lead = None
        if cell_text(v.get("lead_unit")):
            lead, error = units.find(cell_text(v.get("lead_unit")))
            if error:
                report.add(row.number, h("lead_unit"), error)
        item["lead_unit"] = lead
        for name in split_names(v.get("co_units")):
            unit, error = units.find(name)
            if error:
                report.add(row.number, h("co_units"), error)
            elif lead is not None and unit.pk == lead.pk:
                report.add(
                    row.number,
                    h("co_units"),
                    _("协办单位“%(name)s”与牵头单位相同。") % {"name": name},
                )
            elif unit not in item["co_units"]:
                item["co_units"].append(unit)
        for key, lookup in (("mechanism", mechanisms), ("program", programs)):
            name = cell_text(v.get(key))
            item[key] = None
            if name:
                element, error = lookup.find(name)
                if error:
                    report.add(row.number, h(key), error)
                item[key] = element
        for key in ("deadline", "completed_on"):
            item[key] = None
            if cell_text(v.get(key)):
                try:
                    item[key] = cell_date(v.get(key))
                except ValueError as exc:
                    report.add(row.number, h(key), str(exc))
        status = PlanTaskStatus.PENDING
        if cell_text(v.get("status")):
            status = _choice(v.get("status"), PlanTaskStatus)
            if status is None:
                report.add(
                    row.number,
                    h("status"),
                    _("状态只能是:%(labels)s。") % {"labels": _labels(PlanTaskStatus)},
                )
        item["status"] = status
        if status == PlanTaskStatus.COMPLETED and not cell_text(v.get("completed_on")):
            report.add(row.number, h("completed_on"), _("已完成的任务须填写完成日期。"))
        if status != PlanTaskStatus.COMPLETED and item["completed_on"]:
            report.add(row.number, h("completed_on"), _("未完成的任务不能填写完成日期。"))
        checked.append(item)
    return checked


PLAN_TASK_FIELDS = {
    "number": "number",
    "content": "content",
    "lead_unit": "lead_unit",
    "co_units": "co_units",
    "mechanism": "mechanism",
    "program": "program",
    "deadline": "deadline",
    "status": "status",
    "completed_on": "completed_on",
}


def apply_plan_tasks(checked: list[dict], user, report: Report, options: dict) -> int:
    if not _may_manage(user):
        raise PermissionDenied(_("只有纪委惩防办可以执行此操作。"))
    written = 0
    for item in checked:
        row = Row(item["row"], {})
        try:
            audited_create(
                PlanTask,
                actor=user,
                m2m={"co_units": item["co_units"]},
                audit_reason=_("导入任务分工方案"),
                plan=options["plan"],
                number=item["number"],
                content=item["content"],
                lead_unit=item["lead_unit"],
                mechanism=item["mechanism"],
                program=item["program"],
                deadline=item["deadline"],
                status=item["status"],
                completed_on=item["completed_on"],
            )
            written += 1
        except ValidationError as exc:
            service_errors(report, row, PLAN_TASKS, exc, PLAN_TASK_FIELDS)
    return written


PLAN_TASKS = register(
    ImportSpec(
        name="plan-tasks",
        title=gettext_lazy("任务分工方案"),
        columns=PLAN_TASK_COLUMNS,
        check=check_plan_tasks,
        apply=apply_plan_tasks,
        may_import=_may_manage,
        model=PlanTask,
        options_form=PlanChoiceForm,
    )
)


# --- Projects with their targets --------------------------------------------------------------

PROJECT_COLUMNS = (
    ImportColumn("year", gettext_lazy("年度"), example=2011, width=8),
    ImportColumn("number", gettext_lazy("项目编号"), example="2011-001"),
    ImportColumn("name", gettext_lazy("项目名称"), example="风险岗位廉能管理", width=36),
    ImportColumn(
        "category",
        gettext_lazy("项目类别"),
        example="共性项目",
        help=gettext_lazy("共性项目、个性项目或延伸项目"),
    ),
    ImportColumn("tier", gettext_lazy("层级"), example="部门"),
    ImportColumn("program", gettext_lazy("工程"), example="廉政阳光工程", width=18),
    ImportColumn("lead_unit", gettext_lazy("牵头单位"), example="市财政局", width=24),
    ImportColumn("start_date", gettext_lazy("开始日期"), example="2011-01-01"),
    ImportColumn("end_date", gettext_lazy("结束日期"), example="2011-12-31"),
    ImportColumn("description", gettext_lazy("项目内容"), required=False, width=36),
    ImportColumn("target", gettext_lazy("目标内容"), example="开展廉政培训", width=30),
    ImportColumn("measure_unit", gettext_lazy("计量单位"), example="次", width=10),
    ImportColumn("target_value", gettext_lazy("目标值"), example=4, width=10),
    ImportColumn("due_date", gettext_lazy("目标完成时限"), example="2011-12-31"),
)
PROJECT_KEYS = ("name", "category", "tier", "program", "lead_unit", "start_date", "end_date")


def _may_create_projects(user) -> bool:
    return services.can_manage_projects(user)


def check_projects(rows: list[Row], user, report: Report, options: dict) -> list[dict]:
    spec = PROJECTS
    h = spec.header
    units = UnitNames(user)
    tiers = {t.name: t for t in Tier.objects.all()} | {t.code: t for t in Tier.objects.all()}
    programs = {p.name: p for p in Program.objects.all()} | {
        p.code: p for p in Program.objects.all()
    }
    projects: dict[tuple, dict] = {}
    for row in rows:
        v = row.values
        if not required(row, spec, report, *[c.key for c in spec.columns if c.required]):
            continue
        try:
            year = cell_int(v["year"], minimum=2000, maximum=2100)
        except ValueError as exc:
            report.add(row.number, h("year"), str(exc))
            continue
        number = cell_text(v["number"])
        key = (year, number)
        fields = {"year": year, "number": number, "name": cell_text(v["name"])}
        fields["description"] = cell_text(v.get("description"))
        fields["category"] = _choice(v["category"], ProjectCategory)
        if fields["category"] is None:
            report.add(
                row.number,
                h("category"),
                _("项目类别只能是:%(labels)s。") % {"labels": _labels(ProjectCategory)},
            )
        for name, table, kind in (("tier", tiers, _("层级")), ("program", programs, _("工程"))):
            fields[name] = table.get(cell_text(v[name]))
            if fields[name] is None:
                report.add(row.number, h(name), unknown(kind, cell_text(v[name]), table))
        fields["lead_unit"], error = units.find(cell_text(v["lead_unit"]))
        if error:
            report.add(row.number, h("lead_unit"), error)
        for name in ("start_date", "end_date"):
            try:
                fields[name] = cell_date(v[name])
            except ValueError as exc:
                report.add(row.number, h(name), str(exc))
                fields[name] = None
        target = {
            "description": cell_text(v["target"]),
            "measure_unit": cell_text(v["measure_unit"]),
        }
        try:
            target["target_value"] = cell_decimal(v["target_value"])
            if target["target_value"] <= 0:
                report.add(row.number, h("target_value"), _("目标值须大于0。"))
        except ValueError as exc:
            report.add(row.number, h("target_value"), str(exc))
        try:
            target["due_date"] = cell_date(v["due_date"])
        except ValueError as exc:
            report.add(row.number, h("due_date"), str(exc))
        if key not in projects:
            if Project.objects.filter(year=year, number=number).exists():
                report.add(
                    row.number,
                    h("number"),
                    _("%(year)d 年已有编号为“%(n)s”的项目。") % {"year": year, "n": number},
                )
            projects[key] = {"row": row.number, "fields": fields, "targets": []}
        else:
            first = projects[key]["fields"]
            for name in PROJECT_KEYS:
                if first.get(name) != fields.get(name):
                    report.add(
                        row.number,
                        h(name),
                        _("与第 %(row)d 行同一项目的“%(col)s”不一致。")
                        % {"row": projects[key]["row"], "col": h(name)},
                    )
        target["sort_order"] = len(projects[key]["targets"])
        target["row"] = row.number
        projects[key]["targets"].append(target)
    return list(projects.values())


PROJECT_FIELDS = {name: name for name in ("year", "number", "name", "category", "tier")} | {
    "program": "program",
    "lead_unit": "lead_unit",
    "start_date": "start_date",
    "end_date": "end_date",
    "description": "description",
    "targets": "target",
}


def apply_projects(checked: list[dict], user, report: Report, options: dict) -> int:
    written = 0
    for item in checked:
        row = Row(item["row"], {})
        targets = [{k: t[k] for k in t if k != "row"} for t in item["targets"]]
        try:
            services.project_create(actor=user, targets=targets, **item["fields"])
            written += 1
        except ValidationError as exc:
            service_errors(report, row, PROJECTS, exc, PROJECT_FIELDS)
        except PermissionDenied as exc:
            report.add(row.number, "", str(exc))
    return written


PROJECTS = register(
    ImportSpec(
        name="projects",
        title=gettext_lazy("重点工作项目及量化目标"),
        columns=PROJECT_COLUMNS,
        check=check_projects,
        apply=apply_projects,
        may_import=_may_create_projects,
        model=Project,
    )
)


# --- Ledger entries in bulk -------------------------------------------------------------------

LEDGER_COLUMNS = (
    ImportColumn("year", gettext_lazy("年度"), example=2011, width=8),
    ImportColumn("number", gettext_lazy("项目编号"), example="2011-001"),
    ImportColumn("entry_date", gettext_lazy("日期"), example="2011-03-31"),
    ImportColumn("content", gettext_lazy("工作进展"), example="完成一季度培训", width=50),
    ImportColumn(
        "progress_percent",
        gettext_lazy("完成进度(%)"),
        example=25,
        help=gettext_lazy("0 到 100 的整数"),
    ),
)
LEDGER_FIELDS = {
    "entry_date": "entry_date",
    "content": "content",
    "progress_percent": "progress_percent",
    "project": "number",
    "unit": "number",
}


def _may_write_ledgers(user) -> bool:
    from pingxiang_cf.roles import EDITOR_ROLES
    from pingxiang_cf.scope import get_user_scope

    scope = get_user_scope(user)
    return scope.is_superuser or bool(scope.roles & EDITOR_ROLES)


def check_ledger_entries(rows: list[Row], user, report: Report, options: dict) -> list[dict]:
    spec = LEDGER_ENTRIES
    h = spec.header
    wanted = Q()
    for row in rows:
        with contextlib.suppress(ValueError):
            wanted |= Q(
                year=cell_int(row.values.get("year")), number=cell_text(row.values.get("number"))
            )
    visible = (
        {
            (p.year, p.number): p
            for p in Project.objects.restrict(user).filter(wanted).select_related("lead_unit")
        }
        if wanted
        else {}
    )
    checked = []
    for row in rows:
        v = row.values
        if not required(row, spec, report, *[c.key for c in spec.columns]):
            continue
        item = {"row": row.number}
        try:
            year = cell_int(v["year"], minimum=2000, maximum=2100)
        except ValueError as exc:
            report.add(row.number, h("year"), str(exc))
            continue
        project = visible.get((year, cell_text(v["number"])))
        if project is None:
            report.add(
                row.number,
                h("number"),
                _("未找到 %(year)d 年编号为“%(n)s”的项目(或不在您的范围内)。")
                % {"year": year, "n": cell_text(v["number"])},
            )
        elif not services.can_write_ledger(user, project):
            report.add(row.number, h("number"), _("台账只能由填报单位填写和修改。"))
        item["project"] = project
        try:
            item["entry_date"] = cell_date(v["entry_date"])
        except ValueError as exc:
            report.add(row.number, h("entry_date"), str(exc))
        try:
            item["progress_percent"] = cell_int(v["progress_percent"], minimum=0, maximum=100)
        except ValueError as exc:
            report.add(row.number, h("progress_percent"), str(exc))
        item["content"] = cell_text(v["content"])
        checked.append(item)
    return checked


def apply_ledger_entries(checked: list[dict], user, report: Report, options: dict) -> int:
    written = 0
    for item in checked:
        row = Row(item["row"], {})
        try:
            services.ledger_entry_create(
                actor=user,
                project=item["project"],
                entry_date=item["entry_date"],
                content=item["content"],
                progress_percent=item["progress_percent"],
            )
            written += 1
        except ValidationError as exc:
            service_errors(report, row, LEDGER_ENTRIES, exc, LEDGER_FIELDS)
        except PermissionDenied as exc:
            report.add(row.number, "", str(exc))
    return written


LEDGER_ENTRIES = register(
    ImportSpec(
        name="ledger-entries",
        title=gettext_lazy("项目台账"),
        columns=LEDGER_COLUMNS,
        check=check_ledger_entries,
        apply=apply_ledger_entries,
        may_import=_may_write_ledgers,
        model=LedgerEntry,
    )
)

"""Writes of the project workspace: projects and their targets, the three
splits, the ledger with its evidence, the life cycle, the early-warning rule
and the due/overdue reminders.

Every function takes the acting user as `actor` (None for system jobs), runs
in one transaction, checks permission through the visibility rule before it
writes anything, writes through the audited helpers of pingxiang_cf.services
and queues notifications with `transaction.on_commit`. Bad input raises
ValidationError with a Chinese message; a user who may not act gets
PermissionDenied."""

from __future__ import annotations

import datetime
import logging
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pingxiang_cf.filetypes import sniff
from pingxiang_cf.models import REMINDER_VERBS, Notification, NotificationVerb
from pingxiang_cf.notifications import build_notifications, notify
from pingxiang_cf.roles import EDITOR_ROLES
from pingxiang_cf.scope import get_user_scope
from pingxiang_cf.services import (
    audited_create,
    audited_delete,
    audited_transition,
    audited_update,
    ensure_can,
)
from pingxiang_cf.storedfiles import atomic_with_files, store_file
from projects.choices import (
    AssignmentStatus,
    LedgerStatus,
    ProjectCategory,
    ProjectStage,
)
from projects.models import (
    Assignment,
    AssignmentShare,
    Evidence,
    LedgerEntry,
    LedgerQuantity,
    Milestone,
    Project,
    ProjectCoUnit,
    Target,
)
from projects.selectors import assignment_progress, unit_editor_ids

logger = logging.getLogger(__name__)

SPLITTABLE_STAGES = (ProjectStage.ESTABLISH, ProjectStage.IMPLEMENT)
EDITABLE_LEDGER = (LedgerStatus.DRAFT, LedgerStatus.RETURNED)


# --- Who may do what ---------------------------------------------------------------------
# The public predicates answer without a query (the user's scope is cached on
# the user); the `_ensure_*` guards of the services raise on them, and the
# write pages (projects/actions.py) use them for their buttons and their 403s.


def _edits_unit(user, unit) -> bool:
    """The user holds an editor role in `unit` or a unit above it (or is a superuser)."""
    scope = get_user_scope(user)
    if scope.is_superuser:
        return True
    return any(unit.path.startswith(path) for path in scope.unit_paths(EDITOR_ROLES))


def can_manage_projects(user) -> bool:
    """Establishing, changing, copying and advancing projects: the commission office."""
    return get_user_scope(user).edits_all


def can_verify(user) -> bool:
    """Verifying or returning ledger entries: the commission office."""
    return get_user_scope(user).edits_all


def can_split(user, project: Project) -> bool:
    """Splits are made by the lead unit's editors or the commission (the edit
    path of Assignment, `project__lead_unit`)."""
    return get_user_scope(user).edits_all or _edits_unit(user, project.lead_unit)


def ledger_unit(project: Project, assignment: Assignment | None = None):
    """The unit that owns a ledger entry: the assignee of its assignment, else the lead unit."""
    return assignment.assignee_unit if assignment is not None else project.lead_unit


def can_write_ledger(user, entry_or_project, assignment: Assignment | None = None) -> bool:
    """Ledger entries are written by the owning unit's editors only; the
    commission verifies them but does not write them. Pass an entry, or the
    project (and assignment) of an entry to be written."""
    if isinstance(entry_or_project, LedgerEntry):
        unit = entry_or_project.unit
    else:
        unit = ledger_unit(entry_or_project, assignment)
    return _edits_unit(user, unit)


def project_splittable(project: Project) -> bool:
    """Splits are made and changed while a project is established or implemented."""
    return project.stage in SPLITTABLE_STAGES


def entry_editable(entry: LedgerEntry) -> bool:
    """A draft or returned entry may be changed, given evidence and submitted."""
    return entry.status in EDITABLE_LEDGER


def entry_deletable(entry: LedgerEntry) -> bool:
    """Only a draft may be deleted."""
    return entry.status == LedgerStatus.DRAFT


def entry_reviewable(entry: LedgerEntry) -> bool:
    """Only a submitted entry may be verified or returned."""
    return entry.status == LedgerStatus.SUBMITTED


def _ensure(actor, allowed: bool, message: str) -> None:
    """Raise PermissionDenied unless `allowed` (a predicate's answer for
    `actor`) or a system job acts (actor None)."""
    if actor is not None and not allowed:
        raise PermissionDenied(message)


def _ensure_commission(actor) -> None:
    _ensure(actor, can_manage_projects(actor), _("只有纪委惩防办可以执行此操作。"))


def _ensure_verifier(actor) -> None:
    _ensure(actor, can_verify(actor), _("只有纪委惩防办可以执行此操作。"))


def _ensure_splitter(actor, project: Project) -> None:
    _ensure(actor, can_split(actor, project), _("只有牵头单位或纪委惩防办可以分解该项目。"))


def _ensure_ledger_owner(actor, entry_or_project, assignment=None) -> None:
    _ensure(
        actor,
        can_write_ledger(actor, entry_or_project, assignment),
        _("台账只能由填报单位填写和修改。"),
    )


# --- Input helpers ---------------------------------------------------------------------------


def _lock(obj: models.Model) -> models.Model:
    """Lock the row for the rest of the transaction and reload `obj` from it,
    so that a status checked next is the stored one."""
    list(type(obj)._base_manager.select_for_update().filter(pk=obj.pk).values_list("pk"))
    obj.refresh_from_db()
    return obj


def _only(fields: Mapping, allowed: Iterable[str]) -> None:
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise TypeError(f"unexpected fields: {', '.join(unknown)}")


def _required_text(value: str, field: str, message: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: message})
    return text


def _decimal(value, field: str, message: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError({field: message}) from exc


def _prefixed(errors: ValidationError, prefix: str) -> list[str]:
    return [f"{prefix}{message}" for message in errors.messages]


# --- Early warning: the rule -----------------------------------------------------------------


class LightColor(models.TextChoices):
    GREEN = "green", gettext_lazy("绿灯")
    YELLOW = "yellow", gettext_lazy("黄灯")
    RED = "red", gettext_lazy("红灯")


@dataclass(frozen=True)
class Light:
    color: str
    reason: str

    @property
    def label(self) -> str:
        return str(LightColor(self.color).label)


def _round_percent(value) -> int:
    return int(Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def planned_progress(
    *, start_date: datetime.date, end_date: datetime.date, milestones: Iterable, on: datetime.date
) -> int:
    """The progress planned by the day `on`: straight lines through 0 % at
    `start_date`, each milestone's (planned_date, planned_progress) and
    100 % at `end_date`. `milestones` are Milestone objects or pairs."""
    if on <= start_date:
        return 0
    if on >= end_date:
        return 100
    points = {start_date: 0}
    for milestone in milestones:
        when, percent = (
            (milestone.planned_date, milestone.planned_progress)
            if isinstance(milestone, Milestone)
            else milestone
        )
        if start_date < when < end_date:
            points[when] = max(points.get(when, 0), percent)
    points[end_date] = 100
    dates = sorted(points)
    for left, right in zip(dates, dates[1:], strict=False):
        if left <= on <= right:
            share = Decimal((on - left).days) / Decimal((right - left).days)
            return _round_percent(points[left] + (points[right] - points[left]) * share)
    return 100  # not reached: `on` lies between start and end


def warning_light(
    *,
    planned_progress: int,
    actual_progress: int,
    due_date: datetime.date,
    today: datetime.date,
    done: bool,
) -> Light:
    """The early-warning light of a project or an assignment.

    green  done, or on track;
    red    overdue and not done, or behind plan by more than WARNING_RED_MARGIN points;
    yellow behind by more than WARNING_YELLOW_MARGIN points, or due within
           WARNING_DUE_SOON_DAYS days (today included).
    The reason is one sentence for the user."""
    planned, actual = int(planned_progress), int(actual_progress)
    if done:
        return Light(LightColor.GREEN, _("已完成。"))
    days_left = (due_date - today).days
    behind = planned - actual
    figures = {"planned": planned, "actual": actual, "behind": behind}
    if days_left < 0:
        return Light(
            LightColor.RED,
            _("已超过完成时限(%(due)s)%(days)d天,实际核实进度%(actual)d%%,尚未完成。")
            % {"due": due_date.isoformat(), "days": -days_left, "actual": actual},
        )
    if behind > settings.WARNING_RED_MARGIN:
        return Light(
            LightColor.RED,
            _("计划进度%(planned)d%%,实际核实进度%(actual)d%%,落后%(behind)d个百分点。") % figures,
        )
    if behind > settings.WARNING_YELLOW_MARGIN:
        return Light(
            LightColor.YELLOW,
            _("计划进度%(planned)d%%,实际核实进度%(actual)d%%,落后%(behind)d个百分点。") % figures,
        )
    if days_left <= settings.WARNING_DUE_SOON_DAYS:
        if days_left == 0:
            message = _("今天是完成时限,实际核实进度%(actual)d%%。")
        else:
            message = _("距完成时限(%(due)s)还有%(days)d天,实际核实进度%(actual)d%%。")
        return Light(
            LightColor.YELLOW,
            message % {"due": due_date.isoformat(), "days": days_left, "actual": actual},
        )
    return Light(
        LightColor.GREEN,
        _("进度正常:计划进度%(planned)d%%,实际核实进度%(actual)d%%。") % figures,
    )


def _rollups_stale(*project_ids) -> None:
    """Queue the dashboards' rollup refresh for these projects, after commit."""
    from dashboards.tasks import request_refresh  # the top layer, imported late

    request_refresh(project_ids)


# --- Projects ------------------------------------------------------------------------------------

PROJECT_FIELDS = (
    "number",
    "year",
    "name",
    "category",
    "tier",
    "program",
    "brand_model",
    "plan_task",
    "lead_unit",
    "responsible_official",
    "description",
    "start_date",
    "end_date",
)
TARGET_FIELDS = ("description", "measure_unit", "target_value", "due_date", "sort_order")
MILESTONE_FIELDS = ("name", "stage", "planned_date", "planned_progress", "actual_date")
STAGE_ORDER = (
    ProjectStage.ESTABLISH,
    ProjectStage.IMPLEMENT,
    ProjectStage.EVALUATE,
    ProjectStage.PROMOTE,
)


def _sync_rows(project, *, model, specs, fields, label, actor, deletable=None) -> list[str]:
    """Create, update (specs carrying "pk") and delete (rows left out) the
    targets or milestones of a project. Returns the error messages, each
    prefixed with the row it is about; the caller raises them together."""
    existing = {row.pk: row for row in model.objects.filter(project=project)}
    kept, errors = set(), []
    for index, spec in enumerate(specs, 1):
        values = dict(spec)
        pk = values.pop("pk", None) or values.pop("id", None)
        _only(values, fields)
        prefix = label % {"index": index}
        try:
            if pk is None:
                audited_create(model, actor=actor, project=project, **values)
            elif pk in existing:
                kept.add(pk)
                audited_update(existing[pk], actor=actor, **values)
            else:
                errors.append(prefix + _("不属于本项目。"))
        except ValidationError as exc:
            errors.extend(_prefixed(exc, prefix))
    for pk, row in existing.items():
        if pk in kept:
            continue
        refusal = deletable(row) if deletable else None
        if refusal:
            errors.append(refusal)
        else:
            audited_delete(row, actor=actor)
    return errors


def _target_deleter(actor):
    """The refusal for deleting a target that has ledger quantities; a target
    without them may go, its shares deleted first with their audit rows."""

    def refusal(target: Target) -> str | None:
        if target.quantities.exists():
            return _("量化目标「%(name)s」已有台账填报的完成数量,不能删除。") % {
                "name": target.description
            }
        for share in target.shares.all():
            audited_delete(share, actor=actor)
        return None

    return refusal


def _sync_co_units(project: Project, units: Iterable, *, actor) -> list[str]:
    """Make the project's co-organizing units exactly `units`. A unit that
    carries an outer split cannot be removed."""
    wanted = {unit.pk: unit for unit in units}
    links = {link.unit_id: link for link in project.co_unit_links.select_related("unit")}
    errors = []
    for unit_id, link in links.items():
        if unit_id in wanted:
            continue
        busy = project.assignments.filter(assignee_unit_id=unit_id).exclude(
            status=AssignmentStatus.CANCELLED
        )
        if busy.exists():
            errors.append(
                _("协办单位「%(unit)s」承担着本项目的外分任务,不能移除。") % {"unit": link.unit}
            )
        else:
            audited_delete(link, actor=actor)
    for unit_id, unit in wanted.items():
        if unit_id not in links:
            try:
                audited_create(ProjectCoUnit, actor=actor, project=project, unit=unit)
            except ValidationError as exc:
                errors.extend(_prefixed(exc, _("协办单位「%(unit)s」:") % {"unit": unit}))
    return errors


def _period_errors(project: Project) -> dict[str, list[str]]:
    """Targets, milestones and open splits must lie inside the project's period."""
    start, end = project.start_date, project.end_date
    errors: dict[str, list[str]] = {}
    for target in project.targets.all():
        if not start <= target.due_date <= end:
            errors.setdefault("targets", []).append(
                _("量化目标「%(name)s」的完成时限须在项目起止日期之内。")
                % {"name": target.description}
            )
    for milestone in project.milestones.all():
        if not start <= milestone.planned_date <= end:
            errors.setdefault("milestones", []).append(
                _("节点「%(name)s」的计划日期须在项目起止日期之内。") % {"name": milestone.name}
            )
    open_splits = project.assignments.exclude(status=AssignmentStatus.CANCELLED)
    for assignment in open_splits.select_related("assignee_unit", "section"):
        if not start <= assignment.deadline <= end:
            errors.setdefault("end_date", []).append(
                _("任务分解「%(name)s」的完成时限须在项目起止日期之内。") % {"name": assignment}
            )
    return errors


def _raise_collected(errors: dict[str, list[str]]) -> None:
    errors = {field: messages for field, messages in errors.items() if messages}
    if errors:
        raise ValidationError(errors)


TARGET_LABEL = gettext_lazy("第%(index)d项量化目标:")
MILESTONE_LABEL = gettext_lazy("第%(index)d个节点:")


def _sync_project_rows(project: Project, *, actor, targets, co_units, milestones) -> None:
    """Bring the project's co-units, targets and milestones to the given
    lists (None leaves that list alone), then check every date against the
    project's period; all messages are raised together."""
    errors: dict[str, list[str]] = {}
    if co_units is not None:
        errors["co_units"] = _sync_co_units(project, co_units, actor=actor)
    if targets is not None:
        errors["targets"] = _sync_rows(
            project,
            model=Target,
            specs=targets,
            fields=TARGET_FIELDS,
            label=str(TARGET_LABEL),
            actor=actor,
            deletable=_target_deleter(actor),
        )
    if milestones is not None:
        errors["milestones"] = _sync_rows(
            project,
            model=Milestone,
            specs=milestones,
            fields=MILESTONE_FIELDS,
            label=str(MILESTONE_LABEL),
            actor=actor,
        )
    _raise_collected(errors)
    _raise_collected(_period_errors(project))


@transaction.atomic
def project_create(
    *, actor, targets=(), mechanisms=(), co_units=(), milestones=(), **fields
) -> Project:
    """Establish (立项) a project with its quantified targets (dicts of
    description, measure_unit, target_value, due_date), mechanisms,
    co-organizing units and milestones (dicts of name, stage, planned_date,
    planned_progress). Commission only; the project starts at "establish"."""
    _ensure_commission(actor)
    _only(fields, PROJECT_FIELDS)
    project = audited_create(Project, actor=actor, m2m={"mechanisms": list(mechanisms)}, **fields)
    _sync_project_rows(
        project, actor=actor, targets=targets, co_units=co_units, milestones=milestones
    )
    _rollups_stale(project.pk)
    return project


@transaction.atomic
def project_update(
    project: Project,
    *,
    actor,
    targets=None,
    mechanisms=None,
    co_units=None,
    milestones=None,
    **changes,
) -> Project:
    """Change a project. Each of targets / co_units / milestones, when given,
    is the complete new list: rows with "pk" are updated, rows without are
    created, rows left out are deleted (a target with ledger quantities
    cannot be). The stage changes only through project_advance."""
    _ensure_commission(actor)
    ensure_can(actor, project)
    _only(changes, PROJECT_FIELDS)
    _check_lead_unit_change(project, changes.get("lead_unit"))
    m2m = None if mechanisms is None else {"mechanisms": list(mechanisms)}
    audited_update(project, actor=actor, m2m=m2m, **changes)
    _sync_project_rows(
        project, actor=actor, targets=targets, co_units=co_units, milestones=milestones
    )
    _rollups_stale(project.pk)
    return project


def _check_lead_unit_change(project: Project, lead_unit) -> None:
    """Splits and ledger entries hang on the lead unit (inner splits go to its
    sections, downward ones to units below it, project entries are its own):
    once there are any, the lead unit stays."""
    if lead_unit is None or getattr(lead_unit, "pk", lead_unit) == project.lead_unit_id:
        return
    if project.assignments.exists() or project.ledger_entries.exists():
        raise ValidationError(
            {"lead_unit": _("项目已有任务分解或台账,不能更换牵头单位;请先撤销分解。")}
        )


def _shift_year(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def project_copy_to_year(project: Project, *, actor, year: int, lead_units=None) -> list[Project]:
    """Copy a common project (共性项目) to `year` for one or several lead
    units in one action. Each copy keeps the project's content, mechanisms,
    co-units, targets and milestones (dates moved into the new year), starts
    at "establish" and records `copied_from`. With one lead unit the copy
    keeps the number; with several, each gets "<number>-01", "-02", … in the
    order given. Refused all together if any number is already taken that
    year or a unit already has a copy of this project for that year."""
    _ensure_commission(actor)
    if project.category != ProjectCategory.COMMON:
        raise ValidationError(_("只有共性项目可以复制到新年度。"))
    units = list({unit.pk: unit for unit in (lead_units or [project.lead_unit])}.values())
    if len(units) == 1:
        numbers = [project.number]
    else:
        numbers = [f"{project.number}-{index:02d}" for index in range(1, len(units) + 1)]
    errors = []
    taken = Project.objects.filter(year=year, number__in=numbers).values_list("number", flat=True)
    errors += [
        _("%(year)d年度已有编号为%(number)s的项目。") % {"year": year, "number": number}
        for number in sorted(taken)
    ]
    copied = Project.objects.filter(year=year, copied_from=project, lead_unit__in=units)
    errors += [
        _("%(year)d年度已为%(unit)s复制过该项目。") % {"year": year, "unit": copy.lead_unit}
        for copy in copied.select_related("lead_unit")
    ]
    if errors:
        raise ValidationError(errors)

    years = year - project.year
    mechanisms = list(project.mechanisms.all())
    co_units = [link.unit for link in project.co_unit_links.select_related("unit")]
    targets = list(project.targets.all())
    milestones = list(project.milestones.all())
    copies = []
    for unit, number in zip(units, numbers, strict=True):
        copy = audited_create(
            Project,
            actor=actor,
            m2m={"mechanisms": mechanisms},
            audit_reason=_("复制自%(year)d年度项目%(number)s")
            % {"year": project.year, "number": project.number},
            number=number,
            year=year,
            name=project.name,
            category=project.category,
            tier=project.tier,
            program=project.program,
            brand_model=project.brand_model,
            plan_task=project.plan_task,
            copied_from=project,
            lead_unit=unit,
            description=project.description,
            stage=ProjectStage.ESTABLISH,
            start_date=_shift_year(project.start_date, years),
            end_date=_shift_year(project.end_date, years),
        )
        for co_unit in co_units:
            if co_unit.pk != unit.pk:
                audited_create(ProjectCoUnit, actor=actor, project=copy, unit=co_unit)
        for target in targets:
            audited_create(
                Target,
                actor=actor,
                project=copy,
                description=target.description,
                measure_unit=target.measure_unit,
                target_value=target.target_value,
                due_date=_shift_year(target.due_date, years),
                sort_order=target.sort_order,
            )
        for milestone in milestones:
            audited_create(
                Milestone,
                actor=actor,
                project=copy,
                name=milestone.name,
                stage=milestone.stage,
                planned_date=_shift_year(milestone.planned_date, years),
                planned_progress=milestone.planned_progress,
            )
        copies.append(copy)
    _rollups_stale(*(copy.pk for copy in copies))
    return copies


@transaction.atomic
def project_advance(
    project: Project, *, actor, to_stage: str, reason: str, promotion_note: str = ""
) -> Project:
    """Move a project one stage on: establish → implement → evaluate →
    promote. Commission only. Implementing needs at least one target;
    evaluating needs every split finished (completed or cancelled);
    promoting needs `promotion_note` (what is promoted, and to whom). The
    transition row and audit rows record actor, time and reason."""
    _ensure_commission(actor)
    ensure_can(actor, project)
    project = _lock(project)
    reason = _required_text(reason, "reason", _("请填写阶段变更的原因。"))
    if to_stage not in STAGE_ORDER:
        raise ValidationError({"to_stage": _("未知的项目阶段。")})
    current = STAGE_ORDER.index(project.stage)
    if STAGE_ORDER.index(to_stage) != current + 1:
        if current + 1 == len(STAGE_ORDER):
            message = _("项目已处于推广阶段,不能再推进。")
        else:
            message = _("项目只能逐级推进:当前为“%(current)s”,下一阶段为“%(next)s”。") % {
                "current": project.get_stage_display(),
                "next": ProjectStage(STAGE_ORDER[current + 1]).label,
            }
        raise ValidationError({"to_stage": message})
    if to_stage == ProjectStage.IMPLEMENT and not project.targets.exists():
        raise ValidationError({"to_stage": _("项目须至少有一个量化目标才能进入实施阶段。")})
    if to_stage == ProjectStage.EVALUATE:
        still_open = project.assignments.filter(status=AssignmentStatus.OPEN).count()
        if still_open:
            raise ValidationError(
                {
                    "to_stage": _("尚有%(count)d项任务分解未完成,不能进入评估阶段。")
                    % {"count": still_open}
                }
            )
    if to_stage == ProjectStage.PROMOTE:
        note = _required_text(
            promotion_note, "promotion_note", _("进入推广阶段须写明推广的内容和推广对象。")
        )
        audited_update(project, actor=actor, audit_reason=reason, promotion_note=note)
    _rollups_stale(project.pk)
    return audited_transition(project, actor=actor, to_state=to_stage, field="stage", reason=reason)


# --- The three splits (三分法) -----------------------------------------------------------------

ASSIGNMENT_FIELDS = (
    "kind",
    "assignee_unit",
    "section",
    "content",
    "deadline",
    "responsible_person",
    "responsible_official",
)


def _check_splittable(project: Project) -> None:
    if not project_splittable(project):
        raise ValidationError(
            _("项目处于“%(stage)s”阶段,不能再分解或调整任务。")
            % {"stage": project.get_stage_display()}
        )


def _check_deadline_after_start(project: Project, deadline) -> None:
    """The model checks the deadline against the project's end; this is the start."""
    if deadline and deadline < project.start_date:
        raise ValidationError({"deadline": _("完成时限不能早于项目开始日期。")})


def _set_shares(assignment: Assignment, shares: Mapping, *, actor) -> None:
    """Make the assignment's target shares exactly `shares` ({target: percent};
    a percent of 0 or empty removes the share). The targets are locked so
    that two splits made at once cannot pass 100 % together."""
    wanted: dict[int, tuple[Target, Decimal | None]] = {}
    for target, value in shares.items():
        percent = _decimal(value, "shares", _("分担比例须为数字。"))
        wanted[target.pk] = (target, percent or None)
    list(Target.objects.select_for_update().filter(pk__in=list(wanted)).values_list("pk"))
    existing = {share.target_id: share for share in assignment.shares.all()}
    for target_id, share in existing.items():
        if wanted.get(target_id, (None, None))[1] is None:
            audited_delete(share, actor=actor)
    errors = []
    for target_id, (target, percent) in wanted.items():
        if percent is None:
            continue
        try:
            if target_id in existing:
                audited_update(existing[target_id], actor=actor, share_percent=percent)
            else:
                audited_create(
                    AssignmentShare,
                    actor=actor,
                    assignment=assignment,
                    target=target,
                    share_percent=percent,
                )
        except ValidationError as exc:
            errors += _prefixed(exc, _("量化目标「%(name)s」:") % {"name": target.description})
    if errors:
        raise ValidationError({"shares": errors})


def _notify_assigned(assignment: Assignment) -> None:
    recipients = unit_editor_ids([assignment.assignee_unit_id]).get(assignment.assignee_unit_id)
    if not recipients:
        return
    notify(
        recipients=recipients,
        verb=NotificationVerb.ASSIGNED,
        obj=assignment,
        message=_("项目「%(project)s」分解给你单位一项任务(%(kind)s),完成时限%(deadline)s。")
        % {
            "project": assignment.project.name,
            "kind": assignment.get_kind_display(),
            "deadline": assignment.deadline.isoformat(),
        },
    )


@transaction.atomic
def assignment_create(
    *,
    actor,
    project: Project,
    kind: str,
    assignee_unit,
    content: str,
    deadline: datetime.date,
    section=None,
    responsible_person: str = "",
    responsible_official=None,
    shares: Mapping | None = None,
) -> Assignment:
    """Split a project (inner to a section of the lead unit, outer to a
    co-organizing unit, downward to a unit below the lead unit) with the
    assignment's share of each target ({target: percent}). By the lead unit's
    editors or the commission, while the project is established or being
    implemented. The assignee unit's editors are notified."""
    _ensure_splitter(actor, project)
    project = _lock(project)  # project_advance counts open splits under the same lock
    _check_splittable(project)
    _check_deadline_after_start(project, deadline)
    assignment = audited_create(
        Assignment,
        actor=actor,
        project=project,
        kind=kind,
        assignee_unit=assignee_unit,
        section=section,
        content=content,
        deadline=deadline,
        responsible_person=responsible_person,
        responsible_official=responsible_official,
    )
    _set_shares(assignment, shares or {}, actor=actor)
    _notify_assigned(assignment)
    _rollups_stale(project.pk)
    return assignment


@transaction.atomic
def assignment_update(assignment: Assignment, *, actor, shares=None, **changes) -> Assignment:
    """Change an open assignment; `shares`, when given, is the complete new
    {target: percent}. A new assignee unit is notified; an assignment that
    already has ledger entries keeps its assignee."""
    _ensure_splitter(actor, assignment.project)
    assignment = _lock(assignment)
    if assignment.status != AssignmentStatus.OPEN:
        raise ValidationError(_("只能修改进行中的任务分解。"))
    _check_splittable(assignment.project)
    _only(changes, ASSIGNMENT_FIELDS)
    old_assignee = assignment.assignee_unit_id
    new_assignee = getattr(changes.get("assignee_unit"), "pk", old_assignee)
    if new_assignee != old_assignee and assignment.ledger_entries.exists():
        raise ValidationError({"assignee_unit": _("该任务分解已有台账,不能更换承担单位。")})
    if "deadline" in changes:
        _check_deadline_after_start(assignment.project, changes["deadline"])
    audited_update(assignment, actor=actor, **changes)
    if shares is not None:
        _set_shares(assignment, shares, actor=actor)
    if new_assignee != old_assignee:
        _notify_assigned(assignment)
    _rollups_stale(assignment.project_id)
    return assignment


@transaction.atomic
def assignment_cancel(assignment: Assignment, *, actor, reason: str) -> Assignment:
    """Cancel an open assignment. Its target shares are released (deleted,
    with audit rows) so that the target can be split again."""
    _ensure_splitter(actor, assignment.project)
    reason = _required_text(reason, "reason", _("请填写撤销原因。"))
    assignment = _lock(assignment)
    if assignment.status != AssignmentStatus.OPEN:
        raise ValidationError(_("只能撤销进行中的任务分解。"))
    for share in assignment.shares.all():
        audited_delete(share, actor=actor, audit_reason=reason)
    _rollups_stale(assignment.project_id)
    return audited_transition(
        assignment, actor=actor, to_state=AssignmentStatus.CANCELLED, reason=reason
    )


@transaction.atomic
def assignment_complete(assignment: Assignment, *, actor, reason: str = "") -> Assignment:
    """Mark an open assignment completed (the lead unit or the commission).
    Verifying a 100 % ledger entry of the assignment does this by itself."""
    _ensure_splitter(actor, assignment.project)
    assignment = _lock(assignment)
    if assignment.status != AssignmentStatus.OPEN:
        raise ValidationError(_("只能办结进行中的任务分解。"))
    _rollups_stale(assignment.project_id)
    return audited_transition(
        assignment, actor=actor, to_state=AssignmentStatus.COMPLETED, reason=reason
    )


# --- The ledger (台账) ---------------------------------------------------------------------
# Flow: an owner creates a draft (or creates and submits at once), may change
# it while it is a draft or returned, and submits it; the commission verifies
# it (final) or returns it with a comment; a returned entry is corrected and
# submitted again. Only verified entries count for progress.

LEDGER_FIELDS = ("entry_date", "content", "progress_percent")


def _check_entry_date(project: Project, entry_date) -> None:
    if not entry_date:
        return
    if entry_date < project.start_date:
        raise ValidationError({"entry_date": _("台账日期不能早于项目开始日期。")})
    if entry_date > timezone.localdate():
        raise ValidationError({"entry_date": _("台账日期不能晚于今天。")})


def _check_assignment_open(assignment: Assignment | None) -> None:
    """Entries are written and submitted only on an open assignment: a
    cancelled one has given its shares back, a completed one is closed."""
    if assignment is not None and assignment.status != AssignmentStatus.OPEN:
        raise ValidationError(
            {
                "assignment": _("该任务分解“%(status)s”,不能再填报或提交台账。")
                % {"status": assignment.get_status_display()}
            }
        )


def _check_editable(entry: LedgerEntry) -> None:
    if not entry_editable(entry):
        raise ValidationError(
            _("台账“%(status)s”,不能再修改;只有草稿或被退回的台账可以修改。")
            % {"status": entry.get_status_display()}
        )


def _set_quantities(entry: LedgerEntry, quantities: Mapping, *, actor) -> None:
    """Make the entry's quantities exactly `quantities` ({target: quantity};
    empty removes). An assignment's entry reports only the targets that
    assignment shares."""
    shared = None
    if entry.assignment_id:
        shared = set(entry.assignment.shares.values_list("target_id", flat=True))
    existing = {row.target_id: row for row in entry.quantities.all()}
    errors = []
    wanted = {}
    for target, value in quantities.items():
        prefix = _("量化目标「%(name)s」:") % {"name": target.description}
        try:
            wanted[target.pk] = (target, _decimal(value, "quantities", _("完成数量须为数字。")))
        except ValidationError as exc:
            errors += _prefixed(exc, prefix)
            continue
        if shared is not None and wanted[target.pk][1] is not None and target.pk not in shared:
            errors.append(prefix + _("该任务分解未分担此目标,不能填报其完成数量。"))
    if errors:
        raise ValidationError({"quantities": errors})
    for target_id, row in existing.items():
        if wanted.get(target_id, (None, None))[1] is None:
            audited_delete(row, actor=actor)
    for target_id, (target, quantity) in wanted.items():
        if quantity is None:
            continue
        prefix = _("量化目标「%(name)s」:") % {"name": target.description}
        try:
            if target_id in existing:
                audited_update(existing[target_id], actor=actor, quantity=quantity)
            else:
                audited_create(
                    LedgerQuantity, actor=actor, entry=entry, target=target, quantity=quantity
                )
        except ValidationError as exc:
            errors += _prefixed(exc, prefix)
    if errors:
        raise ValidationError({"quantities": errors})


def _author(actor):
    return actor if actor is not None and actor.pk else None


@atomic_with_files
def ledger_entry_create(
    *,
    actor,
    project: Project,
    entry_date: datetime.date,
    content: str,
    progress_percent: int,
    assignment: Assignment | None = None,
    quantities: Mapping | None = None,
    files: Iterable = (),
    submit: bool = False,
) -> LedgerEntry:
    """Write a ledger entry of a project (by the lead unit) or of one of its
    assignments (by the assignee unit), with the quantity achieved per target
    and evidence files. It is a draft unless `submit` is true."""
    unit = ledger_unit(project, assignment)
    _ensure_ledger_owner(actor, project, assignment)
    _check_assignment_open(assignment)
    _check_entry_date(project, entry_date)
    entry = audited_create(
        LedgerEntry,
        actor=actor,
        project=project,
        assignment=assignment,
        unit=unit,
        entry_date=entry_date,
        content=content,
        progress_percent=progress_percent,
        status=LedgerStatus.DRAFT,
        author=_author(actor),
    )
    _set_quantities(entry, quantities or {}, actor=actor)
    _rollups_stale(project.pk)
    for file in files:
        evidence_attach(entry, actor=actor, file=file)
    if submit:
        ledger_entry_submit(entry, actor=actor)
    return entry


@atomic_with_files
def ledger_entry_update(
    entry: LedgerEntry,
    *,
    actor,
    quantities: Mapping | None = None,
    files: Iterable = (),
    submit: bool = False,
    **changes,
) -> LedgerEntry:
    """Correct a draft or returned entry (the owning unit only): `changes` of
    its date, content and progress; `quantities`, when given, is the complete
    new {target: quantity}; `files` are attached as new evidence; with
    `submit` the entry is sent to the commission again, all in one
    transaction."""
    _ensure_ledger_owner(actor, entry)
    entry = _lock(entry)
    _check_editable(entry)
    _check_assignment_open(entry.assignment)
    _only(changes, LEDGER_FIELDS)
    if "entry_date" in changes:
        _check_entry_date(entry.project, changes["entry_date"])
    audited_update(entry, actor=actor, **changes)
    _rollups_stale(entry.project_id)
    if quantities is not None:
        _set_quantities(entry, quantities, actor=actor)
    for file in files:
        evidence_attach(entry, actor=actor, file=file)
    if submit:
        ledger_entry_submit(entry, actor=actor)
    return entry


@transaction.atomic
def ledger_entry_delete(entry: LedgerEntry, *, actor) -> None:
    """Delete a draft entry (the owning unit only) with its quantities and
    evidence; the stored files are removed after the commit."""
    _ensure_ledger_owner(actor, entry)
    entry = _lock(entry)
    if not entry_deletable(entry):
        raise ValidationError(_("只能删除草稿状态的台账。"))
    names = []
    for evidence in entry.evidence.all():
        names.append(evidence.file.name)
        audited_delete(evidence, actor=actor)
    for quantity in entry.quantities.all():
        audited_delete(quantity, actor=actor)
    audited_delete(entry, actor=actor)
    _rollups_stale(entry.project_id)
    transaction.on_commit(lambda: [default_storage.delete(name) for name in names if name])


@transaction.atomic
def ledger_entry_submit(entry: LedgerEntry, *, actor) -> LedgerEntry:
    """Send a draft or returned entry to the commission for verification."""
    _ensure_ledger_owner(actor, entry)
    entry = _lock(entry)
    if not entry_editable(entry):
        raise ValidationError(_("只有草稿或被退回的台账可以提交。"))
    _check_assignment_open(entry.assignment)
    return audited_transition(
        entry, actor=actor, to_state=LedgerStatus.SUBMITTED, reason=_("提交核实")
    )


def _notify_owner(entry: LedgerEntry, *, verb: str, message: str) -> None:
    recipients = list(unit_editor_ids([entry.unit_id]).get(entry.unit_id, []))
    if entry.author_id:
        recipients.append(entry.author_id)
    notify(recipients=recipients, verb=verb, obj=entry, message=message)


def _review(entry: LedgerEntry, *, actor, to_state: str, comment: str) -> LedgerEntry:
    _ensure_verifier(actor)
    entry = _lock(entry)
    if not entry_reviewable(entry):
        raise ValidationError(
            _("只能核实或退回待核实的台账;该台账“%(status)s”。")
            % {"status": entry.get_status_display()}
        )
    entry.reviewer = _author(actor)
    entry.reviewed_at = timezone.now()
    entry.review_comment = comment
    _rollups_stale(entry.project_id)
    return audited_transition(entry, actor=actor, to_state=to_state, reason=comment)


@transaction.atomic
def ledger_entry_verify(entry: LedgerEntry, *, actor, comment: str = "") -> LedgerEntry:
    """The commission confirms a submitted entry; from now on it counts for
    progress and attainment. An assignment whose verified progress reaches
    100 % is completed. The owner's editors are notified."""
    if entry.assignment is not None and entry.assignment.status == AssignmentStatus.CANCELLED:
        raise ValidationError(_("该任务分解已撤销,其台账不能再核实。"))
    entry = _review(entry, actor=actor, to_state=LedgerStatus.VERIFIED, comment=comment.strip())
    assignment = entry.assignment
    # Completion follows the derived progress (the latest verified entry by
    # date), not the entry just verified, so status and progress agree.
    if (
        assignment is not None
        and assignment.status == AssignmentStatus.OPEN
        and assignment_progress(assignment) >= 100
    ):
        audited_transition(
            assignment,
            actor=actor,
            to_state=AssignmentStatus.COMPLETED,
            reason=_("台账核实进度达到100%,任务分解办结。"),
        )
    _notify_owner(
        entry,
        verb=NotificationVerb.VERIFIED,
        message=_("你单位%(date)s的台账(项目「%(project)s」)已核实。")
        % {"date": entry.entry_date.isoformat(), "project": entry.project.name},
    )
    return entry


@transaction.atomic
def ledger_entry_return(entry: LedgerEntry, *, actor, comment: str) -> LedgerEntry:
    """The commission sends a submitted entry back to its owner with a
    comment (required); the owner's editors are notified."""
    comment = _required_text(comment, "comment", _("退回台账须填写退回意见。"))
    entry = _review(entry, actor=actor, to_state=LedgerStatus.RETURNED, comment=comment)
    _notify_owner(
        entry,
        verb=NotificationVerb.RETURNED,
        message=_("你单位%(date)s的台账(项目「%(project)s」)被退回:%(comment)s")
        % {
            "date": entry.entry_date.isoformat(),
            "project": entry.project.name,
            "comment": comment,
        },
    )
    return entry


def _megabytes(size: int) -> str:
    return f"{Decimal(size) / (1024 * 1024):.1f} MB"


@atomic_with_files
def evidence_attach(entry: LedgerEntry, *, actor, file) -> Evidence:
    """Attach an evidence file to a draft or returned entry (the owning unit).
    The type is read from the content (PDF, PNG/JPEG/GIF, docx/xlsx/pptx,
    doc/xls) and must agree with the extension; the size is at most
    EVIDENCE_MAX_BYTES. The file is stored under a random name; the original
    name, the detected content type and the size are kept on the row. The
    stored file is removed again if the transaction does not commit."""
    _ensure_ledger_owner(actor, entry)
    entry = _lock(entry)
    _check_editable(entry)
    original_name = os.path.basename(file.name or "")[:255]
    extension = os.path.splitext(original_name)[1].lower()
    size = file.size or 0
    if size == 0:
        raise ValidationError({"file": _("文件为空。")})
    if size > settings.EVIDENCE_MAX_BYTES:
        raise ValidationError(
            {
                "file": _("文件大小%(size)s超过上限%(limit)s。")
                % {"size": _megabytes(size), "limit": _megabytes(settings.EVIDENCE_MAX_BYTES)}
            }
        )
    kind = sniff(file, extension)
    if kind is None:
        raise ValidationError(
            {
                "file": _(
                    "不支持的文件类型:只接受PDF、图片(PNG、JPEG、GIF)和Office文档"
                    "(docx、xlsx、pptx、doc、xls)。"
                )
            }
        )
    if extension not in kind.extensions:
        raise ValidationError(
            {
                "file": _("文件内容与扩展名不符:内容是%(kind)s文件。")
                % {"kind": kind.extensions[0].lstrip(".").upper()}
            }
        )
    field = Evidence._meta.get_field("file")
    stored = store_file(
        field.storage, field.generate_filename(Evidence(entry=entry), original_name), file
    )
    return audited_create(
        Evidence,
        actor=actor,
        entry=entry,
        file=stored,
        original_name=original_name,
        content_type=kind.content_type,
        size=size,
        uploaded_by=_author(actor),
    )


# --- Reminders (the daily job) ---------------------------------------------------------------


def _reminder_rows(obj, *, recipients, verb, message, today) -> list[Notification]:
    return build_notifications(
        recipients=recipients, verb=verb, obj=obj, message=message, day=today
    )


def notify_due_and_overdue(today: datetime.date | None = None) -> int:
    """Remind the editors of open assignments' assignee units and of the lead
    units of projects still being established or implemented when the due
    date is within WARNING_DUE_SOON_DAYS days ("due_soon") or has passed
    ("overdue"). Idempotent: a recipient gets at most one reminder per verb,
    object and day (a database constraint), and none while an earlier one of
    the same kind is still unread. Returns the number of rows created."""
    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=settings.WARNING_DUE_SOON_DAYS)
    assignments = list(
        Assignment.objects.filter(status=AssignmentStatus.OPEN, deadline__lte=soon)
        .exclude(project__stage__in=(ProjectStage.EVALUATE, ProjectStage.PROMOTE))
        .select_related("project")
    )
    projects = list(
        Project.objects.filter(stage__in=SPLITTABLE_STAGES, end_date__lte=soon).only(
            "pk", "name", "end_date", "lead_unit_id"
        )
    )
    editors = unit_editor_ids(
        {a.assignee_unit_id for a in assignments} | {p.lead_unit_id for p in projects}
    )

    def verb_and_days(due):
        return (
            (NotificationVerb.OVERDUE, (today - due).days)
            if due < today
            else (
                NotificationVerb.DUE_SOON,
                (due - today).days,
            )
        )

    rows: list[Notification] = []
    for assignment in assignments:
        verb, days = verb_and_days(assignment.deadline)
        values = {
            "project": assignment.project.name,
            "due": assignment.deadline.isoformat(),
            "days": days,
        }
        message = (
            _("项目「%(project)s」分解给你单位的任务已于%(due)s到期,已逾期%(days)d天。")
            if verb == NotificationVerb.OVERDUE
            else _("项目「%(project)s」分解给你单位的任务将于%(due)s到期,还有%(days)d天。")
        ) % values
        rows += _reminder_rows(
            assignment,
            recipients=editors.get(assignment.assignee_unit_id, []),
            verb=verb,
            message=message,
            today=today,
        )
    for project in projects:
        verb, days = verb_and_days(project.end_date)
        values = {"project": project.name, "due": project.end_date.isoformat(), "days": days}
        message = (
            _("你单位牵头的项目「%(project)s」已于%(due)s到期,已逾期%(days)d天。")
            if verb == NotificationVerb.OVERDUE
            else _("你单位牵头的项目「%(project)s」将于%(due)s到期,还有%(days)d天。")
        ) % values
        rows += _reminder_rows(
            project,
            recipients=editors.get(project.lead_unit_id, []),
            verb=verb,
            message=message,
            today=today,
        )
    if not rows:
        return 0
    unread = set(
        Notification.objects.filter(
            verb__in=REMINDER_VERBS,
            read_at__isnull=True,
            recipient_id__in={row.recipient_id for row in rows},
        ).values_list("recipient_id", "verb", "content_type_id", "object_id")
    )
    rows = [
        row
        for row in rows
        if (row.recipient_id, row.verb, row.content_type_id, row.object_id) not in unread
    ]
    before = Notification.objects.count()
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    return Notification.objects.count() - before

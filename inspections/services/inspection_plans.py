"""Quarterly inspection plans (一季一督查) and the inspections themselves
(routine, concentrated, special), all written by the commission."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from inspections.choices import PlanStatus
from inspections.models import Inspection, InspectionPlan
from inspections.services import rules
from pingxiang_cf.services import audited_create, audited_transition, audited_update

INSPECTION_FIELDS = (
    "kind",
    "title",
    "cycle",
    "plan",
    "started_on",
    "ended_on",
    "team_leader",
    "team",
    "summary",
)


def can_manage(user) -> bool:
    return rules.is_commission(user)


def quarter_bounds(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    start = datetime.date(year, 3 * quarter - 2, 1)
    end = datetime.date(year + 1, 1, 1) if quarter == 4 else datetime.date(year, 3 * quarter + 1, 1)
    return start, end - datetime.timedelta(days=1)


def _check_units(units) -> list:
    units = list(units or [])
    if not units:
        raise ValidationError({"units": _("请至少选择一个督查单位。")})
    return units


@transaction.atomic
def inspection_plan_create(
    *, actor, year: int, quarter: int, units, title: str = "", note: str = ""
) -> InspectionPlan:
    """The commission's plan for one quarter: which units it inspects (one
    plan per quarter). It starts as a draft."""
    rules.ensure_commission(actor)
    units = _check_units(units)
    title = (title or "").strip() or _("%(year)d年第%(quarter)d季度惩防体系建设督查计划") % {
        "year": year,
        "quarter": quarter,
    }
    return audited_create(
        InspectionPlan,
        actor=actor,
        m2m={"units": units},
        year=year,
        quarter=quarter,
        title=title,
        note=(note or "").strip(),
        status=PlanStatus.DRAFT,
    )


@transaction.atomic
def inspection_plan_update(plan: InspectionPlan, *, actor, units, title: str, note: str = ""):
    """Change a draft plan's units, title and focus."""
    rules.ensure_commission(actor)
    plan = rules.lock(plan)
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError(_("已确定的督查计划不能修改。"))
    units = _check_units(units)
    title = rules.required_text(title, "title", _("请填写计划名称。"))
    return audited_update(
        plan, actor=actor, m2m={"units": units}, title=title, note=(note or "").strip()
    )


@transaction.atomic
def inspection_plan_approve(plan: InspectionPlan, *, actor, reason: str = "") -> InspectionPlan:
    """Fix the plan (draft → approved); inspections are then carried out on it."""
    rules.ensure_commission(actor)
    plan = rules.lock(plan)
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError(_("该督查计划已确定。"))
    if not plan.units.exists():
        raise ValidationError({"units": _("请至少选择一个督查单位。")})
    return audited_transition(
        plan, actor=actor, to_state=PlanStatus.APPROVED, reason=reason or _("确定督查计划")
    )


def _check_inspection(fields: dict) -> None:
    plan = fields.get("plan")
    started, ended = fields.get("started_on"), fields.get("ended_on")
    errors = {}
    if started and ended and ended < started:
        errors["ended_on"] = [_("结束日期不能早于开始日期。")]
    if plan is not None and started:
        start, end = quarter_bounds(plan.year, plan.quarter)
        if not start <= started <= end + datetime.timedelta(days=31):
            errors["started_on"] = [_("督查开始日期须在计划所属季度之内(或其后一个月内)。")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def inspection_create(*, actor, units, **fields) -> Inspection:
    """Record an inspection (routine, concentrated or special) with its team,
    dates and inspected units. Commission only."""
    rules.ensure_commission(actor)
    unknown = sorted(set(fields) - set(INSPECTION_FIELDS))
    if unknown:
        raise TypeError(f"unexpected fields: {', '.join(unknown)}")
    units = _check_units(units)
    _check_inspection(fields)
    return audited_create(Inspection, actor=actor, m2m={"units": units}, **fields)


@transaction.atomic
def inspection_update(inspection: Inspection, *, actor, units=None, **changes) -> Inspection:
    """Change an inspection; a unit with findings stays among its units."""
    rules.ensure_commission(actor)
    unknown = sorted(set(changes) - set(INSPECTION_FIELDS))
    if unknown:
        raise TypeError(f"unexpected fields: {', '.join(unknown)}")
    m2m = None
    if units is not None:
        units = _check_units(units)
        kept = {unit.pk for unit in units}
        with_findings = inspection.findings.exclude(unit_id__in=kept).select_related("unit")
        missing = sorted({finding.unit.name for finding in with_findings})
        if missing:
            raise ValidationError(
                {
                    "units": _("以下单位已有督查问题,不能移除:%(units)s")
                    % {"units": "、".join(missing)}
                }
            )
        m2m = {"units": units}
    merged = {
        "plan": changes.get("plan", inspection.plan),
        "started_on": changes.get("started_on", inspection.started_on),
        "ended_on": changes.get("ended_on", inspection.ended_on),
    }
    _check_inspection(merged)
    return audited_update(inspection, actor=actor, m2m=m2m, **changes)

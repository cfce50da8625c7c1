"""Findings of an inspection and their rectification (整改):

    open ──start──▶ rectifying ──submit──▶ submitted ──verify──▶ verified
      └──────────submit (starts first)──────▲    └──return──▶ returned ──start/submit──┘

The commission records findings and verifies or returns; only the unit's
editors rectify and submit, with an evidence file. Every step appends a
Transition; the unit and the commission are notified of what concerns them."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inspections.choices import FindingStatus, Severity
from inspections.models import Finding, Inspection, Rectification
from inspections.services import rules
from inspections.services.letters import save_reminders
from pingxiang_cf.models import Notification, NotificationVerb
from pingxiang_cf.notifications import build_notifications, notify
from pingxiang_cf.services import audited_create, audited_transition, audited_update
from pingxiang_cf.storedfiles import atomic_with_files

RECTIFIABLE = (FindingStatus.OPEN, FindingStatus.RECTIFYING, FindingStatus.RETURNED)
FINDING_FIELDS = ("project", "description", "severity", "required_rectification", "deadline")


def due_soon_days() -> int:
    from django.conf import settings

    return int(getattr(settings, "FINDING_DUE_SOON_DAYS", 7))


# --- Who may do what ----------------------------------------------------------------------


def can_record(user) -> bool:
    """Recording and changing findings: the commission."""
    return rules.is_commission(user)


def can_rectify(user, finding: Finding) -> bool:
    """The finding's unit (its editors) rectifies while it is not submitted or closed."""
    return finding.status in RECTIFIABLE and rules.edits_unit(user, finding.unit)


def can_review(user, finding: Finding) -> bool:
    return finding.status == FindingStatus.SUBMITTED and rules.is_commission(user)


def _ensure_rectifier(actor, finding) -> None:
    rules.ensure(
        actor,
        actor is None or rules.edits_unit(actor, finding.unit),
        _("整改只能由责任单位填报。"),
    )


# --- Recording findings ----------------------------------------------------------------------


def _check_finding(inspection: Inspection, unit, deadline, project) -> None:
    errors = {}
    if unit is not None and not inspection.units.filter(pk=unit.pk).exists():
        errors["unit"] = [_("责任单位须是本次督查的被督查单位。")]
    if deadline is not None and deadline < inspection.started_on:
        errors["deadline"] = [_("整改时限不能早于督查开始日期。")]
    if project is not None and unit is not None:
        related = (
            project.lead_unit_id == unit.pk
            or project.co_unit_links.filter(unit=unit).exists()
            or project.assignments.filter(assignee_unit=unit).exists()
        )
        if not related:
            errors["project"] = [_("所选项目与责任单位无关(既非牵头、协办,也未承担分解任务)。")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def finding_create(
    *,
    actor,
    inspection: Inspection,
    unit,
    description: str,
    required_rectification: str,
    deadline: datetime.date,
    severity: str = Severity.GENERAL,
    project=None,
) -> Finding:
    """Record a problem found at one inspected unit (and maybe one of its
    projects) with the rectification required and its deadline. Commission
    only; the unit's editors are notified."""
    rules.ensure_commission(actor)
    _check_finding(inspection, unit, deadline, project)
    finding = audited_create(
        Finding,
        actor=actor,
        inspection=inspection,
        unit=unit,
        project=project,
        description=(description or "").strip(),
        severity=severity,
        required_rectification=(required_rectification or "").strip(),
        deadline=deadline,
        status=FindingStatus.OPEN,
    )
    notify(
        recipients=rules.editor_ids(unit.pk),
        verb=NotificationVerb.FINDING,
        obj=finding,
        message=_("%(inspection)s发现你单位存在问题:%(text)s 请于%(due)s前整改到位。")
        % {
            "inspection": inspection.title,
            "text": finding.description,
            "due": deadline.isoformat(),
        },
    )
    return finding


@transaction.atomic
def finding_update(finding: Finding, *, actor, **changes) -> Finding:
    """Correct a finding that is not yet verified (commission only)."""
    rules.ensure_commission(actor)
    unknown = sorted(set(changes) - set(FINDING_FIELDS))
    if unknown:
        raise TypeError(f"unexpected fields: {', '.join(unknown)}")
    finding = rules.lock(finding)
    if finding.status == FindingStatus.VERIFIED:
        raise ValidationError(_("已销号的问题不能修改。"))
    _check_finding(
        finding.inspection,
        finding.unit,
        changes.get("deadline"),
        changes.get("project", finding.project),
    )
    return audited_update(finding, actor=actor, **changes)


# --- Rectification ---------------------------------------------------------------------------


def _check_rectifiable(finding) -> None:
    if finding.status not in RECTIFIABLE:
        raise ValidationError(
            _("该问题“%(status)s”,现在不能整改或提交。") % {"status": finding.get_status_display()}
        )


@transaction.atomic
def finding_start(finding: Finding, *, actor, note: str = "") -> Finding:
    """The unit starts rectifying an open or returned finding."""
    _ensure_rectifier(actor, finding)
    finding = rules.lock(finding)
    if finding.status not in (FindingStatus.OPEN, FindingStatus.RETURNED):
        raise ValidationError(_("只有待整改或被退回的问题可以开始整改。"))
    return audited_transition(
        finding, actor=actor, to_state=FindingStatus.RECTIFYING, reason=note or _("开始整改")
    )


@atomic_with_files
def finding_submit(
    finding: Finding, *, actor, description: str, file, submitted_on=None
) -> Rectification:
    """The unit reports its rectification with an evidence file (required;
    type checked by content, size limited) and submits it to the commission.
    An open or returned finding passes through "rectifying" first."""
    _ensure_rectifier(actor, finding)
    finding = rules.lock(finding)
    _check_rectifiable(finding)
    description = rules.required_text(description, "description", _("请填写整改情况。"))
    if file is None:
        raise ValidationError({"file": _("请上传整改佐证材料。")})
    if finding.status != FindingStatus.RECTIFYING:
        audited_transition(
            finding, actor=actor, to_state=FindingStatus.RECTIFYING, reason=_("开始整改")
        )
    values = rules.store_evidence(
        file,
        field=Rectification._meta.get_field("evidence"),
        instance=Rectification(finding=finding),
    )
    rectification = audited_create(
        Rectification,
        actor=actor,
        finding=finding,
        description=description,
        submitted_by=rules.author(actor),
        submitted_on=submitted_on or timezone.localdate(),
        **values,
    )
    audited_transition(
        finding, actor=actor, to_state=FindingStatus.SUBMITTED, reason=_("提交整改报告")
    )
    notify(
        recipients=rules.commission_user_ids(),
        verb=NotificationVerb.DUE_SOON,
        obj=finding,
        message=_("%(unit)s已提交问题整改报告,请审核:%(text)s")
        % {"unit": finding.unit.name, "text": finding.description[:40]},
    )
    return rectification


def _review(finding, *, actor, accepted: bool, comment: str) -> Finding:
    rules.ensure_commission(actor)
    finding = rules.lock(finding)
    if finding.status != FindingStatus.SUBMITTED:
        raise ValidationError(
            _("只能审核已提交的整改;该问题“%(status)s”。")
            % {"status": finding.get_status_display()}
        )
    latest = finding.rectifications.order_by("-submitted_on", "-pk").first()
    if latest is not None:
        audited_update(
            latest,
            actor=actor,
            accepted=accepted,
            review_comment=comment,
            reviewed_by=rules.author(actor),
            reviewed_on=timezone.localdate(),
        )
    return finding


@transaction.atomic
def finding_verify(finding: Finding, *, actor, comment: str = "") -> Finding:
    """The commission verifies the rectification: the finding is closed (销号)."""
    comment = (comment or "").strip()
    finding = _review(finding, actor=actor, accepted=True, comment=comment)
    audited_update(finding, actor=actor, closed_on=timezone.localdate())
    audited_transition(
        finding,
        actor=actor,
        to_state=FindingStatus.VERIFIED,
        reason=comment or _("整改到位,同意销号"),
    )
    notify(
        recipients=rules.editor_ids(finding.unit_id),
        verb=NotificationVerb.VERIFIED,
        obj=finding,
        message=_("问题“%(text)s”的整改已核实,予以销号。") % {"text": finding.description[:40]},
    )
    return finding


@transaction.atomic
def finding_return(finding: Finding, *, actor, comment: str) -> Finding:
    """The commission returns the rectification with a comment (required)."""
    comment = rules.required_text(comment, "comment", _("退回整改须填写退回意见。"))
    finding = _review(finding, actor=actor, accepted=False, comment=comment)
    audited_transition(finding, actor=actor, to_state=FindingStatus.RETURNED, reason=comment)
    notify(
        recipients=rules.editor_ids(finding.unit_id),
        verb=NotificationVerb.RETURNED,
        obj=finding,
        message=_("问题“%(text)s”的整改被退回:%(comment)s")
        % {"text": finding.description[:40], "comment": comment},
    )
    return finding


# --- Deadline reminders (the daily job) ----------------------------------------------------


def findings_send_deadline_reminders(*, today=None) -> int:
    """Remind the unit's editors of a finding not yet submitted whose deadline
    is within FINDING_DUE_SOON_DAYS days or has passed; at most once per
    recipient, finding, kind and day. Returns the number of rows created."""
    from projects.selectors import unit_editor_ids

    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=due_soon_days())
    findings = list(
        Finding.objects.filter(status__in=RECTIFIABLE, deadline__lte=soon).only(
            "pk", "unit_id", "deadline", "description"
        )
    )
    editors = unit_editor_ids({finding.unit_id for finding in findings})
    rows: list[Notification] = []
    for finding in findings:
        verb, days = rules.deadline_verb(finding.deadline, today)
        values = {
            "text": finding.description[:40],
            "due": finding.deadline.isoformat(),
            "days": days,
        }
        message = (
            _("督查问题“%(text)s”的整改时限(%(due)s)已过%(days)d天,请尽快整改并提交。")
            if verb == NotificationVerb.OVERDUE
            else _("督查问题“%(text)s”须于%(due)s前整改到位,还有%(days)d天。")
        ) % values
        rows += build_notifications(
            recipients=editors.get(finding.unit_id, []),
            verb=verb,
            obj=finding,
            message=message,
            day=today,
        )
    return save_reminders(rows)

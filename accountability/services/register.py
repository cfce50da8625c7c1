"""The commendation and accountability register (表彰 / 责任追究), kept by
the commission office.

A commendation is proposed and then decided (with its document). An
accountability case is proposed, the unit or official is told and states
its case (陈述申辩) by a deadline, then the case is decided (measure,
document number, date, the decision file) or withdrawn. Every step appends
a transition. Rows recorded as already decided (the assessment's outcomes,
`audited_create` with the source fields) are valid register rows too."""

from __future__ import annotations

import os
import uuid

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accountability.choices import OutcomeStatus
from accountability.models import AccountabilityCase, Commendation, Official
from accountability.services.permissions import can_manage, edits_unit, ensure, ensure_commission
from pingxiang_cf import audit
from pingxiang_cf.filetypes import DOC, DOCX, JPEG, PDF, PNG, sniff
from pingxiang_cf.models import AuditAction, AuditLog
from pingxiang_cf.services import (
    audited_create,
    audited_transition,
    finish_audited_write,
)

DECISION_KINDS = (PDF, PNG, JPEG, DOCX, DOC)
DECISION_MAX_BYTES = 20 * 1024 * 1024
SOURCE_FIELDS = ("source_assessment", "source_finding", "source_letter")


def _lock(obj):
    list(type(obj)._base_manager.select_for_update().filter(pk=obj.pk).values("pk"))
    obj.refresh_from_db()
    return obj


def _subject(unit, official) -> dict:
    if bool(unit) == bool(official):
        raise ValidationError(_("单位和干部须且只能填写其中一项。"))
    return {"unit": unit, "official": official}


def _sources(sources: dict) -> dict:
    unknown = set(sources) - set(SOURCE_FIELDS)
    if unknown:
        raise TypeError(f"unexpected fields: {', '.join(sorted(unknown))}")
    return sources


# --- Commendations ------------------------------------------------------------------------


def commendation_propose(
    *, actor, year: int, title: str, source: str, unit=None, official=None, **sources
) -> Commendation:
    ensure_commission(actor)
    return audited_create(
        Commendation,
        actor=actor,
        year=year,
        title=(title or "").strip(),
        source=source,
        status=OutcomeStatus.PROPOSED,
        **_subject(unit, official),
        **_sources(sources),
    )


def _store_decision(obj, file) -> str | None:
    if file is None:
        return None
    name = os.path.basename(getattr(file, "name", "") or "")[:255]
    extension = os.path.splitext(name)[1].lower()
    if file.size > DECISION_MAX_BYTES:
        raise ValidationError({"decision_file": _("决定文件不能超过20MB。")})
    kind = sniff(file, extension)
    if kind not in DECISION_KINDS or extension not in kind.extensions:
        raise ValidationError(
            {"decision_file": _("决定文件只接受PDF、PNG、JPEG或Word文件,且扩展名须与内容一致。")}
        )
    field = obj.decision_file.field
    stored = field.storage.save(
        field.generate_filename(obj, f"{uuid.uuid4().hex}{kind.extensions[0]}"), file
    )
    obj.decision_file.name = stored
    obj.decision_file_name = name
    return stored


def _decide(obj, *, actor, document_number, decided_on, decision_file, reason, **extra):
    if not (document_number or "").strip():
        raise ValidationError({"document_number": _("请填写决定文号。")})
    if not decided_on:
        raise ValidationError({"decided_on": _("请填写决定日期。")})
    if decided_on > timezone.localdate():
        raise ValidationError({"decided_on": _("决定日期不能晚于今天。")})
    obj.document_number = document_number.strip()
    obj.decided_on = decided_on
    for name, value in extra.items():
        setattr(obj, name, value)
    stored = _store_decision(obj, decision_file)
    try:
        return audited_transition(obj, actor=actor, to_state=OutcomeStatus.DECIDED, reason=reason)
    except BaseException:
        if stored:
            obj.decision_file.storage.delete(stored)
        raise


@transaction.atomic
def commendation_decide(
    commendation: Commendation, *, actor, document_number, decided_on, decision_file=None
) -> Commendation:
    ensure_commission(actor)
    commendation = _lock(commendation)
    if commendation.status != OutcomeStatus.PROPOSED:
        raise ValidationError(_("只有拟定状态的表彰可以作出决定。"))
    return _decide(
        commendation,
        actor=actor,
        document_number=document_number,
        decided_on=decided_on,
        decision_file=decision_file,
        reason=_("表彰决定"),
    )


# --- Accountability cases -----------------------------------------------------------------


def case_propose(
    *,
    actor,
    year: int,
    reason: str,
    measure: str,
    source: str,
    unit=None,
    official=None,
    **sources,
) -> AccountabilityCase:
    ensure_commission(actor)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写追究事由。")})
    # The model's `reason` field shares its name with audited_create's audit
    # reason, so the row is written with the same steps audited_create takes.
    with transaction.atomic():
        case = AccountabilityCase(
            year=year,
            reason=reason.strip(),
            measure=measure,
            source=source,
            status=OutcomeStatus.PROPOSED,
            **_subject(unit, official),
            **_sources(sources),
        )
        case.full_clean()
        case.save()
        finish_audited_write(case, actor=actor, before=None)
    return case


@transaction.atomic
def case_request_statement(case: AccountabilityCase, *, actor, deadline) -> AccountabilityCase:
    """Tell the unit or official and give them until `deadline` to state their case."""
    ensure_commission(actor)
    case = _lock(case)
    if case.status != OutcomeStatus.PROPOSED:
        raise ValidationError(_("只有拟定状态的追究事项可以告知陈述申辩。"))
    if not deadline or deadline < timezone.localdate():
        raise ValidationError({"statement_deadline": _("陈述申辩截止日期不能早于今天。")})
    case.statement_deadline = deadline
    return audited_transition(
        case, actor=actor, to_state=OutcomeStatus.STATEMENT, reason=_("告知陈述申辩权利")
    )


def subject_unit(case):
    return case.unit if case.unit_id else case.official.unit


def can_state_case(user, case) -> bool:
    """The statement is written by the subject's own unit (its editors) or
    recorded by the commission when it arrives on paper."""
    return can_manage(user) or edits_unit(user, subject_unit(case))


@transaction.atomic
def case_statement_record(
    case: AccountabilityCase, *, actor, statement: str, statement_on
) -> AccountabilityCase:
    """Record what the unit or official says in its defence, before the deadline."""
    ensure(
        actor, can_state_case(actor, case), _("只有被追究单位或纪委惩防办可以登记陈述申辩意见。")
    )
    case = _lock(case)
    if case.status != OutcomeStatus.STATEMENT:
        raise ValidationError(_("只有处于陈述申辩阶段的追究事项可以登记申辩意见。"))
    today = timezone.localdate()
    if not can_manage(actor) and case.statement_deadline and today > case.statement_deadline:
        raise ValidationError(_("陈述申辩期限已过,请与纪委惩防办联系。"))
    if not (statement or "").strip():
        raise ValidationError({"statement": _("请填写陈述申辩意见。")})
    if not statement_on or statement_on > timezone.localdate():
        raise ValidationError({"statement_on": _("陈述申辩日期不能晚于今天。")})
    # The register belongs to the commission: once the actor's right to state
    # the case is checked, the row is written and audited as audited_update
    # would, without its commission-only scope check.
    before = audit.snapshot(case)
    case.statement, case.statement_on = statement.strip(), statement_on
    case.full_clean()
    case.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=case,
        before=before,
        after=audit.snapshot(case),
        reason=_("陈述申辩"),
    )
    return case


@transaction.atomic
def case_decide(
    case: AccountabilityCase,
    *,
    actor,
    document_number,
    decided_on,
    measure: str = "",
    decision_file=None,
) -> AccountabilityCase:
    """Decide once the subject has stated its case or its deadline has passed."""
    ensure_commission(actor)
    case = _lock(case)
    if case.status != OutcomeStatus.STATEMENT:
        raise ValidationError(_("须先告知陈述申辩,才能作出追究决定。"))
    today = timezone.localdate()
    if not case.statement and case.statement_deadline and case.statement_deadline >= today:
        raise ValidationError(_("陈述申辩期限未满且尚未收到申辩意见,暂不能作出决定。"))
    extra = {"measure": measure} if measure else {}
    return _decide(
        case,
        actor=actor,
        document_number=document_number,
        decided_on=decided_on,
        decision_file=decision_file,
        reason=_("责任追究决定"),
        **extra,
    )


@transaction.atomic
def case_withdraw(case: AccountabilityCase, *, actor, reason: str) -> AccountabilityCase:
    ensure_commission(actor)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("撤销时须说明理由。")})
    case = _lock(case)
    if case.status not in (OutcomeStatus.PROPOSED, OutcomeStatus.STATEMENT):
        raise ValidationError(_("已决定或已撤销的追究事项不能撤销。"))
    return audited_transition(case, actor=actor, to_state=OutcomeStatus.WITHDRAWN, reason=reason)


# --- Personal data exports ----------------------------------------------------------------


def officials_view_audit(*, actor, officials, request=None) -> AuditLog | None:
    """One audit row per page that showed officials' personal details
    unmasked (the commission, the official's own unit): which officials."""
    shown = [o for o in officials if o.phone and not getattr(o, "phone_masked", True)]
    if not shown:
        return None
    return audit.record_event(
        actor=actor,
        action=AuditAction.VIEW_PERSONAL,
        object_repr=_("查看干部个人信息(%(count)d人)") % {"count": len(shown)},
        after={"fields": ["phone"], "officials": [o.pk for o in shown]},
        request=request,
    )


def officials_export_audit(*, actor, count: int, unmasked: int, query: str) -> AuditLog:
    """One audit row per export of officials' personal details: who, when,
    how many rows, how many of them unmasked, with which filters."""
    return AuditLog.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        actor_name=getattr(actor, "username", "") or "",
        action=AuditAction.EXPORT,
        content_type=ContentType.objects.get_for_model(Official),
        object_id="export",
        object_repr=_("导出干部信息(%(count)d条)") % {"count": count},
        after={"export": "officials", "rows": count, "unmasked": unmasked, "query": query},
        reason=_("导出干部个人信息"),
    )

"""Shared rules of the inspections services written for the escalation
ladder, findings, plans and meetings: who may act, row locks, the evidence
upload check and the reminder rows of the daily job.

The predicates answer without a query (the user's scope is cached on the
user); services raise on them, pages use them for buttons and 403s."""

from __future__ import annotations

import datetime
import os
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.translation import gettext as _

from pingxiang_cf.filetypes import sniff
from pingxiang_cf.roles import EDITOR_ROLES
from pingxiang_cf.scope import get_user_scope

# Reused from the project workspace: stored files follow the transaction.
from pingxiang_cf.storedfiles import store_file


def is_commission(user) -> bool:
    """The commission office (or a superuser): issues, reviews, verifies."""
    return get_user_scope(user).edits_all


def edits_unit(user, unit) -> bool:
    """The user holds an editor role (lead/co-unit) in `unit` or above it.
    The commission is not an editor of units: it reviews, it does not answer."""
    scope = get_user_scope(user)
    if scope.is_superuser:
        return True
    return any(unit.path.startswith(path) for path in scope.unit_paths(EDITOR_ROLES))


def ensure(actor, allowed: bool, message: str) -> None:
    """PermissionDenied unless allowed; system jobs (actor None) always may."""
    if actor is not None and not allowed:
        raise PermissionDenied(message)


def ensure_commission(actor) -> None:
    ensure(actor, is_commission(actor), _("只有纪委惩防办可以执行此操作。"))


def lock(obj: models.Model) -> models.Model:
    """Lock the row for the rest of the transaction and reload it."""
    list(type(obj)._base_manager.select_for_update().filter(pk=obj.pk).values_list("pk"))
    obj.refresh_from_db()
    return obj


def author(actor):
    return actor if actor is not None and actor.pk else None


def required_text(value: str, field: str, message: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: message})
    return text


def _megabytes(size: int) -> str:
    return f"{Decimal(size) / (1024 * 1024):.1f} MB"


def store_evidence(file, *, field: models.FileField, instance, error_field="file") -> dict:
    """Check an uploaded evidence file (type read from its content, agreeing
    with its extension; size at most EVIDENCE_MAX_BYTES) and store it under
    a random name. Call inside an `atomic_with_files` service. Returns the
    model values: the file, its original name, content type and size."""
    original_name = os.path.basename(file.name or "")[:255]
    extension = os.path.splitext(original_name)[1].lower()
    size = file.size or 0
    if size == 0:
        raise ValidationError({error_field: _("文件为空。")})
    if size > settings.EVIDENCE_MAX_BYTES:
        raise ValidationError(
            {
                error_field: _("文件大小%(size)s超过上限%(limit)s。")
                % {"size": _megabytes(size), "limit": _megabytes(settings.EVIDENCE_MAX_BYTES)}
            }
        )
    kind = sniff(file, extension)
    if kind is None:
        raise ValidationError(
            {
                error_field: _(
                    "不支持的文件类型:只接受PDF、图片(PNG、JPEG、GIF)和Office文档"
                    "(docx、xlsx、pptx、doc、xls)。"
                )
            }
        )
    if extension not in kind.extensions:
        raise ValidationError(
            {
                error_field: _("文件内容与扩展名不符:内容是%(kind)s文件。")
                % {"kind": kind.extensions[0].lstrip(".").upper()}
            }
        )
    stored = store_file(field.storage, field.generate_filename(instance, original_name), file)
    return {
        "evidence": stored,
        "evidence_name": original_name,
        "evidence_type": kind.content_type,
        "evidence_size": size,
    }


def deadline_verb(due: datetime.date, today: datetime.date):
    """("overdue", days late) or ("due_soon", days left) for a reminder."""
    from pingxiang_cf.models import NotificationVerb

    if due < today:
        return NotificationVerb.OVERDUE, (today - due).days
    return NotificationVerb.DUE_SOON, (due - today).days


def commission_user_ids() -> list[int]:
    """Active users holding the commission role (for notices to the office)."""
    from accountability.models import Membership
    from pingxiang_cf.roles import Role

    return list(
        Membership.objects.filter(role=Role.COMMISSION, user__is_active=True)
        .order_by()
        .values_list("user_id", flat=True)
        .distinct()
    )


def editor_ids(unit_id: int) -> list[int]:
    """The active editors held in one unit."""
    from projects.selectors import unit_editor_ids

    return unit_editor_ids([unit_id]).get(unit_id, [])


def subject_key(*, project=None, assignment=None, finding=None) -> str:
    """One key for what a reminder or letter is about: the narrowest subject."""
    if finding is not None:
        return f"finding:{finding.pk}"
    if assignment is not None:
        return f"assignment:{assignment.pk}"
    if project is not None:
        return f"project:{project.pk}"
    return ""

"""Assertions shared by the model tests: a bad value is refused by
full_clean() with the model's own message, and by the database when
validation is bypassed, and nothing is saved."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction

from pingxiang_cf.models import AuditLog
from pingxiang_cf.services import audited_create


def error_messages(error: ValidationError, field: str | None = None) -> list[str]:
    """The messages of `error`, all of them or those of one field."""
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    if field is None:
        return [m for messages in error.message_dict.values() for m in messages]
    return error.message_dict.get(field, [])


def assert_invalid(obj: models.Model, message: str, *, field: str | None = None) -> None:
    """full_clean() refuses `obj` with exactly `message` among its errors
    (on `field` when given; NON_FIELD_ERRORS for table-wide constraints)."""
    with pytest.raises(ValidationError) as info:
        obj.full_clean()
    found = error_messages(info.value, field)
    assert str(message) in found, info.value.message_dict


def assert_valid(obj: models.Model) -> None:
    obj.full_clean()


def assert_create_refused(model: type[models.Model], message: str, **fields) -> None:
    """The audited create refuses the values with `message`; neither the row
    nor an audit row is written."""
    rows, audits = model._base_manager.count(), AuditLog.objects.count()
    with pytest.raises(ValidationError) as info:
        audited_create(model, actor=None, **fields)
    assert str(message) in error_messages(info.value), info.value
    assert model._base_manager.count() == rows
    assert AuditLog.objects.count() == audits


def assert_db_refuses(write: Callable[[], object], model: type[models.Model]) -> None:
    """The raw write (no validation) raises IntegrityError and leaves the
    table as it was."""
    before = list(model._base_manager.order_by("pk").values())
    with pytest.raises(IntegrityError), transaction.atomic():
        write()
    assert list(model._base_manager.order_by("pk").values()) == before


TABLE = NON_FIELD_ERRORS

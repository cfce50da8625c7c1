"""The audit log cannot be changed unnoticed: rows are append-only in the
application and, on PostgreSQL, in the database; each row carries its
predecessor's hash and `verify_audit_chain` finds any tampering."""

from __future__ import annotations

import threading

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from pingxiang_cf import audit, auditchain
from pingxiang_cf.models import AuditAction, AuditChainHead, AuditLog
from tests import factories as f

pytestmark = pytest.mark.django_db


def _rows(n, actor):
    section_unit = f.UnitFactory()
    return [
        audit.record_event(actor=actor, action=AuditAction.UPDATE, obj=section_unit, reason=str(i))
        for i in range(n)
    ]


def _raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _tamper(sql, params=()):
    """Change the table behind the application's back. On PostgreSQL the
    trigger refuses that, so the tamperer is a database superuser who
    switches triggers off for the session first."""
    if connection.vendor == "postgresql":
        _raw("SET session_replication_role = replica")
    try:
        _raw(sql, params)
    finally:
        if connection.vendor == "postgresql":
            _raw("SET session_replication_role = origin")


def _verify_fails(match: str):
    with pytest.raises(CommandError):
        call_command("verify_audit_chain")
    report = auditchain.verify()
    assert any(match in p for p in report.problems), report.problems


def test_rows_are_numbered_and_linked_to_their_predecessor(commission):
    rows = _rows(3, commission)
    start = rows[0].seq - 1
    assert [r.seq for r in rows] == [start + 1, start + 2, start + 3]
    previous = AuditLog.objects.filter(seq=start).first()
    assert rows[0].prev_hash == (previous.hash if previous else "")
    assert rows[1].prev_hash == rows[0].hash and rows[2].prev_hash == rows[1].hash
    assert len({r.hash for r in rows}) == 3
    head = AuditChainHead.objects.get(pk=1)
    assert (head.seq, head.hash) == (rows[2].seq, rows[2].hash)
    call_command("verify_audit_chain")  # no error
    assert auditchain.verify().ok


def test_rows_written_straight_through_the_orm_join_the_chain_too(commission):
    """create() and bulk_create() (used by bulk services) cannot leave a row
    outside the chain."""
    first = AuditLog.objects.create(actor_name="x", action=AuditAction.EXPORT, object_id="*")
    bulk = AuditLog.objects.bulk_create(
        [AuditLog(actor_name="y", action=AuditAction.UPDATE, object_id=str(i)) for i in range(3)]
    )
    seqs = [first.seq, *(row.seq for row in bulk)]
    assert None not in seqs and seqs == list(range(first.seq, first.seq + 4))
    assert bulk[0].prev_hash == first.hash
    assert auditchain.verify().ok


def test_verify_detects_a_changed_row(commission):
    rows = _rows(3, commission)
    _tamper("UPDATE pingxiang_cf_auditlog SET reason = %s WHERE id = %s", ["篡改", rows[1].pk])
    _verify_fails("content does not match its hash")


def test_verify_detects_a_removed_row(commission):
    rows = _rows(3, commission)
    _tamper("DELETE FROM pingxiang_cf_auditlog WHERE id = %s", [rows[1].pk])
    _verify_fails("sequence gap")


def test_verify_detects_rows_removed_at_the_end(commission):
    rows = _rows(3, commission)
    _tamper("DELETE FROM pingxiang_cf_auditlog WHERE id = %s", [rows[2].pk])
    _verify_fails("chain head")


def test_verify_detects_a_rewritten_row_with_a_recomputed_hash(commission):
    """Recomputing the changed row's own hash does not help: the next row's link breaks."""
    rows = _rows(3, commission)
    row = AuditLog.objects.get(pk=rows[1].pk)
    row.reason = "篡改"
    new_hash = auditchain.compute_hash(auditchain.row_values(row))
    _tamper(
        "UPDATE pingxiang_cf_auditlog SET reason = %s, hash = %s WHERE id = %s",
        ["篡改", new_hash, row.pk],
    )
    _verify_fails("does not link to the previous row")


def test_audit_rows_refuse_change_and_delete_through_the_orm(commission):
    [row] = _rows(1, commission)
    row.reason = "x"
    with pytest.raises(ValidationError):
        row.save()
    with pytest.raises(ValidationError):
        row.delete()
    with pytest.raises(ValidationError):
        AuditLog.objects.filter(pk=row.pk).update(reason="x")
    with pytest.raises(ValidationError):
        AuditLog.objects.filter(pk=row.pk).delete()
    assert AuditLog.objects.get(pk=row.pk).reason == "0"


# --- PostgreSQL: the database refuses too; concurrent writers keep one chain ---------------


def _postgres():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only (DATABASE_URL=postgres://…)")


@pytest.mark.services
def test_postgres_trigger_refuses_update_and_delete_by_the_app_role(commission):
    _postgres()
    [row] = _rows(1, commission)
    for sql in (
        "UPDATE pingxiang_cf_auditlog SET reason = 'x' WHERE id = %s",
        "DELETE FROM pingxiang_cf_auditlog WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="cannot be changed or deleted"),
            transaction.atomic(),
        ):
            _raw(sql, [row.pk])
    assert AuditLog.objects.get(pk=row.pk).reason == "0"


@pytest.mark.services
def test_postgres_lets_an_account_be_deleted_and_keeps_its_rows(commission):
    _postgres()
    user = get_user_model().objects.create(username="leaving")
    [row] = _rows(1, user)
    user.delete()  # ON DELETE SET NULL through the trigger's one exception
    row = AuditLog.objects.get(pk=row.pk)
    assert row.actor_id is None and row.actor_name == "leaving"
    assert auditchain.verify().ok


@pytest.mark.services
def test_postgres_verify_detects_tampering_by_the_table_owner(commission):
    """Even with triggers switched off (a database superuser can), the chain tells."""
    _postgres()
    rows = _rows(3, commission)
    _tamper("UPDATE pingxiang_cf_auditlog SET reason = 'x' WHERE id = %s", [rows[0].pk])
    _verify_fails("content does not match its hash")


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_postgres_concurrent_writers_keep_one_unbroken_chain():
    _postgres()
    unit = f.UnitFactory()
    errors = []

    def writer(n):
        try:
            for i in range(10):
                with transaction.atomic():
                    audit.record_event(
                        actor=None, action=AuditAction.UPDATE, obj=unit, reason=f"{n}-{i}"
                    )
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    report = auditchain.verify()
    assert report.ok, report.problems
    assert report.checked == AuditLog.objects.count() >= 40

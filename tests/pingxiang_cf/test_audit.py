"""The audit log (pingxiang_cf/audit.py, pingxiang_cf/models.py): snapshots,
one row per change, and rows that app users cannot change or delete."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from pingxiang_cf import audit
from pingxiang_cf.models import AuditAction, AuditLog, Transition
from pingxiang_cf.selectors import transitions_visible_to
from pingxiang_cf.services import audited_transition
from projects.models import LedgerEntry
from tests import factories as f

pytestmark = pytest.mark.django_db


# --- Snapshots and diffs ----------------------------------------------------------------------


def test_snapshot_is_json_safe_with_dates_decimals_uuids_and_foreign_key_ids():
    entry = f.LedgerEntryFactory(entry_date=datetime.date(2024, 5, 31), progress_percent=40)
    quantity = f.LedgerQuantityFactory(entry=entry, quantity=Decimal("4.50"))
    data = audit.snapshot(entry)
    assert data["entry_date"] == "2024-05-31"
    assert data["project_id"] == entry.project_id
    assert data["unit_id"] == entry.unit_id
    assert data["code"] == str(entry.code)
    uuid.UUID(data["code"])
    assert data["progress_percent"] == 40
    assert "created_at" not in data and "updated_at" not in data
    assert audit.snapshot(quantity)["quantity"] == "4.50"


def test_snapshot_lists_many_to_many_ids_sorted(tree):
    a, b, c = tree["county_b"], tree["county_a"], tree["department"]
    inspection = f.InspectionFactory(units=[a, b, c])
    assert audit.snapshot(inspection)["units"] == sorted([a.pk, b.pk, c.pk])


def test_snapshot_lists_many_to_many_through_a_model(tree):
    project = f.ProjectFactory(co_units=[tree["county_a"], tree["county_b"]])
    mechanism = f.MechanismFactory()
    project.mechanisms.set([mechanism])
    data = audit.snapshot(project)
    assert data["co_units"] == sorted([tree["county_a"].pk, tree["county_b"].pk])
    assert data["mechanisms"] == [mechanism.pk]


def test_snapshot_of_an_unsaved_object_has_no_many_to_many():
    data = audit.snapshot(f.InspectionFactory.build())
    assert "units" not in data
    assert data["id"] is None


def test_snapshot_keeps_the_stored_file_name():
    evidence = f.EvidenceFactory(file="evidence/2024/abc")
    assert audit.snapshot(evidence)["file"] == "evidence/2024/abc"


def test_diff_lists_changed_added_and_removed_keys():
    before = {"a": 1, "b": 2, "c": 3}
    after = {"a": 1, "b": 20, "d": 4}
    assert audit.diff(before, after) == ["b", "c", "d"]
    assert audit.diff(None, {"a": 1, "b": None}) == ["a"]
    assert audit.diff({"a": 1}, {"a": 1}) == []


# --- Records ----------------------------------------------------------------------------------


def test_record_writes_actor_action_object_and_values(commission):
    entry = f.LedgerEntryFactory()
    before = audit.snapshot(entry)
    after = dict(before, progress_percent=80)
    row = audit.record(
        actor=commission,
        action=AuditAction.UPDATE,
        obj=entry,
        before=before,
        after=after,
        reason="核实后更正",
    )
    row.refresh_from_db()
    assert row.actor == commission
    assert row.actor_name == "commission"
    assert row.action == AuditAction.UPDATE
    assert row.content_type == ContentType.objects.get_for_model(LedgerEntry)
    assert row.object_id == str(entry.pk)
    assert row.object_repr == str(entry)
    assert row.before == before and row.after == after
    assert row.changed_fields == ["progress_percent"]
    assert row.reason == "核实后更正"
    assert row.created_at is not None


def test_record_by_the_system_has_no_actor():
    row = audit.record(actor=None, action=AuditAction.CREATE, obj=f.UnitFactory(), after={})
    assert row.actor is None
    assert row.actor_name == ""


def test_history_lists_the_rows_of_one_object_newest_first(commission):
    entry, other = f.LedgerEntryFactory(), f.LedgerEntryFactory()
    first = audit.record(actor=commission, action=AuditAction.CREATE, obj=entry, after={})
    audit.record(actor=commission, action=AuditAction.CREATE, obj=other, after={})
    second = audit.record(actor=commission, action=AuditAction.UPDATE, obj=entry, after={})
    assert list(audit.history(entry)) == [second, first]


def test_object_repr_is_cut_to_the_column_length():
    notice = f.NoticeFactory(number="号" * 64, title="题" * 200)
    assert len(str(notice)) == 265
    row = audit.record(actor=None, action=AuditAction.CREATE, obj=notice, after={})
    assert row.object_repr == str(notice)[:255]


def test_deleting_the_actor_keeps_the_audit_row_and_the_name(commission):
    row = audit.record(actor=commission, action=AuditAction.CREATE, obj=f.UnitFactory(), after={})
    commission.delete()
    row.refresh_from_db()
    assert row.actor is None
    assert row.actor_name == "commission"


def test_record_transition_appends_a_transition_and_an_audit_row(editor_a):
    entry = f.LedgerEntryFactory()
    row = audit.record_transition(
        actor=editor_a, obj=entry, field="status", from_state="draft", to_state="submitted"
    )
    transition = Transition.objects.get()
    assert (transition.from_state, transition.to_state, transition.field) == (
        "draft",
        "submitted",
        "status",
    )
    assert transition.actor == editor_a
    assert transition.object_id == str(entry.pk)
    assert row.action == AuditAction.TRANSITION
    assert (row.before, row.after, row.changed_fields) == (
        {"status": "draft"},
        {"status": "submitted"},
        ["status"],
    )


# --- Audit and transition rows cannot be changed or deleted -----------------------------------


@pytest.fixture
def audit_rows(tree):
    entry = f.LedgerEntryFactory()
    row = audit.record_transition(
        actor=None, obj=entry, field="status", from_state="draft", to_state="submitted"
    )
    return {"auditlog": row, "transition": Transition.objects.get()}


@pytest.fixture(params=["auditlog", "transition"])
def stored_row(request, audit_rows):
    return audit_rows[request.param]


def _unchanged(row):
    return type(row)._base_manager.filter(pk=row.pk).values().get()


def test_saving_a_stored_row_again_is_refused(stored_row):
    before = _unchanged(stored_row)
    stored_row.reason = "篡改"
    with pytest.raises(ValidationError, match="审计记录不可修改。"):
        stored_row.save()
    assert _unchanged(stored_row) == before


def test_deleting_a_stored_row_is_refused(stored_row):
    with pytest.raises(ValidationError, match="审计记录不可删除。"):
        stored_row.delete()
    assert type(stored_row).objects.filter(pk=stored_row.pk).exists()


def test_queryset_update_is_refused(stored_row):
    model = type(stored_row)
    before = _unchanged(stored_row)
    with pytest.raises(ValidationError, match="审计记录不可修改。"):
        model.objects.filter(pk=stored_row.pk).update(reason="篡改")
    with pytest.raises(ValidationError, match="审计记录不可修改。"):
        model.objects.all().update(reason="篡改")
    assert _unchanged(stored_row) == before


def test_queryset_delete_is_refused(stored_row):
    model = type(stored_row)
    with pytest.raises(ValidationError, match="审计记录不可删除。"):
        model.objects.filter(pk=stored_row.pk).delete()
    with pytest.raises(ValidationError, match="审计记录不可删除。"):
        model.objects.all().delete()
    assert model.objects.filter(pk=stored_row.pk).exists()


def test_bulk_update_is_refused(stored_row):
    model = type(stored_row)
    stored_row.reason = "篡改"
    with pytest.raises(ValidationError, match="审计记录不可修改。"), transaction.atomic():
        model.objects.bulk_update([stored_row], ["reason"])
    assert model.objects.get(pk=stored_row.pk).reason == ""


def test_restricted_queryset_of_audit_rows_refuses_update_too(stored_row, commission):
    model = type(stored_row)
    with pytest.raises(ValidationError):
        model.objects.restrict(commission).update(reason="篡改")


def test_new_instance_with_a_stored_pk_cannot_overwrite_the_row(stored_row):
    """A fresh instance carrying an existing pk must insert (and fail), never update."""
    model = type(stored_row)
    before = _unchanged(stored_row)
    forged = model(**before)  # every column as stored, so only the pk can collide
    forged.reason = "篡改"
    with pytest.raises(IntegrityError), transaction.atomic():
        forged.save()
    assert _unchanged(stored_row) == before


def test_new_rows_are_still_written(audit_rows):
    entry = f.LedgerEntryFactory()
    count = AuditLog.objects.count()
    row = audit.record(actor=None, action=AuditAction.CREATE, obj=entry, after={})
    assert AuditLog.objects.count() == count + 1
    assert AuditLog.objects.latest("pk") == row


def test_transitions_are_visible_like_their_object(tree, editor_a, editor_b, commission):
    finding_a = f.FindingFactory(unit=tree["county_a"])
    finding_b = f.FindingFactory(unit=tree["county_b"])
    audited_transition(finding_a, actor=commission, to_state="rectifying")
    audited_transition(finding_b, actor=commission, to_state="rectifying")
    seen_by_a = set(transitions_visible_to(editor_a).values_list("object_id", flat=True))
    assert seen_by_a == {str(finding_a.pk)}
    assert transitions_visible_to(commission).count() == 2

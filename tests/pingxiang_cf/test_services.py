"""The audited writes (pingxiang_cf/services.py): one audit row per change in
the transaction of the change, permission checks before and after the write,
and nothing saved when validation or permission fails."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError

from accountability.models import Unit
from inspections import choices as ins
from inspections.models import Finding, Inspection
from pingxiang_cf import audit
from pingxiang_cf.models import AuditAction, AuditLog, Transition
from pingxiang_cf.services import (
    audited_create,
    audited_delete,
    audited_transition,
    audited_update,
)
from projects import choices as prj
from projects.models import LedgerEntry, Project
from tests import factories as f

pytestmark = pytest.mark.django_db

DENIED = "您没有权限修改该记录。"


class Counts:
    """Row counts of some models and of the audit tables, to compare after a write."""

    def __init__(self, *models):
        self.models = (*models, AuditLog, Transition)
        self.before = self._now()

    def _now(self):
        return {m._meta.label: m._base_manager.count() for m in self.models}

    def delta(self):
        now = self._now()
        return {
            label: now[label] - self.before[label]
            for label in now
            if now[label] != self.before[label]
        }


def _entry_fields(project, **extra):
    return {
        "project": project,
        "unit": project.lead_unit,
        "entry_date": project.start_date,
        "content": "召开推进会",
        "progress_percent": 20,
        **extra,
    }


def _only_row(obj):
    rows = list(audit.history(obj))
    assert len(rows) == 1, rows
    return rows[0]


# --- Create -----------------------------------------------------------------------------------


def test_audited_create_writes_the_object_and_exactly_one_audit_row(tree, editor_a):
    project = f.ProjectFactory(lead_unit=tree["county_a"])
    counts = Counts(LedgerEntry)
    entry = audited_create(
        LedgerEntry, actor=editor_a, audit_reason="月度填报", **_entry_fields(project)
    )
    assert counts.delta() == {"projects.LedgerEntry": 1, "pingxiang_cf.AuditLog": 1}
    row = _only_row(entry)
    assert row.actor == editor_a and row.actor_name == "editor_a"
    assert row.action == AuditAction.CREATE
    assert row.content_type == ContentType.objects.get_for_model(LedgerEntry)
    assert row.object_id == str(entry.pk)
    assert row.object_repr == str(entry)
    assert row.before is None
    assert row.after == audit.snapshot(entry)
    assert row.after["progress_percent"] == 20
    assert row.changed_fields == sorted(k for k, v in row.after.items() if v is not None)
    assert row.reason == "月度填报"


def test_audited_create_with_invalid_values_saves_nothing(tree, editor_a):
    project = f.ProjectFactory(lead_unit=tree["county_a"])
    counts = Counts(LedgerEntry)
    with pytest.raises(ValidationError) as info:
        audited_create(LedgerEntry, actor=editor_a, **_entry_fields(project, progress_percent=120))
    assert "完成进度须在0到100之间。" in info.value.messages
    assert counts.delta() == {}


def test_editor_cannot_create_outside_their_scope(tree, editor_a):
    """The post-write re-check: a ledger entry of another county's unit is
    refused after the insert, and the insert is rolled back."""
    project_b = f.ProjectFactory(lead_unit=tree["county_b"])
    counts = Counts(LedgerEntry)
    with pytest.raises(PermissionDenied, match=DENIED):
        audited_create(LedgerEntry, actor=editor_a, **_entry_fields(project_b))
    assert counts.delta() == {}
    assert not LedgerEntry.objects.filter(project=project_b).exists()


@pytest.mark.parametrize("name", ["leader", "auditor", "county_leader", "outsider"])
def test_read_only_users_cannot_create(tree, request, name):
    user = request.getfixturevalue(name)
    project = f.ProjectFactory(lead_unit=tree["county_a"])
    counts = Counts(LedgerEntry)
    with pytest.raises(PermissionDenied):
        audited_create(LedgerEntry, actor=user, **_entry_fields(project))
    assert counts.delta() == {}


def test_editor_cannot_create_a_model_only_the_commission_writes(tree, editor_a):
    counts = Counts(Project)
    with pytest.raises(PermissionDenied):
        audited_create(
            Project,
            actor=editor_a,
            number="XM-A",
            year=2024,
            name="甲县自建项目",
            category=prj.ProjectCategory.INDIVIDUAL,
            tier=f.TierFactory(),
            program=f.ProgramFactory(),
            lead_unit=tree["county_a"],
            start_date=datetime.date(2024, 1, 1),
            end_date=datetime.date(2024, 12, 31),
        )
    assert counts.delta() == {}


def test_system_jobs_write_without_an_actor(tree):
    project = f.ProjectFactory(lead_unit=tree["county_b"])
    entry = audited_create(LedgerEntry, actor=None, **_entry_fields(project))
    row = _only_row(entry)
    assert row.actor is None and row.actor_name == ""


def test_audited_create_records_many_to_many_values(tree, commission):
    inspection = audited_create(
        Inspection,
        actor=commission,
        m2m={"units": [tree["county_b"], tree["county_a"]]},
        kind=ins.InspectionKind.ROUTINE,
        title="一季度督查",
        started_on=datetime.date(2024, 3, 1),
        ended_on=datetime.date(2024, 3, 5),
    )
    assert _only_row(inspection).after["units"] == sorted(
        [tree["county_a"].pk, tree["county_b"].pk]
    )


def test_audit_row_shares_the_transaction_of_the_write(tree, commission):
    counts = Counts(Finding)
    with pytest.raises(RuntimeError), transaction.atomic():
        audited_create(
            Finding,
            actor=commission,
            inspection=f.InspectionFactory(),
            unit=tree["county_a"],
            description="问题",
            required_rectification="整改",
            deadline=datetime.date(2024, 6, 30),
        )
        raise RuntimeError("a later step of the same request fails")
    assert counts.delta() == {}
    assert not AuditLog.objects.filter(content_type__model="finding").exists()


# --- Update -----------------------------------------------------------------------------------


def test_audited_update_writes_one_row_with_before_after_and_changed_fields(tree, editor_a):
    entry = f.LedgerEntryFactory(project=f.ProjectFactory(lead_unit=tree["county_a"]))
    before = audit.snapshot(entry)
    counts = Counts(LedgerEntry)
    audited_update(entry, actor=editor_a, progress_percent=75, content="完成过半")
    assert counts.delta() == {"pingxiang_cf.AuditLog": 1}
    row = _only_row(entry)
    assert row.action == AuditAction.UPDATE
    assert row.actor == editor_a
    assert row.before == before
    assert row.after == dict(before, progress_percent=75, content="完成过半")
    assert row.changed_fields == ["content", "progress_percent"]
    entry.refresh_from_db()
    assert entry.progress_percent == 75


def test_audited_update_that_changes_nothing_writes_no_row(tree, editor_a):
    entry = f.LedgerEntryFactory(project=f.ProjectFactory(lead_unit=tree["county_a"]))
    counts = Counts(LedgerEntry)
    audited_update(entry, actor=editor_a, progress_percent=entry.progress_percent)
    audited_update(entry, actor=editor_a)
    assert counts.delta() == {}


def test_audited_update_with_invalid_values_changes_nothing(tree, editor_a):
    entry = f.LedgerEntryFactory(project=f.ProjectFactory(lead_unit=tree["county_a"]))
    stored = LedgerEntry.objects.values().get(pk=entry.pk)
    counts = Counts(LedgerEntry)
    with pytest.raises(ValidationError) as info:
        audited_update(entry, actor=editor_a, progress_percent=101)
    assert "完成进度须在0到100之间。" in info.value.messages
    assert counts.delta() == {}
    assert LedgerEntry.objects.values().get(pk=entry.pk) == stored


def test_editor_cannot_update_an_object_outside_their_scope(tree, editor_a):
    entry = f.LedgerEntryFactory(project=f.ProjectFactory(lead_unit=tree["county_b"]))
    stored = LedgerEntry.objects.values().get(pk=entry.pk)
    counts = Counts(LedgerEntry)
    with pytest.raises(PermissionDenied, match=DENIED):
        audited_update(entry, actor=editor_a, progress_percent=90)
    assert counts.delta() == {}
    assert LedgerEntry.objects.values().get(pk=entry.pk) == stored


def test_editor_cannot_move_an_object_out_of_their_scope(tree, editor_a):
    """Allowed before the write, refused after it: the update is rolled back."""
    finding = f.FindingFactory(unit=tree["township_a"])
    counts = Counts(Finding)
    with pytest.raises(PermissionDenied, match=DENIED):
        audited_update(finding, actor=editor_a, unit=tree["county_b"])
    assert counts.delta() == {}
    assert Finding.objects.get(pk=finding.pk).unit == tree["township_a"]


@pytest.mark.parametrize("name", ["leader", "auditor"])
def test_leaders_and_auditors_cannot_update(tree, request, name):
    user = request.getfixturevalue(name)
    finding = f.FindingFactory(unit=tree["county_a"])
    counts = Counts(Finding)
    with pytest.raises(PermissionDenied):
        audited_update(finding, actor=user, description="改写")
    assert counts.delta() == {}
    assert Finding.objects.get(pk=finding.pk).description != "改写"


def test_audited_update_records_many_to_many_changes(tree, commission):
    inspection = f.InspectionFactory(units=[tree["county_a"], tree["county_b"]])
    audited_update(inspection, actor=commission, m2m={"units": [tree["county_a"]]})
    row = _only_row(inspection)
    assert row.before["units"] == sorted([tree["county_a"].pk, tree["county_b"].pk])
    assert row.after["units"] == [tree["county_a"].pk]
    assert row.changed_fields == ["units"]


def test_audited_update_of_project_co_units_through_their_model(tree, commission):
    project = f.ProjectFactory(lead_unit=tree["department"], co_units=[tree["county_a"]])
    audited_update(project, actor=commission, m2m={"co_units": [tree["county_b"]]})
    row = _only_row(project)
    assert row.before["co_units"] == [tree["county_a"].pk]
    assert row.after["co_units"] == [tree["county_b"].pk]


# --- Delete -----------------------------------------------------------------------------------


def test_audited_delete_removes_the_object_and_writes_one_row(tree, editor_a):
    finding = f.FindingFactory(unit=tree["county_a"])
    pk, snapshot = finding.pk, audit.snapshot(finding)
    counts = Counts(Finding)
    audited_delete(finding, actor=editor_a, audit_reason="重复录入")
    assert counts.delta() == {"inspections.Finding": -1, "pingxiang_cf.AuditLog": 1}
    row = AuditLog.objects.get(object_id=str(pk), content_type__model="finding")
    assert row.action == AuditAction.DELETE
    assert row.actor == editor_a
    assert row.before == snapshot
    assert row.after is None
    assert row.reason == "重复录入"


def test_editor_cannot_delete_outside_their_scope(tree, editor_a):
    finding = f.FindingFactory(unit=tree["county_b"])
    counts = Counts(Finding)
    with pytest.raises(PermissionDenied):
        audited_delete(finding, actor=editor_a)
    assert counts.delta() == {}


def test_refused_delete_rolls_back_its_audit_row(tree, commission):
    """The audit row is written before the delete; a protected row makes both go."""
    unit = tree["county_a"]
    f.OfficialFactory(unit=unit)
    counts = Counts(Unit)
    with pytest.raises(ProtectedError):
        audited_delete(unit, actor=commission)
    assert counts.delta() == {}
    assert Unit.objects.filter(pk=unit.pk).exists()


# --- Transition -------------------------------------------------------------------------------


def test_audited_transition_appends_a_transition_and_one_audit_row(tree, editor_a):
    entry = f.LedgerEntryFactory(project=f.ProjectFactory(lead_unit=tree["county_a"]))
    counts = Counts(LedgerEntry)
    audited_transition(
        entry, actor=editor_a, to_state=prj.LedgerStatus.SUBMITTED, reason="提交核实"
    )
    assert counts.delta() == {"pingxiang_cf.Transition": 1, "pingxiang_cf.AuditLog": 1}
    transition = Transition.objects.get()
    assert (transition.from_state, transition.to_state) == ("draft", "submitted")
    assert transition.actor == editor_a and transition.reason == "提交核实"
    row = _only_row(entry)
    assert row.action == AuditAction.TRANSITION
    assert (row.before, row.after, row.changed_fields) == (
        {"status": "draft"},
        {"status": "submitted"},
        ["status"],
    )
    assert LedgerEntry.objects.get(pk=entry.pk).status == prj.LedgerStatus.SUBMITTED


def test_transition_to_the_same_state_writes_nothing(tree, editor_a):
    entry = f.LedgerEntryFactory(project=f.ProjectFactory(lead_unit=tree["county_a"]))
    counts = Counts(LedgerEntry)
    audited_transition(entry, actor=editor_a, to_state=prj.LedgerStatus.DRAFT)
    assert counts.delta() == {}


def test_transition_to_an_unknown_state_is_refused_and_nothing_saved(tree, editor_a):
    entry = f.LedgerEntryFactory(project=f.ProjectFactory(lead_unit=tree["county_a"]))
    counts = Counts(LedgerEntry)
    with pytest.raises(ValidationError):
        audited_transition(entry, actor=editor_a, to_state="archived")
    assert counts.delta() == {}
    assert LedgerEntry.objects.get(pk=entry.pk).status == prj.LedgerStatus.DRAFT


def test_transition_that_breaks_a_constraint_is_refused(tree, commission):
    finding = f.FindingFactory(unit=tree["county_a"])
    counts = Counts(Finding)
    with pytest.raises(ValidationError) as info:
        audited_transition(finding, actor=commission, to_state=ins.FindingStatus.VERIFIED)
    assert "已销号的问题须填写销号日期。" in info.value.messages
    assert counts.delta() == {}


def test_transition_by_a_user_without_change_rights_is_refused(tree, leader):
    entry = f.LedgerEntryFactory(project=f.ProjectFactory(lead_unit=tree["county_a"]))
    counts = Counts(LedgerEntry)
    with pytest.raises(PermissionDenied):
        audited_transition(entry, actor=leader, to_state=prj.LedgerStatus.SUBMITTED)
    assert counts.delta() == {}
    assert LedgerEntry.objects.get(pk=entry.pk).status == prj.LedgerStatus.DRAFT

"""Findings and their rectification: open → rectifying → submitted →
verified or returned (and back to rectifying), each step by the right role."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from inspections.choices import FindingStatus, Severity
from inspections.models import Finding, Rectification
from inspections.services import findings
from pingxiang_cf.models import Notification, NotificationVerb, Transition
from tests import factories as f
from tests.inspections.ladder import fake_pdf, pdf_file

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def inspection(tree):
    return f.InspectionFactory(units=[tree["county_a"], tree["county_b"]])


@pytest.fixture
def finding(inspection, tree, commission):
    return findings.finding_create(
        actor=commission,
        inspection=inspection,
        unit=tree["county_b"],
        description="项目台账未按月更新",
        required_rectification="补齐台账",
        deadline=datetime.date(f.YEAR, 5, 31),
        severity=Severity.SERIOUS,
    )


def _states(finding):
    return list(
        Transition.objects.filter(content_type__model="finding", object_id=str(finding.pk))
        .order_by("pk")
        .values_list("from_state", "to_state")
    )


def test_the_commission_records_a_finding_and_the_unit_is_told(
    inspection, tree, commission, editor_b, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        finding = findings.finding_create(
            actor=commission,
            inspection=inspection,
            unit=tree["county_b"],
            description="台账不全",
            required_rectification="补齐",
            deadline=datetime.date(f.YEAR, 5, 31),
        )
    assert finding.status == FindingStatus.OPEN
    notice = Notification.objects.get(recipient=editor_b, object_id=str(finding.pk))
    assert (notice.verb, notice.get_verb_display(), notice.tone) == (
        "finding",
        "督查发现问题",
        "secondary",
    )


def test_a_finding_must_be_about_an_inspected_unit(inspection, tree, commission):
    with pytest.raises(ValidationError) as info:
        findings.finding_create(
            actor=commission,
            inspection=inspection,
            unit=tree["department"],
            description="x",
            required_rectification="y",
            deadline=datetime.date(f.YEAR, 5, 31),
        )
    assert info.value.message_dict["unit"] == ["责任单位须是本次督查的被督查单位。"]
    assert not Finding.objects.exists()


def test_a_deadline_before_the_inspection_is_refused(inspection, tree, commission):
    with pytest.raises(ValidationError) as info:
        findings.finding_create(
            actor=commission,
            inspection=inspection,
            unit=tree["county_a"],
            description="x",
            required_rectification="y",
            deadline=inspection.started_on - datetime.timedelta(days=1),
        )
    assert "整改时限不能早于督查开始日期。" in info.value.message_dict["deadline"]


@pytest.mark.parametrize("persona", ["editor_a", "editor_b", "leader", "auditor", "outsider"])
def test_only_the_commission_records_findings(request, inspection, tree, persona):
    with pytest.raises(PermissionDenied):
        findings.finding_create(
            actor=request.getfixturevalue(persona),
            inspection=inspection,
            unit=tree["county_b"],
            description="x",
            required_rectification="y",
            deadline=datetime.date(f.YEAR, 5, 31),
        )


def test_the_full_rectification_workflow(finding, editor_b, commission):
    findings.finding_start(finding, actor=editor_b)
    first = findings.finding_submit(
        finding, actor=editor_b, description="已补齐一半", file=pdf_file("整改.pdf")
    )
    findings.finding_return(finding, actor=commission, comment="整改不彻底")
    first.refresh_from_db()
    assert (first.accepted, first.review_comment) == (False, "整改不彻底")
    finding.refresh_from_db()
    assert finding.status == FindingStatus.RETURNED
    findings.finding_start(finding, actor=editor_b)
    findings.finding_submit(finding, actor=editor_b, description="已全部补齐", file=pdf_file())
    findings.finding_verify(finding, actor=commission, comment="整改到位")
    finding.refresh_from_db()
    assert (finding.status, finding.closed_on) == (FindingStatus.VERIFIED, timezone.localdate())
    assert list(finding.rectifications.values_list("accepted", flat=True)) == [False, True]
    assert _states(finding) == [
        ("open", "rectifying"),
        ("rectifying", "submitted"),
        ("submitted", "returned"),
        ("returned", "rectifying"),
        ("rectifying", "submitted"),
        ("submitted", "verified"),
    ]


def test_submitting_an_open_finding_passes_through_rectifying(finding, co_editor_b):
    rectification = findings.finding_submit(
        finding, actor=co_editor_b, description="已整改", file=pdf_file()
    )
    assert rectification.evidence_type == "application/pdf"
    assert rectification.submitted_by == co_editor_b
    assert _states(finding) == [("open", "rectifying"), ("rectifying", "submitted")]


def test_submitting_needs_a_description_and_real_evidence(finding, editor_b):
    with pytest.raises(ValidationError) as info:
        findings.finding_submit(finding, actor=editor_b, description="已整改", file=None)
    assert info.value.message_dict["file"] == ["请上传整改佐证材料。"]
    with pytest.raises(ValidationError) as info:
        findings.finding_submit(finding, actor=editor_b, description="已整改", file=fake_pdf())
    assert "不支持的文件类型" in str(info.value)
    with pytest.raises(ValidationError) as info:
        findings.finding_submit(finding, actor=editor_b, description=" ", file=pdf_file())
    assert info.value.message_dict["description"] == ["请填写整改情况。"]
    finding.refresh_from_db()
    assert finding.status == FindingStatus.OPEN
    assert not Rectification.objects.exists()
    assert _states(finding) == []


@pytest.mark.parametrize(
    "persona", ["commission", "editor_a", "leader", "county_leader", "auditor", "outsider"]
)
def test_only_the_units_editors_rectify(request, finding, persona):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        findings.finding_start(finding, actor=user)
    with pytest.raises(PermissionDenied):
        findings.finding_submit(finding, actor=user, description="x", file=pdf_file())
    finding.refresh_from_db()
    assert finding.status == FindingStatus.OPEN


@pytest.mark.parametrize(
    "persona", ["editor_b", "co_editor_b", "editor_a", "leader", "auditor", "outsider"]
)
def test_only_the_commission_verifies_or_returns(request, finding, editor_b, persona):
    findings.finding_submit(finding, actor=editor_b, description="x", file=pdf_file())
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        findings.finding_verify(finding, actor=user)
    with pytest.raises(PermissionDenied):
        findings.finding_return(finding, actor=user, comment="x")
    finding.refresh_from_db()
    assert finding.status == FindingStatus.SUBMITTED


def test_a_finding_not_submitted_cannot_be_verified(finding, commission):
    with pytest.raises(ValidationError):
        findings.finding_verify(finding, actor=commission)


def test_returning_needs_a_comment(finding, editor_b, commission):
    findings.finding_submit(finding, actor=editor_b, description="x", file=pdf_file())
    with pytest.raises(ValidationError) as info:
        findings.finding_return(finding, actor=commission, comment="")
    assert info.value.message_dict["comment"] == ["退回整改须填写退回意见。"]


def test_a_verified_finding_can_no_longer_be_rectified(finding, editor_b, commission):
    findings.finding_submit(finding, actor=editor_b, description="x", file=pdf_file())
    findings.finding_verify(finding, actor=commission)
    with pytest.raises(ValidationError):
        findings.finding_submit(finding, actor=editor_b, description="y", file=pdf_file())


def test_deadline_reminders_before_and_after_once_a_day(finding, editor_b, co_editor_b):
    before = finding.deadline - datetime.timedelta(days=3)
    after = finding.deadline + datetime.timedelta(days=1)
    assert findings.findings_send_deadline_reminders(today=before) == 2  # two editors
    assert findings.findings_send_deadline_reminders(today=before) == 0
    assert findings.findings_send_deadline_reminders(today=after) == 2
    verbs = Notification.objects.filter(recipient=editor_b).values_list("verb", flat=True)
    assert sorted(verbs) == sorted([NotificationVerb.DUE_SOON, NotificationVerb.OVERDUE])
    far = finding.deadline - datetime.timedelta(days=30)
    assert findings.findings_send_deadline_reminders(today=far) == 0

"""API shapes of the escalation ladder, inspections and findings. Read
serializers are declarations that pingxiang_cf.api.rows turns into
`.values()` queries; write serializers only validate the input handed to
inspections.services."""

from rest_framework import serializers

from accountability.models import Unit
from inspections.choices import InspectionKind, LetterReason, Severity
from inspections.models import Finding, Inspection, InspectionPlan, SupervisionLetter
from pingxiang_cf.api.serializers import RefSerializer, ScopedPrimaryKeyRelatedField
from projects.models import Project


def _pk(model, **kwargs):
    return ScopedPrimaryKeyRelatedField(queryset=model.objects.all(), **kwargs)


# --- Inspections ------------------------------------------------------------------------------


class InspectionSerializer(serializers.ModelSerializer):
    plan = serializers.IntegerField(source="plan_id", read_only=True, allow_null=True)
    cycle = serializers.IntegerField(source="cycle_id", read_only=True, allow_null=True)
    units = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Inspection
        fields = (
            "id",
            "kind",
            "title",
            "plan",
            "cycle",
            "started_on",
            "ended_on",
            "team_leader",
            "team",
            "units",
            "summary",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields


class InspectionWriteSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=InspectionKind.choices)
    title = serializers.CharField(max_length=200)
    plan = _pk(InspectionPlan, required=False, allow_null=True)
    started_on = serializers.DateField()
    ended_on = serializers.DateField()
    team_leader = serializers.CharField(max_length=32, required=False, allow_blank=True)
    team = serializers.CharField(max_length=255, required=False, allow_blank=True)
    summary = serializers.CharField(required=False, allow_blank=True)
    units = _pk(Unit, many=True)


# --- Findings ---------------------------------------------------------------------------------


class FindingSerializer(serializers.ModelSerializer):
    inspection = serializers.IntegerField(source="inspection_id", read_only=True)
    unit = RefSerializer(read_only=True)
    project = serializers.IntegerField(source="project_id", read_only=True, allow_null=True)

    class Meta:
        model = Finding
        fields = (
            "id",
            "inspection",
            "unit",
            "project",
            "description",
            "severity",
            "required_rectification",
            "deadline",
            "status",
            "closed_on",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields


class FindingWriteSerializer(serializers.Serializer):
    inspection = _pk(Inspection)
    unit = _pk(Unit)
    project = _pk(Project, required=False, allow_null=True)
    description = serializers.CharField()
    severity = serializers.ChoiceField(choices=Severity.choices, default=Severity.GENERAL)
    required_rectification = serializers.CharField()
    deadline = serializers.DateField()


class FindingUpdateSerializer(serializers.Serializer):
    project = _pk(Project, required=False, allow_null=True)
    description = serializers.CharField(required=False)
    severity = serializers.ChoiceField(choices=Severity.choices, required=False)
    required_rectification = serializers.CharField(required=False)
    deadline = serializers.DateField(required=False)


class RectifySerializer(serializers.Serializer):
    """multipart/form-data: the report and its evidence file."""

    description = serializers.CharField(max_length=5000)
    file = serializers.FileField()


class ReviewCommentSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class RectifyNoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


# --- Supervision letters ---------------------------------------------------------------------


class SupervisionLetterSerializer(serializers.ModelSerializer):
    unit = RefSerializer(read_only=True)
    project = serializers.IntegerField(source="project_id", read_only=True, allow_null=True)
    assignment = serializers.IntegerField(source="assignment_id", read_only=True, allow_null=True)
    finding = serializers.IntegerField(source="finding_id", read_only=True, allow_null=True)
    cycle = serializers.IntegerField(source="cycle_id", read_only=True, allow_null=True)

    class Meta:
        model = SupervisionLetter
        fields = (
            "id",
            "code",
            "number",
            "title",
            "unit",
            "project",
            "assignment",
            "finding",
            "cycle",
            "reason",
            "items",
            "issued_on",
            "reply_deadline",
            "status",
            "reply",
            "replied_on",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields


class LetterIssueSerializer(serializers.Serializer):
    unit = _pk(Unit)
    reason = serializers.ChoiceField(choices=LetterReason.choices)
    project = _pk(Project, required=False, allow_null=True)
    finding = _pk(Finding, required=False, allow_null=True)
    reply_deadline = serializers.DateField(required=False)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    items = serializers.CharField(required=False, allow_blank=True)


class LetterReplySerializer(serializers.Serializer):
    """multipart/form-data: the written answer and its evidence file."""

    content = serializers.CharField(max_length=10000)
    file = serializers.FileField()


class LetterReturnSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=2000)
    reply_deadline = serializers.DateField(required=False, allow_null=True, default=None)

"""API shapes of the projects app. Read serializers are declarations that
pingxiang_cf.api.rows turns into `.values()` queries; write serializers
validate input that the views hand to projects.services unchanged."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accountability.models import Official, Section, Unit
from pingxiang_cf.api.serializers import RefSerializer, ScopedPrimaryKeyRelatedField
from projects.choices import ProjectStage
from projects.models import (
    Assignment,
    BrandModel,
    LedgerEntry,
    Mechanism,
    Milestone,
    PlanTask,
    Program,
    Project,
    Target,
    Tier,
)


def _pk(model, **kwargs):
    return ScopedPrimaryKeyRelatedField(queryset=model.objects.all(), **kwargs)


# --- Plan tasks (read only) -----------------------------------------------------------


class PlanTaskSerializer(serializers.ModelSerializer):
    plan = serializers.IntegerField(source="plan_id", read_only=True)
    lead_unit = RefSerializer(read_only=True)
    co_units = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    mechanism = RefSerializer(read_only=True)
    program = RefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = PlanTask
        fields = (
            "id",
            "plan",
            "number",
            "content",
            "lead_unit",
            "co_units",
            "mechanism",
            "program",
            "deadline",
            "status",
            "completed_on",
        )
        read_only_fields = fields


# --- Projects -----------------------------------------------------------------------------


class ProjectSerializer(serializers.ModelSerializer):
    tier = RefSerializer(read_only=True)
    program = RefSerializer(read_only=True)
    lead_unit = RefSerializer(read_only=True)
    mechanisms = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    co_units = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    brand_model = serializers.IntegerField(source="brand_model_id", read_only=True, allow_null=True)
    plan_task = serializers.IntegerField(source="plan_task_id", read_only=True, allow_null=True)
    responsible_official = serializers.IntegerField(
        source="responsible_official_id", read_only=True, allow_null=True
    )

    class Meta:
        model = Project
        fields = (
            "id",
            "code",
            "number",
            "year",
            "name",
            "category",
            "tier",
            "program",
            "mechanisms",
            "brand_model",
            "plan_task",
            "lead_unit",
            "co_units",
            "responsible_official",
            "description",
            "stage",
            "start_date",
            "end_date",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields


class TargetSerializer(serializers.ModelSerializer):
    project = RefSerializer(read_only=True)
    project_code = serializers.UUIDField(source="project.code", read_only=True)

    class Meta:
        model = Target
        fields = (
            "id",
            "project",
            "project_code",
            "description",
            "measure_unit",
            "target_value",
            "due_date",
            "sort_order",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields


class MilestoneSerializer(serializers.ModelSerializer):
    project = RefSerializer(read_only=True)
    project_code = serializers.UUIDField(source="project.code", read_only=True)

    class Meta:
        model = Milestone
        fields = (
            "id",
            "project",
            "project_code",
            "name",
            "stage",
            "planned_date",
            "planned_progress",
            "actual_date",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields


class TargetInputSerializer(serializers.Serializer):
    pk = serializers.IntegerField(required=False, help_text="修改已有目标时填写其编号")
    description = serializers.CharField(max_length=255)
    measure_unit = serializers.CharField(max_length=16)
    target_value = serializers.DecimalField(max_digits=12, decimal_places=2)
    due_date = serializers.DateField()
    sort_order = serializers.IntegerField(required=False, min_value=0, max_value=32767)


class MilestoneInputSerializer(serializers.Serializer):
    pk = serializers.IntegerField(required=False, help_text="修改已有节点时填写其编号")
    name = serializers.CharField(max_length=128)
    stage = serializers.ChoiceField(choices=ProjectStage.choices)
    planned_date = serializers.DateField()
    planned_progress = serializers.IntegerField(min_value=0, max_value=100)
    actual_date = serializers.DateField(required=False, allow_null=True)


class ProjectWriteSerializer(serializers.ModelSerializer):
    tier = _pk(Tier)
    program = _pk(Program)
    mechanisms = _pk(Mechanism, many=True, required=False)
    brand_model = _pk(BrandModel, required=False, allow_null=True)
    plan_task = _pk(PlanTask, required=False, allow_null=True)
    lead_unit = _pk(Unit)
    co_units = _pk(Unit, many=True, required=False)
    responsible_official = _pk(Official, required=False, allow_null=True)
    targets = TargetInputSerializer(many=True, required=False, help_text=_("完整的量化目标列表"))
    milestones = MilestoneInputSerializer(many=True, required=False, help_text=_("完整的节点列表"))

    class Meta:
        model = Project
        fields = (
            "number",
            "year",
            "name",
            "category",
            "tier",
            "program",
            "mechanisms",
            "brand_model",
            "plan_task",
            "lead_unit",
            "co_units",
            "responsible_official",
            "description",
            "start_date",
            "end_date",
            "targets",
            "milestones",
        )
        # Uniqueness and dates are the service's (and the database's) to check.
        validators = []


class ProjectAdvanceSerializer(serializers.Serializer):
    to_stage = serializers.ChoiceField(choices=ProjectStage.choices)
    reason = serializers.CharField(max_length=2000)
    promotion_note = serializers.CharField(max_length=4000, required=False, allow_blank=True)


# --- Assignments (the three splits) ----------------------------------------------------


class AssignmentSerializer(serializers.ModelSerializer):
    project = RefSerializer(read_only=True)
    assignee_unit = RefSerializer(read_only=True)
    section = RefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Assignment
        fields = (
            "id",
            "project",
            "kind",
            "assignee_unit",
            "section",
            "content",
            "responsible_person",
            "deadline",
            "status",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields


class ShareInputSerializer(serializers.Serializer):
    target = _pk(Target)
    percent = serializers.DecimalField(max_digits=5, decimal_places=2)


class AssignmentWriteSerializer(serializers.ModelSerializer):
    project = _pk(Project)
    assignee_unit = _pk(Unit)
    section = _pk(Section, required=False, allow_null=True)
    responsible_official = _pk(Official, required=False, allow_null=True)
    shares = ShareInputSerializer(many=True, required=False)

    class Meta:
        model = Assignment
        fields = (
            "project",
            "kind",
            "assignee_unit",
            "section",
            "content",
            "deadline",
            "responsible_person",
            "responsible_official",
            "shares",
        )


class AssignmentUpdateSerializer(AssignmentWriteSerializer):
    class Meta(AssignmentWriteSerializer.Meta):
        fields = tuple(f for f in AssignmentWriteSerializer.Meta.fields if f != "project")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


# --- Ledger entries ----------------------------------------------------------------------------


class LedgerEntrySerializer(serializers.ModelSerializer):
    project = RefSerializer(read_only=True)
    project_code = serializers.UUIDField(source="project.code", read_only=True)
    assignment = serializers.IntegerField(source="assignment_id", read_only=True, allow_null=True)
    unit = RefSerializer(read_only=True)

    class Meta:
        model = LedgerEntry
        fields = (
            "id",
            "code",
            "project",
            "project_code",
            "assignment",
            "unit",
            "entry_date",
            "content",
            "progress_percent",
            "status",
            "reviewed_at",
            "review_comment",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields


class QuantityInputSerializer(serializers.Serializer):
    target = _pk(Target)
    quantity = serializers.DecimalField(
        max_digits=12, decimal_places=2, allow_null=True, min_value=0
    )


class LedgerEntryWriteSerializer(serializers.ModelSerializer):
    project = _pk(Project)
    assignment = _pk(Assignment, required=False, allow_null=True)
    quantities = QuantityInputSerializer(many=True, required=False)
    submit = serializers.BooleanField(required=False, default=False, help_text=_("同时提交核实"))

    class Meta:
        model = LedgerEntry
        fields = (
            "project",
            "assignment",
            "entry_date",
            "content",
            "progress_percent",
            "quantities",
            "submit",
        )
        extra_kwargs = {"progress_percent": {"min_value": 0, "max_value": 100}}


class LedgerEntryUpdateSerializer(LedgerEntryWriteSerializer):
    class Meta(LedgerEntryWriteSerializer.Meta):
        fields = ("entry_date", "content", "progress_percent", "quantities", "submit")


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")

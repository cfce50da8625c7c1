"""API shapes of the assessments app. Read serializers are declarations that
pingxiang_cf.api.rows turns into `.values()` queries; write serializers
validate input handed unchanged to assessments.services."""

from rest_framework import serializers

from accountability.models import Official, Unit
from assessments.choices import CadreGrade, ProposalKind, RuleKind
from assessments.models import (
    AssessmentScheme,
    Indicator,
    OutcomeProposal,
    Score,
    UnitAssessment,
)
from pingxiang_cf.api.serializers import RefSerializer, ScopedPrimaryKeyRelatedField
from projects.api.serializers import ReasonSerializer  # noqa: F401 (one schema component)


class SchemeSerializer(serializers.ModelSerializer):
    copied_from = serializers.IntegerField(source="copied_from_id", read_only=True, allow_null=True)

    class Meta:
        model = AssessmentScheme
        fields = (
            "id",
            "year",
            "title",
            "document_number",
            "status",
            "excellent_from",
            "good_from",
            "fair_from",
            "bonus_cap",
            "deduction_cap",
            "copied_from",
            "opened_at",
        )
        read_only_fields = fields


class SchemeWriteSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    title = serializers.CharField(max_length=200)
    document_number = serializers.CharField(max_length=64, required=False, allow_blank=True)


class CopySerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)


class IndicatorSerializer(serializers.ModelSerializer):
    scheme = serializers.IntegerField(source="scheme_id", read_only=True)

    class Meta:
        model = Indicator
        fields = (
            "id",
            "scheme",
            "category",
            "code",
            "name",
            "max_points",
            "rule_kind",
            "rule_code",
            "criteria",
            "applies_to_tier",
            "applies_to_kinds",
            "params",
            "sort_order",
        )
        read_only_fields = fields


class IndicatorWriteSerializer(serializers.Serializer):
    scheme = ScopedPrimaryKeyRelatedField(queryset=AssessmentScheme.objects.all())
    category = serializers.CharField(max_length=64)
    code = serializers.CharField(max_length=16)
    name = serializers.CharField(max_length=200)
    max_points = serializers.DecimalField(max_digits=5, decimal_places=2)
    rule_kind = serializers.ChoiceField(choices=RuleKind.choices)
    rule_code = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    criteria = serializers.CharField(required=False, allow_blank=True, default="")
    applies_to_kinds = serializers.ListField(
        child=serializers.CharField(), required=False, default=list
    )
    params = serializers.DictField(required=False, default=dict)
    sort_order = serializers.IntegerField(min_value=0, required=False, default=0)


class AssessmentSerializer(serializers.ModelSerializer):
    scheme = serializers.IntegerField(source="scheme_id", read_only=True)
    year = serializers.IntegerField(source="scheme.year", read_only=True)
    unit = RefSerializer(read_only=True)

    class Meta:
        model = UnitAssessment
        fields = (
            "id",
            "scheme",
            "year",
            "unit",
            "group",
            "status",
            "base_points",
            "bonus_points",
            "deduction_points",
            "total",
            "grade",
            "rank",
            "vetoed",
            "veto_reason",
            "conduct_score",
            "previous_total",
            "previous_rank",
            "change_reasons",
            "self_comment",
            "published_on",
        )
        read_only_fields = fields


class ScoreSerializer(serializers.ModelSerializer):
    assessment = serializers.IntegerField(source="assessment_id", read_only=True)
    indicator = serializers.IntegerField(source="indicator_id", read_only=True)
    indicator_code = serializers.CharField(source="indicator.code", read_only=True)

    class Meta:
        model = Score
        fields = (
            "id",
            "assessment",
            "indicator",
            "indicator_code",
            "points",
            "max_points",
            "self_points",
            "pending",
            "vetoed",
            "reason",
            "inputs",
        )
        read_only_fields = fields


class LineSerializer(serializers.Serializer):
    points = serializers.CharField(required=False, allow_blank=True)
    reason = serializers.CharField(required=False, allow_blank=True)
    evidence = serializers.CharField(required=False, allow_blank=True)


class ManualScoreSerializer(serializers.Serializer):
    indicator = serializers.IntegerField()
    points = serializers.CharField(required=False, allow_blank=True, default="0")
    vetoed = serializers.BooleanField(required=False, default=False)
    lines = LineSerializer(many=True, required=False, default=list)


class ReviewSerializer(serializers.Serializer):
    conduct_score = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    conduct_comment = serializers.CharField(required=False, allow_blank=True, default="")
    leader_grades = serializers.DictField(
        child=serializers.ChoiceField(choices=CadreGrade.choices), required=False, default=dict
    )


class ProposalSerializer(serializers.ModelSerializer):
    scheme = serializers.IntegerField(source="scheme_id", read_only=True)
    unit = RefSerializer(read_only=True, allow_null=True)
    official = RefSerializer(read_only=True, allow_null=True)
    source_assessment = serializers.IntegerField(
        source="source_assessment_id", read_only=True, allow_null=True
    )
    source_finding = serializers.IntegerField(
        source="source_finding_id", read_only=True, allow_null=True
    )
    commendation = serializers.IntegerField(
        source="commendation_id", read_only=True, allow_null=True
    )
    case = serializers.IntegerField(source="case_id", read_only=True, allow_null=True)

    class Meta:
        model = OutcomeProposal
        fields = (
            "id",
            "scheme",
            "kind",
            "unit",
            "official",
            "source",
            "source_assessment",
            "source_finding",
            "title",
            "reason",
            "measure",
            "status",
            "document_number",
            "decided_on",
            "commendation",
            "case",
        )
        read_only_fields = fields


class ProposalWriteSerializer(serializers.Serializer):
    scheme = ScopedPrimaryKeyRelatedField(queryset=AssessmentScheme.objects.all())
    kind = serializers.ChoiceField(choices=ProposalKind.choices)
    unit = ScopedPrimaryKeyRelatedField(
        queryset=Unit.objects.all(), required=False, allow_null=True
    )
    official = ScopedPrimaryKeyRelatedField(
        queryset=Official.objects.all(), required=False, allow_null=True
    )
    source_assessment = ScopedPrimaryKeyRelatedField(
        queryset=UnitAssessment.objects.all(), required=False, allow_null=True
    )
    source = serializers.CharField(max_length=16)
    title = serializers.CharField(max_length=128, required=False, allow_blank=True, default="")
    reason = serializers.CharField()
    measure = serializers.CharField(max_length=24, required=False, allow_blank=True, default="")


class ApproveSerializer(serializers.Serializer):
    decided_on = serializers.DateField()
    document_number = serializers.CharField(
        max_length=64, required=False, allow_blank=True, default=""
    )

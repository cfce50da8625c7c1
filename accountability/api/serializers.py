"""API shapes of the accountability app. Read serializers are declarations
that pingxiang_cf.api.rows turns into `.values()` queries; write serializers
validate input that the views hand to accountability.services unchanged."""

from rest_framework import serializers

from accountability import choices
from accountability.models import (
    AccountabilityCase,
    Commendation,
    Official,
    ResponsibilityLetter,
    RiskPost,
    Unit,
)
from pingxiang_cf.api.serializers import RefSerializer, ScopedPrimaryKeyRelatedField


class UnitSerializer(serializers.ModelSerializer):
    parent = serializers.IntegerField(source="parent_id", read_only=True, allow_null=True)

    class Meta:
        model = Unit
        fields = (
            "id",
            "code",
            "name",
            "short_name",
            "tier",
            "kind",
            "parent",
            "depth",
            "sort_order",
            "is_active",
        )
        read_only_fields = fields


# --- Responsibility letters -------------------------------------------------------------


class LetterSerializer(serializers.ModelSerializer):
    issuer_unit = RefSerializer(read_only=True)
    recipient_unit = RefSerializer(read_only=True)
    recipient_section = RefSerializer(read_only=True, allow_null=True)
    issuer_signatory = RefSerializer(read_only=True, allow_null=True)
    recipient_signatory = RefSerializer(read_only=True, allow_null=True)
    parent = serializers.IntegerField(source="parent_id", read_only=True, allow_null=True)

    class Meta:
        model = ResponsibilityLetter
        fields = (
            "id",
            "code",
            "year",
            "level",
            "title",
            "issuer_unit",
            "issuer_signatory",
            "recipient_unit",
            "recipient_section",
            "recipient_signatory",
            "parent",
            "status",
            "signed_on",
        )
        read_only_fields = fields


class LetterSignSerializer(serializers.Serializer):
    signed_on = serializers.DateField()


# --- Risk posts ----------------------------------------------------------------------------


class RiskPostSerializer(serializers.ModelSerializer):
    unit = RefSerializer(read_only=True)
    section = RefSerializer(read_only=True, allow_null=True)
    projects = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = RiskPost
        fields = ("id", "unit", "section", "year", "name", "duties", "oversight_tier", "projects")
        read_only_fields = fields


# --- The register --------------------------------------------------------------------------


class _OutcomeFields(serializers.ModelSerializer):
    unit = RefSerializer(read_only=True, allow_null=True)
    official = RefSerializer(read_only=True, allow_null=True)
    source_assessment = serializers.IntegerField(
        source="source_assessment_id", read_only=True, allow_null=True
    )
    source_finding = serializers.IntegerField(
        source="source_finding_id", read_only=True, allow_null=True
    )
    source_letter = serializers.IntegerField(
        source="source_letter_id", read_only=True, allow_null=True
    )

    OUTCOME_FIELDS = (
        "id",
        "year",
        "unit",
        "official",
        "source",
        "source_assessment",
        "source_finding",
        "source_letter",
        "status",
        "document_number",
        "decided_on",
    )


class CommendationSerializer(_OutcomeFields):
    class Meta:
        model = Commendation
        fields = (*_OutcomeFields.OUTCOME_FIELDS, "title")
        read_only_fields = fields


class CaseSerializer(_OutcomeFields):
    class Meta:
        model = AccountabilityCase
        fields = (
            *_OutcomeFields.OUTCOME_FIELDS,
            "reason",
            "measure",
            "statement_deadline",
            "statement",
            "statement_on",
        )
        read_only_fields = fields


class _SubjectWrite(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    source = serializers.ChoiceField(choices=choices.OutcomeSource.choices)
    unit = ScopedPrimaryKeyRelatedField(
        queryset=Unit.objects.all(), required=False, allow_null=True
    )
    official = ScopedPrimaryKeyRelatedField(
        queryset=Official.objects.all(), required=False, allow_null=True
    )


class CommendationWriteSerializer(_SubjectWrite):
    title = serializers.CharField(max_length=128)


class CaseWriteSerializer(_SubjectWrite):
    reason = serializers.CharField()
    measure = serializers.ChoiceField(choices=choices.AccountabilityMeasure.choices)


class DecideSerializer(serializers.Serializer):
    document_number = serializers.CharField(max_length=64)
    decided_on = serializers.DateField()


class CaseDecideSerializer(DecideSerializer):
    measure = serializers.ChoiceField(choices=choices.AccountabilityMeasure.choices, required=False)


class StatementRequestSerializer(serializers.Serializer):
    deadline = serializers.DateField()


class StatementSerializer(serializers.Serializer):
    statement = serializers.CharField()
    statement_on = serializers.DateField()


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField()

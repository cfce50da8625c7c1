from rest_framework import serializers

from accountability.models import Unit


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

"""Serializers shared by every app's API: a reference to a related object
(`{"id": 7, "name": "安源区"}`), and the token endpoints' shapes."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from pingxiang_cf.models import ApiToken
from pingxiang_cf.tokens import max_days


class RefSerializer(serializers.Serializer):
    """`{"id": 7, "name": "安源区"}`: a related object with a `name`. Use it
    read-only over a foreign key: `lead_unit = RefSerializer(read_only=True)`."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class TokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiToken
        fields = ("id", "name", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at")
        read_only_fields = fields


class TokenCreateSerializer(serializers.Serializer):
    name = serializers.CharField(label=_("名称"), max_length=64)
    days = serializers.IntegerField(
        label=_("有效天数"), required=False, min_value=1, max_value=max_days()
    )


class TokenObtainSerializer(TokenCreateSerializer):
    username = serializers.CharField(label=_("用户名"), max_length=150)
    password = serializers.CharField(
        label=_("密码"), max_length=128, style={"input_type": "password"}
    )


class NewTokenSerializer(TokenSerializer):
    key = serializers.CharField(read_only=True, help_text="令牌密钥,仅在创建时返回一次")

    class Meta(TokenSerializer.Meta):
        fields = (*TokenSerializer.Meta.fields, "key")
        read_only_fields = fields


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A primary key input that only accepts objects the requesting user can
    see (`restrict(user, "view")`); anything else is "does not exist"."""

    def get_queryset(self):
        queryset = super().get_queryset()
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return queryset.restrict(user) if hasattr(queryset, "restrict") else queryset.none()

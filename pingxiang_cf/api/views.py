"""Token endpoints.

- `POST /api/v1/auth/token/` with username, password, name (and days): signs
  in through `django.contrib.auth.authenticate(request=…)` — so every
  authentication backend and lockout applies — and returns a new token; the
  key is shown in this response only.
- `GET /api/v1/tokens/`: the caller's own tokens; `POST` creates one (signed
  in); `DELETE /api/v1/tokens/{id}/` revokes one."""

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from pingxiang_cf import tokens
from pingxiang_cf.api.serializers import (
    NewTokenSerializer,
    TokenCreateSerializer,
    TokenObtainSerializer,
    TokenSerializer,
)
from pingxiang_cf.api.viewsets import CreateMixin, DestroyMixin, ScopedViewSet
from pingxiang_cf.models import ApiToken


def _new_token_response(token, key):
    data = NewTokenSerializer(token).data
    data["key"] = key
    return Response(data, status=status.HTTP_201_CREATED)


class TokenObtainView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        request=TokenObtainSerializer,
        responses={201: NewTokenSerializer},
        summary="用用户名和密码换取API令牌",
        auth=[],
    )
    def post(self, request):
        serializer = TokenObtainSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = authenticate(
            request=request._request, username=data["username"], password=data["password"]
        )
        if user is None or not user.is_active:
            raise exceptions.ValidationError({"non_field_errors": [_("用户名或密码错误。")]})
        token, key = tokens.token_create(
            actor=user, user=user, name=data["name"], days=data.get("days")
        )
        return _new_token_response(token, key)


class TokenViewSet(ScopedViewSet, CreateMixin, DestroyMixin):
    """The caller's own API tokens."""

    queryset = ApiToken.objects.all()
    serializer_class = TokenSerializer
    write_serializer_class = TokenCreateSerializer
    filterset_class = None

    def get_queryset(self):
        return ApiToken.objects.restrict(self.request.user)

    def may_create(self) -> bool:
        return True

    def may_change(self, obj) -> bool:
        return obj.user_id == self.request.user.pk

    @extend_schema(request=TokenCreateSerializer, responses={201: NewTokenSerializer})
    def create(self, request, *args, **kwargs):
        serializer = TokenCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        token, key = tokens.token_create(
            actor=request.user, user=request.user, name=data["name"], days=data.get("days")
        )
        return _new_token_response(token, key)

    @extend_schema(summary="撤销令牌", responses={204: None})
    def destroy(self, request, *args, **kwargs):
        token = self.get_object()
        tokens.token_revoke(token, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

"""Token authentication: `Authorization: Bearer pxcf_…` (or `Token pxcf_…`).
The token acts as its user, with that user's scope. An unknown, expired or
revoked token, or one whose user is switched off, is refused with 401."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from pingxiang_cf.tokens import token_for_key

KEYWORDS = ("bearer", "token")


class TokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode("latin-1").lower() not in KEYWORDS:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("令牌格式错误。"))
        try:
            key = header[1].decode()
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed(_("令牌格式错误。")) from exc
        token = token_for_key(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("令牌无效、已过期或已撤销。"))
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "pingxiang_cf.api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "个人API令牌:Authorization: Bearer pxcf_…",
        }

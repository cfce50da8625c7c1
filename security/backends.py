"""Authentication with lockout, for every way in.

`LockoutModelBackend` replaces django's ModelBackend in
AUTHENTICATION_BACKENDS, so whatever calls `django.contrib.auth.authenticate`
— the sign-in page, the admin's sign-in, the API token endpoint — is
counted: a locked account is refused before its password is even checked,
a wrong password is recorded and may lock the account, a right one resets
the count. Each outcome is audited."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from security import selectors, services


class LockoutModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        username = str(username)[:150]
        if selectors.active_lockout(username) is not None:
            services.login_refused_locked(username=username, request=request)
            # PermissionDenied stops django.contrib.auth.authenticate from
            # trying any other backend.
            raise PermissionDenied
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            services.login_failed(username=username, request=request, reason="口令错误")
            return None
        if self.password_alone_refused(request, user):
            services.login_refused_second_factor(user=user, request=request)
            return None
        services.login_succeeded(user=user, request=request, reason="口令验证通过")
        return user

    @staticmethod
    def password_alone_refused(request, user) -> bool:
        """Outside the sign-in page (the API token endpoint), a password is
        not enough for a user with an authenticator or whose role requires
        one: the second factor cannot be bypassed through the API."""
        path = getattr(request, "path", "") or ""
        if not path.startswith("/api/"):
            return False
        return selectors.totp_device(user) is not None or selectors.totp_required(user)

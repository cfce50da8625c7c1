"""Forced password change: a signed-in user whose password is older than
PASSWORD_MAX_AGE_DAYS can only change it (or sign out) until they do."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from security import selectors
from security.receivers import PASSWORD_CHANGED_AT


class PasswordExpiryMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            settings.PASSWORD_MAX_AGE_DAYS
            and user is not None
            and user.is_authenticated
            and hasattr(request, "session")
            and self.expired(request, user)
            and not self.exempt(request.path)
        ):
            messages.warning(
                request,
                _("您的密码已超过 %(days)d 天未修改,请先修改密码。")
                % {"days": settings.PASSWORD_MAX_AGE_DAYS},
            )
            return redirect("password_change")
        return self.get_response(request)

    @staticmethod
    def expired(request, user) -> bool:
        """Read from the session (stamped at sign-in); only when that says
        expired is the database asked again (the password may just have
        been changed in this session)."""
        max_age = settings.PASSWORD_MAX_AGE_DAYS * 86400
        now = timezone.now().timestamp()
        stamp = request.session.get(PASSWORD_CHANGED_AT)
        if stamp is not None and now - stamp <= max_age:
            return False
        changed = selectors.password_changed_at(user).timestamp()
        request.session[PASSWORD_CHANGED_AT] = changed
        return now - changed > max_age

    @staticmethod
    def exempt(path: str) -> bool:
        allowed = (
            reverse("password_change"),
            reverse("password_change_done"),
            reverse("logout"),
            settings.STATIC_URL,
            "/i18n/",
        )
        return path.startswith(allowed)

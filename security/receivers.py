"""Auth signals: the session's clocks at sign-in, the audit rows of
sign-out. Thin: the work is in services and the middleware."""

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver
from django.utils import timezone

from pingxiang_cf import audit
from pingxiang_cf.middleware import SessionTimeoutMiddleware
from pingxiang_cf.models import AuditAction
from security import selectors

PASSWORD_CHANGED_AT = "_pxcf_password_changed_at"


@receiver(user_logged_in, dispatch_uid="security.session_clocks")
def start_session_clocks(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    now = timezone.now().timestamp()
    request.session[SessionTimeoutMiddleware.STARTED] = now
    request.session[SessionTimeoutMiddleware.SEEN] = now
    request.session[PASSWORD_CHANGED_AT] = selectors.password_changed_at(user).timestamp()


@receiver(user_logged_out, dispatch_uid="security.audit_logout")
def audit_logout(sender, request, user, **kwargs):
    if user is None:
        return
    reason = getattr(request, "pxcf_logout_reason", "") if request is not None else ""
    audit.record_event(
        actor=user, action=AuditAction.LOGOUT, obj=user, reason=reason, request=request
    )

"""Request middleware shared by every page."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Chinese unless the user chose another language.

    Django's LocaleMiddleware follows the browser's Accept-Language, so an
    English-configured browser on a government intranet would get an English
    UI. Here only an explicit choice counts: the language cookie set by the
    language switch (/i18n/setlang/); otherwise LANGUAGE_CODE (zh-hans)."""

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class AuditContextMiddleware:
    """Makes the client's IP address known to pingxiang_cf.audit for the
    duration of the request, and records every refused request (403) as a
    permission denial: who, from where, which URL."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from pingxiang_cf import audit

        token = audit.current_ip.set(audit.client_ip(request))
        try:
            response = self.get_response(request)
            if response.status_code == 403:
                self.record_denial(request)
            return response
        finally:
            audit.current_ip.reset(token)

    @staticmethod
    def record_denial(request):
        from pingxiang_cf import audit
        from pingxiang_cf.models import AuditAction, AuditOutcome

        # DRF authenticates inside the view and sets the user on this request too.
        user = getattr(request, "user", None)
        audit.record_event(
            actor=user if user is not None and user.is_authenticated else None,
            action=AuditAction.DENIED,
            object_repr=f"{request.method} {request.get_full_path()}"[:255],
            outcome=AuditOutcome.DENIED,
            request=request,
        )


class SessionTimeoutMiddleware:
    """Ends a signed-in session after SESSION_IDLE_TIMEOUT seconds without a
    request and SESSION_ABSOLUTE_TIMEOUT seconds after sign-in, whatever the
    activity. The session is flushed (destroyed on the server) and the user
    sent to the sign-in page (JSON requests get 401). Background polls listed
    in SESSION_IDLE_EXEMPT_PATHS (the bell's counter) do not count as activity."""

    STARTED = "_pxcf_session_started"
    SEEN = "_pxcf_session_seen"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.contrib.auth import logout
        from django.contrib.auth.views import redirect_to_login
        from django.http import JsonResponse
        from django.utils import timezone

        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        now = timezone.now().timestamp()
        session = request.session
        started = session.get(self.STARTED)
        seen = session.get(self.SEEN, started)
        if started is None:
            session[self.STARTED] = session[self.SEEN] = now
        elif (
            now - seen > settings.SESSION_IDLE_TIMEOUT
            or now - started > settings.SESSION_ABSOLUTE_TIMEOUT
        ):
            request.pxcf_logout_reason = "会话超时"
            logout(request)
            if request.path.startswith("/api/") or "json" in request.headers.get("Accept", ""):
                return JsonResponse({"detail": "会话已超时,请重新登录。"}, status=401)
            return redirect_to_login(request.get_full_path())
        elif request.path not in settings.SESSION_IDLE_EXEMPT_PATHS and (
            now - seen >= 60 or now < seen
        ):
            # Written at most once a minute: not a session save per request.
            session[self.SEEN] = now
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Headers Django's SecurityMiddleware does not set: the Content Security
    Policy (settings.CONTENT_SECURITY_POLICY; no inline scripts anywhere), a
    Permissions-Policy and no caching of signed-in pages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", "")
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response:
            response["Cache-Control"] = "no-store"
        return response

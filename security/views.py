"""Security pages: sign-in with lockout and second factor, the user's own
authenticator, the security administrator's lockouts and policy, the audit
administrator's audit log (search and CSV export)."""

from __future__ import annotations

import csv
import time
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_POST

from pingxiang_cf import audit
from pingxiang_cf.roles import Role
from pingxiang_cf.scope import get_user_scope
from security import forms, selectors, services, totp
from security.filters import AuditLogFilterSet
from security.models import Lockout

PENDING = "_pxcf_2fa_pending"
PENDING_SECRET = "_pxcf_2fa_secret"
PENDING_SECONDS = 300
AUDIT_PAGE_SIZE = 50


def role_required(role: str):
    """Signed in and holding `role` (or superuser), else 403 (audited)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            user = request.user
            if not (user.is_superuser or role in get_user_scope(user).roles):
                raise PermissionDenied(_("您没有权限访问此页面。"))
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _next_url(request, default: str = "") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default or reverse(settings.LOGIN_REDIRECT_URL)


# --- Sign-in ---------------------------------------------------------------------------


@sensitive_post_parameters()
@csrf_protect
@never_cache
def login_view(request):
    """Password first; then the second factor when the user has an
    authenticator or their role requires one."""
    if request.user.is_authenticated:
        return redirect(_next_url(request))
    form = forms.LoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        if selectors.totp_device(user) or selectors.totp_required(user):
            request.session.cycle_key()
            request.session[PENDING] = {
                "user": user.pk,
                "backend": user.backend,
                "at": timezone.now().timestamp(),
                "next": _next_url(request),
            }
            return redirect("security:login-totp")
        auth_login(request, user)
        return redirect(_next_url(request))
    return render(
        request,
        "registration/login.html",
        {"form": form, "next": request.GET.get("next", request.POST.get("next", ""))},
    )


def _pending_user(request):
    pending = request.session.get(PENDING)
    if not pending or timezone.now().timestamp() - pending["at"] > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        return None, None
    user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    return user, pending


@sensitive_post_parameters()
@csrf_protect
@never_cache
def login_totp(request):
    """The second step: a code from the user's authenticator; a user whose
    role requires one and who has none enrols it here first."""
    user, pending = _pending_user(request)
    if user is None:
        messages.warning(request, _("登录已超时,请重新输入账号和密码。"))
        return redirect("login")
    device = selectors.totp_device(user)
    secret = None
    if device is None:
        secret = request.session.get(PENDING_SECRET) or totp.new_secret()
        request.session[PENDING_SECRET] = secret
    form = forms.TOTPCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        ok = False
        if device is None:
            try:
                services.totp_device_enrol(user=user, secret=secret, code=code, actor=user)
                services.login_succeeded(user=user, request=request, reason=_("启用动态口令"))
                ok = True
            except ValidationError:
                services.login_failed(
                    username=user.get_username(), request=request, reason=_("动态口令错误")
                )
        else:
            ok = services.totp_verify(user=user, code=code, request=request)
        if ok:
            request.session.pop(PENDING, None)
            request.session.pop(PENDING_SECRET, None)
            user.backend = pending["backend"]
            auth_login(request, user)
            return redirect(pending["next"])
        if selectors.active_lockout(user.get_username()):
            request.session.pop(PENDING, None)
            messages.error(request, _("连续登录失败次数过多,账号已锁定。"))
            return redirect("login")
        form.add_error("code", _("动态口令不正确。"))
    context = {"form": form, "enrol": device is None}
    if secret:
        context["secret"] = secret
        context["uri"] = totp.provisioning_uri(
            secret, account=user.get_username(), issuer=str(_("萍乡惩防"))
        )
    return render(request, "security/login_totp.html", context)


def admin_login(request):
    """The admin signs in through the same page (lockout, second factor)."""
    target = request.GET.get("next") or reverse("admin:index")
    return redirect(f"{reverse('login')}?next={target}")


# --- The user's own authenticator --------------------------------------------------------


@login_required
@never_cache
def account_totp(request):
    """Enrol an authenticator (optional unless the role requires it) or switch it off."""
    device = selectors.totp_device(request.user)
    form = forms.TOTPCodeForm(request.POST or None)
    secret = request.session.get(PENDING_SECRET)
    if request.method == "POST" and request.POST.get("remove"):
        try:
            services.totp_device_remove(user=request.user, actor=request.user)
            messages.success(request, _("已停用动态口令。"))
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        return redirect("security:account-totp")
    if device is None:
        if not secret:
            secret = totp.new_secret()
            request.session[PENDING_SECRET] = secret
        if request.method == "POST" and form.is_valid():
            try:
                services.totp_device_enrol(
                    user=request.user,
                    secret=secret,
                    code=form.cleaned_data["code"],
                    actor=request.user,
                )
            except ValidationError as exc:
                form.add_error("code", exc.message_dict.get("code", exc.messages)[0])
            else:
                request.session.pop(PENDING_SECRET, None)
                messages.success(request, _("已启用动态口令,下次登录时需输入。"))
                return redirect("security:account-totp")
    context = {
        "device": device,
        "form": form,
        "required": selectors.totp_required(request.user),
        "secret": secret if device is None else None,
    }
    if device is None:
        context["uri"] = totp.provisioning_uri(
            secret, account=request.user.get_username(), issuer=str(_("萍乡惩防"))
        )
    return render(request, "security/account_totp.html", context)


# --- Security administrator -------------------------------------------------------------


@role_required(Role.SECURITY_ADMIN)
@require_GET
def lockout_list(request):
    active_only = request.GET.get("active") == "1"
    queryset = selectors.lockouts_for_admin(active_only=active_only)
    q = request.GET.get("q", "").strip()
    if q:
        queryset = queryset.filter(username__icontains=q)
    page = Paginator(queryset, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "security/lockout_list.html",
        {
            "page": page,
            "active_only": active_only,
            "q": q,
            "now": timezone.now(),
            "release_form": forms.LockoutReleaseForm(),
            **forms.lockout_settings(),
        },
    )


@role_required(Role.SECURITY_ADMIN)
@require_POST
def lockout_release(request, pk):
    lockout = get_object_or_404(Lockout, pk=pk)
    form = forms.LockoutReleaseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写解锁原因。"))
        return redirect("security:lockouts")
    try:
        services.lockout_release(
            lockout=lockout, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("已解除账号 %(name)s 的锁定。") % {"name": lockout.username})
    return redirect("security:lockouts")


@role_required(Role.SECURITY_ADMIN)
def policy_edit(request):
    policy = selectors.security_policy()
    form = forms.SecurityPolicyForm(
        request.POST or None, initial={"totp_required_roles": policy.totp_required_roles}
    )
    if request.method == "POST" and form.is_valid():
        services.security_policy_update(
            actor=request.user, totp_required_roles=form.cleaned_data["totp_required_roles"]
        )
        messages.success(request, _("安全策略已保存。"))
        return redirect("security:policy")
    return render(
        request,
        "security/policy.html",
        {"form": form, "policy": policy, "settings_table": _settings_table()},
    )


def _settings_table():
    """The policy values set by the environment, shown read-only."""
    return [
        (_("密码最小长度"), settings.PASSWORD_MIN_LENGTH, "PASSWORD_MIN_LENGTH"),
        (_("密码须包含的字符类别数"), settings.PASSWORD_MIN_CLASSES, "PASSWORD_MIN_CLASSES"),
        (_("不得重复使用的最近密码数"), settings.PASSWORD_HISTORY_COUNT, "PASSWORD_HISTORY_COUNT"),
        (_("密码有效期(天)"), settings.PASSWORD_MAX_AGE_DAYS, "PASSWORD_MAX_AGE_DAYS"),
        (_("锁定前允许的连续失败次数"), settings.LOGIN_FAILURE_LIMIT, "LOGIN_FAILURE_LIMIT"),
        (_("锁定时长(分钟)"), settings.LOCKOUT_MINUTES, "LOCKOUT_MINUTES"),
        (_("会话空闲超时(秒)"), settings.SESSION_IDLE_TIMEOUT, "SESSION_IDLE_TIMEOUT"),
        (_("会话最长有效期(秒)"), settings.SESSION_ABSOLUTE_TIMEOUT, "SESSION_ABSOLUTE_TIMEOUT"),
    ]


# --- Audit administrator ---------------------------------------------------------------


def _audit_filterset(request):
    return AuditLogFilterSet(
        request.GET or None, queryset=selectors.audit_rows(request.user), request=request
    )


@role_required(Role.AUDIT_ADMIN)
@require_GET
def audit_list(request):
    filterset = _audit_filterset(request)
    paginator = Paginator(filterset.qs, AUDIT_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "security/audit_list.html",
        {
            "filter": filterset,
            "page": page,
            "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "query": query.urlencode(),
        },
    )


CSV_COLUMNS = (
    (_("序号"), "seq"),
    (_("时间"), "created_at"),
    (_("操作人账号"), "actor_name"),
    (_("所在单位"), "unit"),
    (_("IP 地址"), "ip"),
    (_("操作"), "action"),
    (_("结果"), "outcome"),
    (_("对象类型"), "content_type"),
    (_("对象编号"), "object_id"),
    (_("对象"), "object_repr"),
    (_("变更字段"), "changed_fields"),
    (_("原因"), "reason"),
    (_("哈希"), "hash"),
)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """Text for one CSV cell; a leading = + - @ is escaped so that a
    spreadsheet never runs it as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_START) else text


def _audit_row(row) -> list[str]:
    values = {
        "seq": row.seq,
        "created_at": timezone.localtime(row.created_at).strftime("%Y-%m-%d %H:%M:%S"),
        "actor_name": row.actor_name,
        "unit": row.unit,
        "ip": row.ip or "",
        "action": row.get_action_display(),
        "outcome": row.get_outcome_display(),
        "content_type": row.content_type.name if row.content_type_id else "",
        "object_id": row.object_id,
        "object_repr": row.object_repr,
        "changed_fields": "、".join(row.changed_fields or []),
        "reason": row.reason,
        "hash": row.hash,
    }
    return [csv_cell(values[key]) for _label, key in CSV_COLUMNS]


class _Echo:
    def write(self, value):
        return value


@role_required(Role.AUDIT_ADMIN)
@require_GET
def audit_export(request):
    """The filtered audit log as CSV (UTF-8 with BOM for Excel), streamed;
    the export itself is audited."""
    queryset = _audit_filterset(request).qs
    count = queryset.count()
    audit.record_export(
        actor=request.user, what=_("审计日志"), rows=count, fmt="csv", request=request
    )
    writer = csv.writer(_Echo())

    def rows():
        yield "\ufeff" + writer.writerow([str(label) for label, _key in CSV_COLUMNS])
        for row in queryset.iterator(chunk_size=1000):
            yield writer.writerow(_audit_row(row))

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    stamp = time.strftime("%Y%m%d-%H%M%S")
    response["Content-Disposition"] = f'attachment; filename="audit-log-{stamp}.csv"'
    return response


@login_required
@require_GET
def security_home(request):
    """Where each administrator's duty starts."""
    roles = get_user_scope(request.user).roles
    return render(
        request,
        "security/home.html",
        {
            "is_security_admin": request.user.is_superuser or Role.SECURITY_ADMIN in roles,
            "is_audit_admin": request.user.is_superuser or Role.AUDIT_ADMIN in roles,
            "is_system_admin": request.user.is_superuser or Role.SYSTEM_ADMIN in roles,
        },
    )

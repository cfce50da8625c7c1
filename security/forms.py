"""Forms of the security pages; the writes are in security.services."""

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pingxiang_cf.roles import Role
from security import selectors


class LoginForm(AuthenticationForm):
    """Django's sign-in form; a locked account is told so (and until when)
    instead of "wrong password"."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": _("连续登录失败次数过多,账号已锁定,请于 %(until)s 后重试或联系安全管理员。"),
    }

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            username = self.cleaned_data.get("username")
            lockout = selectors.active_lockout(username) if username else None
            if lockout is not None:
                raise ValidationError(
                    self.error_messages["locked"],
                    code="locked",
                    params={"until": timezone.localtime(lockout.expires_at).strftime("%H:%M")},
                ) from None
            raise


class TOTPCodeForm(forms.Form):
    code = forms.CharField(
        label=_("动态口令"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        help_text=_("手机验证器(身份验证器)上显示的 6 位数字。"),
    )


class SecurityPolicyForm(forms.Form):
    totp_required_roles = forms.MultipleChoiceField(
        label=_("须使用动态口令(双因素)登录的角色"),
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class LockoutReleaseForm(forms.Form):
    reason = forms.CharField(label=_("解锁原因"), max_length=200)


def lockout_settings() -> dict:
    return {
        "limit": settings.LOGIN_FAILURE_LIMIT,
        "minutes": settings.LOCKOUT_MINUTES,
    }

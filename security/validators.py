"""Password validators that need the security app's records (the generic
ones are in pingxiang_cf/validators.py)."""

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from security.models import PasswordHistory


class PasswordHistoryValidator:
    """Not one of the user's last PASSWORD_HISTORY_COUNT passwords. Its
    `password_changed` hook, which Django calls whenever a password is set
    and saved (any form, the admin, `set_password`), keeps the history."""

    def validate(self, password, user=None):
        if user is None or not user.pk:
            return
        count = settings.PASSWORD_HISTORY_COUNT
        hashes = PasswordHistory.objects.filter(user=user).order_by("-created_at", "-pk")
        candidates = list(hashes.values_list("password", flat=True)[:count])
        if user.password and user.password not in candidates:
            candidates.insert(0, user.password)  # the current one, set before history existed
        if any(check_password(password, encoded) for encoded in candidates[:count]):
            raise ValidationError(
                ngettext(
                    "新密码不能与最近 %(count)d 次使用过的密码相同。",
                    "新密码不能与最近 %(count)d 次使用过的密码相同。",
                    count,
                )
                % {"count": count},
                code="password_reused",
            )

    def password_changed(self, password, user=None):
        from security.services import password_history_add

        if user is not None:
            password_history_add(user=user)

    def get_help_text(self):
        return _("不能与最近 %(count)d 次使用过的密码相同。") % {
            "count": settings.PASSWORD_HISTORY_COUNT
        }

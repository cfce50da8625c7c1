"""Password complexity (GB/T 22239-2019 8.1.4.1: identification with
complexity requirements), with Chinese messages. Length, similarity to the
user's name and common passwords are Django's own validators (their messages
are translated by Django); history is security.validators."""

import string

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CLASSES = (
    ("lower", set(string.ascii_lowercase)),
    ("upper", set(string.ascii_uppercase)),
    ("digit", set(string.digits)),
)


def character_classes(password: str) -> int:
    """How many of lower case, upper case, digits and other characters occur."""
    found = sum(1 for _name, chars in CLASSES if any(c in chars for c in password))
    other = any(not any(c in chars for _name, chars in CLASSES) for c in password)
    return found + int(other)


class ComplexityValidator:
    """At least `min_classes` of: lower-case letters, upper-case letters,
    digits, other characters (default 3 of 4)."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        if character_classes(password) < self.min_classes:
            raise ValidationError(
                _("密码过于简单:须至少包含大写字母、小写字母、数字、特殊字符中的 %(n)d 类。")
                % {"n": self.min_classes},
                code="password_too_simple",
            )

    def get_help_text(self):
        return _("须至少包含大写字母、小写字母、数字、特殊字符中的 %(n)d 类。") % {
            "n": self.min_classes
        }


class MinimumLengthValidator:
    """At least `min_length` characters (Django's own, with a Chinese message)."""

    def __init__(self, min_length: int = 10):
        self.min_length = min_length

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(
                _("密码长度太短:至少需要 %(n)d 个字符。") % {"n": self.min_length},
                code="password_too_short",
            )

    def get_help_text(self):
        return _("至少 %(n)d 个字符。") % {"n": self.min_length}

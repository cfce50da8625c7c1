"""Model fields encrypted at rest, and the masks that show them in lists.

`EncryptedTextField` stores a Fernet token (AES-128-CBC + HMAC-SHA256, from
`cryptography`) and gives back the plain text in Python. The keys come from
the environment: FIELD_ENCRYPTION_KEYS, comma-separated Fernet keys, the
first used to encrypt and all tried to decrypt (rotation: put the new key
first, run `manage.py reencrypt_fields`, then drop the old one). Without it
(development only) a key is derived from SECRET_KEY; production refuses to
start without it (settings).

An encrypted column cannot be searched or sorted in the database: only
`isnull` and exact-empty lookups make sense. A value read from the database
that is not a token (rows written before the field was encrypted) is passed
through as is until it is saved again; a token that no key opens raises, so a
wrong key is noticed at once rather than shown as garbage."""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

TOKEN_PREFIX = "gAAAAA"  # every Fernet token starts with version byte 0x80 + timestamp


def derived_development_key(secret_key: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(secret_key.encode()).digest()).decode()


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS must hold Fernet keys (32 url-safe base64-encoded bytes)"
        ) from exc


def fernet() -> MultiFernet:
    keys = tuple(getattr(settings, "FIELD_ENCRYPTION_KEYS", ()) or ())
    if not keys:
        keys = (derived_development_key(settings.SECRET_KEY),)
    return _fernet(keys)


def encrypt(value: str) -> str:
    return fernet().encrypt(value.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    if not token.startswith(TOKEN_PREFIX):
        return token  # written before encryption: re-saved encrypted on the next write
    try:
        return fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "An encrypted field cannot be decrypted: FIELD_ENCRYPTION_KEYS does not hold "
            "the key it was written with."
        ) from exc


class EncryptedTextField(models.TextField):
    """Text encrypted at rest; "" stays "" (nothing to hide, and it keeps
    `blank=True` fields cheap to filter)."""

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return encrypt(str(value))

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        return decrypt(value)


# --- Masks for lists ---------------------------------------------------------------


def mask_middle(value: str, keep_start: int, keep_end: int) -> str:
    """ "13812345678" → "138****5678"; short values are masked entirely."""
    if not value:
        return ""
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    hidden = len(value) - keep_start - keep_end
    return f"{value[:keep_start]}{'*' * hidden}{value[len(value) - keep_end :]}"


def mask_phone(value: str) -> str:
    return mask_middle(value or "", 3, 4)


def mask_id_number(value: str) -> str:
    return mask_middle(value or "", 4, 4)

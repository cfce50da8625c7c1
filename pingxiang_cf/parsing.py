"""Numbers typed or sent by users. A Chinese input method types full-width
digits ("１２３"), and a query string may carry any Unicode digit ("²"),
which str.isdigit() accepts but int(), the ORM and hmac.compare_digest do
not take alike: these helpers read them once, the same way everywhere."""

import unicodedata


def ascii_digits(value) -> str | None:
    """The value as ASCII digits (full-width ones normalised), or None."""
    text = unicodedata.normalize("NFKC", str(value or "")).strip()
    return text if text.isascii() and text.isdigit() else None


def positive_id(value) -> int | None:
    """A primary key from a query string or form, or None."""
    digits = ascii_digits(value)
    return int(digits) if digits and int(digits) > 0 else None

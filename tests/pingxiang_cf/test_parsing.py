"""Numbers typed or sent by users: full-width digits are read, other
Unicode digits and anything else are refused, the same everywhere."""

import pytest

from pingxiang_cf.parsing import ascii_digits, positive_id


@pytest.mark.parametrize(
    ("value", "expected"),
    [("123456", "123456"), ("１２３４５６", "123456"), (" 42 ", "42"), ("007", "007")],
)
def test_ascii_digits_reads_ascii_and_full_width_digits(value, expected):
    assert ascii_digits(value) == expected


@pytest.mark.parametrize("value", ["", None, "12a", "-1", "1.5", "٣", "1 2", "1e3"])
def test_ascii_digits_refuses_anything_else(value):
    assert ascii_digits(value) is None


def test_superscripts_are_read_as_the_digits_they_show():
    # NFKC folds "²" to "2": a stray superscript is the digit a user sees.
    assert ascii_digits("²") == "2"


@pytest.mark.parametrize(("value", "expected"), [("7", 7), ("０７", 7), ("0", None), ("x", None)])
def test_positive_id(value, expected):
    assert positive_id(value) == expected

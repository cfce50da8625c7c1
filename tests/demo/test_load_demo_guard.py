"""The demo refuses to mix with data it did not build."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accountability.models import Unit


def test_refuses_a_database_that_already_has_other_units(tree):
    before = Unit.objects.count()
    with pytest.raises(CommandError, match="空数据库"):
        call_command("load_pingxiang_demo", force=True, stdout=StringIO())
    assert Unit.objects.count() == before

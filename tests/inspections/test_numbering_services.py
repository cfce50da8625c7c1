"""Letter numbers under concurrency, on PostgreSQL (the services pass of
.ci/run): letters issued at the same moment by several connections get
distinct numbers in an unbroken sequence."""

import datetime
import threading

import pytest
from django.db import connection, connections

from inspections.choices import LetterReason
from inspections.models import SupervisionLetter
from inspections.services import letters
from tests import factories as f

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

WRITERS = 6


def test_concurrent_letters_get_distinct_numbers_in_sequence():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (row locks across connections)")
    units = [f.UnitFactory() for _ in range(WRITERS)]
    barrier = threading.Barrier(WRITERS)
    errors = []

    def issue(unit):
        try:
            barrier.wait(timeout=30)
            letters.letter_issue(
                actor=None,
                unit=unit,
                reason=LetterReason.OTHER,
                issued_on=datetime.date(2012, 4, 1),
            )
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(unit,)) for unit in units]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    numbers = sorted(SupervisionLetter.objects.values_list("number", flat=True))
    assert numbers == sorted(f"萍纪惩督〔2012〕{n}号" for n in range(1, WRITERS + 1))

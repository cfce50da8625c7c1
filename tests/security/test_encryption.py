"""Officials' personal fields are encrypted at rest with a key from the
environment and masked in lists."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.urls import reverse

from accountability.models import Official
from pingxiang_cf import fields
from tests import factories as f

pytestmark = pytest.mark.django_db

PHONE, ID_NUMBER = "13812345678", "360302198001011234"


def _stored(official):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT phone, id_number FROM accountability_official WHERE id = %s", [official.pk]
        )
        return cursor.fetchone()


def test_phone_and_id_number_are_stored_encrypted(tree):
    official = f.OfficialFactory(unit=tree["county_a"], phone=PHONE, id_number=ID_NUMBER)
    phone, id_number = _stored(official)
    assert PHONE not in phone and ID_NUMBER not in id_number
    assert phone.startswith(fields.TOKEN_PREFIX)
    official = Official.objects.get(pk=official.pk)
    assert (official.phone, official.id_number) == (PHONE, ID_NUMBER)


def test_the_key_comes_from_the_environment_and_rotates(tree, settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [old]
    official = f.OfficialFactory(unit=tree["county_a"], phone=PHONE)
    token = _stored(official)[0]
    assert Fernet(old.encode()).decrypt(token.encode()).decode() == PHONE
    settings.FIELD_ENCRYPTION_KEYS = [new, old]  # rotation: new first, old still opens
    assert Official.objects.get(pk=official.pk).phone == PHONE
    settings.FIELD_ENCRYPTION_KEYS = [new]  # the old key dropped too early
    with pytest.raises(ImproperlyConfigured):
        Official.objects.get(pk=official.pk)


def test_masks():
    assert fields.mask_phone(PHONE) == "138****5678"
    assert fields.mask_id_number(ID_NUMBER) == "3603**********1234"
    assert fields.mask_phone("") == "" and fields.mask_phone("123") == "***"


def test_the_admin_list_shows_the_phone_masked(client, commission, tree):
    f.OfficialFactory(unit=tree["county_a"], phone=PHONE)
    client.force_login(commission)
    text = client.get(reverse("admin:accountability_official_changelist")).content.decode()
    assert "138****5678" in text and PHONE not in text

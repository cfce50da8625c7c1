"""Every model of the security app has a factory (tests/factories.py), and
the lockout's own constraint speaks Chinese."""

import datetime as dt

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils import timezone

from security.models import Lockout
from tests import factories as f


def test_every_security_model_has_a_factory():
    models = set(apps.get_app_config("security").get_models())
    assert sorted(m._meta.label for m in models - set(f.FACTORIES_BY_MODEL)) == []


@pytest.mark.django_db
def test_a_lockout_cannot_end_before_it_starts():
    now = timezone.now()
    lockout = Lockout(username="x", started_at=now, expires_at=now - dt.timedelta(1), failures=5)
    with pytest.raises(ValidationError, match="自动解锁时间必须晚于锁定时间"):
        lockout.full_clean()

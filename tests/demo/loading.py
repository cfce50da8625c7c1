"""Load the demo once and take it away afterwards.

The load runs inside a transaction opened for the test session's demo
modules (the `pingxiang_demo` fixture in tests/conftest.py; the modules
marked `demo` run last); every test then runs in its own savepoint
(pytest-django's `db`), and the transaction is rolled back at the end."""

import hashlib
from contextlib import contextmanager
from io import StringIO

from django.apps import apps
from django.core.management import call_command
from django.db import transaction

DOMAIN_APPS = ("auth", "pingxiang_cf", "accountability", "projects", "inspections", "assessments")


@contextmanager
def demo_loaded(django_db_blocker):
    """Yields the command's output."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = StringIO()
        call_command("load_pingxiang_demo", force=True, stdout=out, stderr=StringIO())
        yield out.getvalue()
        transaction.set_rollback(True)


def domain_models():
    for label in DOMAIN_APPS:
        yield from apps.get_app_config(label).get_models(include_auto_created=True)


def table_counts() -> dict[str, int]:
    return {m._meta.db_table: m._base_manager.count() for m in domain_models()}


def fingerprint() -> str:
    """A hash of every column of every row of the domain tables."""
    digest = hashlib.sha256()
    for model in domain_models():
        columns = [f.attname for f in model._meta.concrete_fields]
        digest.update(model._meta.db_table.encode())
        for row in model._base_manager.order_by("pk").values_list(*columns):
            digest.update(repr(row).encode())
    return digest.hexdigest()

"""Personas, one per role (DESIGN.md §5), over a small unit tree:

    萍乡市 (city)
    ├── 市纪委 (commission office)        ← commission, auditor
    ├── county_a ── township_a            ← editor_a (lead_unit) on county_a
    ├── county_b                          ← editor_b (lead_unit), co_editor_b (co_unit)
    └── department
leader: on the city (sees all); county_leader: on county_a only.
Also: superuser (no membership), inactive_user (switched-off editor of
county_a), anonymous (not signed in).
"""

import pytest
from django.conf import settings
from django.utils import translation

from accountability import choices as acc
from pingxiang_cf.roles import Role
from tests import factories as f
from tests.demo.loading import demo_loaded


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """The modules marked `demo` run last, one after the other, on one load
    of the demo (`pingxiang_demo`): loading it takes about half a minute on
    SQLite and a minute on PostgreSQL, once instead of once per module.
    After pytest-django's own ordering (trylast): its transactional tests
    must not run inside the open transaction that holds the demo."""
    demo = [item for item in items if item.get_closest_marker("demo")]
    if demo:
        items[:] = [item for item in items if not item.get_closest_marker("demo")] + demo


@pytest.fixture(scope="session")
def pingxiang_demo(django_db_setup, django_db_blocker):
    """The Pingxiang demo, loaded once and rolled back at the end of the
    session; every test over it runs in its own savepoint (the `db`
    fixture), so what a test writes is gone for the next. Yields the load
    command's output."""
    with demo_loaded(django_db_blocker) as output:
        yield output


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2 costs ~0.3 s a hash; tests need no strength, only correctness."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        # still verifies hashes made outside a test's settings (the demo loader's)
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]


@pytest.fixture(autouse=True)
def _eager_celery_outside_service_tests(request):
    """The services pass runs the whole suite with a real broker configured;
    only the tests marked `services` talk to it (and start their own worker).
    Every other test runs its queued tasks in-process, as in the embedded
    profile, so that it checks their outcome instead of a queued message."""
    if request.node.get_closest_marker("services"):
        yield
        return
    from pingxiang_cf.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


@pytest.fixture(autouse=True)
def _restore_language():
    """A request activates its language in the test thread and nothing
    deactivates it: without this, a test that chose English leaks it into
    the next tests' messages."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def tree(db):
    city = f.city_unit()
    return {
        "city": city,
        "commission_office": f.UnitFactory(name="市纪委", parent=city),
        "county_a": (county_a := f.CountyFactory(name="甲县", parent=city)),
        "township_a": f.TownshipFactory(name="甲县一镇", parent=county_a),
        "county_b": f.CountyFactory(name="乙县", parent=city),
        "department": f.UnitFactory(name="市审计局", parent=city, kind=acc.UnitKind.MUNICIPAL_DEPT),
    }


def _persona(username, unit, role):
    user = f.UserFactory(username=username)
    f.MembershipFactory(user=user, unit=unit, role=role)
    return user


@pytest.fixture
def commission(tree):
    return _persona("commission", tree["commission_office"], Role.COMMISSION)


@pytest.fixture
def auditor(tree):
    return _persona("auditor", tree["commission_office"], Role.AUDITOR)


@pytest.fixture
def leader(tree):
    return _persona("leader", tree["city"], Role.LEADER)


@pytest.fixture
def county_leader(tree):
    return _persona("county_leader", tree["county_a"], Role.LEADER)


@pytest.fixture
def editor_a(tree):
    return _persona("editor_a", tree["county_a"], Role.LEAD_UNIT)


@pytest.fixture
def editor_b(tree):
    return _persona("editor_b", tree["county_b"], Role.LEAD_UNIT)


@pytest.fixture
def co_editor_b(tree):
    return _persona("co_editor_b", tree["county_b"], Role.CO_UNIT)


@pytest.fixture
def outsider(db):
    """A signed-in user with no role anywhere."""
    return f.UserFactory(username="outsider")


@pytest.fixture
def superuser(db):
    """A Django superuser with no membership: sees and edits everything."""
    user = f.UserFactory(username="superuser")
    user.is_superuser = True
    user.save(update_fields=["is_superuser"])
    return user


@pytest.fixture
def inactive_user(tree):
    """A former editor of county_a whose account is switched off."""
    user = _persona("inactive", tree["county_a"], Role.LEAD_UNIT)
    user.is_active = False
    user.save(update_fields=["is_active"])
    return user


@pytest.fixture
def anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


# 三员分立 (issue 9): the three administrators, on the city unit.
@pytest.fixture
def sysadmin(tree):
    return _persona("sysadmin", tree["city"], Role.SYSTEM_ADMIN)


@pytest.fixture
def secadmin(tree):
    return _persona("secadmin", tree["city"], Role.SECURITY_ADMIN)


@pytest.fixture
def audit_admin(tree):
    return _persona("audit_admin", tree["city"], Role.AUDIT_ADMIN)

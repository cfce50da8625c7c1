import pytest
from django.core.cache import cache

from tests.dashboards.world import build_world


@pytest.fixture(autouse=True)
def no_cached_dashboard_body():
    """Each test renders the dashboard's body itself (the cache outlives a test's data)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(tree):
    """Projects of two programs and two mechanisms over two years, with
    ledger entries, below the city, a county and its township."""
    return build_world(tree)

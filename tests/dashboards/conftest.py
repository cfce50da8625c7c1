import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def no_cached_dashboard_body():
    """Each test renders the dashboard's body itself (the cache outlives a test's data)."""
    cache.clear()
    yield
    cache.clear()

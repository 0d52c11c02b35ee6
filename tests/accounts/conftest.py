import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """The counters live in the database cache, which outlives a test's transaction."""
    cache.clear()
    yield
    cache.clear()

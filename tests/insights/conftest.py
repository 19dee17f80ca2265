from collections.abc import Iterator

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    """Figures of past months are cached; each test starts from its own data."""
    cache.clear()
    yield
    cache.clear()

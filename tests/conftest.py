import pytest
from django.core.management import call_command


@pytest.fixture(autouse=True)
def site(db, settings, tmp_path):
    """Every test gets the home page, the wall and the role groups, and its own media folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("setup_site", verbosity=0)


@pytest.fixture(autouse=True)
def empty_cache():
    """The local-memory cache outlives a test; cached statistics must not leak into the next one."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()

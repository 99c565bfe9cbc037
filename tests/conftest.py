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


# One test, every search backend (tests/search_backends.py): for the modules that ask for them.
from tests.search_backends import each_backend, elasticsearch_server, people, publish  # noqa: E402, F401

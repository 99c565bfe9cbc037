import importlib

import pytest
from django.core.management import call_command


@pytest.fixture(autouse=True)
def site(db, settings, tmp_path):
    """Every test gets the home page, the wall and the role groups, the default thesaurus, and its
    own media folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("setup_site", verbosity=0)
    default_thesaurus()


def default_thesaurus():
    """The synonym sets the migration writes: a test that commits (TransactionTestCase) empties every
    table when it ends, so later tests would otherwise search without them."""
    from search.models import SynonymSet

    if not SynonymSet.objects.exists():
        defaults = importlib.import_module("search.migrations.0006_synonyms").DEFAULT_SETS
        SynonymSet.objects.bulk_create(SynonymSet(words=words) for words in defaults)


@pytest.fixture(autouse=True)
def empty_cache():
    """The local-memory cache outlives a test; cached statistics must not leak into the next one."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


# One test, every search backend (tests/search_backends.py): for the modules that ask for them.
from tests.search_backends import each_backend, elasticsearch_server, people, publish  # noqa: E402, F401

# The cache on one machine and on Redis (tests/servers.py).
from tests.servers import each_cache, redis_server, s3_server  # noqa: E402, F401

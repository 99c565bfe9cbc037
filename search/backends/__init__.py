"""`get_backend()` returns the configured search backend (see base.SearchBackend)."""

from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

DEFAULT_BACKEND = "search.backends.embedded.EmbeddedBackend"


def get_backend():
    return _load(getattr(settings, "ECHOWALL_SEARCH_BACKEND", DEFAULT_BACKEND))


@cache
def _load(path):
    return import_string(path)()

"""One test, every search backend: `each_backend` runs a test on the embedded index (on whichever
database the suite runs on, SQLite or PostgreSQL) and on Elasticsearch (osmem, tests/elastic.py),
and `found` / `similar` ask whichever is configured, as the search page and the similar box do."""

import uuid

import pytest

from search.backends import _load, get_backend
from search.backends.elastic import ElasticsearchBackend
from tests import elastic


@pytest.fixture(scope="session")
def elasticsearch_server():
    yield from elastic.server_url()


@pytest.fixture(params=["embedded", "elasticsearch"])
def each_backend(request, settings):
    if request.param == "embedded":
        yield get_backend()
        return
    settings.ELASTICSEARCH_URL = request.getfixturevalue("elasticsearch_server")
    settings.ELASTICSEARCH_INDEX = f"test-{uuid.uuid4().hex[:12]}"
    settings.ELASTICSEARCH_TIMEOUT = 5.0
    settings.ECHOWALL_SEARCH_BACKEND = "search.backends.elastic.ElasticsearchBackend"
    _load.cache_clear()
    backend = get_backend()
    backend.rebuild(pages=[])
    yield backend
    _load.cache_clear()
    backend.client.indices.delete(index=f"{backend.alias}-*")


def _fresh():
    backend = get_backend()
    if isinstance(backend, ElasticsearchBackend):
        backend.client.indices.refresh(index=backend.alias)
    return backend


def search(query, **kwargs):
    results = _fresh().search(query, **kwargs)
    assert not results.degraded, "the configured backend did not answer"
    return results


def found(query, **kwargs):
    return [hit.page_id for hit in search(query, **kwargs).hits]


def similar(text, **kwargs):
    return [hit.page_id for hit in _fresh().similar(text, **kwargs)]

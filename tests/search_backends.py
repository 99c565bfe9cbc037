"""One test, every search backend: `each_backend` runs a test on the embedded index (on whichever
database the suite runs on, SQLite or PostgreSQL) and on Elasticsearch (osmem, tests/elastic.py),
`publish` puts a post on the wall and in that index, and `found` / `similar` ask whichever is
configured, as the search page and the similar box do."""

import uuid

import pytest

from search.backends import _load, get_backend
from search.backends.elastic import ElasticsearchBackend
from tests import elastic
from tests.factories import make_accepted_post, make_editor, make_handler, make_unit


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


@pytest.fixture
def people():
    unit = make_unit("后勤管理处")
    return make_editor(), make_handler(unit), unit


@pytest.fixture
def publish(each_backend, people, django_capture_on_commit_callbacks):
    """publish(title, body, reply=None) -> the page id of a post on the wall, indexed on commit."""
    editor, handler, unit = people

    def publish(title, body="详情见标题。", reply=None):
        with django_capture_on_commit_callbacks(execute=True):
            post = make_accepted_post(editor, unit, title=title, body=body)
            if reply:
                post.reply(handler, reply, is_public=True)
            post.publish(editor)
        post.refresh_from_db()
        return post.page_id

    return publish


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

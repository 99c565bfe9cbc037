"""One test, every search backend: `each_backend` runs a test on the embedded index (on whichever
database the suite runs on, SQLite or PostgreSQL) and on Elasticsearch (osmem, tests/elastic.py),
`publish` puts a post on the wall and in that index, and `found` / `similar` ask whichever is
configured, as the search page and the similar box do.

A module about one backend's own workings configures it in fixtures of its own, with
`elasticsearch_of_its_own` or `use_elasticsearch`, and publishes with `publisher`."""

import uuid
from unittest import mock

import pytest

from cases.models import Post
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
    yield from elasticsearch_of_its_own(settings, request.getfixturevalue("elasticsearch_server"))


def elasticsearch_of_its_own(settings, url):
    """Yields the Elasticsearch backend at url, with an alias and indexes of the test's own, created
    empty; deletes them afterwards."""
    backend = use_elasticsearch(settings, url)
    backend.rebuild(pages=[])
    yield backend
    _load.cache_clear()
    backend.client.indices.delete(index=f"{backend.alias}-*")


def use_elasticsearch(settings, url, timeout=5.0):
    """Configures the Elasticsearch backend at url, in an index name of the test's own (not created
    here), and returns it."""
    settings.ELASTICSEARCH_URL = url
    settings.ELASTICSEARCH_INDEX = f"test-{uuid.uuid4().hex[:12]}"
    settings.ELASTICSEARCH_TIMEOUT = timeout
    settings.ECHOWALL_SEARCH_BACKEND = "search.backends.elastic.ElasticsearchBackend"
    _load.cache_clear()
    return get_backend()


@pytest.fixture
def people():
    unit = make_unit("后勤管理处")
    return make_editor(), make_handler(unit), unit


@pytest.fixture
def publish(each_backend, people, django_capture_on_commit_callbacks):
    """publish(title, body, reply=None, **post fields) -> the page id of a post on the wall, indexed
    on commit; the post is the people's editor's, in their unit unless unit= says otherwise."""
    return publisher(people, django_capture_on_commit_callbacks)


def publisher(people, capture_on_commit):
    """The publish() of the fixture, for a module that configures its backend in fixtures of its own."""
    editor, handler, home = people

    def publish(title, body="详情见标题。", reply=None, unit=home, **fields):
        with capture_on_commit(execute=True):
            post = make_accepted_post(editor, unit, title=title, body=body, **fields)
            if reply:
                post.reply(handler if unit == home else make_handler(unit), reply, is_public=True)
            post.publish(editor)
        post.refresh_from_db()
        return post.page_id

    return publish


def post_of(page_id):
    """The post whose page publish() returned."""
    return Post.objects.get(page_id=page_id)


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
    backend = _fresh()
    if not isinstance(backend, ElasticsearchBackend):
        return [hit.page_id for hit in backend.similar(text, **kwargs)]
    # The embedded index would answer, unseen, when the cluster does not: here it may not.
    with mock.patch.object(backend, "_similar_embedded", side_effect=AssertionError("the cluster did not answer")):
        return [hit.page_id for hit in backend.similar(text, **kwargs)]

"""The Elasticsearch backend's own workings, against a real server (tests/elastic.py): only public
projections stored, and gone on commit once they stop being public; the topic words of a period
counted; rebuilt into a new index while the old one answers, one rebuild at a time; with the cluster
unreachable or the index missing, posting still works and search answers from the embedded index,
saying so. ELASTICSEARCH_URL selects it; without a server these tests are skipped, but not on CI.
What every backend promises is tested on this one too, in tests/search/test_backends.py."""

import io
import json
import os
import socket
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone
from elastic_transport import ConnectionTimeout

from cases.escalation import tick
from search.backends import _load, elastic_index, get_backend
from search.backends import elastic as elastic_backend
from search.backends.base import SearchUnavailable
from search.models import IndexedPage, PageChange
from tests import elastic
from tests.factories import make_accepted_post, make_editor, make_unit, make_user
from tests.search.test_index_privacy import MARKERS, planted  # noqa: F401 - the same planted case
from tests.search_backends import (
    elasticsearch_of_its_own,
    found,
    post_of,
    publisher,
    search,
    similar,
    use_elasticsearch,
)
from wall.models import WallPostPage

ELASTIC = "search.backends.elastic.ElasticsearchBackend"
SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def backend(settings, elasticsearch_server):
    """The configured backend, in an alias and indexes of this test's own, created empty."""
    yield from elasticsearch_of_its_own(settings, elasticsearch_server)


@pytest.fixture
def unreachable(settings):
    """The backend, pointed at a port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    yield use_elasticsearch(settings, f"http://127.0.0.1:{port}", timeout=0.5)
    _load.cache_clear()


@pytest.fixture
def publish(people, django_capture_on_commit_callbacks):
    """tests/search_backends.py's publish, on the Elasticsearch this test's backend or unreachable set up."""
    return publisher(people, django_capture_on_commit_callbacks)


def indexes(backend):
    return sorted(backend.client.indices.get_alias(index=f"{backend.alias}-*"))


def aliased(backend):
    return sorted(backend.client.indices.get_alias(name=backend.alias))


def stored(backend):
    """Every document in the index the alias points to, as Elasticsearch returns it."""
    backend.client.indices.refresh(index=backend.alias)
    return [hit["_source"] for hit in backend.client.search(index=backend.alias, size=1000)["hits"]["hits"]]


# -- ranking ---------------------------------------------------------------------------------------


def test_pages_past_the_reranked_matches_read_on_without_repeating_or_losing_a_post(backend, publish, monkeypatch):
    # Our scorer orders the cluster's first RERANKED matches; further pages follow the cluster's order.
    monkeypatch.setattr(elastic_backend, "RERANKED", 3)
    posts = [publish(f"宿舍热水问题{number}", body="热水" * (number + 1)) for number in range(7)]
    pages = [found("宿舍热水", page=number, per_page=2) for number in (1, 2, 3, 4)]
    assert sorted(post for page in pages for post in page) == sorted(posts)
    assert pages[0] + pages[1][:1] == found("宿舍热水", per_page=3)
    assert search("宿舍热水", page=2, per_page=2).total == 7


# -- hot topics ------------------------------------------------------------------------------------


def test_it_counts_the_topic_words_of_the_posts_published_in_a_period(backend, people, publish, client):
    editor, _handler, unit = people
    other = make_unit("保卫处")
    with time_machine.travel(datetime(2026, 3, 2, 10, tzinfo=SH), tick=False):
        for dorm in ("三号楼", "五号楼"):
            publish(f"{dorm}热水不热", body="请问热水什么时候修好？")
        publish("食堂窗口太少", body="中午排队很久", unit=other)
        make_accepted_post(editor, unit, title="热水器漏电", wants_public=False)  # private: never indexed
    with time_machine.travel(datetime(2026, 4, 2, 10, tzinfo=SH), tick=False):
        publish("图书馆空调太冷")
    backend.client.indices.refresh(index=backend.alias)
    terms = dict(backend.top_terms(date(2026, 3, 1), date(2026, 3, 31)))
    assert terms["热水"] == 2 and terms["食堂"] == 1  # each post once, however often it says the word
    assert "图书馆" not in terms and "漏电" not in terms  # April's; the private post's
    assert "请问" not in terms and "什么" not in terms  # words every request has
    assert "食堂" not in dict(backend.top_terms(date(2026, 3, 1), date(2026, 3, 31), unit_id=unit.pk))
    client.force_login(make_user(groups=["校领导"]))
    with time_machine.travel(datetime(2026, 4, 10, tzinfo=SH), tick=False):
        content = client.get(reverse("stats_admin:hot_topics") + "?kind=month&day=2026-03-10").content.decode()
    assert "公开墙上的热词" in content and "漏电" in content  # the posts' own count still sees every post
    assert "漏电" not in content[content.index("公开墙上的热词") :]


def test_without_the_cluster_hot_topics_count_from_the_posts_alone(unreachable, people, client):
    editor, _handler, unit = people
    with time_machine.travel(datetime(2026, 3, 2, 10, tzinfo=SH), tick=False):
        make_accepted_post(editor, unit, title="三号楼热水不热")
    assert unreachable.top_terms(date(2026, 3, 1), date(2026, 3, 31)) is None
    client.force_login(make_user(groups=["校领导"]))
    with time_machine.travel(datetime(2026, 4, 10, tzinfo=SH), tick=False):
        response = client.get(reverse("stats_admin:hot_topics") + "?kind=month&day=2026-03-10")
    assert response.status_code == 200
    content = response.content.decode()
    assert "热水" in content and "公开墙上的热词" not in content


# -- only public projections -----------------------------------------------------------------------


def test_it_indexes_the_public_projection_only(backend, planted):  # noqa: F811
    documents = stored(backend)
    assert [document["page_id"] for document in documents] == [planted["public"].page_id]
    dumped = json.dumps(documents, ensure_ascii=False)
    assert "热水" in dumped and "每天" in dumped  # the public title, text and reply
    for name, marker in MARKERS.items():
        assert marker not in dumped, f"{name} marker is in the Elasticsearch index"
    assert IndexedPage.objects.count() == 1  # the embedded index is kept up to date as well


def test_it_finds_no_marker(backend, planted):  # noqa: F811
    for name, marker in MARKERS.items():
        assert search(marker).total == 0, name
        assert similar(marker) == [], name
    html = " ".join(h.title_html + h.excerpt_html for h in get_backend().similar("宿舍热水问题", limit=50))
    assert "热水" in html
    for name, marker in MARKERS.items():
        assert marker not in html, name


def test_it_forgets_a_withdrawn_post_on_commit(backend, planted, django_capture_on_commit_callbacks):  # noqa: F811
    assert found("宿舍热水") == [planted["public"].page_id]
    with django_capture_on_commit_callbacks(execute=True):
        planted["public"].unpublish(planted["editor"])
    assert stored(backend) == []
    assert found("宿舍热水") == []
    assert not IndexedPage.objects.exists()


def test_it_forgets_a_post_that_stops_being_public(backend, planted, django_capture_on_commit_callbacks):  # noqa: F811
    public = planted["public"]
    with django_capture_on_commit_callbacks(execute=True):
        public.wants_public = False
        public.save()
        public._sync_wall()
    assert stored(backend) == []
    assert not IndexedPage.objects.exists()


# -- rebuilding ------------------------------------------------------------------------------------


def test_it_rebuilds_into_a_new_index_while_the_old_one_answers(backend, publish, django_capture_on_commit_callbacks):
    kept = publish("宿舍热水不稳定")
    withdrawn_page_id = publish("宿舍热水要停了")
    withdrawn = post_of(withdrawn_page_id)  # unpublishing forgets its page
    old = aliased(backend)
    during = {}

    def progress(count):
        # The new index is filled but not in use yet: the old one answers searches...
        during["aliased"] = aliased(backend)
        during["indexes"] = indexes(backend)
        during["found"] = set(found("热水"))
        # ...and what is published or withdrawn meanwhile reaches both.
        during["late"] = publish("宿舍热水又坏了")
        with django_capture_on_commit_callbacks(execute=True):
            withdrawn.unpublish(make_editor())

    assert backend.rebuild(progress=progress) == 2
    assert during["aliased"] == old and len(during["indexes"]) == 2
    assert during["found"] == {kept, withdrawn_page_id}
    new = aliased(backend)
    assert new != old and indexes(backend) == new  # the old index is deleted
    assert not backend.client.indices.exists(index=old[0])
    assert set(found("热水")) == {kept, during["late"]}


def test_a_withdrawal_between_a_rebuild_reading_a_page_and_writing_it_does_not_come_back(
    backend, publish, people, django_capture_on_commit_callbacks, monkeypatch
):
    kept = publish("宿舍热水不稳定")
    withdrawn = post_of(publish("宿舍热水要停了"))
    write_batch = elastic_index.bulk

    def withdrawn_meanwhile(client, name, documents, progress):
        # The batch is read: the withdrawal's delete finds nothing yet in the index being filled.
        with django_capture_on_commit_callbacks(execute=True):
            withdrawn.unpublish(people[0])
        return write_batch(client, name, documents, progress)

    monkeypatch.setattr(elastic_index, "bulk", withdrawn_meanwhile)
    call_command("rebuild_search_index", stdout=io.StringIO())
    assert found("热水") == [kept]


def test_a_withdrawal_the_rebuild_overwrote_is_not_found_once_its_index_answers(
    backend, publish, people, django_capture_on_commit_callbacks, monkeypatch
):
    """From the alias switch on, while the embedded index is rebuilt and until the change is written
    again, the rebuilt index's old copy neither finds nor counts the post."""
    kept = publish("宿舍热水不稳定")
    withdrawn = post_of(publish("宿舍热水要停了"))
    PageChange.objects.update(written_at=timezone.now() - timedelta(minutes=5))  # long before the rebuild
    write_batch = elastic_index.bulk

    def withdrawn_meanwhile(client, name, documents, progress):
        with django_capture_on_commit_callbacks(execute=True):
            withdrawn.unpublish(people[0])
        return write_batch(client, name, documents, progress)

    seen = []
    rebuild_fallback = backend.fallback.rebuild

    def rebuild_fallback_watched(*args, **kwargs):
        results = search("热水")
        seen.append(([hit.page_id for hit in results.hits], results.total))
        return rebuild_fallback(*args, **kwargs)

    monkeypatch.setattr(elastic_index, "bulk", withdrawn_meanwhile)
    monkeypatch.setattr(backend.fallback, "rebuild", rebuild_fallback_watched)
    call_command("rebuild_search_index", stdout=io.StringIO())
    assert seen == [([kept], 1)]
    assert found("热水") == [kept]


def test_a_redaction_committed_while_a_search_runs_is_not_found_by_its_old_words(
    backend, client, publish, people, monkeypatch
):
    """The waiting pages are read apart from the cluster's query (the embedded index reads them in its
    own): here the editor's change commits right after that read, before the cluster answers."""
    post = post_of(publish("张文丰宿舍热水器坏了"))
    read = elastic_backend.unwritten_page_ids
    reads = []

    def then_redacted():
        reads.append(read())
        if len(reads) == 1:
            post.edit_public_text(people[0], "宿舍热水器坏了", "", show_photos=False)
        return reads[-1]

    monkeypatch.setattr(elastic_backend, "unwritten_page_ids", then_redacted)
    response = client.get("/search/", {"q": "张文丰"})
    assert (response.context["total"], response.context["results"]) == (0, [])
    assert client.get("/api/v1/similar", {"q": "张文丰"}).json()["results"] == []


def test_a_failed_rebuild_leaves_the_index_in_use_alone(backend, publish):
    post = publish("宿舍热水不稳定")
    before = indexes(backend)

    def progress(count):
        raise RuntimeError("the disk is full")

    with pytest.raises(RuntimeError):
        backend.rebuild(progress=progress)
    assert indexes(backend) == before == aliased(backend)
    assert found("热水") == [post]


def test_a_second_rebuild_at_once_gives_way_to_the_first(backend, publish):
    post = publish("宿舍热水不稳定")
    second = {}

    def progress(count):
        with pytest.raises(SearchUnavailable, match="Another rebuild") as refused:
            backend.rebuild()
        second["error"] = str(refused.value)
        second["indexes"] = indexes(backend)

    assert backend.rebuild(progress=progress) == 1
    assert len(second["indexes"]) == 2  # the one in use and the first rebuild's: the second's is gone
    assert indexes(backend) == aliased(backend)
    assert found("热水") == [post]


# -- when Elasticsearch cannot answer --------------------------------------------------------------


def test_when_the_cluster_is_down_posting_works_and_search_answers_from_the_embedded_index(
    unreachable, client, publish
):
    before = publish("宿舍热水不稳定")
    PageChange.objects.update(indexed=True)  # as if written before the cluster went down
    waiting = publish("三号楼宿舍热水不稳定")  # does not raise: its change waits for the cluster
    assert IndexedPage.objects.filter(page_id=waiting).exists()
    response = client.get("/search/", {"q": "热水"})
    assert response.status_code == 200
    assert [page.pk for _, page in response.context["results"]] == [before]
    assert response.context["degraded"]
    assert 'class="note" role="status"' in response.content.decode()
    answer = client.get("/api/v1/similar", {"q": "宿舍热水"}).json()
    assert [result["id"] for result in answer["results"]] == [before]


def test_when_the_cluster_is_down_writes_reach_the_embedded_index_and_say_they_did_not_land(unreachable, publish):
    post = publish("宿舍热水不稳定")  # its write did not land: the change waits for the tick
    assert PageChange.objects.get(page_id=post).indexed is False
    page = WallPostPage.objects.get(pk=post)
    with pytest.raises(SearchUnavailable, match="unreachable"):
        unreachable.remove(page.pk)
    assert not IndexedPage.objects.exists()
    with pytest.raises(SearchUnavailable, match="unreachable"):
        unreachable.index(page)
    assert IndexedPage.objects.filter(page_id=page.pk).exists()
    assert unreachable.search("热水").degraded
    assert unreachable.similar("宿舍热水") == []  # until the cluster has it too
    assert PageChange.objects.get(page_id=post).indexed is False


def test_a_redaction_made_while_writes_paused_reaches_the_cluster_on_the_next_tick(
    backend, publish, people, django_capture_on_commit_callbacks
):
    post = post_of(publish("张三丰宿舍热水器坏了"))
    backend._failed(ConnectionTimeout("a search timed out"), "search")  # writes pause too
    with django_capture_on_commit_callbacks(execute=True):
        post.edit_public_text(people[0], "宿舍热水器坏了", "", show_photos=False)
    assert [document["title"] for document in stored(backend)] == ["张三丰宿舍热水器坏了"]
    backend._unreachable_until = 0  # the cluster answers again
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        assert tick()["search index writes caught up"] == 1
    assert [document["title"] for document in stored(backend)] == ["宿舍热水器坏了"]
    assert PageChange.objects.get(page_id=post.page_id).indexed


def test_a_write_the_embedded_index_missed_stays_unwritten(backend, publish, monkeypatch):
    def locked(pages):
        raise OperationalError("database is locked")

    monkeypatch.setattr(backend.fallback, "index_many", locked)
    post = publish("宿舍热水不稳定")
    assert [document["title"] for document in stored(backend)] == ["宿舍热水不稳定"]  # the cluster has it
    assert PageChange.objects.get(page_id=post).indexed is False  # the tick writes the embedded index


def test_the_tick_leaves_the_changes_waiting_while_the_cluster_is_down(unreachable, publish):
    publish("宿舍热水不稳定")
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        done = tick()
    assert done["search index unreachable, changes waiting"] == 1 and "search index writes still failing" not in done


def test_the_command_says_when_the_cluster_is_down(unreachable, publish):
    publish("宿舍热水不稳定")
    with pytest.raises(CommandError, match="cannot be reached"):
        call_command("rebuild_search_index", verbosity=0)


def test_without_an_index_search_answers_from_the_embedded_one_and_writes_create_none(
    settings, elasticsearch_server, publish
):
    backend = use_elasticsearch(settings, elasticsearch_server)  # never rebuilt: no alias
    try:
        post = publish("宿舍热水不稳定")
        results = backend.search("热水")
        assert results.degraded and results.hits == []  # its change waits for an index to write to
        assert not backend.client.indices.exists(index=backend.alias)  # not created by the write
        assert indexes(backend) == []
        call_command("rebuild_search_index", stdout=io.StringIO())
        assert found("热水") == [post]
    finally:
        _load.cache_clear()
        backend.client.indices.delete(index=f"{backend.alias}-*")


# -- configuration ---------------------------------------------------------------------------------


def settings_in_a_new_process(tmp_path, **environ):
    code = "import config.settings.dev as s; print(s.ECHOWALL_SEARCH_BACKEND, s.ELASTICSEARCH_INDEX)"
    environ = {key: value for key, value in os.environ.items() if not key.startswith("ELASTICSEARCH_")} | {
        "ECHOWALL_VAR_DIR": str(tmp_path),
        **environ,
    }
    return subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", code], env=environ, capture_output=True, text=True, cwd=Path(__file__).parents[2]
    )


def test_elasticsearch_url_selects_the_elasticsearch_backend(tmp_path):
    assert settings_in_a_new_process(tmp_path).stdout.split() == [
        "search.backends.embedded.EmbeddedBackend",
        "echowall-posts",
    ]
    chosen = settings_in_a_new_process(tmp_path, ELASTICSEARCH_URL="http://127.0.0.1:9200", ELASTICSEARCH_INDEX="wall")
    assert chosen.stdout.split() == [ELASTIC, "wall"]
    refused = settings_in_a_new_process(tmp_path, ELASTICSEARCH_URL="http://127.0.0.1:9200", ELASTICSEARCH_TIMEOUT="x")
    assert refused.returncode != 0 and "ELASTICSEARCH_TIMEOUT" in refused.stderr


def test_without_a_server_the_tests_are_skipped_but_not_on_ci(monkeypatch):
    monkeypatch.delenv("ECHOWALL_TEST_ELASTICSEARCH_URL", raising=False)
    monkeypatch.setattr(elastic, "_osmem_binary", lambda: None)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="osmem-server is not installed"):
        next(elastic.server_url())
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="cannot run on CI"):
        next(elastic.server_url())

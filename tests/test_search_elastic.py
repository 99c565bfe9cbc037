"""The Elasticsearch backend, against a real server (tests/elastic.py): Chinese found inside
unsegmented text, ranked, filtered, faceted, highlighted without letting any HTML through, paged;
similar questions; only public projections indexed, and gone on commit once they stop being public;
rebuilt into a new index while the old one answers; and with the cluster unreachable, posting still
works and the search page answers from the embedded index, saying so."""

import json
import os
import re
import socket
import subprocess
import sys
import uuid
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse

from search.backends import _load, get_backend
from search.backends.base import SearchUnavailable
from search.backends.elastic import EXCERPT_CHARS, ElasticsearchBackend
from search.models import IndexedPage
from tests import elastic
from tests.factories import (
    make_accepted_post,
    make_category,
    make_editor,
    make_handler,
    make_kind,
    make_unit,
    make_user,
)
from tests.test_search_index_privacy import MARKERS, planted  # noqa: F401 - the same planted case
from wall.models import Post, WallPostPage
from wall.publishing import publish_many

ELASTIC = "search.backends.elastic.ElasticsearchBackend"
SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture(scope="session")
def elasticsearch_url(elasticsearch_server):
    return elasticsearch_server  # one server for the session (tests/search_backends.py)


def use_elasticsearch(settings, url, timeout=5.0):
    settings.ELASTICSEARCH_URL = url
    settings.ELASTICSEARCH_INDEX = f"test-{uuid.uuid4().hex[:12]}"
    settings.ELASTICSEARCH_TIMEOUT = timeout
    settings.ECHOWALL_SEARCH_BACKEND = ELASTIC
    _load.cache_clear()
    return get_backend()


@pytest.fixture
def backend(settings, elasticsearch_url):
    """The configured backend, in an alias and indexes of this test's own, created empty."""
    backend = use_elasticsearch(settings, elasticsearch_url)
    assert isinstance(backend, ElasticsearchBackend)
    backend.rebuild(pages=[])
    yield backend
    _load.cache_clear()
    leftovers = indexes(backend)
    if leftovers:
        backend.client.indices.delete(index=",".join(leftovers))


@pytest.fixture
def unreachable(settings):
    """The backend, pointed at a port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    yield use_elasticsearch(settings, f"http://127.0.0.1:{port}", timeout=0.5)
    _load.cache_clear()


@pytest.fixture
def people():
    unit = make_unit("后勤管理处")
    return make_editor(), make_handler(unit), unit


@pytest.fixture
def publish(people, django_capture_on_commit_callbacks):
    """publish(title, body, reply=None, **post fields) -> the post, on the wall and indexed on commit."""
    editor, handler, unit = people

    def publish(title, body="详情见标题。", reply=None, unit=unit, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            post = make_accepted_post(editor, unit, title=title, body=body, **kwargs)
            if reply:
                post.reply(make_handler(unit), reply, is_public=True)
            post.publish(editor)
        post.refresh_from_db()
        return post

    return publish


def indexes(backend):
    return sorted(backend.client.indices.get_alias(index=f"{backend.alias}-*"))


def aliased(backend):
    return sorted(backend.client.indices.get_alias(name=backend.alias))


def stored(backend):
    """Every document in the index the alias points to, as Elasticsearch returns it."""
    backend.client.indices.refresh(index=backend.alias)
    return [hit["_source"] for hit in backend.client.search(index=backend.alias, size=1000)["hits"]["hits"]]


def search(query, **kwargs):
    backend = get_backend()
    backend.client.indices.refresh(index=backend.alias)
    results = backend.search(query, **kwargs)
    assert not results.degraded, "Elasticsearch did not answer"
    return results


def found(query, **kwargs):
    return [hit.page_id for hit in search(query, **kwargs).hits]


def similar(text, **kwargs):
    backend = get_backend()
    backend.client.indices.refresh(index=backend.alias)
    return [hit.page_id for hit in backend.similar(text, **kwargs)]


def only_marks(html):
    """html with our <mark> tags taken out: no tag may be left."""
    return "<" not in re.sub(r"</?mark>", "", html)


# -- finding and ranking ---------------------------------------------------------------------------


def test_it_finds_chinese_words_inside_unsegmented_text(backend, publish):
    heater = publish("宿舍楼热水器坏了")
    library = publish("图书馆开放时间", body="周末几点开门？")
    assert found("热水") == [heater.page_id]
    assert found("宿舍") == [heater.page_id]
    assert found("热水器坏") == [heater.page_id]
    assert found("开门") == [library.page_id]
    assert found("食堂") == []


def test_it_matches_single_characters_only_when_that_is_the_whole_query(backend, publish):
    water = publish("热水不稳定")
    network = publish("校园网晚上很慢")
    assert found("水") == [water.page_id]
    assert found("热狗") == []  # 热 alone must not make a match
    assert set(found("水 网")) == {water.page_id, network.page_id}


def test_it_matches_full_width_and_capital_letters(backend, publish):
    post = publish("ＷｉＦｉ 连不上")
    assert found("wifi") == [post.page_id]
    assert found("WIFI") == [post.page_id]
    assert found("ｗｉｆｉ连不上") == [post.page_id]


def test_it_ranks_title_before_text_before_replies(backend, publish):
    in_reply = publish("另一个问题", reply="热水已经修好了")
    in_body = publish("一个问题", body="三号楼热水不稳定")
    in_title = publish("热水不稳定")
    assert found("热水") == [in_title.page_id, in_body.page_id, in_reply.page_id]


def test_it_ranks_more_of_the_query_first(backend, publish):
    part = publish("热水不稳定")
    whole = publish("宿舍热水不稳定")
    assert found("宿舍热水") == [whole.page_id, part.page_id]


# -- filters, facets, pages ------------------------------------------------------------------------


def test_it_filters_and_counts_facets_over_the_other_filters(backend, people, publish):
    repair = make_kind("报修", "repair")
    library = make_unit("图书馆")
    water = publish("热水不稳定")
    heater = publish("热水器坏了", kind=repair)
    publish("图书馆热水间", unit=library)
    results = search("热水", filters={"kind": repair.pk})
    assert [hit.page_id for hit in results.hits] == [heater.page_id]
    assert results.total == 1
    assert {f.label: f.count for f in results.facets["kind"]} == {"咨询": 2, "报修": 1}  # ignores the kind filter
    assert [f.value for f in results.facets["kind"]] == [water.kind_id, repair.pk]  # most frequent first
    assert {f.label: f.count for f in results.facets["unit"]} == {"后勤管理处": 1}
    assert [(f.value, f.label, f.count) for f in results.facets["status"]] == [
        (Post.Status.ACCEPTED, Post.Status.ACCEPTED.label, 1)
    ]
    assert [(f.label, f.count) for f in results.facets["category"]] == [("后勤保障", 1)]
    assert results.facets["year"][0].count == 1
    unit = people[2]
    assert found("热水", filters={"unit": unit.pk, "kind": water.kind_id}) == [water.page_id]
    assert found("热水", filters={"status": "replied"}) == []
    assert found("热水", filters={"category": make_category("教学管理").pk}) == []


def test_it_filters_by_year(backend, publish):
    old = publish("热水不稳定", created_at=datetime(2023, 5, 1, tzinfo=ZoneInfo("Asia/Shanghai")))
    new = publish("热水又不稳定")
    assert found("热水", filters={"year": 2023}) == [old.page_id]
    assert found("热水", filters={"year": "2023"}) == [old.page_id]
    assert {facet.value for facet in search("热水").facets["year"]} == {2023, new.page.posted_at.year}


def test_it_ignores_filter_values_that_are_not_ids_and_refuses_unknown_filters(backend, publish):
    post = publish("热水不稳定")
    assert found("热水", filters={"kind": "x'; drop", "unit": "", "year": None}) == [post.page_id]
    with pytest.raises(ValueError):
        get_backend().search("热水", filters={"poster": 1})


def test_it_pages_results(backend, publish):
    posts = [publish(f"热水问题{n}") for n in range(5)]
    first, second = search("热水", per_page=3), search("热水", page=2, per_page=3)
    assert first.total == second.total == 5
    assert len(first.hits) == 3 and len(second.hits) == 2
    assert {hit.page_id for hit in first.hits + second.hits} == {post.page_id for post in posts}
    assert search("热水", page=99).hits == []
    far = search("热水", page=10**6, per_page=100)  # past Elasticsearch's result window: no error
    assert far.hits == [] and far.total == 5
    assert len(search("热水", page="x", per_page=0).hits) == 1
    assert len(search("热水", per_page=10**6).hits) == 5


# -- highlighting ----------------------------------------------------------------------------------


def test_it_highlights_matches_and_escapes_everything_else(backend, publish):
    post = publish("<script>alert(1)</script>宿舍热水", body="三号楼 <b>热水</b> & 冷水 &amp; <mark>")
    hit = search("热水").hits[0]
    assert hit.title_html == "&lt;script&gt;alert(1)&lt;/script&gt;宿舍<mark>热水</mark>"
    assert hit.excerpt_html == "三号楼 &lt;b&gt;<mark>热水</mark>&lt;/b&gt; &amp; 冷水 &amp;amp; &lt;mark&gt;"
    assert hit.url == post.page.url
    assert only_marks(hit.title_html) and only_marks(hit.excerpt_html)


def test_the_search_page_shows_a_script_title_as_text(backend, client, publish):
    publish("<script>alert(1)</script> 热水", body="<img src=x onerror=alert(2)>热水")
    response = client.get("/search/", {"q": "热水"})
    html = response.content.decode()
    assert response.context["total"] == 1 and not response.context["degraded"]
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>热水</mark>" in html
    assert 'class="note"' not in html


def test_it_highlights_adjacent_matches_as_one_and_cuts_long_text_near_them(backend, publish):
    publish("问题", body="开头" * 100 + "宿舍热水不稳定" + "结尾" * 100)
    hit = search("宿舍热水").hits[0]
    assert "<mark>宿舍热水</mark>" in hit.excerpt_html
    assert hit.excerpt_html.startswith("…") and hit.excerpt_html.endswith("…")
    assert len(hit.excerpt_html) < EXCERPT_CHARS + 40


def test_it_shows_the_start_of_the_text_when_only_the_title_matched(backend, publish):
    publish("宿舍热水不稳定", body="三号楼每天晚上都这样。", reply="已报修")
    hit = search("热水").hits[0]
    assert hit.title_html == "宿舍<mark>热水</mark>不稳定"
    assert hit.excerpt_html == "三号楼每天晚上都这样。 已报修"


def test_it_highlights_single_characters_when_that_is_the_whole_query(backend, publish):
    publish("热水不稳定", body="水压也低")
    hit = search("水").hits[0]
    assert hit.title_html == "热<mark>水</mark>不稳定"
    assert hit.excerpt_html == "<mark>水</mark>压也低"


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        '"',
        '热水"',
        "热水 OR NOT AND",
        "title:热水",
        "热水*",
        '{"match_all": {}}',
        "(((",
        "🔥💧😀",
        "\x00\x1f",
        "热水" * 2500,
        "a" * 5000,
    ],
)
def test_it_never_raises_on_junk_queries(backend, publish, query):
    publish("三号楼宿舍热水不稳定")
    results = search(query)  # and Elasticsearch answered: search() checks it was not the fallback
    assert results.total >= len(results.hits)
    get_backend().similar(query)


# -- similar questions -----------------------------------------------------------------------------


def test_it_finds_similar_questions_and_leaves_out_the_given_page(backend, publish):
    asked = publish("宿舍热水几点供应", body="请问三号楼宿舍热水每天几点开始供应？")
    same = publish("热水什么时候开始供应", body="宿舍的热水几点有？")
    other = publish("图书馆几点开门", body="周末图书馆几点开门？")
    hits = similar("宿舍热水几点开始供应啊", exclude_page_id=asked.page_id)
    assert hits[0] == same.page_id
    assert asked.page_id not in hits
    assert similar("图书馆周末开门吗")[0] == other.page_id
    assert len(similar("几点", limit=1)) == 1
    assert similar("！？") == []


def test_similar_questions_ignore_what_only_the_answers_say(backend, publish):
    publish("一卡通丢了怎么办", reply="请到宿舍楼下的服务中心补办")
    assert similar("宿舍楼下的服务中心在哪") == []


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
        content = client.get(reverse("search_hot_topics") + "?kind=month&day=2026-03-10").content.decode()
    assert "公开墙上的热词" in content and "漏电" in content  # the posts' own count still sees every post
    assert "漏电" not in content[content.index("公开墙上的热词") :]


def test_without_the_cluster_hot_topics_count_from_the_posts_alone(unreachable, people, client):
    editor, _handler, unit = people
    with time_machine.travel(datetime(2026, 3, 2, 10, tzinfo=SH), tick=False):
        make_accepted_post(editor, unit, title="三号楼热水不热")
    assert unreachable.top_terms(date(2026, 3, 1), date(2026, 3, 31)) is None
    client.force_login(make_user(groups=["校领导"]))
    with time_machine.travel(datetime(2026, 4, 10, tzinfo=SH), tick=False):
        response = client.get(reverse("search_hot_topics") + "?kind=month&day=2026-03-10")
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


def test_it_follows_edits_unpublishing_and_republishing(backend, people, publish, django_capture_on_commit_callbacks):
    editor, _, _ = people
    post = publish("宿舍热水不稳定")
    with django_capture_on_commit_callbacks(execute=True):
        post.edit_public_text(editor, "宿舍空调不制冷", "", show_photos=True)
    assert found("热水") == []
    assert found("空调") == [post.page_id]
    with django_capture_on_commit_callbacks(execute=True):
        WallPostPage.objects.get(pk=post.page_id).unpublish()
    assert found("空调") == []
    with django_capture_on_commit_callbacks(execute=True):
        post.publish(editor)
    post.refresh_from_db()
    assert found("空调") == [post.page_id]


def test_it_never_indexes_an_unpublished_post_or_another_page(backend, people, django_capture_on_commit_callbacks):
    editor, _, unit = people
    with django_capture_on_commit_callbacks(execute=True):
        post = make_accepted_post(editor, unit, title="宿舍热水")
    assert stored(backend) == []
    with django_capture_on_commit_callbacks(execute=True):
        post.publish(editor)
    post.refresh_from_db()
    page = WallPostPage.objects.get(pk=post.page_id)
    backend.index(page.get_parent())  # a year page: removed (it never was there), not indexed
    page.live = False
    backend.index(page)
    assert stored(backend) == []


# -- rebuilding ------------------------------------------------------------------------------------


def test_it_indexes_a_bulk_publish_in_one_go(backend, people, django_capture_on_commit_callbacks):
    editor, _, unit = people
    posts = [make_accepted_post(editor, unit, title=f"{n}号楼电梯故障", wants_public=True) for n in range(3)]
    private = make_accepted_post(editor, unit, title="电梯私事", wants_public=False)

    with django_capture_on_commit_callbacks(execute=True):
        published = publish_many([*posts, private])

    assert published == posts
    assert sorted(found("电梯")) == sorted(post.page_id for post in posts)
    in_fallback = {hit.page_id for hit in backend.fallback.search("电梯").hits}  # kept for outages
    assert in_fallback == {post.page_id for post in posts}


def test_it_rebuilds_into_a_new_index_while_the_old_one_answers(backend, publish, django_capture_on_commit_callbacks):
    kept = publish("宿舍热水不稳定")
    withdrawn = publish("宿舍热水要停了")
    withdrawn_page_id = withdrawn.page_id  # unpublishing forgets it
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
    assert during["found"] == {kept.page_id, withdrawn_page_id}
    new = aliased(backend)
    assert new != old and indexes(backend) == new  # the old index is deleted
    assert not backend.client.indices.exists(index=old[0])
    assert set(found("热水")) == {kept.page_id, during["late"].page_id}


def test_a_failed_rebuild_leaves_the_index_in_use_alone(backend, publish):
    post = publish("宿舍热水不稳定")
    before = indexes(backend)

    def progress(count):
        raise RuntimeError("the disk is full")

    with pytest.raises(RuntimeError):
        backend.rebuild(progress=progress)
    assert indexes(backend) == before == aliased(backend)
    assert found("热水") == [post.page_id]


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
    assert found("热水") == [post.page_id]


def test_the_command_rebuilds_both_indexes(backend, publish):
    post = publish("宿舍热水不稳定")
    backend.remove(post.page_id)
    assert found("热水") == [] and not IndexedPage.objects.exists()
    call_command("rebuild_search_index", verbosity=0)
    assert found("热水") == [post.page_id]
    assert IndexedPage.objects.filter(page_id=post.page_id).exists()


# -- when Elasticsearch cannot answer --------------------------------------------------------------


def test_when_the_cluster_is_down_posting_works_and_search_answers_from_the_embedded_index(
    unreachable, client, publish
):
    post = publish("宿舍热水不稳定")  # does not raise
    assert IndexedPage.objects.filter(page_id=post.page_id).exists()
    response = client.get("/search/", {"q": "热水"})
    assert response.status_code == 200
    assert [page.pk for _, page in response.context["results"]] == [post.page_id]
    assert response.context["degraded"]
    assert 'class="note" role="status"' in response.content.decode()
    answer = client.get("/api/v1/similar", {"q": "宿舍热水"}).json()
    assert [result["id"] for result in answer["results"]] == [post.page_id]


def test_when_the_cluster_is_down_writes_are_logged_not_raised(unreachable, publish, caplog):
    post = publish("宿舍热水不稳定")
    page = WallPostPage.objects.get(pk=post.page_id)
    unreachable.remove(page.pk)
    assert not IndexedPage.objects.exists()
    unreachable.index(page)
    assert IndexedPage.objects.filter(page_id=page.pk).exists()
    assert "Elasticsearch is unreachable" in caplog.text
    assert unreachable.search("热水").degraded
    assert [hit.page_id for hit in unreachable.similar("宿舍热水")] == [post.page_id]


def test_the_command_says_when_the_cluster_is_down(unreachable, publish):
    publish("宿舍热水不稳定")
    with pytest.raises(CommandError, match="cannot be reached"):
        call_command("rebuild_search_index", verbosity=0)


def test_without_an_index_search_answers_from_the_embedded_one_and_writes_create_none(
    settings, elasticsearch_url, publish
):
    backend = use_elasticsearch(settings, elasticsearch_url)  # never rebuilt: no alias
    try:
        post = publish("宿舍热水不稳定")
        results = backend.search("热水")
        assert results.degraded and [hit.page_id for hit in results.hits] == [post.page_id]
        assert not backend.client.indices.exists(index=backend.alias)  # not created by the write
        assert indexes(backend) == []
    finally:
        _load.cache_clear()


# -- configuration ---------------------------------------------------------------------------------


def settings_in_a_new_process(tmp_path, **environ):
    code = "import config.settings.dev as s; print(s.ECHOWALL_SEARCH_BACKEND, s.ELASTICSEARCH_INDEX)"
    environ = {key: value for key, value in os.environ.items() if not key.startswith("ELASTICSEARCH_")} | {
        "ECHOWALL_VAR_DIR": str(tmp_path),
        **environ,
    }
    return subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", code], env=environ, capture_output=True, text=True, cwd=Path(__file__).parent.parent
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

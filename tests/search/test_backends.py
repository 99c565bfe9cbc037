"""What every search backend promises, each test run on each (tests/search_backends.py: the embedded
index on the suite's database, and Elasticsearch): Chinese found inside unsegmented text, ranked,
filtered, faceted, paged, highlighted without letting any HTML through; never an error, whatever is
typed or stored; similar questions; and the index kept in step with the wall on commit, and rebuilt
from it. Where a backend ranks otherwise, the test says which and why.

Ranking and the thesaurus are tested on every backend too (tests/search/test_ranking.py,
tests/search/test_thesaurus.py); what one backend does its own way, in tests/search/test_engine.py
and tests/search/test_postgres.py (the embedded index) and tests/search/test_elastic.py."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from cases.models import Post
from search import segment
from search.backends import elastic, get_backend
from search.backends.embedded import EmbeddedBackend
from search.models import IndexedPage
from tests.factories import make_accepted_post, make_category, make_kind, make_unit
from tests.search_backends import found, post_of, search, similar
from wall.models import WallPostPage
from wall.publishing import publish_many


def indexed():
    """The page ids the configured backend holds, read from its storage rather than searched."""
    backend = get_backend()
    if isinstance(backend, elastic.ElasticsearchBackend):
        backend.client.indices.refresh(index=backend.alias)
        hits = backend.client.search(index=backend.alias, size=1000)["hits"]["hits"]
        return sorted(hit["_source"]["page_id"] for hit in hits)
    return sorted(IndexedPage.objects.values_list("page_id", flat=True))


def only_marks(html):
    """html with our <mark> tags taken out: no tag may be left."""
    return "<" not in re.sub(r"</?mark>", "", html)


# -- finding and ranking ---------------------------------------------------------------------------


def test_it_finds_words_inside_unsegmented_text(publish):
    heater = publish("宿舍楼热水器坏了", body="三号楼宿舍热水不稳定")
    library = publish("图书馆开放时间", body="周末几点开门？")
    for query in ("热水", "宿舍", "宿舍热水", "热水宿舍", "热水 稳定", "热水器坏"):
        assert found(query) == [heater], query
    assert found("开门") == [library]  # in the text only
    assert found("食堂") == []


def test_it_matches_single_characters_only_when_that_is_the_whole_query(publish):
    water = publish("热水不稳定")
    network = publish("校园网晚上很慢")
    publish("一卡通丢了怎么补办")
    assert found("水") == [water]
    assert found("热狗") == []  # 热 alone must not make a match
    assert search("热狗").facets["kind"] == []  # nor count in a facet
    assert set(found("水 网")) == {water, network}


def test_it_matches_full_width_and_capital_letters(publish):
    post = publish("ＷｉＦｉ 连不上")
    assert found("wifi") == [post]
    assert found("WIFI") == [post]
    assert found("ｗｉｆｉ连不上") == [post]


def test_it_finds_words_in_the_title_the_text_and_public_replies_and_ranks_them_so(publish):
    in_reply = publish("另一个问题", reply="热水已经修好了，洗衣机也换了")
    in_body = publish("一个问题", body="三号楼热水不稳定，洗衣机坏了好几天")
    in_title = publish("热水不稳定")
    assert found("热水") == [in_title, in_body, in_reply]
    assert found("洗衣机") == [in_body, in_reply]  # a word of three characters likewise


def test_it_ranks_more_of_the_query_first(publish):
    part = publish("热水不稳定")
    whole = publish("宿舍热水不稳定")
    assert found("宿舍热水") == [whole, part]


def test_it_ranks_the_better_match_first(publish):
    scattered = publish("热的饭菜", body="开水房的水不够")
    in_body = publish("宿舍问题", body="宿舍热水经常不稳定")
    in_title = publish("宿舍热水不稳定")
    assert found("宿舍热水") == [in_title, in_body]  # 热…水 apart is not 热水; the title saying it all first
    assert found("热水房的水") == [scattered, in_title, in_body]


def test_it_knows_campus_terms(publish):
    card = publish("一卡通丢了怎么补办")
    cartoon = publish("动画社团招新", body="喜欢卡通的同学欢迎加入")
    assert found("一卡通") == [card, cartoon]  # 卡通 is a word of its own too


# -- filters, facets, pages ------------------------------------------------------------------------


def test_it_filters_and_counts_facets_over_the_other_filters(people, publish):
    repair = make_kind("报修", "repair")
    library = make_unit("图书馆")
    water = post_of(publish("热水不稳定"))
    heater = publish("热水器坏了", kind=repair)
    publish("图书馆热水间", unit=library)
    results = search("热水", filters={"kind": repair.pk})
    assert [hit.page_id for hit in results.hits] == [heater]
    assert results.total == 1
    assert {f.label: f.count for f in results.facets["kind"]} == {"咨询": 2, "报修": 1}  # ignores the kind filter
    assert [f.value for f in results.facets["kind"]] == [water.kind_id, repair.pk]  # most frequent first
    assert {f.label: f.count for f in results.facets["unit"]} == {"后勤管理处": 1}
    assert [(f.value, f.label, f.count) for f in results.facets["status"]] == [
        (Post.Status.ACCEPTED, Post.Status.ACCEPTED.label, 1)
    ]
    assert [(f.label, f.count) for f in results.facets["category"]] == [("后勤保障", 1)]
    assert results.facets["year"][0].count == 1
    _, _, unit = people
    assert found("热水", filters={"unit": unit.pk, "kind": water.kind_id}) == [water.page_id]
    assert found("热水", filters={"status": "replied"}) == []
    assert found("热水", filters={"category": make_category("教学管理").pk}) == []


def test_it_filters_by_year(publish):
    old = publish("热水不稳定", created_at=datetime(2023, 5, 1, tzinfo=ZoneInfo("Asia/Shanghai")))
    new = post_of(publish("热水又不稳定"))
    assert found("热水", filters={"year": 2023}) == [old]
    assert found("热水", filters={"year": "2023"}) == [old]
    assert {facet.value for facet in search("热水").facets["year"]} == {2023, new.page.posted_at.year}


def test_it_ignores_filter_values_that_are_not_ids_and_refuses_unknown_filters(publish):
    post = publish("热水不稳定")
    assert found("热水", filters={"kind": "x'; drop", "unit": "", "year": None}) == [post]
    with pytest.raises(ValueError):
        get_backend().search("热水", filters={"poster": 1})


def test_it_pages_results(publish):
    posts = [publish(f"热水问题{n}") for n in range(5)]
    first, second = search("热水", per_page=3), search("热水", page=2, per_page=3)
    assert first.total == second.total == 5
    assert len(first.hits) == 3 and len(second.hits) == 2
    assert {hit.page_id for hit in first.hits + second.hits} == set(posts)
    assert search("热水", page=99).hits == []
    far = search("热水", page=10**6, per_page=100)  # past Elasticsearch's result window: no error
    assert far.hits == [] and far.total == 5
    assert len(search("热水", page="x", per_page=0).hits) == 1
    assert len(search("热水", per_page=10**6).hits) == 5


# -- highlighting ----------------------------------------------------------------------------------


def test_it_highlights_matches_and_escapes_everything_else(publish):
    post = post_of(publish("<script>alert(1)</script>宿舍热水", body="三号楼 <b>热水</b> & 冷水 &amp; <mark>"))
    hit = search("热水").hits[0]
    assert hit.title_html == "&lt;script&gt;alert(1)&lt;/script&gt;宿舍<mark>热水</mark>"
    assert hit.excerpt_html == "三号楼 &lt;b&gt;<mark>热水</mark>&lt;/b&gt; &amp; 冷水 &amp;amp; &lt;mark&gt;"
    assert hit.url == post.page.url
    assert only_marks(hit.title_html) and only_marks(hit.excerpt_html)


def test_the_search_page_shows_a_script_title_as_text(client, publish):
    publish("<script>alert(1)</script> 热水", body="<img src=x onerror=alert(2)>热水")
    response = client.get("/search/", {"q": "热水"})
    html = response.content.decode()
    assert response.context["total"] == 1 and not response.context["degraded"]
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>热水</mark>" in html
    assert 'class="note"' not in html


def test_it_highlights_adjacent_matches_as_one_and_cuts_long_text_near_them(publish):
    publish("问题", body="开头" * 100 + "宿舍热水不稳定" + "结尾" * 100)
    hit = search("宿舍热水").hits[0]
    assert "<mark>宿舍热水</mark>" in hit.excerpt_html
    assert hit.excerpt_html.startswith("…") and hit.excerpt_html.endswith("…")
    assert len(hit.excerpt_html) < segment.EXCERPT_CHARS + 40


def test_it_shows_the_start_of_the_text_when_only_the_title_matched(publish):
    publish("宿舍热水不稳定", body="三号楼每天晚上都这样。", reply="已报修")
    hit = search("热水").hits[0]
    assert hit.title_html == "宿舍<mark>热水</mark>不稳定"
    assert hit.excerpt_html == "三号楼每天晚上都这样。 已报修"


def test_it_highlights_single_characters_when_that_is_the_whole_query(publish):
    publish("热水不稳定", body="水压也低")
    hit = search("水").hits[0]
    assert hit.title_html == "热<mark>水</mark>不稳定"
    assert hit.excerpt_html == "<mark>水</mark>压也低"


# -- whatever is typed -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        '"',
        '热水"',
        "热水 OR NOT AND",
        "NEAR(热水 宿舍)",  # FTS5's syntax
        "title_words:热水",
        "{title_chars}: 热",
        "热水*",
        "^热水",
        "title:热水",  # Elasticsearch's query string syntax
        '{"match_all": {}}',
        "(((",
        "🔥💧😀",
        "'; DROP TABLE search_fulltext; --",
        "\x00\x1f",
        "热水" * 2500,
        "a" * 5000,
    ],
)
def test_it_never_raises_on_junk_queries(publish, query):
    publish("三号楼宿舍热水不稳定")
    results = search(query)  # and the backend answered: search() checks it was not a fallback
    assert results.total >= len(results.hits)
    similar(query)


@pytest.mark.parametrize(
    "text",
    ["it's \\ a 'test' \"quoted\"", "a:* & !b | (c <-> d)", "'; DROP TABLE search_fulltext_term; --", "ÀÉÎ ß ﬁ ½ ™"],
)
def test_it_stores_and_finds_text_with_any_characters(publish, text):
    post = publish(f"{text} 热水", body=text)
    assert found(f"{text} 热水") == [post]
    assert similar(text + " 热水") == [post]


# -- similar questions -----------------------------------------------------------------------------


def test_it_finds_similar_questions_and_leaves_out_the_given_page(publish):
    asked = publish("宿舍热水几点供应", body="请问三号楼宿舍热水每天几点开始供应？")
    same = publish("热水什么时候开始供应", body="宿舍的热水几点有？")
    other = publish("图书馆几点开门", body="周末图书馆几点开门？")
    hits = similar("宿舍热水几点开始供应啊", exclude_page_id=asked)
    assert hits[0] == same
    assert asked not in hits
    assert similar("图书馆周末开门吗")[0] == other
    assert len(similar("几点", limit=1)) == 1
    assert similar("！？") == []


def test_similar_questions_ignore_what_only_the_answers_say(publish):
    publish("一卡通丢了怎么办", reply="请到宿舍楼下的服务中心补办")
    assert similar("宿舍楼下的服务中心在哪") == []


# -- in step with the wall -------------------------------------------------------------------------


def test_it_follows_edits_withdrawals_and_republishing_on_commit(people, publish, django_capture_on_commit_callbacks):
    editor, _, _ = people
    post = post_of(publish("宿舍热水不稳定"))
    assert found("热水") == [post.page_id]

    with django_capture_on_commit_callbacks(execute=True):
        post.edit_public_text(editor, "宿舍空调不制冷", "", show_photos=True)
    assert found("热水") == []
    assert found("空调") == [post.page_id]

    with django_capture_on_commit_callbacks(execute=True):
        post.unpublish(editor)
    assert found("空调") == []
    assert indexed() == [] and not IndexedPage.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        post.publish(editor)
    post.refresh_from_db()
    assert found("空调") == [post.page_id]

    # Unpublished in Wagtail's admin, the page leaves the index; the editor can put it back.
    with django_capture_on_commit_callbacks(execute=True):
        WallPostPage.objects.get(pk=post.page_id).unpublish()
    assert found("空调") == []
    with django_capture_on_commit_callbacks(execute=True):
        post.publish(editor)
    post.refresh_from_db()
    assert found("空调") == [post.page_id]


def test_it_waits_for_the_commit(people, each_backend, django_capture_on_commit_callbacks):
    editor, _, unit = people
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        post = make_accepted_post(editor, unit, title="宿舍热水不稳定")
        post.publish(editor)
    assert found("热水") == []
    for callback in callbacks:
        callback()
    assert len(found("热水")) == 1


def test_it_indexes_only_live_wall_pages(people, each_backend, django_capture_on_commit_callbacks):
    editor, _, unit = people
    with django_capture_on_commit_callbacks(execute=True):
        post = make_accepted_post(editor, unit, title="宿舍热水不稳定")
    assert indexed() == []  # accepted, not published
    with django_capture_on_commit_callbacks(execute=True):
        post.publish(editor)
    post.refresh_from_db()
    page = WallPostPage.objects.get(pk=post.page_id)
    each_backend.index(page.get_parent())  # a year page: ignored
    assert indexed() == [post.page_id]
    page.live = False
    each_backend.index(page)
    assert found("热水") == []
    assert indexed() == [] and not IndexedPage.objects.exists()


def test_it_indexes_a_bulk_publish(people, each_backend, django_capture_on_commit_callbacks):
    editor, _, unit = people
    posts = [make_accepted_post(editor, unit, title=f"{n}号楼电梯故障", wants_public=True) for n in range(3)]
    private = make_accepted_post(editor, unit, title="电梯私事", wants_public=False)

    with django_capture_on_commit_callbacks(execute=True):
        published = publish_many([*posts, private])

    assert published == posts
    assert sorted(found("电梯")) == sorted(post.page_id for post in posts)
    # The embedded index has them too: Elasticsearch's backend keeps it for when the cluster is down.
    assert {hit.page_id for hit in EmbeddedBackend().search("电梯").hits} == {post.page_id for post in posts}


def test_it_rebuilds_every_index_from_live_pages(each_backend, publish):
    post = publish("宿舍热水不稳定")
    each_backend.remove(post)
    assert found("热水") == [] and not IndexedPage.objects.exists()
    call_command("rebuild_search_index", verbosity=0)
    assert found("热水") == [post]
    assert indexed() == [post] and IndexedPage.objects.filter(page_id=post).exists()
    each_backend.rebuild(pages=WallPostPage.objects.none())
    assert found("热水") == []
    assert indexed() == [] and not IndexedPage.objects.exists()

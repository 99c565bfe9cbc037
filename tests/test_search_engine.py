"""The embedded search engine: Chinese found inside unsegmented text, ranked, filtered, highlighted,
robust to any input, and kept in step with the wall as pages are published, withdrawn and deleted."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection

from search import segment
from search.backends import get_backend
from search.models import IndexedPage
from tests.factories import make_accepted_post, make_category, make_editor, make_handler, make_kind, make_unit
from wall.models import Post, WallPostPage


@pytest.fixture
def people():
    unit = make_unit("后勤管理处")
    return make_editor(), make_handler(unit), unit


@pytest.fixture
def publish(people, django_capture_on_commit_callbacks):
    """publish(title, body, reply=None, **post fields) -> the post, on the wall and indexed."""
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


def search(query, **kwargs):
    return get_backend().search(query, **kwargs)


def found(query, **kwargs):
    return [hit.page_id for hit in search(query, **kwargs).hits]


def test_it_finds_words_inside_unsegmented_text(publish):
    post = publish("三号楼宿舍热水不稳定")
    publish("图书馆开放时间")
    assert found("热水") == [post.page_id]
    assert found("宿舍热水") == [post.page_id]
    assert found("热水宿舍") == [post.page_id]
    assert found("热水 稳定") == [post.page_id]


def test_it_finds_words_in_the_text_and_in_public_replies(publish):
    in_body = publish("一个问题", body="洗衣机坏了好几天")
    in_reply = publish("另一个问题", reply="已安排师傅更换洗衣机")
    assert set(found("洗衣机")) == {in_body.page_id, in_reply.page_id}
    assert found("洗衣机")[0] == in_body.page_id  # the question outranks the answer


def test_it_does_not_match_on_a_single_shared_character(publish):
    publish("校园网晚上很慢")
    publish("一卡通丢了怎么补办")
    assert found("热水") == []
    assert search("热水").facets["kind"] == []


def test_it_finds_single_characters_when_that_is_the_whole_query(publish):
    post = publish("热水不稳定")
    assert found("水") == [post.page_id]


def test_it_matches_full_width_and_capital_letters(publish):
    post = publish("ＷｉＦｉ 连不上")
    assert found("wifi") == [post.page_id]
    assert found("WIFI") == [post.page_id]


def test_it_ranks_the_better_match_first(publish):
    scattered = publish("热的饭菜", body="开水房的水不够")
    in_body = publish("宿舍问题", body="宿舍热水经常不稳定")
    in_title = publish("宿舍热水不稳定")
    assert found("宿舍热水") == [in_title.page_id, in_body.page_id]  # 热…水 apart is not 热水
    assert found("热水房的水") == [scattered.page_id, in_title.page_id, in_body.page_id]


def test_it_knows_campus_terms(publish):
    card = publish("一卡通丢了怎么补办")
    cartoon = publish("动画社团招新", body="喜欢卡通的同学欢迎加入")
    assert found("一卡通") == [card.page_id, cartoon.page_id]  # 卡通 is a word of its own too


def test_it_filters_and_counts_facets_over_the_other_filters(people, publish):
    repair = make_kind("报修", "repair")
    library = make_unit("图书馆")
    water = publish("热水不稳定")
    heater = publish("热水器坏了", kind=repair)
    publish("图书馆热水间", unit=library)
    results = search("热水", filters={"kind": repair.pk})
    assert [hit.page_id for hit in results.hits] == [heater.page_id]
    assert results.total == 1
    kinds = {facet.label: facet.count for facet in results.facets["kind"]}
    assert kinds == {"咨询": 2, "报修": 1}  # the kind facet ignores the kind filter
    assert {facet.label: facet.count for facet in results.facets["unit"]} == {"后勤管理处": 1}
    assert [(f.value, f.count) for f in results.facets["status"]] == [(Post.Status.ACCEPTED, 1)]
    assert results.facets["year"][0].count == 1
    unit, _ = people[2], None
    assert found("热水", filters={"unit": unit.pk, "kind": water.kind_id}) == [water.page_id]
    assert found("热水", filters={"status": "replied"}) == []
    assert found("热水", filters={"category": make_category("教学管理").pk}) == []


def test_it_filters_by_year(publish):
    old = publish("热水不稳定", created_at=datetime(2023, 5, 1, tzinfo=ZoneInfo("Asia/Shanghai")))
    new = publish("热水又不稳定")
    assert found("热水", filters={"year": 2023}) == [old.page_id]
    assert found("热水", filters={"year": "2023"}) == [old.page_id]
    assert {facet.value for facet in search("热水").facets["year"]} == {2023, new.page.posted_at.year}


def test_it_ignores_filter_values_that_are_not_ids(publish):
    post = publish("热水不稳定")
    assert found("热水", filters={"kind": "x'; drop", "unit": "", "year": None}) == [post.page_id]
    with pytest.raises(ValueError):
        search("热水", filters={"poster": 1})


def test_it_pages_results(publish):
    posts = [publish(f"热水问题{n}") for n in range(5)]
    first, second = search("热水", per_page=3), search("热水", page=2, per_page=3)
    assert first.total == second.total == 5
    assert len(first.hits) == 3 and len(second.hits) == 2
    assert {hit.page_id for hit in first.hits + second.hits} == {post.page_id for post in posts}
    assert search("热水", page=99).hits == []
    assert len(search("热水", page="x", per_page=0).hits) == 1


def test_past_the_candidates_it_pages_the_best_and_counts_every_match(publish, monkeypatch, client):
    monkeypatch.setattr("search.backends.embedded.SEARCH_CANDIDATES", 2)
    best = publish("宿舍热水", body="宿舍热水不热")
    for title in ("热水忽冷忽热", "热水时有时无", "开水房热水"):
        publish(title)
    results = search("宿舍热水")
    assert (results.total, results.capped, results.ranked) == (4, True, 2)
    assert results.hits[0].page_id == best.page_id
    assert "共 4 条" in client.get("/search/", {"q": "宿舍热水"}).content.decode()


def test_a_post_found_only_by_its_public_reply_is_found(publish, monkeypatch):
    monkeypatch.setattr("search.backends.embedded.SEARCH_CANDIDATES", 1)
    answered = publish("宿舍楼的问题", reply="热水已修好")
    assert found("热水") == [answered.page_id]


def test_it_highlights_matches_and_escapes_everything_else(publish):
    post = publish("<script>alert(1)</script>宿舍热水", body="三号楼 <b>热水</b> & 冷水")
    hit = search("热水").hits[0]
    assert hit.title_html == "&lt;script&gt;alert(1)&lt;/script&gt;宿舍<mark>热水</mark>"
    assert hit.excerpt_html == "三号楼 &lt;b&gt;<mark>热水</mark>&lt;/b&gt; &amp; 冷水"
    assert hit.url == post.page.url


def test_it_highlights_adjacent_matches_as_one_and_cuts_long_text_near_them(publish):
    publish("问题", body="开头" * 100 + "宿舍热水不稳定" + "结尾" * 100)
    hit = search("宿舍热水").hits[0]
    assert "<mark>宿舍热水</mark>" in hit.excerpt_html
    assert hit.excerpt_html.startswith("…") and hit.excerpt_html.endswith("…")
    assert len(hit.excerpt_html) < segment.EXCERPT_CHARS + 40


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        '"',
        '热水"',
        "热水 OR NOT AND",
        "NEAR(热水 宿舍)",
        "title_words:热水",
        "{title_chars}: 热",
        "热水*",
        "^热水",
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
    results = search(query)
    assert results.total == len(results.hits) or results.total > len(results.hits)
    get_backend().similar(query)


def test_it_finds_similar_questions_and_leaves_out_the_given_page(publish):
    asked = publish("宿舍热水几点供应", body="请问三号楼宿舍热水每天几点开始供应？")
    same = publish("热水什么时候开始供应", body="宿舍的热水几点有？")
    publish("图书馆几点开门", body="周末图书馆几点开门？")
    hits = get_backend().similar("宿舍热水几点开始供应啊", exclude_page_id=asked.page_id)
    assert [hit.page_id for hit in hits][0] == same.page_id
    assert asked.page_id not in [hit.page_id for hit in hits]
    assert len(get_backend().similar("几点", limit=1)) == 1
    assert get_backend().similar("！？") == []


@pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5's vocabulary table is SQLite's")
def test_its_token_counts_agree_with_fts5_through_edits_and_withdrawals(
    people, publish, django_capture_on_commit_callbacks
):
    """Similar questions weigh a token by how many questions hold it, a count the backend keeps."""
    editor, _, _ = people
    first = publish("宿舍热水不稳定", body="三号楼宿舍热水时有时无")
    publish("宿舍空调不制冷", body="宿舍空调坏了")
    with django_capture_on_commit_callbacks(execute=True):
        first.edit_public_text(editor, "食堂饭菜太咸", "", show_photos=True)
    publish("图书馆几点开门")
    with django_capture_on_commit_callbacks(execute=True):
        first.unpublish(editor)

    def counts(sql):
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return dict(cursor.fetchall())

    kept = counts("SELECT token, documents FROM search_fulltext_term")
    assert kept == counts("SELECT term, doc FROM search_fulltext_vocab")
    assert kept["宿"] == 1 and "咸" not in kept


def test_it_follows_publish_withdraw_and_delete_on_commit(people, publish, django_capture_on_commit_callbacks):
    editor, handler, unit = people
    post = publish("宿舍热水不稳定")
    assert found("热水") == [post.page_id]

    with django_capture_on_commit_callbacks(execute=True):
        post.edit_public_text(editor, "宿舍空调不制冷", "", show_photos=True)
    assert found("热水") == []
    assert found("空调") == [post.page_id]

    with django_capture_on_commit_callbacks(execute=True):
        post.unpublish(editor)
    assert found("空调") == []
    assert not IndexedPage.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        post.publish(editor)
    post.refresh_from_db()
    assert found("空调") == [post.page_id]

    with django_capture_on_commit_callbacks(execute=True):
        WallPostPage.objects.get(pk=post.page_id).unpublish()
    assert found("空调") == []


def test_it_waits_for_the_commit(people, django_capture_on_commit_callbacks):
    editor, _, unit = people
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        post = make_accepted_post(editor, unit, title="宿舍热水不稳定")
        post.publish(editor)
    assert found("热水") == []
    for callback in callbacks:
        callback()
    assert len(found("热水")) == 1


def test_it_indexes_only_live_wall_pages(publish):
    post = publish("宿舍热水不稳定")
    page = WallPostPage.objects.get(pk=post.page_id)
    page.live = False
    get_backend().index(page)
    assert found("热水") == []
    get_backend().index(WallPostPage.objects.get(pk=post.page_id).get_parent())  # a year page: ignored
    assert IndexedPage.objects.count() == 0


def test_it_rebuilds_the_index_from_live_pages(publish):
    kept = publish("宿舍热水不稳定")
    IndexedPage.objects.all().delete()
    get_backend().remove(kept.page_id)
    assert found("热水") == []
    call_command("rebuild_search_index", verbosity=0)
    assert found("热水") == [kept.page_id]
    get_backend().rebuild(pages=WallPostPage.objects.none())
    assert found("热水") == []


def test_it_segments_with_the_campus_dictionary():
    assert "一卡通" in segment.words("我的一卡通丢了")
    assert "后勤管理处" in segment.words("后勤管理处的电话")
    assert segment.bigrams("宿舍热水") == ["宿舍", "舍热", "热水"]
    assert segment.chars("a热b水") == ["热", "水"]


def test_a_query_of_common_words_alone_ranks_their_newest_and_counts_so_far(publish, monkeypatch, client):
    for name, value in (("COMMON_HOLDERS", 3), ("SCORED_AT_MOST", 2), ("COUNTED_AT_MOST", 3)):
        monkeypatch.setattr(f"search.backends.embedded.{name}", value)
    monkeypatch.setattr("search.backends.postgres.SEARCH_ROWS", 2)
    boiler = publish("锅炉房热水不热")  # the oldest
    newest = [publish(f"热水问题第{n}次") for n in range(5)][-2:]

    every = search("热水")
    assert {hit.page_id for hit in every.hits} <= {boiler.page_id, *(post.page_id for post in newest)}
    assert (every.total, every.more) == (3, True)
    assert "超过 3 条" in client.get("/search/", {"q": "热水"}).content.decode()
    # A telling word is never cut by age: the old post that has it comes first.
    assert found("锅炉房 热水")[0] == boiler.page_id

"""The embedded backend's own workings, on SQLite (FTS5) or PostgreSQL, whichever the suite runs on:
the campus dictionary it segments with, its limits on how many matches it ranks and counts, and the
token counts it keeps for FTS5. What every backend promises is tested on each in
tests/search/test_backends.py; the PostgreSQL-only workings in test_search_postgres.py."""

import pytest
from django.db import connection

from search import segment
from tests.search_backends import found, post_of, publisher, search


@pytest.fixture
def publish(people, django_capture_on_commit_callbacks):
    """tests/search_backends.py's publish, on the embedded backend alone."""
    return publisher(people, django_capture_on_commit_callbacks)


def test_it_segments_with_the_campus_dictionary():
    assert "一卡通" in segment.words("我的一卡通丢了")
    assert "后勤管理处" in segment.words("后勤管理处的电话")
    assert segment.bigrams("宿舍热水") == ["宿舍", "舍热", "热水"]
    assert segment.chars("a热b水") == ["热", "水"]


def test_past_the_candidates_it_pages_the_best_and_counts_every_match(publish, monkeypatch, client):
    monkeypatch.setattr("search.backends.embedded.SEARCH_CANDIDATES", 2)
    best = publish("宿舍热水", body="宿舍热水不热")
    for title in ("热水忽冷忽热", "热水时有时无", "开水房热水"):
        publish(title)
    results = search("宿舍热水")
    assert (results.total, results.capped, results.ranked) == (4, True, 2)
    assert results.hits[0].page_id == best
    assert "共 4 条" in client.get("/search/", {"q": "宿舍热水"}).content.decode()


def test_a_post_found_only_by_its_public_reply_is_a_candidate(publish, monkeypatch):
    monkeypatch.setattr("search.backends.embedded.SEARCH_CANDIDATES", 1)
    answered = publish("宿舍楼的问题", reply="热水已修好")
    assert found("热水") == [answered]


def test_a_query_of_common_words_alone_ranks_their_newest_and_counts_so_far(publish, monkeypatch, client):
    monkeypatch.setattr("search.backends.embedded.COUNTED_AT_MOST", 3)
    for name, value in (("COMMON_HOLDERS", 3), ("SCORED_AT_MOST", 2)):
        monkeypatch.setattr(f"search.backends.sqlite.{name}", value)
    monkeypatch.setattr("search.backends.postgres.SEARCH_ROWS", 2)
    boiler = publish("锅炉房热水不热")  # the oldest
    newest = [publish(f"热水问题第{n}次") for n in range(5)][-2:]

    every = search("热水")
    assert sorted(hit.page_id for hit in every.hits) == sorted(newest)
    assert (every.total, every.more) == (3, True)
    assert "超过 3 条" in client.get("/search/", {"q": "热水"}).content.decode()
    # A telling word is never cut by age: the old post that has it comes first.
    assert found("锅炉房 热水")[0] == boiler


def test_a_common_word_typed_is_never_left_for_a_rarer_synonym(publish, monkeypatch):
    """宿舍 is common here, 寝室 (its synonym in the default thesaurus) rare: the candidates must still
    be the posts saying 宿舍, not the one saying 寝室 alone."""
    monkeypatch.setattr("search.backends.sqlite.COMMON_HOLDERS", 3)
    monkeypatch.setattr("search.backends.postgres.SEARCH_ROWS", 3)
    dorm = [publish(f"{n}号宿舍楼门口积水") for n in range(1, 5)]
    other = publish("寝室空调不制冷")

    results = search("宿舍")
    assert results.total == 5
    # On SQLite all five are ranked; on PostgreSQL the newest three that say the word typed.
    assert set(dorm[-3:]) <= {hit.page_id for hit in results.hits} <= {*dorm, other}


def test_a_rare_word_typed_still_finds_its_posts_however_common_its_synonym(publish, monkeypatch):
    """网速 and 网络 are one set of the default thesaurus; 网络 is common here, 网速 rare."""
    monkeypatch.setattr("search.backends.sqlite.COMMON_HOLDERS", 3)
    monkeypatch.setattr("search.backends.postgres.SEARCH_ROWS", 3)
    wanted = publish("宿舍网速太差", body="晚上网速太差，打不开网页。")
    publish("打印店排队很慢")
    for title in ("网络课程无法登录", "网络缴费失败", "网络报修电话打不通", "网络电视没信号"):
        publish(title)

    assert wanted in found("网速很慢")[:2]  # beside 打印店排队很慢, which says 很慢 as typed


@pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5's vocabulary table is SQLite's")
def test_its_token_counts_agree_with_fts5_through_edits_and_withdrawals(
    people, publish, django_capture_on_commit_callbacks
):
    """Similar questions weigh a token by how many questions hold it, a count the backend keeps."""
    editor, _, _ = people
    first = post_of(publish("宿舍热水不稳定", body="三号楼宿舍热水时有时无"))
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

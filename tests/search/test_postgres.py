"""The embedded search on PostgreSQL (search.backends.postgres): BM25 computed in SQL, token
counts that follow every write, the GIN index used for similar questions. `make test` runs the
suite on SQLite and on PostgreSQL; these tests are skipped on SQLite. What every backend promises,
text with any characters included, is tested on each in tests/search/test_backends.py."""

import math
import unicodedata

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from search import segment
from search.backends import get_backend
from search.backends.fulltext import BODY, SIMILAR_WEIGHTS, TITLE
from search.ranking import length_ratio
from tests.search_backends import post_of, publisher
from wall.models import WallPostPage


@pytest.fixture
def postgres():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only (make test runs the suite on PostgreSQL too)")


@pytest.fixture
def publish(people, django_capture_on_commit_callbacks):
    """tests/search_backends.py's publish, on the embedded backend alone."""
    return publisher(people, django_capture_on_commit_callbacks)


def unicode61(tokens):
    """tokens as SQLite's unicode61 tokenizer (remove_diacritics 2) keeps them: café is cafe."""
    return ["".join(c for c in unicodedata.normalize("NFD", token) if not unicodedata.combining(c)) for token in tokens]


def bm25_by_hand(text, pages, weights):
    """{page id: the BM25 of text as search.ranking and FTS5's bm25() count it}, worked out by hand:
    Lucene's idf over the rows holding a token in its kind's columns, occurrences weighted per column
    and summed before they saturate, the length of the whole row."""
    kinds = [lambda text, cut=cut: unicode61(cut(text)) for cut in (segment.words, segment.chars, segment.bigrams)]
    rows = {page.pk: [[cut(field) for cut in kinds] for field in (page.title, page.body)] for page in pages}
    average = sum(len(tokens) for row in rows.values() for field in row for tokens in field) / len(rows)
    terms = segment.query_terms(text)
    terms = [unicode61(tokens) for tokens in (terms.words, terms.chars, terms.bigrams)]
    scores = {}
    for page_id, row in rows.items():
        length = sum(len(tokens) for field in row for tokens in field)
        score = 0.0
        for kind, tokens in enumerate(terms):
            for token in tokens:
                held = sum(any(token in field[kind] for field in other) for other in rows.values())
                idf = math.log(1 + (len(rows) - held + 0.5) / (held + 0.5))
                f = sum(
                    w * weights[kind] * field[kind].count(token) for w, field in zip((TITLE, BODY), row, strict=True)
                )
                score += idf * f * 2.2 / (f + 1.2 * (0.25 + 0.75 * length / average))
        if score:
            scores[page_id] = score
    return scores


def test_it_scores_similar_questions_by_bm25_times_the_length_ratio(postgres, publish):
    publish("宿舍热水几点供应", body="请问三号楼宿舍热水每天几点开始供应？热水很重要。")
    publish("热水什么时候开始供应", body="宿舍的热水几点有？")
    publish("图书馆几点开门", body="周末图书馆几点开门？")
    publish("一卡通丢了怎么补办", body="一卡通 ＷｉＦｉ café")
    for title in ("食堂饭菜太咸", "校园网晚上很慢", "教室投影仪坏了"):  # so that idf tells tokens apart
        publish(title)
    text = "宿舍热水几点开始供应啊 cafe"
    hits = get_backend().similar(text, limit=10)
    expected = bm25_by_hand(text, WallPostPage.objects.live(), SIMILAR_WEIGHTS)
    titles = dict(WallPostPage.objects.values_list("pk", "title"))
    query_chars = segment.query_terms(text).chars
    expected = {pk: score * length_ratio(query_chars, segment.chars(titles[pk])) for pk, score in expected.items()}
    assert {hit.page_id: hit.score for hit in hits} == pytest.approx(expected, rel=1e-9)
    assert [hit.page_id for hit in hits] == sorted(expected, key=lambda page_id: (-expected[page_id], -page_id))


def token_counts():
    with connection.cursor() as cursor:
        cursor.execute("SELECT source, token, documents FROM search_fulltext_term ORDER BY 1, 2")
        terms = cursor.fetchall()
        cursor.execute("SELECT source, documents, tokens FROM search_fulltext_stats ORDER BY 1")
        return terms, cursor.fetchall()


def test_it_keeps_the_counts_a_rebuild_would_make(postgres, people, publish, django_capture_on_commit_callbacks):
    editor, _, _ = people
    kept = post_of(publish("宿舍热水不稳定", reply="已安排师傅检修热水"))
    withdrawn = post_of(publish("图书馆空调不制冷", reply="已报修"))
    edited = post_of(publish("食堂饭菜太咸"))
    with django_capture_on_commit_callbacks(execute=True):
        edited.edit_public_text(editor, "食堂饭菜太淡", "", show_photos=True)
        withdrawn.unpublish(editor)
    counts = token_counts()
    assert not any("空" in token or "咸" in token for _, token, _ in counts[0])  # only they held these

    get_backend().rebuild()
    assert token_counts() == counts
    assert counts[1] == [("question", 2, counts[1][0][2]), ("reply", 1, counts[1][1][2])]

    with django_capture_on_commit_callbacks(execute=True):
        kept.unpublish(editor)
        edited.unpublish(editor)
    assert token_counts() == ([], [("question", 0, 0), ("reply", 0, 0)])


def test_it_finds_similar_questions_without_reading_the_whole_table(postgres, publish):
    for n in range(3):
        publish(f"宿舍热水问题{n}")
    with CaptureQueriesContext(connection) as queries:
        assert get_backend().similar("宿舍热水几点供应")
    scoring = next(query["sql"] for query in queries.captured_queries if "ts_filter" in query["sql"])
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # what similar() does around this statement
        cursor.execute(f"EXPLAIN {scoring}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    # Which index the planner takes on a table of three rows depends on statistics that earlier
    # tests' commits leave behind (the GIN index or the primary key); a full read must never happen.
    assert "Seq Scan" not in plan

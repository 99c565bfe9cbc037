"""What the embedded backend's two full-text stores (SQLite FTS5 in search.backends.embedded,
PostgreSQL in search.backends.postgres) share: the weights of their BM25, and the rows a search
page is made of."""

from search import segment
from search.models import IndexedPage

# Column weights, as (words, single characters, bigrams) and title vs text. A title says what a post
# is about more surely than its text.
TITLE = 2.0
BODY = 1.0
# Search: a visitor types a few words; whole words and characters in the typed order should decide,
# single characters are there so that a word jieba cut differently is still found.
SEARCH_WEIGHTS = (1.0, 0.5, 1.0)
# Similar questions: two people asking the same thing share most characters but often not the same
# words (怎么弄/怎么开, 宿舍/寝室楼): characters lead. Tuned with bench/search_quality.py.
SIMILAR_WEIGHTS = (0.3, 1.0, 0.1)
# A search names what a post is about, which its title says best: the search page's ranking weighs
# the title more than the similar box's does (where a question's text says as much).
SEARCH_TITLE = 3.0
# A public reply matching counts for less than the question matching: people search for questions.
REPLIES = 0.5

# Words typed apart (宿舍 空调) each say something the visitor wants: a post's score is multiplied by the
# share of them it holds (Lucene's coord factor), so one holding all comes before one holding some,
# and one holding some is still found.
COORD_POWER = 1.0

# A result row's facet values, from IndexedPage's fields.
FIELDS = {
    "kind": "kind_id",
    "kind_name": "kind_name",
    "category": "category_id",
    "category_name": "category_name",
    "unit": "unit_id",
    "unit_name": "unit_name",
    "status": "status",
    "year": "year",
}


def result_rows(ids, scores, reranked):
    """The pages ids, in that order, as dicts of FIELDS with their text for with_coord()."""
    pages = IndexedPage.objects.in_bulk(ids)
    rows = []
    for page_id in ids:
        page = pages.get(page_id)
        if page is None:  # removed meanwhile
            continue
        row = {name: getattr(page, field) for name, field in FIELDS.items()}
        row.update(
            id=page_id,
            score=scores[page_id],
            reranked=page_id in reranked,
            text=f"{page.title}\n{page.body}\n{page.replies}",
        )
        rows.append(row)
    return rows


def with_coord(rows, parts):
    """rows (best first, with their page's text) scored again by the share of parts each holds, best first."""
    if len(parts) > 1:
        for row in rows:
            text = segment.normalize(row["text"])  # only here: most queries are one run of text
            held = sum(_holds(text, part.strong) for part in parts)
            row["score"] *= (held / len(parts)) ** COORD_POWER
    # The reranked ones first: the rest were scored by the index alone, on another scale.
    return sorted(rows, key=lambda row: (not row["reranked"], -row["score"], -row["id"]))


def _holds(text, terms):
    return any(token in text for token in terms.words + terms.bigrams + terms.chars)

"""The embedded backend: full text in the wall's own database, no search server to run.

Text is cut by search.segment into words, single characters and character bigrams, each kept in
its own column (title and text apart) of an SQLite FTS5 table, and ranked by BM25 with a weight per
column. On PostgreSQL the same tokens and the same BM25 live in tsvectors (see search.backends.postgres).

The SQL lives beside: search.backends.sqlite (FTS5) and search.backends.postgres; what they share,
in search.backends.fulltext.
"""

from collections import Counter

from django.db import connection, transaction

from search import segment, thesaurus
from search.documents import document_for, live_pages
from search.models import IndexedPage
from wall.models import WallPostPage

from .base import (
    FACETS,
    MAX_PER_PAGE,
    FacetValue,
    Hit,
    SearchBackend,
    SearchResults,
    at_least_one,
    clean_filters,
    status_label,
)
from .fulltext import (
    with_coord,
)
from .postgres import POSTGRES
from .sqlite import SQLITE

# The search page ranks what the similar box ranks, by the same scorer: candidates from the index by
# the query's telling strong tokens (a word or a bigram; see _telling), best first by BM25 there,
# and the best RERANKED of them put in order on every token, characters included, as similar() does.
# Filters and facets apply to the best SEARCH_CANDIDATES; the total counts every matching post, up to
# COUNTED_AT_MOST. The SQL of each database is in search.backends.sqlite and .postgres.
SEARCH_CANDIDATES = 300
COUNTED_AT_MOST = 20_000
BATCH_SIZE = 500


class EmbeddedBackend(SearchBackend):
    def index(self, page):
        if not (isinstance(page, WallPostPage) and page.live):
            self.remove(page.pk)
            return
        with transaction.atomic():
            self._write([document_for(page)])

    def index_many(self, pages):
        live = [page for page in pages if isinstance(page, WallPostPage) and page.live]
        with transaction.atomic():
            for start in range(0, len(live), BATCH_SIZE):
                self._write([document_for(page) for page in live[start : start + BATCH_SIZE]])
            for page in pages:
                if page not in live:
                    self.remove(page.pk)

    def remove(self, page_id):
        with transaction.atomic():
            _fulltext().delete([page_id])
            IndexedPage.objects.filter(page_id=page_id).delete()

    def rebuild(self, pages=None, progress=None, on_filled=None):
        pages = live_pages() if pages is None else pages
        count = 0
        with transaction.atomic():
            _fulltext().clear()
            IndexedPage.objects.all().delete()
            batch = []
            for page in pages.iterator(chunk_size=BATCH_SIZE) if hasattr(pages, "iterator") else pages:
                if isinstance(page, WallPostPage) and page.live:
                    batch.append(document_for(page))
                if len(batch) == BATCH_SIZE:
                    count += self._flush(batch, progress)
            count += self._flush(batch, progress)
            if on_filled:
                on_filled()  # in the transaction: searches see the new index when it commits
        return count

    def _flush(self, batch, progress):
        written = len(batch)
        self._write(batch)
        batch.clear()
        if progress:
            progress(written)
        return written

    def _write(self, documents):
        ids = [document.page_id for document in documents]
        _fulltext().delete(ids)
        IndexedPage.objects.filter(page_id__in=ids).delete()
        IndexedPage.objects.bulk_create(_entry(document) for document in documents)
        _fulltext().insert(documents)

    def search(self, query, filters=None, page=1, per_page=20):
        filters = clean_filters(filters)
        sets = thesaurus.active_sets()  # read once for the query and each of its parts
        terms = thesaurus.expand(segment.query_terms(query), query, sets)
        if not terms:
            return SearchResults(total=0, hits=[], facets={name: [] for name in FACETS})
        parts = thesaurus.parts_typed_apart(query, sets)
        fulltext = _fulltext()
        rows = with_coord(fulltext.search_rows(terms, {}, SEARCH_CANDIDATES), parts)
        facets = {name: _facet(rows, name, filters) for name in FACETS}
        total = fulltext.count_matching(terms, filters, COUNTED_AT_MOST)
        if filters and len(rows) >= SEARCH_CANDIDATES:  # the best of all may hide the best that pass
            rows = with_coord(fulltext.search_rows(terms, filters, SEARCH_CANDIDATES), parts)
        rows = [row for row in rows if _passes(row, filters)]
        per_page = min(at_least_one(per_page), MAX_PER_PAGE)
        start = (at_least_one(page) - 1) * per_page
        hits = _hits(rows[start : start + per_page], terms)
        return SearchResults(
            total=min(total, COUNTED_AT_MOST),
            hits=hits,
            facets=facets,
            capped=total > len(rows),
            ranked=len(rows),
            more=total > COUNTED_AT_MOST,
        )

    def similar(self, text, limit=5, exclude_page_id=None):
        terms = thesaurus.expand(segment.query_terms(text), text)
        if not terms:
            return []
        limit = min(at_least_one(limit), MAX_PER_PAGE)
        return _hits(_fulltext().similar_rows(terms, limit, exclude_page_id), terms)


def _entry(document):
    return IndexedPage(
        page_id=document.page_id,
        title=document.title,
        body=document.body,
        replies=document.replies_text,
        url=document.url,
        kind_id=document.kind_id,
        kind_name=document.kind_name,
        category_id=document.category_id,
        category_name=document.category_name,
        unit_id=document.unit_id,
        unit_name=document.unit_name,
        status=document.status,
        year=document.year,
    )


def _passes(row, filters):
    return all(row[name] == value for name, value in filters.items())


def _facet(rows, name, filters):
    """Counts per value of one facet, over the rows that pass every filter but its own."""
    others = {key: value for key, value in filters.items() if key != name}
    passing = [row for row in rows if _passes(row, others)] if others else rows
    label_key = f"{name}_name"
    counts = Counter((row[name], row.get(label_key)) for row in passing if row[name] is not None)
    values = [FacetValue(value, _label(name, value, label), count) for (value, label), count in counts.items()]
    return sorted(values, key=lambda facet: (-facet.count, str(facet.label)))


def _label(name, value, label):
    if name == "status":
        return status_label(value)
    return label if label is not None else str(value)


def _hits(rows, terms):
    entries = IndexedPage.objects.in_bulk([row["id"] for row in rows])
    hits = []
    for row in rows:
        entry = entries.get(row["id"])
        if entry is None:  # removed between the two queries
            continue
        text = f"{entry.body}\n{entry.replies}"
        hits.append(
            Hit(
                page_id=entry.page_id,
                score=row["score"],
                url=entry.url,
                title=entry.title,
                status=entry.status,
                text=text,
                terms=terms,
            )
        )
    return hits


def _fulltext():
    if connection.vendor == "postgresql":
        return POSTGRES
    if connection.vendor != "sqlite":
        raise NotImplementedError(f"The embedded search backend does not support {connection.vendor}.")
    return SQLITE

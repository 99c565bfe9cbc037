"""The embedded backend on SQLite: FTS5 tables, one column per kind of token, ranked by BM25.

Public replies have a table of their own: FTS5 measures a document's length over all its columns,
so a long answer in the same row would push an answered post below an unanswered one.
"""

from collections import Counter

from django.db import connection

from search import ranking, segment
from search.models import UNWRITTEN_PAGES_SQL

from .fulltext import BODY, REPLIES, SEARCH_TITLE, SEARCH_WEIGHTS, SIMILAR_WEIGHTS, TITLE, result_rows

# Similar questions: the index picks SIMILAR_CANDIDATES candidates by the tokens held by at most
# COMMON_HOLDERS questions (a query's time grows with the questions that hold its tokens), and
# search.ranking orders them on every token. Tuned with bench/search_quality.py.
COMMON_HOLDERS = 500
FEWEST_TOKENS = 4
SIMILAR_CANDIDATES = 50

# The search page: the best RERANKED of its candidates are scored again on every token.
RERANKED = 100
# Candidates hold a telling token of the query (see _telling). When its rarest token is common
# (为什么 on a million posts), BM25 would have to score every post holding it: the page then ranks
# the newest SCORED_AT_MOST of those, best first. A query with a telling word is never cut so, so
# an old exact answer is always among its candidates. Totals are counted up to COUNTED_AT_MOST.
SCORED_AT_MOST = 3_000


def _without_common(terms, holders):
    """terms without the tokens held by more than COMMON_HOLDERS questions (的, 么, 什么 on a big wall).

    The rarest FEWEST_TOKENS stay in any case, so that a query of common words still finds something.
    """
    tokens = terms.words + terms.chars + terms.bigrams
    holders = terms.holders(holders, typed=False)
    keep = {token for token in tokens if holders.get(token, 0) <= COMMON_HOLDERS}
    keep.update(_rarest_first(tokens, holders, terms.added)[:FEWEST_TOKENS])
    return segment.Terms(*(tuple(t for t in kind if t in keep) for kind in (terms.words, terms.chars, terms.bigrams)))


# Leaves out the pages whose last change the index has not heard of (search.models.UNWRITTEN_PAGES_SQL).
_WRITTEN = f"AND rowid NOT IN ({UNWRITTEN_PAGES_SQL})"


def _restriction(filters):
    """(SQL, parameters) that keep the full-text rows whose page passes filters and whose last change
    the index has heard of."""
    if not filters:
        return _WRITTEN, []
    columns = {name: f"{name}_id" if name in ("kind", "category", "unit") else name for name in filters}
    where = " AND ".join(f"{columns[name]} = %s" for name in filters)
    # Column names from FACETS (clean_filters refuses any other), values as parameters.
    passing = f"AND rowid IN (SELECT page_id FROM search_indexedpage WHERE {where})"  # noqa: S608
    return f"{_WRITTEN} {passing}", list(filters.values())


def _telling(terms, holders):
    """The tokens of terms that tell posts apart (held by at most COMMON_HOLDERS questions); if none
    does, the rarest while the posts holding them stay within SCORED_AT_MOST (one at least). The
    search page's candidates hold one of them."""
    tokens = terms.words + terms.chars + terms.bigrams
    holders = terms.holders(holders, typed=False)
    keep = {token for token in tokens if holders.get(token, 0) <= COMMON_HOLDERS}
    if not keep:
        holding = 0
        for token in _rarest_first(set(tokens), holders, terms.added):
            holding += holders.get(token, 0)
            if keep and holding > SCORED_AT_MOST:
                break
            keep.add(token)
    return segment.Terms(*(tuple(t for t in kind if t in keep) for kind in (terms.words, terms.chars, terms.bigrams)))


def _rarest_first(tokens, holders, added):
    """tokens, the rarest first by holders (a synonym's floored: Terms.holders), so that a synonym
    no post holds never passes for rare; of two as common, the one typed before one the thesaurus added."""
    return sorted(tokens, key=lambda token: (holders.get(token, 0), token in added, token))


def _quote(token):
    return '"' + token.replace('"', '""') + '"'


def _match(terms, words, chars, bigrams):
    """An FTS5 query that ORs every token of terms, each kind in its own columns.

    Every token is quoted, so nothing a visitor types can be read as FTS5 syntax.
    """
    parts = []
    for columns, tokens in ((words, terms.words), (chars, terms.chars), (bigrams, terms.bigrams)):
        if tokens:
            parts.append(f"{{{' '.join(columns)}}} : ({' OR '.join(map(_quote, tokens))})")
    return " OR ".join(parts)


def _question_match(terms):
    return _match(
        terms,
        ("title_words", "body_words"),
        ("title_chars", "body_chars"),
        ("title_bigrams", "body_bigrams"),
    )


def _reply_match(terms):
    return _match(terms, ("words",), ("chars",), ("bigrams",))


def _question_bm25(weights):
    field_weights = [field * weight for field in (TITLE, BODY) for weight in weights]
    return "bm25(search_fulltext, {}, {}, {}, {}, {}, {})".format(*field_weights)


_SEARCH_BM25 = _question_bm25(SEARCH_WEIGHTS)
_SIMILAR_BM25 = _question_bm25(SIMILAR_WEIGHTS)
_REPLY_BM25 = "bm25(search_fulltext_reply, {}, {}, {})".format(*SEARCH_WEIGHTS)
_QUESTION_COLUMNS = ("title_words", "title_chars", "title_bigrams", "body_words", "body_chars", "body_bigrams")


class SQLiteFullText:
    _average = (0, None)  # (questions when counted, average tokens per question)

    def insert(self, documents):
        rows = [[document.page_id, *ranking.question_columns(document.title, document.body)] for document in documents]
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO search_fulltext (rowid, title_words, title_chars, title_bigrams, "
                "body_words, body_chars, body_bigrams) VALUES (%s, %s, %s, %s, %s, %s, %s)",
                rows,
            )
            _count_holders(cursor, [row[1:] for row in rows], 1)
            cursor.executemany(
                "INSERT INTO search_fulltext_reply (rowid, words, chars, bigrams) VALUES (%s, %s, %s, %s)",
                [[d.page_id, *ranking.columns(d.replies_text)] for d in documents if d.replies],
            )

    def delete(self, ids):
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {', '.join(_QUESTION_COLUMNS)} FROM search_fulltext "  # noqa: S608
                f"WHERE rowid IN ({', '.join(['%s'] * len(ids))})",
                ids,
            )
            _count_holders(cursor, cursor.fetchall(), -1)
            for table in ("search_fulltext", "search_fulltext_reply"):
                cursor.executemany(f"DELETE FROM {table} WHERE rowid = %s", [[page_id] for page_id in ids])  # noqa: S608

    def clear(self):
        with connection.cursor() as cursor:
            for table in ("search_fulltext", "search_fulltext_reply", "search_fulltext_term"):
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608

    def search_rows(self, terms, filters, limit):
        """The best `limit` pages for terms that pass filters, best first, each a dict of _FIELDS'
        fields, "text" (its title, text and replies) and "reranked".

        Candidates match a strong token (see Terms.strong) of the rarer ones, in the question or a
        reply, and come best first by FTS5's BM25 there; the best RERANKED are scored again on
        every token (_scored), plus the reply's BM25.
        """
        holders, total = self._document_counts(_tokens(terms))
        cut = _telling(terms.strong, holders)
        restrict, parameters = _restriction(filters)
        if sum(holders.get(token, 0) for token in _tokens(cut)) > SCORED_AT_MOST:
            oldest = self._nth_newest("search_fulltext", _question_match(cut), SCORED_AT_MOST)
            restrict, parameters = f"{restrict} AND rowid >= %s", [*parameters, oldest]
        question, reply = {}, {}
        for table, match, bm25, found in (
            ("search_fulltext", _question_match(cut), _SEARCH_BM25, question),
            ("search_fulltext_reply", _reply_match(cut), _REPLY_BM25, reply),
        ):
            sql = f"""
                SELECT rowid, {bm25} FROM {table} WHERE {table} MATCH %s {restrict}
                ORDER BY {bm25} LIMIT {limit}
            """  # noqa: S608 - only constants are formatted in; the query and filters are parameters
            with connection.cursor() as cursor:
                cursor.execute(sql, [match, *parameters])
                found.update((page_id, -score) for page_id, score in cursor.fetchall())
        scores = {page: question.get(page, 0.0) + REPLIES * reply.get(page, 0.0) for page in {*question, *reply}}
        best = sorted(scores, key=lambda page_id: (-scores[page_id], -page_id))[:limit]
        candidates = self._columns(best[:RERANKED])
        reranked = self._scored(terms, candidates, holders, total, SEARCH_WEIGHTS, SEARCH_TITLE, alike_length=False)
        for row in reranked:
            scores[row["id"]] = row["score"] + REPLIES * reply.get(row["id"], 0.0)
        return result_rows(best, scores, {row["id"] for row in reranked})

    def count_matching(self, terms, filters, at_most):
        """How many pages hold a strong token of terms, in the question or a reply, and pass filters;
        counted up to at_most + 1 (more than at_most, then)."""
        restrict, parameters = _restriction(filters)
        strong = terms.strong
        question = f"SELECT rowid FROM search_fulltext WHERE search_fulltext MATCH %s {restrict}"  # noqa: S608
        reply = f"SELECT rowid FROM search_fulltext_reply WHERE search_fulltext_reply MATCH %s {restrict}"  # noqa: S608
        arguments = ([_question_match(strong), *parameters], [_reply_match(strong), *parameters])
        with connection.cursor() as cursor:
            # Each side first, read no further than needed: a union dedups in a temporary table,
            # which would hold every match of a common word.
            for sql, values in zip((question, reply), arguments, strict=True):
                cursor.execute(f"SELECT COUNT(*) FROM ({sql} LIMIT %s)", [*values, at_most + 1])  # noqa: S608
                if cursor.fetchone()[0] > at_most:
                    return at_most + 1
            cursor.execute(f"SELECT COUNT(*) FROM ({question} UNION {reply})", [*arguments[0], *arguments[1]])  # noqa: S608
            return cursor.fetchone()[0]

    def _nth_newest(self, table, match, n):
        """The id of the n-th newest page matching in table (FTS5 reads its matches newest first
        without scoring them); 0 if fewer match."""
        sql = f"SELECT rowid FROM {table} WHERE {table} MATCH %s ORDER BY rowid DESC LIMIT 1 OFFSET %s"  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(sql, [match, n - 1])
            row = cursor.fetchone()
        return row[0] if row else 0

    def similar_rows(self, terms, limit, exclude_page_id):
        """The questions (titles and texts; not replies) that share the most with terms.

        See COMMON_HOLDERS: candidates from the index, put in order by search.ranking: BM25 on
        every token, times how alike the query and the candidate's title are in length.
        """
        holders, total = self._document_counts(terms.words + terms.chars + terms.bigrams)
        sql = f"""
            SELECT rowid, {", ".join(_QUESTION_COLUMNS)}
            FROM search_fulltext WHERE search_fulltext MATCH %s AND rowid IS NOT %s {_WRITTEN}
            ORDER BY {_SIMILAR_BM25} LIMIT {SIMILAR_CANDIDATES}
        """  # noqa: S608 - only constants are formatted in
        with connection.cursor() as cursor:
            cursor.execute(sql, [_question_match(_without_common(terms, holders)), exclude_page_id])
            candidates = cursor.fetchall()
        return self._scored(terms, candidates, holders, total, SIMILAR_WEIGHTS, TITLE, alike_length=True)[:limit]

    def _columns(self, ids):
        """(rowid, *question columns) of the pages ids, for _scored()."""
        if not ids:
            return []
        sql = f"""
            SELECT rowid, {", ".join(_QUESTION_COLUMNS)} FROM search_fulltext
            WHERE rowid IN ({", ".join(["%s"] * len(ids))})
        """  # noqa: S608 - only constants are formatted in
        with connection.cursor() as cursor:
            cursor.execute(sql, ids)
            return cursor.fetchall()

    def _scored(self, terms, candidates, holders, total, kind_weights, title, alike_length):
        """[{"id", "score"}] of candidates (rowid, *question columns), best first: BM25 on every token
        (search.ranking.bm25), and if alike_length times how alike the query and the title are in
        length (two people asking the same thing write about as much)."""
        idfs = ranking.token_idfs(terms, holders, total, kind_weights, (title, BODY))
        score = ranking.scorer(terms, idfs, kind_weights, (title, BODY), self._average_length(total))
        scored = [
            {
                "id": row[0],
                "score": (ranking.length_ratio(terms.chars, row[2].split()) if alike_length else 1.0) * score(row[1:]),
            }
            for row in candidates
        ]
        scored.sort(key=lambda row: (-row["score"], -row["id"]))
        return scored

    def _document_counts(self, tokens):
        """({token: how many questions hold it}, how many questions there are)."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM search_indexedpage")
            total = cursor.fetchone()[0]
            wanted = list(dict.fromkeys(tokens))
            cursor.execute(
                f"SELECT token, documents FROM search_fulltext_term WHERE token IN ({', '.join(['%s'] * len(wanted))})",  # noqa: S608
                wanted,
            )
            return dict(cursor.fetchall()), total

    def _average_length(self, total):
        """Tokens per question, all columns; counted again when the wall grew by a tenth."""
        counted_at, average = self._average
        if average is None or abs(total - counted_at) > total / 10:
            with connection.cursor() as cursor:
                cursor.execute("SELECT SUM(cnt) FROM search_fulltext_vocab_col")
                average = (cursor.fetchone()[0] or 0) / max(total, 1)
            self._average = (total, average)
        return average


def _count_holders(cursor, questions, change):
    """Add change to search_fulltext_term's count of each token the questions (their column texts) hold."""
    holders = Counter(token for columns in questions for token in {t for text in columns for t in text.split()})
    cursor.executemany(
        "INSERT INTO search_fulltext_term (token, documents) VALUES (%s, %s) "
        "ON CONFLICT (token) DO UPDATE SET documents = documents + excluded.documents",
        [(token, change * count) for token, count in holders.items()],
    )
    if change < 0:
        # A token no question holds any more goes: a withdrawn post leaves no word of its own behind.
        gone = [[token] for token in holders]
        cursor.executemany("DELETE FROM search_fulltext_term WHERE token = %s AND documents <= 0", gone)


def _tokens(terms):
    return set(terms.words + terms.chars + terms.bigrams)


SQLITE = SQLiteFullText()

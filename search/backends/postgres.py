"""The embedded backend's full-text tables on PostgreSQL: the tokens SQLite stores, ranked by the same BM25.

PostgreSQL's parsers know no more Chinese than SQLite's, so nothing goes through to_tsvector: a
document's tokens (search.segment's words, characters and bigrams) become the lexemes of a tsvector
as they are, tagged with their kind — `w:热水` the word, `b:热水` the bigram, `c:水` the character —
with one position per occurrence: 1, 2, … in the title, 1001, 1002, … in the text. So the positions
say how often a token occurs in each field, and one GIN index over the vector finds the rows.

ts_rank knows no inverse document frequency (的 would weigh as much as 热水), so the score is the
BM25 search.ranking.bm25 computes on SQLite (FTS5's bm25() with Lucene's idf), computed in SQL over
the same tokens, with the same weights (search.backends.fulltext): a token's document frequency
comes from search_fulltext_term, the average length from search_fulltext_stats, both kept up to
date by every write in its own transaction. Writers lock the stats rows first, so they queue instead
of deadlocking over the shared counts; readers take no lock.

Every token is quoted into the tsquery, so nothing a visitor types is read as tsquery syntax.
"""

import unicodedata
from collections import Counter
from dataclasses import dataclass

from django.db import connection, transaction

from search import ranking, segment
from search.models import UNWRITTEN_PAGES_SQL, IndexedPage

from .fulltext import BODY, REPLIES, SEARCH_TITLE, SEARCH_WEIGHTS, SIMILAR_WEIGHTS, TITLE, result_rows

# FTS5's bm25() constants.
K1 = 1.2
B = 0.75

# similar() scores the rows holding the query's rarest tokens, taken rarest first while the rows
# they could match stay under this many: the common ones (的, 怎么) still add to those rows' scores
# but do not bring in half the table, and the time a query takes stays flat as the wall grows. On
# LCQMC (16k questions) 500 finds what scoring every row finds (recall@5 0.962, MRR@10 0.748).
SIMILAR_CANDIDATES = 500
RERANKED = 50
# The search page scores the rows holding its rarest strong tokens while they number at most this
# (more than similar(): a visitor pages through them, and every part of the query should be there).
SEARCH_ROWS = 5000

# Positions of a field's occurrences start after field number × FIELD_GAP; tsvector keeps at most
# 256 positions of a lexeme, and BM25 hardly tells 256 occurrences from more.
FIELD_GAP = 1000
MAX_POSITIONS = 256
KINDS = ("w", "c", "b")  # words, single characters, bigrams: the order of the weight tuples


@dataclass(frozen=True)
class Source:
    name: str  # its row in search_fulltext_stats, and its tokens' in search_fulltext_term
    table: str
    fields: tuple  # (Document attribute, weight), in position order

    def occurrences_sql(self, positions):
        """SQL for a lexeme's occurrences in each field times the field's weight, summed.

        positions is sorted, so width_bucket(n, positions) counts the occurrences up to position n.
        """
        weights = [weight for _, weight in self.fields]
        parts = [
            f"{weight - following}::float8 * width_bucket({(number + 1) * FIELD_GAP}::smallint, {positions})"
            for number, (weight, following) in enumerate(zip(weights, weights[1:], strict=False))
        ]
        return " + ".join([*parts, f"{weights[-1]}::float8 * cardinality({positions})"])


QUESTION = Source("question", "search_fulltext", (("title", TITLE), ("body", BODY)))
# The same rows, weighed as the search page weighs them.
SEARCHED_QUESTION = Source("question", "search_fulltext", (("title", SEARCH_TITLE), ("body", BODY)))
REPLY = Source("reply", "search_fulltext_reply", (("replies_text", 1.0),))


class PostgresFullText:
    """The interface of search.backends.embedded._SQLiteFullText, on PostgreSQL."""

    def insert(self, documents):
        with connection.cursor() as cursor:
            _lock(cursor)
            for source in (QUESTION, REPLY):
                rows, tokens, holders = [], 0, Counter()
                for document in documents:
                    if source is REPLY and not document.replies:
                        continue
                    positions, length = _positions(source, document)
                    rows.append([document.page_id, _tsvector(positions), length])
                    tokens += length
                    holders.update(positions.keys())
                cursor.executemany(
                    f"INSERT INTO {source.table} (page_id, vector, length) VALUES (%s, %s::tsvector, %s)",  # noqa: S608
                    rows,
                )
                _count(cursor, source, len(rows), tokens, holders)

    def delete(self, ids):
        ids = list(ids)
        if not ids:
            return
        with connection.cursor() as cursor:
            _lock(cursor)
            for source in (QUESTION, REPLY):
                cursor.execute(
                    f"DELETE FROM {source.table} WHERE page_id = ANY(%s) RETURNING tsvector_to_array(vector), length",  # noqa: S608
                    [ids],
                )
                gone = cursor.fetchall()
                holders = Counter()
                for lexemes, _ in gone:
                    holders.subtract(lexemes)
                _count(cursor, source, -len(gone), -sum(length for _, length in gone), holders)

    def clear(self):
        with connection.cursor() as cursor:
            _lock(cursor)
            for statement in (
                "DELETE FROM search_fulltext",
                "DELETE FROM search_fulltext_reply",
                "DELETE FROM search_fulltext_term",
                "UPDATE search_fulltext_stats SET documents = 0, tokens = 0",
            ):
                cursor.execute(statement)

    def search_rows(self, terms, filters, limit):
        """As on SQLite: the best `limit` pages that hold a strong token of the rarer ones (in the
        question or a reply) and pass filters, scored on every token of terms, as result rows."""
        restrict, restrict_parameters = _restriction(filters)
        with transaction.atomic(), connection.cursor() as cursor:
            question = _Query(cursor, SEARCHED_QUESTION, terms, SEARCH_WEIGHTS, "question")
            reply = _Query(cursor, REPLY, terms, SEARCH_WEIGHTS, "reply")
            strong = set(_lexemes(terms.strong))
            rarest = question.rarest(SEARCH_ROWS, among=strong)
            matches = {
                "question_match": _tsquery(rarest),
                "reply_match": _tsquery(reply.rarest(SEARCH_ROWS, among=strong)),
                "oldest": 0,
            }
            # Even the rarest is common (什么 on a big wall): its newest SEARCH_ROWS, as on SQLite.
            if sum(question.holders[lexeme] for lexeme in rarest) > SEARCH_ROWS:
                matches["oldest"] = _nth_newest(cursor, QUESTION, matches["question_match"], SEARCH_ROWS)
            where = "doc.vector @@ %({0})s::tsquery AND doc.page_id >= %(oldest)s " + restrict
            sql = f"""
                WITH question AS ({question.scores(where.format("question_match"))}
                ), reply AS ({reply.scores(where.format("reply_match"))})
                SELECT COALESCE(question.page_id, reply.page_id) AS page_id,
                       COALESCE(question.score, 0) + {REPLIES} * COALESCE(reply.score, 0) AS score
                FROM question FULL JOIN reply ON reply.page_id = question.page_id
                ORDER BY score DESC, page_id DESC LIMIT %(limit)s
            """  # noqa: S608 - only constants are formatted in; the queries are parameters
            parameters = {**matches, **restrict_parameters, **question.parameters(), **reply.parameters()}
            cursor.execute("SET LOCAL enable_seqscan = off")  # as in similar_rows
            cursor.execute(sql, {**parameters, "limit": limit})
            scores = dict(cursor.fetchall())
            cursor.execute("RESET enable_seqscan")
        # One scale for all of them: BM25 on every token, no second pass.
        return result_rows(list(scores), scores, set(scores))

    def count_matching(self, terms, filters, at_most):
        """As on SQLite: how many pages hold a strong token of terms and pass filters, up to at_most + 1."""
        restrict, parameters = _restriction(filters)
        sql = f"""
            SELECT COUNT(*) FROM (
                SELECT page_id FROM search_fulltext doc WHERE vector @@ %(strong)s::tsquery {restrict}
                UNION SELECT page_id FROM search_fulltext_reply doc WHERE vector @@ %(strong)s::tsquery {restrict}
                LIMIT %(at_most)s
            ) AS matching
        """  # noqa: S608 - only constants are formatted in
        with connection.cursor() as cursor:
            cursor.execute(
                sql, {"strong": _tsquery(list(_lexemes(terms.strong))), "at_most": at_most + 1, **parameters}
            )
            return cursor.fetchone()[0]

    def similar_rows(self, terms, limit, exclude_page_id):
        """The questions (titles and texts; not replies) that share the most with terms."""
        with transaction.atomic(), connection.cursor() as cursor:
            question = _Query(cursor, QUESTION, terms, SIMILAR_WEIGHTS, "question")
            if not question.tokens:
                return []
            # Page ids start at 1 (the root page, never indexed): 0 leaves nothing out.
            where = f"doc.vector @@ %(rarest)s::tsquery AND doc.page_id <> %(exclude)s {_WRITTEN}"
            sql = f"""
                SELECT page_id, score FROM ({question.scores(where)}) AS scored
                ORDER BY score DESC, page_id DESC LIMIT %(limit)s
            """  # noqa: S608 - only constants are formatted in
            parameters = {"rarest": _tsquery(question.rarest(SIMILAR_CANDIDATES)), "exclude": exclude_page_id or 0}
            # The candidates are few by construction, but the planner prices matching a tsvector like
            # comparing two numbers: on a table of some 10,000 rows it would read them all rather than
            # the index, ten times slower. For this one statement, it may not.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(sql, {**parameters, "limit": max(limit, RERANKED), **question.parameters()})
            best = cursor.fetchall()
            cursor.execute("RESET enable_seqscan")  # SET LOCAL would outlast a savepoint
            # The best RERANKED by BM25 are put in order as on SQLite: times search.ranking.length_ratio.
            # Their titles come apart, so that the scoring statement keeps its plan (the GIN index).
            titles = dict(
                IndexedPage.objects.filter(page_id__in=[page_id for page_id, _ in best]).values_list("page_id", "title")
            )
            rows = [
                {
                    "id": page_id,
                    "score": score * ranking.length_ratio(terms.chars, segment.chars(titles.get(page_id, ""))),
                }
                for page_id, score in best
            ]
            rows.sort(key=lambda row: (-row["score"], -row["id"]))
            return rows[:limit]


class _Query:
    """terms as a source's lexemes, with what BM25 needs to know of each: its weight and idf.

    name prefixes its SQL parameters, so that two can share a statement.
    """

    def __init__(self, cursor, source, terms, weights, name):
        self.source, self.name = source, name
        wanted = _lexemes(terms, weights)
        cursor.execute(
            "SELECT token, documents FROM search_fulltext_term WHERE source = %s AND token = ANY(%s) "
            "UNION ALL SELECT NULL, documents FROM search_fulltext_stats WHERE source = %s "
            "UNION ALL SELECT '', tokens FROM search_fulltext_stats WHERE source = %s",
            [source.name, list(wanted), source.name, source.name],
        )
        found = dict(cursor.fetchall())
        self.rows, total = found.pop(None, 0), found.pop("", 0)
        self.average_length = total / self.rows if self.rows else 1.0
        self.holders = found  # lexeme -> how many rows hold it
        # A lexeme no row holds can neither match nor score: it is left out of the queries.
        self.tokens = [lexeme for lexeme in wanted if lexeme in found]
        self.weights = [wanted[lexeme] for lexeme in self.tokens]
        # The tokens of a thesaurus set count as held by as many rows as its most common word (Terms.floors).
        self.floors = {
            f"{kind}:{_token(token)}": [f"w:{_token(word)}" for word in words]
            for typed, added, words in terms.floors
            for token in typed + added
            for kind in ("w", "b")
        }
        self.added = {f"{kind}:{_token(token)}" for token in terms.added for kind in ("w", "b")}
        fields = [weight for _, weight in source.fields]
        boosts = ranking.synonym_boosts(terms, lambda kind, t: self._idf(f"{kind}:{_token(t)}"), weights, fields)
        self.boosts = {f"{kind}:{_token(token)}": boost for (kind, token), boost in boosts.items()}

    def rarest(self, rows, among=None):
        """The rarest lexemes (of among, if given), at least one if there is one, while the rows
        holding them could not number more than rows."""
        chosen, holding = [], 0
        tokens = [lexeme for lexeme in self.tokens if among is None or lexeme in among]

        # A synonym as common as its set's commonest word, so that one no row holds never passes for
        # rare; a word typed as common as it is; of two as common, the one typed first (as on SQLite).
        def held(lexeme):
            return self._held(lexeme) if lexeme in self.added else self.holders[lexeme]

        for lexeme in sorted(tokens, key=lambda lexeme: (held(lexeme), lexeme in self.added, lexeme)):
            holding += held(lexeme)
            if chosen and holding > rows:
                break
            chosen.append(lexeme)
        return chosen

    def idf(self, lexeme):
        return self._idf(lexeme) * self.boosts.get(lexeme, 1.0)

    def _idf(self, lexeme):
        # Lucene's idf, as search.ranking scores on SQLite: a common token still counts a little.
        return ranking.idf(self._held(lexeme), self.rows)

    def _held(self, lexeme):
        """How many rows hold lexeme, a thesaurus set's lexemes as many as its commonest word."""
        return max(self.holders.get(each, 0) for each in [lexeme, *self.floors.get(lexeme, ())])

    def scores(self, where):
        """SQL for (page_id, score): the BM25 score of each row of the source that satisfies where.

        Its parameters are parameters() and where's own. Each row's vector is cut down to the
        query's lexemes (setweight marks them, ts_filter keeps them) before it is unnested.
        """
        p = self.name
        occurrences = self.source.occurrences_sql("lexeme.positions")
        # BM25's K1 * (1 - B + B * length / average length), as fixed + per_token * length.
        return f"""
            SELECT doc.page_id, SUM(
                query.idf * query.weight * ({occurrences}) * {K1 + 1}::float8
                / (query.weight * ({occurrences}) + %({p}_fixed)s + %({p}_per_token)s * doc.length)
            ) AS score
            FROM {self.source.table} doc
            CROSS JOIN unnest(ts_filter(setweight(doc.vector, 'A', %({p}_tokens)s::text[]), '{{a}}')) AS lexeme
            JOIN unnest(%({p}_tokens)s::text[], %({p}_weights)s::float8[], %({p}_idfs)s::float8[])
                AS query(lexeme, weight, idf) ON query.lexeme = lexeme.lexeme
            WHERE {where}
            GROUP BY doc.page_id
        """  # noqa: S608 - only constants are formatted in

    def parameters(self):
        p = self.name
        return {
            f"{p}_fixed": K1 * (1 - B),
            f"{p}_per_token": K1 * B / self.average_length,
            f"{p}_tokens": self.tokens,
            f"{p}_weights": self.weights,
            f"{p}_idfs": [self.idf(lexeme) for lexeme in self.tokens],
        }


def _lexemes(terms, weights=(1.0, 1.0, 1.0)):
    """terms' tokens as the index keeps them (kind:token), each with its kind's weight, in order."""
    wanted = {}
    for kind, tokens, weight in zip(KINDS, (terms.words, terms.chars, terms.bigrams), weights, strict=True):
        for token in map(_token, tokens):
            if token is not None:
                wanted.setdefault(f"{kind}:{token}", weight)
    return wanted


# Leaves out the rows (aliased doc) of pages whose last change the index has not heard of
# (search.models.UNWRITTEN_PAGES_SQL).
_WRITTEN = f"AND doc.page_id NOT IN ({UNWRITTEN_PAGES_SQL})"


def _restriction(filters):
    """(SQL, parameters) that keep the rows (aliased doc) whose page passes filters and whose last
    change the index has heard of."""
    if not filters:
        return _WRITTEN, {}
    columns = {name: f"{name}_id" if name in ("kind", "category", "unit") else name for name in filters}
    where = " AND ".join(f"{columns[name]} = %(filter_{name})s" for name in filters)
    parameters = {f"filter_{name}": value for name, value in filters.items()}
    # Column names from FACETS (clean_filters refuses any other), values as parameters.
    passing = f"AND doc.page_id IN (SELECT page_id FROM search_indexedpage WHERE {where})"  # noqa: S608
    return f"{_WRITTEN} {passing}", parameters


def _nth_newest(cursor, source, match, n):
    """The id of the n-th newest page of source that match (a tsquery) finds; 0 if fewer do. For a
    common lexeme the planner walks the primary key backwards and stops there."""
    cursor.execute(
        f"SELECT page_id FROM {source.table} WHERE vector @@ %s::tsquery ORDER BY page_id DESC OFFSET %s LIMIT 1",  # noqa: S608
        [match, n - 1],
    )
    row = cursor.fetchone()
    return row[0] if row else 0


def _lock(cursor):
    """Writers queue here, so two of them never wait on each other's counts in opposite orders."""
    cursor.execute("SELECT source FROM search_fulltext_stats ORDER BY source FOR UPDATE")


def _count(cursor, source, rows, tokens, holders):
    """Adds rows and tokens to the source's totals, and holders (lexeme -> rows) to its lexemes' counts."""
    cursor.execute(
        "UPDATE search_fulltext_stats SET documents = documents + %s, tokens = tokens + %s WHERE source = %s",
        [rows, tokens, source.name],
    )
    changed = sorted(lexeme for lexeme, count in holders.items() if count)
    if not changed:
        return
    cursor.execute(
        "INSERT INTO search_fulltext_term (source, token, documents) "
        "SELECT %s, token, documents FROM unnest(%s::text[], %s::integer[]) AS change(token, documents) "
        "ON CONFLICT (source, token) DO UPDATE SET documents = search_fulltext_term.documents + excluded.documents",
        [source.name, changed, [holders[lexeme] for lexeme in changed]],
    )
    # A token no row holds any more goes: a withdrawn post leaves no word of its own behind.
    cursor.execute(
        "DELETE FROM search_fulltext_term WHERE source = %s AND token = ANY(%s) AND documents <= 0",
        [source.name, changed],
    )


def _positions(source, document):
    """The document's lexemes in the source (lexeme -> positions), and its length in tokens as FTS5 counts it."""
    positions, length = {}, 0
    for number, (attribute, _) in enumerate(source.fields):
        text = getattr(document, attribute)
        occurrences = Counter()
        for kind, tokens in zip(KINDS, (segment.words(text), segment.chars(text), segment.bigrams(text)), strict=True):
            length += len(tokens)
            occurrences.update(f"{kind}:{token}" for token in map(_token, tokens) if token is not None)
        for lexeme, count in occurrences.items():
            kept = positions.setdefault(lexeme, [])
            start = number * FIELD_GAP + 1
            kept.extend(range(start, start + min(count, MAX_POSITIONS - len(kept))))
    return positions, length


def _token(token):
    """token as the index keeps it, or None for one that no query could match.

    SQLite's tokenizer removes diacritics (café finds cafe); so does this. A query is cut at
    segment.MAX_QUERY_CHARS, so a longer token could never be asked for (and a lexeme must stay
    under 2 kB).
    """
    if len(token) > segment.MAX_QUERY_CHARS:
        return None
    if token.isascii() or segment.is_han(token):
        return token
    stripped = "".join(char for char in unicodedata.normalize("NFD", token) if not unicodedata.combining(char))
    return unicodedata.normalize("NFC", stripped) or None


def _quote(lexeme):
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def _tsquery(lexemes):
    """A tsquery for any of lexemes; None if there are none (NULL matches nothing)."""
    return " | ".join(map(_quote, lexemes)) or None


def _tsvector(positions):
    """The tsvector literal of positions (lexeme -> its positions)."""
    return " ".join(f"{_quote(lexeme)}:{','.join(map(str, kept))}" for lexeme, kept in positions.items() if kept)


POSTGRES = PostgresFullText()

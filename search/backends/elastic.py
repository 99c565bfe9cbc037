"""The Elasticsearch 8 backend, through elasticsearch-dsl: one index shared by every web process.

Chinese needs no plugin. The standard tokenizer cuts Han text into single characters, `cjk_width`
folds full-width letters and digits, `lowercase` does the rest and `cjk_bigram` joins neighbouring
characters into bigrams. Every text field (title, body, replies) is analysed into bigrams and keeps
its single characters in a `.chars` sub-field: bigrams decide what matches (热水 must not find every
post with 水 in it), characters help the ranking and carry a query that is one character. The
analyzers are set on each field, never as the index's default (compatible test servers ignore that).

The cluster finds, counts and facets the matches; its best are then put in order by the embedded
backend's scorer (search.ranking), with the document frequencies the cluster counts in the same
request, and highlighted by search.segment: every backend ranks and marks a query alike.

Searches go through an alias (ELASTICSEARCH_INDEX). A rebuild fills a new index while the old one
answers, then moves the alias in one atomic step and deletes the old index. While it fills, the new
index also carries `<alias>_rebuild`, which index() and remove() write to as well, so nothing
published or withdrawn meanwhile is lost. Run one rebuild at a time.

The embedded index is kept up to date too. When the cluster cannot answer (down, too slow, no index
yet), search() and similar() ask the embedded backend instead and search() says so with `degraded`.
index() and remove() write the embedded index all the same, then raise: search.outbox keeps the
change and the tick writes it again once the cluster answers.
"""

import logging
import re
import time
from contextlib import contextmanager, suppress
from dataclasses import replace
from datetime import UTC, datetime

from django.conf import settings
from django.db.models import QuerySet
from elastic_transport import HttpHeaders, Urllib3HttpNode
from elasticsearch import ApiError, Elasticsearch, NotFoundError, TransportError
from elasticsearch_dsl import MultiSearch, Q, Search

from search import ranking, segment, thesaurus
from search.documents import document_for, live_pages
from search.models import unwritten_page_ids
from wall.models import WallPostPage

from . import elastic_index
from .base import (
    FACETS,
    MAX_PER_PAGE,
    FacetValue,
    Hit,
    SearchBackend,
    SearchResults,
    SearchUnavailable,
    at_least_one,
    clean_filters,
    status_label,
)
from .elastic_index import BATCH_SIZE, new_index
from .embedded import EmbeddedBackend
from .fulltext import BODY, REPLIES, SEARCH_TITLE, SEARCH_WEIGHTS, SIMILAR_WEIGHTS, TITLE, with_coord

logger = logging.getLogger(__name__)

# A title says what a post is about more surely than its text; a public reply matching counts for
# less than the question matching, as people search for questions.
SEARCH_FIELDS = {"title": 2.0, "body": 1.0, "replies": 0.5}
# Single characters only help a search's ranking, so that a post with every character of the query
# but not all its bigrams still comes before one with fewer.
SEARCH_CHARS = 0.5
# That query finds the matches, counts them and their facets; its best RERANKED are then put in order
# by the embedded backend's scorer, as the similar box's candidates are (below): BM25 on words,
# characters and bigrams of the question, plus the public replies' on the query's strong tokens, times
# the share of the words typed apart a post holds (search.backends.fulltext.with_coord). Twice the
# embedded backend's pool: the cluster's order only picks candidates, and osmem-server's BM25 (no
# length norm) put the post meant for 在家怎么下载论文 142nd among 5,000 unrelated questions.
RERANKED = 200
# Two people asking the same thing share most characters but often not the same words (怎么弄 /
# 怎么开, 宿舍 / 寝室楼): characters lead, at least 30% of them shared, and bigrams reward the same
# order. Replies are left out: an answer is not a question. Chosen with bench/search_quality.py;
# it ranks better than more_like_this (on characters or bigrams) and the other mixes tried (see
# bench/README.md).
SIMILAR_CHARS = {"title": 1.0, "body": 1.0}
SIMILAR_BIGRAMS = 0.3
SIMILAR_MINIMUM_SHOULD_MATCH = "30%"
# That query only picks candidates: the best SIMILAR_CANDIDATES are put in order in Python by the
# embedded backend's scorer (search.ranking: BM25 on jieba's words, characters and bigrams, times the
# length factor), with the document frequencies the cluster counts in the same request. So every
# backend ranks alike, whatever the server's own BM25 (osmem-server's, in our tests, leaves out the
# average length and damps term frequencies: well below plain BM25 on LCQMC, see bench/README.md).
# Twice the embedded backend's 50, as for the page: that order is weaker than the embedded index's
# pick by the rarer tokens (the post meant for 在家怎么下载论文 was 58th); LCQMC is the same with 50 or 100.
SIMILAR_CANDIDATES = 100
# The average question's length in tokens, for that scorer: over the newest AVERAGE_SAMPLE questions,
# counted again when the wall grew or shrank by a tenth.
AVERAGE_SAMPLE = 1000

MAX_QUERY_CHARS = 300  # a pasted post says what it is about in its first lines
FACET_SIZE = 500  # more values than any facet has
MAX_RESULT_WINDOW = 10_000  # Elasticsearch's default: it refuses from + size beyond this
REBUILD_TIMEOUT = 120.0  # seconds per bulk request, however short ELASTICSEARCH_TIMEOUT is
# After the cluster failed to answer, the embedded backend answers straight away for this many
# seconds: a cluster that is down costs one timeout now and then instead of one per request.
PAUSE_AFTER_FAILURE = 10.0
# A search is run again at most this many times while changes keep committing as it runs (_settled).
SETTLE_TRIES = 3

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_PAIR = re.compile(f"[{_HAN}]{{2}}")
_HAN_CHAR = re.compile(f"[{_HAN}]")
_ALNUM = re.compile(r"[^\W_]")
_VENDOR_MEDIA_TYPE = re.compile(r"application/vnd\.elasticsearch\+([\w-]+)\s*(;\s*compatible-with=\d+)?")


class PlainJsonNode(Urllib3HttpNode):
    """Asks for and sends plain `application/json`, where the 8.x client would use
    `application/vnd.elasticsearch+json; compatible-with=8`.

    Elasticsearch 8 accepts both; OpenSearch-compatible servers (osmem-server in our tests among
    them) refuse the vendor type. So the same client talks to either.
    """

    def perform_request(self, method, target, body=None, headers=None, **kwargs):
        if headers:
            headers = HttpHeaders(headers)
            for name in ("accept", "content-type"):
                if name in headers:
                    headers[name] = _VENDOR_MEDIA_TYPE.sub(r"application/\1", headers[name])
        return super().perform_request(method, target, body=body, headers=headers, **kwargs)


class ElasticsearchBackend(SearchBackend):
    def __init__(self):
        options = {"request_timeout": settings.ELASTICSEARCH_TIMEOUT, "max_retries": 0, "retry_on_timeout": False}
        if settings.ELASTICSEARCH_CA_CERTS:
            options["ca_certs"] = settings.ELASTICSEARCH_CA_CERTS
        self.client = Elasticsearch(settings.ELASTICSEARCH_URL, node_class=PlainJsonNode, **options)
        self.alias = settings.ELASTICSEARCH_INDEX
        self.rebuild_alias = f"{self.alias}_rebuild"
        self.fallback = EmbeddedBackend()
        self._unreachable_until = 0.0
        self._averages = (0, None)  # (questions when counted, (tokens per question, per replies))

    # -- writing -----------------------------------------------------------------------------------

    def index(self, page):
        self.index_many([page])

    def index_many(self, pages):
        with self._fallback_too(self.fallback.index_many, pages):
            live = [page for page in pages if isinstance(page, WallPostPage) and page.live]
            documents = [document_for(page) for page in live]
            for start in range(0, len(documents), BATCH_SIZE):
                batch = documents[start : start + BATCH_SIZE]
                self._write("index", [(d.page_id, elastic_index.source(d)) for d in batch])
            gone = [(page.pk, None) for page in pages if page not in live]
            if gone:
                self._write("delete", gone)

    def remove(self, page_id):
        with self._fallback_too(self.fallback.remove, page_id):
            self._write("delete", [(page_id, None)])

    @contextmanager
    def _fallback_too(self, method, *args):
        """Write to the embedded index (method) first, then the block to the cluster; if either
        failed, raise once they have both been tried: the change stays unwritten (search.outbox)."""
        try:
            method(*args)
        except Exception as error:
            fallback_error = error
        else:
            fallback_error = None
        yield
        if fallback_error is not None:
            raise SearchUnavailable(f"The embedded index was not written: {fallback_error}") from fallback_error

    def writable(self):
        if not self._reachable():
            return False
        try:
            return bool(self.client.ping())
        except (ApiError, TransportError) as error:
            self._failed(error, "answer a ping")
            return False

    def _write(self, action, entries):
        """One action for each (page id, source) on the live index and on the one being rebuilt, if
        any; SearchUnavailable if any of it is not written (search.signals writes it again later)."""
        page_ids = ", ".join(str(page_id) for page_id, _ in entries)
        if not self._reachable():
            raise SearchUnavailable(f"Elasticsearch is unreachable: pages {page_ids} are not updated there yet.")
        targets = (self.alias, self.rebuild_alias)
        operations = []
        for target in targets:
            for page_id, source in entries:
                # require_alias: a write must never create an index with a guessed mapping.
                meta = {"_index": target, "_id": str(page_id)} | ({"require_alias": True} if action == "index" else {})
                operations += [{action: meta}] if source is None else [{action: meta}, source]
        try:
            items = self.client.bulk(operations=operations)["items"]
            # Searches see the change before it is marked written (search.outbox). The index in use
            # only: one being rebuilt does not refresh until filled, and refresh=wait_for would wait.
            self.client.indices.refresh(index=self.alias)
        except (ApiError, TransportError) as error:
            self._failed(error, f"update page {page_ids}")
            raise SearchUnavailable(f"Elasticsearch did not update pages {page_ids}: {error}") from error
        writes = [(target, page_id) for target in targets for page_id, _ in entries]
        failed = []
        for (target, page_id), item in zip(writes, items, strict=True):
            error = next(iter(item.values())).get("error")
            missing = error and error.get("type") == "index_not_found_exception"
            if error and not (missing and target == self.rebuild_alias):  # no rebuild running: fine
                failed.append(f"page {page_id} in {target}: {error}")
        if failed:
            raise SearchUnavailable(f"Elasticsearch could not {action} " + "; ".join(failed))

    def rebuild(self, pages=None, progress=None, on_filled=None):
        pages = live_pages() if pages is None else pages
        if not isinstance(pages, QuerySet | list | tuple):
            pages = list(pages)  # read twice: for Elasticsearch, then for the embedded index
        count = self._replace(elastic_index.documents(pages), progress, on_filled)
        self._quietly(self.fallback.rebuild, pages)
        return count

    def _replace(self, documents, progress=None, on_filled=None):
        """Fill a new index with documents (batches of them), then put it behind the alias, alone."""
        client = self.client.options(request_timeout=max(REBUILD_TIMEOUT, settings.ELASTICSEARCH_TIMEOUT))
        name = f"{self.alias}-{datetime.now(UTC):%Y%m%d%H%M%S%f}"
        try:
            new_index(name, self.rebuild_alias).create(using=client)
            try:
                self._check_alone(client, name)
                count = 0
                for batch in documents:
                    count += elastic_index.bulk(client, name, batch, progress)
                client.indices.put_settings(index=name, settings={"index": {"refresh_interval": None}})
                client.indices.refresh(index=name)
                if on_filled:
                    on_filled()
                self._switch_alias(client, name)
            except BaseException:
                with suppress(ApiError, TransportError):  # a later rebuild deletes it otherwise
                    client.options(ignore_status=404).indices.delete(index=name)
                raise
            old = [index for index in client.indices.get_alias(index=f"{self.alias}-*") if index != name]
            if old:
                client.indices.delete(index=",".join(old))
        except TransportError as error:
            raise SearchUnavailable(f"Elasticsearch cannot be reached: {error}") from error
        return count

    def _check_alone(self, client, name):
        """Two rebuilds at once would each switch the alias to an index missing the other's writes:
        the one that started later (its index has the greater name) gives way."""
        rivals = sorted(client.indices.get_alias(name=self.rebuild_alias))
        if rivals[0] != name:
            raise SearchUnavailable(
                f"Another rebuild is filling {rivals[0]}. Wait for it to finish; if it was killed, "
                f"delete that index and run this again."
            )

    def _switch_alias(self, client, name):
        try:
            current = list(client.indices.get_alias(name=self.alias))
        except NotFoundError:
            current = []
        actions = [{"remove": {"index": index, "alias": self.alias}} for index in current]
        actions += [
            {"remove": {"index": name, "alias": self.rebuild_alias}},
            {"add": {"index": name, "alias": self.alias}},
        ]
        client.indices.update_aliases(actions=actions)

    # -- reading -----------------------------------------------------------------------------------

    def search(self, query, filters=None, page=1, per_page=20):
        return _settled(lambda hidden: self._search_once(query, filters, page, per_page, hidden))

    def similar(self, text, limit=5, exclude_page_id=None):
        return _settled(lambda hidden: self._similar_once(text, limit, exclude_page_id, hidden))

    def _search_once(self, query, filters, page, per_page, hidden):
        filters = clean_filters(filters)
        text = _usable(query)
        if not text:
            return SearchResults(total=0, hits=[], facets={name: [] for name in FACETS})
        if not self._reachable():
            return self._search_embedded(query, filters, page, per_page)
        per_page = min(at_least_one(per_page), MAX_PER_PAGE)
        start = (at_least_one(page) - 1) * per_page
        sets = thesaurus.active_sets()
        terms = thesaurus.expand(segment.query_terms(text), text, sets)
        # The first RERANKED are put in order by our scorer; a page beyond them reads on in the cluster's.
        first, size = (0, max(RERANKED, start + per_page)) if start < RERANKED else (start, per_page)
        search = (
            self._search(hidden)
            .query(_search_query(text, thesaurus.synonyms_of(text, sets)))
            .post_filter(_filtered(filters))
            .extra(track_total_hits=True)
            .extra(**({"from_": first, "size": size} if first + size <= MAX_RESULT_WINDOW else {"size": 0}))
        )
        for name in FACETS:
            _add_facet(search, name, filters)
        # Token counts are for our scorer: a page beyond the re-ranked ones asks for none.
        counted = terms if start < RERANKED else segment.Terms((), (), ())
        try:
            response, holders, total = self._with_counts(search, counted)
            question_length, reply_length = self._average_lengths(total)
        except (ApiError, TransportError) as error:
            self._failed(error, "search")
            return self._search_embedded(query, filters, page, per_page)
        hits = response["hits"]["hits"]
        if start < RERANKED:
            idfs = ranking.token_idfs(terms, holders, total, SEARCH_WEIGHTS, (SEARCH_TITLE, BODY))
            question = ranking.scorer(terms, idfs, SEARCH_WEIGHTS, (SEARCH_TITLE, BODY), question_length)
            # Replies on the query's strong tokens, as the embedded backend's reply index is searched.
            replies = ranking.scorer(terms.strong, idfs, SEARCH_WEIGHTS, (1.0,), reply_length)
            parts = thesaurus.parts_typed_apart(text, sets)
            hits = _reranked(hits, question, replies, parts)[start : start + per_page]
        return SearchResults(
            total=response["hits"]["total"]["value"],
            hits=[_hit(hit, terms) for hit in hits],
            facets={name: _facet_values(name, response["aggregations"][name]) for name in FACETS},
        )

    def _similar_once(self, text, limit, exclude_page_id, hidden):
        cleaned = _usable(text)
        if not cleaned:
            return []
        if not self._reachable():
            return self._similar_embedded(text, limit, exclude_page_id)
        limit = min(at_least_one(limit), MAX_PER_PAGE)
        sets = thesaurus.active_sets()
        terms = thesaurus.expand(segment.query_terms(cleaned), cleaned, sets)
        query = _similar_query(cleaned, thesaurus.synonyms_of(cleaned, sets))
        candidates = self._search(hidden).query(query).extra(size=max(limit, SIMILAR_CANDIDATES))
        if isinstance(exclude_page_id, int):
            candidates = candidates.exclude("ids", values=[str(exclude_page_id)])
        try:
            response, holders, total = self._with_counts(candidates, terms)
            question_length, _ = self._average_lengths(total)
        except (ApiError, TransportError) as error:
            self._failed(error, "find similar posts")
            return self._similar_embedded(text, limit, exclude_page_id)
        idfs = ranking.token_idfs(terms, holders, total, SIMILAR_WEIGHTS, (TITLE, BODY))
        score = ranking.scorer(terms, idfs, SIMILAR_WEIGHTS, (TITLE, BODY), question_length)
        hits = response["hits"]["hits"]
        for hit in hits:
            columns = _question_columns(hit)
            hit["_score"] = ranking.length_ratio(terms.chars, columns[1].split()) * score(columns)
        hits.sort(key=lambda hit: (-hit["_score"], -_page_id(hit)))
        return [_hit(hit, terms) for hit in hits[:limit]]

    def _with_counts(self, search, terms):
        """search's response, {token: how many questions hold it} for the tokens of terms, and how
        many questions there are: the document frequencies our scorer needs, in the same request."""
        tokens = _token_kinds(terms)
        searches = MultiSearch(using=self.client, index=self.alias).add(search)
        for holding in [*(_holding(token, kind) for token, kind in tokens.items()), Q("match_all")]:
            searches = searches.add(Search().query(holding).extra(size=0, track_total_hits=True))
        found, *held, everything = searches.execute()
        holders = {token: count.hits.total.value for token, count in zip(tokens, held, strict=True)}
        return found.to_dict(), holders, everything.hits.total.value

    def _average_lengths(self, total):
        """Tokens per question and per post's public replies (those with any), as the embedded
        index counts them, over the newest AVERAGE_SAMPLE; counted again when the wall grew or
        shrank by a tenth."""
        counted_at, averages = self._averages
        if averages is None or abs(total - counted_at) > total / 10:
            sample = Search(using=self.client, index=self.alias).sort({"page_id": "desc"})
            sample = sample.source(["title", "body", "replies"]).extra(size=AVERAGE_SAMPLE)
            hits = sample.execute().to_dict()["hits"]["hits"]
            questions = [_length(_question_columns(hit)) for hit in hits]
            replies = [_length(_reply_columns(hit)) for hit in hits if hit["_source"]["replies"]]
            averages = tuple(sum(lengths) / max(len(lengths), 1) for lengths in (questions, replies))
            self._averages = (total, averages)
        return averages

    def top_terms(self, first, last, unit_id=None, limit=30):
        """A terms aggregation over the topic words stored with each document (see _source)."""
        if not self._reachable():
            return None
        period = [Q("range", posted_on={"gte": first.isoformat(), "lte": last.isoformat()})]
        if unit_id is not None:
            period.append(Q("term", unit=unit_id))
        search = Search(using=self.client, index=self.alias).query(Q("bool", filter=period)).extra(size=0)
        search.aggs.bucket("topics", "terms", field="topics", size=limit)
        try:
            response = search.execute().to_dict()
        except (ApiError, TransportError) as error:
            self._failed(error, "count hot topics")
            return None
        return [(bucket["key"], bucket["doc_count"]) for bucket in response["aggregations"]["topics"]["buckets"]]

    def _search(self, hidden):
        # Ties (the same text twice) newest first, as on the embedded backend; only what a hit is
        # scored and shown with comes back. The pages hidden (see _settled) are left out.
        search = Search(using=self.client, index=self.alias).sort("_score", {"page_id": "desc"})
        if hidden:
            search = search.exclude("ids", values=[str(page_id) for page_id in hidden])
        return search.source(["page_id", "title", "body", "replies", "url", "status"]).extra(track_scores=True)

    # -- when the cluster cannot answer ------------------------------------------------------------

    def _reachable(self):
        return time.monotonic() >= self._unreachable_until

    def _failed(self, error, action):
        if isinstance(error, TransportError):  # no connection, or no answer in time
            self._unreachable_until = time.monotonic() + PAUSE_AFTER_FAILURE
            logger.warning("Elasticsearch is unreachable (%s); the embedded index answers for now.", error)
        elif isinstance(error, NotFoundError):
            logger.warning("Elasticsearch has no index %r: run `manage.py rebuild_search_index`.", self.alias)
        else:
            logger.error("Elasticsearch refused to %s: %s", action, error)

    def _search_embedded(self, query, filters, page, per_page):
        results = self._quietly(self.fallback.search, query, filters=filters, page=page, per_page=per_page)
        return replace(results or SearchResults(total=0, hits=[], facets={name: [] for name in FACETS}), degraded=True)

    def _similar_embedded(self, text, limit, exclude_page_id):
        return self._quietly(self.fallback.similar, text, limit=limit, exclude_page_id=exclude_page_id) or []

    def _quietly(self, method, *args, **kwargs):
        # The embedded index is only the fallback: it failing must not stop the cluster's index from
        # being used or kept up to date, nor turn a search into an error page.
        try:
            return method(*args, **kwargs)
        except Exception:
            logger.warning("The embedded search backend failed in %s().", method.__name__, exc_info=True)
            return None


# -- queries ---------------------------------------------------------------------------------------


def _settled(run):
    """run(hidden), hidden being the pages whose change the cluster has not heard of yet, whose copy
    there may hold what an editor took away (search.outbox); run again if a change committed while
    it ran, as the cluster's copy of that page may have matched. (The embedded index leaves them out
    in the statement that searches.)"""
    hidden = set(unwritten_page_ids())
    for _ in range(SETTLE_TRIES):
        result = run(hidden)
        now = set(unwritten_page_ids())
        if now <= hidden:
            break
        hidden = now
    return result


def _usable(text):
    """text cut to length, or "" if it has nothing a tokenizer keeps (only punctuation or emoji)."""
    text = str(text or "")[:MAX_QUERY_CHARS]
    return text if _ALNUM.search(text) else ""


def _has_strong_tokens(text):
    """Does text have a bigram or a word that is not Chinese? Otherwise only its characters can match."""
    return bool(_HAN_PAIR.search(text) or _ALNUM.search(_HAN_CHAR.sub(" ", text)))


def _chars(fields):
    return {f"{name}.chars": weight for name, weight in fields.items()}


def _matching(text, fields, **kwargs):
    return Q("multi_match", query=text, type="most_fields", fields=[f"{n}^{w}" for n, w in fields.items()], **kwargs)


def _search_query(text, synonyms=()):
    """Bigrams (of the text, or of a synonym from the campus thesaurus) decide what matches; characters
    help the ranking. The thesaurus is applied here, at query time: an edit needs no reindex."""
    strong = [_matching(text, SEARCH_FIELDS)] if _has_strong_tokens(text) else []
    strong += [_matching(synonym, SEARCH_FIELDS) for synonym in synonyms]
    if not strong:
        return _matching(text, _chars(SEARCH_FIELDS))
    return Q(
        "bool",
        must=[Q("bool", should=strong, minimum_should_match=1)],
        should=[_matching(text, _chars(SEARCH_FIELDS), boost=SEARCH_CHARS)],
    )


def _similar_query(text, synonyms=()):
    """Characters lead (at least 30% shared); a post that says a thesaurus synonym instead (老鼠 for
    耗子) matches through the synonym's bigrams."""
    chars = _matching(text, _chars(SIMILAR_CHARS), minimum_should_match=SIMILAR_MINIMUM_SHOULD_MATCH)
    alike = [_matching(synonym, SIMILAR_CHARS) for synonym in synonyms]
    if alike:
        chars = Q("bool", should=[chars, *alike], minimum_should_match=1)
    if not _has_strong_tokens(text):
        return chars
    return Q("bool", must=[chars], should=[_matching(text, SIMILAR_CHARS, boost=SIMILAR_BIGRAMS)])


def _page_id(hit):
    return hit["_source"]["page_id"]


def _text(hit):
    source = hit["_source"]
    return "\n".join([source["title"], source["body"], *source["replies"]])


def _hit(hit, terms):
    source = hit["_source"]
    text = "\n".join([source["body"], *source["replies"]])
    return Hit(
        page_id=source["page_id"],
        score=hit["_score"] or 0.0,
        url=source["url"],
        title=source["title"],
        status=source["status"],
        text=text,
        terms=terms,
    )


def _reranked(hits, question, replies, parts):
    """hits (the search page's, in the cluster's order) with the first RERANKED scored again as the
    embedded backend scores its candidates (question and replies: ranking.scorer()s), best first."""
    rows = []
    for number, hit in enumerate(hits):
        score = hit["_score"]
        if number < RERANKED:
            score = question(_question_columns(hit))
            if hit["_source"]["replies"]:
                score += REPLIES * replies(_reply_columns(hit))
        row = {"id": _page_id(hit), "score": score, "reranked": number < RERANKED, "text": _text(hit), "hit": hit}
        rows.append(row)
    return [{**row["hit"], "_score": row["score"]} for row in with_coord(rows, parts)]


def _question_columns(hit):
    return ranking.question_columns(hit["_source"]["title"], hit["_source"]["body"])


def _reply_columns(hit):
    return ranking.columns("\n".join(hit["_source"]["replies"]))


def _length(columns):
    return sum(len(column.split()) for column in columns)


def _token_kinds(terms):
    """{token: "words", "chars" or "bigrams"} of terms (segment.Terms), each token once."""
    tokens = {}
    for kind in ("words", "chars", "bigrams"):
        for token in getattr(terms, kind):
            tokens.setdefault(token, kind)
    return tokens


def _holding(token, kind):
    """The questions holding a token in their title or text, as the embedded index counts them: a
    bigram (or a word of two characters) in the bigram fields, a character in the `.chars` ones, a
    longer word as a phrase of its characters."""
    if kind == "bigrams" or (len(token) == 2 and segment.is_han(token)):
        fields = ("title", "body")
    else:
        fields = ("title.chars", "body.chars")
    kind = "term" if fields[0] == "title" or len(token) == 1 else "match_phrase"
    return Q("bool", should=[Q(kind, **{field: token}) for field in fields], minimum_should_match=1)


def _filtered(filters):
    return Q("bool", filter=[Q("term", **{name: value}) for name, value in filters.items()])


def _add_facet(search, name, filters):
    """Counts per value of one facet over the matches that pass every filter but its own.

    The filters themselves are a post_filter, so they narrow the hits but not these counts.
    """
    others = {key: value for key, value in filters.items() if key != name}
    values = search.aggs.bucket(name, "filter", filter=_filtered(others)).bucket(
        "values", "terms", field=name, size=FACET_SIZE
    )
    if name in ("kind", "category", "unit"):
        values.bucket("label", "terms", field=f"{name}_name", size=1)


def _facet_values(name, aggregation):
    values = [
        FacetValue(bucket["key"], _label(name, bucket), bucket["doc_count"])
        for bucket in aggregation["values"]["buckets"]
    ]
    return sorted(values, key=lambda facet: (-facet.count, str(facet.label)))


def _label(name, bucket):
    value = bucket["key"]
    if name == "status":
        return status_label(value)
    labels = bucket.get("label", {}).get("buckets", [])
    return labels[0]["key"] if labels else str(value)

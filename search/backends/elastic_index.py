"""The Elasticsearch index: its analyzers, its strict mapping and the documents written to it."""

from elasticsearch import helpers
from elasticsearch_dsl import Date, Index, Integer, Keyword, Mapping, Text, analyzer

from search import topics
from search.documents import document_for
from wall.models import WallPostPage

BATCH_SIZE = 500
_BIGRAMS = analyzer("echowall_bigrams", tokenizer="standard", filter=["cjk_width", "lowercase", "cjk_bigram"])
_CHARS = analyzer("echowall_chars", tokenizer="standard", filter=["cjk_width", "lowercase"])


def _text_field():
    return Text(analyzer=_BIGRAMS, fields={"chars": Text(analyzer=_CHARS)})


def mapping():
    mapping = Mapping()
    mapping.meta("dynamic", "strict")  # a field document_for() does not make is refused, not guessed
    mapping.field("page_id", Integer())
    for name in ("title", "body", "replies"):
        mapping.field(name, _text_field())
    for name in ("kind", "category", "unit"):
        mapping.field(name, Integer())
        mapping.field(f"{name}_name", Keyword())
    mapping.field("status", Keyword())
    mapping.field("year", Integer())
    mapping.field("posted_on", Date())
    mapping.field("topics", Keyword())  # the words hot topics count (search.topics.topics)
    mapping.field("url", Keyword(index=False))
    return mapping


def new_index(name, rebuild_alias):
    index = Index(name)
    # One shard: a wall's posts fit in one, and term statistics (so scores) are then exact.
    # No refreshes while it is filled; rebuild() turns them back on.
    index.settings(number_of_shards=1, refresh_interval="-1")
    index.aliases(**{rebuild_alias: {}})
    index.mapping(mapping())
    return index


def source(document):
    """The indexed fields: those of search.documents.Document, which holds only what is public."""
    return {
        "page_id": document.page_id,
        "title": document.title,
        "body": document.body,
        "replies": list(document.replies),
        "kind": document.kind_id,
        "kind_name": document.kind_name,
        "category": document.category_id,
        "category_name": document.category_name,
        "unit": document.unit_id,
        "unit_name": document.unit_name,
        "status": document.status,
        "year": document.year,
        "posted_on": document.posted_on.isoformat() if document.posted_on else None,
        "topics": sorted(topics.topics(f"{document.title} {document.body}")),
        "url": document.url,
    }


def documents(pages):
    """Batches of the documents of pages' live wall pages."""
    batch = []
    for page in pages.iterator(chunk_size=BATCH_SIZE) if hasattr(pages, "iterator") else pages:
        if isinstance(page, WallPostPage) and page.live:
            batch.append(document_for(page))
        if len(batch) == BATCH_SIZE:
            yield batch
            batch = []
    if batch:
        yield batch


def bulk(client, name, documents, progress):
    helpers.bulk(client, ({"_index": name, "_id": str(d.page_id), "_source": source(d)} for d in documents))
    if progress:
        progress(len(documents))
    return len(documents)

"""The interface every search backend implements, and what it answers with.

The wall's search page, the similar-posts API and the index signals use only this. A backend indexes
documents built by `search.documents.document_for(page)` — live wall pages, the public projections of
cases — and nothing else. Queries are whatever a visitor typed: a backend must never raise on them.
"""

from dataclasses import dataclass, field
from functools import cached_property

from cases.models import Post
from search import segment

FACETS = ("kind", "category", "unit", "status", "year")
MAX_PER_PAGE = 100


@dataclass(frozen=True)
class Hit:
    page_id: int
    score: float
    url: str
    title: str
    status: str
    text: str = field(default="", repr=False)  # the question's text and its public replies
    terms: segment.Terms = field(default=segment.Terms((), (), ()), repr=False)  # what the query matched on
    alike: tuple = ()  # the pages of near-identical posts shown as this one (search.grouping)

    # Marked when shown, not when found: a backend finds more hits than a visitor sees.
    @cached_property
    def title_html(self):
        """The title, HTML-escaped, with the query's matches in <mark>."""
        return segment.highlight(self.title, self.terms)

    @cached_property
    def excerpt_html(self):
        """The best passage of the text, likewise."""
        return segment.excerpt(self.text, self.terms)


@dataclass(frozen=True)
class FacetValue:
    value: int | str  # an id for kind, category and unit; the status value; the year
    label: str
    count: int


@dataclass(frozen=True)
class SearchResults:
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)  # by name in FACETS, most frequent first
    # True when the configured backend could not answer and a simpler one did: the page says so.
    degraded: bool = False
    # True when more posts match than were ranked: the pages then show the best `ranked` of the total.
    capped: bool = False
    ranked: int = 0
    # True when even more posts match than total says: it was counted no further.
    more: bool = False


class SearchUnavailable(Exception):
    """The search service cannot be reached, or refused a write; raised by the writing methods, never
    by search() or similar()."""


def at_least_one(value):
    """value as an int of at least 1 (a page number or a limit from a query string); 1 if it is none."""
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 1


def status_label(value):
    """The status facet's label: the wall's name for a status, or the value if it is not one."""
    return Post.Status(value).label if value in Post.Status.values else value


def clean_filters(filters):
    """filters with ids and years as ints; values that are empty or cannot be one are left out.

    They come straight from a query string, so a bad one is ignored rather than an error.
    """
    cleaned = {}
    for name, value in (filters or {}).items():
        if name not in FACETS:
            raise ValueError(f"Unknown search filter {name!r}; use one of {', '.join(FACETS)}.")
        if value is None or value == "":
            continue
        if name == "status":
            cleaned[name] = str(value)
            continue
        try:
            cleaned[name] = int(value)
        except (TypeError, ValueError):
            continue
    return cleaned


class SearchBackend:
    """Extension point: subclass and implement every method; select it with ECHOWALL_SEARCH_BACKEND.

    A write that fails raises (SearchUnavailable, or the database's error): search.outbox keeps the
    change and writes it again. A search leaves out the pages whose change is still unwritten
    (search.models.unwritten_page_ids).
    """

    def writable(self):
        """Whether a write may succeed now: the tick does not try while it cannot."""
        return True

    def index(self, page):
        """Add or replace page's document; a page that is not live is removed instead."""
        raise NotImplementedError

    def index_many(self, pages):
        """index() each of pages (a bulk publish); override to write them in fewer round trips."""
        for page in pages:
            self.index(page)

    def remove(self, page_id):
        """Forget the page; nothing happens if it was never indexed."""
        raise NotImplementedError

    def rebuild(self, pages=None, progress=None, on_filled=None):
        """Replace the whole index with pages (default: every live wall page).

        progress, if given, is called with the number of pages just written, for a progress bar;
        on_filled, once the new index is filled and before it answers searches. Returns how many
        pages were indexed.
        """
        raise NotImplementedError

    def search(self, query, filters=None, page=1, per_page=20):
        """SearchResults for query, best first, with filters (a dict over FACETS) applied.

        Facets are counted over the matching set with every other filter applied, so a visitor
        who picked one category still sees how many matches the others have.
        """
        raise NotImplementedError

    def similar(self, text, limit=5, exclude_page_id=None):
        """Hits for the posts that ask most nearly what text asks, best first."""
        raise NotImplementedError

    def top_terms(self, first, last, unit_id=None, limit=30):
        """[(word, published posts it is in)] of the posts put on the wall on the local days
        first..last, the commonest first; None if this backend does not count them itself (the
        hot topics page then counts them from the posts)."""
        return None

from collections import defaultdict
from dataclasses import replace
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import render

from cases.models import Post
from cases.params import parse_id, parse_page, parse_text
from search.backends import get_backend
from search.grouping import grouped
from wall.models import WallPostPage, WallPostReply
from wall.pagecache import cacheable

PAGE_SIZE = 20
# The similar box shows this much of a post's answer: one line on a phone, more on a wide screen.
ANSWER_CHARS = 80
FILTERS = ("kind", "category", "unit", "status", "year")


def on_the_wall(hits, pages=None):
    """The hits whose wall page is live, in their order, each with the title, status and text
    its page has now: the one way a visitor sees search hits.

    The index lags the wall — a task's delay, Elasticsearch's refresh, a write waiting to be
    retried — so a post withdrawn or redacted a moment ago may still be found. It is then left out,
    or shown as its page is, never as the index last heard of it. pages: the live pages of hits by
    id (pages_of()), if the caller needs them for more than this.
    """
    if pages is None:
        pages = pages_of(hits, WallPostPage.objects.only("title", "body", "status"))
    replies = defaultdict(list)
    for page_id, body in _public_replies(pages):
        replies[page_id].append(body)
    return [
        replace(hit, title=page.title, status=page.status, text="\n".join([page.body, *replies[hit.page_id]]))
        for hit in hits
        if (page := pages.get(hit.page_id))
    ]


def pages_of(hits, pages=WallPostPage.objects):
    """{page id: page} of the hits' pages that are live."""
    # order_by(): the hits give the order, and sorting by tree path was half the cost of the query.
    return pages.live().order_by().in_bulk([hit.page_id for hit in hits])


def first_answers(page_ids, length=ANSWER_CHARS):
    """{page id: the start of its first public reply} for those of the pages that have one."""
    answers = {}
    for page_id, body in _public_replies(page_ids):
        if page_id not in answers:
            text = " ".join(body.split())
            answers[page_id] = text if len(text) <= length else text[: length - 1] + "…"
    return answers


def _public_replies(page_ids):
    return (
        WallPostReply.objects.filter(page_id__in=list(page_ids))
        .order_by("page_id", "sort_order", "pk")
        .values_list("page_id", "body")
    )


def search(request):
    query = parse_text(request.GET.get("q"))
    filters = _filters(request.GET)
    context = {"query": query, "filters": filters}
    if query:
        page_number = parse_page(request.GET.get("page"))
        results = get_backend().search(query, filters=filters, page=page_number, per_page=PAGE_SIZE)
        pages = pages_of(results.hits, WallPostPage.objects.select_related("kind", "unit"))
        context["results"] = [(hit, pages[hit.page_id]) for hit in grouped(on_the_wall(results.hits, pages))]
        context["total"] = results.total
        context["capped"] = results.capped
        context["ranked"] = results.ranked
        context["more"] = results.more
        context["degraded"] = results.degraded
        context["facets"] = _facet_choices(results.facets, filters, query)
        # A paginator for the page links only; the hits are already this page's.
        # Pages go as far as the ranking does: past the best `ranked`, more words narrow the search.
        listed = results.ranked if results.capped else results.total
        context["page_obj"] = Paginator(range(listed), PAGE_SIZE).get_page(page_number)
    response = render(request, "search/search.html", context)
    # A backup search's answer is not kept: the real one should be back soon.
    return response if context.get("degraded") else cacheable(response)


def _filters(params):
    filters = {}
    for name in FILTERS:
        value = params.get(name, "")
        if name == "status" and value in Post.WALL_STATUSES:
            filters[name] = value
        elif name != "status" and (number := parse_id(value)):
            filters[name] = number  # an id, or the year
    return filters


def _facet_choices(facets, filters, query):
    """Each facet's values with their counts and the link that filters by it (the other filters
    kept), marked when they are the active filter. Links built here: in the template they were a
    third of the page's time."""
    return {
        name: [
            {
                "label": f.label,
                "count": f.count,
                "active": filters.get(name) == f.value,
                "href": "?" + urlencode({"q": query, **filters, name: f.value}),
            }
            for f in values
        ]
        for name, values in facets.items()
    }

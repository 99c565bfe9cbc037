"""Our own JSON API, /api/v1/ (OpenAPI docs at /api/v1/docs). Thin over search; public data only."""

import html

from django.utils.html import strip_tags
from ninja import NinjaAPI, Query, Schema
from pydantic import Field

from search.backends import get_backend
from search.views import hit_pages

api = NinjaAPI(title="Echo Wall API", version="1", urls_namespace="api_v1")

MAX_QUERY_LENGTH = 500


class SimilarQuery(Schema):
    q: str = Field("", description="The text to find similar published posts for, e.g. a title being typed.")
    limit: int = Field(5, ge=1, le=50)


class SimilarPost(Schema):
    id: int
    title: str
    url: str
    score: float
    excerpt: str
    status: str
    status_label: str


class SimilarResults(Schema):
    results: list[SimilarPost]


@api.get("/similar", response=SimilarResults, summary="Published posts similar to a text")
def similar(request, params: Query[SimilarQuery]):
    """Best first; only posts on the public wall. Used by the submit form while the title is typed."""
    text = params.q.strip()[:MAX_QUERY_LENGTH]
    if not text:
        return {"results": []}
    hits = get_backend().similar(text, limit=params.limit)
    return {
        "results": [
            {
                "id": page.pk,
                "title": page.title,
                "url": page.url,
                "score": round(hit.score, 4),
                "excerpt": html.unescape(strip_tags(hit.excerpt_html)),
                "status": page.status,
                "status_label": page.get_status_display(),
            }
            for hit, page in hit_pages(hits)
        ]
    }

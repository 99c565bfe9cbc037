"""Our own JSON API, /api/v1/ (OpenAPI docs at /api/v1/docs). Thin over wall and search.

Public endpoints show live wall pages only (the projections wall.publishing builds from
wall.projection); the tracking token shows its holder their own post; staff endpoints follow
cases.roles, as the admin does. Every refusal is a JSON object with a `detail` message.
"""

import html
import json
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.urls import re_path
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Query, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser
from ninja.renderers import JSONRenderer
from pydantic import Field

from api import v1_poster, v1_posts, v1_staff
from api.ratelimit import RateLimited
from cases.models import Post, TransitionError
from cases.params import parse_text
from search.backends import get_backend
from search.backends.base import status_label
from search.grouping import grouped
from search.views import first_answers, on_the_wall


class ChineseJSONRenderer(JSONRenderer):
    # UTF-8 as it is: half the size of \uXXXX escapes for Chinese text, and readable.
    json_dumps_params = {"ensure_ascii": False}


class NotJSON(Exception):
    pass


class JSONParser(Parser):
    """Bodies are JSON, said so in Content-Type; a form post or plain text is refused (415), not guessed at."""

    def parse_body(self, request):
        if request.content_type != "application/json":
            raise NotJSON
        return json.loads(request.body)


api = NinjaAPI(
    title="Echo Wall API",
    version="1",
    urls_namespace="api_v1",
    renderer=ChineseJSONRenderer(),
    parser=JSONParser(),
)
api.add_router("/", v1_posts.router)
api.add_router("/", v1_poster.router)
api.add_router("/staff", v1_staff.router)


@api.exception_handler(PermissionDenied)
def _permission_denied(request, exc):
    return api.create_response(request, {"detail": str(exc) or _("You may not do this.")}, status=403)


@api.exception_handler(TransitionError)
def _transition_error(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=409)


@api.exception_handler(RateLimited)
def _rate_limited(request, exc):
    return api.create_response(request, {"detail": _("Too many requests; try again later.")}, status=429)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    detail = _("Log in, or send an API key as “Authorization: Bearer …” or “X-Api-Key”.")
    return api.create_response(request, {"detail": detail}, status=401)


@api.exception_handler(HttpError)
def _http_error(request, exc):
    # ninja turns any failure to read a body into one 400 "Cannot parse request body"; its cause says which.
    if isinstance(exc.__cause__, NotJSON):
        detail = _("Send the body as JSON, with “Content-Type: application/json”.")
        return api.create_response(request, {"detail": detail}, status=415)
    if isinstance(exc.__cause__, ValueError):  # json.JSONDecodeError, UnicodeDecodeError
        detail = _("The body is not valid JSON: %(error)s") % {"error": exc.__cause__}
        return api.create_response(request, {"detail": detail}, status=400)
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


def _field_name(loc):
    # ("body", "data", "title") is the body's field title; ("query", "limit") and ("path", "post_id") as they are.
    parts = loc[2:] if loc[0] == "body" else loc[1:]
    return ".".join(str(part) for part in parts) or _("the request body")


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    # One message, as for every other refusal, in the form "field: what is wrong; field: …".
    detail = "; ".join(f"{_field_name(error['loc'])}: {error['msg']}" for error in exc.errors)
    return api.create_response(request, {"detail": detail}, status=422)


def _json_405(view):
    # ninja answers a method the path lacks in plain text; a refusal from this API is always JSON.
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            detail = _("Method %(method)s is not allowed here.") % {"method": request.method}
            refusal = api.create_response(request, {"detail": detail}, status=405)
            refusal["Allow"] = response["Allow"]
            return refusal
        return response

    return wrapped


def _not_found(request, path):
    detail = _("There is no %(path)s in this API; see /api/v1/docs.") % {"path": f"/api/v1/{path}"}
    return api.create_response(request, {"detail": detail}, status=404)


def urls():
    """The API's URL patterns, with every refusal in JSON: a wrong method, and an unknown path (no
    redirect to a trailing slash, no HTML page)."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback = _json_405(pattern.callback)
    return [*patterns, re_path(r"^(?P<path>.*)$", _not_found)], app_name, namespace


# -- similar -------------------------------------------------------------------------------------


# similar() asks the backend for this many times the posts it returns, as near-identical ones merge.
ALIKE_MARGIN = 3


class SimilarQuery(Schema):
    q: str = Field("", description="The text to find similar published posts for, e.g. a title being typed.")
    limit: int = Field(5, ge=1, le=50)


class SimilarPost(Schema):
    id: int = Field(description="The wall page's id (not the post's number).")
    title: str
    url: str
    score: float
    excerpt: str
    status: str
    status_label: str
    answered: bool = Field(description="A unit has replied to it: its answer may already be the visitor's.")
    alike: int = Field(0, description="How many near-identical posts this one stands for besides itself.")
    answer: str = Field("", description="The start of its first public reply, if it has one.")


class SimilarResults(Schema):
    results: list[SimilarPost]


@api.get("/similar", response=SimilarResults, summary="Published posts similar to a text")
def similar(request, params: Query[SimilarQuery]):
    """Best first; only posts on the public wall. Used by the submit form while the title is typed."""
    text = parse_text(params.q)  # cut, not refused: the submit form sends whatever title is being typed
    if not text:
        return {"results": []}
    # Near-identical posts come as one (search.grouping): ask for more, so that `limit` remain.
    hits = grouped(on_the_wall(get_backend().similar(text, limit=params.limit * ALIKE_MARGIN)))[: params.limit]
    answers = first_answers(hit.page_id for hit in hits)
    return {
        "results": [
            {
                "id": hit.page_id,
                "title": hit.title,
                "url": hit.url,
                "score": round(hit.score, 4),
                "excerpt": html.unescape(strip_tags(hit.excerpt_html)),
                "status": hit.status,
                "status_label": str(status_label(hit.status)),
                "answered": hit.status in Post.ANSWERED,
                "alike": len(hit.alike),
                "answer": answers.get(hit.page_id, ""),
            }
            for hit in hits
        ]
    }

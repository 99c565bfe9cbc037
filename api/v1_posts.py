"""/api/v1/posts: the public wall (live wall pages only), and making a post."""

from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from api.auth import KEY_OR_SESSION, calling_client
from api.models import ApiKey, ApiSubmission
from api.posting import create_post
from api.public import only_public, public_posts
from api.ratelimit import check_write
from api.schemas import WRITE_ERRORS, CreatedOut, Error, Id, PostIn, PostPage, PublicPostOut
from cases.models import Kind, Post
from cases.params import MAX_PAGE, MAX_QUERY_LENGTH, parse_text
from search.backends import get_backend

router = Router(tags=["posts"])


def public_post_out(request, post):
    page = post.page
    replies = sorted(page.public_replies.all(), key=lambda reply: reply.replied_at)
    return {
        "id": post.pk,
        "url": request.build_absolute_uri(page.url),
        "title": page.title,
        "body": page.body,
        "kind": page.kind.name if page.kind else None,
        "category": page.category.name if page.category else None,
        "unit": page.unit.name if page.unit else None,
        "status": page.status,
        "status_label": page.get_status_display(),
        "posted_at": page.posted_at,
        "replied_at": page.replied_at,
        "replies": [{"unit": r.unit_name, "body": r.body, "replied_at": r.replied_at} for r in replies],
        "photos": [request.build_absolute_uri(reverse("wall:photo", args=[pk])) for pk in page.photo_ids],
    }


class PostQuery(Schema):
    q: str = Field("", description="Search words; without them, newest first.", max_length=MAX_QUERY_LENGTH)
    kind: Id | None = Field(None, description="A kind's id.")
    category: Id | None = None
    unit: Id | None = None
    status: Post.Status | None = None
    page: int = Field(1, ge=1, le=MAX_PAGE)
    per_page: int = Field(20, ge=1, le=100)


def _filters(params):
    return {name: getattr(params, name) for name in ("kind", "category", "unit", "status") if getattr(params, name)}


def _searched(params):
    query, filters = parse_text(params.q), _filters(params)
    results = get_backend().search(query, filters=filters, page=params.page, per_page=params.per_page)
    page_ids = [hit.page_id for hit in results.hits]
    by_page = {post.page_id: post for post in only_public(public_posts().filter(page_id__in=page_ids))}
    return results.total, [by_page[pk] for pk in page_ids if pk in by_page]


def _listed(params):
    posts = public_posts()
    for name, value in _filters(params).items():
        posts = posts.filter(**{f"page__{name}": value} if name == "status" else {f"page__{name}_id": value})
    start = (params.page - 1) * params.per_page
    return posts.count(), only_public(posts[start : start + params.per_page])


@router.get("/posts", response=PostPage, summary="Public posts: newest first, or searched")
def list_posts(request, params: Query[PostQuery]):
    total, posts = _searched(params) if parse_text(params.q) else _listed(params)
    return {
        "count": total,
        "page": params.page,
        "per_page": params.per_page,
        "results": [public_post_out(request, post) for post in posts],
    }


@router.get("/posts/{post_id}", response={200: PublicPostOut, 404: Error}, summary="One public post")
def read_post(request, post_id: Id):
    """Only a post on the public wall; any other answers 404, whether it exists or not."""
    posts = only_public(public_posts().filter(pk=post_id))
    if not posts:
        return Status(404, {"detail": _("There is no public post with this number.")})
    return public_post_out(request, posts[0])


# The form's field names that PostIn spells otherwise, so a message names what the client sent.
API_NAMES = {"requested_unit": "unit", "is_anonymous": "anonymous"}


def _form_error(errors):
    return "; ".join(
        f"{API_NAMES.get(field, field)}: {message}" for field, messages in errors.items() for message in messages
    )


@router.post("/posts", response={201: CreatedOut, **WRITE_ERRORS}, auth=KEY_OR_SESSION, summary="Make a post")
def make_post(request, data: PostIn):
    """As on the web: it waits for screening; without a login it is anonymous; contact details reach the
    editors only; it goes on the wall only if `wants_public` and an editor publishes it."""
    client = calling_client(request)
    check_write(request, client)
    user = AnonymousUser() if isinstance(request.auth, ApiKey) else request.auth
    kind = Kind.objects.filter(slug=data.kind).first()
    if kind is None:
        return Status(422, {"detail": _("kind: there is no kind %(slug)s.") % {"slug": data.kind}})
    fields = {
        "kind": kind.pk,
        "category": data.category,
        "requested_unit": data.unit,
        "title": data.title,
        "body": data.body,
        "wants_public": data.wants_public,
        "is_anonymous": data.anonymous,
        "contact_name": data.contact_name,
        "contact_phone": data.contact_phone,
        "contact_email": data.contact_email,
    }
    post, errors = create_post(user, fields, Post.Channel.API)
    if errors:
        return Status(422, {"detail": _form_error(errors)})
    if client:
        ApiSubmission.objects.create(post=post, client=client)
    track_url = request.build_absolute_uri(reverse("wall:track", args=[post.tracking_token]))
    return Status(
        201,
        {
            "id": post.pk,
            "status": post.status,
            "tracking_token": post.tracking_token,
            "tracking_code": post.tracking_code,
            "tracking_url": track_url,
        },
    )

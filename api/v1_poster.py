"""/api/v1/track/: a poster follows their own post by its tracking token."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Router

from api.ratelimit import check_write
from api.schemas import WRITE_ERRORS, Error, FollowUpIn, RatingIn, ReasonIn, TrackedPostOut
from cases.models import Post
from cases.params import parse_slug

router = Router(tags=["posters"])


def _tracked(request, token):
    if parse_slug(token) is None:
        raise Http404
    return get_object_or_404(Post.objects.select_related("kind", "category", "unit", "page"), tracking_token=token)


def tracked_post_out(request, post):
    page_url = request.build_absolute_uri(post.page.url) if post.page and post.page.live else None
    return {
        "id": post.pk,
        "tracking_code": post.tracking_code,
        "title": post.title,
        "body": post.body,
        "kind": post.kind.name,
        "category": post.category.name,
        "unit": post.unit.name if post.unit else None,
        "status": post.status,
        "status_label": post.get_status_display(),
        "reject_reason": post.reject_reason,
        "posted_at": post.created_at,
        "promised_reply_at": post.promised_reply_at,
        "on_wall_url": page_url,
        "replies": [
            {
                "unit": reply.unit.name if reply.unit else "",
                "body": reply.body,
                "is_public": reply.is_public,
                "cannot_solve": reply.cannot_solve,
                "solve_by": reply.solve_by,
                "round": reply.round,
                "replied_at": reply.created_at,
            }
            for reply in post.replies.select_related("unit")
        ],
        "follow_ups": [{"body": f.body, "created_at": f.created_at} for f in post.follow_ups.all()],
        "can_rate": post.can_rate(),
    }


@router.get("/track/{token}", response={200: TrackedPostOut, 404: Error}, summary="My post, by its tracking token")
def track(request, token: str):
    """Everything addressed to the poster: status, every reply (private ones too), their follow-ups."""
    return tracked_post_out(request, _tracked(request, token))


def _poster_action(request, token, act):
    check_write(request)
    post = _tracked(request, token)
    act(post)
    return tracked_post_out(request, _tracked(request, token))


@router.post("/track/{token}/rate", response={200: TrackedPostOut, **WRITE_ERRORS}, summary="Rate the reply round")
def rate(request, token: str, data: RatingIn):
    """Attitude, speed and result from 1 to 5, once per reply round; a low result reopens the post."""
    return _poster_action(request, token, lambda post: post.rate(data.attitude, data.speed, data.result, data.comment))


@router.post("/track/{token}/reopen", response={200: TrackedPostOut, **WRITE_ERRORS}, summary="Reopen my post")
def reopen(request, token: str, data: ReasonIn):
    return _poster_action(request, token, lambda post: post.reopen(data.reason))


@router.post("/track/{token}/follow-ups", response={200: TrackedPostOut, **WRITE_ERRORS}, summary="Add to my post")
def follow_up(request, token: str, data: FollowUpIn):
    return _poster_action(request, token, lambda post: post.add_follow_up(data.body))

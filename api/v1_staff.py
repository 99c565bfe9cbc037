"""/api/v1/staff/: a handler's queue and replies, with the admin's rules (cases.roles, the Post methods)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Status

from api.auth import KEY_OR_SESSION, acting_user, calling_client
from api.ratelimit import check_write
from api.schemas import Error, Id, QueueItemOut, ReplyIn, ReplyOut
from cases import roles
from cases.models import Post

router = Router(tags=["staff"], auth=KEY_OR_SESSION)


def _staff_user(request):
    user = acting_user(request)
    if not user.is_authenticated:
        raise PermissionDenied(_("This key acts for no staff member; use a personal key or log in."))
    return user


@router.get("/queue", response={200: list[QueueItemOut], 401: Error, 403: Error}, summary="My units' unreplied posts")
def queue(request):
    """本单位未回复: posts led or co-handled by my units that wait for a reply, oldest deadline first."""
    user = _staff_user(request)
    if not roles.handles_any_unit(user):
        raise PermissionDenied(_("Only a unit's handlers have a queue."))
    posts = Post.objects.handled_by(user).awaiting_reply().select_related("kind", "category", "unit")
    return [
        {
            "id": post.pk,
            "title": post.title,
            "body": post.body,
            "kind": post.kind.name,
            "category": post.category.name,
            "unit": post.unit.name if post.unit else None,
            "status": post.status,
            "status_label": post.get_status_display(),
            "co_handling": post.co_handling,
            "is_anonymous": post.is_anonymous,
            "posted_at": post.created_at,
            "reply_due_at": post.reply_due_at,
            "resolution_due_at": post.resolution_due_at,
            "is_overdue": post.is_overdue,
        }
        for post in posts
    ]


@router.post(
    "/posts/{post_id}/reply",
    response={201: ReplyOut, 401: Error, 403: Error, 404: Error, 409: Error, 422: Error, 429: Error},
    summary="Reply to a post of my unit",
)
def reply(request, post_id: Id, data: ReplyIn):
    """Public or private (the poster only); "cannot solve now" still counts as a reply."""
    user = _staff_user(request)
    check_write(request, calling_client(request))
    post = get_object_or_404(Post.objects.visible_to(user), pk=post_id)
    answer = post.reply(
        user, data.body, is_public=data.is_public, cannot_solve=data.cannot_solve, solve_by=data.solve_by
    )
    return Status(201, {"id": answer.pk, "post_id": post.pk, "status": post.status, "is_public": answer.is_public})

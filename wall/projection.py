"""The privacy gate: the one place that decides what of a case may be public.

Everything that reaches a public surface — wall pages, search, the API, feeds, the sitemap,
photo URLs — is built from `project(post)`. A post is public only if the poster agreed, an
editor published it and it is in a state that may be shown. Even then the projection carries
no identity of the poster (anonymous or not), no contact details, no private replies, no
follow-ups and no ratings: those fields simply do not exist in it.
"""

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class PublicReply:
    unit_name: str
    body: str
    replied_at: datetime
    cannot_solve: bool = False  # 暂无法解决, said in this public reply, with its planned date
    solve_by: date | None = None


@dataclass(frozen=True)
class PublicPost:
    title: str
    body: str
    kind_id: int
    category_id: int
    unit_id: int | None
    status: str
    posted_at: datetime
    replied_at: datetime | None
    replies: tuple[PublicReply, ...]
    photo_ids: tuple[int, ...]


def is_public(post):
    return post.on_wall and post.wants_public and post.status in post.WALL_STATUSES


def project(post):
    """Return the public view of post, or None if nothing of it may be public."""
    if not is_public(post):
        return None
    replies = tuple(
        PublicReply(
            unit_name=reply.unit.name if reply.unit else "",
            body=reply.body,
            replied_at=reply.created_at,
            cannot_solve=reply.cannot_solve,
            solve_by=reply.solve_by,
        )
        for reply in post.replies.filter(is_public=True).select_related("unit")
    )
    photo_ids = tuple(post.photos.values_list("pk", flat=True)) if post.show_photos else ()
    return PublicPost(
        title=post.shown_title,
        body=post.shown_body,
        kind_id=post.kind_id,
        category_id=post.category_id,
        unit_id=post.unit_id,
        status=post.status,
        posted_at=post.created_at,
        replied_at=replies[0].replied_at if replies else None,
        replies=replies,
        photo_ids=photo_ids,
    )


def is_photo_public(photo):
    projection = project(photo.post)
    return projection is not None and photo.pk in projection.photo_ids

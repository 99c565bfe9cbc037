"""What the API may show of a case: its live wall page, the projection wall.publishing built
from wall.projection, plus the case's non-personal handling facts (number, deadline)."""

from cases.models import Post
from cases.params import parse_id, parse_slug
from wall.projection import is_public

OPEN311_CLOSED = (Post.Status.CLOSED,)


def public_posts():
    """Posts whose wall page is live, with the page and its public replies at hand."""
    return (
        Post.objects.filter(page__live=True)
        .select_related("page", "page__kind", "page__category", "page__unit")
        .prefetch_related("page__public_replies")
        .order_by("-created_at", "-pk")
    )


def only_public(posts):
    # A live page exists only while project(post) is not None; asking the gate again covers the
    # moment between a change to the case and its page being withdrawn.
    return [post for post in posts if is_public(post)]


def latest_public_reply(page):
    replies = sorted(page.public_replies.all(), key=lambda reply: reply.replied_at)
    return replies[-1] if replies else None


def service_code(kind, category):
    """An Open311 service is a category within a kind: 'repair-12'."""
    return f"{kind.slug}-{category.pk}"


def parse_service_code(code):
    """(kind slug, category id) from a service code, or None if it cannot be one."""
    slug, _, category_id = str(code).rpartition("-")
    slug, category_pk = parse_slug(slug), parse_id(category_id)
    return (slug, category_pk) if slug and category_pk else None

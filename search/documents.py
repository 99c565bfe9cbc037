"""What the search index knows of a post: built from its public page, and from nothing else.

The page is the public projection of the case (wall.projection decides what is on it), so a document
made from the page alone cannot carry anything private: no poster, no contact details, no private
replies. Never build one from `cases.models.Post`.
"""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from wall.models import WallPostPage


@dataclass(frozen=True)
class Document:
    page_id: int
    title: str
    body: str
    replies: tuple[str, ...]
    kind_id: int | None
    kind_name: str
    category_id: int | None
    category_name: str
    unit_id: int | None
    unit_name: str
    status: str
    year: int
    url: str
    posted_on: date | None = None  # the Beijing-time day it was posted

    @property
    def replies_text(self):
        return "\n".join(self.replies)


def document_for(page):
    """The document for a live WallPostPage (ValueError for anything else: only the wall is searchable)."""
    if not isinstance(page, WallPostPage) or not page.live:
        raise ValueError(f"Only live wall post pages are indexed, not {page!r}.")
    return Document(
        page_id=page.pk,
        title=page.title,
        body=page.body,
        replies=tuple(reply.body for reply in page.public_replies.all()),
        kind_id=page.kind_id,
        kind_name=page.kind.name if page.kind else "",
        category_id=page.category_id,
        category_name=page.category.name if page.category else "",
        unit_id=page.unit_id,
        unit_name=page.unit.name if page.unit else "",
        status=page.status,
        year=timezone.localtime(page.posted_at).year,
        url=page.url or "",
        posted_on=timezone.localtime(page.posted_at).date(),
    )


def live_pages():
    """Every page that belongs in the index, with what document_for() reads fetched up front."""
    return (
        WallPostPage.objects.live()
        .select_related("kind", "category", "unit")
        .prefetch_related("public_replies")
        .order_by("pk")
    )

"""Keeps each case's public page in step with its projection."""

from django.db import transaction
from django.utils import timezone

from wall.models import WallIndexPage, WallPostPage, WallPostReply, WallYearPage
from wall.projection import project


def sync_wall_page(post):
    """Create, update or delete post's page so that it shows exactly project(post).

    A post that must no longer be public loses its page entirely (and so its place in
    every index); publishing it again rebuilds the page from the case.
    """
    projection = project(post)
    if projection is None:
        if post.page_id:
            page = post.page
            post.page = None
            post.save(update_fields=["page"])
            page.delete()
        return
    if post.page is None:
        page = _new_page(post, projection)
    else:
        page = post.page
        _fill(page, projection)
    with transaction.atomic():
        revision = page.save_revision(log_action=False)
        revision.publish(log_action=False)
    if post.page_id != page.pk:
        post.page = page
        post.save(update_fields=["page"])


def _new_page(post, projection):
    year_page = _year_page(projection.posted_at)
    page = WallPostPage(slug=str(post.pk))
    _fill(page, projection)
    year_page.add_child(instance=page)
    return page


def _fill(page, projection):
    page.title = projection.title
    page.body = projection.body
    page.kind_id = projection.kind_id
    page.category_id = projection.category_id
    page.unit_id = projection.unit_id
    page.status = projection.status
    page.posted_at = projection.posted_at
    page.replied_at = projection.replied_at
    page.photo_ids = list(projection.photo_ids)
    page.public_replies = [
        WallPostReply(unit_name=reply.unit_name, body=reply.body, replied_at=reply.replied_at)
        for reply in projection.replies
    ]


def _year_page(posted_at):
    wall = WallIndexPage.objects.first()
    if wall is None:
        raise RuntimeError("There is no wall page to publish to; run `manage.py setup_site`.")
    year = str(timezone.localtime(posted_at).year)
    existing = WallYearPage.objects.child_of(wall).filter(slug=year).first()
    if existing:
        return existing
    return wall.add_child(instance=WallYearPage(title=year, slug=year))

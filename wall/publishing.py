"""Keeps each case's public page in step with its projection."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from wagtail.models import Page

from cases.models import Post
from cases.signals import case_changed
from wall.models import WallIndexPage, WallPostPage, WallPostReply, WallYearPage
from wall.projection import project
from wall.signals import wall_pages_published


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
    year_page = _year_page(timezone.localtime(projection.posted_at).year)
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
    page.public_replies = [  # sort_order set here: unset, PostgreSQL may return them in any order
        WallPostReply(
            sort_order=number,
            unit_name=reply.unit_name,
            body=reply.body,
            replied_at=reply.replied_at,
            cannot_solve=reply.cannot_solve,
            solve_by=reply.solve_by,
        )
        for number, reply in enumerate(projection.replies)
    ]


def _year_page(year):
    wall = WallIndexPage.objects.first()
    if wall is None:
        raise RuntimeError("There is no wall page to publish to; run `manage.py setup_site`.")
    year = str(year)
    existing = WallYearPage.objects.child_of(wall).filter(slug=year).first()
    if existing:
        return existing
    return wall.add_child(instance=WallYearPage(title=year, slug=year))


def publish_many(posts):
    """Put posts that have no page yet on the wall at once, as a big import does; returns those published.

    The pages are the ones sync_wall_page would build, from the same projection, written without
    its per-page cost: no revision (an editor's first change makes one) and each year's tree paths
    numbered in one go. The indexes hear of the whole batch through `wall_pages_published`.
    """
    published = []
    with transaction.atomic():
        by_year = {}
        for post in posts:
            post.on_wall = True
            projection = project(post)
            if projection is None:
                post.on_wall = False
                continue
            page = WallPostPage(slug=str(post.pk), live=True, has_unpublished_changes=False)
            _fill(page, projection)
            post.page = page
            published.append(post)
            by_year.setdefault(timezone.localtime(projection.posted_at).year, []).append(page)
        for year, pages in by_year.items():
            _add_children(_year_page(year), pages)
        Post.objects.bulk_update(published, ["on_wall", "page"])
        pages = [post.page for post in published]
        wall_pages_published.send(sender=WallPostPage, pages=pages)
    return published


def _add_children(parent, pages):
    """Save pages as parent's last children: treebeard's add_child, numbering them all at once."""
    parent = Page.objects.select_for_update().get(pk=parent.pk)  # another import numbering here must wait
    last = parent.get_last_child()
    step = Page._str2int(last.path[-Page.steplen :]) if last else 0
    now = timezone.now()
    for number, page in enumerate(pages, start=step + 1):
        page.depth = parent.depth + 1
        page.path = Page._get_path(parent.path, page.depth, number)
        page.first_published_at = page.last_published_at = now
        page._cached_parent_obj = parent  # for the url_path, without asking the database again
        page.locale_id = parent.locale_id  # what Wagtail would look up for each page
        # With its public replies. The projection is valid by construction, and full_clean was most
        # of the cost.
        page.save(clean=False)
    Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(pages))


def _case_changed(sender, post, **kwargs):
    sync_wall_page(post)


def connect_signals():
    case_changed.connect(_case_changed, dispatch_uid="wall-publishing-case-changed")

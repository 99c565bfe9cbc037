"""Keeps the search index in step with the wall: the wall publishes, unpublishes and deletes pages
and knows nothing of search; we listen.

Each change only names the page. After the transaction commits, a task looks at what the page is
then: live, it is indexed; unpublished or gone, it is removed. So a publish followed by a delete in
one transaction ends with nothing indexed, and a rollback changes nothing.
"""

from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete
from django_tasks import task
from wagtail.signals import page_published, page_unpublished

from search.backends import get_backend
from search.documents import live_pages
from wall.models import WallPostPage
from wall.signals import wall_pages_published


def connect():
    page_published.connect(_page_changed, sender=WallPostPage, dispatch_uid="search.page_published")
    page_unpublished.connect(_page_changed, sender=WallPostPage, dispatch_uid="search.page_unpublished")
    post_delete.connect(_page_changed, sender=WallPostPage, dispatch_uid="search.page_deleted")
    wall_pages_published.connect(_pages_published, sender=WallPostPage, dispatch_uid="search.pages_published")


def _page_changed(sender, instance, **kwargs):
    # robust: an index that cannot be written must not turn a saved change into an error page;
    # `manage.py rebuild_search_index` catches it up.
    transaction.on_commit(partial(refresh_page.enqueue, instance.pk), robust=True)


def _pages_published(sender, pages, **kwargs):
    # One task for the batch, so that its documents are written together.
    page_ids = [page.pk for page in pages]
    transaction.on_commit(partial(refresh_pages.enqueue, page_ids), robust=True)


@task()
def refresh_pages(page_ids):
    backend = get_backend()
    pages = list(live_pages().filter(pk__in=page_ids))
    backend.index_many(pages)
    for page_id in set(page_ids) - {page.pk for page in pages}:
        backend.remove(page_id)


@task()
def refresh_page(page_id):
    refresh_pages.call([page_id])

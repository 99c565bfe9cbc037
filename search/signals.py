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

from wall.models import WallPostPage


def connect():
    page_published.connect(_page_changed, sender=WallPostPage, dispatch_uid="search.page_published")
    page_unpublished.connect(_page_changed, sender=WallPostPage, dispatch_uid="search.page_unpublished")
    post_delete.connect(_page_changed, sender=WallPostPage, dispatch_uid="search.page_deleted")


def _page_changed(sender, instance, **kwargs):
    # robust: an index that cannot be written must not turn a saved change into an error page;
    # `manage.py rebuild_search_index` catches it up.
    transaction.on_commit(partial(refresh_page.enqueue, instance.pk), robust=True)


@task()
def refresh_page(page_id):
    from search.backends import get_backend
    from search.documents import live_pages

    page = live_pages().filter(pk=page_id).first()
    if page is None:
        get_backend().remove(page_id)
    else:
        get_backend().index(page)

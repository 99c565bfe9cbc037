"""Keeps the search index in step with the wall: the wall publishes, unpublishes and deletes pages
and knows nothing of search; we listen.

Each change is written down in its own transaction (search.outbox.record), and only names the page.
After the transaction commits, a task writes what the page is then: live, it is indexed; unpublished
or gone, it is removed. So a publish followed by a delete in one transaction ends with nothing
indexed, and a rollback changes nothing. A write that fails (the search service down, the database
busy) is not lost: the tick writes it again (`manage.py sla_tick`, every minute).
"""

import logging
from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete
from django_tasks import task
from wagtail.signals import page_published, page_unpublished

from cases.signals import ticked
from search import outbox
from wall.models import WallPostPage
from wall.signals import wall_pages_published

logger = logging.getLogger(__name__)


def connect():
    page_published.connect(_page_changed, sender=WallPostPage, dispatch_uid="search.page_published")
    page_unpublished.connect(_page_changed, sender=WallPostPage, dispatch_uid="search.page_unpublished")
    post_delete.connect(_page_changed, sender=WallPostPage, dispatch_uid="search.page_deleted")
    wall_pages_published.connect(_pages_published, sender=WallPostPage, dispatch_uid="search.pages_published")
    ticked.connect(_tick, dispatch_uid="search.tick")


def _page_changed(sender, instance, **kwargs):
    _changed([instance.pk])


def _pages_published(sender, pages, **kwargs):
    # One task for the batch, so that its documents are written together.
    _changed([page.pk for page in pages])


def _changed(page_ids):
    outbox.record(page_ids)
    # robust: an index that cannot be written must not turn a saved change into an error page.
    transaction.on_commit(partial(refresh_pages.enqueue, page_ids), robust=True)


@task()
def refresh_pages(page_ids):
    """Write the unwritten changes of page_ids to the index; one another writer holds is its to write."""
    outbox.write_changes(page_ids)


@task()
def refresh_page(page_id):
    """What releases before search.outbox queued, one task per page, for a change they did not write
    down: kept for one release, so that those tasks still reach the index after an upgrade."""
    outbox.record([page_id])
    outbox.write_changes([page_id])


def _tick(sender, now, **kwargs):
    # The tick's other work goes on whatever happens here; the changes stay unwritten for the next one.
    try:
        return outbox.catch_up(now)
    except Exception:
        logger.warning("The search index could not catch up on this tick.", exc_info=True)
        return {"search index catch-up failed": 1}

"""Keeps the search index in step with the wall: the wall publishes, unpublishes and deletes pages
and knows nothing of search; we listen.

Each change is written down as a PageChange in its own transaction, and only names the page. After
the transaction commits, a task looks at what the page is then: live, it is indexed; unpublished or
gone, it is removed. So a publish followed by a delete in one transaction ends with nothing indexed,
and a rollback changes nothing. A write that fails (the search service down, the database busy) is
not lost: its change stays unwritten, and the tick writes it (`manage.py sla_tick`, every minute).
"""

import logging
from datetime import timedelta
from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete
from django.utils import timezone
from django_tasks import task
from wagtail.signals import page_published, page_unpublished

from cases.signals import ticked
from search.backends import get_backend
from search.documents import live_pages
from search.models import PageChange
from wall.models import WallPostPage
from wall.signals import wall_pages_published

logger = logging.getLogger(__name__)

# The tick leaves a change this long to the task its commit started, and writes this many at a time.
RETRY_AFTER = timedelta(minutes=1)
RETRY_BATCH = 500
# Written changes are kept this long: a rebuild writes again those made while it ran.
KEPT = timedelta(days=1)


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
    now = timezone.now()
    PageChange.objects.bulk_create(
        [PageChange(page_id=page_id, changed_at=now) for page_id in page_ids],
        update_conflicts=True,
        unique_fields=["page_id"],
        update_fields=["changed_at", "indexed"],
    )
    # robust: an index that cannot be written must not turn a saved change into an error page.
    transaction.on_commit(partial(refresh_pages.enqueue, page_ids), robust=True)


@task()
def refresh_pages(page_ids):
    """Write the unwritten changes of page_ids to the index; a change made meanwhile stays unwritten."""
    changes = list(PageChange.objects.filter(page_id__in=page_ids, indexed=False).values_list("page_id", "changed_at"))
    if not changes:
        return  # the tick, or another task, wrote them
    write([page_id for page_id, _ in changes])
    by_time = {}
    for page_id, changed_at in changes:
        by_time.setdefault(changed_at, []).append(page_id)
    for changed_at, written in by_time.items():
        PageChange.objects.filter(page_id__in=written, changed_at=changed_at).update(indexed=True)


def write(page_ids):
    """Index what the pages are now: a live page's document, and nothing of any other."""
    backend = get_backend()
    pages = list(live_pages().filter(pk__in=page_ids))
    backend.index_many(pages)
    for page_id in set(page_ids) - {page.pk for page in pages}:
        backend.remove(page_id)


def after_rebuild(started_at):
    """After a rebuild that started at started_at: the changes before it are in the index, and those
    made while it ran are written again (it may have read a page before the change)."""
    since = started_at - RETRY_AFTER  # a change is stamped before its transaction commits
    PageChange.objects.filter(changed_at__lt=since, indexed=False).update(indexed=True)
    meanwhile = list(PageChange.objects.filter(changed_at__gte=since).values_list("page_id", flat=True))
    for start in range(0, len(meanwhile), RETRY_BATCH):
        write(meanwhile[start : start + RETRY_BATCH])


def _tick(sender, now, **kwargs):
    late = PageChange.objects.filter(indexed=False, changed_at__lte=now - RETRY_AFTER).order_by("changed_at")
    page_ids = list(late.values_list("page_id", flat=True)[:RETRY_BATCH])
    PageChange.objects.filter(indexed=True, changed_at__lt=now - KEPT).delete()
    if not page_ids:
        return {}
    try:
        refresh_pages.call(page_ids)
    except Exception:  # the tick's other work goes on; the changes stay unwritten for the next one
        logger.warning("The search index is still not written for %s pages.", len(page_ids), exc_info=True)
        return {"search index writes still failing": len(page_ids)}
    return {"search index writes caught up": len(page_ids)}

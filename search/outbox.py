"""What the search index is still to hear of: the wall's page changes, each written down in its own
transaction (record) and written to the index after it commits (write_changes).

A writer claims a page's unwritten change, writes what the page is then — live, its document;
unpublished or gone, nothing — and marks the change written unless the page changed again
meanwhile, in which case it writes it once more. So two writers (a task and the tick, two workers)
never write one page at once, and the index ends with the page as it is last.

A change not yet written stays unwritten until a write succeeds: the tick writes it again
(catch_up), and a rebuild writes again what it may have overwritten (after_rebuild). Until then
no search shows or counts the page (search.models.unwritten_page_ids): the index's copy of a post
an editor has just redacted or withdrawn must not decide what a visitor finds.
"""

import logging
import uuid
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from search.backends import get_backend
from search.documents import live_pages
from search.models import PageChange, unwritten_page_ids
from wall.pagecache import invalidate

logger = logging.getLogger(__name__)

# The tick leaves a change this long to the task its commit started, and writes this many at a time.
TASK_DELAY = timedelta(minutes=1)
BATCH = 500
# Written changes are kept this long: a rebuild writes again those written while it ran.
KEPT = timedelta(days=1)
# A writer that died holding a claim (a killed worker) holds it no longer than this.
CLAIM_EXPIRES = timedelta(minutes=15)
# How far the clocks of the machines writing the index and rebuilding it may differ.
CLOCK_MARGIN = timedelta(minutes=1)
# A page changed again while it was being written is written again, up to this many times; the
# tick writes it if it changes faster than that.
ROUNDS = 3


def record(page_ids):
    """Write down that the pages changed, in the current transaction."""
    now = timezone.now()
    PageChange.objects.bulk_create(
        [PageChange(page_id=page_id, changed_at=now) for page_id in page_ids],
        update_conflicts=True,
        unique_fields=["page_id"],
        update_fields=["changed_at", "indexed"],
    )


def write_changes(page_ids):
    """Write the unwritten changes of page_ids that no other writer holds; returns how many were
    written, and how many failed (they stay unwritten)."""
    written, failed = 0, set()
    for _ in range(ROUNDS):
        claim = _claim(set(page_ids) - failed)
        if claim is None:
            break
        changes = dict(PageChange.objects.filter(claim=claim).values_list("page_id", "changed_at"))
        try:
            failed |= _write(list(changes))
            _lost(claim, changes)
            written += _mark_written(claim, changes, failed)
        finally:
            # A failed change goes to the back of the tick's queue: it holds up no newer one.
            PageChange.objects.filter(claim=claim, page_id__in=failed).update(changed_at=timezone.now())
            PageChange.objects.filter(claim=claim).update(claim=None, claimed_at=None)
    if written:
        invalidate()  # cached search pages may have left out a page that was waiting
    return written, len(failed)


def catch_up(now):
    """The tick's part: write the changes their tasks left unwritten, forget old written ones.
    Returns what it did, for the tick's report."""
    PageChange.objects.filter(indexed=True, changed_at__lt=now - KEPT).delete()
    late = PageChange.objects.filter(indexed=False, changed_at__lte=now - TASK_DELAY).order_by("changed_at")
    page_ids = list(late.values_list("page_id", flat=True)[:BATCH])
    if not page_ids:
        return {}
    if not get_backend().writable():
        return {"search index unreachable, changes waiting": late.count()}
    written, failed = write_changes(page_ids)
    report = {"search index writes caught up": written, "search index writes still failing": failed}
    return {what: count for what, count in report.items() if count}


def forget_writes_since(started_at):
    """The changes written since started_at, or being written, count as unwritten again: a rebuild
    that started then may have read their pages before and written them after. Called once the
    rebuilt index is filled, before it answers, and again by after_rebuild."""
    # Changed again, so that a writer holding one does not mark it written. The margin: written_at
    # and started_at come from the clocks of two machines.
    meanwhile = Q(written_at__gte=started_at - CLOCK_MARGIN) | Q(claim__isnull=False)
    PageChange.objects.filter(meanwhile).update(indexed=False, changed_at=timezone.now())


def after_rebuild(started_at):
    """After a rebuild that started at started_at, write again every change written while it ran and
    every change still unwritten. Returns how many are left to the tick."""
    forget_writes_since(started_at)
    unwritten = unwritten_page_ids()
    left = 0
    for start in range(0, len(unwritten), BATCH):
        batch = unwritten[start : start + BATCH]
        written, _ = write_changes(batch)
        left += len(batch) - written
    return left


def _claim(page_ids):
    """A claim on the unwritten changes of page_ids that no live claim holds; None if there are none."""
    if not page_ids:
        return None
    claim, now = uuid.uuid4(), timezone.now()
    free = Q(claim__isnull=True) | Q(claimed_at__lt=now - CLAIM_EXPIRES)
    claimed = PageChange.objects.filter(free, page_id__in=page_ids, indexed=False).update(claim=claim, claimed_at=now)
    return claim if claimed else None


def _lost(claim, changes):
    """A writer slower than CLAIM_EXPIRES may have lost its claim to another, who may have written a
    newer copy before this one's older copy landed: the pages count as changed again."""
    held = set(PageChange.objects.filter(claim=claim).values_list("page_id", flat=True))
    if lost := [page_id for page_id in changes if page_id not in held]:
        record(lost)


def _write(page_ids):
    """Write what the pages are now to the index; returns the ids whose write failed.

    All together first; if that fails, one by one, so that one page the index refuses holds up no
    other, and a removal is tried even when an addition failed.
    """
    try:
        _write_pages(page_ids)
        return set()
    except Exception:
        if len(page_ids) == 1:
            logger.warning("The search index was not written for page %s.", page_ids[0], exc_info=True)
            return set(page_ids)
    failed = set()
    for page_id in page_ids:
        try:
            _write_pages([page_id])
        except Exception:
            logger.warning("The search index was not written for page %s.", page_id, exc_info=True)
            failed.add(page_id)
    return failed


def _write_pages(page_ids):
    backend = get_backend()
    pages = list(live_pages().filter(pk__in=page_ids))
    if pages:
        backend.index_many(pages)
    for page_id in set(page_ids) - {page.pk for page in pages}:
        backend.remove(page_id)


def _mark_written(claim, changes, failed):
    """Mark written the claimed changes not made again since they were read; returns how many."""
    by_time = {}
    for page_id, changed_at in changes.items():
        if page_id not in failed:
            by_time.setdefault(changed_at, []).append(page_id)
    now = timezone.now()
    return sum(
        PageChange.objects.filter(claim=claim, page_id__in=page_ids, changed_at=changed_at).update(
            indexed=True, written_at=now
        )
        for changed_at, page_ids in by_time.items()
    )

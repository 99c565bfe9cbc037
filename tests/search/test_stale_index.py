"""While the index lags the wall — a write that failed or has not run yet — a visitor sees the wall as
it is: a post whose change the index has not heard of is neither shown nor counted, on the search
page, in the similar box and the API, on every backend; what is shown comes from the live page.

The lag is real here: the editor's change runs outside captured on-commit callbacks, so the index
never hears of it. And the lag ends: a write that failed is written again by the tick.
"""

from datetime import timedelta

import pytest
import time_machine
from django.db import OperationalError
from django.utils import timezone

from cases.escalation import tick
from cases.models import Post
from search import outbox
from search.models import PageChange
from tests.search_backends import found, search
from wall.models import WallPostPage

SIMILAR = "/api/v1/similar"
POSTS = "/api/v1/posts"
NAME = "张文丰"  # no character of it is in the redacted text


@pytest.fixture
def named(publish, people):
    """A post whose public title names a person, on the wall and in the index."""
    page_id = publish(f"{NAME}宿舍热水器坏了", body=f"{NAME}住三号楼，热水器坏了。", reply="已派人维修。")
    return Post.objects.get(page_id=page_id)


def nothing_found(client, query):
    """Whether the search page, the similar box and the API neither show nor count anything for query."""
    page = client.get("/search/", {"q": query})
    similar = client.get(SIMILAR, {"q": query}).json()["results"]
    posts = client.get(POSTS, {"q": query}).json()
    facets = [value for values in page.context["facets"].values() for value in values]
    return (page.context["total"], page.context["results"], facets, similar, posts["count"]) == (0, [], [], [], 0)


def test_a_redaction_the_index_missed_is_neither_found_nor_counted_until_it_is_written(client, named, people):
    """The index still holds the name: matching it must not tell a visitor the post said it."""
    named.edit_public_text(people[0], "宿舍热水器坏了", "三号楼热水器坏了。", show_photos=False)

    assert nothing_found(client, NAME)
    assert nothing_found(client, "宿舍热水器")

    with time_machine.travel(timezone.now() + timedelta(minutes=2), tick=False):
        assert tick()["search index writes caught up"] == 1
    page = client.get("/search/", {"q": "宿舍热水器"})
    similar = client.get(SIMILAR, {"q": "宿舍热水器坏了"}).json()["results"]
    assert [hit.title for hit, _ in page.context["results"]] == ["宿舍热水器坏了"]
    shown = [(result["title"], result["excerpt"]) for result in similar]
    assert shown == [("宿舍热水器坏了", "三号楼热水器坏了。 已派人维修。")]
    assert nothing_found(client, NAME)


def test_a_withdrawal_the_index_missed_is_neither_found_nor_counted(client, named, people):
    named.unpublish(people[0])

    assert nothing_found(client, "宿舍热水器")
    assert nothing_found(client, NAME)


def test_near_identical_posts_are_grouped_from_the_live_ones_only(client, publish, people):
    """A withdrawn leader neither hides its live twin nor adds to its 同类诉求 count."""
    answered = publish("三号楼宿舍热水器坏了", reply="已派人维修。")
    twin = publish("三号楼宿舍热水器坏了！")
    Post.objects.get(page_id=answered).unpublish(people[0])

    page = client.get("/search/", {"q": "三号楼热水器"})
    similar = client.get(SIMILAR, {"q": "三号楼宿舍热水器坏了"}).json()["results"]

    assert [(hit.page_id, hit.alike) for hit, _ in page.context["results"]] == [(twin, ())]
    assert [(result["id"], result["alike"]) for result in similar] == [(twin, 0)]


def test_a_withdrawal_the_index_failed_to_write_is_written_by_the_tick(
    each_backend, publish, people, monkeypatch, django_capture_on_commit_callbacks
):
    page_id = publish("宿舍热水器坏了")

    def busy(page_id):
        raise OperationalError("database is locked")

    monkeypatch.setattr(each_backend, "remove", busy)
    post = Post.objects.get(page_id=page_id)
    with django_capture_on_commit_callbacks(execute=True):
        post.unpublish(people[0])
    assert found("热水器") == [] and search("热水器").total == 0  # waiting: the index's copy is not used
    assert not PageChange.objects.get(page_id=page_id).indexed
    later = timezone.now() + timedelta(minutes=2)
    with time_machine.travel(later, tick=False):
        assert tick()["search index writes still failing"] == 1
    monkeypatch.undo()  # the database is free again
    with time_machine.travel(later + timedelta(minutes=1), tick=False):
        assert tick()["search index writes caught up"] == 1
    assert PageChange.objects.get(page_id=page_id).indexed
    assert found("热水器") == [] and search("热水器").total == 0  # now from the index itself: the page is gone


def redact(post, editor):
    post.edit_public_text(editor, "宿舍热水器坏了", "三号楼热水器坏了。", show_photos=False)


def test_a_page_changed_while_it_is_written_ends_in_the_index_as_it_is_last(
    client, each_backend, named, people, monkeypatch, django_capture_on_commit_callbacks
):
    """The editor redacts the post while a writer writes its old text: the redaction's own task finds
    the page held and leaves it; the writer, finding it changed, writes it again."""
    written = []
    index_many = each_backend.index_many

    def slow(pages):
        if not written:
            with django_capture_on_commit_callbacks(execute=True):
                redact(named, people[0])
        written.append([page.title for page in pages])
        index_many(pages)

    monkeypatch.setattr(each_backend, "index_many", slow)
    outbox.record([named.page_id])  # say, the reply before it
    outbox.write_changes([named.page_id])

    assert written == [[f"{NAME}宿舍热水器坏了"], ["宿舍热水器坏了"]]
    assert PageChange.objects.get(page_id=named.page_id).indexed
    assert nothing_found(client, NAME)


def test_a_rebuild_writes_again_a_change_written_while_it_ran(
    client, each_backend, named, people, django_capture_on_commit_callbacks
):
    """The redaction's transaction began before the rebuild and ended during it, after the rebuild
    had read the page: the rebuild's old copy must not stay."""
    old = WallPostPage.objects.get(pk=named.page_id)
    begun = timezone.now()
    with time_machine.travel(begun, tick=False), django_capture_on_commit_callbacks() as commit:
        redact(named, people[0])
    started_at = begun + timedelta(minutes=5)  # a long transaction: its change is stamped long before
    with time_machine.travel(started_at + timedelta(seconds=1), tick=False):
        for callback in commit:
            callback()  # the redaction's task writes the index
        each_backend.index_many([old])  # then the rebuild, with what it read before the commit
        assert outbox.after_rebuild(started_at) == 0

    assert nothing_found(client, NAME)


def test_a_page_the_index_refuses_holds_up_no_other(each_backend, publish, people, monkeypatch):
    kept = publish("宿舍热水器坏了")
    withdrawn = publish("食堂饭菜涨价")
    Post.objects.get(page_id=withdrawn).unpublish(people[0])
    outbox.record([kept])

    def refused(pages):
        raise OperationalError("database is locked")

    monkeypatch.setattr(each_backend, "index_many", refused)
    assert outbox.write_changes([kept, withdrawn]) == (1, 1)

    assert not PageChange.objects.get(page_id=kept).indexed
    assert PageChange.objects.get(page_id=withdrawn).indexed
    monkeypatch.undo()
    assert found("食堂") == []  # from the index itself: its removal was written


def test_a_writer_that_lost_its_claim_leaves_the_page_to_be_written_again(
    client, each_backend, named, people, monkeypatch, django_capture_on_commit_callbacks
):
    """Writer A read the page, then stalled past CLAIM_EXPIRES; meanwhile the editor redacted it and
    the redaction's task took the claim over, wrote and marked it. A's old copy lands last."""
    index_many = each_backend.index_many
    later = timezone.now() + outbox.CLAIM_EXPIRES + timedelta(minutes=1)
    written = []

    def stalled(pages):
        written.append([page.title for page in pages])
        if len(written) == 1:
            with time_machine.travel(later, tick=False), django_capture_on_commit_callbacks(execute=True):
                redact(named, people[0])
        index_many(pages)

    monkeypatch.setattr(each_backend, "index_many", stalled)
    outbox.record([named.page_id])
    outbox.write_changes([named.page_id])
    monkeypatch.undo()

    # A read the old page; B wrote the new one; A's old copy landed, and A, its claim lost, wrote again.
    assert written == [[f"{NAME}宿舍热水器坏了"], ["宿舍热水器坏了"], ["宿舍热水器坏了"]]
    assert PageChange.objects.get(page_id=named.page_id).indexed
    assert nothing_found(client, NAME)


def test_a_rebuild_writes_again_what_a_machine_with_a_slower_clock_wrote_while_it_ran(
    client, each_backend, named, people, django_capture_on_commit_callbacks
):
    old = WallPostPage.objects.get(pk=named.page_id)  # the rebuild read it
    started_at = timezone.now() + timedelta(minutes=5)
    with time_machine.travel(started_at - timedelta(seconds=2), tick=False):  # its clock 3 s behind
        with django_capture_on_commit_callbacks(execute=True):
            redact(named, people[0])
    each_backend.index_many([old])  # the rebuild then writes what it read
    outbox.after_rebuild(started_at)

    assert nothing_found(client, NAME)


def test_pages_the_index_keeps_refusing_hold_up_no_newer_change(each_backend, publish, monkeypatch):
    monkeypatch.setattr(outbox, "BATCH", 1)  # as if 500 pages were refused
    refused = publish("宿舍热水器坏了")
    later = publish("食堂饭菜涨价")
    PageChange.objects.update(indexed=False)  # both writes failed; refused's change is the older
    PageChange.objects.filter(page_id=later).update(changed_at=timezone.now() + timedelta(seconds=1))
    index_many = each_backend.index_many

    def refuses(pages):
        if any(page.pk == refused for page in pages):
            raise OperationalError("refused")
        index_many(pages)

    monkeypatch.setattr(each_backend, "index_many", refuses)
    for minutes in (2, 4):
        with time_machine.travel(timezone.now() + timedelta(minutes=minutes), tick=False):
            tick()

    assert PageChange.objects.get(page_id=later).indexed
    assert not PageChange.objects.get(page_id=refused).indexed

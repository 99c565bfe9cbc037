"""Merging a duplicate (重复诉求): an editor merges a post into the one it repeats; it leaves every queue
and the statistics, its poster is sent to the other post's answers, and the two titles teach the
thesaurus (#20 item 5, #15 item 3)."""

from datetime import date, datetime

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from cases.models import Post
from notifications.models import Notification
from search.learning import proposals, wordings
from search.models import SynonymSet
from stats import periods
from stats.figures import by_unit
from tests.factories import make_accepted_post, make_editor, make_handler, make_post, make_replied_post, make_unit

MARCH = periods.period_of(periods.PeriodKind.MONTH, date(2026, 3, 1))


@pytest.fixture
def answered(django_capture_on_commit_callbacks):
    """An answered post on the wall, its unit and an editor."""
    unit, editor = make_unit("后勤管理处"), make_editor()
    with django_capture_on_commit_callbacks(execute=True):
        post = make_replied_post(editor, make_handler(unit), unit, title="宿舍空调不制冷")
        post.publish(editor)
    post.refresh_from_db()
    return post, unit, editor


def merge(client, duplicate, into):
    return client.post(reverse("cases_admin:merge", args=[duplicate.pk]), {"merge-into": into.pk})


def test_an_editor_merges_a_duplicate_which_leaves_every_queue_and_sends_its_poster_to_the_answers(
    answered, django_capture_on_commit_callbacks
):
    original, unit, editor = answered
    duplicate = make_accepted_post(editor, unit, title="寝室空调坏了", contact_email="poster@example.edu")
    client = Client()
    client.force_login(editor)

    with django_capture_on_commit_callbacks(execute=True):
        response = merge(client, duplicate, original)

    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.merged_into) == (Post.Status.MERGED, original)
    assert duplicate not in Post.objects.awaiting_reply() and duplicate not in Post.objects.overdue()
    assert duplicate not in Post.objects.handled_by(make_handler(unit)).awaiting_reply()
    told = Notification.objects.get(event="merged")
    assert told.recipient == "poster@example.edu"
    assert original.page.url in mail.outbox[-1].body
    tracking = Client().get(reverse("wall:track", args=[duplicate.tracking_token])).content.decode()
    assert f'href="{original.page.url}"' in tracking
    # A merge is evidence for the thesaurus, not a question spared by reading the answer.
    assert ("寝室空调坏了", "宿舍空调不制冷") in wordings()
    assert Client().get(original.page.url).context["reused"] == 0


def test_two_merges_propose_the_words_they_swap(answered):
    SynonymSet.objects.all().delete()  # a campus without a thesaurus yet
    original, unit, editor = answered
    for title in ("寝室空调不制冷", "寝室空调不制冷了"):
        make_accepted_post(editor, unit, title=title).merge_into(editor, original)
    assert [proposal.words for proposal in proposals()] == [("宿舍", "寝室")]


def test_only_editors_merge_and_only_into_another_post_still_handled(answered):
    original, unit, editor = answered
    duplicate = make_accepted_post(editor, unit)
    handler = make_handler(unit)
    client = Client()
    client.force_login(handler)
    merge(client, duplicate, original)
    assert Post.objects.get(pk=duplicate.pk).status == Post.Status.ACCEPTED

    client.force_login(editor)
    rejected = make_post()
    rejected.reject(editor, "与本校无关")
    for into in (duplicate, rejected):
        response = merge(client, duplicate, into)
        assert response.status_code == 302
        assert Post.objects.get(pk=duplicate.pk).status == Post.Status.ACCEPTED
    assert not original.can_merge(editor)  # answered: it is the one others join


def test_a_merged_duplicate_is_not_counted_as_received():
    unit, editor = make_unit("后勤管理处"), make_editor()
    handler = make_handler(unit)
    with time_machine.travel(datetime(2026, 3, 2, 10, tzinfo=periods.LOCAL), tick=False):
        original = make_accepted_post(editor, unit)
        duplicate = make_accepted_post(editor, unit)
    with time_machine.travel(datetime(2026, 3, 2, 12, tzinfo=periods.LOCAL), tick=False):
        original.reply(handler, "已处理", is_public=True)
        duplicate.merge_into(editor, original)
    with time_machine.travel(datetime(2026, 3, 10, tzinfo=periods.LOCAL), tick=False):
        row = next(row for row in by_unit(MARCH) if row.unit_id == unit.pk)
    # Received 1 (the duplicate is answered in the original), answered on time 1: 100%, not 50%.
    assert (row.received, row.answered_on_time, row.response_rate) == (1, 1, 1)

"""Every transition of a case: the happy path, and refusals for wrong role, wrong unit, wrong state."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from wagtail.models import ModelLogEntry, Revision

from cases.models import Post, TransitionError
from tests.factories import make_accepted_post, make_editor, make_handler, make_post, make_replied_post, make_unit


@pytest.fixture
def unit():
    return make_unit("后勤管理处")


@pytest.fixture
def editor():
    return make_editor()


@pytest.fixture
def handler(unit):
    return make_handler(unit)


def actions(post):
    return list(ModelLogEntry.objects.filter(object_id=str(post.pk)).order_by("pk").values_list("action", flat=True))


def test_it_accepts_and_routes_with_a_reply_deadline(editor, unit):
    post = make_post()
    post.accept(editor, unit)
    post.refresh_from_db()
    assert post.status == Post.Status.ACCEPTED
    assert post.unit == unit
    assert post.reply_due_at - post.accepted_at == timedelta(hours=24)
    assert actions(post) == ["wall.accept"]


def test_it_refuses_accept_by_a_handler(handler, unit):
    post = make_post()
    with pytest.raises(PermissionDenied):
        post.accept(handler, unit)
    assert Post.objects.get(pk=post.pk).status == Post.Status.SUBMITTED


def test_it_refuses_to_accept_twice(editor, unit):
    post = make_accepted_post(editor, unit)
    with pytest.raises(TransitionError):
        post.accept(editor, make_unit())


def test_it_rejects_with_a_reason_the_poster_reads(editor):
    post = make_post()
    post.reject(editor, "与本校无关，请联系所在街道。")
    post.refresh_from_db()
    assert post.status == Post.Status.REJECTED
    assert post.reject_reason == "与本校无关，请联系所在街道。"
    assert actions(post) == ["wall.reject"]


def test_it_refuses_reject_without_reason(editor):
    post = make_post()
    with pytest.raises(TransitionError):
        post.reject(editor, "   ")


def test_it_refuses_reject_by_non_editor(handler):
    with pytest.raises(PermissionDenied):
        make_post().reject(handler, "no")


def test_it_records_a_reply_from_the_units_handler(editor, handler, unit):
    post = make_accepted_post(editor, unit)
    reply = post.reply(handler, "已安排维修。", is_public=False)
    post.refresh_from_db()
    assert post.status == Post.Status.REPLIED
    assert post.first_replied_at == reply.created_at
    assert reply.unit == unit and not reply.is_public
    assert actions(post) == ["wall.accept", "wall.reply"]


def test_it_refuses_a_reply_from_another_units_handler(editor, unit):
    post = make_accepted_post(editor, unit)
    outsider = make_handler(make_unit("教务处"))
    with pytest.raises(PermissionDenied):
        post.reply(outsider, "不归我们管", is_public=True)
    assert not post.replies.exists()


def test_it_refuses_a_reply_before_acceptance(handler):
    with pytest.raises(PermissionDenied):
        make_post().reply(handler, "?", is_public=True)  # not routed: nobody handles it yet


def test_it_refuses_an_empty_reply(editor, handler, unit):
    post = make_accepted_post(editor, unit)
    with pytest.raises(TransitionError):
        post.reply(handler, "  ", is_public=True)


def test_it_closes_a_replied_post(editor, handler, unit):
    post = make_replied_post(editor, handler, unit)
    post.close(handler)
    assert Post.objects.get(pk=post.pk).status == Post.Status.CLOSED


def test_it_refuses_to_close_an_unreplied_post(editor, handler, unit):
    post = make_accepted_post(editor, unit)
    with pytest.raises(TransitionError):
        post.close(handler)


def test_it_refuses_close_by_another_unit(editor, handler, unit):
    post = make_replied_post(editor, handler, unit)
    with pytest.raises(PermissionDenied):
        post.close(make_handler(make_unit()))


def test_it_reopens_with_a_new_round_and_deadline(editor, handler, unit):
    post = make_replied_post(editor, handler, unit)
    post.close(handler)
    post.reopen("热水还是不稳定")
    post.refresh_from_db()
    assert post.status == Post.Status.REOPENED
    assert post.round == 2
    assert post.reply_due_at > timezone.now() + timedelta(hours=23)
    assert post.follow_ups.get().reopens
    assert "wall.reopen" in actions(post)


def test_it_refuses_reopen_before_any_reply(editor, unit):
    post = make_accepted_post(editor, unit)
    with pytest.raises(TransitionError):
        post.reopen("还没人回")


def test_it_takes_one_rating_per_round(editor, handler, unit):
    post = make_replied_post(editor, handler, unit)
    post.rate(5, 4, 3, "还行")
    with pytest.raises(TransitionError):
        post.rate(1, 1, 1)
    post.reopen("没解决")
    post.reply(handler, "再次处理", is_public=True)
    post.rate(2, 2, 2)
    assert list(post.ratings.order_by("round").values_list("round", "result")) == [(1, 3), (2, 2)]


def test_it_refuses_rating_before_a_reply(editor, unit):
    post = make_accepted_post(editor, unit)
    with pytest.raises(TransitionError):
        post.rate(5, 5, 5)


def test_it_publishes_and_withdraws(editor, handler, unit):
    post = make_replied_post(editor, handler, unit)
    post.publish(editor)
    page = Post.objects.get(pk=post.pk).page
    assert page.live
    post.unpublish(editor)
    post.refresh_from_db()
    assert post.page is None
    assert not type(page).objects.filter(pk=page.pk).exists()
    assert not Revision.objects.filter(object_id=str(page.pk)).exists()  # no copy of the text stays behind


def test_it_refuses_to_publish_what_the_poster_kept_private(editor, unit):
    post = make_accepted_post(editor, unit, wants_public=False)
    with pytest.raises(TransitionError):
        post.publish(editor)
    assert Post.objects.get(pk=post.pk).page is None


def test_it_refuses_to_publish_an_unscreened_post(editor):
    with pytest.raises(TransitionError):
        make_post().publish(editor)


def test_it_refuses_publish_by_a_handler(editor, handler, unit):
    post = make_replied_post(editor, handler, unit)
    with pytest.raises(PermissionDenied):
        post.publish(handler)


def test_it_refuses_to_withdraw_what_is_not_published(editor, unit):
    with pytest.raises(TransitionError):
        make_accepted_post(editor, unit).unpublish(editor)


def test_editing_public_text_keeps_the_original(editor, handler, unit):
    post = make_replied_post(editor, handler, unit)
    post.publish(editor)
    post.edit_public_text(editor, "热水供应时间", "三号楼热水什么时候有？", show_photos=False)
    post.refresh_from_db()
    assert post.title == "宿舍热水几点供应"
    assert post.page.title == "热水供应时间"
    assert post.page.body == "三号楼热水什么时候有？"


def test_it_refuses_public_text_edits_by_a_handler(editor, handler, unit):
    post = make_replied_post(editor, handler, unit)
    with pytest.raises(PermissionDenied):
        post.edit_public_text(handler, "x", "y", show_photos=True)


def test_it_takes_follow_ups_but_not_on_merged_posts():
    post = make_post()
    post.add_follow_up("补充：是三号楼 402")
    assert post.follow_ups.count() == 1
    Post.objects.filter(pk=post.pk).update(status=Post.Status.MERGED)
    with pytest.raises(TransitionError):
        post.add_follow_up("再补充")


def test_a_stale_copy_cannot_accept_twice(editor, unit):
    post = make_post()
    stale = Post.objects.get(pk=post.pk)
    post.accept(editor, unit)
    with pytest.raises(TransitionError):
        stale.accept(editor, make_unit())  # another editor's screen still showed it as new
    assert Post.objects.get(pk=post.pk).unit == unit


def test_it_refuses_to_route_to_an_inactive_unit(editor):
    closed_unit = make_unit(is_active=False)
    with pytest.raises(TransitionError):
        make_post().accept(editor, closed_unit)

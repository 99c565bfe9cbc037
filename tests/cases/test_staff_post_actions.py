import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from cases.models import Post
from tests.factories import (
    make_accepted_post,
    make_editor,
    make_handler,
    make_post,
    make_replied_post,
    make_unit,
    make_user,
)
from wall.models import WallPostPage

ADMIN_HOME = reverse("wagtailadmin_home")


def _post(client, action, post, data=None):
    return client.post(reverse(f"cases_admin:{action}", args=[post.pk]), data or {})


def _levels(response):
    return [message.level_tag for message in get_messages(response.wsgi_request)]


def _assert_back_on_the_post(response, post, level):
    assert response.status_code == 302
    assert response.url == reverse("cases_admin:post", args=[post.pk])
    assert _levels(response) == [level]


def _assert_refused(response):
    # Wagtail's admin turns PermissionDenied into its "no permission" message and a redirect home.
    assert response.status_code == 302
    assert response.url == ADMIN_HOME


def _replied(**kwargs):
    unit = make_unit()
    editor = make_editor()
    handler = make_handler(unit)
    return make_replied_post(editor, handler, unit, **kwargs), editor, handler


@pytest.mark.parametrize("action", ["accept", "reject", "reply", "close", "publish", "unpublish", "public_text"])
def test_it_allows_only_post(client, action):
    post = make_post()
    client.force_login(make_editor())

    response = client.get(reverse(f"cases_admin:{action}", args=[post.pk]))

    assert response.status_code == 405


# -- accept -------------------------------------------------------------------------------------


def test_it_accepts_and_routes(client):
    post = make_post()
    unit = make_unit()
    client.force_login(make_editor())

    response = _post(client, "accept", post, {"accept-unit": unit.pk})

    _assert_back_on_the_post(response, post, "success")
    post.refresh_from_db()
    assert post.status == Post.Status.ACCEPTED
    assert post.unit == unit
    assert post.reply_due_at is not None


def test_it_does_not_accept_twice(client):
    editor = make_editor()
    first_unit = make_unit()
    post = make_accepted_post(editor, first_unit)
    client.force_login(editor)

    response = _post(client, "accept", post, {"accept-unit": make_unit().pk})

    _assert_back_on_the_post(response, post, "error")
    post.refresh_from_db()
    assert post.unit == first_unit


def test_it_needs_a_unit_to_accept(client):
    post = make_post()
    client.force_login(make_editor())

    response = _post(client, "accept", post, {"accept-unit": ""})

    _assert_back_on_the_post(response, post, "error")
    post.refresh_from_db()
    assert post.status == Post.Status.SUBMITTED


def test_it_does_not_route_to_an_inactive_unit(client):
    post = make_post()
    client.force_login(make_editor())

    response = _post(client, "accept", post, {"accept-unit": make_unit(is_active=False).pk})

    _assert_back_on_the_post(response, post, "error")
    post.refresh_from_db()
    assert post.status == Post.Status.SUBMITTED


def test_it_refuses_accepting_to_a_handler(client):
    unit = make_unit()
    # A new post the handler can open (it names their unit), so the model itself must refuse.
    post = make_post(unit=unit)
    client.force_login(make_handler(unit))

    response = _post(client, "accept", post, {"accept-unit": unit.pk})

    _assert_refused(response)
    post.refresh_from_db()
    assert post.status == Post.Status.SUBMITTED


def test_it_hides_unrouted_posts_from_handlers_actions(client):
    post = make_post()
    unit = make_unit()
    client.force_login(make_handler(unit))

    response = _post(client, "accept", post, {"accept-unit": unit.pk})

    assert response.status_code == 404


def test_it_sends_strangers_to_the_login_page(client):
    post = make_post()
    client.force_login(make_user())

    response = _post(client, "accept", post, {"accept-unit": make_unit().pk})

    assert response.status_code == 302
    assert response.url.startswith(reverse("wagtailadmin_login"))
    post.refresh_from_db()
    assert post.status == Post.Status.SUBMITTED


# -- reject -------------------------------------------------------------------------------------


def test_it_rejects_with_a_reason(client):
    post = make_post()
    client.force_login(make_editor())

    response = _post(client, "reject", post, {"reject-reason": "与第 12 号重复"})

    _assert_back_on_the_post(response, post, "success")
    post.refresh_from_db()
    assert post.status == Post.Status.REJECTED
    assert post.reject_reason == "与第 12 号重复"


def test_it_does_not_reject_without_a_reason(client):
    post = make_post()
    client.force_login(make_editor())

    response = _post(client, "reject", post, {"reject-reason": "   "})

    _assert_back_on_the_post(response, post, "error")
    post.refresh_from_db()
    assert post.status == Post.Status.SUBMITTED


def test_it_does_not_reject_an_accepted_post(client):
    editor = make_editor()
    post = make_accepted_post(editor, make_unit())
    client.force_login(editor)

    response = _post(client, "reject", post, {"reject-reason": "重复"})

    _assert_back_on_the_post(response, post, "error")
    post.refresh_from_db()
    assert post.status == Post.Status.ACCEPTED


# -- reply --------------------------------------------------------------------------------------


@pytest.mark.parametrize("is_public", [True, False])
def test_it_replies(client, is_public):
    unit = make_unit()
    handler = make_handler(unit)
    post = make_accepted_post(make_editor(), unit)
    client.force_login(handler)
    data = {"reply-body": "已安排维修"}
    if is_public:
        data["reply-is_public"] = "on"

    response = _post(client, "reply", post, data)

    _assert_back_on_the_post(response, post, "success")
    post.refresh_from_db()
    assert post.status == Post.Status.REPLIED
    reply = post.replies.get()
    assert (reply.body, reply.is_public, reply.author, reply.unit) == ("已安排维修", is_public, handler, unit)


def test_it_needs_a_reply_body(client):
    unit = make_unit()
    post = make_accepted_post(make_editor(), unit)
    client.force_login(make_handler(unit))

    response = _post(client, "reply", post, {"reply-body": ""})

    _assert_back_on_the_post(response, post, "error")
    assert not post.replies.exists()


def test_it_refuses_replying_to_an_editor_who_does_not_handle_the_unit(client):
    editor = make_editor()
    post = make_accepted_post(editor, make_unit())
    client.force_login(editor)

    response = _post(client, "reply", post, {"reply-body": "编辑代答"})

    _assert_refused(response)
    assert not post.replies.exists()


def test_it_hides_other_units_posts_from_a_handlers_reply(client):
    post = make_accepted_post(make_editor(), make_unit())
    client.force_login(make_handler(make_unit()))

    response = _post(client, "reply", post, {"reply-body": "不是我们的"})

    assert response.status_code == 404
    assert not post.replies.exists()


def test_it_does_not_reply_to_a_closed_post(client):
    post, editor, handler = _replied()
    post.close(handler)
    client.force_login(handler)

    response = _post(client, "reply", post, {"reply-body": "再补充一句"})

    _assert_back_on_the_post(response, post, "error")
    assert post.replies.count() == 1


# -- close --------------------------------------------------------------------------------------


def test_it_lets_a_handler_close_a_replied_post(client):
    post, editor, handler = _replied()
    client.force_login(handler)

    response = _post(client, "close", post)

    _assert_back_on_the_post(response, post, "success")
    post.refresh_from_db()
    assert post.status == Post.Status.CLOSED


def test_it_lets_an_editor_close_a_replied_post(client):
    post, editor, handler = _replied()
    client.force_login(editor)

    _post(client, "close", post)

    post.refresh_from_db()
    assert post.status == Post.Status.CLOSED


def test_it_does_not_close_an_unreplied_post(client):
    unit = make_unit()
    post = make_accepted_post(make_editor(), unit)
    client.force_login(make_handler(unit))

    response = _post(client, "close", post)

    _assert_back_on_the_post(response, post, "error")
    post.refresh_from_db()
    assert post.status == Post.Status.ACCEPTED


def test_it_hides_other_units_posts_from_a_handlers_close(client):
    post, editor, handler = _replied()
    client.force_login(make_handler(make_unit()))

    assert _post(client, "close", post).status_code == 404
    post.refresh_from_db()
    assert post.status == Post.Status.REPLIED


# -- publish and unpublish ----------------------------------------------------------------------


def test_it_publishes_to_the_wall(client):
    post, editor, handler = _replied()
    client.force_login(editor)

    response = _post(client, "publish", post)

    _assert_back_on_the_post(response, post, "success")
    post.refresh_from_db()
    assert post.on_wall
    assert post.page.live


def test_it_does_not_publish_what_the_poster_keeps_private(client):
    post, editor, handler = _replied(wants_public=False)
    client.force_login(editor)

    response = _post(client, "publish", post)

    _assert_back_on_the_post(response, post, "error")
    post.refresh_from_db()
    assert not post.on_wall
    assert post.page is None


def test_it_does_not_publish_an_unscreened_post(client):
    post = make_post()
    client.force_login(make_editor())

    response = _post(client, "publish", post)

    _assert_back_on_the_post(response, post, "error")
    post.refresh_from_db()
    assert not post.on_wall


def test_it_refuses_publishing_to_a_handler(client):
    post, editor, handler = _replied()
    client.force_login(handler)

    response = _post(client, "publish", post)

    _assert_refused(response)
    post.refresh_from_db()
    assert not post.on_wall


def test_it_withdraws_from_the_wall(client):
    post, editor, handler = _replied()
    post.publish(editor)
    client.force_login(editor)

    response = _post(client, "unpublish", post)

    _assert_back_on_the_post(response, post, "success")
    post.refresh_from_db()
    assert not post.on_wall
    assert not WallPostPage.objects.exists()


def test_it_does_not_withdraw_a_post_that_is_not_on_the_wall(client):
    post, editor, handler = _replied()
    client.force_login(editor)

    response = _post(client, "unpublish", post)

    _assert_back_on_the_post(response, post, "error")


def test_it_refuses_withdrawing_to_a_handler(client):
    post, editor, handler = _replied()
    post.publish(editor)
    client.force_login(handler)

    response = _post(client, "unpublish", post)

    _assert_refused(response)
    post.refresh_from_db()
    assert post.on_wall


# -- public text --------------------------------------------------------------------------------


def test_it_edits_the_public_text_and_updates_the_wall(client):
    post, editor, handler = _replied()
    post.publish(editor)
    client.force_login(editor)

    response = _post(
        client, "public_text", post, {"public-public_title": "热水供应时间", "public-public_body": "已去掉电话号码。"}
    )

    _assert_back_on_the_post(response, post, "success")
    post.refresh_from_db()
    assert (post.public_title, post.public_body, post.show_photos) == ("热水供应时间", "已去掉电话号码。", False)
    assert post.title == "宿舍热水几点供应"
    assert post.page.title == "热水供应时间"


def test_it_refuses_editing_the_public_text_to_a_handler(client):
    post, editor, handler = _replied()
    client.force_login(handler)

    response = _post(client, "public_text", post, {"public-public_title": "改标题"})

    _assert_refused(response)
    post.refresh_from_db()
    assert post.public_title == ""


def test_it_keeps_the_public_title_within_its_length(client):
    post, editor, handler = _replied()
    client.force_login(editor)

    response = _post(client, "public_text", post, {"public-public_title": "长" * 101})

    _assert_back_on_the_post(response, post, "error")
    post.refresh_from_db()
    assert post.public_title == ""


def test_it_records_the_action_in_the_audit_trail(client):
    post = make_post()
    editor = make_editor()
    client.force_login(editor)

    _post(client, "accept", post, {"accept-unit": make_unit().pk})

    post.refresh_from_db()
    history = client.get(reverse("cases_admin:post", args=[post.pk])).context["audit_trail"]
    assert [(entry["who"], entry["data"].get("unit")) for entry in history] == [(editor.username, post.unit.name)]


def test_after_a_reply_the_handler_is_offered_the_next_post_of_the_queue(client):
    editor, unit = make_editor(), make_unit()
    handler = make_handler(unit)
    first = make_accepted_post(editor, unit, title="先到的诉求")
    second = make_accepted_post(editor, unit, title="后到的诉求")
    client.force_login(handler)

    form = {"reply-body": "已处理。", "reply-is_public": "on"}
    shown = client.post(reverse("cases_admin:reply", args=[first.pk]), form, follow=True).content.decode()
    assert f'href="{reverse("cases_admin:post", args=[second.pk])}"' in shown  # 下一条

    last = client.post(reverse("cases_admin:reply", args=[second.pk]), form, follow=True).content.decode()
    assert f'href="{reverse("cases_admin:post", args=[first.pk])}"' not in last  # answered: nothing next

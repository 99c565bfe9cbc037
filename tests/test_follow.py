"""Following a post on the wall: a visitor with the same question follows it instead of asking again,
and hears of its public replies and its closing by email — and of nothing that is not public. Or
says "我的问题已解决" beside it on the submit form, and the post counts one more question spared."""

from functools import partial

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from cases.models import AnswerReused, Follow, Post
from tests.factories import make_accepted_post, make_editor, make_handler, make_unit, make_user

MARKER = "私下答复-仅诉求人可见-7c1e"


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    return partial(django_capture_on_commit_callbacks, execute=True)


@pytest.fixture
def people():
    unit = make_unit("后勤管理处")
    return make_editor(), make_handler(unit), unit


@pytest.fixture
def post(people):
    editor, _, unit = people
    post = make_accepted_post(editor, unit, title="三号楼热水不热", contact_email="poster@example.com")
    post.publish(editor)
    post.refresh_from_db()
    return post


@pytest.fixture
def follower(client):
    user = make_user(email="follower@example.com")
    client.force_login(user)
    return user


def follow(client, post, page_id=None, **data):
    return client.post(reverse("wall:follow", args=[page_id or post.page_id]), data)


def test_it_follows_and_unfollows_a_post_from_its_page(client, post, follower):
    response = follow(client, post)
    assert response.status_code == 302 and response.url == post.page.url
    assert Follow.objects.filter(post=post, user=follower).exists()
    assert "取消关注" in client.get(post.page.url).content.decode()

    follow(client, post)  # again: still one follow
    assert Follow.objects.filter(post=post, user=follower).count() == 1

    follow(client, post, stop="1")
    assert not Follow.objects.exists()


def test_my_posts_lists_the_posts_i_follow(client, post, follower):
    follow(client, post)
    html = client.get(reverse("wall:my_posts")).content.decode()
    assert post.page.title in html and post.page.url in html


def test_it_asks_a_visitor_to_log_in_first(client, post):
    page = client.get(post.page.url).content.decode()
    assert f"{reverse('login')}?next=" in page and reverse("wall:follow", args=[post.page_id]) not in page
    response = follow(client, post)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert not Follow.objects.exists()


def test_it_refuses_a_get_and_a_post_not_on_the_wall(client, people, post, follower):
    editor, _, unit = people
    assert client.get(reverse("wall:follow", args=[post.page_id])).status_code == 405
    private = make_accepted_post(editor, unit, wants_public=False)
    assert client.post(reverse("wall:follow", args=[999999])).status_code == 404
    page_id = post.page_id
    post.unpublish(editor)
    assert follow(client, post, page_id).status_code == 404
    assert private.page is None and not Follow.objects.exists()


def test_followers_hear_of_public_replies_and_closing_only(people, post, on_commit):
    editor, handler, _ = people
    Follow.objects.create(post=post, user=make_user(email="follower@example.com"))
    Follow.objects.create(post=post, user=make_user(email=""))  # no address: nothing to send
    mail.outbox.clear()

    with on_commit():
        post.reply(handler, MARKER, is_public=False)
    assert [message.to for message in mail.outbox] == [["poster@example.com"]]  # the poster only

    mail.outbox.clear()
    with on_commit():
        post.reply(handler, "已更换热水器。", is_public=True)
    to_follower = [message for message in mail.outbox if message.to == ["follower@example.com"]]
    assert len(to_follower) == 1
    text = to_follower[0].subject + to_follower[0].body
    assert "三号楼热水不热" in text and post.page.full_url.split("/wall/")[1] in text
    assert MARKER not in text and "poster@example.com" not in text and post.tracking_token not in text

    mail.outbox.clear()
    with on_commit():
        post.close(handler)
    assert ["follower@example.com"] in [message.to for message in mail.outbox]


def test_followers_hear_nothing_once_it_left_the_wall(people, post, on_commit):
    editor, handler, _ = people
    Follow.objects.create(post=post, user=make_user(email="follower@example.com"))
    post.unpublish(editor)
    mail.outbox.clear()
    with on_commit():
        post.reply(handler, "已更换热水器。", is_public=True)
    assert all(message.to != ["follower@example.com"] for message in mail.outbox)
    assert Post.objects.get(pk=post.pk).page is None


def answered(client, page_id):
    return client.post(reverse("wall:answer_reused", args=[page_id]))


def test_my_question_is_answered_opens_the_post_and_counts_once_a_browser(client, post):
    posts_before = Post.objects.count()
    response = answered(client, post.page_id)
    assert response.status_code == 302 and response.url == post.page.url
    page = client.get(post.page.url).content.decode()
    assert "这次没有提交新诉求" in page and "已有 1 人在这里找到答案" in page
    assert Post.objects.count() == posts_before

    answered(client, post.page_id)  # the same browser again: still one
    answered(Client(), post.page_id)  # someone else
    assert AnswerReused.objects.filter(post=post).count() == 2
    assert "已有 2 人在这里找到答案" in client.get(post.page.url).content.decode()


def test_my_question_is_answered_refuses_a_get_and_a_post_not_on_the_wall(client, people, post):
    editor, _, _ = people
    assert client.get(reverse("wall:answer_reused", args=[post.page_id])).status_code == 405
    page_id = post.page_id
    post.unpublish(editor)
    assert answered(client, page_id).status_code == 404
    assert answered(client, 999999).status_code == 404
    assert not AnswerReused.objects.exists()


def test_a_post_the_gate_no_longer_lets_out_is_not_found_even_before_its_page_is_withdrawn(client, post, follower):
    Post.objects.filter(pk=post.pk).update(wants_public=False)  # no signal: the page is still live
    assert answered(client, post.page_id).status_code == 404
    assert follow(client, post).status_code == 404
    assert not AnswerReused.objects.exists() and not Follow.objects.exists()

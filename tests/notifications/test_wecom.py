"""Posters who signed on through the campus may hear by WeCom (企业微信) application messages, sent to
their campus ID; tested against a fake WeCom API on 127.0.0.1. An anonymous poster's campus ID never
shows to staff."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from accounts.models import CampusIdentity
from accounts.wecom import TOKEN_KEY
from cases.models import Post
from notifications.models import Notification
from tests.factories import make_accepted_post, make_editor, make_handler, make_unit, make_user
from tests.sso_fakes import FakeServer, WeComHandler, switch_on_wecom


@pytest.fixture
def wecom(settings):
    with FakeServer(WeComHandler) as server:
        switch_on_wecom(settings, server)
        yield server.state


def _campus_user():
    user = make_user()
    CampusIdentity.objects.create(user=user, source=CampusIdentity.Source.CAS, campus_id="20230001", name="张三")
    return user


def _reply_to(post, on_commit):
    unit = post.unit
    with on_commit(execute=True):
        post.reply(make_handler(unit), "明天上午维修", is_public=False)


def test_a_campus_poster_who_chose_wecom_gets_the_reply_there(wecom, django_capture_on_commit_callbacks):
    post = make_accepted_post(make_editor(), make_unit(), poster=_campus_user(), notify_by=Post.NotifyBy.WECOM)
    _reply_to(post, django_capture_on_commit_callbacks)
    _reply_to(post, django_capture_on_commit_callbacks)

    assert [token for token, _ in wecom["messages"]] == ["token-1", "token-1"]  # one token, reused
    message = wecom["messages"][0][1]
    assert (message["touser"], message["msgtype"], message["agentid"]) == ("20230001", "text", 1000002)
    assert f"/track/{post.tracking_token}/" in message["text"]["content"]


def test_an_anonymous_posters_campus_id_is_hidden_from_staff(wecom, django_capture_on_commit_callbacks):
    post = make_accepted_post(
        make_editor(), make_unit(), poster=_campus_user(), is_anonymous=True, notify_by=Post.NotifyBy.WECOM
    )
    _reply_to(post, django_capture_on_commit_callbacks)

    stored = Notification.objects.get(post=post, channel=Notification.Channel.WECOM)
    assert stored.status == Notification.Status.SENT and stored.hide_recipient
    assert "20230001" not in str(stored)


def test_a_refused_message_waits_for_a_retry_with_a_fresh_token(wecom, django_capture_on_commit_callbacks):
    wecom["errcode"] = 42001  # the access token expired
    post = make_accepted_post(make_editor(), make_unit(), poster=_campus_user(), notify_by=Post.NotifyBy.WECOM)
    _reply_to(post, django_capture_on_commit_callbacks)
    stored = Notification.objects.get(post=post, channel=Notification.Channel.WECOM)
    assert stored.status == Notification.Status.PENDING and "42001" in stored.last_error
    assert cache.get(TOKEN_KEY) is None


def test_the_form_offers_wecom_to_campus_users_only(client, wecom):
    assert 'value="wecom"' not in client.get(reverse("wall:submit")).content.decode()
    client.force_login(make_user())
    assert 'name="notify_by"' not in client.get(reverse("wall:submit")).content.decode()
    client.force_login(_campus_user())
    assert 'value="wecom"' in client.get(reverse("wall:submit")).content.decode()

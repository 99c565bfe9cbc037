"""Abuse: posts and tracking-page actions are limited per caller's IP, and the same post sent twice
from one browser (a double tap, "back" and "submit") is stored once."""

from datetime import timedelta

import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_accepted_post, make_editor, make_handler, make_unit
from tests.test_submit import form_data
from wall.models import Post, Rating


def post(client, **fields):
    return client.post(reverse("wall:submit"), form_data(**fields))


def test_it_refuses_posts_past_the_limit_and_keeps_what_was_typed(client, settings):
    settings.ECHOWALL_WEB_POSTS_PER_IP = 2
    assert post(client, title="第一条：图书馆").status_code == 302
    assert post(client, title="第二条：图书馆").status_code == 302

    refused = post(client, title="第三条：图书馆座位")
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "稍后再试" in page and "第三条：图书馆座位" in page
    assert Post.objects.count() == 2

    elsewhere = Client(REMOTE_ADDR="10.0.0.9")  # another network has its own budget
    assert post(elsewhere, title="第三条：图书馆座位").status_code == 302


def test_it_stores_a_post_sent_twice_from_one_browser_once(client):
    first = post(client)
    again = post(client, body=form_data()["body"] + "  ")  # the same text, give or take spaces
    assert again.status_code == 302 and again.url == first.url
    assert Post.objects.count() == 1
    assert "不会重复提交" in client.get(again.url).content.decode()


def test_the_same_text_from_another_browser_or_later_is_a_new_post(client):
    post(client)
    assert post(Client()).status_code == 302  # two people may ask the same thing
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        assert post(client).status_code == 302
    assert Post.objects.count() == 3


def test_it_refuses_tracking_page_actions_past_the_limit(client, settings):
    settings.ECHOWALL_WEB_ACTIONS_PER_IP = 1
    unit = make_unit()
    case = make_accepted_post(make_editor(), unit)
    case.reply(make_handler(unit), "已处理。", is_public=True)
    track = reverse("wall:follow_up", args=[case.tracking_token])
    assert client.post(track, {"body": "补充一点情况。"}).status_code == 302

    refused = client.post(reverse("wall:rate", args=[case.tracking_token]), {"attitude": 5, "speed": 5, "result": 5})
    assert refused.status_code == 429 and "稍后再试" in refused.content.decode()
    assert not Rating.objects.exists()

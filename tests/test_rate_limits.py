"""Abuse: posts and tracking-page actions are limited per caller's IP, and the same post sent twice
from one browser (a double tap, "back" and "submit") is stored once."""

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import ratelimit
from accounts.models import RateCounter
from cases.escalation import tick
from cases.models import Post, Rating
from tests.factories import make_accepted_post, make_editor, make_handler, make_unit
from tests.test_submit import form_data


def post(client, **fields):
    return client.post(reverse("wall:submit"), form_data(**fields))


def test_it_refuses_posts_past_the_limit_and_keeps_what_was_typed(client, settings, each_cache):
    settings.ECHOWALL_WEB_POSTS_PER_IP = 2
    assert post(client, title="第一条：图书馆").status_code == 302
    assert post(client, title="第二条：图书馆").status_code == 302

    refused = post(client, title="第三条：图书馆座位")
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "稍后再试" in page and "第三条：图书馆座位" in page
    assert Post.objects.count() == 2
    assert RateCounter.objects.exists() == (each_cache == "one machine")  # on Redis, no row per post

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


def test_a_limit_survives_the_cache_being_emptied(client, settings):
    # The page cache culls entries when full (or a deploy clears it); a limit must not reset with it.
    settings.ECHOWALL_WEB_POSTS_PER_IP = 1
    assert post(client, title="第一条：图书馆").status_code == 302
    cache.clear()
    assert post(client, title="第二条：图书馆").status_code == 429


def test_behind_a_proxy_it_counts_the_address_the_proxy_saw_not_what_the_client_wrote(client, settings):
    settings.ECHOWALL_WEB_POSTS_PER_IP = 1
    settings.ECHOWALL_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.ECHOWALL_TRUSTED_PROXIES = 1

    # nginx appends the address it was called from; whatever stands before it the client made up.
    def post_via(forwarded_for, title):
        return client.post(reverse("wall:submit"), form_data(title=title), HTTP_X_FORWARDED_FOR=forwarded_for)

    assert post_via("1.1.1.1, 203.0.113.7", "第一条：图书馆").status_code == 302
    assert post_via("1.1.1.2, 203.0.113.7", "第二条：图书馆").status_code == 429
    assert post_via("1.1.1.2, 203.0.113.8", "第三条：图书馆").status_code == 302


def test_with_two_proxies_it_counts_the_address_the_outer_one_saw(rf, settings):
    settings.ECHOWALL_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.ECHOWALL_TRUSTED_PROXIES = 2
    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7, 10.0.0.2", REMOTE_ADDR="10.0.0.3")
    assert ratelimit.client_ip(request) == "203.0.113.7"
    assert ratelimit.client_ip(rf.get("/", REMOTE_ADDR="10.0.0.3")) == "10.0.0.3"  # no header: the peer


def test_it_limits_tracking_code_look_ups_per_address(client, settings):
    settings.ECHOWALL_TRACK_LOOKUPS_PER_IP = 3
    case = make_accepted_post(make_editor(), make_unit())
    url = reverse("wall:track_lookup")
    for guess in ("AAAA1111", "AAAA2222"):
        assert client.post(url, {"code": guess}).status_code == 200  # "no post has this code"
    assert client.post(url, {"code": case.tracking_code}).status_code == 302

    refused = client.post(url, {"code": case.tracking_code})
    assert refused.status_code == 429
    assert "查询次数过多" in refused.content.decode()
    assert Client(REMOTE_ADDR="10.0.0.9").post(url, {"code": case.tracking_code}).status_code == 302


@pytest.mark.parametrize("login_url", [reverse("wagtailadmin_login"), reverse("login")])
def test_it_stops_password_guessing_per_account_and_tells_why(client, settings, login_url):
    settings.ECHOWALL_LOGIN_FAILURES_PER_ACCOUNT = 3
    make_editor(username="editor-li")
    make_editor(username="editor-wang")
    for _ in range(3):
        guess = client.post(login_url, {"username": "editor-li", "password": "guess"})
        assert not guess.wsgi_request.user.is_authenticated

    refused = client.post(login_url, {"username": "editor-li", "password": "pw-123456"})
    assert not refused.wsgi_request.user.is_authenticated
    assert "登录失败次数过多" in refused.content.decode()
    # Another account is not locked by someone guessing this one's password.
    assert client.post(login_url, {"username": "editor-wang", "password": "pw-123456"}).status_code == 302

    with time_machine.travel(timezone.now() + timedelta(seconds=settings.ECHOWALL_LOGIN_WINDOW + 1)):
        assert Client().post(login_url, {"username": "editor-li", "password": "pw-123456"}).status_code == 302


def test_it_stops_one_address_trying_many_accounts(client, settings):
    settings.ECHOWALL_LOGIN_FAILURES_PER_IP = 4
    make_editor(username="editor-zhao")
    for n in range(4):
        client.post(reverse("wagtailadmin_login"), {"username": f"nobody{n}", "password": "guess"})

    refused = client.post(reverse("wagtailadmin_login"), {"username": "editor-zhao", "password": "pw-123456"})
    assert "登录失败次数过多" in refused.content.decode()
    elsewhere = Client(REMOTE_ADDR="10.0.0.9").post(
        reverse("wagtailadmin_login"), {"username": "editor-zhao", "password": "pw-123456"}
    )
    assert elsewhere.status_code == 302


def test_the_tick_removes_expired_counters(settings):
    ratelimit.hit("test:ip:1.2.3.4", 60)
    assert RateCounter.objects.count() == 1
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        tick()
    assert RateCounter.objects.count() == 0

"""The poster's tracking page: unguessable link, short code, replies incl. private, follow-up, rate, reopen."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from cases.models import Post
from tests.factories import make_editor, make_handler, make_post, make_replied_post, make_unit, make_user

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def replied_post():
    unit = make_unit("后勤管理处")
    post = make_replied_post(make_editor(), make_handler(unit), unit, is_public=False, body="私下答复：已换热水器")
    return post


def track_url(post, name="wall:track"):
    return reverse(name, args=[post.tracking_token])


def test_it_shows_status_and_private_replies_to_the_token_holder(client, replied_post):
    response = client.get(track_url(replied_post))
    html = response.content.decode()
    assert response.status_code == 200
    assert "私下答复：已换热水器" in html
    assert replied_post.tracking_code in html
    assert 'name="robots" content="noindex' in html


def test_it_answers_404_for_a_bad_token(client):
    make_post()
    assert client.get(reverse("wall:track", args=["not-a-real-token"])).status_code == 404


def test_it_finds_a_post_by_its_tracking_code(client, replied_post):
    code = replied_post.tracking_code.lower()
    response = client.post(reverse("wall:track_lookup"), {"code": f" {code[:5]}-{code[5:]} "})
    assert response.status_code == 302
    assert response.url == track_url(replied_post)


def test_it_explains_an_unknown_tracking_code(client):
    response = client.post(reverse("wall:track_lookup"), {"code": "ZZZZZZZZZZ"})
    assert response.status_code == 200
    assert response.context["form"].errors["code"]


def test_the_poster_adds_a_follow_up(client, replied_post):
    response = client.post(track_url(replied_post, "wall:follow_up"), {"body": "补充：是 402 房间"})
    assert response.status_code == 302
    assert replied_post.follow_ups.get().body == "补充：是 402 房间"


def test_the_poster_rates_the_reply_once(client, replied_post):
    scores = {"attitude": 5, "speed": 4, "result": 2, "comment": "态度好但没解决"}
    assert client.post(track_url(replied_post, "wall:rate"), scores).status_code == 302
    again = client.post(track_url(replied_post, "wall:rate"), scores)
    assert again.status_code == 400
    assert replied_post.ratings.count() == 1


def test_it_refuses_a_rating_out_of_range(client, replied_post):
    response = client.post(track_url(replied_post, "wall:rate"), {"attitude": 9, "speed": 4, "result": 3})
    assert response.status_code == 400
    assert response.context["rating_form"].errors["attitude"]
    assert not replied_post.ratings.exists()


def test_the_poster_reopens_when_unsatisfied(client, replied_post):
    response = client.post(track_url(replied_post, "wall:reopen"), {"reason": "热水还是时有时无"})
    assert response.status_code == 302
    replied_post.refresh_from_db()
    assert replied_post.status == Post.Status.REOPENED


def test_it_refuses_reopen_of_an_unanswered_post(client):
    post = make_post()
    response = client.post(track_url(post, "wall:reopen"), {"reason": "?"})
    assert response.status_code == 400
    assert Post.objects.get(pk=post.pk).status == Post.Status.SUBMITTED


def test_poster_actions_need_post(client, replied_post):
    assert client.get(track_url(replied_post, "wall:reopen")).status_code == 405


def test_it_shows_the_rejection_reason(client):
    post = make_post()
    post.reject(make_editor(), "请直接拨打报修电话 12345")
    assert "请直接拨打报修电话 12345" in client.get(track_url(post)).content.decode()


def test_my_posts_lists_only_my_own(client):
    me, other = make_user(), make_user()
    make_post(poster=me, title="我的诉求一")
    make_post(poster=other, title="别人的诉求")
    client.force_login(me)
    html = client.get(reverse("wall:my_posts")).content.decode()
    assert "我的诉求一" in html and "别人的诉求" not in html


def test_my_posts_needs_login(client):
    assert client.get(reverse("wall:my_posts")).status_code == 302


def test_the_poster_is_promised_a_reply_time_from_the_moment_of_posting(client):
    posted = datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)
    # The default rules: screened within 8 hours, answered within 24 hours of that.
    with time_machine.travel(posted, tick=False):
        post = make_post()
        for name in ("wall:thanks", "wall:track"):
            assert "2026-03-03 18:00" in _promise_text(client, track_url(post, name))
    unit = make_unit()
    with time_machine.travel(posted + timedelta(days=2), tick=False):  # screened late: the promise holds
        post.accept(make_editor(), unit)
        assert post.reply_due_at > posted + timedelta(days=2)
        text = _promise_text(client, track_url(post))
        assert "2026-03-03 18:00" in text and "督办" in text  # and the page says it has passed
        handler = make_handler(unit)
        post.reply(handler, "已处理", is_public=True)
        assert _promise_text(client, track_url(post)) is None
        assert client.get(f"/api/v1/track/{post.tracking_token}").json()["promised_reply_at"] is None
        post.rate(1, 1, 1, "没有解决")  # reopens: the new round's deadline
        post.refresh_from_db()
        assert timezone.localtime(post.reply_due_at).strftime("%Y-%m-%d %H:%M") in _promise_text(
            client, track_url(post)
        )


def _promise_text(client, url):
    content = client.get(url).content.decode()
    match = re.search(r"<[^>]*data-promised-reply[^>]*>(.*?)</", content, re.S)
    return match.group(1) if match else None


def test_the_rating_scale_is_labelled_and_warns_before_and_after_a_reopening_score(client, replied_post):
    content = client.get(track_url(replied_post)).content.decode()
    assert "很不满意" in content and "很满意" in content
    warning = re.search(r"<p [^>]*data-reopen-warning[^>]*>(.*?)</p>", content, re.S).group(1)
    assert "2 分" in warning and "后勤管理处" in warning  # the default: a result of 2 or less reopens

    response = client.post(track_url(replied_post, "wall:rate"), {"attitude": 3, "speed": 3, "result": 2}, follow=True)

    assert "退回后勤管理处重新办理" in response.content.decode()
    assert Post.objects.get(pk=replied_post.pk).status == Post.Status.REOPENED

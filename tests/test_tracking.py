"""The poster's tracking page: unguessable link, short code, replies incl. private, follow-up, rate, reopen."""

import pytest
from django.urls import reverse

from cases.models import Post
from tests.factories import make_editor, make_handler, make_post, make_replied_post, make_unit, make_user


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

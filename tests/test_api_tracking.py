"""/api/v1/track/{token}: the poster sees every reply to their post, rates it and reopens it."""

import pytest
from django.core.cache import cache

from cases.models import Post
from tests.factories import make_editor, make_handler, make_post, make_replied_post, make_unit


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


@pytest.fixture
def answered(django_capture_on_commit_callbacks):
    unit = make_unit("后勤管理处")
    editor, handler = make_editor(), make_handler(unit)
    with django_capture_on_commit_callbacks(execute=True):
        post = make_replied_post(editor, handler, unit, contact_phone="13999999917")
        post.reply(handler, "仅您可见：明天上门。", is_public=False)
    return post


def _url(post, action=""):
    return f"/api/v1/track/{post.tracking_token}{action}"


def test_the_token_holder_sees_public_and_private_replies(client, answered):
    data = client.get(_url(answered)).json()
    assert data["status"] == "replied" and data["tracking_code"] == answered.tracking_code
    assert [(r["body"], r["is_public"]) for r in data["replies"]] == [
        ("每天 6:30–23:30 供应。", True),
        ("仅您可见：明天上门。", False),
    ]
    assert data["can_rate"] is True
    assert "13999999917" not in str(data)  # a leaked link must not give the phone number away


def test_a_wrong_token_is_not_found(client, answered):
    response = client.get("/api/v1/track/not-the-token")
    assert response.status_code == 404 and response.json()["detail"]
    assert (
        client.post("/api/v1/track/not-the-token/reopen", {"reason": "x"}, content_type="application/json").status_code
        == 404
    )


def test_the_poster_rates_once_per_round(client, answered):
    scores = {"attitude": 5, "speed": 4, "result": 5, "comment": "谢谢"}
    response = client.post(_url(answered, "/rate"), scores, content_type="application/json")
    assert response.status_code == 200 and response.json()["can_rate"] is False
    assert answered.ratings.get().speed == 4
    again = client.post(_url(answered, "/rate"), scores, content_type="application/json")
    assert again.status_code == 409 and again.json()["detail"]


def test_a_rating_out_of_range_is_refused(client, answered):
    response = client.post(
        _url(answered, "/rate"), {"attitude": 6, "speed": 1, "result": 1}, content_type="application/json"
    )
    assert response.status_code == 422
    assert not answered.ratings.exists()


def test_a_low_result_reopens_the_post(client, answered):
    client.post(_url(answered, "/rate"), {"attitude": 3, "speed": 3, "result": 1}, content_type="application/json")
    answered.refresh_from_db()
    assert answered.status == Post.Status.REOPENED


def test_the_poster_reopens_with_a_reason(client, answered):
    response = client.post(_url(answered, "/reopen"), {"reason": "还是没有热水"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "reopened"
    answered.refresh_from_db()
    assert answered.status == Post.Status.REOPENED and answered.round == 2


def test_an_unanswered_post_cannot_be_reopened_or_rated(client):
    post = make_post()
    assert client.post(_url(post, "/reopen"), {"reason": "没人理"}, content_type="application/json").status_code == 409
    rate = client.post(_url(post, "/rate"), {"attitude": 1, "speed": 1, "result": 1}, content_type="application/json")
    assert rate.status_code == 409
    post.refresh_from_db()
    assert post.status == Post.Status.SUBMITTED


def test_the_poster_adds_a_follow_up(client, answered):
    response = client.post(_url(answered, "/follow-ups"), {"body": "补充：三楼也没有"}, content_type="application/json")
    assert [f["body"] for f in response.json()["follow_ups"]] == ["补充：三楼也没有"]
    assert client.post(_url(answered, "/follow-ups"), {"body": ""}, content_type="application/json").status_code == 422


def test_poster_actions_are_rate_limited_per_ip(client, answered, settings):
    settings.ECHOWALL_API_WRITES_PER_IP = 1
    assert (
        client.post(_url(answered, "/follow-ups"), {"body": "一"}, content_type="application/json").status_code == 200
    )
    refused = client.post(_url(answered, "/follow-ups"), {"body": "二"}, content_type="application/json")
    assert refused.status_code == 429
    assert answered.follow_ups.count() == 1

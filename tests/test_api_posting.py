"""POST /api/v1/posts: the web's rules (screening, anonymity, privacy) with a key or a login, rate-limited."""

import pytest
from django.core.cache import cache

from api.models import ApiClient, ApiSubmission
from cases.models import Post
from tests.factories import make_category, make_kind, make_unit, make_user

URL = "/api/v1/posts"


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


@pytest.fixture
def key():
    return ApiClient.objects.create(name="WeCom").issue_key()[1]


@pytest.fixture
def fields():
    return {
        "kind": make_kind("报修", "repair").slug,
        "category": make_category().pk,
        "title": "五号楼水龙头漏水",
        "body": "五号楼二层的水龙头一直在漏水，麻烦来修一下。",
    }


def _post(client, data, key=None, **headers):
    if key:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    return client.post(URL, data, content_type="application/json", **headers)


def test_a_client_posts_and_gets_the_tracking_token(client, fields, key):
    response = _post(client, {**fields, "contact_phone": "13800000000"}, key)
    assert response.status_code == 201
    data = response.json()
    post = Post.objects.get(pk=data["id"])
    assert data["tracking_token"] == post.tracking_token and data["status"] == "submitted"
    assert post.status == Post.Status.SUBMITTED
    assert post.contact_phone == "13800000000"
    assert ApiSubmission.objects.get(post=post).client.name == "WeCom"


def test_a_client_post_is_anonymous_and_private_by_default(client, fields, key):
    data = _post(client, {**fields, "anonymous": False}, key).json()
    post = Post.objects.get(pk=data["id"])
    assert post.is_anonymous and post.poster is None  # a system's key vouches for nobody
    assert post.wants_public is False
    public = _post(client, {**fields, "wants_public": True}, key).json()
    assert Post.objects.get(pk=public["id"]).wants_public is True


def test_the_key_may_come_in_x_api_key(client, fields, key):
    assert _post(client, fields, HTTP_X_API_KEY=key).status_code == 201


def test_a_logged_in_poster_posts_under_their_name_or_anonymously(client, fields):
    student = make_user("student")
    client.force_login(student)
    named = Post.objects.get(pk=_post(client, fields).json()["id"])
    assert named.poster == student and not named.is_anonymous
    hidden = Post.objects.get(pk=_post(client, {**fields, "anonymous": True}).json()["id"])
    assert hidden.poster == student and hidden.is_anonymous


def test_it_refuses_a_post_without_key_or_login(client, fields):
    response = _post(client, fields)
    assert response.status_code == 401
    assert "API key" in response.json()["detail"] or "Authorization" in response.json()["detail"]
    assert _post(client, fields, "wrong-key").status_code == 401
    assert not Post.objects.exists()


def test_it_refuses_a_revoked_key(client, fields, key):
    ApiClient.objects.get().keys.get().revoke()
    assert _post(client, fields, key).status_code == 401


def test_it_refuses_invalid_fields_with_a_message(client, fields, key):
    short = _post(client, {**fields, "body": "太短"}, key)
    assert short.status_code == 422 and short.json()["detail"]
    unknown_kind = _post(client, {**fields, "kind": "nope"}, key)
    assert unknown_kind.status_code == 422 and "kind" in unknown_kind.json()["detail"]
    unknown_category = _post(client, {**fields, "category": 99999}, key)
    assert unknown_category.status_code == 422 and "category" in unknown_category.json()["detail"]
    inactive = make_unit(is_active=False)
    assert _post(client, {**fields, "unit": inactive.pk}, key).status_code == 422
    assert _post(client, {**fields, "contact_email": "nope"}, key).status_code == 422
    assert not Post.objects.exists()


def test_it_limits_writes_per_client(client, fields, key, settings):
    settings.ECHOWALL_API_WRITES_PER_CLIENT = 1
    assert _post(client, fields, key).status_code == 201
    refused = _post(client, fields, key)
    assert refused.status_code == 429 and refused.json()["detail"]
    other = ApiClient.objects.create(name="OA").issue_key()[1]
    assert _post(client, fields, other).status_code == 201


def test_it_limits_writes_per_ip_without_a_key(client, fields, settings):
    settings.ECHOWALL_API_WRITES_PER_IP = 1
    client.force_login(make_user())
    assert _post(client, fields, REMOTE_ADDR="10.0.0.1").status_code == 201
    assert _post(client, fields, REMOTE_ADDR="10.0.0.1").status_code == 429
    assert _post(client, fields, REMOTE_ADDR="10.0.0.2").status_code == 201
    assert Post.objects.count() == 2


def test_it_reads_the_address_from_the_configured_proxy_header(client, fields, settings):
    settings.ECHOWALL_API_WRITES_PER_IP = 1
    settings.ECHOWALL_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    client.force_login(make_user())
    assert _post(client, fields, HTTP_X_REAL_IP="10.0.0.1").status_code == 201
    assert _post(client, fields, HTTP_X_REAL_IP="10.0.0.2").status_code == 201
    assert _post(client, fields, HTTP_X_REAL_IP="10.0.0.1").status_code == 429


def test_a_session_post_needs_the_csrf_token(fields):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(make_user())
    assert _post(browser, fields).status_code == 403
    assert not Post.objects.exists()

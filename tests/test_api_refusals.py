"""Every refusal from /api/v1/ is JSON with one clear message, whatever went wrong: no HTML page, no
plain text, no redirect."""

import pytest
from django.core.cache import cache
from django.test import Client

from api.models import ApiClient
from cases.models import Post
from tests.factories import make_category, make_kind, make_user


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


@pytest.fixture
def fields():
    return {
        "kind": make_kind("报修", "repair").slug,
        "category": make_category().pk,
        "title": "五号楼水龙头漏水",
        "body": "五号楼二层的水龙头一直在漏水，麻烦来修一下。",
    }


@pytest.fixture
def key():
    return ApiClient.objects.create(name="WeCom").issue_key()[1]


def _detail(response, status):
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    detail = response.json()["detail"]
    assert isinstance(detail, str) and detail.strip()
    return detail


def _bearer(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_an_unknown_path_is_a_json_404_without_a_redirect(client):
    assert "/api/v1/nope" in _detail(client.get("/api/v1/nope"), 404)
    assert "/api/v1/posts/1/nope" in _detail(client.post("/api/v1/posts/1/nope", {}), 404)


def test_a_post_that_is_not_public_is_a_json_404(client):
    assert _detail(client.get("/api/v1/posts/999999"), 404)


def test_a_wrong_method_is_a_json_405_that_says_which_are_allowed(client):
    response = client.delete("/api/v1/posts")
    assert "DELETE" in _detail(response, 405)
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "POST"}
    assert "PUT" in _detail(client.put("/api/v1/similar"), 405)


def test_a_write_without_key_or_login_is_a_json_401(client, fields):
    assert "X-Api-Key" in _detail(client.post("/api/v1/posts", fields, content_type="application/json"), 401)


def test_a_staff_endpoint_for_someone_not_staff_is_a_json_403(client):
    client.force_login(make_user())
    assert _detail(client.get("/api/v1/staff/queue"), 403)


def test_a_session_write_without_the_csrf_token_is_a_json_403(fields):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(make_user())
    assert _detail(browser.post("/api/v1/posts", fields, content_type="application/json"), 403)
    assert not Post.objects.exists()


def test_a_form_encoded_body_is_a_json_415(client, fields, key):
    detail = _detail(client.post("/api/v1/posts", fields, **_bearer(key)), 415)
    assert "application/json" in detail
    assert not Post.objects.exists()


def test_json_sent_as_plain_text_is_a_json_415(client, key):
    response = client.post("/api/v1/posts", '{"title": "x"}', content_type="text/plain", **_bearer(key))
    assert "application/json" in _detail(response, 415)


def test_a_body_that_is_not_json_is_a_json_400(client, key):
    response = client.post("/api/v1/posts", "{title: 五号楼", content_type="application/json", **_bearer(key))
    assert "JSON" in _detail(response, 400)


def test_invalid_fields_are_a_json_422_naming_each_field(client, fields, key):
    response = client.post(
        "/api/v1/posts", {**fields, "title": "漏", "category": "x"}, content_type="application/json", **_bearer(key)
    )
    detail = _detail(response, 422)
    assert "title: " in detail and "category: " in detail


def test_a_bad_query_parameter_is_a_json_422(client):
    assert "limit: " in _detail(client.get("/api/v1/similar", {"q": "热水", "limit": 0}), 422)


def test_too_many_writes_is_a_json_429(client, fields, key, settings):
    settings.ECHOWALL_API_WRITES_PER_CLIENT = 1
    client.post("/api/v1/posts", fields, content_type="application/json", **_bearer(key))
    assert _detail(client.post("/api/v1/posts", fields, content_type="application/json", **_bearer(key)), 429)


def test_text_with_a_nul_character_is_refused_and_nothing_stored(client, fields, key):
    for name in ("kind", "title", "contact_name"):
        body = {**fields, name: f"{fields.get(name, '')}\x00"}
        response = client.post("/api/v1/posts", body, content_type="application/json", **_bearer(key))
        assert "NUL" in _detail(response, 422)
    assert not Post.objects.exists()

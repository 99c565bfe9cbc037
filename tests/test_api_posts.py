"""GET /api/v1/posts and /posts/{id}: the public wall as JSON, and nothing that is not on it."""

import json

import pytest

from tests.factories import make_accepted_post, make_editor, make_handler, make_replied_post, make_unit, make_user

MARKERS = ("MKPRIVTITLE", "MKPRIVBODY", "MKPRIVREPLY", "MKCONTACT", "13999999917", "mkposter", "MKUNPUB")


@pytest.fixture
def wall(django_capture_on_commit_callbacks):
    unit = make_unit("后勤管理处")
    editor, handler = make_editor(), make_handler(unit)
    with django_capture_on_commit_callbacks(execute=True):
        public = make_replied_post(
            editor,
            handler,
            unit,
            title="三号楼宿舍热水不稳定",
            poster=make_user("mkposter", first_name="MKPOSTERNAME"),
            is_anonymous=True,
            contact_name="MKCONTACT",
            contact_phone="13999999917",
        )
        public.reply(handler, "仅您可见 MKPRIVREPLY", is_public=False)
        public.publish(editor)
        other = make_accepted_post(editor, unit, title="校园网晚上经常断线", body="晚上十点以后经常掉线。")
        other.reply(handler, "信息中心已排查线路。", is_public=True)
        other.publish(editor)
        other.close(handler)
        private = make_replied_post(
            editor, handler, unit, title="宿舍热水 MKPRIVTITLE", body="MKPRIVBODY", wants_public=False
        )
        unpublished = make_accepted_post(editor, unit, title="宿舍热水 MKUNPUB")
    return {"public": public, "other": other, "private": private, "unpublished": unpublished, "unit": unit}


def _assert_no_markers(response):
    text = json.dumps(response.json(), ensure_ascii=False).lower()
    for marker in MARKERS:
        assert marker.lower() not in text, marker


def test_it_lists_public_posts_newest_first(client, wall):
    response = client.get("/api/v1/posts")
    data = response.json()
    assert data["count"] == 2
    assert [post["id"] for post in data["results"]] == [wall["other"].pk, wall["public"].pk]
    _assert_no_markers(response)


def test_a_public_post_shows_only_its_public_replies(client, wall):
    response = client.get(f"/api/v1/posts/{wall['public'].pk}")
    post = response.json()
    assert post["title"] == "三号楼宿舍热水不稳定"
    assert post["unit"] == "后勤管理处"
    assert [reply["body"] for reply in post["replies"]] == ["每天 6:30–23:30 供应。"]
    assert post["url"].endswith(f"/{wall['public'].pk}/")
    assert "三号楼宿舍热水不稳定" in response.content.decode()  # UTF-8, not \u escapes
    _assert_no_markers(response)


def test_a_post_not_on_the_wall_is_not_found(client, wall):
    for name in ("private", "unpublished"):
        response = client.get(f"/api/v1/posts/{wall[name].pk}")
        assert response.status_code == 404
        assert "detail" in response.json()
    assert client.get("/api/v1/posts/999999").status_code == 404


def test_it_filters_and_pages(client, wall):
    assert [p["id"] for p in client.get("/api/v1/posts", {"status": "closed"}).json()["results"]] == [wall["other"].pk]
    assert client.get("/api/v1/posts", {"unit": wall["unit"].pk + 1000}).json()["count"] == 0
    second = client.get("/api/v1/posts", {"per_page": 1, "page": 2}).json()
    assert second["count"] == 2 and [p["id"] for p in second["results"]] == [wall["public"].pk]


def test_it_refuses_bad_parameters_with_a_json_error(client, wall):
    for params in ({"per_page": 101}, {"page": 0}, {"status": "submitted-ish"}):
        response = client.get("/api/v1/posts", params)
        assert response.status_code == 422, params
        assert response.json()["detail"]


def test_it_searches_public_posts_only(client, wall):
    response = client.get("/api/v1/posts", {"q": "宿舍热水"})
    assert [post["id"] for post in response.json()["results"]] == [wall["public"].pk]
    _assert_no_markers(response)
    for marker in MARKERS:
        assert client.get("/api/v1/posts", {"q": marker}).json()["results"] == [], marker


def test_a_withdrawn_post_leaves_the_api(client, wall, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        wall["public"].unpublish(make_editor())
    assert client.get(f"/api/v1/posts/{wall['public'].pk}").status_code == 404
    assert client.get("/api/v1/posts", {"q": "宿舍热水"}).json()["results"] == []


def test_the_openapi_schema_lists_every_endpoint(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/v1/posts",
        "/api/v1/posts/{post_id}",
        "/api/v1/track/{token}",
        "/api/v1/track/{token}/rate",
        "/api/v1/track/{token}/reopen",
        "/api/v1/staff/queue",
        "/api/v1/staff/posts/{post_id}/reply",
    ):
        assert path in paths, path
    assert client.get("/api/v1/docs").status_code == 200

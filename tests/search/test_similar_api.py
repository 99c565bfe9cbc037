"""GET /api/v1/similar: published posts like a text, best first, public only."""

import pytest

from tests.factories import make_accepted_post, make_editor, make_handler, make_replied_post, make_unit
from wall.models import WallPostPage

URL = "/api/v1/similar"


@pytest.fixture
def wall(django_capture_on_commit_callbacks):
    unit = make_unit("后勤管理处")
    editor, handler = make_editor(), make_handler(unit)
    posts = {}
    with django_capture_on_commit_callbacks(execute=True):
        for key, title in {
            "water": "三号楼宿舍热水不稳定",
            "net": "校园网晚上经常断线",
            "canteen": "第二食堂饭菜涨价",
        }.items():
            post = make_replied_post(editor, handler, unit, title=title, body=title + "，希望尽快解决。")
            post.publish(editor)
            posts[key] = post
        posts["private"] = make_replied_post(
            editor, handler, unit, title="宿舍热水器坏了 私密", body="宿舍热水器坏了", wants_public=False
        )
        posts["unpublished"] = make_accepted_post(editor, unit, title="宿舍热水没有了")
    return posts


def test_it_finds_the_matching_post_first(client, wall):
    results = client.get(URL, {"q": "宿舍热水怎么老是不稳定"}).json()["results"]
    water = wall["water"]
    water.refresh_from_db()
    assert results[0]["id"] == water.page.pk
    assert results[0]["url"] == water.page.url
    assert results[0]["status"] == "replied" and results[0]["answered"] is True
    fields = {"id", "title", "url", "score", "excerpt", "status", "status_label", "answered", "alike", "answer"}
    assert set(results[0]) == fields
    assert results[0]["answer"] == "三号楼宿舍热水不稳定，希望尽快解决。"  # its public reply (the fixture says so)
    scores = [result["score"] for result in results]
    assert scores == sorted(scores, reverse=True)


def test_it_returns_public_posts_only(client, wall):
    results = client.get(URL, {"q": "宿舍热水", "limit": 50}).json()["results"]
    titles = {result["title"] for result in results}
    assert "三号楼宿舍热水不稳定" in titles  # the query finds what it should
    assert "宿舍热水器坏了 私密" not in titles and "宿舍热水没有了" not in titles


def test_it_leaves_out_a_page_withdrawn_before_the_index_heard_of_it(client, wall):
    """The index forgets a page when the withdrawal commits; until then the page itself decides."""
    water = wall["water"]
    water.refresh_from_db()
    WallPostPage.objects.filter(pk=water.page.pk).update(live=False)  # no signal: still indexed
    results = client.get(URL, {"q": "宿舍热水怎么老是不稳定", "limit": 50}).json()["results"]
    assert results and water.page.pk not in [result["id"] for result in results]


def test_it_limits_the_results(client, wall):
    assert len(client.get(URL, {"q": "宿舍 校园网 食堂", "limit": 2}).json()["results"]) == 2
    assert len(client.get(URL, {"q": "宿舍 校园网 食堂"}).json()["results"]) == 3


def test_it_refuses_a_limit_over_50_with_a_json_error(client, wall):
    response = client.get(URL, {"q": "热水", "limit": 51})
    assert response.status_code == 422
    assert "limit" in response.content.decode()


def test_it_answers_an_empty_or_junk_query_calmly(client, wall):
    assert client.get(URL).json() == {"results": []}
    assert client.get(URL, {"q": '"*) OR NEAR( -- 😀' * 300}).status_code == 200


def test_the_openapi_schema_is_served(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/similar" in schema["paths"]

"""The privacy markers of test_privacy, planted the same way, reach no public API answer either."""

import pytest

from tests.factories import make_user
from tests.test_privacy import MARKERS, _plant


@pytest.fixture
def planted(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return _plant()


def _public_answers(client, planted):
    public, private = planted["public"], planted["private"]
    urls = [
        "/api/v1/posts",
        f"/api/v1/posts/{public.pk}",
        f"/api/v1/posts/{private.pk}",
        "/api/v1/posts?q=宿舍",
        "/open311/v2/requests.json",
        "/open311/v2/requests.xml",
        f"/open311/v2/requests/{public.pk}.json",
        f"/open311/v2/requests/{private.pk}.xml",
        f"/open311/v2/requests.json?service_request_id={public.pk},{private.pk}",
    ]
    urls += [f"/api/v1/posts?q={marker}" for marker in MARKERS.values()]
    return {url: client.get(url) for url in urls}


def _assert_clean(answers):
    for url, response in answers.items():
        body = response.content.decode().lower()
        for name, marker in MARKERS.items():
            assert marker.lower() not in body, f"{name} marker leaked at {url}"


def test_no_marker_reaches_a_public_api_answer(client, planted):
    answers = _public_answers(client, planted)
    assert answers[f"/api/v1/posts/{planted['public'].pk}"].json()["title"] == "宿舍热水问题"  # it did answer
    assert answers[f"/api/v1/posts/{planted['private'].pk}"].status_code == 404
    _assert_clean(answers)


def test_no_marker_reaches_a_logged_in_stranger_through_the_api(client, planted):
    client.force_login(make_user())
    _assert_clean(_public_answers(client, planted))
    assert client.get("/api/v1/staff/queue").status_code == 403

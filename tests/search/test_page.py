"""The wall's search page: ranked Chinese results with highlights, filters, pagination and help."""

import pytest

from tests.factories import make_editor, make_handler, make_kind, make_replied_post, make_unit


@pytest.fixture
def people():
    unit = make_unit("后勤管理处")
    return make_editor(), make_handler(unit), unit


def publish(people, capture, **kwargs):
    editor, handler, unit = people
    with capture(execute=True):
        post = make_replied_post(editor, handler, unit, **kwargs)
        post.publish(editor)
    post.refresh_from_db()
    return post


def test_it_highlights_the_match(client, people, django_capture_on_commit_callbacks):
    post = publish(people, django_capture_on_commit_callbacks, title="第二食堂饭菜涨价了")
    html = client.get("/search/", {"q": "涨价"}).content.decode()
    assert "<mark>涨价</mark>" in html
    assert post.page.url in html


def test_it_filters_by_kind(client, people, django_capture_on_commit_callbacks):
    repair = make_kind("报修", "repair")
    publish(people, django_capture_on_commit_callbacks, title="宿舍热水器坏了", kind=repair)
    publish(people, django_capture_on_commit_callbacks, title="宿舍热水几点有")
    response = client.get("/search/", {"q": "宿舍热水", "kind": repair.pk})
    assert [page.title for _, page in response.context["results"]] == ["宿舍热水器坏了"]


def test_its_facet_links_narrow_the_results_and_keep_the_other_filters(
    client, people, django_capture_on_commit_callbacks
):
    repair = make_kind("报修", "repair")
    publish(people, django_capture_on_commit_callbacks, title="宿舍热水器坏了", kind=repair)
    publish(people, django_capture_on_commit_callbacks, title="宿舍热水几点有")
    response = client.get("/search/", {"q": "宿舍热水", "status": "replied"})
    [link] = [choice["href"] for choice in response.context["facets"]["kind"] if choice["label"] == "报修"]
    narrowed = client.get("/search/" + link)
    assert [page.title for _, page in narrowed.context["results"]] == ["宿舍热水器坏了"]
    assert narrowed.context["filters"] == {"status": "replied", "kind": repair.pk}
    assert link.replace("&", "&amp;") in response.content.decode()


def test_it_helps_when_nothing_is_found(client, people, django_capture_on_commit_callbacks):
    publish(people, django_capture_on_commit_callbacks)
    html = client.get("/search/", {"q": "火星探测器"}).content.decode()
    assert "/post/new/" in html


def test_it_escapes_what_was_typed(client, people, django_capture_on_commit_callbacks):
    publish(people, django_capture_on_commit_callbacks, title="<script>alert(1)</script> 热水")
    html = client.get("/search/", {"q": "<script>热水"}).content.decode()
    assert "<script>alert(1)" not in html

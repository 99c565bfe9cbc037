"""Error pages in the site's layout, in Chinese or English, with the menu, a search box and the way
to a post's tracking page (#17.4); the 500 page without the database."""

import pytest
from django.db import connection
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views import defaults

from tests.factories import make_post

TRACK_LOOKUP = reverse("wall:track_lookup")


def _looks_like_the_site(content):
    return all(part in content for part in ('class="site-header"', 'role="search"', f'href="{TRACK_LOOKUP}"'))


@pytest.mark.parametrize("url", ["/track/not-a-token/", "/photos/99999/", "/wall/no-such-page/"])
def test_a_missing_page_answers_in_the_sites_layout_in_chinese(client, url):
    make_post()
    response = client.get(url)
    content = response.content.decode()
    assert response.status_code == 404
    assert _looks_like_the_site(content) and "找不到这个页面" in content


def test_a_missing_page_speaks_english_in_english_mode(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    content = client.get("/track/not-a-token/").content.decode()
    assert "Page not found" in content and _looks_like_the_site(content)


@pytest.mark.parametrize(
    ("view", "status", "title"),
    [(defaults.permission_denied, 403, "没有权限"), (defaults.bad_request, 400, "请求有误")],
)
def test_refusals_answer_in_the_sites_layout(rf, view, status, title):
    request = rf.get("/")
    request.user = None
    with translation.override("zh-hans"):
        response = view(request, Exception())
    assert response.status_code == status
    assert title in response.content.decode() and _looks_like_the_site(response.content.decode())


def test_the_500_page_needs_no_database():
    def refuse(*args, **kwargs):
        raise AssertionError("the 500 page touched the database")

    with connection.execute_wrapper(refuse), translation.override("zh-hans"):
        response = defaults.server_error(RequestFactory().get("/"))
    content = response.content.decode()
    assert response.status_code == 500 and "系统出错了" in content and _looks_like_the_site(content)


def test_an_expired_form_says_so_and_that_nothing_was_sent():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("wall:submit"), {"title": "图书馆座位不够"})
    content = response.content.decode()
    assert response.status_code == 403 and "表单已过期" in content and _looks_like_the_site(content)

"""Public pages cached for anonymous visitors: what a change to the wall drops at once (privacy above
all), who is never served or stored, and that no visitor ever gets another's CSRF token: anonymous
readers get none, and a page that holds one is never stored."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import make_editor, make_handler, make_post, make_replied_post, make_unit, make_user
from wall.models import WallPostPage
from wall.publishing import sync_wall_page


@pytest.fixture
def people():
    unit = make_unit("后勤管理处")
    return make_editor(), make_handler(unit), unit


@pytest.fixture
def post(people, django_capture_on_commit_callbacks):
    editor, handler, unit = people
    with django_capture_on_commit_callbacks(execute=True):
        post = make_replied_post(editor, handler, unit, title="三号楼热水器坏了 MKCACHED")
        post.publish(editor)
    post.refresh_from_db()
    return post


LISTINGS = ["/", "/wall/", "/search/?q=热水器"]


def sneak_title(post, title):
    """Change the page behind the cache's back (no signal), to see whether a page came from the cache."""
    WallPostPage.objects.filter(pk=post.page.pk).update(title=title)


def test_it_serves_anonymous_visitors_from_the_cache(client, post):
    assert "MKCACHED" in client.get(post.page.url).content.decode()
    sneak_title(post, "改过的标题")
    assert "MKCACHED" in Client().get(post.page.url).content.decode()


def test_nothing_is_cached_when_switched_off(client, post, settings):
    settings.ECHOWALL_PAGE_CACHE_SECONDS = 0
    client.get(post.page.url)
    sneak_title(post, "改过的标题")
    assert "改过的标题" in client.get(post.page.url).content.decode()


@pytest.mark.parametrize("how", ["unpublished", "made private"])
def test_a_post_taken_off_the_wall_vanishes_from_every_cached_page(
    client, people, post, how, django_capture_on_commit_callbacks, each_cache
):
    page_url = post.page.url
    for url in [page_url, *LISTINGS]:
        assert "MKCACHED" in client.get(url).content.decode(), url

    editor, _, _ = people
    with django_capture_on_commit_callbacks(execute=True):
        if how == "unpublished":
            post.unpublish(editor)
        else:
            post.wants_public = False
            post.save()
            sync_wall_page(post)

    assert client.get(page_url).status_code == 404
    for url in LISTINGS:
        assert "MKCACHED" not in client.get(url).content.decode(), url


def test_a_new_public_reply_shows_at_once(client, people, post, django_capture_on_commit_callbacks):
    editor, handler, _ = people
    client.get(post.page.url)
    with django_capture_on_commit_callbacks(execute=True):
        post.reply(handler, "已换新热水器 MKNEWREPLY", is_public=True)
    assert "MKNEWREPLY" in client.get(post.page.url).content.decode()


def test_a_new_submission_keeps_the_cache(client, post):
    # A post waiting for screening is on no public page: it must not empty the cache for everyone.
    client.get(post.page.url)
    sneak_title(post, "改过的标题")
    make_post(title="新的诉求，尚未受理")
    assert "MKCACHED" in client.get(post.page.url).content.decode()


def test_logged_in_visitors_are_never_served_a_cached_page(client, post):
    client.get(post.page.url)
    client.force_login(make_user("reader"))
    html = client.get(post.page.url).content.decode()
    assert "Log in to follow" not in html and "登录后关注" not in html
    assert reverse("logout") in html


def test_a_logged_in_visitors_page_is_never_stored(post):
    member = Client()
    member.force_login(make_user("reader"))
    member.get(post.page.url)
    sneak_title(post, "改过的标题")
    html = Client().get(post.page.url).content.decode()
    assert "改过的标题" in html
    assert reverse("logout") not in html


def test_an_anonymous_reader_gets_no_token_and_no_cookie(post):
    first = Client().get(post.page.url)
    sneak_title(post, "改过的标题")
    second = Client().get(post.page.url)
    assert "MKCACHED" in second.content.decode()  # from the cache
    for response in (first, second):
        assert "csrfmiddlewaretoken" not in response.content.decode()
        assert not response.cookies  # nothing to tell one reader from another


def test_a_page_that_used_a_csrf_token_is_never_stored(rf):
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse
    from django.middleware.csrf import get_token

    from wall.pagecache import PublicPageCacheMiddleware, cacheable

    renders = []

    def view(request):
        renders.append(get_token(request))  # a form for this visitor
        return cacheable(HttpResponse(f"<input value='{renders[-1]}'>"))

    middleware = PublicPageCacheMiddleware(view)
    for _ in range(2):
        request = rf.get("/form/")
        request.user = AnonymousUser()
        middleware(request)
    assert len(renders) == 2  # drawn for each visitor, never served from the cache


def test_the_cached_page_keeps_the_security_headers(post):
    Client().get(post.page.url)
    response = Client().get(post.page.url)
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_each_language_has_its_own_cached_page(client):
    assert "最新答复" in client.get("/").content.decode()
    english = Client()
    english.get(reverse("wall:language", args=["en"]), {"next": "/"})
    html = english.get("/").content.decode()
    assert "Latest answers" in html and "最新答复" not in html


@pytest.mark.parametrize("backend, refused", [("locmem", True), ("file", False)])
def test_production_refuses_a_cache_of_its_own_per_worker(tmp_path, backend, refused):
    # With a cache per gunicorn worker, a post withdrawn in one worker would stay cached in the others.
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "a-long-random-value-for-this-check-only-" + "x" * 30,
        "ALLOWED_HOSTS": "wall.example.edu",
        "ECHOWALL_VAR_DIR": str(tmp_path),
        "ECHOWALL_CACHE": backend,
    }
    result = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "check"],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        capture_output=True,
        text=True,
    )
    assert (result.returncode != 0) == refused, result.stderr
    assert ("ECHOWALL_CACHE must be file or database" in result.stderr) == refused

"""Real-name posts need a campus login once single sign-on is on; without it, local accounts post as before.

The campus logins go through the real libraries to the fake CAS and OpenID servers on 127.0.0.1.
"""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from cases.models import Post
from tests.factories import make_editor, make_kind, make_user
from tests.sso_fakes import (
    CASHandler,
    FakeServer,
    OIDCHandler,
    log_in_through_cas,
    log_in_through_oidc,
    switch_on_cas,
    switch_on_oidc,
)
from tests.test_submit import form_data

REFUSAL = "实名发帖需通过统一身份认证登录"


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()  # the API's and the web's write limits


@pytest.fixture
def cas(settings):
    with FakeServer(CASHandler) as server:
        switch_on_cas(settings, server)
        yield server


@pytest.fixture
def provider(settings):
    with FakeServer(OIDCHandler) as server:
        switch_on_oidc(settings, server)
        yield server


def _submit(client, **overrides):
    return client.post(reverse("wall:submit"), form_data(captcha_0=None, captcha_1=None, **overrides))


def _api_post(client, anonymous):
    data = {
        "kind": make_kind("报修", "repair").slug,
        "category": form_data()["category"],
        "title": "五号楼水龙头漏水",
        "body": "五号楼二层的水龙头一直在漏水，麻烦来修一下。",
        "anonymous": anonymous,
    }
    return client.post("/api/v1/posts", data, content_type="application/json")


def _case_file(post):
    editor_client = Client()
    editor_client.force_login(make_editor())
    return editor_client.get(reverse("cases_admin:post", args=[post.pk])).content.decode()


def test_a_cas_user_posts_on_the_web_under_the_campus_name(client, cas):
    log_in_through_cas(client, cas, "20230001", "王小明")
    page = client.get(reverse("wall:submit")).content.decode()
    assert REFUSAL not in page
    response = _submit(client, is_anonymous=None)
    assert response.status_code == 302
    post = Post.objects.get()
    assert not post.is_anonymous and post.poster.username == "campus.20230001"
    case_file = _case_file(post)
    assert "王小明" in case_file and "已通过统一身份认证" in case_file


def test_the_shown_name_is_the_campus_one_even_if_the_account_is_renamed(client, cas):
    log_in_through_cas(client, cas, "20230001", "王小明")
    _submit(client, is_anonymous=None)
    post = Post.objects.get()
    post.poster.first_name = "别人"
    post.poster.save()
    assert "王小明" in _case_file(post) and "别人" not in _case_file(post)


def test_an_oidc_user_posts_through_the_api_under_their_name(client, provider):
    log_in_through_oidc(client, provider, {"sub": "x1", "student_id": "20230002", "name": "李四"})
    response = _api_post(client, anonymous=False)
    assert response.status_code == 201, response.content
    post = Post.objects.get(pk=response.json()["id"])
    assert not post.is_anonymous and post.poster.username == "campus.20230002"
    assert post.poster.campus_identity.name == "李四"


def test_a_local_account_is_offered_the_campus_login_instead(client, cas):
    client.force_login(make_user("student1"))
    response = client.get(reverse("wall:submit"))
    page = response.content.decode()
    assert REFUSAL in page
    assert f'href="/accounts/cas/login/?next={reverse("wall:submit")}"' in page
    assert response.context["form"]["is_anonymous"].initial is True  # anonymous unless they untick it


def test_a_local_account_is_refused_a_real_name_post_on_the_web(client, cas):
    client.force_login(make_user("student1"))
    response = _submit(client, is_anonymous=None)
    assert response.status_code == 200
    assert not Post.objects.exists()
    assert REFUSAL in response.context["form"].errors["is_anonymous"][0]
    assert "图书馆座位不够" in response.content.decode()  # what they typed is kept


def test_a_local_account_may_still_post_anonymously(client, cas):
    user = make_user("student1")
    client.force_login(user)
    assert _submit(client, is_anonymous="on").status_code == 302
    post = Post.objects.get()
    assert post.is_anonymous and post.poster == user  # still in "my posts", nameless to handlers


def test_a_local_account_is_refused_a_real_name_post_through_the_api(client, provider):
    client.force_login(make_user("student1"))
    response = _api_post(client, anonymous=False)
    assert response.status_code == 422
    assert response.json()["detail"].startswith("anonymous: ") and REFUSAL in response.json()["detail"]
    assert not Post.objects.exists()
    assert _api_post(client, anonymous=True).status_code == 201


def test_a_user_name_that_looks_like_a_campus_one_proves_nothing(client, cas):
    client.force_login(make_user("campus.20230001", first_name="王小明"))
    assert _submit(client, is_anonymous=None).status_code == 200
    assert not Post.objects.exists()


def test_a_staff_account_still_posts_under_its_name(client, cas):
    editor = make_editor()
    client.force_login(editor)
    assert _submit(client, is_anonymous=None).status_code == 302
    assert Post.objects.get().poster == editor and not Post.objects.get().is_anonymous


def test_without_single_sign_on_a_local_account_posts_under_its_name(client):
    user = make_user("student1")
    client.force_login(user)
    assert REFUSAL not in client.get(reverse("wall:submit")).content.decode()
    assert _submit(client, is_anonymous=None).status_code == 302
    assert Post.objects.get().poster == user and not Post.objects.get().is_anonymous


def test_a_local_user_who_asks_for_the_campus_login_gets_it(client, cas):
    client.force_login(make_user("student1"))
    # django-cas-ng alone would send a logged-in user straight on; the local session ends first.
    log_in_through_cas(client, cas, "20230001", "王小明", next_url=reverse("wall:submit"))
    assert client.get(reverse("wall:submit")).context["user"].username == "campus.20230001"
    assert _submit(client, is_anonymous=None).status_code == 302
    assert Post.objects.get().poster.username == "campus.20230001"


def test_a_local_user_who_logs_in_through_openid_connect_becomes_the_campus_user(client, provider):
    client.force_login(make_user("student1"))
    log_in_through_oidc(client, provider, {"sub": "x1", "student_id": "20230002", "name": "李四"})
    assert _api_post(client, anonymous=False).status_code == 201
    assert Post.objects.get().poster.username == "campus.20230002"

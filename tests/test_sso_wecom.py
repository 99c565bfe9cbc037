"""WeCom (企业微信) OAuth log-in against a fake WeCom API on 127.0.0.1: a member of the school's WeCom
is the campus user of their WeCom user ID, may post under their name and hear back in WeCom."""

from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from accounts.models import CampusIdentity
from tests.factories import make_user
from tests.sso_fakes import FakeServer, WeComHandler, switch_on_wecom

IN_WECOM = "Mozilla/5.0 (iPhone) AppleWebKit/605.1.15 Mobile wxwork/4.1.20 MicroMessenger/7.0.1"


@pytest.fixture
def wecom(settings):
    with FakeServer(WeComHandler) as server:
        switch_on_wecom(settings, server)
        yield server.state


def _start(client, next_url="/my/posts/", **headers):
    response = client.get(reverse("wecom_login"), {"next": next_url}, **headers)
    assert response.status_code == 302
    return {name: values[0] for name, values in parse_qs(urlparse(response["Location"]).query).items()}


def _come_back(client, wecom, asked, user, code="code-1", state=None):
    wecom["codes"][code] = user
    callback = urlparse(asked["redirect_uri"])
    return client.get(callback.path, {"code": code, "state": state or asked["state"]})


def test_it_logs_a_member_in_as_the_campus_user_of_their_wecom_id(client, wecom):
    wecom["names"]["20230001"] = "王小明"
    response = _come_back(client, wecom, _start(client), {"userid": "20230001"})

    assert response.status_code == 302 and response["Location"] == "/my/posts/"
    user = User.objects.get(username="campus.20230001")
    assert user.first_name == "王小明"
    assert client.get("/my/posts/").context["user"] == user
    identity = user.campus_identity
    assert (identity.source, identity.campus_id, identity.name) == (CampusIdentity.Source.WECOM, "20230001", "王小明")


def test_inside_wecom_it_asks_silently_and_elsewhere_with_a_qr_code(client, wecom):
    in_app = client.get(reverse("wecom_login"), HTTP_USER_AGENT=IN_WECOM)["Location"]
    assert in_app.startswith("https://open.weixin.qq.com/connect/oauth2/authorize?") and "scope=snsapi_base" in in_app
    assert in_app.endswith("#wechat_redirect")
    elsewhere = client.get(reverse("wecom_login"))["Location"]
    assert elsewhere.startswith("https://login.work.weixin.qq.com/wwlogin/sso/login?")
    assert parse_qs(urlparse(elsewhere).query)["appid"] == ["corp-1"]


def test_the_same_person_through_cas_and_wecom_is_one_user(client, wecom):
    make_user(username="campus.20230001", first_name="王小明")
    _come_back(client, wecom, _start(client), {"userid": "20230001"})  # no right to read names: keeps it
    assert User.objects.filter(username__startswith="campus.").count() == 1
    assert User.objects.get(username="campus.20230001").campus_identity.name == "王小明"


def test_a_wrong_state_logs_nobody_in(client, wecom):
    asked = _start(client)
    response = _come_back(client, wecom, asked, {"userid": "20230001"}, state="forged")
    assert response["Location"] == reverse("login") and "_auth_user_id" not in client.session
    assert not User.objects.filter(username__startswith="campus.").exists()


def test_a_code_used_twice_or_refused_logs_nobody_in(client, wecom):
    asked = _start(client)
    _come_back(client, wecom, asked, {"userid": "20230001"})
    client.logout()
    response = client.get(urlparse(asked["redirect_uri"]).path, {"code": "code-1", "state": asked["state"]})
    assert response["Location"] == reverse("login") and "_auth_user_id" not in client.session
    page = client.get(response["Location"]).content.decode()
    assert "did not go through" in page or "没有成功" in page


def test_a_visitor_from_outside_the_school_is_refused(client, wecom):
    _come_back(client, wecom, _start(client), {"openid": "oAbC-external"})
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(username__startswith="campus.").exists()


def test_a_deactivated_campus_user_stays_out(client, wecom):
    make_user(username="campus.20230001", is_active=False)
    _come_back(client, wecom, _start(client), {"userid": "20230001"})
    assert "_auth_user_id" not in client.session


def test_it_does_not_send_the_user_off_site_afterwards(client, wecom):
    response = _come_back(client, wecom, _start(client, next_url="https://evil.example/"), {"userid": "20230001"})
    assert response.status_code == 302 and not response["Location"].startswith("https://evil.example")


def test_a_wecom_user_may_post_under_their_name(client, wecom):
    wecom["names"]["20230001"] = "王小明"
    _come_back(client, wecom, _start(client), {"userid": "20230001"})
    page = client.get(reverse("wall:submit")).content.decode()
    assert 'id="campus-login"' not in page and 'value="wecom"' in page


def test_the_login_pages_offer_it_when_on(client, wecom):
    assert (
        'href="/accounts/wecom/login/?next=/my/posts/"'
        in client.get("/accounts/login/?next=/my/posts/").content.decode()
    )


def test_it_is_off_without_settings(client):
    assert client.get("/accounts/wecom/login/").status_code == 404
    assert client.get("/accounts/wecom/callback/", {"code": "x", "state": "y"}).status_code == 404
    assert "/accounts/wecom/login/" not in client.get("/accounts/login/").content.decode()

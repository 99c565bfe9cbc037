"""Campus OpenID Connect login against a fake provider on 127.0.0.1, through mozilla-django-oidc."""

from urllib.parse import urlparse

import pytest
from django.contrib.auth.models import User

from tests.factories import make_user
from tests.sso_fakes import FakeServer, OIDCHandler, switch_on_oidc
from tests.sso_fakes import oidc_come_back as _come_back
from tests.sso_fakes import oidc_start as _start


@pytest.fixture
def provider(settings):
    with FakeServer(OIDCHandler) as server:
        switch_on_oidc(settings, server)
        yield server


def test_it_logs_a_campus_user_in_with_their_id_and_name(client, provider):
    auth = _start(client)
    assert auth["client_id"] == "echowall" and auth["response_type"] == "code"
    response = _come_back(client, provider, auth, {"sub": "x1", "student_id": "20230002", "name": "李四"})
    assert response.status_code == 302 and response["Location"] == "/my/posts/"
    user = User.objects.get(username="campus.20230002")
    assert user.first_name == "李四"
    assert int(client.session["_auth_user_id"]) == user.pk
    assert [path for path, _ in provider.state["requests"]] == ["/token", "/userinfo"]


def test_the_same_campus_id_is_the_same_user_and_its_name_follows(client, provider):
    _come_back(client, provider, _start(client), {"sub": "x1", "student_id": "20230002", "name": "李四"})
    client.logout()
    _come_back(client, provider, _start(client), {"sub": "x1", "student_id": "20230002", "name": "李思"}, code="c2")
    assert User.objects.filter(username__startswith="campus.").count() == 1
    assert User.objects.get(username="campus.20230002").first_name == "李思"


def test_a_wrong_state_logs_nobody_in(client, provider):
    auth = _start(client)
    _come_back(client, provider, auth, {"sub": "x1", "student_id": "20230002"}, state="forged")
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(username__startswith="campus.").exists()


def test_a_token_signed_with_another_key_logs_nobody_in(client, provider):
    auth = _start(client)
    claims = {"sub": "x1", "student_id": "20230002"}
    response = _come_back(client, provider, auth, claims, signing_key="someone-elses-key-that-is-long-enough-too")
    assert response.status_code == 302  # the failure page, not an error
    assert "_auth_user_id" not in client.session


def test_a_code_the_provider_refuses_logs_nobody_in_without_an_error(client, provider):
    auth = _start(client)
    callback = urlparse(auth["redirect_uri"])
    response = client.get(callback.path, {"code": "never-issued", "state": auth["state"]})
    assert response.status_code == 302  # to the failure page, not a server error
    assert "_auth_user_id" not in client.session


def test_it_checks_an_rs256_token_against_the_providers_keys(client, provider, settings):
    from cryptography.hazmat.primitives.asymmetric import rsa

    provider.state["rsa_key"] = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    settings.OIDC_RP_SIGN_ALGO = "RS256"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{provider.url}/jwks"
    _come_back(client, provider, _start(client), {"sub": "x1", "student_id": "20230003", "name": "张三"})
    assert User.objects.get(username="campus.20230003").first_name == "张三"
    assert "/jwks" in [path for path, _ in provider.state["requests"]]


def test_a_token_for_another_client_logs_nobody_in(client, provider):
    auth = _start(client)
    response = _come_back(client, provider, auth, {"sub": "x1", "student_id": "20230002"}, audience="other-app")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_user_without_a_campus_id_is_refused(client, provider):
    _come_back(client, provider, _start(client), {"sub": "x1", "name": "无学号"})
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(username__startswith="campus.").exists()


def test_an_email_never_links_to_a_local_account(client, provider):
    local = make_user("editor1", email="shared@example.edu.cn")
    claims = {"sub": "x1", "student_id": "20230002", "email": "shared@example.edu.cn"}
    _come_back(client, provider, _start(client), claims)
    assert int(client.session["_auth_user_id"]) != local.pk


def test_it_is_off_without_settings(client, settings):
    settings.OIDC_RP_CLIENT_ID = ""
    assert client.get("/accounts/oidc/login/").status_code == 404
    assert client.get("/accounts/oidc/callback/", {"code": "x", "state": "y"}).status_code == 404
    make_user("staff1")
    assert client.post("/accounts/login/", {"username": "staff1", "password": "pw-123456"}).status_code == 302


def test_the_login_pages_offer_it_when_on(client, provider):
    assert (
        'href="/accounts/oidc/login/?next=/my/posts/"'
        in client.get("/accounts/login/?next=/my/posts/").content.decode()
    )
    assert 'href="/accounts/oidc/login/?next=/admin/"' in client.get("/admin/login/").content.decode()


def test_the_login_pages_have_no_link_when_off(client, settings):
    settings.OIDC_RP_CLIENT_ID = ""
    assert "/accounts/oidc/login/" not in client.get("/accounts/login/").content.decode()
    assert "/accounts/oidc/login/" not in client.get("/admin/login/").content.decode()

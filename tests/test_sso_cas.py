"""Campus CAS login (统一身份认证) against a fake CAS server on 127.0.0.1, through django-cas-ng."""

from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.auth.models import User

from tests.factories import make_user
from tests.sso_fakes import CASHandler, FakeServer, switch_on_cas
from tests.sso_fakes import cas_come_back as _come_back
from tests.sso_fakes import cas_start as _start


@pytest.fixture
def cas(settings):
    with FakeServer(CASHandler) as server:
        switch_on_cas(settings, server)
        yield server


def test_it_logs_a_campus_user_in_with_their_id_and_name(client, cas):
    service = _start(client)
    response = _come_back(client, cas, service, "ST-1", {"user": "20230001", "name": "王小明"})
    assert response.status_code == 302 and response["Location"] == "/my/posts/"
    user = User.objects.get(username="campus.20230001")
    assert user.first_name == "王小明"
    assert client.get("/my/posts/").context["user"] == user
    assert cas.state["requests"][-1][0] == "/cas/p3/serviceValidate"  # really asked the CAS server


def test_a_second_login_updates_the_name_and_reuses_the_user(client, cas):
    _come_back(client, cas, _start(client), "ST-1", {"user": "20230001", "name": "王小明"})
    client.logout()
    _come_back(client, cas, _start(client), "ST-2", {"user": "20230001", "name": "王晓明"})
    assert User.objects.filter(username__startswith="campus.").count() == 1
    assert User.objects.get(username="campus.20230001").first_name == "王晓明"


def test_it_does_not_send_the_user_off_site_afterwards(client, cas):
    service = _start(client, next_url="https://evil.example/")
    response = _come_back(client, cas, service, "ST-1", {"user": "20230001", "name": "王小明"})
    assert not response["Location"].startswith("https://evil.example")


def test_it_does_not_send_the_user_back_to_a_referring_site(client, cas):
    response = client.get("/accounts/cas/login/", HTTP_REFERER="https://evil.example/page")
    service = parse_qs(urlparse(response["Location"]).query)["service"][0]
    response = _come_back(client, cas, service, "ST-1", {"user": "20230001", "name": "王小明"})
    assert response["Location"] == "/"


def test_a_bad_ticket_logs_nobody_in(client, cas):
    service = _start(client)
    cas.state["service"] = service
    path = urlparse(service)
    client.get(f"{path.path}?{path.query}&ticket=ST-forged")
    assert not User.objects.filter(username__startswith="campus.").exists()
    assert "_auth_user_id" not in client.session


def test_a_campus_id_never_lands_on_a_local_account(client, cas):
    make_user("admin", is_superuser=True)
    _come_back(client, cas, _start(client), "ST-1", {"user": "admin", "name": "冒名"})
    campus_admin = User.objects.get(username="campus.admin")
    assert int(client.session["_auth_user_id"]) == campus_admin.pk
    assert not campus_admin.is_superuser  # nor do CAS attributes reach the user's flags
    assert User.objects.get(username="admin").first_name == ""


def test_it_is_off_without_settings(client, settings):
    settings.CAS_SERVER_URL = ""
    assert client.get("/accounts/cas/login/").status_code == 404
    assert "统一身份认证" not in client.get("/accounts/login/").content.decode()


def test_the_login_page_offers_it_when_on(client, cas):
    assert "/accounts/cas/login/" in client.get("/accounts/login/").content.decode()


def test_local_accounts_still_log_in(client, cas):
    make_user("staff1")
    response = client.post("/accounts/login/", {"username": "staff1", "password": "pw-123456"})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_the_admin_sign_in_page_offers_it_when_on(client, cas):
    page = client.get("/admin/login/").content.decode()
    assert 'href="/accounts/cas/login/?next=/admin/"' in page
    assert 'name="password"' in page  # Wagtail's own form is still there, for local staff accounts


def test_the_admin_sign_in_page_has_no_campus_link_when_off(client, settings):
    settings.CAS_SERVER_URL = ""
    page = client.get("/admin/login/").content.decode()
    assert "/accounts/cas/login/" not in page and 'name="password"' in page


def test_a_campus_member_with_a_role_signs_in_to_the_admin_through_it(client, cas):
    make_user("campus.20230009", groups=["编辑"])  # the role given beforehand, as the README says
    response = client.get("/accounts/cas/login/", {"next": "/admin/"})
    service = parse_qs(urlparse(response["Location"]).query)["service"][0]
    response = _come_back(client, cas, service, "ST-1", {"user": "20230009", "name": "赵编辑"})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200

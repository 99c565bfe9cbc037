"""API keys in the Wagtail admin: issued with the secret shown once, stored as a hash, revocable."""

import re

import pytest

from api.models import ApiClient, ApiKey
from tests.factories import make_editor, make_user


@pytest.fixture
def admin_client(client):
    client.force_login(make_user(is_superuser=True, is_staff=True))
    return client


def test_it_issues_a_key_and_shows_the_secret_once(admin_client):
    oa = ApiClient.objects.create(name="OA")
    response = admin_client.post("/admin/api/keys/new/", {"client": oa.pk, "label": "production"})
    assert response.status_code == 200
    plaintext = re.search(r"data-api-key>([^<]+)<", response.content.decode()).group(1)
    assert ApiKey.find(plaintext).client == oa
    listing = admin_client.get("/admin/api/keys/").content.decode()
    assert plaintext not in listing and plaintext[:8] in listing


def test_it_revokes_a_key_for_good(admin_client):
    key, plaintext = ApiClient.objects.create(name="OA").issue_key()
    response = admin_client.post(f"/admin/api/keys/edit/{key.pk}/", {"label": "old", "revoke": "on"})
    assert response.status_code == 302
    assert ApiKey.find(plaintext) is None
    admin_client.post(f"/admin/api/keys/edit/{key.pk}/", {"label": "old"})  # the box is disabled once revoked
    key.refresh_from_db()
    assert key.is_revoked


def test_an_editor_without_the_permission_cannot_issue_keys(client):
    client.force_login(make_editor())
    oa = ApiClient.objects.create(name="OA")
    response = client.post("/admin/api/keys/new/", {"client": oa.pk})
    assert response.status_code in (302, 403)
    assert not ApiKey.objects.exists()

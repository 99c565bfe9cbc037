"""Open311 GeoReport v2 at /open311/v2/: services, posting with a key, reading only what is public."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from api.models import ApiClient, ApiKey, ApiSubmission
from cases.models import Post
from tests.factories import (
    image_upload,
    make_accepted_post,
    make_category,
    make_editor,
    make_handler,
    make_kind,
    make_replied_post,
    make_unit,
    make_user,
)

BASE = "/open311/v2"
# The element order of the spec's examples.
SERVICE_FIELDS = ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"]
REQUEST_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]


@pytest.fixture(autouse=True)
def fresh_cache():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def key():
    return ApiClient.objects.create(name="OA").issue_key()[1]


@pytest.fixture
def wall(django_capture_on_commit_callbacks):
    unit = make_unit("后勤管理处")
    editor, handler = make_editor(), make_handler(unit)
    repair, category = make_kind("报修", "repair"), make_category("后勤保障")
    posts = {}
    with django_capture_on_commit_callbacks(execute=True):
        posts["public"] = make_replied_post(
            editor, handler, unit, kind=repair, category=category, title="三号楼热水不稳定"
        )
        posts["public"].reply(handler, "仅您可见 MKPRIVATE", is_public=False)
        posts["public"].publish(editor)
        posts["closed"] = make_replied_post(editor, handler, unit, kind=repair, category=category, title="路灯坏了")
        posts["closed"].publish(editor)
        posts["closed"].close(handler)
        posts["private"] = make_replied_post(
            editor, handler, unit, title="私密 MKPRIVTITLE", body="MKPRIVBODY", wants_public=False
        )
        posts["unpublished"] = make_accepted_post(editor, unit, title="没上墙 MKUNPUB")
        posts["submitted"] = Post.objects.create(
            kind=repair, category=category, title="待受理 MKSUB", body="正文正文正文正文正文"
        )
    return {"unit": unit, "editor": editor, "handler": handler, "kind": repair, "category": category, **posts}


def _code(kind, category):
    return f"{kind.slug}-{category.pk}"


def _xml(response):
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ET.fromstring(response.content)  # noqa: S314 - our own server's answer


# -- services -------------------------------------------------------------------------------------


def test_it_lists_each_category_of_each_kind_as_a_service(client, wall):
    services = client.get(f"{BASE}/services.json").json()
    repair = next(s for s in services if s["service_code"] == _code(wall["kind"], wall["category"]))
    assert list(repair) == SERVICE_FIELDS
    assert repair["service_name"] == "后勤保障"
    assert repair["group"] == "报修"
    assert repair["metadata"] is False and repair["type"] == "realtime"
    assert len(services) == 2 * 1  # two kinds (咨询 from the factories, 报修) × one category


def test_it_lists_services_in_the_spec_xml(client, wall):
    root = _xml(client.get(f"{BASE}/services.xml"))
    assert root.tag == "services"
    service = root.find("service")
    assert [child.tag for child in service] == SERVICE_FIELDS
    assert root.find("service/metadata").text == "false"


def test_it_answers_a_service_definition_and_404s_an_unknown_one(client, wall):
    code = _code(wall["kind"], wall["category"])
    assert client.get(f"{BASE}/services/{code}.json").json() == {"service_code": code, "attributes": []}
    root = _xml(client.get(f"{BASE}/services/{code}.xml"))
    assert root.tag == "service_definition" and root.find("service_code").text == code
    missing = client.get(f"{BASE}/services/repair-99999.json")
    assert missing.status_code == 404
    assert missing.json()[0]["code"] == 404
    assert _xml(client.get(f"{BASE}/services/nonsense.xml")).find("error/code").text == "404"


def test_it_refuses_a_wrong_method_in_the_spec_format(client, wall):
    response = client.post(f"{BASE}/services.json")
    assert response.status_code == 405
    assert response.json()[0]["code"] == 405


# -- posting --------------------------------------------------------------------------------------


def _post(client, wall, key, fmt="json", **extra):
    data = {
        "api_key": key,
        "service_code": _code(wall["kind"], wall["category"]),
        "description": "五号楼二层的水龙头一直在漏水，麻烦来修一下。",
        **extra,
    }
    return client.post(f"{BASE}/requests.{fmt}", data)


def test_it_stores_a_posted_request_for_screening_before_answering(client, wall, key):
    contact = {"first_name": "小明", "last_name": "王", "email": "wang@example.org", "phone": "13800000000"}
    response = _post(client, wall, key, **contact)
    assert response.status_code == 200
    [answer] = response.json()
    assert list(answer) == ["service_request_id", "service_notice", "account_id"]
    post = Post.objects.get(pk=answer["service_request_id"])
    assert post.status == Post.Status.SUBMITTED
    assert post.tracking_code in answer["service_notice"] and post.tracking_token in answer["service_notice"]
    assert post.body.startswith("五号楼二层的水龙头")
    assert post.kind == wall["kind"] and post.category == wall["category"]
    assert ApiSubmission.objects.get(post=post).client.name == "OA"


def test_a_posted_request_is_anonymous_and_private_unless_the_client_says_so(client, wall, key):
    answer = _post(client, wall, key, first_name="小明", phone="13800000000").json()[0]
    post = Post.objects.get(pk=answer["service_request_id"])
    assert post.is_anonymous and post.poster is None
    assert post.contact_name == "小明" and post.contact_phone == "13800000000"  # for editors only
    assert post.wants_public is False
    agreed = _post(client, wall, key, **{"attribute[wants_public]": "true"}).json()[0]
    assert Post.objects.get(pk=agreed["service_request_id"]).wants_public is True


def test_it_answers_a_posted_request_in_xml(client, wall, key):
    root = _xml(_post(client, wall, key, fmt="xml"))
    assert root.tag == "service_requests"
    assert [child.tag for child in root.find("request")] == ["service_request_id", "service_notice", "account_id"]
    assert Post.objects.filter(pk=int(root.find("request/service_request_id").text)).exists()


def test_it_keeps_the_place_and_a_photo_and_notes_a_media_url_without_fetching_it(client, wall, key):
    answer = _post(
        client,
        wall,
        key,
        address_string="五号楼 201",
        lat="39.99",
        long="116.31",
        media_url="http://10.0.0.1/secret.jpg",
        media=image_upload(),
    ).json()[0]
    post = Post.objects.get(pk=answer["service_request_id"])
    assert "五号楼 201" in post.body and "39.99" in post.body
    assert post.photos.count() == 1
    assert "http://10.0.0.1/secret.jpg" in post.follow_ups.get().body
    assert "10.0.0.1" not in post.body


def test_it_refuses_a_request_without_a_key_or_with_a_bad_or_revoked_one(client, wall, key):
    assert _post(client, wall, "").status_code == 400
    bad = _post(client, wall, "not-a-key")
    assert bad.status_code == 403 and "api_key" in bad.json()[0]["description"]
    ApiKey.objects.get().revoke()
    assert _post(client, wall, key).status_code == 403
    assert Post.objects.filter(status=Post.Status.SUBMITTED).count() == 1  # only the fixture's


def test_it_refuses_every_key_of_an_inactive_client(client, wall, key):
    ApiClient.objects.update(is_active=False)
    assert _post(client, wall, key).status_code == 403


def test_it_refuses_a_missing_or_unknown_service_and_a_bad_description(client, wall, key):
    assert _post(client, wall, key, service_code="").status_code == 400
    unknown = _post(client, wall, key, service_code="repair-99999")
    assert unknown.status_code == 404
    assert _post(client, wall, key, description="").status_code == 400
    short = _post(client, wall, key, description="漏水")
    assert short.status_code == 400 and short.json()[0]["description"].startswith("description:")
    bad_email = _post(client, wall, key, email="not-an-email")
    assert bad_email.status_code == 400 and bad_email.json()[0]["description"].startswith("email:")
    assert _post(client, wall, key, media_url="file:///etc/passwd").status_code == 400
    assert Post.objects.filter(status=Post.Status.SUBMITTED).count() == 1


def test_it_limits_writes_per_client(client, wall, key, settings):
    settings.ECHOWALL_API_WRITES_PER_CLIENT = 2
    assert _post(client, wall, key).status_code == 200
    assert _post(client, wall, key).status_code == 200
    refused = _post(client, wall, key)
    assert refused.status_code == 429 and refused.json()[0]["code"] == 429
    other = ApiClient.objects.create(name="WeCom").issue_key()[1]
    assert _post(client, wall, other).status_code == 200  # each client has its own budget


def test_a_key_is_stored_only_as_a_hash(key):
    stored = ApiKey.objects.get()
    assert key not in (stored.key_hash, stored.prefix) and stored.prefix == key[:8]
    assert ApiKey.find(key) == stored


def test_the_command_prints_a_working_key(client, wall, capsys):
    call_command("create_api_key", "WeChat mini-program")
    printed = capsys.readouterr().out.strip()
    assert ApiKey.find(printed).client.name == "WeChat mini-program"
    assert _post(client, wall, printed).status_code == 200


# -- reading --------------------------------------------------------------------------------------


def test_it_lists_only_public_requests(client, wall):
    rows = client.get(f"{BASE}/requests.json").json()
    assert {row["service_request_id"] for row in rows} == {wall["public"].pk, wall["closed"].pk}
    body = client.get(f"{BASE}/requests.xml").content.decode()
    for marker in ("MKPRIVATE", "MKPRIVTITLE", "MKPRIVBODY", "MKUNPUB", "MKSUB"):
        assert marker not in body
        assert marker not in str(rows)


def test_a_request_shows_its_latest_public_reply_unit_and_deadline(client, wall):
    post = Post.objects.get(pk=wall["public"].pk)
    [row] = client.get(f"{BASE}/requests/{post.pk}.json").json()
    assert list(row) == REQUEST_FIELDS
    assert row["status"] == "open"
    assert row["status_notes"] == "每天 6:30–23:30 供应。"  # the public one, not the later private one
    assert row["agency_responsible"] == "后勤管理处"
    assert row["service_code"] == _code(wall["kind"], wall["category"]) and row["service_name"] == "后勤保障"
    assert row["expected_datetime"] == timezone.localtime(post.resolution_due_at).isoformat(timespec="seconds")
    assert row["requested_datetime"].endswith("+08:00") and row["updated_datetime"].endswith("+08:00")
    assert "三号楼热水不稳定" in row["description"]


def test_a_request_reads_the_same_in_xml(client, wall):
    root = _xml(client.get(f"{BASE}/requests/{wall['closed'].pk}.xml"))
    request = root.find("request")
    assert [child.tag for child in request] == REQUEST_FIELDS
    assert request.find("status").text == "closed"
    assert request.find("expected_datetime").text is None
    assert request.find("lat").text is None


def test_a_request_not_on_the_wall_is_not_found(client, wall):
    for name in ("private", "unpublished", "submitted"):
        response = client.get(f"{BASE}/requests/{wall[name].pk}.json")
        assert response.status_code == 404, name
        assert response.json()[0]["code"] == 404
    assert client.get(f"{BASE}/requests/999999.json").status_code == 404
    assert client.get(f"{BASE}/requests/abc.xml").status_code == 404


def test_a_withdrawn_request_disappears(client, wall, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        wall["public"].unpublish(wall["editor"])
    assert client.get(f"{BASE}/requests/{wall['public'].pk}.json").status_code == 404
    assert [row["service_request_id"] for row in client.get(f"{BASE}/requests.json").json()] == [wall["closed"].pk]


def test_it_filters_requests(client, wall):
    def ids(**params):
        return {row["service_request_id"] for row in client.get(f"{BASE}/requests.json", params).json()}

    public, closed = wall["public"].pk, wall["closed"].pk
    assert ids(status="open") == {public}
    assert ids(status="closed") == {closed}
    assert ids(status="open,closed") == {public, closed}
    assert ids(service_code=_code(wall["kind"], wall["category"])) == {public, closed}
    assert ids(service_code="question-1") == set()
    assert ids(service_request_id=f"{closed},{wall['private'].pk}") == {closed}
    assert ids(service_request_id=str(closed), status="open") == {closed}  # the id list overrides the rest


def test_it_defaults_to_the_last_90_days(client, wall):
    assert len(client.get(f"{BASE}/requests.json").json()) == 2
    with time_machine.travel(timezone.now() + timedelta(days=91)):
        assert client.get(f"{BASE}/requests.json").json() == []
        start = (timezone.now() - timedelta(days=92)).date().isoformat()
        assert len(client.get(f"{BASE}/requests.json", {"start_date": start}).json()) == 2


def test_it_filters_by_w3c_dates(client, wall):
    today = timezone.localdate()
    inside = {"start_date": f"{today - timedelta(days=1)}T00:00:00+08:00", "end_date": f"{today}T23:59:59+08:00"}
    assert len(client.get(f"{BASE}/requests.json", inside).json()) == 2
    before = {"end_date": f"{today - timedelta(days=1)}T00:00:00Z"}
    assert client.get(f"{BASE}/requests.json", before).json() == []


def test_it_refuses_bad_filters_with_400(client, wall):
    for params in (
        {"status": "pending"},
        {"start_date": "yesterday"},
        {"start_date": "2026-01-01T00:00:00+08:00", "end_date": "2025-01-01T00:00:00+08:00"},
        {"start_date": "2025-01-01T00:00:00+08:00", "end_date": "2025-06-01T00:00:00+08:00"},
        {"service_request_id": "1,x"},
    ):
        response = client.get(f"{BASE}/requests.json", params)
        assert response.status_code == 400, params
        assert response.json()[0]["code"] == 400


def test_it_returns_at_most_1000_requests(client, wall, monkeypatch):
    monkeypatch.setattr("api.open311.MAX_REQUESTS", 1)
    assert len(client.get(f"{BASE}/requests.json").json()) == 1


def test_a_token_is_never_issued_so_none_is_found(client, wall):
    response = client.get(f"{BASE}/tokens/12345.json")
    assert response.status_code == 404 and response.json()[0]["code"] == 404


def test_a_logged_in_stranger_sees_no_more(client, wall):
    client.force_login(make_user())
    assert len(client.get(f"{BASE}/requests.json").json()) == 2


# The spec's discovery example: changeset, contact, key_service, then each endpoint's specification,
# url, changeset, type and formats.
DISCOVERY_FIELDS = ["changeset", "contact", "key_service", "endpoints"]
ENDPOINT_FIELDS = ["specification", "url", "changeset", "type", "formats"]


def test_discovery_says_where_the_endpoint_is_in_json(client, wall):
    document = client.get(f"{BASE}/discovery.json").json()
    assert list(document) == DISCOVERY_FIELDS
    [endpoint] = document["endpoints"]
    assert list(endpoint) == ENDPOINT_FIELDS
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == f"http://testserver{BASE}" and endpoint["type"] == "production"
    assert endpoint["formats"] == ["text/xml", "application/json"]
    # A client appends the method to the url, as the spec says; it must land on our services.
    services = client.get(endpoint["url"].removeprefix("http://testserver") + "/services.json")
    assert services.status_code == 200 and services.json()


def test_discovery_reads_the_same_in_xml(client, wall):
    root = _xml(client.get(f"{BASE}/discovery.xml"))
    assert root.tag == "discovery" and [child.tag for child in root] == DISCOVERY_FIELDS
    [endpoint] = root.find("endpoints")
    assert endpoint.tag == "endpoint" and [child.tag for child in endpoint] == ENDPOINT_FIELDS
    assert [f.text for f in endpoint.find("formats")] == ["text/xml", "application/json"]
    assert [f.tag for f in endpoint.find("formats")] == ["format", "format"]
    assert endpoint.find("url").text == f"http://testserver{BASE}"


def test_discovery_refuses_a_post_in_the_spec_format(client, wall):
    response = client.post(f"{BASE}/discovery.json")
    assert response.status_code == 405 and response.json()[0]["code"] == 405

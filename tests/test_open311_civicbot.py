"""Posting and reading through civicbot's GeoReport v2 client, a published package we did not write,
against the real server over HTTP (JSON: civicbot speaks no XML; georeport covers XML reads).

civicbot sends what a city's client sends: a form-encoded POST to requests.json with the api_key in
the body and a location (here address_string), and expects the spec's list of one service request.
"""

import os

import pytest

from api.models import ApiClient, ApiSubmission
from cases.models import Post
from tests.test_open311_client import published  # noqa: F401 (a fixture)

try:
    from civicbot.http import HttpError, HttpTransport, RateLimiter
    from civicbot.open311 import Open311Client
    from civicbot.registry import Endpoint
except ImportError:
    if os.environ.get("CI"):
        raise
    pytest.skip("civicbot is not installed: pip install -r requirements-dev.txt", allow_module_level=True)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

DESCRIPTION = "五号楼二层的水龙头一直在漏水，麻烦来修一下。"


@pytest.fixture
def open311(live_server):
    endpoint = Endpoint(id="echowall", name="Echo Wall", base_url=f"{live_server.url}/open311/v2", write=True)
    # Its politeness pause between calls to one host is for public city servers, not for a test.
    return Open311Client(endpoint, transport=HttpTransport(rate_limiter=RateLimiter(min_interval=0)))


@pytest.fixture
def key():
    return ApiClient.objects.create(name="OA").issue_key()[1]


def _send(open311, code, key, **fields):
    fields = {"address_string": "五号楼二层", "description": DESCRIPTION, **fields}
    return open311.create_request(code, dry_run=False, confirm="SEND", api_key=key, **fields)


def test_it_lists_services_and_reads_one(open311, published):  # noqa: F811
    codes = {service["service_code"] for service in open311.list_services()}
    assert f"repair-{published.category_id}" in codes
    definition = open311.get_service_definition(f"repair-{published.category_id}")
    assert definition["service_code"] == f"repair-{published.category_id}"


def test_it_lists_and_reads_public_requests(open311, published):  # noqa: F811
    rows = open311.list_requests(status="open")
    assert [str(row["service_request_id"]) for row in rows] == [str(published.pk)]
    one = open311.get_request(published.pk)
    assert one["agency_responsible"] == "后勤管理处" and one["status_notes"] == "每天 6:30–23:30 供应。"


def test_it_posts_a_request_that_waits_for_screening(open311, published, key):  # noqa: F811
    code = f"repair-{published.category_id}"
    # validate_remote: civicbot first checks the code against our live service list, as it would a city's.
    sent = _send(open311, code, key, validate_remote=True, first_name="小明", email="xm@example.edu.cn")
    [answer] = sent.response
    post = Post.objects.get(pk=answer["service_request_id"])
    assert post.status == Post.Status.SUBMITTED and post.is_anonymous and post.poster is None
    assert post.contact_name == "小明" and post.contact_email == "xm@example.edu.cn"
    assert DESCRIPTION in post.body and "五号楼二层" in post.body
    assert post.tracking_code in answer["service_notice"]
    assert ApiSubmission.objects.get(post=post).client.name == "OA"
    # Not on the wall until an editor publishes it: reading it back is the spec's 404.
    with pytest.raises(HttpError) as error:
        open311.get_request(post.pk)
    assert error.value.status == 404


def test_it_refuses_a_wrong_key_with_the_specs_error(open311, published):  # noqa: F811
    with pytest.raises(HttpError) as error:
        _send(open311, f"repair-{published.category_id}", "not-a-key")
    assert error.value.status == 403 and "api_key" in error.value.body
    assert not Post.objects.filter(status=Post.Status.SUBMITTED).exists()


def test_it_refuses_an_unknown_service_code(open311, published, key):  # noqa: F811
    with pytest.raises(HttpError) as error:
        _send(open311, "repair-999999", key)
    assert error.value.status == 404 and "repair-999999" in error.value.body

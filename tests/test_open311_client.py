"""An Open311 client we did not write (georeport, a published package) against the real server over HTTP.

georeport reads only (services, one service, requests, one request); posting through a published
client is in test_open311_civicbot.py (JSON), and here through plain HTTP in both formats, as a
client would send it: form-encoded, api_key in the body.
"""

import pytest
import requests
from georeport import GeoReport

from api.models import ApiClient
from cases.models import Post
from tests.factories import make_category, make_editor, make_handler, make_kind, make_replied_post, make_unit

# live_server needs real commits; serialized_rollback brings back the Wagtail root page and locale
# that the migrations made, which flushing the tables between tests would otherwise remove.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def published(django_capture_on_commit_callbacks):
    unit = make_unit("后勤管理处")
    editor, handler = make_editor(), make_handler(unit)
    kind, category = make_kind("报修", "repair"), make_category("后勤保障")
    with django_capture_on_commit_callbacks(execute=True):
        post = make_replied_post(editor, handler, unit, kind=kind, category=category, title="三号楼热水不稳定")
        post.publish(editor)
        make_replied_post(editor, handler, unit, kind=kind, category=category, title="私密", wants_public=False)
    return post


@pytest.fixture(params=["json", "xml"])
def georeport(request, live_server):
    return GeoReport(f"{live_server.url}/open311/v2", output_format=request.param)


def _as_list(value):
    # xmltodict gives one element as a dict, several as a list.
    return value if isinstance(value, list) else [value]


def test_it_lists_services(georeport, published):
    services = _as_list(georeport.get_service_list())
    codes = {service["service_code"] for service in services}
    assert f"repair-{published.category_id}" in codes
    assert {service["group"] for service in services} == {"咨询", "报修"}


def test_it_reads_a_service_definition(georeport, published):
    definition = georeport.get_service_definition(f"repair-{published.category_id}")
    assert definition["service_code"] == f"repair-{published.category_id}"


def test_it_lists_and_reads_public_requests(georeport, published):
    rows = _as_list(georeport.get_service_requests(status="open"))
    assert [str(row["service_request_id"]) for row in rows] == [str(published.pk)]
    one = georeport.get_service_request(str(published.pk))
    assert str(one["service_request_id"]) == str(published.pk)
    assert one["agency_responsible"] == "后勤管理处"
    assert one["status_notes"] == "每天 6:30–23:30 供应。"


def test_it_raises_for_a_request_not_on_the_wall(georeport, published):
    private = Post.objects.get(title="私密")
    with pytest.raises(requests.HTTPError) as error:
        georeport.get_service_request(str(private.pk))
    assert error.value.response.status_code == 404


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_form_encoded_post_is_accepted_over_http(live_server, published, fmt):
    key = ApiClient.objects.create(name="OA").issue_key()[1]
    response = requests.post(
        f"{live_server.url}/open311/v2/requests.{fmt}",
        data={
            "api_key": key,
            "service_code": f"repair-{published.category_id}",
            "description": "五号楼二层的水龙头一直在漏水，麻烦来修一下。",
            "first_name": "小明",
        },
        timeout=10,
    )
    assert response.status_code == 200
    assert Post.objects.filter(status=Post.Status.SUBMITTED, contact_name="小明").count() == 1
    refused = requests.post(
        f"{live_server.url}/open311/v2/requests.{fmt}",
        data={"api_key": "wrong", "service_code": f"repair-{published.category_id}", "description": "x" * 20},
        timeout=10,
    )
    assert refused.status_code == 403

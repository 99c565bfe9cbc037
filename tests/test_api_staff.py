"""/api/v1/staff/: a handler's queue and replies, with the admin's permission rules."""

import pytest
from django.core.cache import cache

from api.models import ApiClient
from cases.models import Post
from tests.factories import make_accepted_post, make_editor, make_handler, make_post, make_unit, make_user


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


@pytest.fixture
def units():
    logistics, library = make_unit("后勤管理处"), make_unit("图书馆")
    editor = make_editor()
    mine = make_accepted_post(editor, logistics, title="三号楼热水", contact_phone="13999999917", is_anonymous=True)
    theirs = make_accepted_post(editor, library, title="图书馆空调")
    return {"handler": make_handler(logistics), "mine": mine, "theirs": theirs, "library": library}


def _key_for(user):
    return ApiClient.objects.get_or_create(name="staff app")[0].issue_key(user=user)[1]


def _reply(client, post, key=None, **data):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if key else {}
    body = {"body": "明天上午维修。", **data}
    return client.post(f"/api/v1/staff/posts/{post.pk}/reply", body, content_type="application/json", **headers)


def test_a_handler_sees_only_their_units_queue(client, units):
    client.force_login(units["handler"])
    queue = client.get("/api/v1/staff/queue").json()
    assert [item["id"] for item in queue] == [units["mine"].pk]
    assert queue[0]["is_anonymous"] is True
    assert "13999999917" not in str(queue)  # anonymous to handlers too: no contact details


def test_a_personal_key_acts_as_its_user(client, units):
    key = _key_for(units["handler"])
    response = client.get("/api/v1/staff/queue", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert [item["id"] for item in response.json()] == [units["mine"].pk]


def test_a_systems_key_or_a_non_handler_has_no_queue(client, units):
    system_key = ApiClient.objects.create(name="OA").issue_key()[1]
    response = client.get("/api/v1/staff/queue", HTTP_AUTHORIZATION=f"Bearer {system_key}")
    assert response.status_code == 403 and response.json()["detail"]
    client.force_login(make_user())
    assert client.get("/api/v1/staff/queue").status_code == 403
    client.logout()
    assert client.get("/api/v1/staff/queue").status_code == 401


def test_a_handler_replies_publicly_or_privately(client, units):
    client.force_login(units["handler"])
    response = _reply(client, units["mine"], is_public=False)
    assert response.status_code == 201 and response.json()["status"] == "replied"
    reply = units["mine"].replies.get()
    assert reply.is_public is False and reply.author == units["handler"]
    units["mine"].refresh_from_db()
    assert units["mine"].status == Post.Status.REPLIED


def test_a_cannot_solve_reply_needs_a_planned_date_and_puts_the_post_on_hold(client, units):
    client.force_login(units["handler"])
    response = _reply(client, units["mine"], cannot_solve=True)
    assert response.status_code == 409 and response.json()["detail"]
    assert not units["mine"].replies.exists()

    response = _reply(client, units["mine"], cannot_solve=True, solve_by="2099-09-01")
    assert response.status_code == 201
    units["mine"].refresh_from_db()
    assert units["mine"].on_hold and units["mine"].solve_by.isoformat() == "2099-09-01"


def test_a_handler_cannot_reply_to_another_units_post(client, units):
    client.force_login(units["handler"])
    assert _reply(client, units["theirs"]).status_code == 404  # not even shown to exist
    assert not units["theirs"].replies.exists()


def test_a_supervisor_who_sees_a_post_still_may_not_reply(client, units):
    supervisor = make_user()
    units["library"].supervisors.add(supervisor)
    client.force_login(supervisor)
    response = _reply(client, units["theirs"])
    assert response.status_code == 403 and response.json()["detail"]
    assert not units["theirs"].replies.exists()


def test_an_empty_reply_or_an_unscreened_post_is_refused(client, units):
    client.force_login(units["handler"])
    assert _reply(client, units["mine"], body="").status_code == 422
    editor = make_editor()
    client.force_login(editor)
    unscreened = make_post()
    response = _reply(client, unscreened)
    assert response.status_code in (403, 409)
    assert not unscreened.replies.exists()


def test_replies_are_rate_limited_per_client(client, units, settings):
    settings.ECHOWALL_API_WRITES_PER_CLIENT = 1
    key = _key_for(units["handler"])
    assert _reply(client, units["mine"], key).status_code == 201
    assert _reply(client, units["mine"], key).status_code == 429
    assert units["mine"].replies.count() == 1

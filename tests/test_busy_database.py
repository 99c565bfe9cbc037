"""A briefly busy database answers "try again" (503, Retry-After) on every page and API call, never
a 500 page; any other database error is still an error. The real lock is in test_faults."""

from unittest import mock

import pytest
from django.db import OperationalError

from tests.factories import make_post

LOCKED = OperationalError("database is locked")


def test_a_page_says_the_system_is_busy(client):
    post = make_post()
    with mock.patch("wall.views._get_post_for_token", side_effect=LOCKED):
        response = client.get(f"/track/{post.tracking_token}/")
    assert response.status_code == 503
    assert response["Retry-After"]
    assert "系统繁忙，请稍后重试。" in response.content.decode()


def test_an_api_call_says_it_in_json(client):
    with mock.patch("api.v1.get_backend", side_effect=LOCKED):
        response = client.get("/api/v1/similar", {"q": "热水"})
    assert response.status_code == 503
    assert response.json() == {"detail": "系统繁忙，请稍后重试。"}


def test_postgresql_lock_and_serialization_conflicts_count_as_busy(client):
    class Conflict(Exception):
        sqlstate = "40001"

    error = OperationalError("could not serialize access")
    error.__cause__ = Conflict()
    with mock.patch("api.v1.get_backend", side_effect=error):
        assert client.get("/api/v1/similar", {"q": "热水"}).status_code == 503


def test_another_database_error_is_not_hidden(client):
    with mock.patch("api.v1.get_backend", side_effect=OperationalError("no such table: wall_post")):
        with pytest.raises(OperationalError):
            client.get("/api/v1/similar", {"q": "热水"})

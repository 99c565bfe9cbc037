"""A briefly busy database answers "try again" (503, Retry-After) on every page and API call, never
a 500 page; any other database error is still an error. The real lock is in test_faults."""

import os
from unittest import mock

import psycopg
import pytest
from django.db import OperationalError, connection
from django.urls import reverse

from tests.factories import make_accepted_post, make_editor, make_handler, make_post, make_unit

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


postgres_only = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="PostgreSQL's lock_timeout"
)


@postgres_only
def test_postgresql_connections_wait_for_a_locked_row_only_so_long():
    with connection.cursor() as cursor:
        cursor.execute("SHOW lock_timeout")
        assert cursor.fetchone() == ("20s",)  # ECHOWALL_PG_LOCK_TIMEOUT's default


@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the root page and locale back after
def test_a_row_locked_past_the_lock_timeout_asks_the_handler_to_retry(client):
    unit = make_unit()
    handler = make_handler(unit)
    post = make_accepted_post(make_editor(), unit)
    client.force_login(handler)
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '300ms'")  # this test's own patience, not 20 s
    other = psycopg.connect(**connection.get_connection_params())
    try:
        other.execute("SELECT 1 FROM wall_post WHERE id = %s FOR UPDATE", [post.pk])  # held: no commit yet
        reply = client.post(
            reverse("cases_admin:reply", args=[post.pk]), {"reply-body": "已处理", "reply-is_public": "on"}
        )
    finally:
        other.rollback()
        other.close()
    assert reply.status_code == 503 and reply["Retry-After"]
    post.refresh_from_db()
    assert post.first_replied_at is None  # nothing half-done; sent again, it goes through
    assert (
        client.post(
            reverse("cases_admin:reply", args=[post.pk]), {"reply-body": "已处理", "reply-is_public": "on"}
        ).status_code
        == 302
    )
    post.refresh_from_db()
    assert post.first_replied_at is not None

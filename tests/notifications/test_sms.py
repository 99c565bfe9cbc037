"""Posters who chose SMS hear of replies by text message, through an HTTP gateway (a fake one on
127.0.0.1 here), stored and retried like every message; without a gateway the form offers e-mail only."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pytest
from django.core import mail
from django.urls import reverse

from cases.models import Post
from notifications.models import Notification
from tests.factories import make_accepted_post, make_category, make_editor, make_handler, make_kind, make_unit


@pytest.fixture
def gateway(settings):
    state = SimpleNamespace(messages=[], status=200)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            message = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            state.messages.append((self.headers["Authorization"], message))
            self.send_response(state.status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.ECHOWALL_SMS_GATEWAY_URL = f"http://127.0.0.1:{server.server_port}/sms"
    settings.ECHOWALL_SMS_GATEWAY_TOKEN = "test-token"
    yield state
    server.shutdown()
    server.server_close()


def _replied(on_commit, **post):
    unit = make_unit()
    handler = make_handler(unit)
    posted = make_accepted_post(make_editor(), unit, **post)
    with on_commit(execute=True):
        posted.reply(handler, "明天上午维修", is_public=False)
    return posted


def test_a_poster_who_chose_sms_gets_the_reply_by_text_message(gateway, django_capture_on_commit_callbacks):
    post = _replied(
        django_capture_on_commit_callbacks,
        notify_by=Post.NotifyBy.SMS,
        contact_phone="13800001111",
        contact_email="me@example.com",
    )
    assert len(gateway.messages) == 1 and mail.outbox == []
    authorization, message = gateway.messages[0]
    assert authorization == "Bearer test-token" and message["to"] == "13800001111"
    assert f"/track/{post.tracking_token}/" in message["text"]


def test_a_refusing_gateway_leaves_the_message_to_be_retried(gateway, django_capture_on_commit_callbacks):
    gateway.status = 503
    post = _replied(django_capture_on_commit_callbacks, notify_by=Post.NotifyBy.SMS, contact_phone="13800001111")
    stored = Notification.objects.get(post=post, channel=Notification.Channel.SMS)
    assert stored.status == Notification.Status.PENDING and "503" in stored.last_error


def test_the_form_offers_sms_only_with_a_gateway_and_then_needs_a_number(client, settings):
    settings.ECHOWALL_SMS_GATEWAY_URL = ""
    assert 'name="notify_by"' not in client.get(reverse("wall:submit")).content.decode()
    settings.ECHOWALL_SMS_GATEWAY_URL = "http://127.0.0.1:9/sms"
    data = {
        "kind": make_kind().pk,
        "category": make_category().pk,
        "title": "宿舍热水不热",
        "body": "三号楼热水一直不热，请尽快修理。",
        "notify_by": "sms",
        "captcha_0": "x",
        "captcha_1": "PASSED",
    }
    response = client.post(reverse("wall:submit"), data)
    assert response.context["form"].errors["contact_phone"] and not Post.objects.exists()
    client.post(reverse("wall:submit"), {**data, "contact_phone": "13800001111"})
    assert Post.objects.get().notify_by == Post.NotifyBy.SMS

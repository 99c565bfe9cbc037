"""我的消息: staff read what happened to their posts in the admin, with or without an e-mail address."""

import json
import re

import pytest
from django.urls import reverse

from notifications.models import InboxMessage
from tests.factories import make_accepted_post, make_editor, make_handler, make_unit

INBOX_URL = reverse("notifications_inbox:index")


@pytest.fixture
def unit():
    return make_unit("后勤管理处")


def _menu_label(client):
    """The inbox's label in the admin menu (its items are JSON in the page)."""
    content = client.get(reverse("wagtailadmin_home")).content.decode()
    label = re.search(r'"label": ("[^"]*"), [^]]*?"url": "' + INBOX_URL + '"', content).group(1)
    return json.loads(label)


def test_a_handler_without_an_email_address_finds_a_new_post_in_the_inbox(client, unit):
    handler = make_handler(unit, email="")
    other_units_handler = make_handler(make_unit())
    post = make_accepted_post(make_editor(), unit, title="三号楼热水不热")
    client.force_login(handler)

    assert _menu_label(client) == "我的消息（1 条未读）"
    listing = client.get(INBOX_URL).content.decode()
    assert "三号楼热水不热" in listing and "data-unread" in listing
    assert not InboxMessage.objects.filter(user=other_units_handler).exists()

    message = handler.inbox.get()
    page = client.get(reverse("notifications_inbox:message", args=[message.pk])).content.decode()
    assert reverse("cases_admin:post", args=[post.pk]) in page
    assert _menu_label(client) == "我的消息"
    assert "data-unread" not in client.get(INBOX_URL).content.decode()


def test_nobody_reads_another_persons_messages(client, unit):
    make_handler(unit)
    make_accepted_post(make_editor(), unit)
    message = InboxMessage.objects.get()
    client.force_login(make_handler(unit))  # a colleague of the same unit, added later

    assert client.get(reverse("notifications_inbox:message", args=[message.pk])).status_code == 404
    assert InboxMessage.objects.get().read_at is None


def test_mark_all_as_read(client, unit):
    handler = make_handler(unit)
    make_accepted_post(make_editor(), unit)
    make_accepted_post(make_editor(), unit)
    client.force_login(handler)

    client.post(reverse("notifications_inbox:read_all"))

    assert not handler.inbox.filter(read_at=None).exists()
    assert _menu_label(client) == "我的消息"

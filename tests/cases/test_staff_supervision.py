"""The supervisors' lists (逾期督办, 重点督办), their menu items and dashboard counts."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from cases.models import Post
from cases.wagtail_hooks import WallQueuesPanel
from tests.factories import make_accepted_post, make_editor, make_handler, make_replied_post, make_unit, make_user

OVERDUE_URL = reverse("cases_admin:overdue")
ALL_OVERDUE_URL = reverse("cases_admin:all_overdue")
KEY_SUPERVISION_URL = reverse("cases_admin:key_supervision")
ADMIN_HOME = reverse("wagtailadmin_home")


def _post_links(response):
    """The case-file links in a listing, in the order shown."""
    content = response.content.decode()
    links = {pk: f'href="{reverse("cases_admin:post", args=[pk])}"' for pk in Post.objects.values_list("pk", flat=True)}
    positions = {content.find(link): pk for pk, link in links.items()}
    return [pk for position, pk in sorted(positions.items()) if position >= 0]


def _supervisor(*units):
    user = make_user(groups=["督查员"])
    for unit in units:
        unit.supervisors.add(user)
    return user


def _global_supervisor():
    return make_user(groups=["全局督办员"])


def _overdue(post, days, reply_too=True):
    """Move post's deadlines into the past: the resolution one by `days`, the reply one too if asked."""
    past = timezone.now() - timedelta(days=days)
    Post.objects.filter(pk=post.pk).update(resolution_due_at=past, **({"reply_due_at": past} if reply_too else {}))
    return post


@pytest.fixture
def editor():
    return make_editor()


# -- overdue in my units ------------------------------------------------------------------------


def test_it_lists_only_the_watched_units_overdue_posts_oldest_deadline_first(client, editor):
    watched, also_watched, other = make_unit(), make_unit(), make_unit()
    newer = _overdue(make_accepted_post(editor, watched), days=1)
    older = _overdue(make_accepted_post(editor, also_watched), days=5)
    make_accepted_post(editor, watched)  # not due yet
    _overdue(make_accepted_post(editor, other), days=9)
    client.force_login(_supervisor(watched, also_watched))

    response = client.get(OVERDUE_URL)

    assert response.status_code == 200
    assert _post_links(response) == [older.pk, newer.pk]


def test_it_lists_replied_posts_past_their_resolution_deadline(client, editor):
    unit = make_unit()
    replied = _overdue(make_replied_post(editor, make_handler(unit), unit), days=2, reply_too=False)
    handler = make_handler(unit)
    closed = make_replied_post(editor, handler, unit)
    closed.close(handler)
    _overdue(closed, days=2)
    client.force_login(_supervisor(unit))

    assert _post_links(client.get(OVERDUE_URL)) == [replied.pk]


def test_it_shows_both_deadlines_and_the_escalation_level(client, editor):
    unit = make_unit()
    post = _overdue(make_accepted_post(editor, unit), days=2)
    post.escalate(Post.Escalation.SUPERVISORS)
    post.refresh_from_db()
    client.force_login(_supervisor(unit))

    content = client.get(OVERDUE_URL).content.decode()

    assert content.count("data-overdue") == 2
    assert post.due_display in content
    assert post.resolution_display in content
    assert escape(post.get_escalation_display()) in content


def test_it_refuses_the_overdue_list_to_handlers_and_editors(client, editor):
    for user in (make_handler(make_unit()), editor):
        client.force_login(user)

        response = client.get(OVERDUE_URL)

        assert response.status_code == 302
        assert response.url == ADMIN_HOME


def test_it_refuses_the_overdue_list_to_a_supervisor_without_units(client):
    client.force_login(make_user(groups=["督查员"]))

    response = client.get(OVERDUE_URL)

    assert response.status_code == 302
    assert response.url == ADMIN_HOME


# -- all overdue posts and key supervision --------------------------------------------------------


def test_it_lists_every_units_overdue_posts_to_a_global_supervisor(client, editor):
    first = _overdue(make_accepted_post(editor, make_unit()), days=3)
    second = _overdue(make_accepted_post(editor, make_unit()), days=1)
    make_accepted_post(editor, make_unit())
    client.force_login(_global_supervisor())

    response = client.get(ALL_OVERDUE_URL)

    assert response.status_code == 200
    assert _post_links(response) == [first.pk, second.pk]


def test_it_lists_open_posts_under_key_supervision(client, editor):
    unit = make_unit()
    handler = make_handler(unit)
    marked = make_accepted_post(editor, unit, is_key_supervision=True)
    make_accepted_post(editor, unit)
    closed = make_replied_post(editor, handler, unit, is_key_supervision=True)
    closed.close(handler)
    client.force_login(_global_supervisor())

    response = client.get(KEY_SUPERVISION_URL)

    assert response.status_code == 200
    assert _post_links(response) == [marked.pk]


def test_it_lists_a_units_handlers_and_supervisor_only_their_posts_under_key_supervision(client, editor):
    unit, other = make_unit(), make_unit()
    theirs = make_accepted_post(editor, unit, is_key_supervision=True)
    make_accepted_post(editor, other, is_key_supervision=True)
    handler = make_handler(unit)

    for user in (handler, _supervisor(unit)):
        client.force_login(user)
        assert _post_links(client.get(KEY_SUPERVISION_URL)) == [theirs.pk]
    assert _panel_counts(handler)["unit_key_supervision_count"] == 1


def test_it_refuses_the_global_overdue_list_to_a_plain_supervisor(client):
    client.force_login(_supervisor(make_unit()))

    response = client.get(ALL_OVERDUE_URL)

    assert response.status_code == 302
    assert response.url == ADMIN_HOME


# -- menu and dashboard -------------------------------------------------------------------------


def _menu(user, client):
    client.force_login(user)
    content = client.get(ADMIN_HOME).content.decode()
    return {url for url in (OVERDUE_URL, ALL_OVERDUE_URL, KEY_SUPERVISION_URL) if f'"url": "{url}"' in content}


def test_it_shows_supervisors_their_overdue_menu_item(client):
    assert _menu(_supervisor(make_unit()), client) == {OVERDUE_URL}


def test_it_shows_global_supervisors_the_global_menu_items(client):
    assert _menu(_global_supervisor(), client) == {ALL_OVERDUE_URL, KEY_SUPERVISION_URL}


def test_it_shows_no_supervision_menu_items_to_handlers_and_editors(client):
    assert _menu(make_handler(make_unit()), client) == set()
    assert _menu(make_editor(), client) == set()


def _panel_counts(user):
    counts = WallQueuesPanel().get_context_data({"request": SimpleNamespace(user=user)})
    return {name: count for name, count in counts.items() if count is not None}


def test_it_counts_the_watched_units_overdue_posts_on_the_dashboard(client, editor):
    unit = make_unit()
    _overdue(make_accepted_post(editor, unit), days=1)
    make_accepted_post(editor, unit)
    _overdue(make_accepted_post(editor, make_unit()), days=1)
    supervisor = _supervisor(unit)
    client.force_login(supervisor)

    response = client.get(ADMIN_HOME)

    assert f'href="{OVERDUE_URL}"' in response.content.decode()
    assert _panel_counts(supervisor) == {"supervised_overdue_count": 1}


def test_it_counts_all_overdue_and_key_supervision_posts_for_a_global_supervisor(client, editor):
    _overdue(make_accepted_post(editor, make_unit()), days=1)
    _overdue(make_accepted_post(editor, make_unit(), is_key_supervision=True), days=1)
    make_accepted_post(editor, make_unit(), is_key_supervision=True)
    boss = _global_supervisor()
    client.force_login(boss)

    content = client.get(ADMIN_HOME).content.decode()

    assert f'href="{ALL_OVERDUE_URL}"' in content
    assert f'href="{KEY_SUPERVISION_URL}"' in content
    assert _panel_counts(boss) == {"all_overdue_count": 2, "key_supervision_count": 2}

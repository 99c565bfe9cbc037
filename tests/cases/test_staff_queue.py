import re
from datetime import timedelta
from types import SimpleNamespace

import time_machine
from django.urls import reverse
from django.utils import timezone

from cases.admin_views import queues
from cases.models import Post
from cases.wagtail_hooks import WallQueuesPanel
from tests.factories import (
    make_accepted_post,
    make_category,
    make_editor,
    make_handler,
    make_kind,
    make_post,
    make_replied_post,
    make_unit,
    make_user,
)

SCREENING_URL = reverse("cases_admin:screening")
UNREPLIED_URL = reverse("cases_admin:unreplied")
POSTS_URL = reverse("cases_admin:posts")
ADMIN_HOME = reverse("wagtailadmin_home")


def _post_links(response):
    """The case-file links in a listing, in the order shown."""
    content = response.content.decode()
    posts = Post.objects.all()
    positions = {content.find(f'href="{reverse("cases_admin:post", args=[post.pk])}"'): post.pk for post in posts}
    return [pk for position, pk in sorted(positions.items()) if position >= 0]


def _ago(**kwargs):
    return time_machine.travel(timezone.now() - timedelta(**kwargs), tick=False)


# -- the editors' screening queue -----------------------------------------------------------------


def test_it_lists_submitted_posts_oldest_first(client):
    editor = make_editor()
    unit = make_unit(name="总务处MARK")
    with _ago(hours=5):
        older = make_post(kind=make_kind("报修", "repair"), category=make_category("安全治理"), requested_unit=unit)
    newer = make_post()
    make_accepted_post(editor, unit)
    client.force_login(editor)

    response = client.get(SCREENING_URL)

    assert response.status_code == 200
    assert _post_links(response) == [older.pk, newer.pk]
    content = response.content.decode()
    assert "报修" in content
    assert "安全治理" in content
    assert "总务处MARK" in content


def test_it_refuses_the_screening_queue_to_handlers(client):
    client.force_login(make_handler(make_unit()))
    make_post()

    response = client.get(SCREENING_URL)

    assert response.status_code == 302
    assert response.url == ADMIN_HOME


def test_it_sends_strangers_to_the_login_page(client):
    client.force_login(make_user())

    response = client.get(SCREENING_URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("wagtailadmin_login"))


# -- the handlers' unreplied queue ----------------------------------------------------------------


def test_it_lists_my_units_unreplied_posts_by_deadline(client):
    editor = make_editor()
    unit, other_unit = make_unit(), make_unit()
    handler = make_handler(unit)
    with _ago(hours=50):
        posted_first = make_post()
    posted_first.accept(editor, unit)  # routed only now, so due last
    with _ago(hours=30):
        overdue = make_accepted_post(editor, unit)
    with _ago(hours=3):
        sooner = make_accepted_post(editor, unit)
    make_accepted_post(editor, other_unit)
    make_replied_post(editor, handler, unit)
    make_post()
    client.force_login(handler)

    response = client.get(UNREPLIED_URL)

    assert response.status_code == 200
    assert _post_links(response) == [overdue.pk, sooner.pk, posted_first.pk]


def test_it_shows_time_left_and_highlights_overdue_posts(client):
    editor = make_editor()
    unit = make_unit()
    handler = make_handler(unit)
    with _ago(hours=30):
        overdue = make_accepted_post(editor, unit)
    on_time = make_accepted_post(editor, unit)
    client.force_login(handler)

    response = client.get(UNREPLIED_URL)

    content = response.content.decode()
    assert content.count("data-overdue") == 1
    assert content.count("w-bg-critical-50") == 1
    assert overdue.due_display in content
    assert on_time.due_display in content


def test_it_lists_posts_my_units_co_handle_and_marks_them(client):
    editor = make_editor()
    unit, lead_unit = make_unit(), make_unit()
    handler = make_handler(unit)
    make_handler(unit), make_handler(lead_unit)  # second handlers must not list a post twice
    with _ago(hours=2):
        mine = make_accepted_post(editor, unit)
    co_handled = make_accepted_post(editor, lead_unit)
    co_handled.add_co_units(make_handler(lead_unit), [unit])
    make_accepted_post(editor, lead_unit)
    client.force_login(handler)

    response = client.get(UNREPLIED_URL)

    assert _post_links(response) == [mine.pk, co_handled.pk]
    assert [post.co_handling for post in response.context["object_list"]] == [False, True]
    assert response.content.decode().count("data-co-handling") == 1


def test_it_shows_the_resolution_deadline_in_the_unreplied_queue(client):
    editor = make_editor()
    unit = make_unit()
    post = make_accepted_post(editor, unit)
    client.force_login(make_handler(unit))

    content = client.get(UNREPLIED_URL).content.decode()

    assert post.resolution_display in content


def test_it_lists_reopened_posts_as_unreplied(client):
    editor = make_editor()
    unit = make_unit()
    handler = make_handler(unit)
    post = make_replied_post(editor, handler, unit)
    post.reopen("还是没有热水")
    client.force_login(handler)

    response = client.get(UNREPLIED_URL)

    assert _post_links(response) == [post.pk]


def test_it_refuses_the_unreplied_queue_to_non_handlers(client):
    client.force_login(make_editor())

    response = client.get(UNREPLIED_URL)

    assert response.status_code == 302
    assert response.url == ADMIN_HOME


def test_it_shows_superusers_every_units_unreplied_posts(client):
    editor = make_editor()
    first = make_accepted_post(editor, make_unit())
    second = make_accepted_post(editor, make_unit())
    client.force_login(make_user(is_superuser=True))

    response = client.get(UNREPLIED_URL)

    assert _post_links(response) == [first.pk, second.pk]


# -- all posts ----------------------------------------------------------------------------------


def test_it_shows_handlers_only_their_units_posts(client):
    editor = make_editor()
    unit = make_unit()
    mine = make_accepted_post(editor, unit)
    make_accepted_post(editor, make_unit())
    make_post()
    client.force_login(make_handler(unit))

    response = client.get(POSTS_URL)

    assert response.status_code == 200
    assert _post_links(response) == [mine.pk]


def test_it_shows_supervisors_their_watched_units_posts_and_only_those_units_as_filters(client):
    editor = make_editor()
    watched, other = make_unit(), make_unit()
    supervisor = make_user(groups=["督查员"])
    watched.supervisors.add(supervisor)
    mine = make_accepted_post(editor, watched)
    make_accepted_post(editor, other)
    client.force_login(supervisor)

    response = client.get(POSTS_URL)

    assert _post_links(response) == [mine.pk]
    assert list(response.context["filters"].form.fields["unit"].queryset) == [watched]


def test_it_shows_editors_every_post_newest_first(client):
    editor = make_editor()
    with _ago(hours=2):
        old = make_post()
    new = make_accepted_post(editor, make_unit())
    client.force_login(editor)

    response = client.get(POSTS_URL)

    assert _post_links(response) == [new.pk, old.pk]


def test_it_filters_posts_by_status_and_unit(client):
    editor = make_editor()
    unit, other_unit = make_unit(), make_unit()
    handler = make_handler(unit)
    accepted = make_accepted_post(editor, unit)
    make_replied_post(editor, handler, unit)
    make_accepted_post(editor, other_unit)
    make_post()
    client.force_login(editor)

    response = client.get(POSTS_URL, {"status": "accepted", "unit": unit.pk})

    assert _post_links(response) == [accepted.pk]


def test_it_filters_posts_by_kind_category_date_deadline_escalation_supervision_and_cannot_solve(client):
    editor = make_editor()
    unit = make_unit()
    handler = make_handler(unit)
    with _ago(days=10):
        old = make_accepted_post(editor, unit, kind=make_kind("报修", "repair"), category=make_category("网络"))
    late = make_accepted_post(editor, unit)
    Post.objects.filter(pk=late.pk).update(reply_due_at=timezone.now() - timedelta(hours=1), escalation=2)
    stuck = make_accepted_post(editor, unit, is_key_supervision=True)
    today = timezone.localdate()
    stuck.reply(handler, "需要明年预算", is_public=False, cannot_solve=True, solve_by=today)
    client.force_login(editor)

    def found(**query):
        return sorted(_post_links(client.get(POSTS_URL, query)))

    assert found(kind=old.kind_id) == [old.pk]
    assert found(category=old.category_id) == [old.pk]
    assert found(created_at_to=(today - timedelta(days=5)).isoformat()) == [old.pk]
    assert found(created_at_from=(today - timedelta(days=5)).isoformat()) == [late.pk, stuck.pk]
    assert found(overdue="true") == [old.pk, late.pk]  # old's reply was due nine days ago
    assert found(overdue="false") == [stuck.pk]
    assert found(escalation=2) == [late.pk]
    assert found(is_key_supervision="true") == [stuck.pk]
    assert found(cannot_solve="true") == [stuck.pk]
    assert found(cannot_solve="false") == [old.pk, late.pk]


def test_it_ignores_a_filter_for_a_unit_out_of_reach(client):
    editor = make_editor()
    unit, other_unit = make_unit(), make_unit()
    mine = make_accepted_post(editor, unit)
    make_accepted_post(editor, other_unit)
    client.force_login(make_handler(unit))

    response = client.get(POSTS_URL, {"unit": other_unit.pk})

    assert _post_links(response) == [mine.pk]


def test_it_paginates_all_posts(client):
    editor = make_editor()
    for _ in range(queues.POSTS_PER_PAGE + 1):
        make_post()
    client.force_login(editor)

    first_page = client.get(POSTS_URL)
    second_page = client.get(POSTS_URL, {"p": 2})

    assert len(_post_links(first_page)) == queues.POSTS_PER_PAGE
    assert len(_post_links(second_page)) == 1


def test_it_refuses_all_posts_to_staff_without_units(client):
    client.force_login(make_user(groups=["督查员"]))

    response = client.get(POSTS_URL)

    assert response.status_code == 302
    assert response.url == ADMIN_HOME


# -- menu and dashboard -------------------------------------------------------------------------


def _menu_has(response, url):
    return f'"url": "{url}"' in response.content.decode()


def test_it_shows_editors_the_screening_menu_item_only(client):
    client.force_login(make_editor())

    response = client.get(ADMIN_HOME)

    assert _menu_has(response, SCREENING_URL)
    assert _menu_has(response, POSTS_URL)
    assert not _menu_has(response, UNREPLIED_URL)


def test_it_shows_handlers_the_unreplied_menu_item_only(client):
    client.force_login(make_handler(make_unit()))

    response = client.get(ADMIN_HOME)

    assert _menu_has(response, UNREPLIED_URL)
    assert _menu_has(response, POSTS_URL)
    assert not _menu_has(response, SCREENING_URL)


def test_it_shows_no_post_menu_items_to_staff_without_units(client):
    client.force_login(make_user(groups=["校领导"]))

    response = client.get(ADMIN_HOME)

    assert not _menu_has(response, SCREENING_URL)
    assert not _menu_has(response, UNREPLIED_URL)
    assert not _menu_has(response, POSTS_URL)
    assert 'id="wall-queues-section"' not in response.content.decode()


def _panel_counts(user):
    """The counts the dashboard panel shows this user; those not meant for their role left out."""
    counts = WallQueuesPanel().get_context_data({"request": SimpleNamespace(user=user)})
    return {name: count for name, count in counts.items() if count is not None}


def test_it_counts_posts_awaiting_screening_on_the_dashboard(client):
    editor = make_editor()
    make_post()
    make_post()
    make_accepted_post(editor, make_unit())
    client.force_login(editor)

    response = client.get(ADMIN_HOME)

    assert f'href="{SCREENING_URL}"' in response.content.decode()
    assert _panel_counts(editor) == {"screening_count": 2, "screening_late_count": 0}


def test_it_counts_unreplied_and_overdue_posts_on_the_dashboard(client):
    editor = make_editor()
    unit = make_unit()
    handler = make_handler(unit)
    with _ago(hours=30):
        make_accepted_post(editor, unit)
    make_accepted_post(editor, unit)
    make_accepted_post(editor, make_unit())
    client.force_login(handler)

    response = client.get(ADMIN_HOME)

    assert f'href="{UNREPLIED_URL}"' in response.content.decode()
    assert _panel_counts(handler) == {
        "unreplied_count": 2,
        "overdue_count": 1,
        "on_hold_count": 0,
        "on_hold_due_count": 0,
        "unit_key_supervision_count": 0,
        "instruction_count": 0,
    }


def test_the_screening_queue_marks_a_post_waiting_past_its_deadline(client):
    with _ago(hours=9):  # the rules' default screening deadline is 8 hours
        late = make_post(title="等了很久的诉求")
    make_post(title="刚刚提交的诉求")
    client.force_login(make_editor())
    content = client.get(SCREENING_URL).content.decode()
    assert content.count("w-bg-critical-50") == 1
    assert content.count("data-overdue") == 1
    assert late.screening_display in content


def test_the_queue_and_the_case_file_show_the_posts_age_since_posting_after_a_transfer(client):
    editor, first, second = make_editor(), make_unit(), make_unit()
    with _ago(days=3, hours=2):
        post = make_accepted_post(editor, first)
    post.transfer(make_handler(first), second, "属于另一单位")  # the receiving unit's clock starts now
    handler = make_handler(second)
    client.force_login(handler)

    queue = client.get(UNREPLIED_URL).content.decode()
    case_file = client.get(reverse("cases_admin:post", args=[post.pk])).content.decode()

    three_days = re.compile(r"3\s日，2\s小时")  # Django's timesince, in Chinese
    assert "距提交" in queue and three_days.search(queue)
    assert three_days.search(re.search(r"<dd data-age>(.*?)</dd>", case_file, re.S).group(1))

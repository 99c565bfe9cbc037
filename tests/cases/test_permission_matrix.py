"""Every staff screen, staff API endpoint and staff action × every role of DESIGN.md §2, with the
post in the acting unit or in another: allowed or refused exactly as the table below says.

The table is written from DESIGN.md §2 (and the README where §2 is silent, noted in the row), not
from what the code does. "Y" allowed, "-" refused. The post is always unit A's:
  hA / hB  a handler (信息员) of unit A / of unit B
  sA / sB  a supervisor (督查员) watching units A and C / watching unit B
  gs       a global supervisor (全局督办员), lead a leader (校领导)
  poster   the logged-in poster who made the post (staff screens refuse them all the same)

A screen is allowed when it answers 200 (and, for a "shows" row, holds what the row names);
refused when it answers 403 or 404 or redirects to the log-in page or the admin's home. An action
is allowed when its effect is there afterwards and refused when it is not.
"""

import itertools
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from cases.models import Kind, Post, ReturnVisit
from tests.factories import image_bytes, make_post, make_unit, make_user

ROLES = ["visitor", "poster", "editor", "hA", "hB", "sA", "sB", "gs", "lead"]
CONTACT_PHONE = "13700001111"
ADMIN_HOME = reverse("wagtailadmin_home")

# fmt: off
MATRIX = """
row                       visitor poster editor hA hB sA sB gs lead  why (DESIGN.md §2 unless said)
dashboard                   -       -     Y     Y  Y  Y  Y  Y  Y    every staff role; leaders read dashboards
all_posts                   -       -     Y     Y  Y  Y  Y  Y  -    who handle or watch posts; leaders read reports
all_posts_lists_it          -       -     Y     Y  -  Y  -  Y  -    handlers see only their own units' non-public data
screening                   -       -     Y     -  -  -  -  -  -    editors screen new posts
unreplied                   -       -     -     Y  Y  -  -  -  -    本单位未回复: each handler's own units
unreplied_lists_it          -       -     -     Y  -  -  -  -  -
awaiting_closure            -       -     -     Y  Y  -  -  -  -    #20.6: handlers close what they answered
awaiting_closure_lists_it   -       -     -     Y  -  -  -  -  -
overdue                     -       -     -     -  -  Y  Y  Y  -    supervisors: overdue posts of the units they watch
overdue_lists_it            -       -     -     -  -  Y  -  -  -    (a global supervisor has the list of all instead)
all_overdue_lists_it        -       -     -     -  -  -  -  Y  -    a global supervisor: everything, for all units
key_supervision_lists_it    -       -     Y     Y  -  Y  -  Y  -    #20.8: global supervisors all; staff their units'
on_hold                     -       -     -     Y  Y  -  -  -  -    #20.7: 挂账, each handler's own units
on_hold_lists_it            -       -     -     Y  -  -  -  -  -
case_file                   -       -     Y     Y  -  Y  -  Y  Y    #20.10: leaders read every case file
case_file_shows_contact     -       -     Y     -  -  -  -  -  -    only editors see contact details
repair_shows_contact        -       -     Y     Y  -  -  -  -  -    #20.4: and the unit's handlers for some kinds
intake                      -       -     Y     -  -  -  -  -  -    #20.4: editors take in calls, visits and letters
private_photo               -       Y     Y     Y  -  Y  -  Y  Y    README: the poster, or who may read the case file
ranking                     -       -     Y     -  -  Y  Y  Y  Y    README: leaders, (global) supervisors, editors
ranking_csv                 -       -     Y     -  -  Y  Y  Y  Y
ranking_xlsx                -       -     Y     -  -  Y  Y  Y  Y
ledger                      -       -     Y     -  -  Y  Y  Y  Y
ledger_lists_it             -       -     Y     -  -  Y  -  Y  Y    README: a unit supervisor sees their units only
ledger_csv_lists_it         -       -     Y     -  -  Y  -  Y  Y
settings_kinds              -       -     Y     -  -  -  -  -  -    README: editors edit units, categories, kinds
settings_categories         -       -     Y     -  -  -  -  -  -
settings_units              -       -     Y     -  -  -  -  -  -
settings_calendar           -       -     Y     -  -  -  -  -  -    README: editors correct the working-day calendar
settings_canned_replies     -       -     Y     -  -  -  -  -  -    #20.9: editors keep the units' canned replies
settings_handling           -       -     Y     -  -  -  -  -  -
settings_statistics         -       -     Y     -  -  -  -  -  -
notifications               -       -     Y     -  -  -  -  -  -    README: failed messages listed for the editors
api_clients                 -       -     -     -  -  -  -  -  -    README: a superuser issues keys
api_keys                    -       -     -     -  -  -  -  -  -
api_staff_queue             -       -     -     Y  Y  -  -  -  -    README: GET /staff/queue, my units' unreplied posts
api_staff_queue_lists_it    -       -     -     Y  -  -  -  -  -
api_staff_reply             -       -     -     Y  -  -  -  -  -    handlers answer their unit's posts
accept                      -       -     Y     -  -  -  -  -  -    editors route
reject                      -       -     Y     -  -  -  -  -  -    editors screen
publish                     -       -     Y     -  -  -  -  -  -    editors publish to the wall
unpublish                   -       -     Y     -  -  -  -  -  -    editors hide
public_text                 -       -     Y     -  -  -  -  -  -    editors redact
reply                       -       -     -     Y  -  -  -  -  -    handlers answer their unit's posts
reply_as_co_unit            -       -     -     Y  Y  -  -  -  -    README: co-units reply (B co-handles here)
close                       -       -     Y     Y  -  -  -  -  -    README: only the lead closes (§2: editors silent)
transfer                    -       -     -     Y  -  -  -  -  -    handlers transfer their unit's posts
co_handle                   -       -     Y     Y  -  -  -  Y  -    handlers ask; editors route; gs coordinate
note                        -       -     Y     Y  -  Y  -  Y  -    README: those who handle or chase the post
reassign_within             -       -     -     -  -  Y  -  Y  -    supervisors re-assign within their units (A → C)
reassign_beyond             -       -     -     -  -  -  -  Y  -    ...and only a global supervisor beyond them (A → B)
mark_key_supervision        -       -     -     -  -  -  -  Y  -
urge                        -       -     -     -  -  Y  -  Y  -    #20.8: 催办, by who watches the unit
return_visit                -       -     Y     -  -  -  -  -  -    README: an editor's return visit
"""
# fmt: on


def _table():
    lines = [line for line in MATRIX.strip().splitlines()[1:]]
    rows = {}
    for line in lines:
        name, *marks = line.split()[: 1 + len(ROLES)]
        rows[name] = {role for role, mark in zip(ROLES, marks, strict=True) if mark == "Y"}
    return rows


EXPECTED = _table()


@pytest.fixture
def world():
    unit_a, unit_b, unit_c = make_unit("后勤管理处"), make_unit("保卫处"), make_unit("学生工作处")
    users = {
        "poster": make_user(first_name="张三"),
        "editor": make_user(groups=["编辑"]),
        "hA": make_user(groups=["信息员"], units=[unit_a]),
        "hB": make_user(groups=["信息员"], units=[unit_b]),
        "sA": make_user(groups=["督查员"]),
        "sB": make_user(groups=["督查员"]),
        "gs": make_user(groups=["全局督办员"]),
        "lead": make_user(groups=["校领导"]),
    }
    unit_a.supervisors.add(users["sA"])
    unit_c.supervisors.add(users["sA"])
    unit_b.supervisors.add(users["sB"])
    return {"units": (unit_a, unit_b, unit_c), "users": users}


_numbers = itertools.count(1000)


def _repairs():
    kind, _created = Kind.objects.update_or_create(
        slug="repair", defaults={"name": "报修", "contact_for_handlers": True}
    )
    return kind


def _new_post(world, status="accepted", **kwargs):
    """A post of unit A by the poster, in the state an action needs."""
    unit_a = world["units"][0]
    editor = world["users"]["editor"]
    kwargs.setdefault("title", f"热水{next(_numbers)}号楼问题")  # unique: found by its title in lists
    post = make_post(poster=world["users"]["poster"], contact_phone=CONTACT_PHONE, **kwargs)
    if status == "submitted":
        return post
    post.accept(editor, unit_a)
    if status in ("replied", "closed"):
        post.reply(world["users"]["hA"], "已处理。", is_public=True)
    if status == "closed":
        post.close(world["users"]["hA"])
    return Post.objects.get(pk=post.pk)


def _overdue(post):
    past = timezone.now() - timezone.timedelta(days=10)
    Post.objects.filter(pk=post.pk).update(reply_due_at=past, resolution_due_at=past)
    return post


def _key_supervised(post):
    Post.objects.filter(pk=post.pk).update(is_key_supervision=True)
    return post


def _held(world):
    post = _new_post(world)
    post.reply(world["users"]["hA"], "需要明年预算", is_public=True, cannot_solve=True, solve_by=date(2099, 9, 1))
    return post


def _with_photo(post):
    post.add_photo(SimpleUploadedFile("p.jpg", image_bytes()))
    return post


def _co_handled_by_b(world):
    post = _new_post(world)
    post.add_co_units(world["users"]["editor"], [world["units"][1]])
    return post


def _published(world):
    post = _new_post(world)
    post.publish(world["users"]["editor"])
    return Post.objects.get(pk=post.pk)


def admin(name, *args, app="cases"):
    return lambda post: reverse(f"{app}_admin:{name}", args=args)


def case(name):
    return lambda post: reverse(f"cases_admin:{name}", args=[post.pk])


# Screens: row -> (how to make the post, its URL, what a "lists it"/"shows" row must find in it).
LISTS_TITLE = "title"
SCREENS = {
    "dashboard": (_new_post, lambda post: ADMIN_HOME, None),
    "all_posts": (_new_post, admin("posts"), None),
    "all_posts_lists_it": (_new_post, admin("posts"), LISTS_TITLE),
    "screening": (_new_post, admin("screening"), None),
    "unreplied": (_new_post, admin("unreplied"), None),
    "unreplied_lists_it": (_new_post, admin("unreplied"), LISTS_TITLE),
    "awaiting_closure": (_new_post, admin("awaiting_closure"), None),
    "awaiting_closure_lists_it": (lambda w: _new_post(w, status="replied"), admin("awaiting_closure"), LISTS_TITLE),
    "overdue": (_new_post, admin("overdue"), None),
    "overdue_lists_it": (lambda w: _overdue(_new_post(w)), admin("overdue"), LISTS_TITLE),
    "all_overdue_lists_it": (lambda w: _overdue(_new_post(w)), admin("all_overdue"), LISTS_TITLE),
    "key_supervision_lists_it": (lambda w: _key_supervised(_new_post(w)), admin("key_supervision"), LISTS_TITLE),
    "on_hold": (_new_post, admin("on_hold"), None),
    "on_hold_lists_it": (_held, admin("on_hold"), LISTS_TITLE),
    "case_file": (_new_post, case("post"), None),
    "case_file_shows_contact": (_new_post, case("post"), CONTACT_PHONE),
    "repair_shows_contact": (lambda w: _new_post(w, kind=_repairs()), case("post"), CONTACT_PHONE),
    "intake": (_new_post, admin("intake"), None),
    "private_photo": (
        lambda w: _with_photo(_new_post(w, wants_public=False)),
        lambda post: reverse("wall:photo", args=[post.photos.get().pk]),
        None,
    ),
    "ranking": (_new_post, admin("ranking", app="stats"), None),
    "ranking_csv": (_new_post, admin("ranking_download", "csv", app="stats"), None),
    "ranking_xlsx": (_new_post, admin("ranking_download", "xlsx", app="stats"), None),
    "ledger": (_new_post, admin("ledgers", app="stats"), None),
    "ledger_lists_it": (_new_post, admin("ledger", "unfinished", app="stats"), LISTS_TITLE),
    "ledger_csv_lists_it": (_new_post, admin("ledger_csv", "unfinished", app="stats"), LISTS_TITLE),
    "settings_kinds": (_new_post, lambda post: reverse("wall_kinds:index"), None),
    "settings_categories": (_new_post, lambda post: reverse("wall_categories:index"), None),
    "settings_units": (_new_post, lambda post: reverse("wall_units:index"), None),
    "settings_calendar": (_new_post, lambda post: reverse("wall_calendar:index"), None),
    "settings_canned_replies": (_new_post, lambda post: reverse("wall_canned_replies:index"), None),
    "settings_handling": (
        _new_post,
        lambda post: reverse("wagtailsettings:edit", args=["cases", "handlingsettings"]),
        None,
    ),
    "settings_statistics": (
        _new_post,
        lambda post: reverse("wagtailsettings:edit", args=["stats", "statisticssettings"]),
        None,
    ),
    "notifications": (_new_post, lambda post: reverse("wall_notifications:index"), None),
    "api_clients": (_new_post, lambda post: reverse("api_clients:index"), None),
    "api_keys": (_new_post, lambda post: reverse("api_keys:index"), None),
    "api_staff_queue": (_new_post, lambda post: "/api/v1/staff/queue", None),
    "api_staff_queue_lists_it": (_new_post, lambda post: "/api/v1/staff/queue", LISTS_TITLE),
}


def _login(client, world, role):
    client.logout()
    if role != "visitor":
        client.force_login(world["users"][role])


def _is_refusal(response):
    if response.status_code in (401, 403, 404):
        return True
    return response.status_code == 302 and (
        response.url == ADMIN_HOME or response.url.startswith((reverse("wagtailadmin_login"), reverse("login")))
    )


def _body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("row", list(SCREENS))
def test_each_role_reaches_exactly_the_screens_design_gives_it(client, world, row):
    make, url_of, must_hold = SCREENS[row]
    wrong = []
    for role in ROLES:
        post = make(world)
        _login(client, world, role)
        url = url_of(post)
        response = client.get(url)
        if response.status_code == 302 and not _is_refusal(response):  # a settings page finds its row
            response = client.get(response.url)
        assert response.status_code != 500, (row, role)
        holds = True
        if must_hold == LISTS_TITLE:
            holds = post.title.encode() in _body(response)
        elif must_hold:
            holds = must_hold.encode() in _body(response)
        allowed = response.status_code == 200 and holds
        if allowed != (role in EXPECTED[row]):
            wrong.append(f"{role}: {response.status_code}{'' if holds else ' without it'}")
        elif not allowed and response.status_code != 200 and not _is_refusal(response):
            wrong.append(f"{role}: refused oddly, {response.status_code}")
    assert not wrong, f"{row}: {', '.join(wrong)}"


# Actions: row -> (how to make the post, the URL, the form data, whether it took effect).
def _unit(world, index):
    return world["units"][index].pk


ACTIONS = {
    "accept": (
        lambda w: _new_post(w, "submitted"),
        case("accept"),
        lambda w, post: {"accept-unit": _unit(w, 0)},
        lambda w, post: post.status == Post.Status.ACCEPTED,
    ),
    "reject": (
        lambda w: _new_post(w, "submitted"),
        case("reject"),
        lambda w, post: {"reject-reason": "与本校无关"},
        lambda w, post: post.status == Post.Status.REJECTED,
    ),
    "publish": (_new_post, case("publish"), lambda w, post: {}, lambda w, post: post.on_wall),
    "unpublish": (_published, case("unpublish"), lambda w, post: {}, lambda w, post: not post.on_wall),
    "public_text": (
        _new_post,
        case("public_text"),
        lambda w, post: {"public-public_title": "热水问题"},
        lambda w, post: post.public_title == "热水问题",
    ),
    "reply": (
        _new_post,
        case("reply"),
        lambda w, post: {"reply-body": "明天修好。", "reply-is_public": "on"},
        lambda w, post: post.replies.exists(),
    ),
    "reply_as_co_unit": (
        _co_handled_by_b,
        case("reply"),
        lambda w, post: {"reply-body": "我们配合处理。"},
        lambda w, post: post.replies.exists(),
    ),
    "close": (
        lambda w: _new_post(w, "replied"),
        case("close"),
        lambda w, post: {},
        lambda w, post: post.status == Post.Status.CLOSED,
    ),
    "transfer": (
        _new_post,
        case("transfer"),
        lambda w, post: {"transfer-unit": _unit(w, 1), "transfer-reason": "不属本处"},
        lambda w, post: post.unit_id == _unit(w, 1),
    ),
    "co_handle": (
        _new_post,
        case("co_handle"),
        lambda w, post: {"co_handle-units": [_unit(w, 1)]},
        lambda w, post: post.co_units.exists(),
    ),
    "note": (_new_post, case("note"), lambda w, post: {"note-body": "已电话催办"}, lambda w, post: post.notes.exists()),
    "reassign_within": (
        _new_post,
        case("reassign"),
        lambda w, post: {"reassign-unit": _unit(w, 2), "reassign-reason": "应由学生处办"},
        lambda w, post: post.unit_id == _unit(w, 2),
    ),
    "reassign_beyond": (
        _new_post,
        case("reassign"),
        lambda w, post: {"reassign-unit": _unit(w, 1), "reassign-reason": "应由保卫处办"},
        lambda w, post: post.unit_id == _unit(w, 1),
    ),
    "urge": (
        _new_post,
        case("urge"),
        lambda w, post: {"urge-message": "请今天内答复"},
        lambda w, post: ModelLogEntry.objects.filter(object_id=str(post.pk), action="wall.urge").exists(),
    ),
    "mark_key_supervision": (
        _new_post,
        case("mark_key_supervision"),
        lambda w, post: {},
        lambda w, post: post.is_key_supervision,
    ),
    "return_visit": (
        lambda w: _new_post(w, "closed"),
        case("return_visit"),
        lambda w, post: {"visit-outcome": ReturnVisit.Outcome.SOLVED},
        lambda w, post: post.return_visits.exists(),
    ),
    "api_staff_reply": (
        _new_post,
        lambda post: f"/api/v1/staff/posts/{post.pk}/reply",
        lambda w, post: {"body": "明天修好。", "is_public": True},
        lambda w, post: post.replies.exists(),
    ),
}


@pytest.mark.parametrize("row", list(ACTIONS))
def test_each_role_may_take_exactly_the_actions_design_gives_it(client, world, row):
    make, url_of, data_of, took_effect = ACTIONS[row]
    wrong = []
    for role in ROLES:
        post = make(world)
        _login(client, world, role)
        if row.startswith("api_"):
            response = client.post(url_of(post), data_of(world, post), content_type="application/json")
        else:
            response = client.post(url_of(post), data_of(world, post))
        assert response.status_code != 500, (row, role)
        allowed = took_effect(world, Post.objects.get(pk=post.pk))
        if allowed != (role in EXPECTED[row]):
            wrong.append(f"{role}: {'done' if allowed else 'refused'} ({response.status_code})")
    assert not wrong, f"{row}: {', '.join(wrong)}"


def test_the_table_covers_every_row_and_every_row_is_tested():
    assert set(EXPECTED) == set(SCREENS) | set(ACTIONS)

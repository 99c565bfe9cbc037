"""What a page offers is exactly what its button does (issue #16), for every role, every state of a
post and every action.

Post's `can_<verb>` rules (cases.rules) decide both what the case file offers and what its
transitions accept. These tests hold the two sides to each other through the real pages: an action
the case file offers must succeed when its button's POST is sent, and one it does not offer must be
refused (404, Wagtail's "no permission", or an error message) with the post left as it was.
"""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from cases.models import Post, ReturnVisit, TransitionError
from tests.factories import make_category, make_editor, make_handler, make_post, make_unit, make_user
from wall.models import WallPostPage
from wall.publishing import publish_many

S = Post.Status
ADMIN_HOME = reverse("wagtailadmin_home")


@pytest.fixture
def world():
    """Unit A leads the post, B co-handles it, C has nothing to do with it, D is where it may go."""
    lead, co, other, spare = (make_unit(name) for name in ("后勤管理处", "保卫处", "教务处", "学生工作处"))
    unit_supervisor = make_user(groups=["督查员"])
    lead.supervisors.add(unit_supervisor)
    spare.supervisors.add(unit_supervisor)
    users = {
        "editor": make_editor(),
        "lead_handler": make_handler(lead),
        "co_handler": make_handler(co),
        "other_handler": make_handler(other),
        "unit_supervisor": unit_supervisor,
        "global_supervisor": make_user(groups=["全局督办员"]),
        "leader": make_user(groups=["校领导"]),
        "staff_without_unit": make_user(groups=["信息员"]),
        "superuser": make_user(is_superuser=True),
    }
    # The post a duplicate may be merged into.
    other_category = make_category("网络")
    return {
        "lead": lead,
        "co": co,
        "spare": spare,
        "users": users,
        "original": make_post(title="原帖"),
        "other_category": other_category,
    }


ROLES = [
    "editor",
    "lead_handler",
    "co_handler",
    "other_handler",
    "unit_supervisor",
    "global_supervisor",
    "leader",
    "staff_without_unit",
    "superuser",
]

# Every status, and what else the rules read (on the wall, under key supervision, kept off the wall by
# the poster, the wall page withdrawn in Wagtail's page explorer) on an open post and on a closed one.
SITUATIONS = {
    **{status.value: {"status": status} for status in S},
    "submitted_naming_the_unit": {"status": S.SUBMITTED, "routed": True},  # its handlers can open it
    "accepted_on_the_wall_under_key_supervision": {"status": S.ACCEPTED, "on_wall": True, "key": True},
    "closed_on_the_wall_under_key_supervision": {"status": S.CLOSED, "on_wall": True, "key": True},
    "accepted_on_the_wall_its_page_withdrawn": {"status": S.ACCEPTED, "on_wall": True, "page_live": False},
    "accepted_kept_off_the_wall": {"status": S.ACCEPTED, "wants_public": False},
    "replied_cannot_be_solved_now": {"status": S.REPLIED, "on_hold": True},
    "accepted_with_a_leaders_instruction": {"status": S.ACCEPTED, "instructed": True},
    "closed_on_the_wall_a_typical_case": {"status": S.CLOSED, "on_wall": True, "typical": True},
    "closed_with_a_leaders_instruction": {"status": S.CLOSED, "instructed": True},
}
UNROUTED = {S.SUBMITTED, S.REJECTED}


def _make(
    world,
    status,
    routed=False,
    on_wall=False,
    page_live=True,
    key=False,
    wants_public=True,
    on_hold=False,
    instructed=False,
    typical=False,
):
    """A post of unit A co-handled by B, built directly in the state asked for."""
    now = timezone.now()
    routed = routed or status not in UNROUTED
    post = make_post(
        status=status,
        unit=world["lead"] if routed else None,
        wants_public=wants_public,
        is_key_supervision=key,
        on_hold=on_hold,
        is_typical=typical,
        accepted_at=now if status not in UNROUTED else None,
        reply_due_at=now + timedelta(days=1),
        resolution_due_at=now + timedelta(days=7),
        first_replied_at=now if status in (*Post.ANSWERED, S.REOPENED) else None,
        closed_at=now if status in (S.CLOSED, S.REJECTED) else None,
        reject_reason="与本校无关" if status == S.REJECTED else "",
    )
    if routed:
        post.co_units.add(world["co"])
    if instructed:
        post.instructions.create(author=world["users"]["leader"], body="请本周内解决并报告")
    if on_wall:
        publish_many([post])
        WallPostPage.objects.filter(pk=post.page_id).update(live=page_live)
    return post


# The staff actions, each named as its button's URL: the form it sends, what it changes, its log entry.
VERBS = {
    "accept": (lambda w: {"accept-unit": w["lead"].pk}, lambda w, p: p.status == S.ACCEPTED, "wall.accept"),
    "reject": (lambda w: {"reject-reason": "与本校无关"}, lambda w, p: p.status == S.REJECTED, "wall.reject"),
    "merge": (
        lambda w: {"merge-into": w["original"].pk},
        lambda w, p: p.status == S.MERGED and p.merged_into == w["original"],
        "wall.merge",
    ),
    "reply": (
        lambda w: {"reply-body": "明天修好。", "reply-is_public": "on"},
        # Stored; whether it answers the post (lead unit or co-unit) is tests/cases/test_case_handling.py's.
        lambda w, p: p.replies.exists(),
        "wall.reply",
    ),
    "close": (lambda w: {}, lambda w, p: p.status == S.CLOSED, "wall.close"),
    "transfer": (
        lambda w: {"transfer-unit": w["spare"].pk, "transfer-reason": "不属本处"},
        lambda w, p: p.unit == w["spare"],
        "wall.transfer",
    ),
    "co_handle": (
        lambda w: {"co_handle-units": w["spare"].pk},
        lambda w, p: p.co_units.filter(pk=w["spare"].pk).exists(),
        "wall.co_handle",
    ),
    "reassign": (
        lambda w: {"reassign-unit": w["spare"].pk, "reassign-reason": "应由学生处办"},
        lambda w, p: p.unit == w["spare"],
        ("wall.reassign", "wall.reassign_global"),  # by a supervisor of the unit, or a global one
    ),
    "correct_routing": (
        lambda w: {
            "routing-kind": w["original"].kind_id,
            "routing-category": w["other_category"].pk,
            "routing-unit": w["lead"].pk,
        },
        lambda w, p: p.category == w["other_category"],
        "wall.correct_routing",
    ),
    "note": (lambda w: {"note-body": "已电话催办"}, lambda w, p: p.notes.exists(), "wall.note"),
    "urge": (lambda w: {"urge-message": "请尽快答复"}, lambda w, p: _logged(p, "wall.urge"), "wall.urge"),
    "instruct": (
        lambda w: {"instruct-body": "请尽快解决"},
        lambda w, p: p.instructions.filter(body="请尽快解决").exists(),
        "wall.instruct",
    ),
    "answer_instruction": (
        lambda w: {"answer-body": "已落实"},
        lambda w, p: p.instructions.filter(answer="已落实").exists(),
        "wall.answer_instruction",
    ),
    "mark_key_supervision": (lambda w: {}, lambda w, p: p.is_key_supervision, "wall.key_supervision"),
    "unmark_key_supervision": (lambda w: {}, lambda w, p: not p.is_key_supervision, "wall.key_supervision_off"),
    "return_visit": (
        lambda w: {"visit-outcome": ReturnVisit.Outcome.SOLVED},
        lambda w, p: p.return_visits.exists(),
        "wall.return_visit",
    ),
    "mark_typical": (lambda w: {}, lambda w, p: p.is_typical, "wall.typical"),
    "unmark_typical": (lambda w: {}, lambda w, p: not p.is_typical, "wall.typical_off"),
    "publish": (lambda w: {}, lambda w, p: p.on_wall, "wall.publish"),
    "unpublish": (lambda w: {}, lambda w, p: not p.on_wall, "wall.unpublish"),
    "public_text": (
        lambda w: {"public-public_title": "热水问题"},
        lambda w, p: p.public_title == "热水问题",
        "wall.edit_public",
    ),
}


RELATED = ("replies", "notes", "transfers", "return_visits", "follow_ups", "ratings", "co_units", "instructions")


def _snapshot(post):
    """Everything an action could change: the post's fields, what hangs off it, its audit trail."""
    counts = {f"{name}_count": Count(name, distinct=True) for name in RELATED}
    return (
        Post.objects.filter(pk=post.pk).annotate(**counts).values().get(),
        ModelLogEntry.objects.filter(object_id=str(post.pk)).count(),
    )


def _logged(post, action):
    actions = action if isinstance(action, tuple) else (action,)
    return ModelLogEntry.objects.filter(object_id=str(post.pk), action__in=actions).exists()


def _levels(response):
    return [message.level_tag for message in get_messages(response.wsgi_request)]


def _case_file(post):
    return reverse("cases_admin:post", args=[post.pk])


def _offered(client, post):
    response = client.get(_case_file(post))
    if response.status_code == 200:
        return set(response.context["actions"])
    assert response.status_code == 404, response.status_code  # out of reach: nothing offered
    return set()


def _succeeded(response, world, post, verb):
    _, changed, log_action = VERBS[verb]
    back_to = (_case_file(post), reverse("cases_admin:unreplied"))  # a transfer may put the post out of reach
    return (
        response.status_code == 302
        and response.url in back_to
        and _levels(response) == ["success"]
        and changed(world, Post.objects.get(pk=post.pk))
        and _logged(post, log_action)
    )


def _refused(response, post):
    if response.status_code == 404:
        return True
    if response.status_code != 302:
        return False
    forbidden = response.url == ADMIN_HOME  # Wagtail's answer to PermissionDenied
    wrong_state = response.url == _case_file(post) and _levels(response) == ["error"]
    return forbidden or wrong_state


@pytest.mark.parametrize("situation", SITUATIONS)
@pytest.mark.parametrize("role", ROLES)
def test_the_case_file_offers_exactly_the_actions_that_succeed(client, world, role, situation):
    client.force_login(world["users"][role])
    post = _make(world, **SITUATIONS[situation])
    offered = _offered(client, post)
    assert offered <= set(VERBS)
    wrong = []
    before = _snapshot(post)
    for verb, (form, _, _) in VERBS.items():
        client.cookies.pop("messages", None)  # only this POST's outcome is read
        response = client.post(reverse(f"cases_admin:{verb}", args=[post.pk]), form(world))
        after = _snapshot(post)
        if verb in offered and not _succeeded(response, world, post, verb):
            wrong.append(f"{verb} is offered but failed ({response.status_code}, {_levels(response)})")
        elif verb not in offered and not (_refused(response, post) and after == before):
            wrong.append(f"{verb} is not offered but was done ({response.status_code}, {_levels(response)})")
        if after != before:  # the next verb starts from the same state
            post = _make(world, **SITUATIONS[situation])
            before = _snapshot(post)
    assert not wrong, "; ".join(wrong)


def test_only_those_with_business_on_an_open_post_are_offered_anything(client, world):
    """Keeps the walk above from passing emptily, with nothing offered and everything refused."""
    offered_something = set()
    for role in ROLES:
        client.force_login(world["users"][role])
        if _offered(client, _make(world, S.ACCEPTED)):
            offered_something.add(role)
    business = {"editor", "lead_handler", "co_handler", "unit_supervisor", "global_supervisor", "leader", "superuser"}
    assert offered_something == business


# -- the poster's side: the tracking page -----------------------------------------------------------

POSTER_VERBS = {
    "reopen": ({"reason": "还是漏水"}, lambda p: p.status == S.REOPENED and p.round == 2),
    "rate": ({"attitude": 5, "speed": 5, "result": 5}, lambda p: p.ratings.exists()),
    "follow_up": ({"body": "补充：是三号楼 402"}, lambda p: p.follow_ups.exists()),
}


def _make_for_poster(world, status, rated):
    post = _make(world, status)
    if status in (*Post.ANSWERED, S.REOPENED):
        post.replies.create(round=1, unit=world["lead"], body="已处理。")
    if rated:
        post.ratings.create(round=1, attitude=5, speed=5, result=5)
    return post


@pytest.mark.parametrize(("status", "rated"), [*((status, False) for status in S), (S.REPLIED, True)])
def test_the_tracking_page_offers_exactly_what_the_poster_may_do(client, world, status, rated):
    wrong = []
    for verb, (data, changed) in POSTER_VERBS.items():
        post = _make_for_poster(world, status, rated)
        page = client.get(reverse("wall:track", args=[post.tracking_token]))
        offered = reverse(f"wall:{verb}", args=[post.tracking_token]).encode() in page.content
        before = _snapshot(post)
        response = client.post(reverse(f"wall:{verb}", args=[post.tracking_token]), data)
        done = response.status_code == 302 and changed(Post.objects.get(pk=post.pk))
        refused = response.status_code == 400 and _snapshot(post) == before
        if (offered and not done) or (not offered and not refused):
            wrong.append(f"{verb}: {'offered' if offered else 'not offered'}, answered {response.status_code}")
    assert not wrong, "; ".join(wrong)


# -- repeated actions: what the buttons hide once done, the transitions refuse -----------------------


def test_a_post_on_the_wall_is_not_published_again_unless_its_page_was_withdrawn(world):
    editor = world["users"]["editor"]
    live, withdrawn = _make(world, S.ACCEPTED, on_wall=True), _make(world, S.ACCEPTED, on_wall=True, page_live=False)
    with pytest.raises(TransitionError):
        live.publish(editor)
    withdrawn.publish(editor)
    assert not _logged(live, "wall.publish")
    assert Post.objects.get(pk=withdrawn.pk).page.live


def test_key_supervision_is_neither_marked_twice_nor_ended_before_it_began(world):
    boss = world["users"]["global_supervisor"]
    marked, unmarked = _make(world, S.ACCEPTED, key=True), _make(world, S.ACCEPTED)
    with pytest.raises(TransitionError):
        marked.set_key_supervision(boss, True)
    with pytest.raises(TransitionError):
        unmarked.set_key_supervision(boss, False)
    assert not _logged(marked, "wall.key_supervision")
    assert not _logged(unmarked, "wall.key_supervision_off")

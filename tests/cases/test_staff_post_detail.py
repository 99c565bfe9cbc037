from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from cases.models import AnswerReused, Follow, Post, ReturnVisit
from cases.photos import clean_photo
from tests.factories import (
    image_upload,
    make_accepted_post,
    make_category,
    make_editor,
    make_handler,
    make_post,
    make_replied_post,
    make_unit,
    make_user,
)


def _url(post):
    return reverse("cases_admin:post", args=[post.pk])


def _zh(msgid):
    # The admin speaks the site language; compare with what it renders whether or not a catalog exists.
    with translation.override("zh-hans"):
        return gettext(msgid)


def _supervisor(*units):
    user = make_user(groups=["督查员"])
    for unit in units:
        unit.supervisors.add(user)
    return user


def _section(response, panel_id):
    content = response.content.decode()
    start = content.index(f'id="{panel_id}-section"')
    return content[start : content.index("</section>", start)]


# -- who may open it ----------------------------------------------------------------------------


def test_it_shows_a_handler_their_units_post(client):
    unit = make_unit()
    post = make_accepted_post(make_editor(), unit, body="热水MARK-BODY")
    client.force_login(make_handler(unit))

    response = client.get(_url(post))

    assert response.status_code == 200
    assert "热水MARK-BODY" in response.content.decode()


def test_it_hides_another_units_post_from_a_handler(client):
    post = make_accepted_post(make_editor(), make_unit())
    client.force_login(make_handler(make_unit()))

    response = client.get(_url(post))

    assert response.status_code == 404


def test_it_hides_unrouted_posts_from_handlers(client):
    post = make_post()
    client.force_login(make_handler(make_unit()))

    assert client.get(_url(post)).status_code == 404


def test_it_answers_404_for_a_missing_post(client):
    client.force_login(make_editor())

    assert client.get(reverse("cases_admin:post", args=[999999])).status_code == 404


def test_it_shows_a_co_units_handler_and_a_supervisor_the_post(client):
    lead, co = make_unit(), make_unit()
    post = make_accepted_post(make_editor(), lead)
    post.add_co_units(make_handler(lead), [co])

    for user in (make_handler(co), _supervisor(lead), make_user(groups=["全局督办员"])):
        client.force_login(user)
        assert client.get(_url(post)).status_code == 200


def test_it_hides_a_post_from_a_supervisor_of_another_unit(client):
    post = make_accepted_post(make_editor(), make_unit())
    client.force_login(_supervisor(make_unit()))

    assert client.get(_url(post)).status_code == 404


def test_it_sends_strangers_to_the_login_page(client):
    post = make_post()
    client.force_login(make_user())

    response = client.get(_url(post))

    assert response.status_code == 302
    assert response.url.startswith(reverse("wagtailadmin_login"))


# -- identity (DESIGN.md §2) --------------------------------------------------------------------

POSTER_MARKS = ("posterMARKuser", "POSTER-MARK-NAME")
CONTACT_MARKS = ("CONTACT-MARK-NAME", "PHONE-MARK-1390", "contact-mark@example.com")


def _post_with_identity(unit, is_anonymous):
    poster = make_user(username="posterMARKuser", first_name="POSTER-MARK-NAME")
    return make_accepted_post(
        make_editor(),
        unit,
        poster=poster,
        is_anonymous=is_anonymous,
        contact_name="CONTACT-MARK-NAME",
        contact_phone="PHONE-MARK-1390",
        contact_email="contact-mark@example.com",
    )


def test_it_shows_a_handler_no_one_behind_an_anonymous_post(client):
    unit = make_unit()
    post = _post_with_identity(unit, is_anonymous=True)
    client.force_login(make_handler(unit))

    content = client.get(_url(post)).content.decode()

    for mark in POSTER_MARKS + CONTACT_MARKS:
        assert mark not in content
    assert _zh("Anonymous") in content


@pytest.mark.parametrize("role", ["co-unit handler", "supervisor", "global supervisor"])
def test_it_shows_case_handlers_no_one_behind_an_anonymous_post(client, role):
    unit, co = make_unit(), make_unit()
    post = _post_with_identity(unit, is_anonymous=True)
    post.add_co_units(make_handler(unit), [co])
    viewer = {
        "co-unit handler": lambda: make_handler(co),
        "supervisor": lambda: _supervisor(unit),
        "global supervisor": lambda: make_user(groups=["全局督办员"]),
    }[role]()
    client.force_login(viewer)

    content = client.get(_url(post)).content.decode()

    for mark in POSTER_MARKS + CONTACT_MARKS:
        assert mark not in content


def test_it_shows_an_editor_the_contact_but_not_the_account_behind_an_anonymous_post(client):
    unit = make_unit()
    post = _post_with_identity(unit, is_anonymous=True)
    client.force_login(make_editor())

    content = client.get(_url(post)).content.decode()

    for mark in POSTER_MARKS:
        assert mark not in content
    for mark in CONTACT_MARKS:
        assert mark in content


def test_it_shows_a_handler_the_name_but_not_the_contact_of_a_named_post(client):
    unit = make_unit()
    post = _post_with_identity(unit, is_anonymous=False)
    client.force_login(make_handler(unit))

    content = client.get(_url(post)).content.decode()

    assert "POSTER-MARK-NAME" in content
    for mark in CONTACT_MARKS:
        assert mark not in content


def test_it_shows_an_editor_the_name_and_contact_of_a_named_post(client):
    unit = make_unit()
    post = _post_with_identity(unit, is_anonymous=False)
    client.force_login(make_editor())

    content = client.get(_url(post)).content.decode()

    for mark in ("POSTER-MARK-NAME", *CONTACT_MARKS):
        assert mark in content


def test_it_keeps_a_logged_in_anonymous_posters_account_out_of_the_history(client):
    unit = make_unit()
    editor = make_editor()
    handler = make_handler(unit)
    post = _post_with_identity(unit, is_anonymous=True)
    post.reply(handler, "已处理", is_public=True)
    client.force_login(post.poster)  # the poster acts on the tracking page while logged in
    client.post(reverse("wall:follow_up", args=[post.tracking_token]), {"body": "补充MARK-FOLLOW-UP"})
    client.post(reverse("wall:rate", args=[post.tracking_token]), {"attitude": 5, "speed": 5, "result": 5})
    client.force_login(editor)

    response = client.get(_url(post))
    site_history = client.get(reverse("wagtailadmin_reports:site_history")).content.decode()

    history = _section(response, "history")
    assert history.count("<tr>") == 1 + 4  # header + accept, reply, follow-up, rating
    for mark in POSTER_MARKS:
        assert mark not in response.content.decode()
        assert mark not in site_history
    assert history.count(f"<td>{_zh('Poster')}</td>") == 2


# -- what it shows ------------------------------------------------------------------------------


def test_it_shows_the_audit_trail_with_who_and_what(client):
    unit = make_unit(name="后勤MARK-UNIT")
    editor = make_editor(username="editorMARK")
    handler = make_handler(unit, username="handlerMARK")
    post = make_replied_post(editor, handler, unit)
    client.force_login(make_editor())

    history = _section(client.get(_url(post)), "history")

    assert history.index("editorMARK") < history.index("handlerMARK")
    assert _zh("Accepted and routed") in history
    assert "后勤MARK-UNIT" in history
    assert _zh("Replied") in history


def test_it_marks_private_replies(client):
    unit = make_unit()
    editor = make_editor()
    handler = make_handler(unit)
    post = make_replied_post(editor, handler, unit, is_public=False, body="私下答复MARK")
    client.force_login(handler)

    replies = _section(client.get(_url(post)), "replies")

    assert "私下答复MARK" in replies
    assert _zh("Private") in replies


def test_it_shows_follow_ups_ratings_and_the_reject_reason(client):
    unit = make_unit()
    editor = make_editor()
    handler = make_handler(unit)
    replied = make_replied_post(editor, handler, unit)
    replied.add_follow_up("追问MARK-FOLLOW")
    replied.rate(4, 3, 2, comment="评价MARK-COMMENT")
    rejected = make_post()
    rejected.reject(editor, "重复MARK-REASON")
    client.force_login(editor)

    replied_content = client.get(_url(replied)).content.decode()
    rejected_content = client.get(_url(rejected)).content.decode()

    assert "追问MARK-FOLLOW" in replied_content
    assert "评价MARK-COMMENT" in replied_content
    assert "2/5" in _section(client.get(_url(replied)), "ratings")
    assert "重复MARK-REASON" in rejected_content


def test_it_shows_the_original_and_the_public_text(client):
    editor = make_editor()
    post = make_accepted_post(editor, make_unit(), title="原始MARK-TITLE", body="原文MARK-BODY 电话 13900001111")
    post.edit_public_text(editor, "公开MARK-TITLE", "公开MARK-BODY", show_photos=False)
    client.force_login(editor)

    response = client.get(_url(post))

    assert "原始MARK-TITLE" in _section(response, "original")
    assert "公开MARK-BODY" in _section(response, "public")


def test_it_shows_photos_through_the_guarded_photo_view(client):
    unit = make_unit()
    post = make_accepted_post(make_editor(), unit)
    photo = post.photos.create(image=clean_photo(image_upload()))
    handler = make_handler(unit)
    client.force_login(handler)

    response = client.get(_url(post))

    photo_url = reverse("wall:photo", args=[photo.pk])
    assert f'src="{photo_url}"' in response.content.decode()
    assert client.get(photo_url).status_code == 200


def test_it_links_to_the_public_page_when_on_the_wall(client):
    unit = make_unit()
    editor = make_editor()
    post = make_replied_post(editor, make_handler(unit), unit)
    client.force_login(editor)

    post.publish(editor)
    post.refresh_from_db()
    page_url = post.page.url
    on_wall = client.get(_url(post)).content.decode()
    post.unpublish(editor)
    off_wall = client.get(_url(post)).content.decode()

    assert f'href="{page_url}"' in on_wall
    assert f'href="{page_url}"' not in off_wall


# -- which actions it offers --------------------------------------------------------------------


def _offers(response, post, *names):
    content = response.content.decode()
    return {name: reverse(f"cases_admin:{name}", args=[post.pk]) in content for name in names}


ACTIONS = ("accept", "reject", "reply", "close", "publish", "unpublish", "public_text")


def test_it_offers_an_editor_screening_of_a_new_post(client):
    post = make_post()
    client.force_login(make_editor())

    offered = _offers(client.get(_url(post)), post, *ACTIONS)

    assert offered == {
        "accept": True,
        "reject": True,
        "reply": False,
        "close": False,
        "publish": False,
        "unpublish": False,
        "public_text": True,
    }


@pytest.mark.parametrize("with_default", [True, False])
def test_it_preselects_the_categorys_default_unit_else_the_requested_one(client, with_default):
    default_unit, requested_unit = make_unit(), make_unit()
    category = make_category("环境治理", default_unit=default_unit if with_default else None)
    post = make_post(category=category, requested_unit=requested_unit)
    client.force_login(make_editor())

    form = client.get(_url(post)).context["actions"]["accept"]

    assert form["unit"].value() == (default_unit if with_default else requested_unit).pk


def test_it_offers_a_handler_only_the_reply_on_an_accepted_post(client):
    unit = make_unit()
    post = make_accepted_post(make_editor(), unit)
    client.force_login(make_handler(unit))

    offered = _offers(client.get(_url(post)), post, *ACTIONS)

    assert offered == {name: name == "reply" for name in ACTIONS}


def test_it_offers_a_handler_reply_and_close_on_a_replied_post(client):
    unit = make_unit()
    handler = make_handler(unit)
    post = make_replied_post(make_editor(), handler, unit)
    client.force_login(handler)

    offered = _offers(client.get(_url(post)), post, *ACTIONS)

    assert offered == {name: name in {"reply", "close"} for name in ACTIONS}


def test_it_offers_an_editor_publishing_of_a_replied_post_but_not_replying(client):
    unit = make_unit()
    post = make_replied_post(make_editor(), make_handler(unit), unit)
    client.force_login(make_editor())

    offered = _offers(client.get(_url(post)), post, *ACTIONS)

    assert offered == {name: name in {"close", "publish", "public_text"} for name in ACTIONS}


def test_it_offers_withdrawal_instead_of_publishing_once_on_the_wall(client):
    unit = make_unit()
    editor = make_editor()
    post = make_replied_post(editor, make_handler(unit), unit)
    post.publish(editor)
    client.force_login(editor)

    offered = _offers(client.get(_url(post)), post, "publish", "unpublish")

    assert offered == {"publish": False, "unpublish": True}


def test_it_does_not_offer_publishing_a_post_the_poster_keeps_private(client):
    unit = make_unit()
    post = make_replied_post(make_editor(), make_handler(unit), unit, wants_public=False)
    client.force_login(make_editor())

    assert _offers(client.get(_url(post)), post, "publish") == {"publish": False}


# -- case handling (issue #3) -------------------------------------------------------------------


def test_it_shows_both_deadlines_and_highlights_the_overdue_one(client):
    unit = make_unit()
    with time_machine.travel(timezone.now() - timedelta(hours=30), tick=False):
        post = make_accepted_post(make_editor(), unit)
    client.force_login(make_handler(unit))

    case = _section(client.get(_url(post)), "case")

    assert post.is_overdue and not post.is_resolution_overdue
    assert case.count("data-overdue") == 1
    assert post.due_display in case
    assert post.resolution_display in case


def test_it_shows_escalation_key_supervision_co_units_and_the_transfer_history(client):
    first, second, co = make_unit(name="后勤MARK-FIRST"), make_unit(name="保卫MARK-SECOND"), make_unit(name="MARK-CO")
    editor = make_editor()
    post = make_accepted_post(editor, first, is_key_supervision=True)
    post.transfer(make_handler(first), second, "转办MARK-REASON")
    post.add_co_units(make_handler(second), [co])
    post.escalate(Post.Escalation.SUPERVISORS)
    client.force_login(editor)

    response = client.get(_url(post))

    handling = _section(response, "handling")
    assert "后勤MARK-FIRST → 保卫MARK-SECOND" in handling
    assert "转办MARK-REASON" in handling
    assert _zh("Transfer") in handling
    assert escape(_zh("Escalated to the unit's supervisors")) in handling
    assert "MARK-CO" in _section(response, "case")
    assert "data-key-supervision" in response.content.decode()


def test_it_does_not_flag_other_posts_for_key_supervision(client):
    editor = make_editor()
    post = make_accepted_post(editor, make_unit())
    client.force_login(editor)

    assert "data-key-supervision" not in client.get(_url(post)).content.decode()


def test_it_shows_internal_notes_and_return_visits(client):
    unit = make_unit()
    editor = make_editor()
    handler = make_handler(unit)
    post = make_replied_post(editor, handler, unit)
    post.add_note(handler, "内部MARK-NOTE")
    post.close(handler)
    post.record_return_visit(editor, ReturnVisit.Outcome.SOLVED, "回访MARK-VISIT")
    client.force_login(editor)

    response = client.get(_url(post))

    assert "内部MARK-NOTE" in _section(response, "notes")
    visits = _section(response, "visits")
    assert "回访MARK-VISIT" in visits
    assert _zh("Solved") in visits


def test_it_marks_replies_that_cannot_solve_the_problem_now(client):
    unit = make_unit()
    handler = make_handler(unit)
    post = make_accepted_post(make_editor(), unit)
    post.reply(handler, "需要明年预算", is_public=True, cannot_solve=True, solve_by=timezone.localdate())
    client.force_login(handler)

    assert _zh("Cannot be solved now") in _section(client.get(_url(post)), "replies")


HANDLING_ACTIONS = (
    "reply",
    "close",
    "transfer",
    "co_handle",
    "reassign",
    "mark_key_supervision",
    "unmark_key_supervision",
    "note",
    "return_visit",
)


def _offered(response, post):
    return {name for name, offered in _offers(response, post, *HANDLING_ACTIONS).items() if offered}


def test_it_offers_the_lead_units_handler_transfer_and_co_handling(client):
    unit = make_unit()
    post = make_accepted_post(make_editor(), unit)
    client.force_login(make_handler(unit))

    assert _offered(client.get(_url(post)), post) == {"reply", "transfer", "co_handle", "note"}


def test_it_offers_a_co_units_handler_reply_and_note_only(client):
    lead, co = make_unit(), make_unit()
    lead_handler = make_handler(lead)
    post = make_replied_post(make_editor(), lead_handler, lead)
    post.add_co_units(lead_handler, [co])
    client.force_login(make_handler(co))

    assert _offered(client.get(_url(post)), post) == {"reply", "note"}


def test_it_offers_a_supervisor_reassignment_only_with_another_unit_to_choose(client):
    unit, other = make_unit(), make_unit()
    post = make_accepted_post(make_editor(), unit)
    watches_one = _supervisor(unit)
    watches_two = _supervisor(unit, other)

    client.force_login(watches_one)
    offered_to_one = _offered(client.get(_url(post)), post)
    client.force_login(watches_two)
    response = client.get(_url(post))

    assert offered_to_one == {"note"}
    assert _offered(response, post) == {"reassign", "note"}
    assert list(response.context["actions"]["reassign"].fields["unit"].queryset) == [other]


def test_it_offers_a_global_supervisor_reassignment_anywhere_and_key_supervision(client):
    unit = make_unit()
    active, inactive = make_unit(), make_unit(is_active=False)
    post = make_accepted_post(make_editor(), unit)
    client.force_login(make_user(groups=["全局督办员"]))

    response = client.get(_url(post))

    assert _offered(response, post) == {"reassign", "co_handle", "mark_key_supervision", "note"}
    choices = set(response.context["actions"]["reassign"].fields["unit"].queryset)
    assert active in choices
    assert not {unit, inactive} & choices


def test_it_offers_ending_key_supervision_once_marked(client):
    post = make_accepted_post(make_editor(), make_unit(), is_key_supervision=True)
    client.force_login(make_user(groups=["全局督办员"]))

    offered = _offered(client.get(_url(post)), post)

    assert "unmark_key_supervision" in offered
    assert "mark_key_supervision" not in offered


def test_it_offers_an_editor_a_return_visit_on_a_closed_post_only(client):
    unit = make_unit()
    editor = make_editor()
    handler = make_handler(unit)
    post = make_replied_post(editor, handler, unit)
    client.force_login(editor)

    before = _offered(client.get(_url(post)), post)
    post.close(handler)
    after = _offered(client.get(_url(post)), post)

    assert before == {"close", "co_handle", "note"}
    assert after == {"return_visit", "note"}


def test_it_tells_the_handler_how_many_on_the_wall_follow_the_post_or_found_their_answer_in_it(client):
    unit, editor = make_unit(), make_editor()
    handler = make_handler(unit)
    post = make_replied_post(editor, handler, unit)
    post.publish(editor)
    client.force_login(handler)
    assert _zh("Found their answer here instead of asking") not in _section(client.get(_url(post)), "case")

    AnswerReused.objects.create(post=post)
    AnswerReused.objects.create(post=post)
    Follow.objects.create(post=post, user=make_user())
    case = _section(client.get(_url(post)), "case")
    assert f"{_zh('Followers on the wall')}</dt><dd>1</dd>" in case
    assert f"{_zh('Found their answer here instead of asking')}</dt><dd>2</dd>" in case

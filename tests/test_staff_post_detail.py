import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

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
from wall.photos import clean_photo


def _url(post):
    return reverse("wall_admin:post", args=[post.pk])


def _zh(msgid):
    # The admin speaks the site language; compare with what it renders whether or not a catalog exists.
    with translation.override("zh-hans"):
        return gettext(msgid)


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

    assert client.get(reverse("wall_admin:post", args=[999999])).status_code == 404


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
    return {name: reverse(f"wall_admin:{name}", args=[post.pk]) in content for name in names}


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

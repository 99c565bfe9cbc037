"""The search index holds public projections only: markers planted in everything private of a case
are neither stored in the index's tables nor findable, and a withdrawn post leaves no document."""

import pytest
from django.db import connection

from search.backends import get_backend
from search.models import IndexedPage
from tests.factories import make_accepted_post, make_editor, make_handler, make_replied_post, make_unit, make_user

MARKERS = {
    "private_post": "mkprivpost",
    "private_reply": "mkprivreply",
    "original_title": "mkorigtitle",
    "contact_name": "mkcontactname",
    "contact_phone": "13999999917",
    "contact_email": "mkcontact@example.org",
    "poster_name": "mkpostername",
    "poster_username": "mkposteruser",
    "follow_up": "mkfollowup",
    "rating_comment": "mkrating",
}


@pytest.fixture
def planted(django_capture_on_commit_callbacks):
    unit = make_unit("后勤管理处")
    editor, handler = make_editor(), make_handler(unit)
    with django_capture_on_commit_callbacks(execute=True):
        make_replied_post(
            editor,
            handler,
            unit,
            title=f"私密 {MARKERS['private_post']}",
            body=f"宿舍热水 {MARKERS['private_post']}",
            wants_public=False,
        )
        poster = make_user(MARKERS["poster_username"], first_name=MARKERS["poster_name"])
        public = make_replied_post(
            editor,
            handler,
            unit,
            title=f"宿舍热水 {MARKERS['original_title']}",
            body="三号楼宿舍热水不稳定",
            poster=poster,
            is_anonymous=True,
            contact_name=MARKERS["contact_name"],
            contact_phone=MARKERS["contact_phone"],
            contact_email=MARKERS["contact_email"],
        )
        public.reply(handler, f"仅您可见 {MARKERS['private_reply']}", is_public=False)
        public.add_follow_up(MARKERS["follow_up"])
        public.rate(5, 5, 5, MARKERS["rating_comment"])
        public.publish(editor)
        public.edit_public_text(editor, "宿舍热水问题", "", show_photos=True)
    public.refresh_from_db()
    return {"editor": editor, "public": public}


def fulltext_rows():
    with connection.cursor() as cursor:
        rows = []
        # search_fulltext_term: a token's count of questions, so a withdrawn post's words must go too.
        for table in ("search_fulltext", "search_fulltext_reply", "search_fulltext_term"):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - constant table names
            rows += cursor.fetchall()
    return rows


def test_it_indexes_the_public_projection(planted):
    hits = get_backend().search("宿舍热水").hits
    assert [hit.page_id for hit in hits] == [planted["public"].page_id]
    assert "每天" in hits[0].excerpt_html  # the public reply is searchable


def test_it_stores_no_marker_in_the_index_tables(planted):
    stored = " ".join(str(value) for row in fulltext_rows() for value in row)
    stored += " ".join(str(value) for row in IndexedPage.objects.values_list() for value in row)
    assert "热水" in stored
    for name, marker in MARKERS.items():
        assert marker not in stored, f"{name} marker is in the search index"


def test_it_finds_no_marker(planted):
    backend = get_backend()
    for name, marker in MARKERS.items():
        assert backend.search(marker).total == 0, name
        assert backend.similar(marker) == [], name
    html = " ".join(hit.title_html + hit.excerpt_html for hit in backend.similar("宿舍热水问题", limit=50))
    for name, marker in MARKERS.items():
        assert marker not in html, name


def test_it_forgets_a_withdrawn_post(planted, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        planted["public"].unpublish(planted["editor"])
    assert get_backend().search("宿舍热水").total == 0
    assert not IndexedPage.objects.exists()
    assert fulltext_rows() == []


def test_it_forgets_a_post_that_stops_being_public(planted, django_capture_on_commit_callbacks):
    public = planted["public"]
    with django_capture_on_commit_callbacks(execute=True):
        public.wants_public = False
        public.save()
        public._sync_wall()
    assert get_backend().search("宿舍热水").total == 0
    assert fulltext_rows() == []


def test_it_never_indexes_an_unpublished_accepted_post(django_capture_on_commit_callbacks):
    unit = make_unit("后勤管理处")
    with django_capture_on_commit_callbacks(execute=True):
        make_accepted_post(make_editor(), unit, title="宿舍热水")
    assert get_backend().search("宿舍热水").total == 0
    assert fulltext_rows() == []

"""Privacy is a hard invariant: plant unique markers wherever private data lives, crawl every public
surface as an anonymous visitor and as a logged-in stranger, and find none of them."""

import re
from urllib.parse import urljoin, urlparse

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from wagtail.search.models import IndexEntry

from tests.factories import (
    image_bytes,
    make_accepted_post,
    make_editor,
    make_handler,
    make_replied_post,
    make_unit,
    make_user,
)
from wall.models import Post, PostPhoto

MARKERS = {
    "private_title": "MKPRIVTITLE",
    "private_body": "MKPRIVBODY",
    "private_reply": "MKPRIVREPLY",
    "contact_name": "MKCONTACTNAME",
    "contact_phone": "13999999917",
    "contact_email": "mkcontact@example.org",
    "poster_username": "mkposteruser",
    "poster_name": "MKPOSTERNAME",
    "follow_up": "MKFOLLOWUP",
    "rating_comment": "MKRATING",
    "original_title": "MKORIGTITLE",
    "withdrawn": "MKWITHDRAWN",
    "exif": "MKEXIFCAMERA",
}


@pytest.fixture
def planted(django_capture_on_commit_callbacks):
    # Index updates and notifications run on commit, as in production.
    with django_capture_on_commit_callbacks(execute=True):
        return _plant()


def _plant():
    unit = make_unit("后勤管理处")
    editor, handler = make_editor(), make_handler(unit)

    # A post the poster kept off the wall, with a photo.
    private = make_replied_post(
        editor,
        handler,
        unit,
        title=f"私密 {MARKERS['private_title']}",
        body=MARKERS["private_body"],
        wants_public=False,
    )
    private_photo = private.add_photo(SimpleUploadedFile("p.jpg", image_bytes()))

    # A published post answered both publicly and privately, by an anonymous logged-in poster
    # who left contact details, added a follow-up and rated the reply; its title was redacted.
    poster = make_user(MARKERS["poster_username"], first_name=MARKERS["poster_name"])
    public = make_replied_post(
        editor,
        handler,
        unit,
        title=f"宿舍 {MARKERS['original_title']}",
        poster=poster,
        is_anonymous=True,
        contact_name=MARKERS["contact_name"],
        contact_phone=MARKERS["contact_phone"],
        contact_email=MARKERS["contact_email"],
    )
    public.reply(handler, f"仅您可见 {MARKERS['private_reply']}", is_public=False)
    public.add_follow_up(MARKERS["follow_up"])
    public.rate(5, 5, 5, MARKERS["rating_comment"])
    exif = Image.Exif()
    exif[0x010F] = MARKERS["exif"]
    public.add_photo(SimpleUploadedFile("e.jpg", image_bytes(exif=exif)))
    public.publish(editor)
    public.edit_public_text(editor, "宿舍热水问题", "", show_photos=True)

    # Published, then withdrawn.
    withdrawn = make_accepted_post(editor, unit, title=f"撤回 {MARKERS['withdrawn']}")
    withdrawn.publish(editor)
    withdrawn.unpublish(editor)

    return {"public": Post.objects.get(pk=public.pk), "private": private, "private_photo": private_photo}


def crawl(client, start=("/", "/sitemap.xml", "/wall/")):
    """Fetch every same-site URL reachable from the start pages; return {url: body}."""
    seen, queue, bodies = set(), list(start), {}
    while queue and len(seen) < 500:
        url = queue.pop()
        if url in seen or url.startswith(("/admin", "/accounts/logout", "/i18n")):
            continue
        seen.add(url)
        response = client.get(url, follow=True)
        content = b"".join(response.streaming_content) if response.streaming else response.content
        body = content.decode("utf-8", errors="replace") if response.status_code == 200 else ""
        bodies[url] = body
        for link in re.findall(r'(?:href|src)="([^"#]+)"|<loc>([^<]+)</loc>', body):
            target = urlparse(urljoin("http://testserver" + url, link[0] or link[1]))
            if target.netloc in ("testserver", "localhost", "") and target.path:
                queue.append(target.path + (f"?{target.query}" if target.query else ""))
    return bodies


def assert_no_markers(bodies):
    for url, body in bodies.items():
        for name, marker in MARKERS.items():
            assert marker.lower() not in body.lower(), f"{name} marker leaked at {url}"


def test_no_marker_reaches_any_public_page(client, planted):
    bodies = crawl(client)
    assert planted["public"].page.url in bodies  # the crawl really reached the published post
    assert_no_markers(bodies)


def test_no_marker_reaches_a_logged_in_stranger(client, planted):
    client.force_login(make_user())
    assert_no_markers(crawl(client, start=("/", "/sitemap.xml", "/wall/", reverse("wall:my_posts"))))


def test_search_finds_no_marker(client, planted):
    for marker in MARKERS.values():
        assert client.get(reverse("search:search"), {"q": marker}).context["total"] == 0, marker
        assert client.get("/api/v1/similar", {"q": marker}).json()["results"] == [], marker
    found = client.get(reverse("search:search"), {"q": "宿舍热水"})
    assert [page.pk for _, page in found.context["results"]] == [planted["public"].page.pk]
    similar = client.get("/api/v1/similar", {"q": "宿舍热水", "limit": 50}).content.decode()
    assert_no_markers({"search": found.content.decode(), "similar": similar})


def test_the_search_index_holds_no_marker(planted):
    for entry in IndexEntry.objects.all():
        text = f"{entry.title} {entry.body} {entry.autocomplete}".lower()
        for name, marker in MARKERS.items():
            assert marker.lower() not in text, f"{name} marker is in the search index"


def test_private_photos_are_not_served_to_strangers(client, planted):
    url = reverse("wall:photo", args=[planted["private_photo"].pk])
    assert client.get(url).status_code == 404
    client.force_login(make_user())
    assert client.get(url).status_code == 404


def test_the_poster_and_staff_still_see_the_private_photo(client, planted):
    private = planted["private"]
    url = reverse("wall:photo", args=[planted["private_photo"].pk])
    assert client.get(url, {"t": private.tracking_token}).status_code == 200
    client.force_login(private.unit.handlers.get())
    assert client.get(url).status_code == 200


def test_public_photos_carry_no_exif(client, planted):
    for photo in PostPhoto.objects.filter(post=planted["public"]):
        response = client.get(reverse("wall:photo", args=[photo.pk]))
        assert response.status_code == 200
        assert MARKERS["exif"].encode() not in b"".join(response.streaming_content)


def test_the_public_page_shows_the_public_reply(client, planted):
    html = client.get(planted["public"].page.url).content.decode()
    assert "每天 6:30–23:30 供应。" in html
    assert "宿舍热水问题" in html

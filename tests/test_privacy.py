"""Privacy is a hard invariant: plant unique markers wherever private data lives, crawl every public
surface as an anonymous visitor and as a logged-in stranger, and find none of them.

This is the one crawler (issue #7): the pages reachable from the home page, the sitemap, search,
the similar endpoint, the JSON API and Open311 are all fetched here, with every photo they link to.
Posts also come in through the web form, the JSON API and Open311, with photos whose comments carry
markers (issue #21): neither the crawl nor the stored files find those. test_api_privacy and
search/test_index_privacy plant the same markers through `_plant`."""

import html
import io
import re
from urllib.parse import unquote, urljoin, urlparse

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image, PngImagePlugin
from wagtail.search.models import IndexEntry

from api.models import ApiClient
from cases.models import Post, PostPhoto, ReturnVisit
from search.models import IndexedPage
from tests.factories import (
    image_bytes,
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
    "exif_description": "MKEXIFDESC",
    "exif_artist": "MKEXIFARTIST",
    "photo_file_name": "MKPHOTOFILE",
    # A poster with no account, anonymous by force, who left contact details for the editors.
    "anonymous_name": "MKANONNAME",
    "anonymous_phone": "13988887766",
    "anonymous_email": "mkanon@example.net",
    # What staff write for staff only.
    "internal_note": "MKSTAFFNOTE",
    "transfer_reason": "MKTRANSFERWHY",
    "reassign_reason": "MKREASSIGNWHY",
    "return_visit_note": "MKVISITNOTE",
    "reject_reason": "MKREJECTWHY",
    # Sent through the web form, the JSON API and Open311: contact details, and photo comments.
    "form_contact": "MKFORMCONTACT",
    "api_contact": "MKAPICONTACT",
    "open311_contact": "MKOPENCONTACT",
    "jpeg_comment": "MKJPEGCOMMENT",
    "png_comment": "MKPNGCOMMENT",
    "gif_comment": "MKGIFCOMMENT",
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
    public.add_photo(SimpleUploadedFile(f"{MARKERS['photo_file_name']}.jpg", marked_photo()))
    public.add_note(handler, f"内部 {MARKERS['internal_note']}")
    public.publish(editor)
    public.edit_public_text(editor, "宿舍热水问题", "", show_photos=True)

    # A published post by nobody logged in, handed between units with reasons, co-handled,
    # closed and checked back on by an editor.
    other_unit, third_unit = make_unit("保卫处"), make_unit("学生工作处")
    make_handler(other_unit)
    supervisor = make_user(groups=["督查员"])
    other_unit.supervisors.add(supervisor)
    third_unit.supervisors.add(supervisor)
    handed = make_accepted_post(
        editor,
        unit,
        title="路灯不亮",
        body="北门到图书馆的路灯坏了三盏。",
        is_anonymous=True,
        contact_name=MARKERS["anonymous_name"],
        contact_phone=MARKERS["anonymous_phone"],
        contact_email=MARKERS["anonymous_email"],
    )
    handed.transfer(handler, other_unit, MARKERS["transfer_reason"])
    handed.reassign(supervisor, third_unit, MARKERS["reassign_reason"])
    handed.add_co_units(editor, [unit])
    third_handler = make_handler(third_unit)
    handed.reply(third_handler, "已修好。", is_public=True)
    handed.close(third_handler)
    handed.record_return_visit(editor, ReturnVisit.Outcome.SOLVED, MARKERS["return_visit_note"])
    handed.publish(editor)

    # Rejected, with a reason for the poster's eyes.
    rejected = make_post(title="与本校无关的问题")
    rejected.reject(editor, MARKERS["reject_reason"])

    # Published, then withdrawn.
    withdrawn = make_accepted_post(editor, unit, title=f"撤回 {MARKERS['withdrawn']}")
    withdrawn.publish(editor)
    withdrawn.unpublish(editor)

    # Posts sent as a visitor's browser or a client's app sends them, accepted and published.
    sent = _send_through_every_door()
    for post in sent:
        post.accept(editor, unit)
        post.publish(editor)

    return {
        "public": Post.objects.get(pk=public.pk),
        "handed": Post.objects.get(pk=handed.pk),
        "private": private,
        "private_photo": private_photo,
        "sent": [Post.objects.get(pk=post.pk) for post in sent],
    }


def _send_through_every_door():
    """A post through the web form and one through Open311, each with commented photos, and one
    through the JSON API (which takes no photos); each leaves contact details for the editors."""
    browser, kind, category = Client(), make_kind(), make_category()
    form = {"kind": kind.pk, "category": category.pk, "wants_public": "on", "captcha_0": "x", "captcha_1": "PASSED"}
    form |= {"title": "食堂窗口排队太久", "body": "中午二食堂只开两个窗口，排队要二十分钟。"}
    form |= {"contact_name": MARKERS["form_contact"], "photos": [commented_photo("JPEG"), commented_photo("PNG")]}
    assert browser.post(reverse("wall:submit"), form).status_code == 302

    key = ApiClient.objects.create(name="OA").issue_key()[1]
    fields = {"kind": kind.slug, "category": category.pk, "wants_public": True, "contact_name": MARKERS["api_contact"]}
    fields |= {"title": "操场跑道开裂", "body": "东操场跑道第三道有一处开裂，跑步容易绊倒。"}
    api = browser.post("/api/v1/posts", fields, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert api.status_code == 201, api.content

    request = {"api_key": key, "service_code": f"{kind.slug}-{category.pk}", "attribute[wants_public]": "true"}
    request |= {"description": "五号楼二层的水龙头一直在漏水，麻烦来修一下。", "first_name": MARKERS["open311_contact"]}
    open311 = browser.post("/open311/v2/requests.json", {**request, "media": commented_photo("GIF")})
    assert open311.status_code == 200, open311.content

    sent = [
        Post.objects.get(title="食堂窗口排队太久"),
        Post.objects.get(pk=api.json()["id"]),
        Post.objects.get(pk=open311.json()[0]["service_request_id"]),
    ]
    assert [post.photos.count() for post in sent] == [2, 0, 1]
    return sent


def commented_photo(fmt):
    """A photo whose comment carries a marker: a JPEG COM segment, a PNG text chunk, a GIF comment."""
    marker = MARKERS[f"{fmt.lower()}_comment"]
    text = PngImagePlugin.PngInfo()
    text.add_text("comment", marker)  # a tEXt chunk Pillow reads as the image's comment
    params = {"pnginfo": text} if fmt == "PNG" else {"comment": marker}
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 80, 40)).save(out, format=fmt, **params)
    return SimpleUploadedFile(f"photo.{fmt.lower()}", out.getvalue())


def marked_photo():
    """A JPEG whose EXIF carries markers, as a phone's camera would carry a name or a place."""
    exif = Image.Exif()
    exif[0x010F] = MARKERS["exif"]  # Make
    exif[0x010E] = MARKERS["exif_description"]  # ImageDescription
    exif[0x013B] = MARKERS["exif_artist"]  # Artist
    return image_bytes(exif=exif)


# The language links only set a cookie and lead back to the page they are on, already crawled.
SKIPPED_PREFIXES = ("/admin", "/accounts/logout", "/language/", "/captcha")
LINK = re.compile(r'(?:href|src)="([^"#]+)"|<loc>([^<]+)</loc>|"(https?://testserver/[^"]*)"')


def public_entry_points(posts):
    """Where a crawl starts: the pages a visitor finds, and every machine-readable surface, asked
    about every post (public or not) and about the private words themselves."""
    urls = ["/", "/sitemap.xml", "/wall/", "/stats/", "/track/", "/post/new/", "/api/v1/openapi.json"]
    urls += ["/api/v1/posts", "/api/v1/posts?q=宿舍", "/open311/v2/services.json", "/open311/v2/services.xml"]
    urls += ["/open311/v2/requests.json", "/open311/v2/requests.xml", "/open311/v2/requests.json?status=closed"]
    for pk in Post.objects.values_list("pk", flat=True):
        urls += [f"/api/v1/posts/{pk}", f"/open311/v2/requests/{pk}.json", f"/open311/v2/requests/{pk}.xml"]
    for term in ["宿舍", "热水", "路灯", *MARKERS.values()]:
        urls += [f"/search/?q={term}", f"/api/v1/similar?q={term}&limit=50", f"/api/v1/posts?q={term}"]
    urls += [f"/open311/v2/requests.json?service_request_id={','.join(str(pk) for pk in posts)}"]
    return urls


def crawl(client, start=None):
    """Fetch every same-site URL reachable from the start, following every link, image and
    address an answer holds (HTML, sitemap XML, JSON, Open311 XML); return {url: raw bytes}.
    Error pages count too: a 404 must not echo what it refused."""
    queue = list(start or public_entry_points(Post.objects.values_list("pk", flat=True)))
    seen, bodies = set(), {}
    while queue and len(seen) < 800:
        url = queue.pop()
        if url in seen or url.startswith(SKIPPED_PREFIXES):
            continue
        seen.add(url)
        response = client.get(url, follow=True)
        content = b"".join(response.streaming_content) if response.streaming else response.content
        bodies[url] = content
        for link in LINK.findall(content.decode("utf-8", errors="replace")):
            target = urlparse(urljoin("http://testserver" + url, html.unescape(next(filter(None, link)))))
            if target.netloc in ("testserver", urlparse(settings.WAGTAILADMIN_BASE_URL).netloc, "") and target.path:
                queue.append(target.path + (f"?{target.query}" if target.query else ""))
    assert len(seen) < 800, "the crawl hit its limit: the wall grew links it cannot finish"
    return bodies


def assert_no_markers(bodies):
    for url, body in bodies.items():
        for name, marker in MARKERS.items():
            # A search for the marker echoes it back: that tells nothing (test_search_finds_no_marker
            # checks that such a search finds nothing).
            if marker.lower() not in unquote(url).lower():
                assert marker.lower().encode() not in body.lower(), f"{name} marker leaked at {url}"


def assert_reached_the_public_posts(bodies, planted):
    # The crawl really reached the published posts, their photos and their API answers.
    for post in (planted["public"], planted["handed"], *planted["sent"]):
        assert post.page.url in bodies
        assert b'"id": %d' % post.pk in bodies[f"/api/v1/posts/{post.pk}"]
        assert b"<service_request_id>%d<" % post.pk in bodies[f"/open311/v2/requests/{post.pk}.xml"]
    photo_ids = [pk for post in (planted["public"], *planted["sent"]) for pk in post.page.photo_ids]
    photo_urls = [reverse("wall:photo", args=[pk]) for pk in photo_ids]
    assert len(photo_urls) == 4 and all(bodies[url].startswith(b"\xff\xd8") for url in photo_urls)  # real JPEGs


def test_no_marker_reaches_any_public_page(client, planted):
    bodies = crawl(client)
    assert_reached_the_public_posts(bodies, planted)
    assert_no_markers(bodies)


def test_no_marker_reaches_a_logged_in_stranger(client, planted):
    client.force_login(make_user())
    bodies = crawl(client, start=[*public_entry_points(Post.objects.values_list("pk", flat=True)), "/my/posts/"])
    assert_reached_the_public_posts(bodies, planted)
    assert "/my/posts/" in bodies
    assert_no_markers(bodies)


def test_the_markers_are_really_there_for_those_who_may_see_them(client, planted):
    # Without this, a crawl finding nothing could mean the markers were never planted.
    handed = planted["handed"]
    assert MARKERS["exif_artist"].encode() in marked_photo()
    for fmt in ("JPEG", "PNG", "GIF"):
        assert MARKERS[f"{fmt.lower()}_comment"].encode() in commented_photo(fmt).read()
    client.force_login(make_editor())
    case_file = client.get(reverse("cases_admin:post", args=[handed.pk])).content.decode()
    for name in ("anonymous_name", "anonymous_phone", "anonymous_email", "transfer_reason", "reassign_reason"):
        assert MARKERS[name] in case_file, name
    assert MARKERS["return_visit_note"] in case_file
    public_file = client.get(reverse("cases_admin:post", args=[planted["public"].pk])).content.decode()
    assert MARKERS["internal_note"] in public_file and MARKERS["private_reply"] in public_file
    for post, name in zip(planted["sent"], ("form_contact", "api_contact", "open311_contact"), strict=True):
        assert MARKERS[name] in client.get(reverse("cases_admin:post", args=[post.pk])).content.decode()
    rejected = Post.objects.get(status=Post.Status.REJECTED)
    track_page = client.get(reverse("wall:track", args=[rejected.tracking_token])).content.decode()
    assert MARKERS["reject_reason"] in track_page


def test_photos_are_never_served_from_the_media_folder(client, planted):
    # Only /photos/<id>/ serves them, after its permission check; their stored names lead nowhere.
    from django.conf import settings

    for photo in PostPhoto.objects.all():
        assert MARKERS["photo_file_name"] not in photo.image.name
        assert client.get(settings.MEDIA_URL + photo.image.name).status_code == 404


def test_no_marker_is_in_any_stored_photo(planted):
    # Whoever may see a photo (the poster, staff, the wall) gets these bytes: they carry pixels only.
    photos = PostPhoto.objects.all()
    assert photos.count() == 5
    for photo in photos:
        with photo.image.open("rb") as stored:
            content = stored.read().lower()
        for name, marker in MARKERS.items():
            assert marker.lower().encode() not in content, f"{name} marker is in {photo.image.name}"


def test_search_finds_no_marker(client, planted):
    for marker in MARKERS.values():
        assert client.get(reverse("search:search"), {"q": marker}).context["total"] == 0, marker
        assert client.get("/api/v1/similar", {"q": marker}).json()["results"] == [], marker
        assert client.get("/api/v1/posts", {"q": marker}).json()["count"] == 0, marker
    found = client.get(reverse("search:search"), {"q": "宿舍热水"})
    assert [page.pk for _, page in found.context["results"]] == [planted["public"].page.pk]
    similar = client.get("/api/v1/similar", {"q": "宿舍热水", "limit": 50}).content
    assert_no_markers({"search": found.content, "similar": similar})


def test_the_search_indexes_hold_no_marker(planted):
    # The wall's own index, where posts are (search.models.IndexedPage, filled on commit), and
    # Wagtail's, which holds the other pages.
    indexed = {page.page_id: f"{page.title} {page.body} {page.replies}" for page in IndexedPage.objects.all()}
    assert planted["public"].page_id in indexed  # the public post is there: the scan reads a live index
    wagtail = [f"{entry.title} {entry.body} {entry.autocomplete}" for entry in IndexEntry.objects.all()]
    for text in [*indexed.values(), *wagtail]:
        for name, marker in MARKERS.items():
            assert marker.lower() not in text.lower(), f"{name} marker is in the search index"


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
        content = b"".join(response.streaming_content)
        for name in ("exif", "exif_description", "exif_artist"):
            assert MARKERS[name].encode() not in content, name
        assert not Image.open(io.BytesIO(content)).getexif()


def test_the_public_page_shows_the_public_reply(client, planted):
    html = client.get(planted["public"].page.url).content.decode()
    assert "每天 6:30–23:30 供应。" in html
    assert "宿舍热水问题" in html

"""Hostile input: stored script payloads in titles, texts, replies, names and follow-ups are shown as
text everywhere (the wall, search, the tracking page, the admin's case file and queues, mail), and
hostile uploads (polyglots, SVG with script) are refused or neutralised."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.models import Post
from tests.factories import image_bytes, make_accepted_post, make_editor, make_handler, make_unit
from tests.test_submit import submit

PAYLOADS = [
    "<script>alert('t')</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg/onload=alert(1)>",
    "javascript:alert(1)",
    '<a href="javascript:alert(1)">点我</a>',
    "{{ 7|add:7 }}{% now 'Y' %}",
    "<iframe srcdoc='<script>alert(1)</script>'>",
]
# What must never appear in a page as markup: each payload's live part.
LIVE = ["<script>alert", "<img src=x", "<svg/onload", 'href="javascript:', "<iframe"]


@pytest.fixture
def hostile(django_capture_on_commit_callbacks):
    unit = make_unit("后勤管理处")
    editor, handler = make_editor(), make_handler(unit)
    text = " ".join(PAYLOADS)
    with django_capture_on_commit_callbacks(execute=True):
        post = make_accepted_post(
            editor,
            unit,
            title=PAYLOADS[0][:100],
            body=f"宿舍热水 {text}",
            contact_name=PAYLOADS[1][:50],
            contact_email="poster@example.com",
        )
        post.add_follow_up(text)
        post.reply(handler, f"已处理热水 {text}", is_public=True)
        post.publish(editor)
        post.add_note(handler, text)
    post.refresh_from_db()
    return post, editor, handler


def assert_inert(html, where):
    for live in LIVE:
        assert live not in html, f"{live!r} is live markup on {where}"


def test_public_pages_show_payloads_as_text(client, hostile):
    post, _, _ = hostile
    for path in (
        post.page.url,
        "/wall/",
        "/",
        f"/search/?q={'热水'}",
        reverse("wall:track", args=[post.tracking_token]),
    ):
        html = client.get(path).content.decode()
        assert_inert(html, path)
    assert "&lt;script&gt;alert" in client.get(post.page.url).content.decode()  # shown, as text


def test_the_similar_api_returns_payloads_as_json_text(client, hostile):
    response = client.get("/api/v1/similar", {"q": "宿舍热水"})
    assert response["Content-Type"].startswith("application/json")
    titles = [result["title"] for result in response.json()["results"]]
    assert titles == [PAYLOADS[0]]  # the client renders text: the suggestions box uses textContent


def test_the_admin_shows_payloads_as_text(client, hostile):
    post, editor, handler = hostile
    for user, paths in (
        (editor, [reverse("cases_admin:post", args=[post.pk]), reverse("cases_admin:posts")]),
        (handler, [reverse("cases_admin:post", args=[post.pk]), reverse("cases_admin:unreplied")]),
    ):
        client.force_login(user)
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, path
            assert_inert(response.content.decode(), path)


def test_mail_is_plain_text(hostile):
    assert mail.outbox
    for message in mail.outbox:
        assert message.content_subtype == "plain" and not getattr(message, "alternatives", None)


def test_a_polyglot_photo_keeps_only_its_picture(client):
    polyglot = image_bytes() + b"<script>alert(1)</script><?php system($_GET['c']); ?>"
    submit(client, photos=[SimpleUploadedFile("cat.jpg", polyglot, content_type="image/jpeg")])
    data = Post.objects.get().photos.get().image.read()
    assert b"<script>" not in data and b"<?php" not in data
    assert data.startswith(b"\xff\xd8")  # re-encoded as a JPEG


def test_an_svg_with_script_is_refused(client):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'
    response = submit(client, photos=[SimpleUploadedFile("logo.svg", svg, content_type="image/svg+xml")])
    assert "logo.svg" in " ".join(response.context["form"].errors["photos"])
    assert not Post.objects.exists()


def test_a_photo_of_huge_dimensions_is_refused_before_it_is_decoded(client, settings):
    settings.ECHOWALL_MAX_PHOTO_PIXELS = 40 * 30 - 1  # the test image is 40 × 30
    response = submit(client, photos=[SimpleUploadedFile("wide.jpg", image_bytes(), content_type="image/jpeg")])
    assert "wide.jpg" in " ".join(response.context["form"].errors["photos"])
    assert not Post.objects.exists()


def test_a_request_past_the_total_upload_limit_is_refused_before_it_is_read(client, settings):
    settings.ECHOWALL_MAX_REQUEST_BYTES = 50_000

    def photos(count):
        return [SimpleUploadedFile(f"p{n}.png", image_bytes("PNG") + bytes(20_000)) for n in range(count)]

    response = submit(client, photos=photos(3))
    assert response.status_code == 413
    assert "请减少照片数量或压缩后再发" in response.content.decode()
    assert not Post.objects.exists()

    api = client.post("/api/v1/posts", data=b"x" * 50_001, content_type="application/json")
    assert api.status_code == 413 and "detail" in api.json()

    assert submit(client, photos=photos(1)).status_code == 302  # within the limit all is as before

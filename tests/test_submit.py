"""Posting: anonymous with captcha, real-name when logged in, photos cleaned, errors explained."""

import io
import re
from datetime import timedelta
from pathlib import Path

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from cases.models import Post
from tests.factories import image_bytes, image_upload, make_category, make_kind, make_post, make_user
from wall.models import PendingPhoto


def form_data(**overrides):
    data = {
        "kind": make_kind().pk,
        "category": make_category().pk,
        "title": "图书馆座位不够",
        "body": "期末周图书馆三楼座位总是不够，能否延长开放时间？",
        "wants_public": "on",
        "captcha_0": "x",
        "captcha_1": "PASSED",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def submit(client, **overrides):
    return client.post(reverse("wall:submit"), form_data(**overrides))


def test_it_stores_an_anonymous_post_and_shows_the_tracking_code(client):
    response = submit(client, contact_phone="13800000000")
    post = Post.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("wall:thanks", args=[post.tracking_token])
    assert post.is_anonymous and post.poster is None
    assert post.status == Post.Status.SUBMITTED
    assert post.contact_phone == "13800000000"
    page = client.get(response.url)
    assert post.tracking_code in page.content.decode()


def test_it_refuses_an_anonymous_post_without_the_captcha(client):
    response = submit(client, captcha_1="WRONG")
    assert response.status_code == 200
    assert not Post.objects.exists()
    assert "图书馆座位不够" in response.content.decode()  # what the user typed is kept
    assert response.context["form"].errors["captcha"]


def test_it_posts_under_the_logged_in_users_name(client):
    user = make_user()
    client.force_login(user)
    submit(client, captcha_0=None, captcha_1=None)
    post = Post.objects.get()
    assert post.poster == user and not post.is_anonymous


def test_a_logged_in_user_may_post_anonymously(client):
    user = make_user()
    client.force_login(user)
    submit(client, is_anonymous="on", captcha_0=None, captcha_1=None)
    post = Post.objects.get()
    assert post.is_anonymous
    assert post in user.posts.all()  # still listed in "my posts"


def test_it_explains_missing_fields_and_keeps_the_input(client):
    response = submit(client, title="", body="短")
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"title", "body"}
    assert not Post.objects.exists()


def test_it_preselects_the_kind_from_the_entry_button(client):
    kind = make_kind("报修", "repair")
    response = client.get(reverse("wall:submit") + "?kind=repair")
    assert response.context["form"].initial["kind"] == kind


def test_it_reencodes_photos_without_exif(client):
    exif = Image.Exif()
    exif[0x010F] = "MarkerCamera"  # Make
    exif[0x8825] = {2: (39.0, 54.0, 27.0)}  # GPS latitude
    upload = SimpleUploadedFile("IMG_0001.jpg", image_bytes(exif=exif), content_type="image/jpeg")
    submit(client, photos=[upload])
    photo = Post.objects.get().photos.get()
    data = photo.image.read()
    assert b"MarkerCamera" not in data
    assert not Image.open(io.BytesIO(data)).getexif()
    assert "IMG_0001" not in photo.image.name


def test_it_refuses_a_file_that_is_not_an_image(client):
    fake = SimpleUploadedFile("notes.jpg", b"<script>alert(1)</script>", content_type="image/jpeg")
    response = submit(client, photos=[fake])
    assert response.status_code == 200
    assert "notes.jpg" in " ".join(response.context["form"].errors["photos"])
    assert not Post.objects.exists()


def test_it_refuses_more_than_six_photos(client):
    response = submit(client, photos=[image_upload(f"p{i}.jpg") for i in range(7)])
    assert "6" in response.context["form"].errors["photos"][0]
    assert not Post.objects.exists()


def test_it_refuses_an_oversize_photo(client, settings):
    settings.ECHOWALL_MAX_PHOTO_BYTES = 100
    response = submit(client, photos=[image_upload("big.jpg", size=(200, 200))])
    assert "big.jpg" in response.context["form"].errors["photos"][0]
    assert not Post.objects.exists()


def test_it_refuses_a_decompression_bomb(client, settings):
    settings.ECHOWALL_MAX_PHOTO_PIXELS = 100
    response = submit(client, photos=[image_upload("bomb.png", fmt="PNG", size=(100, 100))])
    assert response.context["form"].errors["photos"]
    assert not Post.objects.exists()


def test_deleting_a_post_deletes_its_photo_files(client, settings, django_capture_on_commit_callbacks):
    post = make_post()
    post.add_photo(image_upload())
    (path,) = Path(settings.MEDIA_ROOT).rglob("*.jpg")
    with django_capture_on_commit_callbacks(execute=True):
        post.delete()
    assert not path.exists()


def test_the_clean_up_keeps_photos_of_posts_and_new_files(settings):
    make_post().add_photo(image_upload())
    (kept,) = Path(settings.MEDIA_ROOT).rglob("*.jpg")
    stray = kept.parent / "stray.jpg"
    stray.write_bytes(b"left by a killed process")
    call_command("remove_orphan_photos", verbosity=0)  # within the grace period: kept
    assert stray.exists()
    call_command("remove_orphan_photos", "--grace-minutes", "0", verbosity=0)
    assert not stray.exists()
    assert list(Path(settings.MEDIA_ROOT).rglob("*.jpg")) == [kept]


def _kept_keys(response):
    return re.findall(r'name="keep_photo" value="([^"]+)" checked', response.content.decode())


def test_photos_survive_a_mistyped_captcha_and_go_with_the_post(client, settings, django_capture_on_commit_callbacks):
    photos = [image_upload("a.jpg"), image_upload("b.jpg")]
    response = submit(client, captcha_1="WRONG", photos=photos)

    keys = _kept_keys(response)
    assert len(keys) == 2 and not Post.objects.exists()
    thumbnail = client.get(reverse("wall:pending_photo", args=[keys[0]]))
    assert thumbnail.status_code == 200 and thumbnail["Content-Type"] == "image/jpeg"
    assert Client().get(reverse("wall:pending_photo", args=[keys[0]])).status_code == 404  # another browser

    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client, keep_photo=keys[1:])  # one unticked, nothing chosen again
    post = Post.objects.get()
    assert response.status_code == 302 and post.photos.count() == 1
    assert not PendingPhoto.objects.exists()
    assert sorted(Path(settings.MEDIA_ROOT).rglob("*.jpg")) == [
        Path(settings.MEDIA_ROOT) / post.photos.get().image.name
    ]


def test_kept_photos_count_towards_the_limit_and_are_nobody_elses(client, settings):
    settings.ECHOWALL_MAX_PHOTOS = 2
    keys = _kept_keys(submit(client, captcha_1="WRONG", photos=[image_upload("a.jpg")]))
    response = submit(client, keep_photo=keys, photos=[image_upload("b.jpg"), image_upload("c.jpg")])
    assert response.context["form"].errors["photos"] and not Post.objects.exists()

    other = Client()
    other.post(reverse("wall:submit"), form_data(keep_photo=keys))  # a key this browser never had
    assert Post.objects.get().photos.count() == 0


def test_the_clean_up_removes_kept_photos_nobody_came_back_for(client, settings):
    _kept_keys(submit(client, captcha_1="WRONG", photos=[image_upload("a.jpg")]))
    call_command("remove_orphan_photos", "--grace-minutes", "0", verbosity=0)
    assert PendingPhoto.objects.count() == 1  # the poster may still come back
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        call_command("remove_orphan_photos", "--grace-minutes", "0", verbosity=0)
    assert not PendingPhoto.objects.exists() and not list(Path(settings.MEDIA_ROOT).rglob("*.jpg"))


def test_the_contact_fields_say_what_they_are_for(client):
    content = client.get(reverse("wall:submit")).content.decode()
    assert 'id="id_contact_phone_helptext"' in content and "给您打电话" in content
    assert 'id="id_contact_email_helptext"' in content and "答复和评价链接会发到这个邮箱" in content


def test_failed_submissions_keep_photos_only_so_often_from_one_network(client, settings):
    settings.ECHOWALL_WEB_ACTIONS_PER_IP = 1
    assert len(_kept_keys(submit(client, captcha_1="WRONG", photos=[image_upload("a.jpg")]))) == 1
    response = submit(client, captcha_1="WRONG", photos=[image_upload("b.jpg")])
    assert "照片无法保留，请重新选择" in response.content.decode()
    assert PendingPhoto.objects.count() == 1

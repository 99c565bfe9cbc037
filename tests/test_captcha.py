"""The anonymous form's captcha, usable by everyone (#17.2): a readable picture with a Chinese label
and alt text, another picture on request, the characters read aloud (flite), and none for users
who are logged in."""

import os
import re
import shutil

import pytest
from captcha.models import CaptchaStore
from django.urls import reverse

from tests.factories import make_user

SUBMIT_URL = reverse("wall:submit")


def test_the_anonymous_form_labels_the_captcha_in_chinese_and_offers_another_picture(client):
    content = client.get(SUBMIT_URL).content.decode()

    label = re.search(r'<label for="id_captcha_1">([^<]*)', content).group(1)
    alt = re.search(r'<img [^>]*data-captcha-image[^>]*>|<img [^>]*alt="([^"]*)"[^>]*data-captcha-image', content)
    assert label.strip() == "验证码"
    assert "验证码图片" in alt.group(0)
    assert "data-captcha-refresh" in content and "换一张" in content
    # Django's aria-describedby on the answer box points at the help text, which exists.
    answer = re.search(r'<input[^>]*name="captcha_1"[^>]*>', content).group(0)
    assert 'aria-describedby="id_captcha_helptext"' in answer and 'id="id_captcha_helptext"' in content


def test_the_picture_shows_characters_nobody_confuses():
    challenges = {CaptchaStore.objects.get(hashkey=CaptchaStore.generate_key()).challenge for _ in range(30)}
    assert all(len(text) == 4 and not set(text) & set("0O1IL2Z5S8B") for text in challenges)


def test_another_picture_comes_from_the_refresh_view(client):
    response = client.get(reverse("captcha-refresh"), headers={"x-requested-with": "XMLHttpRequest"})
    fresh = response.json()
    assert CaptchaStore.objects.filter(hashkey=fresh["key"]).exists()
    assert client.get(fresh["image_url"])["Content-Type"] == "image/png"


def test_a_wrong_answer_is_explained_in_chinese(client):
    response = client.post(SUBMIT_URL, {"title": "图书馆座位不够", "captcha_0": "x", "captcha_1": "WRONG"})
    assert "验证码" in response.context["form"].errors["captcha"][0]


def test_the_characters_are_read_aloud(client):
    if not shutil.which("flite"):
        reason = "Debian's flite is not installed (apt-get install flite)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}: the captcha's audio cannot be tested on CI", pytrace=False)
        pytest.skip(reason)
    content = client.get(SUBMIT_URL).content.decode()
    audio = re.search(r'<a href="([^"]+)" data-captcha-audio>([^<]*)</a>', content)
    assert audio.group(2) == "听语音验证码"
    response = client.get(audio.group(1))
    assert (
        response.status_code == 200
        and b"".join(response.streaming_content if response.streaming else [response.content])[:4] == b"RIFF"
    )


def test_logged_in_users_see_no_captcha(client):
    client.force_login(make_user())
    assert "captcha" not in client.get(SUBMIT_URL).content.decode()

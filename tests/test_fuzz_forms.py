"""Property-based fuzzing (hypothesis) of what strangers can send: the submit form, the rating and
reply forms and the import command. Whatever arrives: no server error, no half-stored record, and
every refusal says what is wrong."""

import json

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.models import Post, Rating, Reply
from tests.factories import make_accepted_post, make_category, make_editor, make_handler, make_kind, make_unit
from tests.test_import_posts import run_import

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Any text, NUL and lone surrogates included, short or past every limit.
TEXT = st.one_of(
    st.text(max_size=30), st.text(min_size=90, max_size=6000), st.sampled_from(["", " ", "\x00", "😀" * 120])
)
ANYTHING = st.one_of(TEXT, st.integers(), st.just("999999"), st.none())


def error_messages(response):
    form = next(
        (response.context[name] for name in ("form", "rating_form", "reply_form") if name in response.context), None
    )
    return [str(message) for errors in form.errors.values() for message in errors] if form else []


@pytest.fixture
def world():
    unit = make_unit("后勤管理处")
    return {"unit": unit, "kind": make_kind(), "category": make_category(), "editor": make_editor()}


@FUZZ
@given(title=TEXT, body=TEXT, kind=ANYTHING, category=ANYTHING, contact_email=TEXT, contact_phone=TEXT)
def test_the_submit_form_stores_a_whole_post_or_explains(world, settings, title, body, kind, category, **contact):
    settings.ECHOWALL_WEB_POSTS_PER_IP = 10_000  # limits are tested in test_rate_limits
    client = Client()  # a new browser each time: the same text twice from one is stored once
    data = {
        "kind": world["kind"].pk if kind is None else kind,
        "category": world["category"].pk if category is None else category,
        "title": title,
        "body": body,
        "captcha_0": "x",
        "captcha_1": "PASSED",
        **contact,
    }
    before = Post.objects.count()
    response = client.post(reverse("wall:submit"), {key: value for key, value in data.items() if value is not None})
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        post = Post.objects.latest("pk")
        assert Post.objects.count() == before + 1
        assert post.title == title.strip() and 4 <= len(post.title) <= 100 and "\x00" not in post.body
    else:
        assert Post.objects.count() == before
        assert error_messages(response) and all(message.strip() for message in error_messages(response))


@FUZZ
@given(attitude=ANYTHING, speed=ANYTHING, result=ANYTHING, comment=TEXT)
def test_the_rating_form_rates_once_or_explains(client, world, settings, attitude, speed, result, comment):
    settings.ECHOWALL_WEB_ACTIONS_PER_IP = 10_000
    handler = make_handler(world["unit"])
    post = make_accepted_post(world["editor"], world["unit"])
    post.reply(handler, "已处理。", is_public=True)
    data = {"attitude": attitude, "speed": speed, "result": result, "comment": comment}
    response = client.post(
        reverse("wall:rate", args=[post.tracking_token]), {k: v for k, v in data.items() if v is not None}
    )
    assert response.status_code in (302, 400)
    ratings = Rating.objects.filter(post=post)
    if response.status_code == 302:
        rating = ratings.get()
        assert all(1 <= score <= 5 for score in (rating.attitude, rating.speed, rating.result))
    else:
        assert not ratings.exists() and error_messages(response)


@FUZZ
@given(body=TEXT, is_public=st.sampled_from(["on", "", "yes", None]))
def test_the_staff_reply_form_replies_or_explains(client, world, body, is_public):
    handler = make_handler(world["unit"])
    post = make_accepted_post(world["editor"], world["unit"])
    client.force_login(handler)
    data = {"reply-body": body, "reply-is_public": is_public}
    response = client.post(
        reverse("cases_admin:reply", args=[post.pk]), {k: v for k, v in data.items() if v is not None}
    )
    assert response.status_code < 500
    replies = Reply.objects.filter(post=post)
    post.refresh_from_db()
    if replies.exists():
        assert replies.get().body == body.strip() and post.status == Post.Status.REPLIED
    else:
        assert post.status == Post.Status.ACCEPTED


LINE_VALUES = st.one_of(TEXT, st.integers(), st.booleans(), st.none(), st.lists(st.text(max_size=5), max_size=2))


@FUZZ
@given(
    lines=st.lists(
        st.one_of(
            st.dictionaries(
                st.sampled_from(["title", "body", "kind", "category", "unit", "created_at", "status", "replies"]),
                LINE_VALUES,
            ),
            st.text(max_size=40),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_the_import_takes_each_line_whole_or_reports_it(tmp_path, world, lines):
    before = Post.objects.count()
    out, err = run_import(
        tmp_path, [json.dumps(line, ensure_ascii=False) if isinstance(line, dict) else line for line in lines]
    )
    imported = int(out.rsplit("Imported ", 1)[1].split(" ")[0])
    skipped = int(out.rsplit("skipped ", 1)[1].split(" ")[0])
    assert Post.objects.count() == before + imported
    assert err.count("Line ") == skipped and all(": " in line for line in err.split("\n") if line)

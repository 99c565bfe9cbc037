import io
import json
from datetime import UTC, datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError
from django.utils import translation
from wagtail.models import Page

from cases.models import Category, Kind, Post, Reply, Unit
from search.backends import get_backend
from tests.factories import make_category, make_handler, make_kind, make_unit
from wall.models import WallIndexPage, WallPostPage, WallPostReply


def post_line(**fields):
    line = {
        "title": "三号楼热水不热",
        "body": "三号楼晚上十点以后热水就不热了。",
        "kind": "报修",
        "category": "后勤保障",
        "unit": "后勤管理处",
        "created_at": "2024-03-01T10:00:00+08:00",
    }
    line.update(fields)
    return line


def run_import(tmp_path, lines, *args):
    """Import lines (dicts become JSON, bytes are written as they are) and return (stdout, stderr)."""
    raw = [line if isinstance(line, bytes) else _encode(line) for line in lines]
    path = tmp_path / "posts.jsonl"
    path.write_bytes(b"\n".join(raw) + b"\n")
    out, err = io.StringIO(), io.StringIO()
    with translation.override("en"):
        call_command("import_posts", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _encode(line):
    text = line if isinstance(line, str) else json.dumps(line, ensure_ascii=False)
    return text.encode()


@pytest.fixture
def logistics():
    unit = make_unit("后勤管理处")
    make_kind("报修", "repair")
    make_category("后勤保障", default_unit=unit)
    return unit


def test_it_imports_posts_with_their_replies_and_status(tmp_path, logistics):
    line = post_line(
        status="closed",
        is_public=True,
        anonymous=False,
        poster_name="张三",
        poster_contact="zhang@example.com",
        replies=[
            {"body": "已更换水泵。", "is_public": True, "created_at": "2024-03-01T15:00:00+08:00"},
            {"body": "维修电话已短信发您。", "is_public": False, "created_at": "2024-03-02T09:00:00+08:00"},
        ],
    )

    out, err = run_import(tmp_path, [line])

    assert err == ""
    assert out.strip().endswith("Imported 1 posts, skipped 0 lines.")
    post = Post.objects.get()
    assert (post.title, post.kind.name, post.category.name, post.unit) == (
        "三号楼热水不热",
        "报修",
        "后勤保障",
        logistics,
    )
    assert post.status == Post.Status.CLOSED
    assert post.wants_public and not post.is_anonymous and not post.on_wall
    assert (post.contact_name, post.contact_email, post.contact_phone) == ("张三", "zhang@example.com", "")
    assert post.created_at == post.accepted_at == datetime(2024, 3, 1, 2, 0, tzinfo=UTC)
    assert post.first_replied_at == datetime(2024, 3, 1, 7, 0, tzinfo=UTC)
    assert post.closed_at == datetime(2024, 3, 2, 1, 0, tzinfo=UTC)
    replies = list(post.replies.values_list("body", "is_public", "unit"))
    assert replies == [("已更换水泵。", True, logistics.pk), ("维修电话已短信发您。", False, logistics.pk)]


def test_it_imports_each_status_with_fitting_dates(tmp_path, logistics):
    statuses = ["submitted", "accepted", "replied", "closed", "reopened", "rejected", "merged"]

    run_import(tmp_path, [post_line(title=status, status=status) for status in statuses])

    posts = {post.title: post for post in Post.objects.all()}
    assert {title: post.status for title, post in posts.items()} == {status: status for status in statuses}
    assert posts["submitted"].accepted_at is None and posts["rejected"].accepted_at is None
    assert posts["accepted"].reply_due_at > posts["accepted"].accepted_at
    assert posts["rejected"].closed_at and posts["closed"].closed_at
    assert posts["reopened"].closed_at is None


def test_it_treats_what_the_export_does_not_say_as_private(tmp_path, logistics):
    line = post_line(status=None, replies=[{"body": "已处理。"}])

    run_import(tmp_path, [line])

    post = Post.objects.get()
    assert post.status == Post.Status.REPLIED
    assert not post.wants_public
    assert post.is_anonymous
    assert not post.replies.get().is_public


def test_it_stores_a_phone_number_as_a_phone_number(tmp_path, logistics):
    run_import(tmp_path, [post_line(poster_contact="138 0013 8000")])

    post = Post.objects.get()
    assert (post.contact_phone, post.contact_email) == ("138 0013 8000", "")


def test_it_creates_missing_kinds_categories_and_units_once(tmp_path, logistics):
    lines = [
        post_line(kind="维修申请", category="宿舍管理", unit="物业中心", replies=[{"body": "好", "unit": "水电中心"}]),
        post_line(kind="维修申请", category="宿舍管理", unit="物业中心"),
        post_line(),
    ]

    out, _ = run_import(tmp_path, lines)

    kind = Kind.objects.get(name="维修申请")
    assert kind.slug.isascii() and kind.slug.startswith("kind-")
    assert Category.objects.filter(name="宿舍管理").count() == 1
    assert Unit.objects.get(name="物业中心").type == Unit.Type.OTHER
    assert Reply.objects.get().unit.name == "水电中心"
    assert Kind.objects.filter(name="报修").count() == 1
    assert Post.objects.filter(kind=kind).count() == 2
    assert "物业中心" in out and "Imported 3 posts, skipped 0 lines." in out


def test_it_reads_dates_without_offset_as_beijing_time(tmp_path, logistics, settings):
    settings.TIME_ZONE = "UTC"  # the export's zone, not the site's, decides
    lines = [
        post_line(title="naive", created_at="2024-03-01T10:00:00"),
        post_line(title="utc", created_at="2024-03-01T10:00:00Z"),
    ]

    run_import(tmp_path, lines)

    assert Post.objects.get(title="naive").created_at == datetime(2024, 3, 1, 2, 0, tzinfo=UTC)
    assert Post.objects.get(title="utc").created_at == datetime(2024, 3, 1, 10, 0, tzinfo=UTC)


def test_it_reports_bad_lines_and_imports_the_good_ones_around_them(tmp_path, logistics):
    lines = [
        post_line(title="第一条"),
        "{not json",
        post_line(title=""),
        post_line(body=None),
        post_line(status="done"),
        post_line(created_at="2024-13-01"),
        post_line(created_at="2999-01-01T00:00:00"),
        post_line(is_public="yes"),
        post_line(title="长" * 101),
        post_line(category=["后勤保障"]),
        "[1, 2]",
        "\xff".encode("latin-1"),
        "",
        post_line(title="最后一条"),
    ]

    out, err = run_import(tmp_path, lines)

    assert sorted(Post.objects.values_list("title", flat=True)) == sorted(["第一条", "最后一条"])
    assert out.strip().endswith("Imported 2 posts, skipped 11 lines.")
    reported = err.splitlines()
    assert [line.split(":")[0] for line in reported] == [f"Line {number}" for number in range(2, 13)]
    assert "JSON" in reported[0]
    assert "title" in reported[1]
    assert "body" in reported[2]
    assert "done" in reported[3]
    assert "created_at" in reported[4] and "created_at" in reported[5]
    assert "is_public" in reported[6]
    assert "title" in reported[7] and "100" in reported[7]
    assert "category" in reported[8]
    assert "UTF-8" in reported[10]


def test_it_skips_the_whole_line_when_a_reply_is_bad(tmp_path, logistics):
    line = post_line(
        kind="新类型",
        unit="新单位",
        replies=[{"body": "第一条答复"}, {"body": "早于诉求的答复", "created_at": "2024-02-01T00:00:00+08:00"}],
    )

    out, err = run_import(tmp_path, [line])

    assert "Line 1: reply 2:" in err
    assert not Post.objects.exists()
    assert not Reply.objects.exists()
    assert not Kind.objects.filter(name="新类型").exists()
    assert not Unit.objects.filter(name="新单位").exists()
    assert "Imported 0 posts, skipped 1 lines." in out


def test_it_leaves_nothing_of_a_line_the_database_fails_on(tmp_path, logistics, monkeypatch):
    def fail(*args, **kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(Reply.objects, "bulk_create", fail)

    with pytest.raises(DatabaseError):
        run_import(tmp_path, [post_line(kind="新类型", replies=[{"body": "已处理。"}])])
    assert not Post.objects.exists()
    assert not Kind.objects.filter(name="新类型").exists()


def test_it_publishes_only_public_posts_and_their_public_replies(tmp_path, logistics):
    replies = [
        {"body": "公开答复：已修好。", "is_public": True, "created_at": "2024-03-01T12:00:00+08:00"},
        {"body": "私下答复：师傅电话 139xxxx。", "is_public": False, "created_at": "2024-03-01T13:00:00+08:00"},
    ]
    lines = [
        post_line(title="公开", status="closed", is_public=True, replies=replies),
        post_line(title="不公开", status="closed", is_public=False, replies=replies),
        post_line(title="待受理", status="submitted", is_public=True),
        post_line(title="不予受理", status="rejected", is_public=True),
    ]

    out, _ = run_import(tmp_path, lines, "--publish")

    assert "Published 1 posts on the wall." in out
    page = WallPostPage.objects.live().get()
    assert Post.objects.get(page=page).title == "公开"
    assert Post.objects.filter(on_wall=True).count() == 1
    assert [reply.body for reply in page.public_replies.all()] == ["公开答复：已修好。"]
    assert page.posted_at == datetime(2024, 3, 1, 2, 0, tzinfo=UTC)
    assert not WallPostReply.objects.filter(body__startswith="私下答复").exists()


def test_it_publishes_nothing_without_the_flag(tmp_path, logistics):
    run_import(tmp_path, [post_line(status="closed", is_public=True, replies=[{"body": "好", "is_public": True}])])

    assert not Post.objects.filter(on_wall=True).exists()
    assert not WallPostPage.objects.exists()


def test_it_refuses_to_publish_when_there_is_no_wall(tmp_path, logistics):
    WallIndexPage.objects.get().delete()

    with pytest.raises(CommandError, match="setup_site"):
        run_import(tmp_path, [post_line(is_public=True, status="accepted")], "--publish")
    assert not Post.objects.exists()


def test_it_fails_when_the_file_cannot_be_read(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_posts", str(tmp_path / "missing.jsonl"))


def test_it_publishes_in_batches_into_a_sound_page_tree_that_search_finds(
    tmp_path, logistics, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr("wall.importing.PUBLISH_BATCH", 2)  # five posts: batches of 2, 2 and 1
    lines = [
        post_line(
            title=f"{n}号自习室空调", created_at=f"202{3 + n % 2}-05-0{n + 1}T09:00", status="accepted", is_public=True
        )
        for n in range(5)
    ]

    with django_capture_on_commit_callbacks(execute=True):
        out, _ = run_import(tmp_path, lines, "--publish")

    assert "Published 5 posts on the wall." in out
    assert not any(Page.find_problems())  # treebeard's own check of paths, depths and child counts
    years = {page.get_parent().title: page.get_parent().get_children().count() for page in live_wall()}
    assert years == {"2023": 3, "2024": 2}
    for post in Post.objects.all():
        assert post.on_wall and post.page.live
        assert post.page.url == f"/wall/{post.created_at.year}/{post.pk}/"
    assert get_backend().search("自习室空调").total == 5


def test_it_leaves_imported_pages_editable_like_any_other(tmp_path, logistics):
    run_import(tmp_path, [post_line(status="accepted", is_public=True)], "--publish")
    post = Post.objects.get()
    handler = make_handler(logistics)

    post.reply(handler, "已安排师傅上门。", is_public=True)

    page = WallPostPage.objects.get(pk=post.page_id)
    assert page.live and page.status == Post.Status.REPLIED
    assert [reply.body for reply in page.public_replies.all()] == ["已安排师傅上门。"]
    assert page.revisions.count() == 1


def test_it_keeps_imported_posts_off_the_wall_when_publishing_fails(tmp_path, logistics, monkeypatch):
    def fail(*args, **kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr("wall.publishing._add_children", fail)

    with pytest.raises(DatabaseError):
        run_import(tmp_path, [post_line(status="accepted", is_public=True)], "--publish")
    post = Post.objects.get()  # imported: its line was written whole
    assert not post.on_wall and post.page is None
    assert not WallPostPage.objects.exists()


def live_wall():
    return WallPostPage.objects.live()

"""Faults a poster may meet (issue #7): the web process killed in the middle of storing a post, and
the database briefly locked by another writer. Each runs a real client process (tests/fault_child.py)
against a database file or server it shares with this test.

The search server down (search falls back, posting carries on) is tested in search/test_elastic,
the mail server down (the message kept and retried later) in test_notifications."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from cases.models import Post, PostPhoto
from tests.factories import make_category, make_kind

# The child needs the rows this test makes: they must be committed.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

REPO = Path(__file__).resolve().parent.parent
CHILD_SECONDS = 60


def shared_database_url(tmp_path):
    """A DATABASE_URL for the child: the test's own PostgreSQL database, or for SQLite (in memory
    in tests) a file copy of it as it is now: make what the child needs first."""
    settings = connection.settings_dict
    if connection.vendor != "sqlite":
        user, password = quote(settings["USER"] or ""), quote(settings["PASSWORD"] or "")
        return f"postgres://{user}:{password}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
    path = tmp_path / "shared.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.execute("PRAGMA journal_mode=WAL")
    target.close()
    return f"sqlite:///{path}"


def form_data(title):
    return {
        "kind": make_kind().pk,
        "category": make_category().pk,
        "title": title,
        "body": "三号楼一楼的热水器漏水，地面很滑。",
        "wants_public": "on",
        "captcha_0": "x",
        "captcha_1": "PASSED",
    }


def child(mode, form, database_url, tmp_path, **kwargs):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url,
        "ECHOWALL_VAR_DIR": str(tmp_path / "var"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        **kwargs.pop("env", {}),
    }
    return subprocess.Popen(  # noqa: S603 - our own interpreter and module, fixed arguments
        [sys.executable, "-m", "tests.fault_child", mode, json.dumps(form)],
        cwd=REPO,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        **kwargs,
    )


def read_json(process):
    line = process.stdout.readline()
    assert line, f"the client process ended early (exit {process.wait(CHILD_SECONDS)})"
    return json.loads(line)


def count_rows(database_url, title):
    """(posts, photos) with this title, as a fresh connection sees the database now."""
    if database_url.startswith("sqlite:///"):
        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as db:
            (posts,) = db.execute("SELECT count(*) FROM wall_post WHERE title = ?", [title]).fetchone()
            (photos,) = db.execute(
                "SELECT count(*) FROM wall_postphoto JOIN wall_post ON wall_post.id = post_id WHERE title = ?",
                [title],
            ).fetchone()
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return posts, photos
    return Post.objects.filter(title=title).count(), PostPhoto.objects.filter(post__title=title).count()


def stored_photo_names(database_url, title):
    query = "SELECT image FROM wall_postphoto JOIN wall_post ON wall_post.id = post_id WHERE title = ?"
    if database_url.startswith("sqlite:///"):
        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as db:
            return [name for (name,) in db.execute(query, [title])]
    return list(PostPhoto.objects.filter(post__title=title).values_list("image", flat=True))


def test_a_process_killed_while_storing_a_post_leaves_no_part_of_it(tmp_path):
    form = form_data("热水器漏水（中途被杀）")
    url = shared_database_url(tmp_path)
    process = child("pause", form, url, tmp_path)
    try:
        inside = read_json(process)["inside_transaction"]
        # The post and its first photo were written, uncommitted, when the process died.
        assert inside == {"posts": 1, "photos": 1}
        process.send_signal(signal.SIGKILL)
    finally:
        process.kill()
        process.wait(CHILD_SECONDS)
    assert process.returncode == -signal.SIGKILL

    assert count_rows(url, form["title"]) == (0, 0)

    # The database is whole: the same post, sent again, is stored with both its photos.
    again = child("post", form, url, tmp_path)
    answer = read_json(again)
    assert again.wait(CHILD_SECONDS) == 0
    assert answer["status"] == 302 and "/post/thanks/" in answer["location"]
    assert count_rows(url, form["title"]) == (1, 2)

    # The killed process had written its first photo's file; the daily clean-up removes that one only.
    media = tmp_path / "media"
    assert len(list(media.rglob("*.jpg"))) == 3
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "DATABASE_URL": url}
    env.update(ECHOWALL_VAR_DIR=str(tmp_path / "var"), MEDIA_ROOT=str(media))
    command = [sys.executable, "manage.py", "remove_orphan_photos", "--grace-minutes", "0"]
    subprocess.run(command, cwd=REPO, env=env, check=True, capture_output=True, timeout=CHILD_SECONDS)  # noqa: S603
    kept = {path.relative_to(media).as_posix() for path in media.rglob("*.jpg")}
    assert kept == set(stored_photo_names(url, form["title"]))


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="SQLite's lock; PostgreSQL makes a writer wait for a row lock instead of refusing it",
)
def test_a_briefly_locked_database_asks_the_poster_to_retry_and_keeps_the_post(tmp_path):
    form = form_data("热水器漏水（数据库忙）")
    url = shared_database_url(tmp_path)
    # A short busy timeout, so that the lock outlasts it without the test waiting 20 seconds.
    process = child("retry", form, url, tmp_path, env={"ECHOWALL_SQLITE_TIMEOUT": "0.5"})
    try:
        assert process.stdout.readline().strip() == "ready"
        writer = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
        writer.execute("BEGIN IMMEDIATE")  # another process holds the write lock
        process.stdin.write("go\n")
        process.stdin.flush()
        busy = read_json(process)
        writer.execute("ROLLBACK")
        writer.close()
        process.stdin.write("again\n")
        process.stdin.flush()
        retried = read_json(process)
        assert process.wait(CHILD_SECONDS) == 0
    finally:
        process.kill()

    assert busy["status"] == 503
    assert busy["retry_after"]
    assert "系统繁忙，您的诉求尚未保存" in busy["body"]
    assert form["title"] in busy["body"] and form["body"] in busy["body"]  # what was typed is kept
    assert "照片无法保留" in busy["body"]  # file inputs cannot be refilled: the poster is told
    assert "Traceback" not in busy["body"]

    assert retried["status"] == 302 and "/post/thanks/" in retried["location"]
    assert count_rows(url, form["title"]) == (1, 2)  # stored once, with both photos

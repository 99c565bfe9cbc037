"""Past one machine (README "Several machines"): photos in an S3-compatible bucket (moto's server),
sessions in Redis, and background work stored for `manage.py db_worker` processes, which deliver each
message once however many run. The page cache and rate limits on Redis: tests/test_page_cache.py and
tests/test_rate_limits.py, parametrized by `each_cache`."""

import importlib.util
import json
import os
import subprocess
import sys
import uuid

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cases.models import Post
from notifications.delivery import deliver_notification
from notifications.models import Notification
from tests import servers
from tests.factories import image_upload, make_accepted_post, make_editor, make_handler, make_unit, make_user
from tests.sso_fakes import FakeServer, _Handler
from tests.test_faults import REPO, shared_database_url
from tests.test_submit import form_data

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def media_storage(monkeypatch, **env):
    """The media storage config/settings/base.py sets up from these environment variables."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("config.settings.under_test", REPO / "config/settings/base.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.STORAGES["default"]


@pytest.fixture
def bucket(settings, monkeypatch, s3_server):
    import boto3

    name = f"photos-{uuid.uuid4().hex[:12]}"
    keys = {"AWS_ACCESS_KEY_ID": "test-key", "AWS_SECRET_ACCESS_KEY": "test-secret"}
    s3 = boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name="us-east-1",
        aws_access_key_id=keys["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=keys["AWS_SECRET_ACCESS_KEY"],
    )
    s3.create_bucket(Bucket=name)
    default = media_storage(monkeypatch, ECHOWALL_MEDIA_BUCKET=name, ECHOWALL_MEDIA_ENDPOINT_URL=s3_server, **keys)
    settings.STORAGES = {**settings.STORAGES, "default": default}
    return s3, name


def test_a_posted_photo_is_a_private_object_served_only_through_the_gate(client, bucket):
    s3, name = bucket
    response = client.post(reverse("wall:submit"), {**form_data(), "photos": [image_upload("IMG_0001.jpg")]})
    assert response.status_code == 302
    photo = Post.objects.get().photos.get()

    (stored,) = s3.list_objects_v2(Bucket=name)["Contents"]
    assert stored["Key"] == photo.image.name and "IMG_0001" not in stored["Key"]
    grants = s3.get_object_acl(Bucket=name, Key=stored["Key"])["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]  # the owner only: no public read
    assert "AllUsers" not in json.dumps(grants)

    content = s3.get_object(Bucket=name, Key=stored["Key"])["Body"].read()
    assert client.get(reverse("wall:photo", args=[photo.pk])).status_code == 404  # not public
    served = client.get(reverse("wall:photo", args=[photo.pk]), {"t": photo.post.tracking_token})
    assert served.status_code == 200 and b"".join(served.streaming_content) == content


def test_photos_stay_on_the_local_disk_without_a_bucket(monkeypatch):
    monkeypatch.delenv("ECHOWALL_MEDIA_BUCKET", raising=False)
    assert media_storage(monkeypatch)["BACKEND"] == "django.core.files.storage.FileSystemStorage"


def test_sessions_live_in_redis_and_survive_its_restart(client, settings, redis_server):
    servers.use_redis(settings, redis_server)
    client.force_login(make_user(username="wang"))
    assert cache.get(f"django.contrib.sessions.cached_db{client.session.session_key}")
    cache.clear()  # Redis restarted empty
    assert client.get(reverse("wall:my_posts")).context["user"].username == "wang"


def test_a_request_only_enqueues_and_a_worker_delivers(
    settings, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    settings.TASKS = DATABASE_TASKS
    # The worker recycles its database connection, which would end this test's transaction.
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    unit = make_unit()
    post = make_accepted_post(make_editor(), unit, contact_email="poster@example.edu.cn")
    with django_capture_on_commit_callbacks(execute=True):
        post.reply(make_handler(unit), "明天上午维修", is_public=False)

    waiting = Notification.objects.get(post=post, recipient="poster@example.edu.cn")
    assert waiting.status == Notification.Status.PENDING and mailoutbox == []
    assert DBTaskResult.objects.filter(task_path="notifications.delivery.deliver_notification").exists()

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    waiting.refresh_from_db()
    assert waiting.status == Notification.Status.SENT
    assert [message.to for message in mailoutbox] == [["poster@example.edu.cn"]]


class _Webhook(_Handler):
    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.shared["requests"].append(body["text"]["content"])
        self._answer(200, '{"errcode": 0}', "application/json")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_at_once_deliver_each_message_once(settings, tmp_path):
    settings.TASKS = DATABASE_TASKS
    with FakeServer(_Webhook) as robot:
        ids = []
        for number in range(40):
            notification = Notification.objects.create(
                event="test", channel=Notification.Channel.WEBHOOK, recipient=robot.url, subject=f"#{number}", body="x"
            )
            # Twice, as when the commit's task and a tick's retry both queue it.
            deliver_notification.enqueue(notification.pk)
            deliver_notification.enqueue(notification.pk)
            ids.append(notification.pk)
        env = {**os.environ, "DATABASE_URL": shared_database_url(tmp_path), "ECHOWALL_TASKS": "database"}
        command = [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay", "--no-reload"]
        workers = [
            subprocess.Popen([*command, "--worker-id", f"w{n}"], cwd=REPO, env=env)  # noqa: S603 - fixed arguments
            for n in (1, 2)
        ]
        assert [worker.wait(timeout=120) for worker in workers] == [0, 0]

    delivered = sorted(text.split("\n")[0] for text in robot.state["requests"])
    assert delivered == sorted(f"#{number}" for number in range(40))  # each once, none twice
    if not settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # SQLite's children work on a copy
        assert set(Notification.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"sent"}
        assert Notification.objects.filter(pk__in=ids, sent_at__lte=timezone.now()).count() == 40

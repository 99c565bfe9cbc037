"""A request never waits on a slow outside service (issue #18.5).

Times posting (web form and API) and replying (the staff API), first with the mail server and the
units' group robots working, then with both pointing at a listener that accepts connections and never
answers, with background work stored for a worker (ECHOWALL_TASKS=database, as in production). Prints
p50/p95 per action and the p95 ratio (black hole / working). Then the services come back and the tick
and a worker run: every message is delivered, once. For contrast it also times a few replies with the
work done inside the request (ECHOWALL_TASKS=immediate), which wait for the mail server's timeout.

    .venv/bin/python bench/slow_services.py [--requests 40]
"""

import argparse
import os
import socket
import socketserver
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EMAIL_TIMEOUT = 10


class Smtp(socketserver.StreamRequestHandler):
    """Just enough SMTP to accept a message from Django; counts the messages per recipient."""

    received = []

    def handle(self):
        self.wfile.write(b"220 bench ESMTP\r\n")
        recipients, in_data = [], False
        for line in self.rfile:
            if in_data:
                if line == b".\r\n":
                    in_data = False
                    Smtp.received.extend(recipients)
                    self.wfile.write(b"250 queued\r\n")
                continue
            verb = line[:4].upper()
            if verb == b"RCPT":
                recipients.append(line.decode().split(":", 1)[1].strip().strip("<>"))
            if verb == b"DATA":
                in_data = True
                self.wfile.write(b"354 go on\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


class Robot(socketserver.StreamRequestHandler):
    received = 0

    def handle(self):
        length = 0
        for line in self.rfile:
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
            if line == b"\r\n":
                break
        self.rfile.read(length)
        Robot.received += 1
        body = b'{"errcode": 0}'
        self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 14\r\n\r\n" + body)


class BlackHole(socketserver.StreamRequestHandler):
    """Accepts, reads, never answers, until the bench ends."""

    stop = threading.Event()

    def handle(self):
        BlackHole.stop.wait()


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def serve(handler, port):
    server = Server(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def setup(var_dir, smtp_port):
    os.environ["ECHOWALL_VAR_DIR"] = var_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", smtp_port, False
    settings.EMAIL_TIMEOUT = EMAIL_TIMEOUT  # as config/settings/production.py sets it
    settings.ECHOWALL_WEB_POSTS_PER_IP = settings.ECHOWALL_API_WRITES_PER_CLIENT = 10**6
    settings.ECHOWALL_API_WRITES_PER_IP = 10**6
    call_command("migrate", verbosity=0)
    call_command("setup_site", verbosity=0)


def use_tasks(backend):
    from django.test import override_settings

    # Through override_settings, whose signal makes django-tasks forget the backend it had.
    override_settings(TASKS={"default": {"BACKEND": backend}}).enable()


def make_desk(robot_port):
    from django.contrib.auth.models import Group, User

    from api.models import ApiClient
    from cases.models import Category, Kind, Unit

    unit = Unit.objects.create(name="后勤管理处", webhook_url=f"http://127.0.0.1:{robot_port}/robot")
    handler = User.objects.create_user("handler", email="handler@example.edu.cn")
    handler.groups.add(Group.objects.get(name="信息员"))
    unit.handlers.add(handler)
    editor = User.objects.create_user("editor", email="editor@example.edu.cn")
    editor.groups.add(Group.objects.get(name="编辑"))
    return {
        "kind": Kind.objects.get_or_create(slug="repair", defaults={"name": "报修"})[0],
        "category": Category.objects.get_or_create(name="后勤保障")[0],
        "unit": unit,
        "handler": handler,
        "editor": editor,
        "key": ApiClient.objects.create(name="bench").issue_key()[1],
    }


def web_post(client, desk, n):
    from captcha.models import CaptchaStore

    key = CaptchaStore.generate_key()  # the picture the form would show, and its answer
    data = {"kind": desk["kind"].pk, "category": desk["category"].pk, "title": f"网页报修 {n}", "captcha_0": key}
    data |= {"body": "三号楼热水器漏水，请尽快来修。", "contact_email": f"web{n}@example.edu.cn"}
    data["captcha_1"] = CaptchaStore.objects.get(hashkey=key).response
    response = client.post("/post/new/", data)
    assert response.status_code == 302, (response.status_code, response.content[:300])


def api_post(client, desk, n):
    data = {
        "kind": "repair",
        "category": desk["category"].pk,
        "title": f"接口报修 {n}",
        "body": "五号楼二层的水龙头一直在漏水，麻烦来修一下。",
    }
    data["contact_email"] = f"api{n}@example.edu.cn"
    response = client.post(
        "/api/v1/posts", data, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {desk['key']}"
    )
    assert response.status_code == 201, response.content


def reply(client, desk, post):
    response = client.post(
        f"/api/v1/staff/posts/{post.pk}/reply", {"body": "今天下午上门维修。"}, content_type="application/json"
    )
    assert response.status_code == 201, response.content


def timed(action, count):
    seconds = []
    for n in range(count):
        began = time.perf_counter()
        action(n)
        seconds.append(time.perf_counter() - began)
    seconds.sort()
    return seconds


def p(seconds, share):
    return seconds[min(len(seconds) - 1, int(share * len(seconds)))] * 1000


def round_of(desk, count, tag):
    """Times count web posts, API posts and replies (to posts routed first); returns {action: seconds}."""
    from django.test import Client

    from cases.models import Post

    anonymous, staff = Client(), Client()
    staff.force_login(desk["handler"])
    times = {
        "web post": timed(lambda n: web_post(anonymous, desk, f"{tag}-{n}"), count),
        "API post": timed(lambda n: api_post(anonymous, desk, f"{tag}-{n}"), count),
    }
    waiting = list(Post.objects.filter(title__contains=f" {tag}-", status=Post.Status.SUBMITTED))
    for post in waiting:
        post.accept(desk["editor"], desk["unit"])  # the editors' step: tells the unit (robot, e-mail)
    times["reply"] = timed(lambda n: reply(staff, desk, waiting[n]), count)
    return times


def inline_reply(desk):
    """One reply with the work done inside the request, the mail server hanging: its seconds."""
    from django.test import Client

    from cases.models import Post

    api_post(Client(), desk, "inline")
    post = Post.objects.get(title__endswith=" inline")
    post.accept(desk["editor"], desk["unit"])  # still stored for the worker
    staff = Client()
    staff.force_login(desk["handler"])
    use_tasks("django_tasks.backends.immediate.ImmediateBackend")
    seconds = timed(lambda n: reply(staff, desk, post), 1)[0]
    use_tasks("django_tasks_db.DatabaseBackend")
    return seconds


def run_worker():
    from django.core.management import call_command

    call_command("sla_tick", verbosity=0)
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=40, help="of each action, per round")
    args = parser.parse_args()
    smtp_port, robot_port = free_port(), free_port()
    with tempfile.TemporaryDirectory() as var_dir:
        setup(var_dir, smtp_port)
        from django.utils import timezone

        from notifications.models import Notification

        desk = make_desk(robot_port)
        use_tasks("django_tasks_db.DatabaseBackend")

        services = [serve(Smtp, smtp_port), serve(Robot, robot_port)]
        round_of(desk, 3, "warm-up")  # first requests load templates and the segmenter
        working = round_of(desk, args.requests, "working")
        run_worker()
        for server in services:
            server.shutdown()
            server.server_close()

        holes = [serve(BlackHole, smtp_port), serve(BlackHole, robot_port)]
        stuck = round_of(desk, args.requests, "blackhole")
        inline_seconds = inline_reply(desk)
        pending = Notification.objects.filter(status=Notification.Status.PENDING)
        waiting = {channel: pending.filter(channel=channel).count() for channel in ("email", "webhook")}

        BlackHole.stop.set()
        for server in holes:
            server.shutdown()
            server.server_close()
        Smtp.received.clear()
        Robot.received = 0
        services = [serve(Smtp, smtp_port), serve(Robot, robot_port)]
        # The services are back; the retries' time has come (back-off: 1 minute after a failure).
        pending.update(next_attempt_at=timezone.now())
        run_worker()
        run_worker()
        unsent = Notification.objects.exclude(status=Notification.Status.SENT).count()

    print(f"{args.requests} of each action per round; background work stored (ECHOWALL_TASKS=database)")
    print(f"{'action':10} {'working p50':>12} {'p95 ms':>8} {'black hole p50':>15} {'p95 ms':>8} {'p95 ratio':>10}")
    for action in working:
        ratio = p(stuck[action], 0.95) / p(working[action], 0.95)
        print(
            f"{action:10} {p(working[action], 0.5):12.1f} {p(working[action], 0.95):8.1f}"
            f" {p(stuck[action], 0.5):15.1f} {p(stuck[action], 0.95):8.1f} {ratio:10.2f}"
        )
    print(f"messages waiting while the services hung: {waiting['email']} e-mails, {waiting['webhook']} robot messages")
    print(
        f"after they came back: the mail server got {len(Smtp.received)} e-mails, the robot {Robot.received}"
        f" messages; notifications not sent: {unsent}"
    )
    print(f"for contrast, one reply with the work inside the request (immediate backend): {inline_seconds:.1f} s")
    once = len(Smtp.received) == waiting["email"] and Robot.received == waiting["webhook"] and unsent == 0
    sys.exit(0 if once else 1)


if __name__ == "__main__":
    main()

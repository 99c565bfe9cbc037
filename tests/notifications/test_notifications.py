"""Notifications: each event reaches the right people and no one else, by email and group robot;
a failed delivery never fails the action and is retried until it goes out or is given up; the daily
digest goes out once a day; staff messages never carry the poster's identity."""

import json
import threading
from datetime import date, datetime, timedelta
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from smtplib import SMTPServerDisconnected
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django.utils import timezone, translation

from cases.models import Post
from notifications import delivery, notify
from notifications.models import Notification
from tests.factories import make_accepted_post, make_editor, make_handler, make_post, make_unit, make_user

SHANGHAI = ZoneInfo("Asia/Shanghai")
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"
POSTER_EMAIL = "poster@example.com"


def at(*args):
    return datetime(*args, tzinfo=SHANGHAI)


class BrokenMailServer(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise SMTPServerDisconnected("mail server down")


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Runs what waits for the commit: the test's own transaction never commits."""
    return partial(django_capture_on_commit_callbacks, execute=True)


@pytest.fixture
def robot():
    """A WeCom / DingTalk-like group robot on 127.0.0.1 that records messages and answers as told."""
    state = SimpleNamespace(texts=[], status=200, answer={"errcode": 0, "errmsg": "ok"})

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            message = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            assert message["msgtype"] == "text"
            state.texts.append(message["text"]["content"])
            body = json.dumps(state.answer).encode()
            self.send_response(state.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    state.url = f"http://127.0.0.1:{server.server_port}/cgi-bin/webhook/send?key=test"
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def world(robot):
    unit = make_unit("后勤管理处", webhook_url=robot.url)
    other = make_unit("保卫处")
    supervisor = make_user(groups=["督查员"], email="supervisor@example.edu")
    unit.supervisors.add(supervisor)
    return SimpleNamespace(
        robot=robot,
        unit=unit,
        other=other,
        editor=make_editor(email="editor@example.edu"),
        handler=make_handler(unit, email="handler@example.edu"),
        other_handler=make_handler(other, email="other@example.edu"),
        supervisor=supervisor,
        global_supervisor=make_user(groups=["全局督办员"], email="global@example.edu"),
    )


@pytest.fixture
def post(world, on_commit):
    """A post accepted for world.unit, with the messages about it so far cleared away."""
    with on_commit():
        post = make_accepted_post(world.editor, world.unit, contact_email=POSTER_EMAIL)
    clear(world)
    return post


def clear(world):
    mail.outbox.clear()
    world.robot.texts.clear()


def addressees():
    return sorted(address for message in mail.outbox for address in message.to)


def test_it_tells_the_unit_of_a_new_post_by_email_and_robot(world, robot, on_commit):
    with on_commit():
        post = make_accepted_post(world.editor, world.unit, contact_email=POSTER_EMAIL)

    assert addressees() == ["handler@example.edu"]
    case_url = f"http://127.0.0.1:8000/admin/wall/posts/{post.pk}/"
    assert case_url in mail.outbox[0].body
    assert post.title in mail.outbox[0].subject
    assert len(robot.texts) == 1 and case_url in robot.texts[0]
    assert set(Notification.objects.values_list("status", flat=True)) == {Notification.Status.SENT}


def test_it_tells_only_the_poster_of_a_reply_even_a_private_one(world, robot, post, on_commit):
    with on_commit():
        post.reply(world.handler, "PRIVATE-REPLY-7Q", is_public=False)

    assert addressees() == [POSTER_EMAIL]
    assert "PRIVATE-REPLY-7Q" in mail.outbox[0].body
    assert f"http://127.0.0.1:8000/track/{post.tracking_token}/" in mail.outbox[0].body
    assert robot.texts == []


def test_it_writes_to_a_logged_in_poster_who_left_no_address(world, on_commit):
    poster = make_user(email="me@example.com")
    with on_commit():
        post = make_accepted_post(world.editor, world.unit, poster=poster)
        post.reply(world.handler, "每天 6:30 供应。", is_public=True)
        post.close(world.handler)

    assert [message.to for message in mail.outbox[1:]] == [["me@example.com"], ["me@example.com"]]
    assert f"/track/{post.tracking_token}/" in mail.outbox[2].body


def test_it_stores_nothing_for_a_poster_it_cannot_reach(world, on_commit):
    with on_commit():
        post = make_accepted_post(world.editor, world.unit)
        post.reply(world.handler, "每天 6:30 供应。", is_public=True)
        post.close(world.handler)

    assert not Notification.objects.filter(event__in=["replied", "closed"]).exists()


def test_it_reminds_the_units_handlers_of_an_overdue_reply(world, robot, post, on_commit):
    with on_commit():
        post.remind_reply()

    assert addressees() == ["handler@example.edu"]
    assert len(robot.texts) == 1


def test_it_reminds_the_editors_once_of_a_post_waiting_past_its_screening_deadline(world, on_commit):
    with on_commit():
        post = make_post()
        assert post.remind_screening()
        assert not post.remind_screening()
    assert addressees() == ["editor@example.edu"]


def test_key_supervision_tells_the_unit_its_date_and_instructions(world, robot, post, on_commit):
    with on_commit():
        post.set_key_supervision(world.global_supervisor, True, date(2025, 3, 14), "本周五前办结并书面反馈")

    assert addressees() == ["handler@example.edu"]
    assert "本周五前办结并书面反馈" in mail.outbox[0].body and "2025" in mail.outbox[0].body
    assert len(robot.texts) == 1


def test_a_supervisor_urges_the_units_handlers_in_their_own_words(world, robot, post, on_commit):
    with on_commit():
        post.urge(world.global_supervisor, "请今天内答复")

    assert addressees() == ["handler@example.edu"]
    assert "请今天内答复" in mail.outbox[0].body
    assert len(robot.texts) == 1


def test_it_escalates_to_the_units_supervisors_then_to_the_global_supervisors(world, robot, post, on_commit):
    with on_commit():
        post.escalate(Post.Escalation.SUPERVISORS)
    assert addressees() == ["supervisor@example.edu"]
    assert len(robot.texts) == 1

    clear(world)
    with on_commit():
        post.escalate(Post.Escalation.GLOBAL)
    assert addressees() == ["global@example.edu"]


def test_it_tells_the_global_supervisors_when_nobody_watches_the_unit(world, on_commit):
    with on_commit():
        post = make_accepted_post(world.editor, world.other)
    mail.outbox.clear()

    with on_commit():
        post.escalate(Post.Escalation.SUPERVISORS)

    assert addressees() == ["global@example.edu"]


def test_it_tells_the_receiving_unit_of_a_transfer(world, robot, post, on_commit):
    with on_commit():
        post.transfer(world.handler, world.other, "不归我们管")

    assert addressees() == ["other@example.edu"]
    assert world.unit.name in mail.outbox[0].body
    assert robot.texts == []  # the robot belongs to the unit that handed the post on


def test_it_tells_the_unit_of_a_rating_and_the_reopening_it_causes(world, robot, post, on_commit):
    with on_commit():
        post.reply(world.handler, "已修好。", is_public=True)
    clear(world)

    with on_commit():
        post.rate(attitude=2, speed=2, result=1)

    emails = Notification.objects.filter(channel="email", event__in=["rated", "reopened"]).order_by("pk")
    assert list(emails.values_list("event", "recipient")) == [
        ("rated", "handler@example.edu"),
        ("reopened", "handler@example.edu"),
    ]
    assert addressees() == ["handler@example.edu", "handler@example.edu"]
    assert len(robot.texts) == 2


def test_it_asks_the_poster_to_rate_once_the_post_is_closed(world, robot, post, on_commit):
    with on_commit():
        post.reply(world.handler, "已修好。", is_public=True)
    clear(world)

    with on_commit():
        post.close(world.handler)

    assert addressees() == [POSTER_EMAIL]
    assert f"/track/{post.tracking_token}/" in mail.outbox[0].body
    assert robot.texts == []


def test_it_tells_the_co_units_handlers_of_co_handling(world, robot, post, on_commit):
    with on_commit():
        post.add_co_units(world.handler, [world.other])

    assert addressees() == ["other@example.edu"]
    assert robot.texts == []  # the co-unit has no robot; the lead unit already knows


def test_it_refuses_an_unknown_event(post):
    with pytest.raises(ValueError, match="routd"):
        notify.post_event(post, "routd")


def test_it_writes_in_the_sites_language_whoever_triggers_it(world, on_commit):
    with translation.override("en"), on_commit():
        make_accepted_post(world.editor, world.unit)

    assert "剩余" in mail.outbox[0].body  # "… left" before the reply deadline, in Chinese


def test_it_keeps_the_action_and_the_message_when_the_mail_server_is_down(
    world, robot, on_commit, settings, time_machine
):
    time_machine.move_to(at(2025, 3, 3, 9), tick=False)
    settings.EMAIL_BACKEND = "tests.notifications.test_notifications.BrokenMailServer"

    with on_commit():
        post = make_accepted_post(world.editor, world.unit)

    assert Post.objects.get(pk=post.pk).status == Post.Status.ACCEPTED
    email = Notification.objects.get(channel="email")
    assert (email.status, email.attempts) == (Notification.Status.PENDING, 1)
    assert "mail server down" in email.last_error
    assert email.next_attempt_at == at(2025, 3, 3, 9, 1)
    assert delivery.retry_due() == 0  # not due yet

    settings.EMAIL_BACKEND = LOCMEM
    time_machine.shift(timedelta(minutes=1))
    assert delivery.retry_due() == 1

    email.refresh_from_db()
    assert (email.status, email.attempts) == (Notification.Status.SENT, 2)
    assert addressees() == ["handler@example.edu"]
    assert len(robot.texts) == 1  # the robot had it the first time and did not get it again


def test_it_backs_off_gives_up_after_six_attempts_and_lets_staff_retry(world, on_commit, settings, time_machine):
    time_machine.move_to(at(2025, 3, 3, 9), tick=False)
    settings.EMAIL_BACKEND = "tests.notifications.test_notifications.BrokenMailServer"
    with on_commit():
        make_accepted_post(world.editor, world.unit)
    email = Notification.objects.get(channel="email")

    for wait in delivery.BACKOFF:
        email.refresh_from_db()
        assert email.next_attempt_at == timezone.now() + wait
        time_machine.shift(wait)
        delivery.retry_due()

    email.refresh_from_db()
    assert (email.status, email.attempts) == (Notification.Status.FAILED, 6)
    time_machine.shift(timedelta(days=2))
    assert delivery.retry_due() == 0

    settings.EMAIL_BACKEND = LOCMEM
    with on_commit():
        assert delivery.retry(email)
    email.refresh_from_db()
    assert email.status == Notification.Status.SENT
    assert addressees() == ["handler@example.edu"]


def test_it_retries_a_robot_that_failed(world, robot, on_commit, time_machine):
    time_machine.move_to(at(2025, 3, 3, 9), tick=False)
    robot.status = 500

    with on_commit():
        make_accepted_post(world.editor, world.unit)

    webhook = Notification.objects.get(channel="webhook")
    assert webhook.status == Notification.Status.PENDING
    assert "HTTP 500" in webhook.last_error

    robot.status = 200
    time_machine.shift(timedelta(minutes=1))
    delivery.retry_due()

    webhook.refresh_from_db()
    assert webhook.status == Notification.Status.SENT
    assert len(robot.texts) == 2


def test_it_counts_a_robots_errcode_as_a_failure(world, robot, on_commit):
    robot.answer = {"errcode": 93000, "errmsg": "invalid webhook url"}

    with on_commit():
        make_accepted_post(world.editor, world.unit)

    webhook = Notification.objects.get(channel="webhook")
    assert webhook.status == Notification.Status.PENDING
    assert "errcode 93000" in webhook.last_error


def test_it_sends_a_message_once_when_the_tick_gets_there_before_the_task(
    world, robot, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as waiting:
        make_accepted_post(world.editor, world.unit)

    assert delivery.retry_due() == 2
    for callback in waiting:
        callback()

    assert addressees() == ["handler@example.edu"]
    assert len(robot.texts) == 1


def test_it_sends_each_unit_its_daily_digest_once_a_day(world, robot, on_commit, settings, time_machine):
    settings.LANGUAGE_CODE = "en"
    time_machine.move_to(at(2025, 3, 3, 7, 30), tick=False)  # a Monday, before the digest hour (8)
    with on_commit():
        post = make_accepted_post(world.editor, world.unit)
        post.add_co_units(world.handler, [world.other])
        make_handler(make_unit("图书馆"), email="idle@example.edu")
        assert notify.send_daily_digests() == 0
    clear(world)

    time_machine.move_to(at(2025, 3, 3, 8), tick=False)
    with on_commit():
        assert notify.send_daily_digests() == 3  # the lead unit's handler and robot, the co-unit's handler
        assert notify.send_daily_digests() == 0
    assert addressees() == ["handler@example.edu", "other@example.edu"]
    assert f"/admin/wall/posts/{post.pk}/" in mail.outbox[0].body
    assert "(deadline today)" not in mail.outbox[0].body
    assert len(robot.texts) == 1

    time_machine.move_to(at(2025, 3, 4, 8, 30), tick=False)  # the reply was due at 7:30
    with on_commit():
        assert notify.send_daily_digests() == 3
    assert "Reply: overdue by 1 hour (deadline today)" in mail.outbox[-1].body


def test_it_sends_no_digest_to_a_unit_with_nothing_open(world, on_commit, time_machine):
    time_machine.move_to(at(2025, 3, 3, 9), tick=False)
    with on_commit():
        post = make_accepted_post(world.editor, world.unit)
        post.reply(world.handler, "已修好。", is_public=True)
        post.close(world.handler)
    time_machine.move_to(at(2025, 3, 4, 9), tick=False)

    assert notify.send_daily_digests() == 0


def test_it_keeps_the_posters_identity_out_of_staff_messages(world, robot, on_commit, time_machine):
    time_machine.move_to(at(2025, 3, 3, 9), tick=False)
    poster = make_user(username="POSTER-USER-X1", first_name="POSTER-NAME-X2", email="poster-x3@example.com")
    markers = [
        "POSTER-USER-X1",
        "POSTER-NAME-X2",
        "poster-x3@example.com",
        "CONTACT-NAME-X4",
        "13912345678",
        "contact-x6@example.com",
        "PRIVATE-REPLY-X7",
        "RATING-COMMENT-X8",
        "FOLLOW-UP-X9",
        "TRANSFER-REASON-Y1",
        "REOPEN-REASON-Y2",
    ]
    with on_commit():
        post = make_post(
            poster=poster,
            contact_name="CONTACT-NAME-X4",
            contact_phone="13912345678",
            contact_email="contact-x6@example.com",
        )
        post.remind_screening()
        post.accept(world.editor, world.unit)
        post.remind_reply()
        post.reply(world.handler, "PRIVATE-REPLY-X7", is_public=False)
        post.rate(attitude=1, speed=1, result=1, comment="RATING-COMMENT-X8")  # reopens with the comment
        post.add_follow_up("FOLLOW-UP-X9")
        post.transfer(world.handler, world.other, "TRANSFER-REASON-Y1")
        post.add_co_units(world.other_handler, [world.unit])
        post.escalate(Post.Escalation.SUPERVISORS)
        post.escalate(Post.Escalation.GLOBAL)
        post.urge(world.global_supervisor, "请尽快处理")
        post.set_key_supervision(world.global_supervisor, True, instructions="本周内办结")
        post.instruct(make_user(groups=["校领导"], email="leader@example.edu"), "请尽快解决")
        post.answer_instruction(world.other_handler, "已安排")
        post.reply(world.other_handler, "已处理。", is_public=True)
        post.reply(
            world.other_handler, "暂无法解决。", is_public=True, cannot_solve=True, solve_by=timezone.localdate()
        )
        post.remind_hold()
        post.reopen("REOPEN-REASON-Y2")
        notify.send_daily_digests()

    staff = Notification.objects.exclude(recipient="contact-x6@example.com")
    # Followers are visitors, not staff (tests/test_follow.py); this post has none.
    assert set(staff.values_list("event", flat=True)) == set(notify.EVENT_LABELS) - notify.POSTER_EVENTS - {"followed"}
    staff_texts = [n.subject + n.body for n in staff] + robot.texts
    staff_texts += [m.subject + m.body for m in mail.outbox if m.to != ["contact-x6@example.com"]]
    for marker in markers:
        assert not [text for text in staff_texts if marker in text], marker
    poster_mail = [m.body for m in mail.outbox if m.to == ["contact-x6@example.com"]]
    assert any("PRIVATE-REPLY-X7" in body for body in poster_mail)


def test_it_lists_notifications_to_editors_and_no_one_else(world, post, client):
    url = reverse("wall_notifications:index")
    client.force_login(world.handler)
    assert client.get(url).status_code != 200

    client.force_login(world.editor)
    response = client.get(url, {"status": "sent"})
    assert response.status_code == 200
    assert "handler@example.edu" in response.content.decode()
    assert reverse("wall_notifications:add") not in response.content.decode()
    assert client.get(reverse("wall_notifications:add")).status_code != 200
    notification = Notification.objects.first()
    assert client.get(reverse("wall_notifications:edit", args=[notification.pk])).status_code != 200
    assert client.get(reverse("wall_notifications:inspect", args=[notification.pk])).status_code == 200


def test_it_lets_an_editor_retry_a_failed_notification(world, client, on_commit):
    failed = Notification.objects.create(
        event="routed",
        channel="email",
        recipient="handler@example.edu",
        subject="新诉求",
        body="…",
        status=Notification.Status.FAILED,
        attempts=6,
    )
    retry_url = reverse("wall_notifications:retry", args=[failed.pk])
    client.force_login(world.editor)
    assert retry_url in client.get(reverse("wall_notifications:index")).content.decode()

    client.force_login(world.handler)
    assert client.post(retry_url).status_code == 302  # Wagtail sends a refusal back to the dashboard
    assert client.get(retry_url).status_code == 405
    failed.refresh_from_db()
    assert failed.status == Notification.Status.FAILED

    client.force_login(world.editor)
    with on_commit():
        response = client.post(retry_url)
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == Notification.Status.SENT
    assert addressees() == ["handler@example.edu"]

    client.post(retry_url)  # already sent: nothing more goes out
    assert len(mail.outbox) == 1


def test_it_clips_a_long_digest_to_what_a_robot_accepts(world, robot, on_commit, time_machine):
    time_machine.move_to(at(2025, 3, 3, 9), tick=False)
    for n in range(40):
        make_accepted_post(world.editor, world.unit, title=f"三号楼宿舍热水供应时间问题第{n}号")

    with on_commit():
        notify.send_daily_digests()

    assert "第39号" in mail.outbox[0].body
    assert len(robot.texts) == 1
    assert len(robot.texts[0].encode()) <= 2048
    assert "/admin/wall/posts/unreplied/" in robot.texts[0]


def test_it_tells_the_poster_why_the_post_was_not_accepted(mailoutbox, on_commit):
    post = make_post(contact_email="poster@example.org")
    with on_commit():
        post.reject(make_editor(), "请拨打 12345 热线")
    assert [mail.to for mail in mailoutbox] == [["poster@example.org"]]
    assert "请拨打 12345 热线" in mailoutbox[0].body


def test_it_never_shows_staff_the_account_address_of_an_anonymous_poster(world, on_commit, client):
    # With a campus login (OIDC) the account's address names the person who chose to stay anonymous.
    poster = make_user(email="zhang.san@campus.example.edu")
    with on_commit():
        post = make_accepted_post(world.editor, world.unit, poster=poster, is_anonymous=True)
        post.reply(world.handler, "已安排维修。", is_public=True)
        post.close(world.handler)
        rejected = make_post(poster=poster, is_anonymous=True)
        rejected.reject(world.editor, "重复提交")

    # The poster still hears of each of them.
    assert addressees().count("zhang.san@campus.example.edu") == 3
    client.force_login(world.editor)
    pages = [client.get(reverse("wall_notifications:index"))]
    pages += [client.get(reverse("wall_notifications:inspect", args=[n.pk])) for n in Notification.objects.all()]
    for page in pages:
        assert page.status_code == 200
        assert "zhang.san" not in page.content.decode()
        # Nor the poster's secret: with it staff could rate or reopen the post as the poster.
        assert post.tracking_token not in page.content.decode()
        assert post.tracking_code not in page.content.decode()
    assert "匿名诉求人" in pages[0].content.decode()
    assert all("zhang.san" not in str(notification) for notification in Notification.objects.all())


def test_it_shows_editors_the_contact_address_an_anonymous_poster_left(world, on_commit, client):
    with on_commit():
        post = make_accepted_post(world.editor, world.unit, is_anonymous=True, contact_email=POSTER_EMAIL)
        post.reply(world.handler, "已安排维修。", is_public=True)

    client.force_login(world.editor)
    assert POSTER_EMAIL in client.get(reverse("wall_notifications:index")).content.decode()

"""The tick: overdue replies are reminded once, overdue posts escalate to supervisors and then to the
global supervisors exactly once, on the working-day clock."""

from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from wagtail.models import ModelLogEntry

from cases.escalation import tick
from cases.models import Post
from tests.factories import make_accepted_post, make_editor, make_handler, make_kind, make_post, make_unit, make_user

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(*args):
    return datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def unit():
    unit = make_unit("后勤管理处")
    unit.supervisors.add(make_user(groups=["督查员"]))
    return unit


def accepted_at(moment, unit):
    with time_machine.travel(moment, tick=False):
        return make_accepted_post(make_editor(), unit)


def tick_at(moment):
    with time_machine.travel(moment, tick=False):
        return tick()


def actions(post):
    return list(ModelLogEntry.objects.filter(object_id=str(post.pk)).order_by("pk").values_list("action", flat=True))


def test_it_reminds_an_overdue_reply_once_per_round(unit):
    post = accepted_at(at(2025, 11, 24, 9), unit)  # Monday
    assert tick_at(at(2025, 11, 25, 8))["reminded"] == 0  # 23 hours: not yet
    assert tick_at(at(2025, 11, 25, 10))["reminded"] == 1
    assert tick_at(at(2025, 11, 25, 11))["reminded"] == 0
    assert actions(post).count("wall.remind") == 1


def test_it_escalates_after_three_working_days_then_to_the_global_supervisors(unit):
    post = accepted_at(at(2025, 11, 21, 15), unit)  # Friday: due at the end of Wednesday 26th
    tick_at(at(2025, 11, 26, 23))
    assert Post.objects.get(pk=post.pk).escalation == Post.Escalation.NONE
    done = tick_at(at(2025, 11, 27, 0, 30))
    assert done["escalated to supervisors"] == 1
    assert tick_at(at(2025, 11, 27, 1))["escalated to supervisors"] == 0
    # Two further working days (Friday 28th, Monday 1st) before the global supervisors hear of it.
    tick_at(at(2025, 11, 29, 12))
    assert Post.objects.get(pk=post.pk).escalation == Post.Escalation.SUPERVISORS
    assert tick_at(at(2025, 12, 1, 9))["escalated to global supervisors"] == 1
    tick_at(at(2025, 12, 2, 9))
    assert actions(post).count("wall.escalate") == 2
    assert Post.objects.get(pk=post.pk).escalation == Post.Escalation.GLOBAL


def test_it_does_not_escalate_over_a_public_holiday(unit):
    post = accepted_at(at(2025, 9, 30, 10), unit)  # before the National Day week
    tick_at(at(2025, 10, 8, 12))
    assert Post.objects.get(pk=post.pk).escalation == Post.Escalation.NONE
    tick_at(at(2025, 10, 12, 1))  # after 9th, 10th and the adjusted Saturday 11th
    assert Post.objects.get(pk=post.pk).escalation == Post.Escalation.SUPERVISORS


def test_a_post_closed_in_time_never_escalates(unit):
    post = accepted_at(at(2025, 11, 24, 9), unit)
    handler = make_handler(unit)
    with time_machine.travel(at(2025, 11, 24, 15), tick=False):
        post.reply(handler, "已处理", is_public=True)
        post.close(handler)
    tick_at(at(2025, 12, 10, 9))
    assert Post.objects.get(pk=post.pk).escalation == Post.Escalation.NONE
    assert "wall.remind" not in actions(post)


def test_a_reopened_post_starts_its_clock_again(unit):
    post = accepted_at(at(2025, 11, 24, 9), unit)
    handler = make_handler(unit)
    with time_machine.travel(at(2025, 11, 24, 15), tick=False):
        post.reply(handler, "已处理", is_public=True)
    tick_at(at(2025, 11, 28, 9))  # Friday: resolution overdue → supervisors
    with time_machine.travel(at(2025, 11, 28, 10), tick=False):
        post.reopen("没修好")
    post.refresh_from_db()
    assert post.escalation == Post.Escalation.NONE
    assert post.resolution_due_at == at(2025, 12, 4, 0)  # Mon, Tue, Wed
    assert tick_at(at(2025, 11, 29, 12))["reminded"] == 1  # the new round's reply is late


def test_the_command_reports_what_it_did(unit):
    accepted_at(at(2025, 11, 21, 15), unit)
    out = StringIO()
    with time_machine.travel(at(2025, 11, 27, 9), tick=False):
        call_command("sla_tick", stdout=out)
    assert "escalated to supervisors: 1" in out.getvalue()


def test_a_unit_nobody_watches_escalates_straight_to_the_global_supervisors():
    unwatched = make_unit("档案馆")  # no supervisor
    post = accepted_at(at(2025, 11, 21, 15), unwatched)  # due at the end of Wednesday 26th
    done = tick_at(at(2025, 11, 27, 0, 30))
    assert (done["escalated to supervisors"], done["escalated to global supervisors"]) == (0, 1)
    assert Post.objects.get(pk=post.pk).escalation == Post.Escalation.GLOBAL
    assert "wall.escalate_unwatched" in actions(post)  # the trail says why it skipped a level


def test_editors_hear_once_of_a_post_waiting_past_its_kinds_screening_deadline():
    repairs = make_kind("报修", "repair")
    repairs.screening_hours = 2
    repairs.save()
    with time_machine.travel(at(2025, 11, 24, 9), tick=False):  # Monday
        repair, question = make_post(kind=repairs), make_post(kind=make_kind())  # rules' default: 8 hours
    assert tick_at(at(2025, 11, 24, 10, 30))["editors reminded of late screening"] == 0
    assert tick_at(at(2025, 11, 24, 11, 30))["editors reminded of late screening"] == 1
    assert tick_at(at(2025, 11, 24, 17, 30))["editors reminded of late screening"] == 1  # the question now
    assert tick_at(at(2025, 11, 24, 18))["editors reminded of late screening"] == 0
    assert actions(repair) == actions(question) == ["wall.remind_screening"]


def test_the_last_step_is_the_units_vice_president_where_one_is_set(unit, django_capture_on_commit_callbacks):
    vice_president = make_user(groups=["校领导"], email="vp@example.edu")
    unit.vice_president = vice_president
    unit.save()
    unwatched_by_a_leader = make_unit("保卫处")
    post, other = accepted_at(at(2025, 11, 21, 15), unit), accepted_at(at(2025, 11, 21, 15), unwatched_by_a_leader)
    tick_at(at(2025, 11, 27, 0, 30))
    tick_at(at(2025, 12, 1, 9))  # both at the global supervisors now (the second unit has no supervisor)
    assert tick_at(at(2025, 12, 3, 9))["escalated to vice-presidents"] == 0  # two working days: not yet
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        done = tick_at(at(2025, 12, 4, 9))  # three working days (2nd, 3rd, 4th) after
    assert done["escalated to vice-presidents"] == 1
    assert Post.objects.get(pk=post.pk).escalation == Post.Escalation.LEADER
    assert Post.objects.get(pk=other.pk).escalation == Post.Escalation.GLOBAL
    assert "wall.escalate_leader" in actions(post)
    assert [message.to for message in mail.outbox] == [["vp@example.edu"]]
    assert vice_president.inbox.filter(post=post, event="escalated").exists()

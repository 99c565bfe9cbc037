"""暂无法解决 (挂账): a reply that says the problem cannot be solved now, with the reason and a planned
date, answers the post but does not complete it; the unit sees it in a list, the ledgers and CSVs
carry it, and the unit is reminded on the planned date."""

import csv
import io
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cases.escalation import tick
from cases.models import Post, TransitionError
from stats import periods
from stats.figures import overall
from tests.factories import make_accepted_post, make_editor, make_handler, make_unit, make_user

SH = periods.LOCAL
MARCH = periods.period_of(periods.PeriodKind.MONTH, date(2026, 3, 1))
BUDGET = "需要明年预算，暑假施工"


def at(day, hour=10):
    return time_machine.travel(datetime(2026, 3, day, hour, tzinfo=SH), tick=False)


@pytest.fixture
def unit():
    return make_unit("后勤管理处")


@pytest.fixture
def handler(unit):
    return make_handler(unit, email="houqin@example.com")


def _held(unit, handler, solve_by, **kwargs):
    post = make_accepted_post(make_editor(), unit, **kwargs)
    post.reply(handler, BUDGET, is_public=True, cannot_solve=True, solve_by=solve_by)
    post.refresh_from_db()
    return post


def test_it_needs_a_planned_date_from_today_on(unit, handler):
    post = make_accepted_post(make_editor(), unit)
    yesterday = timezone.localdate() - timedelta(days=1)
    for solve_by in (None, yesterday):
        with pytest.raises(TransitionError):
            post.reply(handler, BUDGET, is_public=True, cannot_solve=True, solve_by=solve_by)
    assert not post.replies.exists() and Post.objects.get(pk=post.pk).status == Post.Status.ACCEPTED


def test_a_held_post_is_answered_and_closes_only_after_the_reply_that_solves_it(unit, handler):
    planned = timezone.localdate() + timedelta(days=60)
    post = _held(unit, handler, planned)
    assert (post.status, post.on_hold, post.solve_by) == (Post.Status.REPLIED, True, planned)
    assert post.first_replied_at is not None

    for closer in (handler, make_editor()):
        assert not post.can_close(closer)
        with pytest.raises(TransitionError, match="再次答复后才能办结"):
            post.close(closer)

    post.reply(handler, "暑假已更换新管道", is_public=True)
    post.refresh_from_db()
    assert (post.on_hold, post.solve_by) == (False, None)
    post.close(handler)
    assert Post.objects.get(pk=post.pk).status == Post.Status.CLOSED


def test_a_reopen_or_a_co_units_reply_does_not_leave_the_post_on_hold(unit, handler):
    post = _held(unit, handler, timezone.localdate() + timedelta(days=30))
    post.rate(2, 2, 1, "等不到明年")
    post.refresh_from_db()
    assert post.status == Post.Status.REOPENED and not post.on_hold

    co_unit = make_unit("保卫处")
    other = make_accepted_post(make_editor(), unit)
    other.add_co_units(handler, [co_unit])
    other.reply(make_handler(co_unit), "我处暂无法解决", is_public=False, cannot_solve=True, solve_by=date(2099, 1, 1))
    other.refresh_from_db()
    assert other.status == Post.Status.ACCEPTED and not other.on_hold


def test_it_counts_a_held_post_as_answered_but_not_completed(unit, handler):
    with at(2):
        held = make_accepted_post(make_editor(), unit)
        solved = make_accepted_post(make_editor(), unit)
    with at(2, 12):
        held.reply(handler, BUDGET, is_public=True, cannot_solve=True, solve_by=date(2026, 7, 1))
        solved.reply(handler, "已修好", is_public=True)
        solved.close(handler)
    with at(31):
        figures = overall(MARCH)
    assert figures.received == 2
    assert figures.response_rate == 1  # both answered within 24 hours
    assert figures.completion_rate == 1 / 2  # the held one is not done


def test_the_unit_is_reminded_once_on_the_planned_date(unit, handler, django_capture_on_commit_callbacks):
    with at(2):
        post = _held(unit, handler, date(2026, 3, 20))

    def reminders():
        return [message for message in mail.outbox if "计划解决日期已到" in message.subject]

    with at(19, 23), django_capture_on_commit_callbacks(execute=True):
        tick()
    assert reminders() == []
    with at(20, 0), django_capture_on_commit_callbacks(execute=True):
        tick()
        tick()
    assert [message.to for message in reminders()] == [["houqin@example.com"]]
    assert post.title in reminders()[0].subject and "2026年3月20日" in reminders()[0].body


def test_the_staff_reply_form_asks_for_the_planned_date(client, unit, handler):
    post = make_accepted_post(make_editor(), unit)
    client.force_login(handler)
    url = reverse("cases_admin:reply", args=[post.pk])

    client.post(url, {"reply-body": BUDGET, "reply-cannot_solve": "on"})
    assert not post.replies.exists()

    client.post(url, {"reply-body": BUDGET, "reply-cannot_solve": "on", "reply-solve_by": "2099-09-01"})
    assert Post.objects.get(pk=post.pk).solve_by == date(2099, 9, 1)
    case_file = client.get(reverse("cases_admin:post", args=[post.pk])).content.decode()
    assert "data-on-hold" in case_file and "data-solve-by" in case_file


def test_the_unit_lists_its_held_posts_with_reason_and_date(client, unit, handler):
    held = _held(unit, handler, date(2099, 9, 1), title="食堂排风扇噪音")
    other = make_unit()
    _held(other, make_handler(other), date(2099, 9, 1), title="别的单位的挂账")  # not theirs
    make_accepted_post(make_editor(), unit, title="还没答复的诉求")
    client.force_login(handler)

    content = client.get(reverse("cases_admin:on_hold")).content.decode()

    assert held.title in content and BUDGET in content and "2099" in content
    assert "别的单位的挂账" not in content and "还没答复的诉求" not in content


def test_the_ledger_and_its_csv_carry_the_mark_the_date_and_the_reason(client, unit, handler):
    with at(2):
        _held(unit, handler, date(2026, 6, 30), title="食堂排风扇噪音")
        make_accepted_post(make_editor(), unit, title="还没答复的诉求")
    client.force_login(make_user(groups=["校领导"]))
    month = "?kind=month&day=2026-03-10"
    with at(20):
        page = client.get(reverse("stats_admin:ledger", args=["on-hold"]) + month).content.decode()
        response = client.get(reverse("stats_admin:ledger_csv", args=["unfinished"]) + month)
    assert "食堂排风扇噪音" in page and "还没答复的诉求" not in page
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    hold = [rows[1].index("暂无法解决：计划解决日期"), rows[1].index("暂无法解决的原因")]
    held = next(row for row in rows if row[1] == "食堂排风扇噪音")
    waiting = next(row for row in rows if row[1] == "还没答复的诉求")
    assert [held[column] for column in hold] == ["2026-06-30", BUDGET]
    assert [waiting[column] for column in hold] == ["", ""]


def test_the_poster_sees_the_mark_and_the_planned_date(client, unit, handler):
    post = _held(unit, handler, date(2099, 9, 1))

    content = client.get(reverse("wall:track", args=[post.tracking_token])).content.decode()

    assert "data-cannot-solve" in content and "2099-09-01" in content

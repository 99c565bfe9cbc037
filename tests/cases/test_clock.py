"""The working-day clock: weekends, public holidays, adjusted working days (调休) and admins' corrections."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine
from django.utils import translation

from cases import clock
from cases.models import CalendarDay, HandlingSettings
from tests.factories import make_kind

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(*args):
    return datetime(*args, tzinfo=SHANGHAI)


def test_it_counts_three_working_days_across_a_weekend():
    # Friday 2025-11-21 15:00 → Mon, Tue, Wed → due at the end of Wednesday.
    assert clock.add_workdays(at(2025, 11, 21, 15), 3) == at(2025, 11, 27, 0)


def test_it_skips_the_national_day_holiday():
    # 2025-09-30 (Tue); 1–8 October are holidays; Thu 9 and Fri 10 are working days, 11 Sat is 调休 work.
    assert clock.add_workdays(at(2025, 9, 30, 10), 3) == at(2025, 10, 12, 0)


def test_it_counts_an_adjusted_saturday_as_a_working_day():
    assert clock.is_workday(date(2025, 9, 28))  # Sunday, worked for National Day
    assert not clock.is_workday(date(2025, 10, 6))  # Monday, holiday


def test_admins_correct_the_calendar():
    CalendarDay.objects.create(date=date(2025, 11, 24), is_workday=False, note="校庆")
    assert not clock.is_workday(date(2025, 11, 24))
    assert clock.add_workdays(at(2025, 11, 21, 15), 3) == at(2025, 11, 28, 0)


def test_a_year_the_library_does_not_know_uses_weekdays_and_admins_days():
    assert clock.is_workday(date(2031, 3, 3))  # a Monday
    assert not clock.is_workday(date(2031, 3, 1))  # a Saturday
    CalendarDay.objects.create(date=date(2031, 3, 1), is_workday=True, note="调休")
    assert clock.is_workday(date(2031, 3, 1))


def test_it_counts_working_days_between_two_times():
    assert clock.workdays_between(at(2025, 11, 21, 9), at(2025, 11, 25, 9)) == 2  # Mon, Tue
    assert clock.workdays_between(at(2025, 11, 25, 9), at(2025, 11, 21, 9)) == 0


def test_deadlines_follow_the_rules_and_the_kind():
    rules = HandlingSettings.load()
    rules.reply_hours, rules.resolve_workdays = 12, 5
    rules.save()
    start = at(2025, 11, 21, 15)
    assert clock.reply_due(make_kind(), start) == at(2025, 11, 22, 3)
    repair = make_kind("报修", "repair")
    repair.reply_hours, repair.resolve_workdays = 4, 1
    repair.save()
    assert clock.reply_due(repair, start) == at(2025, 11, 21, 19)
    assert clock.resolution_due(repair, start) == at(2025, 11, 25, 0)


def test_it_describes_time_left_and_overdue_in_chinese():
    with translation.override("zh-hans"), time_machine.travel(at(2025, 11, 26, 10), tick=False):
        assert clock.describe_due(at(2025, 11, 26, 13)) == "剩余 3 小时"
        assert clock.describe_due(at(2025, 11, 26, 9, 30)) == "已逾期 30 分钟"
        # Due at the end of Friday 21st; now Wednesday 26th: Mon, Tue, Wed have passed.
        assert clock.describe_due(at(2025, 11, 22, 0)) == "已逾期 3 个工作日"

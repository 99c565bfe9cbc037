"""Periods in Shanghai local days, the trend over their sub-intervals, and the cache of finished ones."""

from datetime import date, datetime

import time_machine

from stats import figures, periods
from tests.factories import make_accepted_post, make_category, make_editor, make_handler, make_unit

SH = periods.LOCAL
K = periods.PeriodKind


def test_it_finds_the_period_holding_a_day():
    day = date(2026, 8, 19)  # a Wednesday
    assert periods.period_of(K.DAY, day).label() == "2026-08-19"
    assert periods.period_of(K.WEEK, day).label() == "2026-08-17 – 2026-08-23"
    assert periods.period_of(K.MONTH, day).label() == "2026-08-01 – 2026-08-31"
    assert periods.period_of(K.QUARTER, day).label() == "2026-07-01 – 2026-09-30"
    assert periods.period_of(K.HALF, day).label() == "2026-07-01 – 2026-12-31"
    assert periods.period_of(K.YEAR, day).label() == "2026-01-01 – 2026-12-31"
    assert periods.custom_period(date(2026, 2, 3), date(2026, 1, 5)).label() == "2026-01-05 – 2026-02-03"


def test_it_starts_and_ends_periods_at_midnight_in_shanghai():
    month = periods.period_of(K.MONTH, date(2026, 2, 10))
    assert month.start == datetime(2026, 2, 1, tzinfo=SH)
    assert month.end == datetime(2026, 3, 1, tzinfo=SH)
    assert month.start.utcoffset().total_seconds() == 8 * 3600


def test_it_draws_months_by_day_and_years_by_month():
    assert len(periods.period_of(K.MONTH, date(2026, 2, 10)).steps()) == 28
    assert [day.month for day, _unit in periods.period_of(K.YEAR, date(2026, 2, 10)).steps()] == list(range(1, 13))
    assert len(periods.custom_period(date(2026, 1, 1), date(2026, 1, 31)).steps()) == 31
    assert len(periods.custom_period(date(2025, 11, 15), date(2026, 2, 3)).steps()) == 4  # Nov, Dec, Jan, Feb


def test_it_puts_each_post_in_its_local_day_of_the_trend():
    unit, editor = make_unit(), make_editor()
    with time_machine.travel(datetime(2026, 3, 1, 23, 59, tzinfo=SH), tick=False):
        make_accepted_post(editor, unit)
    with time_machine.travel(datetime(2026, 3, 2, 0, 0, tzinfo=SH), tick=False):
        make_accepted_post(editor, unit)
        make_accepted_post(editor, unit, category=make_category("教学管理"))
    week = periods.period_of(K.WEEK, date(2026, 3, 2))  # Monday 2 March – Sunday 8 March
    month = periods.period_of(K.MONTH, date(2026, 3, 2))
    with time_machine.travel(datetime(2026, 3, 9, tzinfo=SH), tick=False):
        points = dict(figures.trend(month))
        assert [points[date(2026, 3, day)].received for day in (1, 2, 3)] == [1, 2, 0]
        assert [figures.received for _day, figures in figures.trend(week)] == [2, 0, 0, 0, 0, 0, 0]
        categories, counts = figures.by_category(month)
    assert sorted(name for _pk, name in categories) == ["后勤保障", "教学管理"]
    by_day = dict(counts)
    assert sum(by_day[date(2026, 3, 2)].values()) == 2 and len(by_day[date(2026, 3, 2)]) == 2


def test_it_caches_a_finished_period_for_an_hour_but_not_the_running_one():
    unit, editor = make_unit(), make_editor()
    handler = make_handler(unit)
    march = periods.period_of(K.MONTH, date(2026, 3, 1))
    with time_machine.travel(datetime(2026, 3, 10, tzinfo=SH), tick=False):
        make_accepted_post(editor, unit)
        assert figures.overall(march).received == 1
        late = make_accepted_post(editor, unit)
        assert figures.overall(march).received == 2  # the month is still running: never cached
    with time_machine.travel(datetime(2026, 4, 2, 9, 0, tzinfo=SH), tick=False):
        assert figures.overall(march).answered == 0
        late.reply(handler, "迟到的答复", is_public=True)  # a late event in a finished period
        assert figures.overall(march).answered == 0  # served from the cache
    with time_machine.travel(datetime(2026, 4, 2, 10, 1, tzinfo=SH), tick=False):
        assert figures.overall(march).answered == 1  # the hour is up

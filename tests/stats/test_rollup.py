"""The daily figures (the rollup the rankings are summed from) always equal a count from the posts."""

from dataclasses import asdict
from datetime import date, datetime, timedelta

import pytest
import time_machine

from cases.escalation import tick
from cases.models import Post
from stats import periods, rollup
from stats.figures import by_category, by_unit, overall, trend
from stats.models import DailyFigures, StaleDay
from tests.factories import make_accepted_post, make_editor, make_handler, make_unit

SH = periods.LOCAL
MARCH = periods.period_of(periods.PeriodKind.MONTH, date(2026, 3, 1))


def at(day, hour=10, minute=0):
    return time_machine.travel(datetime(2026, 3, day, hour, minute, tzinfo=SH), tick=False)


def figures():
    """Everything the ranking shows for March, as plain values."""
    return (
        asdict(overall(MARCH)),
        [asdict(row) for row in by_unit(MARCH)],
        [(day, asdict(point)) for day, point in trend(MARCH)],
        by_category(MARCH),
    )


def counted_from_scratch():
    DailyFigures.objects.all().delete()
    rollup.mark_all_stale()
    return figures()


def test_every_change_to_a_post_shows_in_the_next_figures():
    first, second = make_unit("后勤管理处"), make_unit("保卫处")
    editor, handler, other = make_editor(), make_handler(first), make_handler(second)
    with at(2, 23, 30):  # late in the evening: the Beijing-time day, not the UTC one
        moved = make_accepted_post(editor, first)
        shared = make_accepted_post(editor, first)
        rated = make_accepted_post(editor, first)
        gone = make_accepted_post(editor, second)
    with at(3):
        seen = figures()
        moved.transfer(handler, second, "其实是保卫处的事")  # a transfer out counts on the day it is made
        shared.add_co_units(handler, [second])
        rated.reply(handler, "已处理", is_public=True)
    with at(4):
        assert figures() != seen
        assert figures() == counted_from_scratch()
        moved.reply(other, "已处理", is_public=True)
        rated.rate(1, 1, 1)  # unsatisfied: reopens the post
        shared.co_units.clear()
        gone.delete()
        after = figures()
        assert after == counted_from_scratch()
    overall = after[0]
    assert (overall["received"], overall["answered"], overall["reopened"], overall["transfers"]) == (3, 2, 1, 1)
    assert (overall["rated"], overall["satisfied"]) == (1, 0)


def test_posts_written_past_the_models_are_counted_once_every_day_is_marked_stale():
    unit, editor = make_unit(), make_editor()
    with at(10):
        post = make_accepted_post(editor, unit)
        assert overall(MARCH).received == 1
        Post.objects.filter(pk=post.pk).update(accepted_at=datetime(2026, 3, 5, 9, tzinfo=SH))  # a bulk load
        assert [day for day, point in trend(MARCH) if point.received] == [date(2026, 3, 10)]
        rollup.mark_all_stale()
        assert [day for day, point in trend(MARCH) if point.received] == [date(2026, 3, 5)]
        assert not StaleDay.objects.filter(day__range=(MARCH.first, MARCH.last)).exists()


@pytest.mark.parametrize(
    "wait, shown",
    [
        (timedelta(hours=2, minutes=1), timedelta(hours=2.1)),  # below 10 hours: to 0.1 hours
        (timedelta(hours=12, minutes=1), timedelta(hours=13)),  # below 100 hours: to whole hours
        (timedelta(hours=150), timedelta(hours=150)),  # on a step: as it is
    ],
)
def test_the_90th_percentile_is_rounded_up_to_two_significant_figures(wait, shown):
    unit, editor = make_unit(), make_editor()
    handler = make_handler(unit)
    with at(2):
        post = make_accepted_post(editor, unit)
    with time_machine.travel(datetime(2026, 3, 2, 10, tzinfo=SH) + wait, tick=False):
        post.reply(handler, "已处理", is_public=True)
    with at(31):
        figures = overall(MARCH)
    assert figures.avg_wait == wait  # the average stays exact
    assert figures.p90_wait == shown  # nine in ten answered within it


def test_a_recount_cut_short_keeps_the_months_it_finished(monkeypatch):
    """After an upgrade every day is stale: a recount stopped halfway (a killed worker) is not lost."""
    unit, editor = make_unit(), make_editor()
    with at(10):
        make_accepted_post(editor, unit)
        april = datetime(2026, 4, 2, 9, tzinfo=SH)
        Post.objects.filter(pk=make_accepted_post(editor, unit).pk).update(accepted_at=april)
    with time_machine.travel(datetime(2026, 4, 3, 10, tzinfo=SH), tick=False):
        rollup.mark_all_stale()
        recount = rollup.recount

        def cut_short_in_april(first, last):
            if first.month == 4:
                raise KeyboardInterrupt
            recount(first, last)

        monkeypatch.setattr(rollup, "recount", cut_short_in_april)
        with pytest.raises(KeyboardInterrupt):
            rollup.refresh()
        assert {day.month for day in StaleDay.objects.values_list("day", flat=True)} == {4}
        assert DailyFigures.objects.get(day=date(2026, 3, 10), unit=None).received == 1

        monkeypatch.setattr(rollup, "recount", recount)
        assert rollup.refresh() == 3  # April 1 to 3
        assert overall(periods.period_of(periods.PeriodKind.MONTH, date(2026, 4, 1))).received == 1


def test_the_tick_recounts_the_days_that_changed():
    unit, editor = make_unit(), make_editor()
    with at(10):
        make_accepted_post(editor, unit)
        assert StaleDay.objects.filter(day=date(2026, 3, 10)).exists()
        assert tick()["statistics days recounted"] == 1
        assert not StaleDay.objects.exists()
        assert DailyFigures.objects.get(day=date(2026, 3, 10), unit=None).received == 1

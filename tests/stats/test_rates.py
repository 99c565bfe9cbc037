"""三率 on hand-made fixtures: every expected number is worked out in the comment next to it."""

from datetime import date, datetime, timedelta

import time_machine

from cases.models import Post
from stats import periods
from stats.figures import by_category, by_unit, from_posting, overall, participation
from stats.models import StatisticsSettings
from tests.factories import make_accepted_post, make_category, make_editor, make_handler, make_post, make_unit

SH = periods.LOCAL
MONTH = periods.period_of(periods.PeriodKind.MONTH, date(2026, 3, 1))  # March 2026, no holidays to mind


def at(day, hour=10, minute=0):
    return time_machine.travel(datetime(2026, 3, day, hour, minute, tzinfo=SH), tick=False)


def unit_row(rows, unit):
    return next(row for row in rows if row.unit_id == unit.pk)


def test_it_has_no_rates_without_posts():
    make_unit()
    with at(31):
        figures = overall(MONTH)
        rows = by_unit(MONTH)
    assert figures.received == 0
    assert figures.response_rate is None and figures.completion_rate is None
    assert figures.satisfaction_rate is None and figures.avg_wait is None and figures.p90_wait is None
    assert [row.received for row in rows] == [0]
    assert participation(rows) == (0, 0)


def test_it_computes_the_three_rates_of_one_unit():
    unit = make_unit()
    editor, handler = make_editor(), make_handler(unit)
    with at(2):
        on_time = make_accepted_post(editor, unit)
        late = make_accepted_post(editor, unit)
        never = make_accepted_post(editor, unit)
    with at(2, 12):
        on_time.reply(handler, "已处理", is_public=True)  # 2 hours
    with at(4):
        late.reply(handler, "迟到的答复", is_public=True)  # 48 hours, past the 24-hour deadline
        on_time.close(handler)
    with at(30):
        on_time.rate(5, 4, 4)  # satisfied at the default threshold of 4
        late.rate(3, 2, 3)  # not satisfied, not low enough to reopen (≤ 2)
        figures = overall(MONTH)
        (row,) = by_unit(MONTH)
    assert never.first_replied_at is None
    for result in (figures, row):
        assert result.received == 3
        assert result.response_rate == 1 / 3  # only on_time answered in time; never is late by now
        assert result.completion_rate == 1 / 3 and result.on_time_completion_rate == 1 / 3
        assert (result.rated, result.satisfaction_rate) == (2, 0.5)
        assert (result.avg_attitude, result.avg_speed, result.avg_result) == (4, 3, 3.5)
        assert result.avg_wait == timedelta(hours=25)  # (2 h + 48 h) / 2
        assert result.p90_wait == timedelta(hours=48)  # nearest rank: the 2nd of 2
        assert result.reopen_rate == 0


def test_it_uses_the_configured_satisfaction_threshold():
    unit = make_unit()
    editor, handler = make_editor(), make_handler(unit)
    with at(2):
        post = make_accepted_post(editor, unit)
        post.reply(handler, "已处理", is_public=True)
        post.rate(5, 5, 3)
    settings = StatisticsSettings.load()
    with at(10):
        assert overall(MONTH).satisfaction_rate == 0
        settings.satisfied_at_or_above = 3
        settings.save()
        assert overall(MONTH).satisfaction_rate == 1


def test_it_leaves_out_posts_whose_reply_is_not_due_yet():
    unit = make_unit()
    editor = make_editor()
    with at(31, 20):
        make_accepted_post(editor, unit)  # due tomorrow evening
        figures = overall(MONTH)
    assert (figures.received, figures.pending, figures.response_rate) == (1, 1, None)


def test_it_counts_a_reopened_post_once_and_its_both_ratings():
    unit = make_unit()
    editor, handler = make_editor(), make_handler(unit)
    with at(2):
        post = make_accepted_post(editor, unit)
        post.reply(handler, "已处理", is_public=True)
        post.rate(2, 2, 1)  # result ≤ 2 reopens the post
    with at(3):
        post.reply(handler, "重新处理了", is_public=True)
        post.rate(5, 5, 5)
        post.close(handler)
        figures = overall(MONTH)
    assert (figures.received, figures.reopened, figures.reopen_rate) == (1, 1, 1)
    assert (figures.rated, figures.satisfied) == (2, 1)
    assert figures.completion_rate == 1


def test_it_counts_co_handled_posts_for_every_unit_but_once_overall():
    lead, co, other = make_unit("后勤管理处"), make_unit("保卫处"), make_unit("图书馆")
    editor, handler = make_editor(), make_handler(lead)
    with at(2):
        post = make_accepted_post(editor, lead)
        post.add_co_units(handler, [co])
        post.reply(handler, "已处理", is_public=True)
        post.rate(5, 5, 5)
        make_accepted_post(editor, lead)
    with at(10):
        rows = by_unit(MONTH)
        figures = overall(MONTH)
    assert (unit_row(rows, lead).received, unit_row(rows, co).received, unit_row(rows, other).received) == (2, 1, 0)
    assert unit_row(rows, co).response_rate == 1 and unit_row(rows, co).satisfaction_rate == 1
    assert unit_row(rows, lead).response_rate == 0.5
    assert unit_row(rows, co).p90_wait == timedelta(0)
    assert figures.received == 2  # not 3: the school counts each post once
    assert participation(rows) == (2, 2)  # lead and co each answered (the reply counts for both)


def test_a_co_units_reply_is_its_contribution_not_the_lead_units_response():
    lead, co = make_unit("后勤管理处"), make_unit("保卫处")
    editor, lead_handler, co_handler = make_editor(), make_handler(lead), make_handler(co)
    with at(2):  # reply due on the 3rd at 10:00
        post = make_accepted_post(editor, lead)
        post.add_co_units(lead_handler, [co])
    with at(2, 12):
        post.reply(co_handler, "保卫处已安排夜间巡逻", is_public=False)
    post.refresh_from_db()
    assert (post.status, post.first_replied_at) == (Post.Status.ACCEPTED, None)
    assert post in Post.objects.handled_by(lead_handler).awaiting_reply()  # still the lead's to answer
    with at(4):  # a day late
        post.reply(lead_handler, "已更换路灯", is_public=True)
    with at(10):
        rows = by_unit(MONTH)
        figures = overall(MONTH)
    # The post's first response is the lead unit's, late: 0 of 1 on time, for the school and both units.
    assert (figures.answered, figures.answered_on_time, figures.response_rate) == (1, 0, 0)
    assert unit_row(rows, lead).response_rate == 0 and unit_row(rows, co).response_rate == 0
    assert unit_row(rows, lead).avg_wait == timedelta(days=2)


def test_it_counts_a_transferred_post_for_the_unit_that_answered_it():
    first, second = make_unit("教务处"), make_unit("研究生院")
    editor, first_handler, second_handler = make_editor(), make_handler(first), make_handler(second)
    with at(2):
        post = make_accepted_post(editor, first)
        post.transfer(first_handler, second, "研究生的事")
    with at(2, 14):
        post.reply(second_handler, "已处理", is_public=True)
        post.rate(4, 4, 4)
    with at(10):
        rows = by_unit(MONTH)
        figures = overall(MONTH)
    assert (unit_row(rows, first).received, unit_row(rows, first).transfers) == (0, 1)
    assert (unit_row(rows, second).received, unit_row(rows, second).transfers) == (1, 0)
    assert unit_row(rows, second).satisfaction_rate == 1 and unit_row(rows, first).rated == 0
    assert unit_row(rows, second).avg_wait == timedelta(hours=4)  # from acceptance, not from the transfer
    assert (figures.received, figures.transfers) == (1, 1)


def test_it_keeps_an_answered_post_with_the_unit_that_answered_when_it_moves_later():
    first, second = make_unit("后勤管理处"), make_unit("保卫处")
    editor, handler = make_editor(), make_handler(first)
    with at(2):
        post = make_accepted_post(editor, first)
        post.reply(handler, "已处理", is_public=True)
        post.rate(1, 1, 1)  # reopened to the same unit
    with at(3):
        post.transfer(handler, second, "其实是保卫处的事")
    with at(10):
        rows = by_unit(MONTH)
    assert (unit_row(rows, first).received, unit_row(rows, first).answered_on_time) == (1, 1)
    assert (unit_row(rows, first).transfers, unit_row(rows, second).received) == (1, 0)


def test_it_splits_periods_at_midnight_in_shanghai():
    unit = make_unit()
    editor = make_editor()
    with at(31, 23, 59):
        make_accepted_post(editor, unit)  # 15:59 UTC: still March in Shanghai
    with time_machine.travel(datetime(2026, 4, 1, 0, 0, tzinfo=SH), tick=False):
        make_accepted_post(editor, unit)  # 16:00 UTC on 31 March: April in Shanghai
        april = periods.period_of(periods.PeriodKind.MONTH, date(2026, 4, 1))
        assert overall(MONTH).received == 1
        assert overall(april).received == 1
        day = periods.period_of(periods.PeriodKind.DAY, date(2026, 3, 31))
        assert overall(day).received == 1


def test_it_needs_as_many_queries_for_many_posts_as_for_one():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    unit = make_unit()
    editor, handler = make_editor(), make_handler(unit)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            by_unit(MONTH)
        return len(captured)

    with at(2):
        make_accepted_post(editor, unit).reply(handler, "已处理", is_public=True)
        queries()  # the first call also creates the statistics rules
        make_accepted_post(editor, unit).reply(handler, "已处理", is_public=True)
        one = queries()  # the day changed: it is recounted from its posts, then read
        for _ in range(5):
            make_accepted_post(editor, unit).reply(handler, "已处理", is_public=True)
        assert queries() == one
        assert queries() < one  # unchanged since: read from the daily figures without a recount


def test_it_finds_the_90th_percentile_wait_by_nearest_rank_for_lead_and_co_units():
    lead, co = make_unit("后勤管理处"), make_unit("保卫处")
    editor, handler = make_editor(), make_handler(lead)
    for hours in range(1, 12):  # waits of 1 … 11 hours
        with at(2):
            post = make_accepted_post(editor, lead)
            if hours > 8:
                post.add_co_units(handler, [co])  # co-handles the 9, 10 and 11 hour ones
        with at(2, 10 + hours):
            post.reply(handler, "已处理", is_public=True)
    with at(10):
        rows = by_unit(MONTH)
        figures = overall(MONTH)
    assert unit_row(rows, lead).p90_wait == timedelta(hours=10)  # rank ceil(0.9 × 11) = 10
    assert unit_row(rows, co).p90_wait == timedelta(hours=11)  # rank ceil(0.9 × 3) = 3
    assert figures.p90_wait == timedelta(hours=10)


def test_a_routing_correction_moves_the_post_in_the_figures_and_counts_no_transfer():
    wrong_unit, right_unit = make_unit("后勤管理处"), make_unit("信息化建设与管理处")
    editor = make_editor()
    with at(2):
        post = make_accepted_post(editor, wrong_unit)  # category 后勤保障
    with at(2, 11):
        post.correct_routing(editor, post.kind, make_category("网络"), right_unit)
    with at(10):
        categories, points = by_category(MONTH)
        rows = by_unit(MONTH)
    names = dict(categories)
    counted = {names[category]: n for _day, counts in points for category, n in counts.items()}
    assert counted == {"网络": 1}
    assert (unit_row(rows, wrong_unit).received, unit_row(rows, right_unit).received) == (0, 1)
    assert unit_row(rows, wrong_unit).transfers == 0


def test_it_averages_the_time_from_posting_to_acceptance_and_to_the_first_reply():
    editor, unit = make_editor(), make_unit()
    handler = make_handler(unit)
    with at(2, 9):
        answered, waiting = make_post(title="已答复"), make_post(title="未答复")
    with at(2, 11):
        answered.accept(editor, unit)  # 2 hours after posting
    with at(2, 14):
        waiting.accept(editor, unit)  # 5 hours
    with at(2, 15):
        answered.reply(handler, "已处理。", is_public=True)  # 6 hours after posting
    with at(10):
        screening, first_reply = from_posting(MONTH)
    assert (screening, first_reply) == (timedelta(hours=3.5), timedelta(hours=6))

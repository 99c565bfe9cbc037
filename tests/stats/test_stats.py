"""This month's headline figures on the home page."""

from datetime import timedelta

import time_machine
from django.utils import timezone

from stats.figures import figures_since
from stats.periods import month_start
from tests.factories import make_accepted_post, make_editor, make_handler, make_replied_post, make_unit


def test_it_counts_on_time_and_late_replies_and_leaves_out_what_is_not_due_yet():
    unit = make_unit()
    editor, handler = make_editor(), make_handler(unit)
    start = month_start()
    with time_machine.travel(start + timedelta(days=1), tick=False):
        make_replied_post(editor, handler, unit)  # on time
        late = make_accepted_post(editor, unit)  # replied two days later
        make_accepted_post(editor, unit)  # never replied: late once its day has passed
        waiting = make_accepted_post(editor, unit)
    with time_machine.travel(start + timedelta(days=3), tick=False):
        late.reply(handler, "迟到的答复", is_public=True)
        waiting.reply_due_at = timezone.now() + timedelta(hours=5)
        waiting.save()
        make_accepted_post(editor, unit)  # just accepted, still has time
        figures = figures_since(start)
    assert figures.received == 5
    assert figures.response_rate == 1 / 3  # waiting and the fresh one are not decided yet: 1 of 3


def test_it_counts_satisfied_ratings():
    unit = make_unit()
    editor, handler = make_editor(), make_handler(unit)
    make_replied_post(editor, handler, unit).rate(5, 5, 4)
    make_replied_post(editor, handler, unit).rate(5, 5, 3)
    figures = figures_since(month_start())
    assert (figures.rated, figures.satisfaction_rate) == (2, 0.5)


def test_it_has_no_rates_without_posts():
    figures = figures_since(month_start())
    assert figures.response_rate is None and figures.satisfaction_rate is None

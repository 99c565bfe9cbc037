"""This month's headline figures on the home page: the public statistics page's, in its words."""

import re
from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from stats import figures, periods
from tests.factories import make_accepted_post, make_editor, make_handler, make_replied_post, make_unit


def this_month():
    return figures.overall(periods.period_of(periods.PeriodKind.MONTH, periods.local_today()))


def test_it_counts_on_time_and_late_replies_and_leaves_out_what_is_not_due_yet():
    unit = make_unit()
    editor, handler = make_editor(), make_handler(unit)
    start = timezone.localtime().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
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
        month = this_month()
    assert month.received == 5
    assert month.response_rate == 1 / 3  # waiting and the fresh one are not decided yet: 1 of 3


def test_it_counts_satisfied_ratings():
    unit = make_unit()
    editor, handler = make_editor(), make_handler(unit)
    make_replied_post(editor, handler, unit).rate(5, 5, 4)
    make_replied_post(editor, handler, unit).rate(5, 5, 3)
    assert (this_month().rated, this_month().satisfaction_rate) == (2, 0.5)


def test_it_has_no_rates_without_posts():
    assert this_month().response_rate is None and this_month().satisfaction_rate is None


def _figures(html, section):
    """The first list of figures after the section's heading, as {label: value}."""
    after = html[html.index(section) :]
    return dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", after[: after.index("</dl>")]))


def test_the_home_page_and_the_statistics_page_say_the_same_in_the_same_words(client):
    unit = make_unit()
    editor, handler = make_editor(), make_handler(unit)
    make_replied_post(editor, handler, unit).rate(5, 5, 4)
    make_accepted_post(editor, unit)

    home = _figures(client.get("/").content.decode(), 'id="figures-title"')
    public = _figures(client.get(reverse("stats:transparency")).content.decode(), 'id="figures-1"')

    assert list(home) == ["受理诉求", "响应率", "满意率"]
    assert home == {label: public[label] for label in home}
    assert (home["受理诉求"], home["满意率"]) == ("2", "100.0%")

"""Return visits (回访) as work: the editors' list of closed posts due for one, by the handling rules'
delay and share, and the satisfaction of return visits per unit among the statistics."""

import re
from datetime import datetime

import time_machine
from django.urls import reverse

from cases.models import HandlingSettings, Post, ReturnVisit
from stats import periods
from tests.factories import make_editor, make_handler, make_post, make_replied_post, make_unit, make_user

URL = reverse("cases_admin:return_visits")
SH = periods.LOCAL


def _rules(**values):
    rules = HandlingSettings.load()
    for name, value in values.items():
        setattr(rules, name, value)
    rules.save()


def _closed(editor, handler, unit, title):
    post = make_replied_post(editor, handler, unit, title=title)
    post.close(handler)
    return post


def test_a_closed_post_is_due_after_the_delay_until_it_is_visited(client):
    unit, editor = make_unit("后勤管理处"), make_editor()
    handler = make_handler(unit)
    with time_machine.travel(datetime(2026, 3, 2, 10, tzinfo=SH), tick=False):
        first = _closed(editor, handler, unit, "路灯坏了")
    with time_machine.travel(datetime(2026, 3, 3, 10, tzinfo=SH), tick=False):
        second = _closed(editor, handler, unit, "热水不热")
        make_replied_post(editor, handler, unit, title="还没办结")  # answered, not closed: not yet
    client.force_login(editor)

    with time_machine.travel(datetime(2026, 3, 4, 12, tzinfo=SH), tick=False):
        assert client.get(URL).context["object_list"].count() == 0  # three days not yet passed
    with time_machine.travel(datetime(2026, 3, 6, 11, tzinfo=SH), tick=False):
        assert list(client.get(URL).context["object_list"]) == [first, second]  # the longest waiting first
        first.record_return_visit(editor, ReturnVisit.Outcome.SOLVED)
        assert list(client.get(URL).context["object_list"]) == [second]
        second.record_return_visit(editor, ReturnVisit.Outcome.UNSOLVED, "仍然不热")  # reopened: off the list
        assert list(client.get(URL).context["object_list"]) == []


def test_only_editors_have_the_list(client):
    unit = make_unit("后勤管理处")
    for user in (make_handler(unit), make_user(groups=["校领导"]), make_user(groups=["全局督办员"])):
        client.force_login(user)
        assert client.get(URL).status_code in (302, 403)


def test_the_share_is_the_same_fixed_sample_of_every_units_posts(client):
    first, second = make_unit("后勤管理处"), make_unit("保卫处")
    long_ago = datetime(2026, 1, 5, 10, tzinfo=SH)
    for n in range(100):  # a hundred consecutive numbers, the units taking turns
        make_post(unit=(first, second)[n % 2], status=Post.Status.CLOSED, closed_at=long_ago, title=f"诉求{n}")
    client.force_login(make_editor())

    _rules(return_visit_percent=50)
    due = list(Post.objects.due_for_return_visit(HandlingSettings.load()))
    assert len(due) == 50
    assert client.get(URL).context["object_list"].count() == 50
    assert sum(post.unit == first for post in due) == 25
    assert due == list(Post.objects.due_for_return_visit(HandlingSettings.load()))  # the same posts each time
    _rules(return_visit_percent=0)
    assert not Post.objects.due_for_return_visit(HandlingSettings.load()).exists()
    _rules(return_visit_percent=100)
    assert Post.objects.due_for_return_visit(HandlingSettings.load()).count() == 100


def test_the_ranking_shows_the_satisfaction_of_return_visits_per_unit(client):
    first, second, editor = make_unit("后勤管理处"), make_unit("保卫处"), make_editor()
    outcomes = {first: ["solved", "solved", "unsolved", "unreachable"], second: ["solved"]}
    with time_machine.travel(datetime(2026, 3, 2, 10, tzinfo=SH), tick=False):
        for unit, visits in outcomes.items():
            for outcome in visits:
                post = make_post(unit=unit, status=Post.Status.CLOSED)
                post.return_visits.create(by=editor, outcome=outcome)
    with time_machine.travel(datetime(2026, 4, 2, 10, tzinfo=SH), tick=False):  # another month's
        make_post(unit=second, status=Post.Status.CLOSED).return_visits.create(by=editor, outcome="unsolved")
    client.force_login(make_user(groups=["校领导"]))
    with time_machine.travel(datetime(2026, 4, 10, tzinfo=SH), tick=False):
        content = client.get(reverse("stats_admin:ranking") + "?kind=month&day=2026-03-10").content.decode()
    table = content[content.index("data-return-visits") :]
    rows = re.findall(r'<th scope="row">([^<]+)</th>((?:<td>[^<]*</td>)+)', table)
    figures = {name: re.findall(r"<td>([^<]*)</td>", cells) for name, cells in rows}
    # visited, solved, not solved, not reached, satisfaction: solved among those reached
    assert figures["后勤管理处"] == ["4", "2", "1", "1", "66.7%"]
    assert figures["保卫处"] == ["1", "1", "0", "0", "100.0%"]
    assert figures["全校"] == ["5", "3", "1", "1", "75.0%"]

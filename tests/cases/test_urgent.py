"""Urgent posts (应急): set by the editor or the category, short deadlines, the unit's supervisors told at
once, and their own figure among the statistics."""

import re
from datetime import datetime

import time_machine
from django.urls import reverse

from cases.models import Post
from notifications.models import InboxMessage
from stats import periods
from tests.factories import make_category, make_editor, make_handler, make_post, make_unit, make_user

SH = periods.LOCAL
MONDAY = datetime(2026, 3, 2, 10, tzinfo=SH)


def _supervised_unit():
    unit = make_unit("保卫处")
    supervisor = make_user(groups=["督查员"])
    unit.supervisors.add(supervisor)
    return unit, make_handler(unit), supervisor


def _accept(client, post, unit, urgent):
    data = {"accept-unit": unit.pk, **({"accept-urgent": "on"} if urgent else {})}
    return client.post(reverse("cases_admin:accept", args=[post.pk]), data)


def test_an_urgent_post_has_the_short_deadlines_and_its_supervisors_hear_at_once(client):
    unit, handler, supervisor = _supervised_unit()
    client.force_login(make_editor())
    with time_machine.travel(MONDAY, tick=False):
        post = make_post(title="东门消防通道被堵")
        assert _accept(client, post, unit, urgent=True).status_code == 302
    post.refresh_from_db()
    assert post.is_urgent
    assert post.reply_due_at == datetime(2026, 3, 2, 12, tzinfo=SH)  # 2 hours
    assert post.resolution_due_at == datetime(2026, 3, 4, 0, tzinfo=SH)  # the end of the next working day
    for user in (handler, supervisor):
        (message,) = InboxMessage.objects.filter(user=user, post=post)
        assert message.subject.startswith("【应急】")


def test_an_ordinary_post_keeps_its_deadlines_and_the_supervisors_are_not_disturbed(client):
    unit, handler, supervisor = _supervised_unit()
    client.force_login(make_editor())
    with time_machine.travel(MONDAY, tick=False):
        post = make_post(title="路灯坏了")
        _accept(client, post, unit, urgent=False)
    post.refresh_from_db()
    assert not post.is_urgent and post.reply_due_at == datetime(2026, 3, 3, 10, tzinfo=SH)  # the rules' 24 hours
    assert InboxMessage.objects.filter(user=handler, post=post).exists()
    assert not InboxMessage.objects.filter(user=supervisor).exists()


def test_a_category_can_make_its_posts_urgent_unless_the_editor_unticks_it(client):
    unit, _handler, _supervisor = _supervised_unit()
    safety = make_category("安全隐患")
    safety.is_urgent = True
    safety.save()
    client.force_login(make_editor())
    post = make_post(category=safety, title="实验室有异味")
    form = client.get(reverse("cases_admin:post", args=[post.pk])).context["actions"]["accept"]
    assert form.initial["urgent"] is True
    post.accept(make_editor(), unit)  # a program routing it, with no choice made: the category's
    assert Post.objects.get(pk=post.pk).is_urgent
    other = make_post(category=safety, title="实验室门锁坏了")
    _accept(client, other, unit, urgent=False)
    assert not Post.objects.get(pk=other.pk).is_urgent


def test_the_ranking_shows_how_many_urgent_posts_were_answered_in_time(client):
    first, second, editor = make_unit("后勤管理处"), make_unit("保卫处"), make_editor()
    first_handler = make_handler(first)

    def urgent_post(unit, accepted, replied_hours=None):
        with time_machine.travel(accepted, tick=False):
            post = make_post(title="应急")
            post.accept(editor, unit, urgent=True)
        if replied_hours is not None:
            with time_machine.travel(accepted.replace(hour=accepted.hour + replied_hours), tick=False):
                post.reply(first_handler, "已处理", is_public=False)

    urgent_post(first, datetime(2026, 3, 2, 9, tzinfo=SH), replied_hours=1)  # in time
    urgent_post(first, datetime(2026, 3, 3, 9, tzinfo=SH), replied_hours=3)  # late
    urgent_post(second, datetime(2026, 3, 4, 9, tzinfo=SH))  # never answered, long overdue
    urgent_post(second, datetime(2026, 3, 20, 11, tzinfo=SH))  # not answered, its 2 hours not over
    with time_machine.travel(MONDAY, tick=False):
        ordinary = make_post(title="普通")
        ordinary.accept(editor, first, urgent=False)
    client.force_login(make_user(groups=["校领导"]))
    with time_machine.travel(datetime(2026, 3, 20, 12, tzinfo=SH), tick=False):
        content = client.get(reverse("stats_admin:ranking") + "?kind=month&day=2026-03-10").content.decode()
    table = content[content.index("data-urgent") : content.index("</table>", content.index("data-urgent"))]
    rows = re.findall(r'<th scope="row">([^<]+)</th>((?:\s*<td>[^<]*</td>)+)', table)
    figures = {name: re.findall(r"<td>([^<]*)</td>", cells) for name, cells in rows}
    assert figures["后勤管理处"] == ["2", "1", "50.0%"]
    assert figures["保卫处"] == ["2", "0", "0.0%"]  # the one still within its deadline is not judged yet
    assert figures["全校"] == ["4", "1", "33.3%"]

"""Every queue complete (#20.6): what the global supervisors must act on, and what handlers must close."""

import re

from django.urls import reverse
from wagtail.models import ModelLogEntry

from cases.models import HandlingSettings, Post
from tests.factories import make_accepted_post, make_editor, make_handler, make_replied_post, make_unit, make_user

ALL_OVERDUE_URL = reverse("cases_admin:all_overdue")
AWAITING_CLOSURE_URL = reverse("cases_admin:awaiting_closure")


def _listed(client, url, **params):
    content = client.get(url, params).content.decode()
    return sorted(int(pk) for pk in re.findall(r'href="/admin/wall/posts/(\d+)/"', content))


def test_a_post_sent_up_by_the_transfer_limit_reaches_the_global_supervisors_list(client):
    rules = HandlingSettings.load()
    rules.max_transfers = 0
    rules.save()
    editor, logistics, security = make_editor(), make_unit("后勤管理处"), make_unit("保卫处")
    refused = make_accepted_post(editor, logistics, title="门禁卡失灵")
    assert not refused.transfer(make_handler(logistics), security, "不归我们管")  # kept, sent up
    on_time = make_accepted_post(editor, logistics, title="路灯不亮")
    client.force_login(make_user(groups=["全局督办员"]))

    assert _listed(client, ALL_OVERDUE_URL) == [refused.pk]  # not overdue, but theirs to settle
    assert _listed(client, ALL_OVERDUE_URL, escalation=Post.Escalation.GLOBAL) == [refused.pk]
    assert _listed(client, ALL_OVERDUE_URL, escalation=Post.Escalation.SUPERVISORS) == []
    assert on_time.pk not in _listed(client, ALL_OVERDUE_URL)


def test_handlers_see_their_answered_posts_awaiting_closure(client):
    editor, mine, other = make_editor(), make_unit("后勤管理处"), make_unit("保卫处")
    handler, other_handler = make_handler(mine), make_handler(other)
    answered = make_replied_post(editor, handler, mine, title="热水时间")
    make_accepted_post(editor, mine, title="尚未答复的诉求")  # in 本单位未回复 instead
    co_handled = make_replied_post(editor, other_handler, other, title="联办的诉求")
    co_handled.add_co_units(editor, [mine])  # the lead unit closes it, not mine
    closed = make_replied_post(editor, handler, mine, title="已经办结的诉求")
    closed.close(handler)
    client.force_login(handler)

    assert _listed(client, AWAITING_CLOSURE_URL) == [answered.pk]


def test_the_trail_names_what_happened_not_an_overdue_escalation():
    rules = HandlingSettings.load()
    rules.max_transfers = 0
    rules.save()
    editor, logistics, security = make_editor(), make_unit("后勤管理处"), make_unit("保卫处")
    supervisor, boss = make_user(groups=["督查员"]), make_user(groups=["全局督办员"])
    logistics.supervisors.add(supervisor)
    security.supervisors.add(supervisor)
    refused = make_accepted_post(editor, logistics, title="门禁卡失灵")
    refused.transfer(make_handler(logistics), security, "不归我们管")
    moved_by_supervisor = make_accepted_post(editor, logistics, title="路灯不亮")
    moved_by_supervisor.reassign(supervisor, security, "属于校园安全")
    moved_by_boss = make_accepted_post(editor, logistics, title="快递点拥堵")
    moved_by_boss.reassign(boss, security, "属于校园安全")

    assert _actions(refused)[-1] == "wall.transfer_refused"  # no "overdue: escalated" entry after it
    assert "wall.escalate" not in _actions(refused)
    assert _actions(moved_by_supervisor)[-1] == "wall.reassign"
    assert _actions(moved_by_boss)[-1] == "wall.reassign_global"


def _actions(post):
    return list(ModelLogEntry.objects.filter(object_id=str(post.pk)).order_by("pk").values_list("action", flat=True))

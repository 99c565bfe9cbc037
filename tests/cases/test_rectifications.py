"""整改台账 (问题清单): editors and supervisors open an item for a collective problem, from a group of
recurring posts or by post numbers; note its progress; close it when fixed (动态销账). Each linked post's
poster follows it on their tracking page; a public item is listed on the wall."""

import html
import re
from datetime import datetime

import time_machine
from django.urls import reverse

from cases.models import Rectification
from stats import periods
from tests.factories import make_accepted_post, make_editor, make_handler, make_unit, make_user

SH = periods.LOCAL
ADD = reverse("rectifications:add")


def _form(unit, posts, **fields):
    data = {
        "title": "三号楼热水不稳定",
        "unit": unit.pk,
        "measures": "更换三号楼热水锅炉的温控阀，期间每日检查水温。",
        "deadline": "2026-04-30",
        "status": "open",
        "post_numbers": ", ".join(str(post.pk) for post in posts),
        "notes-TOTAL_FORMS": "1",
        "notes-INITIAL_FORMS": "0",
        "notes-MIN_NUM_FORMS": "0",
        "notes-MAX_NUM_FORMS": "1000",
        "notes-0-body": "已订购温控阀，预计下周到货。",
        "notes-0-created_at": "2026-03-20 10:00",
        "notes-0-ORDER": "1",
        "notes-0-id": "",
    }
    return {**data, **fields}


def test_an_editor_opens_an_item_from_a_group_of_recurring_posts(client):
    unit, editor = make_unit("后勤管理处"), make_editor()
    with time_machine.travel(datetime(2026, 3, 2, 10, tzinfo=SH), tick=False):
        posts = [make_accepted_post(editor, unit, title=f"三号楼热水不热{n}") for n in range(3)]
    client.force_login(editor)
    with time_machine.travel(datetime(2026, 4, 10, tzinfo=SH), tick=False):
        hot = client.get(reverse("stats_admin:hot_topics") + "?kind=month&day=2026-03-10").content.decode()
    link = html.unescape(re.search(r'<a href="([^"]+)">开立整改事项</a>', hot).group(1))
    form = client.get(link).context["form"]
    assert {int(n) for n in form.initial["post_numbers"].split(",")} == {post.pk for post in posts}

    response = client.post(ADD, _form(unit, posts))
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    item = Rectification.objects.get()
    assert set(item.posts.all()) == set(posts) and item.created_by == editor
    assert item.notes.get().body == "已订购温控阀，预计下周到货。"


def test_unknown_post_numbers_are_refused_with_a_clear_message(client):
    unit, editor = make_unit("后勤管理处"), make_editor()
    client.force_login(editor)
    response = client.post(ADD, _form(unit, [], post_numbers="12345, abc"))
    assert response.status_code == 200 and not Rectification.objects.exists()
    assert "只填写诉求编号" in response.content.decode()
    response = client.post(ADD, _form(unit, [], post_numbers="12345"))
    assert "没有编号为 12345 的诉求" in response.content.decode()


def test_the_poster_follows_the_item_on_the_tracking_page_until_it_is_closed(client):
    unit, editor = make_unit("后勤管理处"), make_editor()
    post = make_accepted_post(editor, unit, title="三号楼热水不热")
    item = Rectification.objects.create(
        title="三号楼热水不稳定", unit=unit, measures="更换温控阀", deadline="2026-04-30"
    )
    item.posts.add(post)
    track = reverse("wall:track", args=[post.tracking_token])
    page = client.get(track).content.decode()
    assert "三号楼热水不稳定" in page and "更换温控阀" in page and "整改中" in page
    with time_machine.travel(datetime(2026, 4, 20, 10, tzinfo=SH), tick=False):
        item.status = Rectification.Status.CLOSED
        item.save()
    assert "2026-04-20 已整改完成" in client.get(track).content.decode()


def test_only_public_items_are_listed_on_the_wall(client):
    unit = make_unit("后勤管理处")
    Rectification.objects.create(
        title="东门路灯整改", unit=unit, measures="更换路灯", deadline="2026-04-30", is_public=True
    )
    Rectification.objects.create(title="内部整改事项", unit=unit, measures="内部", deadline="2026-04-30")
    page = client.get(reverse("wall:rectifications")).content.decode()
    assert "东门路灯整改" in page and "内部整改事项" not in page


def test_handlers_and_leaders_do_not_open_items(client):
    unit = make_unit("后勤管理处")
    for user in (make_handler(unit), make_user(groups=["校领导"])):
        client.force_login(user)
        assert client.get(ADD).status_code in (302, 403)
    supervisor = make_user(groups=["督查员"])
    client.force_login(supervisor)
    assert client.get(ADD).status_code == 200

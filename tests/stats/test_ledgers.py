"""Ledgers (台账): unfinished, overdue, key supervision and reopened posts, by unit and period."""

import csv
import io
import re
from datetime import date, datetime

import pytest
import time_machine
from django.urls import reverse

from cases.models import HandlingSettings
from stats import periods
from tests.factories import make_accepted_post, make_editor, make_handler, make_unit, make_user

SH = periods.LOCAL
MARCH = "?kind=month&day=2026-03-10"


def at(month, day, hour=10):
    return time_machine.travel(datetime(2026, month, day, hour, tzinfo=SH), tick=False)


def ledger(name):
    return reverse("stats_admin:ledger", args=[name])


@pytest.fixture
def posts():
    houqin, baowei = make_unit("后勤管理处"), make_unit("保卫处")
    editor, handler = make_editor(), make_handler(houqin)
    with at(3, 2):
        make_accepted_post(editor, houqin, title="热水不热")  # never answered: unfinished and overdue
        closed = make_accepted_post(editor, houqin, title="路灯坏了")
        closed.reply(handler, "已修", is_public=True)
        closed.close(handler)
        reopened = make_accepted_post(editor, houqin, title="空调漏水")
        reopened.reply(handler, "已修", is_public=True)
        reopened.rate(1, 1, 1)
        key = make_accepted_post(editor, baowei, title="东门太黑")
        key.set_key_supervision(make_user(groups=["全局督办员"]), True)
    with at(4, 2):
        make_accepted_post(editor, houqin, title="四月的诉求")
    return houqin, baowei


def _titles(client, url):
    content = client.get(url).content.decode()
    return {title for title in ("热水不热", "路灯坏了", "空调漏水", "东门太黑", "四月的诉求") if title in content}


def test_it_lists_each_ledgers_posts_of_the_period(client, posts):
    client.force_login(make_user(groups=["校领导"]))
    with at(3, 20):
        assert _titles(client, ledger("unfinished") + MARCH) == {"热水不热", "空调漏水", "东门太黑"}
        assert _titles(client, ledger("overdue") + MARCH) == {"热水不热", "空调漏水", "东门太黑"}
        assert _titles(client, ledger("key-supervision") + MARCH) == {"东门太黑"}
        assert _titles(client, ledger("reopened") + MARCH) == {"空调漏水"}
    with at(4, 2, 12):
        april = "?kind=month&day=2026-04-02"
        assert _titles(client, ledger("unfinished") + april) == {"四月的诉求"}
        assert _titles(client, ledger("overdue") + april) == set()  # its reply is not due yet


def test_it_filters_by_unit(client, posts):
    houqin, baowei = posts
    client.force_login(make_editor())
    with at(3, 20):
        assert _titles(client, ledger("unfinished") + MARCH + f"&unit={baowei.pk}") == {"东门太黑"}


def test_it_shows_a_unit_supervisor_only_the_units_they_watch(client, posts):
    houqin, baowei = posts
    supervisor = make_user(groups=["督查员"])
    baowei.supervisors.add(supervisor)
    client.force_login(supervisor)
    with at(3, 20):
        assert _titles(client, ledger("unfinished") + MARCH) == {"东门太黑"}
        assert _titles(client, ledger("unfinished") + MARCH + f"&unit={houqin.pk}") == {"东门太黑"}  # not allowed


def test_it_refuses_handlers_posters_and_visitors(client, posts):
    houqin, _baowei = posts
    for user in (make_handler(houqin), make_user(), None):
        client.logout()
        if user:
            client.force_login(user)
        for url in (ledger("unfinished"), reverse("stats_admin:ledger_csv", args=["unfinished"])):
            response = client.get(url + MARCH)
            assert response.status_code in (302, 403)
            assert "热水不热" not in response.content.decode()


def test_it_refuses_an_unknown_ledger(client):
    client.force_login(make_editor())
    assert client.get(ledger("everything")).status_code == 404


def test_it_exports_a_ledger_as_csv(client, posts):
    client.force_login(make_user(groups=["校领导"]))
    with at(3, 20):
        response = client.get(reverse("stats_admin:ledger_csv", args=["unfinished"]) + MARCH)
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][:3] == ["编号", "标题", "承办单位"]
    assert [row[1] for row in rows[2:]] == ["热水不热", "空调漏水", "东门太黑"]
    assert rows[3][9] == "2"  # the reopened post is in its second round


def test_leaders_open_the_case_files_a_ledger_lists_and_may_only_read_and_instruct(client, posts):
    client.force_login(make_user(groups=["校领导"]))
    with at(3, 20):
        content = client.get(ledger("unfinished") + MARCH).content.decode()
        case_file = re.search(r'href="(/admin/wall/posts/\d+/)"', content).group(1)
        response = client.get(case_file)
    assert "热水不热" in content
    assert response.status_code == 200
    assert set(response.context["actions"]) == {"instruct"}  # 批示: nothing else is theirs to do


def test_it_compiles_a_units_month_with_each_posts_timeline(client):
    first, second = make_unit("教务处"), make_unit("研究生院")
    editor, first_handler, second_handler = make_editor(), make_handler(first), make_handler(second)
    with at(3, 2):
        post = make_accepted_post(editor, first, title="研究生选课")
    with at(3, 2, 11):
        post.transfer(first_handler, second, "研究生的事")
    with at(3, 2, 15):
        post.reply(second_handler, "已处理", is_public=True)
        post.rate(5, 4, 3)
    with at(3, 3):
        post.close(second_handler)
    with at(4, 2):
        make_accepted_post(editor, second, title="四月的诉求")
    client.force_login(make_user(groups=["校领导"]))
    url = reverse("stats_admin:ledger_csv", args=["compiled"]) + MARCH + f"&unit={second.pk}"
    rows = list(csv.reader(io.StringIO(client.get(url).content.decode("utf-8-sig"))))
    assert rows[0] == ["月汇编台账", "2026-03-01 – 2026-03-31"]
    (row,) = rows[2:]
    assert row[1] == "研究生选课" and row[5] == "已办结"
    assert row[6] == "2026-03-02 10:00" and row[11] == "2026-03-02 15:00" and row[12] == "2026-03-03 10:00"
    assert row[13] == "2026-03-02 11:00 转办：教务处 → 研究生院（研究生的事）"
    assert row[14] == "5/4/3"


def test_a_ledger_csv_stands_alone_with_the_text_each_reply_and_labelled_transfers(client):
    first, second, third = make_unit("教务处"), make_unit("研究生院"), make_unit("保卫处")
    editor, first_handler, second_handler = make_editor(), make_handler(first), make_handler(second)
    rules = HandlingSettings.load()
    rules.max_transfers = 1
    rules.save()
    with at(3, 2):
        post = make_accepted_post(editor, first, title="实验楼夜间断电", body="实验楼三层每晚十点断电，实验做不完。")
    with at(3, 2, 11):
        post.transfer(first_handler, second, "研究生实验室归研究生院")
    with at(3, 2, 12):
        assert post.transfer(second_handler, third, "供电归保卫处") is False  # past the limit: refused
    with at(3, 2, 15):
        post.reply(second_handler, "先改到十一点断电。", is_public=False)
    with at(3, 3, 9):
        post.add_follow_up("十一点也不够，希望通宵供电。")
    with at(3, 3, 10):
        post.reply(
            second_handler, "需改造线路，暑假施工。", is_public=True, cannot_solve=True, solve_by=date(2026, 8, 31)
        )
    client.force_login(make_user(groups=["校领导"]))
    url = reverse("stats_admin:ledger_csv", args=["compiled"]) + MARCH + f"&unit={second.pk}"
    rows = list(csv.reader(io.StringIO(client.get(url).content.decode("utf-8-sig"))))
    headings, (row,) = rows[1], rows[2:]
    cell = dict(zip(headings, row, strict=True))
    assert cell["转办与改派记录"] == (
        "2026-03-02 11:00 转办：教务处 → 研究生院（研究生实验室归研究生院）；"
        "2026-03-02 12:00 拒绝转办：已转交全局督办员：研究生院 → 保卫处（供电归保卫处）"
    )
    assert cell["诉求内容（含诉求人补充）"].split("\n") == [
        "实验楼三层每晚十点断电，实验做不完。",
        "2026-03-03 09:00 诉求人补充：十一点也不够，希望通宵供电。",
    ]
    assert cell["答复"].split("\n") == [
        "2026-03-02 15:00 研究生院（仅诉求人可见）：先改到十一点断电。",
        "2026-03-03 10:00 研究生院（公开）【暂无法解决，计划 2026-08-31 解决】：需改造线路，暑假施工。",
    ]

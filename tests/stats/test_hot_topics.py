"""Hot topics: the words that keep coming up in a period's posts, for statistics readers only."""

import html
import re
from datetime import datetime

import time_machine
from django.urls import reverse

from stats import figures, hot_topics, periods
from tests.factories import make_accepted_post, make_editor, make_handler, make_unit, make_user

URL = reverse("stats_admin:hot_topics")
MARCH = "?kind=month&day=2026-03-10"


def _posts():
    unit, editor = make_unit("后勤管理处"), make_editor()
    with time_machine.travel(datetime(2026, 3, 2, 10, tzinfo=periods.LOCAL), tick=False):
        for dorm in ("三号楼", "五号楼", "七号楼"):
            make_accepted_post(editor, unit, title=f"{dorm}热水不热", body="请问热水什么时候修好？")
        make_accepted_post(editor, unit, title="食堂窗口太少", body="中午排队很久")
    with time_machine.travel(datetime(2026, 4, 2, 10, tzinfo=periods.LOCAL), tick=False):
        make_accepted_post(editor, unit, title="图书馆空调", body="四月的诉求")
    return unit


def test_it_lists_the_words_of_the_most_posts_first(client):
    _posts()
    client.force_login(make_user(groups=["校领导"]))
    with time_machine.travel(datetime(2026, 4, 10, tzinfo=periods.LOCAL), tick=False):
        content = client.get(URL + MARCH).content.decode()
    table = content[content.index("<tbody>") :]
    assert table.index("热水") < table.index("食堂")
    assert "<td>3</td>" in table  # 热水 is in three posts, counted once each
    assert "图书馆" not in table  # April's
    assert "请问" not in table and "什么" not in table  # words every request has


def test_it_refuses_handlers_and_visitors(client):
    unit = _posts()
    for user in (make_handler(unit), None):
        client.logout()
        if user:
            client.force_login(user)
        response = client.get(URL + MARCH)
        assert response.status_code in (302, 403)
        assert "热水" not in response.content.decode()


def test_it_groups_posts_that_say_nearly_the_same_thing(client):
    unit, editor = make_unit("后勤管理处"), make_editor()
    titles = [
        "三号楼热水不热",
        "三号楼的热水又不热了",
        "三号楼热水不热！",
        "五号楼热水不热",
        "二食堂饭菜太贵",
        "食堂饭菜不卫生",
    ]
    with time_machine.travel(datetime(2026, 3, 2, 10, tzinfo=periods.LOCAL), tick=False):
        posts = [make_accepted_post(editor, unit, title=title, wants_public=False) for title in titles]
    client.force_login(make_user(groups=["校领导"]))
    with time_machine.travel(datetime(2026, 4, 10, tzinfo=periods.LOCAL), tick=False):
        content = client.get(URL + MARCH).content.decode()
    (group,) = hot_topics.recurring(hot_topics.received_in(periods.period_of("month", datetime(2026, 3, 2).date())))
    assert sorted(group[1]) == sorted(post.pk for post in posts[:3])  # another building, other canteen troubles
    section = content[content.index("反复出现的问题") :]
    assert "出现了 3 次" in section
    for post in posts[:3]:
        assert reverse("cases_admin:post", args=[post.pk]) in section  # the case files, private ones too


def test_it_shows_the_same_month_across_years(client):
    unit, editor = make_unit("后勤管理处"), make_editor()
    for year, count in ((2025, 2), (2026, 3)):
        with time_machine.travel(datetime(year, 9, 3, 10, tzinfo=periods.LOCAL), tick=False):
            for _ in range(count):
                make_accepted_post(editor, unit, title="开学季宿舍报修")
    years, months = figures.seasons(today=datetime(2026, 10, 1).date())
    assert years == [2022, 2023, 2024, 2025, 2026]
    assert dict(months)[9] == [0, 0, 0, 2, 3] and dict(months)[10] == [0] * 5
    assert figures.seasons(unit=make_unit("保卫处"), today=datetime(2026, 10, 1).date())[1][8][1] == [0] * 5
    client.force_login(make_user(groups=["校领导"]))
    with time_machine.travel(datetime(2026, 10, 1, 10, tzinfo=periods.LOCAL), tick=False):
        content = client.get(URL).content.decode()
    table = content[content.index('class="listing seasons"') :]
    assert '<tr><th scope="row">9</th><td>0</td><td>0</td><td>0</td><td>2</td><td>3</td></tr>' in table


def test_a_unit_supervisor_reads_the_hot_topics_of_their_own_units_only(client):
    watched, other, editor = make_unit("后勤管理处"), make_unit("保卫处"), make_editor()
    with time_machine.travel(datetime(2026, 3, 2, 10, tzinfo=periods.LOCAL), tick=False):
        for dorm in ("三号楼", "三号楼的", "三号楼！"):
            make_accepted_post(editor, watched, title=f"{dorm}热水不热", wants_public=False)
            make_accepted_post(editor, other, title=f"{dorm}门禁刷不开", wants_public=False)
    supervisor = make_user(groups=["督查员"])
    watched.supervisors.add(supervisor)
    client.force_login(supervisor)
    with time_machine.travel(datetime(2026, 4, 10, tzinfo=periods.LOCAL), tick=False):
        own = client.get(URL + MARCH).content.decode()
        asked_for_other = client.get(URL + MARCH + f"&unit={other.pk}").content.decode()
    assert "热水" in own
    for content in (own, asked_for_other):
        assert "门禁" not in content
        assert f'value="{other.pk}"' not in content  # not offered either


def test_a_word_counts_once_in_its_longest_form_and_everyday_words_are_left_out(client):
    unit, editor = make_unit("后勤管理处"), make_editor()
    with time_machine.travel(datetime(2026, 3, 2, 10, tzinfo=periods.LOCAL), tick=False):
        make_accepted_post(editor, unit, title="图书馆晚上座位不够", body="经常找不到座位")
        make_accepted_post(editor, unit, title="图书馆空调不制冷", body="晚上特别热")
    client.force_login(make_user(groups=["校领导"]))
    with time_machine.travel(datetime(2026, 4, 10, tzinfo=periods.LOCAL), tick=False):
        content = client.get(URL + MARCH).content.decode()
    words = re.findall(r'<th scope="row"><a href="[^"]*">([^<]+)</a></th>\s*<td>(\d+)</td>', content)
    assert ("图书馆", "2") in words
    assert not {"图书", "书馆", "晚上", "经常"} & {word for word, _ in words}


def test_each_word_lists_the_periods_posts_that_have_it_for_every_reader(client):
    unit, editor = make_unit("后勤管理处"), make_editor()
    with time_machine.travel(datetime(2026, 3, 2, 10, tzinfo=periods.LOCAL), tick=False):
        wanted = make_accepted_post(editor, unit, title="图书馆空调不制冷", wants_public=False)
        make_accepted_post(editor, unit, title="食堂窗口太少")
    with time_machine.travel(datetime(2026, 4, 2, 10, tzinfo=periods.LOCAL), tick=False):
        april = make_accepted_post(editor, unit, title="图书馆座位不够")
    supervisor = make_user(groups=["督查员"])
    unit.supervisors.add(supervisor)
    for reader in (make_user(groups=["校领导"]), supervisor, editor):
        client.force_login(reader)
        with time_machine.travel(datetime(2026, 4, 10, tzinfo=periods.LOCAL), tick=False):
            content = client.get(URL + MARCH).content.decode()
            link = html.unescape(re.search(r'<a href="([^"]+)">图书馆</a>', content).group(1))
            listed = client.get(link).content.decode()
        section = listed[listed.index('id="word"') :]
        assert "1 条含“图书馆”的诉求" in section, reader
        assert reverse("cases_admin:post", args=[wanted.pk]) in section
        assert client.get(reverse("cases_admin:post", args=[wanted.pk])).status_code == 200  # the reader may open it
        assert reverse("cases_admin:post", args=[april.pk]) not in section  # another month
        assert "食堂窗口太少" not in section

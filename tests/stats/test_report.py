"""The ranking report in the admin: who may read it, what it shows, the files it gives."""

import csv
import io
import re
from datetime import date, datetime

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from stats import periods
from tests.factories import make_accepted_post, make_category, make_editor, make_handler, make_unit, make_user

SH = periods.LOCAL
RANKING = reverse("stats_admin:ranking")
MARCH = "?kind=month&day=2026-03-10"


def at(day, hour=10):
    return time_machine.travel(datetime(2026, 3, day, hour, tzinfo=SH), tick=False)


@pytest.fixture
def march():
    """后勤管理处: 2 posts, both answered on time, one rated 5; 保卫处: 1 post never answered."""
    houqin, baowei = make_unit("后勤管理处"), make_unit("保卫处")
    editor, handler = make_editor(), make_handler(houqin)
    with at(2):
        first = make_accepted_post(editor, houqin, title="三号楼热水不热")
        make_accepted_post(editor, houqin, category=make_category("教学管理")).reply(handler, "好", is_public=True)
        first.reply(handler, "已修好", is_public=True)
        first.rate(5, 5, 5)
        make_accepted_post(editor, baowei, title="东门晚上太黑")
    return houqin, baowei, handler


def _leader():
    return make_user(groups=["校领导"])


@pytest.mark.parametrize("group", ["校领导", "督查员", "全局督办员", "编辑"])
def test_it_shows_the_ranking_to_leaders_supervisors_and_editors(client, march, group):
    client.force_login(make_user(groups=[group]))
    with at(20):
        response = client.get(RANKING + MARCH)
    assert response.status_code == 200
    assert "后勤管理处" in response.content.decode() and "保卫处" in response.content.decode()


def test_it_refuses_handlers_posters_and_visitors(client, march):
    houqin, baowei, handler = march
    other_handler = make_handler(baowei)
    poster = make_user()
    for user in (handler, other_handler, poster, None):
        client.logout()
        if user:
            client.force_login(user)
        for url in (RANKING, reverse("stats_admin:ranking_download", args=["xlsx"])):
            response = client.get(url + MARCH)
            assert response.status_code in (302, 403), (user, url)
            assert "后勤管理处" not in response.content.decode()


def test_it_ranks_units_by_the_chosen_column(client, march):
    client.force_login(_leader())
    with at(20):
        content = client.get(RANKING + MARCH + "&sort=response_rate").content.decode()
        ascending = client.get(RANKING + MARCH + "&sort=response_rate&ascending=on").content.decode()
    table = content[content.index('id="ranking"') :]
    assert table.index("后勤管理处") < table.index("保卫处")  # 100% before 0%
    table = ascending[ascending.index('id="ranking"') :]
    assert table.index("保卫处") < table.index("后勤管理处")
    assert "100.0%" in content and "0.0%" in content
    assert "<svg" in content and "后勤保障" in content  # the charts and the category legend


def test_it_shows_its_definitions_in_chinese(client, march):
    client.force_login(_leader())
    with at(20):
        content = client.get(RANKING + MARCH).content.decode()
    assert "响应率" in content and "答复时限" in content


def test_it_downloads_the_ranking_as_csv_excel_can_read(client, march):
    client.force_login(_leader())
    with at(20):
        response = client.get(reverse("stats_admin:ranking_download", args=["csv"]) + MARCH)
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][:3] == ["承办单位", "受理诉求", "响应率"]
    assert rows[2][:3] == ["后勤管理处", "2", "100.0%"]
    assert rows[3][:3] == ["保卫处", "1", "0.0%"]


def test_it_downloads_the_ranking_as_xlsx_with_numbers(client, march):
    client.force_login(_leader())
    with at(20):
        response = client.get(reverse("stats_admin:ranking_download", args=["xlsx"]) + MARCH)
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert "2026-03-01" in rows[0][0]
    assert rows[1][:6] == ("承办单位", "受理诉求", "响应率", "办结率", "按时办结率", "满意率")
    assert rows[2][:3] == ("后勤管理处", 2, 1) and rows[2][5] == 1  # satisfied 1 of 1
    assert rows[3][:3] == ("保卫处", 1, 0) and rows[3][5] is None  # nothing rated
    assert sheet["C3"].number_format == "0.0%"


def test_it_refuses_an_unknown_file_type(client, march):
    client.force_login(_leader())
    assert client.get(reverse("stats_admin:ranking_download", args=["pdf"])).status_code == 404


def test_it_shows_the_menu_item_to_statistics_readers_only(client):
    client.force_login(_leader())
    assert RANKING in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(make_handler(make_unit()))
    assert RANKING not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_it_shows_a_handler_their_units_figures_and_todays_queue(client, march):
    houqin, baowei, handler = march
    with at(2, 12):
        make_accepted_post(make_editor(), houqin)  # waits for a reply
        client.force_login(handler)
        content = client.get(reverse("wagtailadmin_home")).content.decode()
    panel = content[content.index("wall-unit-figures-heading") :]
    assert "后勤管理处" in panel and "保卫处" not in panel
    assert "1 条诉求今天待答复" in panel or "1 post awaits a reply today" in panel


def test_it_falls_back_to_this_month_on_a_bad_period(client, march):
    client.force_login(_leader())
    with at(20):
        response = client.get(RANKING + "?kind=century&day=yesterday")
    assert response.status_code == 200
    assert date(2026, 3, 1).isoformat() in response.content.decode()


def test_it_keeps_the_period_when_the_sort_column_is_unknown(client, march):
    client.force_login(_leader())
    with at(20):
        response = client.get(RANKING + "?kind=year&day=2026-03-10&sort=bogus")
    assert "2026-01-01 – 2026-12-31" in response.content.decode()
    assert 'aria-sort="descending"' in response.content.decode()  # by the response rate, the default


def test_the_trend_charts_values_are_in_a_table_beside_them(client, march):
    client.force_login(_leader())
    with at(20):
        content = client.get(RANKING + MARCH).content.decode()
    table = content[content.index("data-trend-values") : content.index("</table>", content.index("data-trend-values"))]
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th>((?:<td>[^<]*</td>)+)</tr>', table)
    assert len(rows) == 31  # each day of March
    values = {label: re.findall(r"<td>([^<]*)</td>", cells) for label, cells in rows}
    # 2 March: three posts, two answered in time, none closed, the one rating satisfied
    assert ["3", "66.7%", "0.0%", "100.0%"] in values.values()
    assert sum(cells[0] == "0" for cells in values.values()) == 30

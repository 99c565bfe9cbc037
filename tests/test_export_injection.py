"""Exports never hand a spreadsheet a formula: text a poster or an editor typed stays text (issue #21)."""

import csv
import io
from datetime import date, datetime

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from stats import periods, reports
from stats.ledgers import LEDGERS
from tests.factories import make_accepted_post, make_category, make_editor, make_handler, make_unit, make_user

MARCH = "?kind=month&day=2026-03-10"
HOSTILE_TITLES = ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]
HOSTILE_UNIT = "=cmd|' /C calc'!A0"
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def at(month, day, hour=10):
    return time_machine.travel(datetime(2026, month, day, hour, tzinfo=periods.LOCAL), tick=False)


@pytest.fixture
def hostile():
    """A unit, a co-handling unit and a category named like formulas, and posts titled like formulas.

    Each post is unfinished, overdue, under key supervision, reopened and on hold (its reason a formula
    too), so every ledger lists it.
    """
    unit, co_unit = make_unit(HOSTILE_UNIT), make_unit("@co")
    category = make_category("-分类")
    editor, handler = make_editor(), make_handler(unit)
    supervisor = make_user(groups=["全局督办员"])
    with at(3, 2):
        for title in HOSTILE_TITLES:
            post = make_accepted_post(editor, unit, title=title, category=category)
            post.co_units.add(co_unit)
            post.reply(handler, "已处理", is_public=True)
            post.rate(1, 1, 1)
            post.set_key_supervision(supervisor, True)
            post.reply(handler, "=1+1 暂无法解决", is_public=True, cannot_solve=True, solve_by=date(2026, 6, 1))
    return unit


def _csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))


def _unsafe(rows):
    return [cell for row in rows for cell in row if isinstance(cell, str) and cell.startswith(DANGEROUS)]


@pytest.mark.parametrize("name", LEDGERS)
def test_it_neutralises_formulas_in_every_ledger_csv(client, hostile, name):
    client.force_login(make_user(groups=["校领导"]))
    with at(3, 20):
        rows = _csv_rows(client.get(reverse("stats_admin:ledger_csv", args=[name]) + MARCH + f"&unit={hostile.pk}"))
    assert _unsafe(rows) == []
    assert sorted(row[1] for row in rows[2:]) == sorted("'" + title for title in HOSTILE_TITLES)
    assert {(row[2], row[3], row[4]) for row in rows[2:]} == {("'" + HOSTILE_UNIT, "'@co", "'-分类")}


def test_it_neutralises_formulas_in_the_ranking_csv(client, hostile):
    client.force_login(make_user(groups=["校领导"]))
    with at(3, 20):
        rows = _csv_rows(client.get(reverse("stats_admin:ranking_download", args=["csv"]) + MARCH))
    assert _unsafe(rows) == []
    assert {row[0] for row in rows[2:]} == {"'" + HOSTILE_UNIT, "'@co"}


def _assert_no_formulas(workbook_bytes):
    sheet = load_workbook(io.BytesIO(workbook_bytes)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    assert _unsafe([[cell.value for cell in cells]]) == []
    assert {sheet["A3"].value, sheet["A4"].value} == {"'" + HOSTILE_UNIT, "'@co"}


def test_it_neutralises_formulas_in_the_ranking_xlsx(client, hostile):
    client.force_login(make_user(groups=["校领导"]))
    with at(3, 20):
        response = client.get(reverse("stats_admin:ranking_download", args=["xlsx"]) + MARCH)
    _assert_no_formulas(response.content)


def test_it_neutralises_formulas_in_the_mailed_ranking(settings, hostile):
    settings.STATS_REPORT_RECIPIENTS = ["leader@example.edu"]
    with at(4, 1):
        call_command("send_reports", "--period", "monthly", verbosity=0)
    (message,) = mail.outbox
    _assert_no_formulas(message.attachments[0][1])


def test_it_prefixes_only_text_a_spreadsheet_would_run():
    assert [reports.safe_cell(title) for title in HOSTILE_TITLES] == ["'" + title for title in HOSTILE_TITLES]
    assert reports.safe_cell("热水不热") == "热水不热"
    assert reports.safe_cell("a=1") == "a=1"
    assert reports.safe_cell(-2) == -2  # a negative number is a number, not a formula
    assert reports.safe_cell(-0.5) == -0.5
    assert reports.safe_cell(None) is None
    assert reports.safe_cell("") == ""


def test_wagtails_own_site_history_csv_keeps_a_posters_page_title_as_text(client, django_capture_on_commit_callbacks):
    unit, editor = make_unit("后勤管理处"), make_editor()
    with django_capture_on_commit_callbacks(execute=True):
        post = make_accepted_post(editor, unit, title=HOSTILE_TITLES[0])
        post.publish(editor)
    post.page.save_revision(user=editor, log_action=True)  # the page's history now names its title
    client.force_login(make_user(is_superuser=True))
    response = client.get(reverse("wagtailadmin_reports:site_history"), {"export": "csv"})
    content = b"".join(response.streaming_content if response.streaming else [response.content]).decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(content)) for cell in row]
    assert "'" + HOSTILE_TITLES[0] in cells
    assert not any(cell.startswith(DANGEROUS) for cell in cells)

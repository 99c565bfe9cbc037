"""`manage.py send_reports`: the last finished period's ranking, mailed as XLSX."""

import io
from datetime import date, datetime

import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from stats import periods
from stats.management.commands.send_reports import last_finished
from tests.factories import make_accepted_post, make_editor, make_unit


@pytest.fixture
def recipients(settings):
    settings.STATS_REPORT_RECIPIENTS = ["leader@example.edu", "office@example.edu"]


def _sheet(message):
    (name, content, mimetype) = message.attachments[0]
    assert name.endswith(".xlsx") and "spreadsheetml" in mimetype
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


def test_it_mails_last_months_ranking(recipients):
    unit, editor = make_unit("后勤管理处"), make_editor()
    with time_machine.travel(datetime(2026, 2, 27, 10, tzinfo=periods.LOCAL), tick=False):
        make_accepted_post(editor, unit)
    with time_machine.travel(datetime(2026, 3, 1, 9, tzinfo=periods.LOCAL), tick=False):
        make_accepted_post(editor, unit)  # March: not in February's report
        call_command("send_reports", "--period", "monthly", verbosity=0)
    (message,) = mail.outbox
    assert message.to == ["leader@example.edu", "office@example.edu"]
    assert "2026-02-01 – 2026-02-28" in message.subject
    rows = _sheet(message)
    assert rows[2][:2] == ("后勤管理处", 1)


def test_it_picks_the_last_finished_day_and_year():
    today = date(2026, 3, 1)
    assert last_finished(periods.PeriodKind.DAY, today).label() == "2026-02-28"
    assert last_finished(periods.PeriodKind.YEAR, today).label() == "2025-01-01 – 2025-12-31"


def test_it_refuses_to_run_without_recipients(settings):
    settings.STATS_REPORT_RECIPIENTS = []
    with pytest.raises(CommandError):
        call_command("send_reports", "--period", "daily", verbosity=0)
    assert mail.outbox == []

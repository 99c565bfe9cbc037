"""Bulletins (月报 and the rest): the period's figures as a page and a PDF a leader forwards, with
hand-computed figures; the PDF read back with pdftotext and looked at through pdftoppm, its first page
saved to test-artifacts/. Without poppler-utils those checks are skipped, but not on CI."""

import os
import shutil
import subprocess
from datetime import datetime

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from cases.models import Post
from stats import periods
from tests.browser import ARTIFACTS
from tests.factories import make_accepted_post, make_editor, make_handler, make_unit, make_user

SH = periods.LOCAL
MARCH = "?kind=month&day=2026-03-10"


@pytest.fixture
def march():
    """后勤管理处: two posts, one answered in an hour, one never (overdue); 保卫处: one answered and
    closed in time. Response rates: 50.0%, 100.0%; the school 2 of 3, 66.7%."""
    logistics, security, editor = make_unit("后勤管理处"), make_unit("保卫处"), make_editor()
    with time_machine.travel(datetime(2026, 3, 2, 9, tzinfo=SH), tick=False):
        answered = make_accepted_post(editor, logistics, title="三号楼热水不热")
        make_accepted_post(editor, logistics, title="五号楼热水不热")
        closed = make_accepted_post(editor, security, title="东门路灯坏了")
        closed.is_typical = True
        closed.save()
    with time_machine.travel(datetime(2026, 3, 2, 10, tzinfo=SH), tick=False):
        answered.reply(make_handler(logistics), "已修好", is_public=True)
        handler = make_handler(security)
        closed.reply(handler, "已更换灯泡", is_public=True)
        closed.close(handler)


def _read_as_leader(client, url):
    client.force_login(make_user(groups=["校领导"]))
    with time_machine.travel(datetime(2026, 4, 1, 9, tzinfo=SH), tick=False):
        return client.get(url)


def test_the_bulletin_page_ranks_the_units_with_a_totals_row(client, march):
    page = _read_as_leader(client, reverse("stats_admin:bulletin") + MARCH).content.decode()
    ranking = page[page.index("data-ranking") : page.index("</table>", page.index("data-ranking"))]
    assert ranking.index("保卫处") < ranking.index("后勤管理处")  # by response rate
    assert '<td class="n">1</td><td>保卫处</td><td class="n">1</td><td class="n">100.0%</td>' in ranking
    assert '<td class="n">2</td><td>后勤管理处</td><td class="n">2</td><td class="n">50.0%</td>' in ranking
    assert '<th>全校</th><td class="n">3</td><td class="n">66.7%</td>' in ranking
    trend = page[page.index("data-trend") : page.index("</table>", page.index("data-unit-trend"))]
    weeks = ["2026-03-01 – 2026-03-07", "2026-03-08 – 2026-03-14", "2026-03-29 – 2026-03-31"]  # a month by weeks
    assert all(week in trend for week in weeks)
    assert '<td>2026-03-01 – 2026-03-07</td><td class="n">3</td><td class="n">66.7%</td>' in trend
    assert '<th>后勤管理处</th><td class="n">50.0%</td><td class="n">—</td>' in trend  # each unit's beside it
    assert "参与率" in page and "100.0% (2/2)" in page  # both units that received posts answered one
    assert "热水（3）" in page  # the hot word in all three posts (the factory's text asks about hot water too)
    typical = Post.objects.get(title="东门路灯坏了")
    assert f"#{typical.pk} 东门路灯坏了（保卫处）" in page  # the typical case
    overdue = page[page.index("逾期未办：2 条") :]  # past the resolution deadline, answered or not
    assert "五号楼热水不热" in overdue and "三号楼热水不热" in overdue and "东门路灯坏了" not in overdue


def test_the_pdf_holds_the_same_figures_and_a_picture_of_it_is_saved(client, march, tmp_path):
    response = _read_as_leader(client, reverse("stats_admin:bulletin_pdf") + MARCH)
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    pdf = tmp_path / "bulletin.pdf"
    pdf.write_bytes(response.content)
    text = _poppler("pdftotext", "-layout", str(pdf), "-").stdout
    for expected in ("2026-03-01 – 2026-03-31", "保卫处", "后勤管理处", "全校", "66.7%", "100.0%", "50.0%"):
        assert expected in text, expected
    ARTIFACTS.mkdir(exist_ok=True)
    _poppler(
        "pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(ARTIFACTS / "15-bulletin")
    )
    assert (ARTIFACTS / "15-bulletin.png").stat().st_size > 10_000  # a page with text on it, not a blank


def test_only_statistics_readers_get_it(client, march):
    handler = make_handler(make_unit("教务处"))
    for user in (handler, None):
        client.logout()
        if user:
            client.force_login(user)
        for name in ("stats_admin:bulletin", "stats_admin:bulletin_pdf"):
            response = client.get(reverse(name) + MARCH)
            assert response.status_code in (302, 403)


def test_send_reports_attaches_the_bulletin(march, settings):
    settings.STATS_REPORT_RECIPIENTS = ["leader@example.edu"]
    with time_machine.travel(datetime(2026, 4, 1, 9, tzinfo=SH), tick=False):
        call_command("send_reports", "--period", "monthly", verbosity=0)
    (message,) = mail.outbox
    names = [name for name, _content, _mimetype in message.attachments]
    assert names == ["ranking-2026-03-01-2026-03-31.xlsx", "bulletin-2026-03-01-2026-03-31.pdf"]
    assert message.attachments[1][1].startswith(b"%PDF")


def _poppler(*command):
    if shutil.which(command[0]) is None:
        reason = f"{command[0]} is missing (apt-get install poppler-utils)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}: the PDF cannot be checked on CI", pytrace=False)
        pytest.skip(reason)
    return subprocess.run(command, check=True, capture_output=True, text=True)  # noqa: S603 - poppler, fixed arguments

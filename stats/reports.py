"""The ranking of units as a table, a CSV and an XLSX file: one list of columns for all three."""

import csv
import io
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.mixins import SpreadsheetExportMixin

from stats import figures


def percent(value):
    return "—" if value is None else f"{value * 100:.1f}%"


def score(value):
    return "—" if value is None else f"{value:.2f}"


def hours(value):
    return "—" if value is None else f"{value.total_seconds() / 3600:.1f}"


def plain(value):
    return value


# A spreadsheet runs a cell starting with one of these as a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """The value for a CSV or XLSX cell: text a spreadsheet would run gets a leading quote; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def guard_wagtail_exports():
    """Wagtail's own spreadsheets (site history, aging pages) write page titles, which posters wrote,
    into CSV as they are: every text cell of them goes through safe_cell too."""
    formats = {SpreadsheetExportMixin.FORMAT_CSV: safe_cell, SpreadsheetExportMixin.FORMAT_XLSX: safe_cell}
    SpreadsheetExportMixin.custom_value_preprocess = {**SpreadsheetExportMixin.custom_value_preprocess, str: formats}


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    shown: callable  # how the table and the CSV show the value
    is_rate: bool = False  # rates go into the spreadsheet as fractions formatted as percentages

    def value(self, row):
        return getattr(row, self.key)

    def spreadsheet_value(self, row):
        value = self.value(row)
        if value is None or isinstance(value, (int, float, str)):
            return value
        return round(value.total_seconds() / 3600, 2)  # a timedelta, in hours


COLUMNS = [
    Column("unit_name", _("Unit"), plain),
    Column("received", _("Posts received"), plain),
    Column("response_rate", _("Response rate"), percent, is_rate=True),
    Column("completion_rate", _("Completion rate"), percent, is_rate=True),
    Column("on_time_completion_rate", _("Completed on time"), percent, is_rate=True),
    Column("satisfaction_rate", _("Satisfaction rate"), percent, is_rate=True),
    Column("rated", _("Ratings"), plain),
    Column("avg_attitude", _("Attitude"), score),
    Column("avg_speed", _("Speed"), score),
    Column("avg_result", _("Result"), score),
    Column("avg_wait", _("Average hours to first reply"), hours),
    Column("p90_wait", _("P90 hours to first reply"), hours),
    Column("reopen_rate", _("Reopen rate"), percent, is_rate=True),
    Column("transfers", _("Transfers out"), plain),
]
COLUMN_KEYS = [column.key for column in COLUMNS]
DEFAULT_SORT = "response_rate"


HOME_FIGURES = ("received", "response", "satisfaction")  # the home page's, worded as everywhere


def headline(figures, participation=None, only=None):
    """[(label, shown value)]: the overall figures above a ranking or on the public page; `only` picks
    some by name (the home page's HOME_FIGURES), so every page says the same in the same words."""
    named = [
        ("received", _("Posts received"), figures.received),
        ("response", _("Response rate"), percent(figures.response_rate)),
        ("completion", _("Completion rate"), percent(figures.completion_rate)),
        ("on_time", _("Completed on time"), percent(figures.on_time_completion_rate)),
        ("satisfaction", _("Satisfaction rate"), percent(figures.satisfaction_rate)),
        ("wait", _("Average hours to first reply"), hours(figures.avg_wait)),
        ("reopen", _("Reopen rate"), percent(figures.reopen_rate)),
    ]
    items = [(label, value) for name, label, value in named if only is None or name in only]
    if participation is not None:
        answered, received = participation
        share = percent(answered / received if received else None)
        items.append((_("Participation"), f"{share} ({answered}/{received})"))
    return items


def ranking(period, sort=DEFAULT_SORT, descending=True, max_age=None):
    """All units' figures for the period, sorted by one column (rows without a value last)."""
    rows = figures.by_unit(period, max_age=max_age)
    with_value = [row for row in rows if getattr(row, sort) is not None]
    without = [row for row in rows if getattr(row, sort) is None]
    with_value.sort(key=lambda row: row.unit_name)  # ties keep the units' names in order
    with_value.sort(key=lambda row: getattr(row, sort), reverse=descending)
    return with_value + sorted(without, key=lambda row: row.unit_name)


def table(rows):
    """[[shown value per column]] for the HTML table and the CSV."""
    return [[column.shown(column.value(row)) for column in COLUMNS] for row in rows]


PUBLIC_KEYS = ["unit_name", "received", "response_rate", "completion_rate", "satisfaction_rate"]
PUBLIC_HEADINGS = [column.label for column in COLUMNS if column.key in PUBLIC_KEYS]


def public_table(rows):
    """The few columns the public page shows per unit, for units that received posts."""
    columns = [column for column in COLUMNS if column.key in PUBLIC_KEYS]
    return [[column.shown(column.value(row)) for column in columns] for row in rows if row.received]


def csv_bytes(rows, title):
    """UTF-8 with a byte order mark, so Excel opens the Chinese headers as Chinese."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([str(title)])
    writer.writerow([str(column.label) for column in COLUMNS])
    writer.writerows([safe_cell(value) for value in row] for row in table(rows))
    return "\ufeff".encode() + out.getvalue().encode()


def xlsx_bytes(rows, title):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(_("Ranking"))
    sheet.append([str(title)])
    sheet.append([str(column.label) for column in COLUMNS])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([safe_cell(column.spreadsheet_value(row)) for column in COLUMNS])
    for index, column in enumerate(COLUMNS, start=1):
        if column.is_rate:
            for (cell,) in sheet.iter_rows(min_row=3, min_col=index, max_col=index):
                cell.number_format = "0.0%"
    sheet.column_dimensions["A"].width = 22
    sheet.freeze_panes = "B3"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()

"""Bulletins (日报/月报/半年报/年报): one period's figures as a document a leader forwards, on screen and
as PDF (WeasyPrint; a CJK font from the system, e.g. Debian's fonts-wqy-microhei, is embedded).

Internal: read by statistics readers and mailed by send_reports. Post titles are the editors'
shown titles, as in staff messages; no poster is named.
"""

from datetime import timedelta

from django.template.loader import render_to_string
from django.utils import timezone

from cases.models import Post
from stats import figures, hot_topics, reports
from stats.periods import add_months, custom_period

BULLETIN_KEYS = [
    "unit_name",
    "received",
    "response_rate",
    "completion_rate",
    "on_time_completion_rate",
    "satisfaction_rate",
]
LISTED = 20  # overdue and key-supervision items shown; the ledgers hold the rest


def context(period, now=None):
    now = now or timezone.now()
    overall = figures.overall(period, now=now)
    rows = [row for row in reports.ranking(period) if row.received]
    columns = [column for column in reports.COLUMNS if column.key in BULLETIN_KEYS]
    posts = Post.objects.accepted_between(period.start, period.end)
    categories, steps = figures.by_category(period, now=now)
    return {
        "period": period,
        "made_at": now,
        "headline": reports.headline(overall, figures.participation(rows)),
        "columns": columns,
        "ranking": [
            (rank, [column.shown(column.value(row)) for column in columns]) for rank, row in enumerate(rows, 1)
        ],
        "totals": [column.shown(column.value(overall)) for column in columns],
        **_trends(period, rows, now),
        "categories": _category_totals(categories, steps),
        "words": hot_topics.top_terms(posts, limit=10),
        "recurring": [(title, len(ids)) for title, ids in hot_topics.recurring(posts, limit=5)],
        "typical": list(posts.filter(is_typical=True).select_related("unit")[:LISTED]),
        "overdue": list(Post.objects.overdue(now).select_related("unit").order_by("resolution_due_at")[:LISTED]),
        "overdue_count": Post.objects.overdue(now).count(),
        "key_supervision": list(Post.objects.key_supervision().select_related("unit")[:LISTED]),
    }


def _parts(period):
    """What a printed trend steps by: a day alone; weeks of a month or less; months of longer periods."""
    if period.first == period.last:
        return [period]
    if (period.last - period.first).days < 62:
        week_firsts = [period.first + timedelta(days=n) for n in range(0, (period.last - period.first).days + 1, 7)]
        return [custom_period(first, min(first + timedelta(days=6), period.last)) for first in week_firsts]
    parts, day = [], period.first
    while day <= period.last:
        end = min(add_months(day, 1) - timedelta(days=1), period.last)
        parts.append(custom_period(day, end))
        day = end + timedelta(days=1)
    return parts


def _trends(period, rows, now):
    """The response rate per part of the period: the school's, and each unit's beside it."""
    parts = _parts(period)
    school = [(part, figures.overall(part, now=now)) for part in parts]
    units_by_part = [{row.unit_id: row for row in figures.by_unit(part, now=now)} for part in parts]
    units = [
        (row.unit_name, [reports.percent(units[row.unit_id].response_rate) for units in units_by_part]) for row in rows
    ]
    return {
        "parts": parts,
        "trend": [(part, point.received, reports.percent(point.response_rate)) for part, point in school],
        "unit_trend": units,
    }


def _category_totals(categories, steps):
    totals = {pk: sum(counts.get(pk, 0) for _day, counts in steps) for pk, _name in categories}
    most = max(totals.values(), default=0) or 1
    shown = sorted(((name, totals[pk]) for pk, name in categories), key=lambda item: -item[1])
    return [(name, count, round(100 * count / most)) for name, count in shown]


def html(period, now=None):
    return render_to_string("stats/bulletin.html", context(period, now))


def pdf(period, now=None):
    from weasyprint import HTML  # loads pango: only the processes that print pay for it

    return HTML(string=html(period, now)).write_pdf()

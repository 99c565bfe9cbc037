"""The ranking report (三率排名) for leaders, supervisors and editors, on screen and as files."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wall import charts, reports, roles, stats
from wall.admin_forms import RankingForm

from .base import header

RATE_CHARTS = [
    ("response_rate", gettext_lazy("Response rate")),
    ("completion_rate", gettext_lazy("Completion rate")),
    ("satisfaction_rate", gettext_lazy("Satisfaction rate")),
]
FILE_TYPES = {
    "csv": ("text/csv; charset=utf-8", reports.csv_bytes),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", reports.xlsx_bytes),
}


def _require_statistics_reader(user):
    if not roles.may_view_statistics(user):
        raise PermissionDenied


def step_label(day, step_unit):
    return f"{day.month}/{day.day}" if step_unit == "day" else f"{day.year}-{day.month:02d}"


def ranking(request):
    _require_statistics_reader(request.user)
    form = RankingForm(request.GET or None)
    period = form.period()
    rows = reports.ranking(period, form.sort_key(), form.is_descending())
    overall = stats.overall(period)
    return render(
        request,
        "wall/admin/ranking.html",
        {
            "form": form,
            "period": period,
            "overall": overall,
            "headline": reports.headline(overall, stats.participation(rows)),
            "definitions": stats.definitions(),
            "headings": _sort_links(request.GET, form),
            "table": reports.table(rows),
            "query": request.GET.urlencode(),
            "rate_charts": _rate_charts(period),
            "category_chart": _category_chart(period),
            **header(_("Statistics and ranking"), "table"),
        },
    )


def _sort_links(query, form):
    """(column, link that sorts by it, "descending"/"ascending"/"" for the current one) per column."""
    headings = []
    for column in reports.COLUMNS:
        params = query.copy()
        current = column.key == form.sort_key()
        params["sort"] = column.key
        params.pop("ascending", None)
        if current and form.is_descending():
            params["ascending"] = "on"
        state = ("descending" if form.is_descending() else "ascending") if current else ""
        headings.append((column, params.urlencode(), state))
    return headings


def _rate_charts(period):
    points = stats.trend(period)
    labels = [step_label(day, period.step_unit) for day, _figures in points]
    return [
        (title, charts.rate_chart(labels, [getattr(figures, key) for _day, figures in points]))
        for key, title in RATE_CHARTS
    ]


def _category_chart(period):
    categories, points = stats.by_category(period)
    labels = [step_label(day, period.step_unit) for day, _counts in points]
    series = [(name, [counts.get(pk, 0) for _day, counts in points]) for pk, name in categories]
    chart = charts.stacked_bar_chart(labels, series)
    chart["rows"] = [(name, counts, sum(counts)) for name, counts in series]
    return chart


def ranking_download(request, file_type):
    _require_statistics_reader(request.user)
    if file_type not in FILE_TYPES:
        raise Http404
    form = RankingForm(request.GET or None)
    period = form.period()
    rows = reports.ranking(period, form.sort_key(), form.is_descending())
    content_type, build = FILE_TYPES[file_type]
    title = _("Ranking of units %(period)s") % {"period": period.label()}
    response = HttpResponse(build(rows, title), content_type=content_type)
    filename = f"ranking-{period.first}-{period.last}.{file_type}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

"""The ranking report (三率排名) for leaders, supervisors and editors, on screen and as files."""

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases import roles
from cases.admin_views.base import header
from cases.models import Unit
from search.backends import get_backend
from stats import bulletin, charts, figures, hot_topics, reports, rules
from stats.forms import HotTopicsForm, RankingForm

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
    overall = figures.overall(period)
    return render(
        request,
        "stats/admin/ranking.html",
        {
            "form": form,
            "period": period,
            "overall": overall,
            "headline": reports.headline(overall, figures.participation(rows)),
            "definitions": rules.definitions(),
            "headings": _sort_links(request.GET, form),
            "table": reports.table(rows),
            "query": request.GET.urlencode(),
            "rate_charts": _rate_charts(period),
            "trend_table": _trend_table(period),
            "category_chart": _category_chart(period),
            "channels": figures.by_channel(period),
            "return_visits": _per_unit(figures.return_visits(period), "satisfaction_rate"),
            "urgent": _per_unit(figures.urgent(period), "response_rate"),
            "from_posting": _from_posting(period),
            **header(_("Statistics and ranking"), "table"),
        },
    )


def _per_unit(counted, rate):
    """A small figure's table: (name, figures, the rate shown) per unit that had any, and the school's;
    None when no unit had any."""
    rows, total = counted
    if not rows:
        return None
    shown = [(row.unit_name or "—", row, reports.percent(getattr(row, rate))) for row in rows]
    return {"rows": shown, "total": (_("Whole school"), total, reports.percent(getattr(total, rate)))}


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
    points = figures.trend(period)
    labels = [step_label(day, period.step_unit) for day, _figures in points]
    return [
        (title, charts.rate_chart(labels, [getattr(figures, key) for _day, figures in points]))
        for key, title in RATE_CHARTS
    ]


def _trend_table(period):
    """The trend charts' values, beside them: (step, received, one shown rate per chart)."""
    return [
        (
            step_label(day, period.step_unit),
            point.received,
            [reports.percent(getattr(point, key)) for key, _title in RATE_CHARTS],
        )
        for day, point in figures.trend(period)
    ]


def _from_posting(period):
    """[(label, hours)] of the clock as posters see it, from posting; empty without posts."""
    screening, first_reply = figures.from_posting(period)
    if screening is None:
        return []
    return [
        (_("Average hours from posting to acceptance (受理时长)"), reports.hours(screening)),
        (_("Average hours from posting to the first reply"), reports.hours(first_reply)),
    ]


def _category_chart(period):
    categories, points = figures.by_category(period)
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


def bulletin_page(request):
    """The bulletin as a page, to read or print; its PDF beside it (the same template)."""
    _require_statistics_reader(request.user)
    period = RankingForm(request.GET or None).period()
    return HttpResponse(bulletin.html(period))


def bulletin_pdf(request):
    _require_statistics_reader(request.user)
    period = RankingForm(request.GET or None).period()
    response = HttpResponse(bulletin.pdf(period), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="bulletin-{period.first}-{period.last}.pdf"'
    return response


def hot_topics_report(request):
    if not roles.may_view_statistics(request.user):
        raise PermissionDenied
    user = request.user
    # A unit supervisor reads their units' posts only, as in the ledgers: the groups show titles.
    units = Unit.objects.all() if roles.reads_every_units_ledgers(user) else user.supervised_units.all()
    form = HotTopicsForm(request.GET or None, units=units)  # a period and, optionally, a unit and a place
    period = form.period()
    unit = form.cleaned_data.get("unit") if form.is_valid() else None
    place = form.chosen_place()
    posts = hot_topics.received_in(period, unit).in_ledgers_of(user)
    if place:
        posts = posts.filter(place=place)
    # With Elasticsearch, its aggregation over the wall's published posts is shown as well.
    public_terms = None if place else get_backend().top_terms(period.first, period.last, unit.pk if unit else None)
    years, months = hot_topics.place_seasons(place) if place else figures.seasons(unit)
    return render(
        request,
        "stats/admin/hot_topics.html",
        {
            "form": form,
            "period": period,
            "terms": _bars(hot_topics.top_terms(posts), _word_link(request)),
            "public_terms": None if public_terms is None else _bars(public_terms, _word_link(request)),
            "with_word": _posts_with(posts, request.GET.get("word", "").strip()[:50]),
            "clusters": [_cluster(title, post_ids) for title, post_ids in hot_topics.recurring(posts)],
            "may_rectify": user.has_perm("cases.add_rectification"),
            "place": place,
            "places": None if place else _places(request, hot_topics.by_place(posts)),
            "years": years,
            "months": months,
            "season_chart": charts.grouped_bar_chart(
                [str(month) for month, _counts in months],
                [(str(year), [counts[index] for _month, counts in months]) for index, year in enumerate(years)],
            ),
            **header(_("Hot topics"), "pick"),
        },
    )


def _bars(terms, link):
    most = terms[0][1] if terms else 1
    return [(word, count, round(100 * count / most), link(word)) for word, count in terms]


def _places(request, rows):
    """Each place's row, with a link to this page for that place alone (its words and its seasons)."""

    def link(place):
        query = request.GET.copy()
        query["place"] = place.pk
        return f"{request.path}?{query.urlencode()}"

    return [(place, count, "、".join(words), link(place)) for place, count, words in rows]


def _word_link(request):
    """A word's link: this page again, listing the period's posts that have the word."""

    def link(word):
        query = request.GET.copy()
        query["word"] = word
        return f"{request.path}?{query.urlencode()}#word"

    return link


def _posts_with(posts, word, shown=50):
    if not word:
        return None
    having = posts.filter(Q(title__contains=word) | Q(body__contains=word)).order_by("-accepted_at", "-pk")
    return {"word": word, "count": having.count(), "posts": list(having.select_related("unit")[:shown])}


def _cluster(title, post_ids, shown=10):
    links = [(post_id, reverse("cases_admin:post", args=[post_id])) for post_id in post_ids[:shown]]
    # 整改台账: open an item for the whole group, its posts filled in (the editor writes the title).
    numbers = ",".join(str(post_id) for post_id in post_ids)
    rectify = f"{reverse('rectifications:add')}?{urlencode({'posts': numbers})}"
    return {
        "title": title,
        "count": len(post_ids),
        "links": links,
        "more": len(post_ids) - len(links),
        "rectify": rectify,
    }

"""The public statistics page (/stats/)."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from stats import figures, hot_topics, periods, reports, rules
from stats.models import StatisticsSettings
from wall.pagecache import cacheable


def _public_ranking(period):
    return reports.ranking(period, "received", max_age=figures.RECENT_SECONDS)


def transparency(request):
    """The public statistics page: aggregate figures only, never a post's content."""
    today = periods.local_today()
    shown = [
        (_("This month"), periods.period_of(periods.PeriodKind.MONTH, today)),
        (_("This year"), periods.period_of(periods.PeriodKind.YEAR, today)),
    ]
    publish_units = StatisticsSettings.load(request_or_site=request).publish_unit_figures
    sections = [
        {
            "title": title,
            "period": period,
            "headline": reports.headline(figures.overall(period, max_age=figures.RECENT_SECONDS)),
            "units": reports.public_table(_public_ranking(period)) if publish_units else None,
        }
        for title, period in shown
    ]
    context = {"sections": sections, "unit_headings": reports.PUBLIC_HEADINGS, "definitions": rules.definitions()}
    return render(request, "stats/transparency.html", context)


def common_questions(request):
    """常见问题 / 热点: the answers visitors found most useful and the words the wall's posts keep using,
    from public pages alone."""
    context = {"reused": hot_topics.public_most_reused(), "terms": hot_topics.public_top_terms()}
    return cacheable(render(request, "stats/common_questions.html", context))

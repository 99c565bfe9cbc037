from functools import partial

from django.db.models import Count
from django.urls import include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component

from cases import roles
from cases.models import Post, Unit
from cases.wagtail_hooks import RoleMenuItem
from stats import admin_urls, figures, periods, reports


@hooks.register("register_admin_urls")
def register_stats_admin_urls():
    return [path("wall/", include(admin_urls))]  # under wall/, where the pages were before statistics had an app


# (label, URL name, icon, order); every statistics reader sees them all.
MENU = [
    (_("Statistics and ranking"), "ranking", "table", 140),
    (_("Ledgers"), "ledgers", "list-ol", 141),
    (_("Hot topics"), "hot_topics", "pick", 142),
]
for label, url_name, icon, order in MENU:
    hooks.register(
        "register_admin_menu_item",
        partial(
            RoleMenuItem,
            label,
            reverse_lazy(f"stats_admin:{url_name}"),
            roles.may_view_statistics,
            icon_name=icon,
            order=order,
        ),
    )


class UnitFiguresPanel(Component):
    """A handler's units this month (三率) and what waits in their queue today (日清零)."""

    name = "wall_unit_figures"
    template_name = "stats/admin/unit_figures_panel.html"
    order = 60

    def get_context_data(self, parent_context):
        user = parent_context["request"].user
        period = periods.period_of(periods.PeriodKind.MONTH, periods.local_today())
        units = Unit.objects.all() if user.is_superuser else user.handled_units.all()
        mine = {unit.pk for unit in units}
        queue = dict(
            Post.objects.awaiting_reply().filter(unit__in=mine).order_by().values_list("unit").annotate(n=Count("pk"))
        )
        rows = [row for row in figures.by_unit(period, max_age=figures.RECENT_SECONDS) if row.unit_id in mine]
        return {
            "period": period,
            "rows": [(row.unit_name, queue.get(row.unit_id, 0), reports.headline(row)) for row in rows],
            "may_view_statistics": roles.may_view_statistics(user),
        }


class SchoolFiguresPanel(Component):
    """For readers of the statistics: the whole school this month, and the way to the ranking."""

    name = "wall_school_figures"
    template_name = "stats/admin/school_figures_panel.html"
    order = 40

    def get_context_data(self, parent_context):
        period = periods.period_of(periods.PeriodKind.MONTH, periods.local_today())
        return {"period": period, "headline": reports.headline(figures.overall(period, max_age=figures.RECENT_SECONDS))}


@hooks.register("construct_homepage_panels")
def add_statistics_panels(request, panels):
    if roles.may_view_statistics(request.user):
        panels.append(SchoolFiguresPanel())
    if roles.handles_any_unit(request.user):
        panels.append(UnitFiguresPanel())

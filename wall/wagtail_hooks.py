from functools import partial

from django.db.models import Count
from django.urls import include, path, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from wall import admin_urls, reports, roles, stats
from wall.models import Post, Unit
from wall.viewsets import WallSettingsGroup


@hooks.register("register_admin_viewset")
def register_wall_settings():
    return WallSettingsGroup()


@hooks.register("register_admin_urls")
def register_wall_admin_urls():
    return [path("wall/", include(admin_urls))]


class RoleMenuItem(MenuItem):
    """A menu item shown to the users `is_for(user)` accepts; the view itself checks again."""

    def __init__(self, label, url, is_for, **kwargs):
        super().__init__(label, url, **kwargs)
        self.is_for = is_for

    def is_shown(self, request):
        return self.is_for(request.user)


def _supervises_units_only(user):
    # A global supervisor gets "All overdue posts" instead, which holds these too.
    return roles.supervises_any_unit(user) and not roles.is_global_supervisor(user)


# The staff menu: (label, URL name, who sees it, icon, order).
MENU = [
    (_("New posts"), "screening", roles.is_editor, "mail", 110),
    (_("My units' unreplied posts"), "unreplied", roles.handles_any_unit, "time", 120),
    (_("Overdue in my units"), "overdue", _supervises_units_only, "warning", 125),
    (_("All overdue posts"), "all_overdue", roles.is_global_supervisor, "warning", 126),
    (_("Key supervision"), "key_supervision", roles.is_global_supervisor, "thumbtack", 127),
    (_("All posts"), "posts", roles.is_staff_member, "list-ul", 130),
    (_("Statistics and ranking"), "ranking", roles.may_view_statistics, "table", 140),
    (_("Ledgers"), "ledgers", roles.may_view_statistics, "list-ol", 141),
]
for label, url_name, is_for, icon, order in MENU:
    hooks.register(
        "register_admin_menu_item",
        partial(RoleMenuItem, label, reverse_lazy(f"wall_admin:{url_name}"), is_for, icon_name=icon, order=order),
    )


class WallQueuesPanel(Component):
    """Dashboard counts: what waits for this user's role today (日清零, 逾期督办)."""

    name = "wall_queues"
    template_name = "wall/admin/home_panel.html"
    order = 50

    def get_context_data(self, parent_context):
        user = parent_context["request"].user
        context = dict.fromkeys(
            [
                "screening_count",
                "unreplied_count",
                "overdue_count",
                "supervised_overdue_count",
                "all_overdue_count",
                "key_supervision_count",
            ]
        )
        if roles.is_editor(user):
            context["screening_count"] = Post.objects.awaiting_screening().count()
        if roles.handles_any_unit(user):
            unreplied = Post.objects.handled_by(user).awaiting_reply()
            context["unreplied_count"] = unreplied.count()
            context["overdue_count"] = unreplied.filter(reply_due_at__lt=timezone.now()).count()
        if roles.is_global_supervisor(user):
            context["all_overdue_count"] = Post.objects.overdue().count()
            context["key_supervision_count"] = Post.objects.key_supervision().count()
        elif roles.supervises_any_unit(user):
            context["supervised_overdue_count"] = Post.objects.supervised_by(user).overdue().count()
        return context


@hooks.register("construct_homepage_panels")
def add_wall_queues_panel(request, panels):
    if roles.is_staff_member(request.user):
        panels.append(WallQueuesPanel())


class UnitFiguresPanel(Component):
    """A handler's units this month (三率) and what waits in their queue today (日清零)."""

    name = "wall_unit_figures"
    template_name = "wall/admin/unit_figures_panel.html"
    order = 60

    def get_context_data(self, parent_context):
        user = parent_context["request"].user
        period = stats.period_of(stats.PeriodKind.MONTH, stats.local_today())
        units = Unit.objects.all() if user.is_superuser else user.handled_units.all()
        mine = {unit.pk for unit in units}
        queue = dict(
            Post.objects.awaiting_reply().filter(unit__in=mine).order_by().values_list("unit").annotate(n=Count("pk"))
        )
        rows = [row for row in stats.by_unit(period, max_age=stats.RECENT_SECONDS) if row.unit_id in mine]
        return {
            "period": period,
            "rows": [(row.unit_name, queue.get(row.unit_id, 0), reports.headline(row)) for row in rows],
            "may_view_statistics": roles.may_view_statistics(user),
        }


class SchoolFiguresPanel(Component):
    """For readers of the statistics: the whole school this month, and the way to the ranking."""

    name = "wall_school_figures"
    template_name = "wall/admin/school_figures_panel.html"
    order = 40

    def get_context_data(self, parent_context):
        period = stats.period_of(stats.PeriodKind.MONTH, stats.local_today())
        return {"period": period, "headline": reports.headline(stats.overall(period, max_age=stats.RECENT_SECONDS))}


@hooks.register("construct_homepage_panels")
def add_statistics_panels(request, panels):
    if roles.may_view_statistics(request.user):
        panels.append(SchoolFiguresPanel())
    if roles.handles_any_unit(request.user):
        panels.append(UnitFiguresPanel())

from functools import partial

from django.urls import include, path, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.search import SearchArea
from wagtail.admin.ui.components import Component

from cases import admin_urls, roles
from cases.models import Post
from cases.viewsets import RectificationViewSet, WallSettingsGroup


@hooks.register("register_admin_viewset")
def register_wall_settings():
    return WallSettingsGroup()


@hooks.register("register_admin_viewset")
def register_rectifications():
    return RectificationViewSet()


class PostSearchArea(SearchArea):
    """The admin's search box searches cases first: most staff hold no page permission at all."""

    def is_shown(self, request):
        return roles.is_staff_member(request.user)


@hooks.register("register_admin_search_area")
def register_post_search_area():
    return PostSearchArea(_("Posts"), reverse_lazy("cases_admin:posts"), name="posts", icon_name="list-ul", order=50)


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
    (_("Take in a post"), "intake", roles.is_editor, "plus", 115),
    (_("Return visits due"), "return_visits", roles.is_editor, "user", 116),
    (_("My units' unreplied posts"), "unreplied", roles.handles_any_unit, "time", 120),
    (_("My units' posts awaiting closure"), "awaiting_closure", roles.handles_any_unit, "check", 121),
    (_("My units' posts on hold"), "on_hold", roles.handles_any_unit, "date", 122),
    (_("Overdue in my units"), "overdue", _supervises_units_only, "warning", 125),
    (_("Overdue and escalated posts"), "all_overdue", roles.is_global_supervisor, "warning", 126),
    (_("Key supervision"), "key_supervision", roles.is_global_supervisor, "thumbtack", 127),
    (_("All posts"), "posts", roles.is_staff_member, "list-ul", 130),
]
for label, url_name, is_for, icon, order in MENU:
    hooks.register(
        "register_admin_menu_item",
        partial(RoleMenuItem, label, reverse_lazy(f"cases_admin:{url_name}"), is_for, icon_name=icon, order=order),
    )


class WallQueuesPanel(Component):
    """Dashboard counts: what waits for this user's role today (日清零, 逾期督办)."""

    name = "wall_queues"
    template_name = "cases/admin/home_panel.html"
    order = 50

    def get_context_data(self, parent_context):
        user = parent_context["request"].user
        context = dict.fromkeys(
            [
                "screening_count",
                "screening_late_count",
                "unreplied_count",
                "overdue_count",
                "on_hold_count",
                "on_hold_due_count",
                "unit_key_supervision_count",
                "instruction_count",
                "supervised_overdue_count",
                "all_overdue_count",
                "key_supervision_count",
            ]
        )
        if roles.is_editor(user):
            waiting = list(Post.objects.awaiting_screening().select_related("kind"))
            context["screening_count"] = len(waiting)
            context["screening_late_count"] = sum(post.is_screening_overdue for post in waiting)
        if roles.handles_any_unit(user):
            unreplied = Post.objects.handled_by(user).awaiting_reply()
            context["unreplied_count"] = unreplied.count()
            context["overdue_count"] = unreplied.filter(reply_due_at__lt=timezone.now()).count()
            led = Post.objects.handled_by(user).filter(co_handling=False)
            held = led.on_hold()
            context["on_hold_count"] = held.count()
            context["on_hold_due_count"] = held.filter(solve_by__lte=timezone.localdate()).count()
            context["unit_key_supervision_count"] = Post.objects.visible_to(user).key_supervision().count()
            context["instruction_count"] = led.awaiting_instruction().count()
        if roles.is_global_supervisor(user):
            context["all_overdue_count"] = Post.objects.for_global_supervisors().count()
            context["key_supervision_count"] = Post.objects.key_supervision().count()
        elif roles.supervises_any_unit(user):
            context["supervised_overdue_count"] = Post.objects.supervised_by(user).overdue().count()
        return context


@hooks.register("construct_homepage_panels")
def add_wall_queues_panel(request, panels):
    if roles.is_staff_member(request.user):
        panels.append(WallQueuesPanel())

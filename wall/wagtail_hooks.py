from django.urls import include, path, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from wall import admin_urls, roles
from wall.models import Post
from wall.viewsets import WallSettingsGroup


@hooks.register("register_log_actions")
def register_post_actions(actions):
    actions.register_action("wall.accept", _("Accept and route"), _("Accepted and routed"))
    actions.register_action("wall.reject", _("Reject"), _("Rejected"))
    actions.register_action("wall.reply", _("Reply"), _("Replied"))
    actions.register_action("wall.close", _("Close"), _("Closed"))
    actions.register_action("wall.reopen", _("Reopen"), _("Reopened by the poster"))
    actions.register_action("wall.rate", _("Rate"), _("Rated by the poster"))
    actions.register_action("wall.follow_up", _("Follow-up"), _("Follow-up from the poster"))
    actions.register_action("wall.publish", _("Publish to the wall"), _("Published to the wall"))
    actions.register_action("wall.unpublish", _("Withdraw from the wall"), _("Withdrawn from the wall"))
    actions.register_action("wall.edit_public", _("Edit public text"), _("Public text edited"))


@hooks.register("register_admin_viewset")
def register_wall_settings():
    return WallSettingsGroup()


@hooks.register("register_admin_urls")
def register_wall_admin_urls():
    return [path("wall/", include(admin_urls))]


class ScreeningMenuItem(MenuItem):
    def is_shown(self, request):
        return roles.is_editor(request.user)


class UnrepliedMenuItem(MenuItem):
    def is_shown(self, request):
        return roles.handles_any_unit(request.user)


class AllPostsMenuItem(MenuItem):
    def is_shown(self, request):
        return roles.is_staff_member(request.user)


@hooks.register("register_admin_menu_item")
def register_screening_menu_item():
    return ScreeningMenuItem(_("New posts"), reverse_lazy("wall_admin:screening"), icon_name="mail", order=110)


@hooks.register("register_admin_menu_item")
def register_unreplied_menu_item():
    return UnrepliedMenuItem(
        _("My units' unreplied posts"), reverse_lazy("wall_admin:unreplied"), icon_name="time", order=120
    )


@hooks.register("register_admin_menu_item")
def register_all_posts_menu_item():
    return AllPostsMenuItem(_("All posts"), reverse_lazy("wall_admin:posts"), icon_name="list-ul", order=130)


class WallQueuesPanel(Component):
    """Dashboard counts: what waits for this user's role today (日清零)."""

    name = "wall_queues"
    template_name = "wall/admin/home_panel.html"
    order = 50

    def get_context_data(self, parent_context):
        user = parent_context["request"].user
        context = {"screening_count": None, "unreplied_count": None, "overdue_count": None}
        if roles.is_editor(user):
            context["screening_count"] = Post.objects.awaiting_screening().count()
        if roles.handles_any_unit(user):
            unreplied = Post.objects.for_handler(user).awaiting_reply()
            context["unreplied_count"] = unreplied.count()
            context["overdue_count"] = unreplied.filter(reply_due_at__lt=timezone.now()).count()
        return context


@hooks.register("construct_homepage_panels")
def add_wall_queues_panel(request, panels):
    if roles.is_staff_member(request.user):
        panels.append(WallQueuesPanel())

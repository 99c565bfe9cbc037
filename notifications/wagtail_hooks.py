from django.urls import include, path, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from cases import roles
from notifications import inbox

from .viewsets import NotificationViewSet


@hooks.register("register_admin_viewset")
def register_notifications():
    return NotificationViewSet()


@hooks.register("register_admin_urls")
def register_inbox_urls():
    return [path("inbox/", include(inbox))]


class InboxMenuItem(MenuItem):
    """我的消息, with the number unread: for staff and leaders, who receive the case messages."""

    def is_shown(self, request):
        return roles.is_staff_member(request.user) or roles.is_leader(request.user)

    def render_component(self, request):
        component = super().render_component(request)
        unread = inbox.unread_count(request.user)
        if unread:
            component.label = _("My messages (%(count)d unread)") % {"count": unread}
        return component


@hooks.register("register_admin_menu_item")
def register_inbox_menu_item():
    return InboxMenuItem(
        gettext_lazy("My messages"),
        reverse_lazy("notifications_inbox:index"),
        name="inbox",
        icon_name="mail",
        order=105,
    )

from wagtail import hooks

from .viewsets import NotificationViewSet


@hooks.register("register_admin_viewset")
def register_notifications():
    return NotificationViewSet()

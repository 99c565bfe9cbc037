"""Staff's view of notifications: editors read every message and retry a failed one."""

from django.contrib import messages
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail.admin.ui.tables import Column
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button
from wagtail.permissions import register_permission_policy

from cases import roles
from cases.viewsets import EditorsOnly
from notifications import delivery, notify
from notifications.models import Notification


class NotificationPermissionPolicy(EditorsOnly):
    """Only notifications.notify writes notifications. Editors may read them and retry failed ones."""

    actions = {"view"}


# Registered before the viewset is, as Wagtail requires; wagtail_hooks imports this module first thing.
register_permission_policy(Notification, NotificationPermissionPolicy(Notification))


@require_POST
def retry_notification(request, pk):
    if not roles.is_editor(request.user):
        raise PermissionDenied
    notification = get_object_or_404(Notification, pk=pk)
    if delivery.retry(notification):
        messages.success(request, _("The notification is being sent again."))
    else:
        messages.error(request, _("Only a failed notification can be retried."))
    return redirect(get_valid_next_url_from_request(request) or "wall_notifications:index")


class NotificationIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.status == Notification.Status.FAILED:
            # w-action#post sends a POST with the CSRF token: retrying changes state, so no plain link.
            attrs = {
                "data-controller": "w-action",
                "data-action": "w-action#post",
                "data-w-action-url-value": reverse("wall_notifications:retry", args=[instance.pk]),
            }
            buttons.append(Button(_("Retry"), icon_name="rotate", attrs=attrs, priority=40))
        return buttons


class NotificationViewSet(ModelViewSet):
    model = Notification
    name = "wall_notifications"
    url_prefix = "wall/notifications"
    icon = "mail"
    menu_label = _("Notifications")
    index_view_class = NotificationIndexView
    # Wagtail builds add and edit views for every ModelViewSet; the policy lets nobody use them.
    form_fields = []
    list_display = [
        "subject",
        Column("event", label=_("event"), accessor=lambda n: notify.EVENT_LABELS.get(n.event, n.event)),
        "channel",
        # Never the raw field: a message to an anonymous poster's account hides its address.
        Column("recipient", label=_("recipient"), accessor="get_recipient_display"),
        "status",
        "attempts",
        "created_at",
    ]
    list_filter = ["status", "channel"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "event",
        "channel",
        "recipient",
        "subject",
        "body",
        "post",
        "status",
        "attempts",
        "last_error",
        "next_attempt_at",
        "created_at",
        "sent_at",
    ]
    copy_view_enabled = False
    # Under 回音壁设置 (cases.viewsets.WallSettingsGroup), which notifications may join but cases must not import.
    menu_hook = "register_wall_settings_menu_item"

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("retry/<int:pk>/", retry_notification, name="retry")]

    def get_permissions_to_register(self):
        # Access follows cases.moderate_post (NotificationPermissionPolicy), not these model permissions.
        return Permission.objects.none()

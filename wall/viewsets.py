from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail.admin.ui.tables import Column
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button
from wagtail.permission_policies import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from wall import notify, roles
from wall.admin_forms import UnitForm
from wall.models import CalendarDay, Category, Kind, Notification, Unit


class KindViewSet(ModelViewSet):
    model = Kind
    name = "wall_kinds"
    url_prefix = "wall/kinds"
    icon = "tag"
    menu_label = _("Kinds")
    # sort_order stays a typed number: Wagtail's drag-reordering needs distinct values, and
    # the field defaults to 0 for every row.
    form_fields = ["name", "slug", "entry_label", "description", "sort_order", "reply_hours", "resolve_workdays"]
    list_display = ["name", "entry_label", "slug", "sort_order", "reply_hours", "resolve_workdays"]
    ordering = ["sort_order", "pk"]
    copy_view_enabled = False


class CategoryViewSet(ModelViewSet):
    model = Category
    name = "wall_categories"
    url_prefix = "wall/categories"
    icon = "list-ul"
    menu_label = _("Categories")
    form_fields = ["name", "default_unit", "sort_order"]
    list_display = ["name", "default_unit", "sort_order"]
    ordering = ["sort_order", "pk"]
    copy_view_enabled = False


class UnitViewSet(ModelViewSet):
    model = Unit
    name = "wall_units"
    url_prefix = "wall/units"
    icon = "group"
    menu_label = _("Units")
    list_display = ["name", "type", "is_active"]
    list_filter = ["type", "is_active"]
    search_fields = ["name", "description"]
    copy_view_enabled = False

    def get_form_class(self, for_update=False):
        return UnitForm


class CalendarDayViewSet(ModelViewSet):
    model = CalendarDay
    name = "wall_calendar"
    url_prefix = "wall/calendar"
    icon = "date"
    menu_label = _("Working-day calendar")
    form_fields = ["date", "is_workday", "note"]
    list_display = ["date", "is_workday", "note"]
    copy_view_enabled = False


class EditorsOnly(BasePermissionPolicy):
    """Editors (wall.moderate_post) may take `actions` (every action if None), nobody else any."""

    actions = None

    def user_has_permission(self, user, action):
        return (self.actions is None or action in self.actions) and roles.is_editor(user)

    def users_with_any_permission(self, actions):
        if self.actions is not None and not set(actions) & self.actions:
            return get_user_model().objects.none()
        return get_user_model().objects.with_perm("wall.moderate_post", backend=roles.GROUP_PERMISSIONS)


class NotificationPermissionPolicy(EditorsOnly):
    """Only wall.notify writes notifications. Editors may read them and retry failed ones."""

    actions = {"view"}


# Registered before the viewset is, as Wagtail requires; wagtail_hooks imports this module first thing.
register_permission_policy(Notification, NotificationPermissionPolicy(Notification))


@require_POST
def retry_notification(request, pk):
    if not roles.is_editor(request.user):
        raise PermissionDenied
    notification = get_object_or_404(Notification, pk=pk)
    if notify.retry(notification):
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

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("retry/<int:pk>/", retry_notification, name="retry")]

    def get_permissions_to_register(self):
        # Access follows wall.moderate_post (NotificationPermissionPolicy), not these model permissions.
        return Permission.objects.none()


class WallSettingsGroup(ViewSetGroup):
    menu_label = _("Wall settings")
    menu_icon = "cog"
    menu_order = 800
    items = (KindViewSet, CategoryViewSet, UnitViewSet, CalendarDayViewSet, NotificationViewSet)
    # Other apps add their settings here (the search's synonyms) without wall importing them.
    submenu_hook = "register_wall_settings_menu_item"

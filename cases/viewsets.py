from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import BasePermissionPolicy

from cases import roles
from cases.admin_forms import UnitForm
from cases.models import CalendarDay, Category, Kind, Unit


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
    """Editors (cases.moderate_post) may take `actions` (every action if None), nobody else any."""

    actions = None

    def user_has_permission(self, user, action):
        return (self.actions is None or action in self.actions) and roles.is_editor(user)

    def users_with_any_permission(self, actions):
        if self.actions is not None and not set(actions) & self.actions:
            return get_user_model().objects.none()
        return get_user_model().objects.with_perm("cases.moderate_post", backend=roles.GROUP_PERMISSIONS)


class WallSettingsGroup(ViewSetGroup):
    menu_label = _("Wall settings")
    menu_icon = "cog"
    menu_order = 800
    items = (KindViewSet, CategoryViewSet, UnitViewSet, CalendarDayViewSet)
    # Other apps add their settings here (notifications, the search's synonyms) without cases importing them.
    submenu_hook = "register_wall_settings_menu_item"

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, InlinePanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import CreateView, IndexView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from cases import roles
from cases.admin_forms import RectificationForm, UnitForm
from cases.models import CalendarDay, CannedReply, Category, Kind, Place, Rectification, Unit


class SettingsIndexView(IndexView):
    """Wagtail's listing, saying "nothing here" in words its own catalogue leaves in English."""

    results_template_name = "cases/admin/settings_index_results.html"

    @cached_property
    def no_results_message(self):
        if self.is_searching or self.is_filtering:
            return _("Nothing matches.")
        return _("Nothing here yet.")


def yes_no(model, name):
    """A true/false field shown as 是/否 (Wagtail would print True/False)."""
    label = capfirst(model._meta.get_field(name).verbose_name)
    return Column(name, label=label, accessor=lambda row: _("Yes") if getattr(row, name) else _("No"))


class KindViewSet(ModelViewSet):
    index_view_class = SettingsIndexView
    model = Kind
    name = "wall_kinds"
    url_prefix = "wall/kinds"
    icon = "tag"
    menu_label = _("Kinds")
    # sort_order stays a typed number: Wagtail's drag-reordering needs distinct values, and
    # the field defaults to 0 for every row.
    form_fields = [
        "name",
        "name_en",
        "slug",
        "entry_label",
        "description",
        "sort_order",
        "screening_hours",
        "reply_hours",
        "resolve_workdays",
        "contact_for_handlers",
    ]
    list_display = ["name", "entry_label", "slug", "sort_order", "reply_hours", "resolve_workdays"]
    ordering = ["sort_order", "pk"]
    copy_view_enabled = False


class CategoryViewSet(ModelViewSet):
    index_view_class = SettingsIndexView
    model = Category
    name = "wall_categories"
    url_prefix = "wall/categories"
    icon = "list-ul"
    menu_label = _("Categories")
    form_fields = ["name", "name_en", "default_unit", "is_urgent", "sort_order"]
    list_display = ["name", "default_unit", yes_no(Category, "is_urgent"), "sort_order"]
    ordering = ["sort_order", "pk"]
    copy_view_enabled = False


class PlaceViewSet(ModelViewSet):
    index_view_class = SettingsIndexView
    model = Place
    name = "wall_places"
    url_prefix = "wall/places"
    icon = "site"
    menu_label = _("Places")
    form_fields = ["name", "name_en", "is_active", "sort_order"]
    list_display = ["name", yes_no(Place, "is_active"), "sort_order"]
    ordering = ["sort_order", "pk"]
    copy_view_enabled = False


class UnitViewSet(ModelViewSet):
    index_view_class = SettingsIndexView
    model = Unit
    name = "wall_units"
    url_prefix = "wall/units"
    icon = "group"
    menu_label = _("Units")
    list_display = ["name", "type", yes_no(Unit, "is_active")]
    list_filter = ["type", "is_active"]
    search_fields = ["name", "description"]
    copy_view_enabled = False

    def get_form_class(self, for_update=False):
        return UnitForm


class CalendarDayViewSet(ModelViewSet):
    index_view_class = SettingsIndexView
    model = CalendarDay
    name = "wall_calendar"
    url_prefix = "wall/calendar"
    icon = "date"
    menu_label = _("Working-day calendar")
    form_fields = ["date", "is_workday", "note"]
    list_display = ["date", yes_no(CalendarDay, "is_workday"), "note"]
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


# Registered before the viewset is, as Wagtail requires. Editors keep the canned replies, as they
# keep kinds and categories.
register_permission_policy(CannedReply, EditorsOnly(CannedReply))


class CannedReplyViewSet(ModelViewSet):
    """常用答复: replies handlers start from, for a unit and a category."""

    model = CannedReply
    name = "wall_canned_replies"
    url_prefix = "wall/canned-replies"
    icon = "comment"
    menu_label = _("Canned replies")
    index_view_class = SettingsIndexView
    form_fields = ["title", "body", "unit", "category"]
    list_display = ["title", "unit", "category"]
    list_filter = ["unit", "category"]
    copy_view_enabled = False
    inspect_view_enabled = False

    def get_permissions_to_register(self):
        # Access follows cases.moderate_post (EditorsOnly), not these model permissions.
        return Permission.objects.none()


class RectificationCreateView(CreateView):
    def get_initial(self):
        # Opened from a group of recurring posts on the hot topics page: its posts. Not its title, a
        # poster's own words (perhaps of a private post) that a public item would show.
        initial = super().get_initial()
        if "posts" in self.request.GET:
            initial["post_numbers"] = self.request.GET["posts"][:2000]
        return initial


class RectificationViewSet(ModelViewSet):
    """整改台账: editors and supervisors open, update and close items (their groups' model permissions)."""

    model = Rectification
    name = "rectifications"
    url_prefix = "wall/rectifications"
    icon = "tasks"
    menu_label = _("Rectifications")
    menu_order = 250
    add_to_admin_menu = True
    add_view_class = RectificationCreateView
    edit_handler = ObjectList(
        [
            FieldPanel("title"),
            FieldPanel("unit"),
            FieldPanel("measures"),
            FieldPanel("deadline"),
            FieldPanel("status"),
            FieldPanel("is_public"),
            FieldPanel("post_numbers"),
            InlinePanel("notes", heading=_("Progress"), label=_("progress note")),
        ],
        base_form_class=RectificationForm,
    )
    list_display = ["title", "unit", "deadline", "status", yes_no(Rectification, "is_public")]
    list_filter = ["status", "unit"]
    search_fields = ["title", "measures"]
    copy_view_enabled = False
    inspect_view_enabled = False


class WallSettingsGroup(ViewSetGroup):
    menu_label = _("Wall settings")
    menu_icon = "cog"
    menu_order = 800
    items = (KindViewSet, CategoryViewSet, PlaceViewSet, UnitViewSet, CalendarDayViewSet, CannedReplyViewSet)
    # Other apps add their settings here (notifications, the search's synonyms) without cases importing them.
    submenu_hook = "register_wall_settings_menu_item"

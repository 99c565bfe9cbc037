from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from wall import roles

from .models import SynonymSet


class EditorsOnly(BasePermissionPolicy):
    """Editors keep the thesaurus, as they keep kinds and categories (wall.moderate_post)."""

    def user_has_permission(self, user, action):
        return roles.is_editor(user)

    def users_with_any_permission(self, actions):
        return get_user_model().objects.with_perm("wall.moderate_post", backend=roles.GROUP_PERMISSIONS)


# Registered before the viewset is, as Wagtail requires; wagtail_hooks imports this module first thing.
register_permission_policy(SynonymSet, EditorsOnly(SynonymSet))


class SynonymViewSet(ModelViewSet):
    model = SynonymSet
    name = "search_synonyms"
    url_prefix = "search/synonyms"
    icon = "list-ul"
    menu_label = _("Synonyms")
    # Under 回音壁设置 (wall.viewsets.WallSettingsGroup), which search may join but wall must not import.
    menu_hook = "register_wall_settings_menu_item"
    form_fields = ["words", "is_active"]
    list_display = ["words", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["words"]
    copy_view_enabled = False
    inspect_view_enabled = False

    def get_permissions_to_register(self):
        return Permission.objects.none()

from django.contrib.auth.models import Permission
from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from cases.viewsets import EditorsOnly

from .models import SynonymSet

# Registered before the viewset is, as Wagtail requires; wagtail_hooks imports this module first thing.
# Editors keep the thesaurus, as they keep kinds and categories.
register_permission_policy(SynonymSet, EditorsOnly(SynonymSet))


class SynonymViewSet(ModelViewSet):
    model = SynonymSet
    name = "search_synonyms"
    url_prefix = "search/synonyms"
    icon = "list-ul"
    menu_label = _("Synonyms")
    # Under 回音壁设置 (cases.viewsets.WallSettingsGroup), which search may join but cases must not import.
    menu_hook = "register_wall_settings_menu_item"
    form_fields = ["words", "is_active"]
    list_display = ["words", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["words"]
    copy_view_enabled = False
    inspect_view_enabled = False

    def get_permissions_to_register(self):
        return Permission.objects.none()

from django.urls import path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from cases import roles
from cases.wagtail_hooks import RoleMenuItem

from . import admin_views
from .viewsets import SynonymViewSet


@hooks.register("register_admin_viewset")
def register_synonyms():
    return SynonymViewSet()


@hooks.register("register_admin_urls")
def register_synonym_proposals_url():
    return [
        path("search/synonyms/proposed/", admin_views.synonym_proposals, name="search_synonym_proposals"),
    ]


@hooks.register("register_wall_settings_menu_item")  # under 回音壁设置, beside the synonyms
def register_synonym_proposals_menu_item():
    return RoleMenuItem(
        _("Proposed synonyms"), reverse_lazy("search_synonym_proposals"), roles.is_editor, icon_name="help"
    )

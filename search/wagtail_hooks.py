from django.urls import path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from wall import roles
from wall.wagtail_hooks import RoleMenuItem

from . import admin_views
from .viewsets import SynonymViewSet


@hooks.register("register_admin_viewset")
def register_synonyms():
    return SynonymViewSet()


@hooks.register("register_admin_urls")
def register_hot_topics_url():
    return [
        path("search/hot-topics/", admin_views.hot_topics_report, name="search_hot_topics"),
        path("search/synonyms/proposed/", admin_views.synonym_proposals, name="search_synonym_proposals"),
    ]


@hooks.register("register_wall_settings_menu_item")  # under 回音壁设置, beside the synonyms
def register_synonym_proposals_menu_item():
    return RoleMenuItem(
        _("Proposed synonyms"), reverse_lazy("search_synonym_proposals"), roles.is_editor, icon_name="help"
    )


@hooks.register("register_admin_menu_item")
def register_hot_topics_menu_item():
    return RoleMenuItem(
        _("Hot topics"), reverse_lazy("search_hot_topics"), roles.may_view_statistics, icon_name="pick", order=142
    )

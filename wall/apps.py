from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WallConfig(AppConfig):
    name = "wall"
    verbose_name = _("Echo Wall")

    def ready(self):
        from wall import pagecache, publishing

        pagecache.connect_signals()
        publishing.connect_signals()

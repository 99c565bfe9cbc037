from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WallConfig(AppConfig):
    name = "wall"
    verbose_name = _("Echo Wall")

    def ready(self):
        from wall import (
            log_actions,  # noqa: F401 - registers the audit trail's action labels
            pagecache,
            photos,
            publishing,
        )

        pagecache.connect_signals()
        photos.connect_signals()
        publishing.connect_signals()

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Cases")

    def ready(self):
        from cases import (
            log_actions,  # noqa: F401 - registers the audit trail's action labels
            photos,
        )

        photos.connect_signals()

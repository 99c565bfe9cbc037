from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Who hears of what happens to a post (e-mail, group robots), stored and delivered once."""

    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from notifications import notify

        notify.connect_signals()

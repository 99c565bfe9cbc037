from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    """The figures leaders read: periods, the rollup, 三率, rankings, ledgers, charts, hot topics, reports."""

    name = "stats"
    verbose_name = _("Statistics")

    def ready(self):
        from stats import reports, rollup

        rollup.connect_signals()
        reports.guard_wagtail_exports()

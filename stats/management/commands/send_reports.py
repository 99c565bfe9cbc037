"""Mail the bulletin (PDF) and the ranking (XLSX) of the last finished day, month or year to the
configured recipients.

Run it from cron after midnight (Beijing time), e.g. daily at 00:30, monthly on the 1st, yearly on
1 January: `manage.py send_reports --period daily`. Recipients: STATS_REPORT_RECIPIENTS.
"""

from datetime import date, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from stats import bulletin, periods, reports
from stats.figures import overall

PERIODS = {"daily": periods.PeriodKind.DAY, "monthly": periods.PeriodKind.MONTH, "yearly": periods.PeriodKind.YEAR}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def last_finished(kind, today):
    """The day, month or year that ended most recently before today."""
    return periods.period_of(kind, periods.period_of(kind, today).first - timedelta(days=1))


class Command(BaseCommand):
    help = "Mail the bulletin (PDF) and the ranking of units (三率, XLSX) of the last finished day, month or year."

    def add_arguments(self, parser):
        parser.add_argument("--period", choices=PERIODS, required=True)
        parser.add_argument("--today", type=date.fromisoformat, help="pretend today is this date (YYYY-MM-DD)")

    def handle(self, *args, period, today, **options):
        recipients = settings.STATS_REPORT_RECIPIENTS
        if not recipients:
            raise CommandError("Set STATS_REPORT_RECIPIENTS (comma-separated addresses) to send reports.")
        chosen = last_finished(PERIODS[period], today or periods.local_today())
        title = _("Ranking of units %(period)s") % {"period": chosen.label()}
        figures = overall(chosen)
        body = "\n".join(f"{label}: {value}" for label, value in reports.headline(figures))
        message = EmailMessage(subject=title, body=body, to=recipients)
        rows = reports.ranking(chosen)
        message.attach(f"ranking-{chosen.first}-{chosen.last}.xlsx", reports.xlsx_bytes(rows, title), XLSX)
        message.attach(f"bulletin-{chosen.first}-{chosen.last}.pdf", bulletin.pdf(chosen), "application/pdf")
        message.send()
        if options["verbosity"]:
            self.stdout.write(f"Sent {title} to {len(recipients)} recipient(s).")

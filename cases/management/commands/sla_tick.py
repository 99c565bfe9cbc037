from django.core.management.base import BaseCommand

from cases.escalation import tick


class Command(BaseCommand):
    help = (
        "Remind units of overdue replies, escalate overdue posts to supervisors and then to the global "
        "supervisors, retry failed notifications, send the daily digests, recount the statistics of the days that "
        "changed and write the search index's failed updates again. Safe to run every minute."
    )

    def handle(self, *args, **options):
        done = tick()
        if options["verbosity"]:
            summary = ", ".join(f"{what}: {count}" for what, count in done.items() if count) or "nothing to do"
            self.stdout.write(summary)

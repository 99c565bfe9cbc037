from functools import partial

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from search.backends import get_backend
from search.backends.base import SearchUnavailable
from search.documents import live_pages
from search.outbox import after_rebuild, forget_writes_since


class Command(BaseCommand):
    help = (
        "Rebuild the search index from every live wall page (after a restore, an upgrade, a failed update "
        "or setting ELASTICSEARCH_URL). Searches keep being answered while it runs."
    )

    def handle(self, *args, **options):
        started_at = timezone.now()
        pages = live_pages()
        with tqdm(total=pages.count(), unit="page", disable=not self.stdout.isatty()) as progress:
            try:
                count = get_backend().rebuild(
                    pages, progress=progress.update, on_filled=partial(forget_writes_since, started_at)
                )
            except SearchUnavailable as error:
                raise CommandError(f"{error} The index in use is unchanged; try again later.") from error
        left = after_rebuild(started_at)
        self.stdout.write(f"Indexed {count} pages.")
        if left:
            self.stdout.write(f"{left} pages changed while it ran could not be written again yet: the tick will.")

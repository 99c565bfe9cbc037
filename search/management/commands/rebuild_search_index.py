from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from search.backends import get_backend
from search.backends.base import SearchUnavailable
from search.documents import live_pages


class Command(BaseCommand):
    help = (
        "Rebuild the search index from every live wall page (after a restore, an upgrade, a failed update "
        "or setting ELASTICSEARCH_URL). Searches keep being answered while it runs."
    )

    def handle(self, *args, **options):
        pages = live_pages()
        with tqdm(total=pages.count(), unit="page", disable=not self.stdout.isatty()) as progress:
            try:
                count = get_backend().rebuild(pages, progress=progress.update)
            except SearchUnavailable as error:
                raise CommandError(f"{error} The index in use is unchanged; try again later.") from error
        self.stdout.write(f"Indexed {count} pages.")

from django.core.management.base import BaseCommand
from tqdm import tqdm

from search.backends import get_backend
from search.documents import live_pages


class Command(BaseCommand):
    help = "Rebuild the search index from every live wall page (after a restore, an upgrade or a failed update)."

    def handle(self, *args, **options):
        pages = live_pages()
        with tqdm(total=pages.count(), unit="page", disable=not self.stdout.isatty()) as progress:
            count = get_backend().rebuild(pages, progress=progress.update)
        self.stdout.write(f"Indexed {count} pages.")

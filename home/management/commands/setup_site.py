from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail.models import Page, Site

from cases.roles import ensure_groups
from home.models import HomePage
from wall.models import WallIndexPage


class Command(BaseCommand):
    help = "Create the home page, the wall and the role groups if they are missing. Safe to run again."

    @transaction.atomic
    def handle(self, *args, **options):
        home = HomePage.objects.first()
        if home is None:
            root = Page.get_first_root_node()
            # Wagtail's placeholder welcome page occupies the slug we want.
            Page.objects.filter(depth=2, slug="home", content_type__model="page").delete()
            home = root.add_child(instance=HomePage(title="回音壁", slug="home", intro="接诉即办 · 有问必答"))
        site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True, site_name="回音壁")
        site.root_page = home
        if site.hostname in ("", "localhost"):  # Wagtail's placeholder: the sitemap and links would name it
            site.hostname, site.port = _public_host()
        site.save()
        if not WallIndexPage.objects.exists():
            home.add_child(instance=WallIndexPage(title="回音壁", slug="wall", intro="公开的诉求与答复"))
        ensure_groups()
        if options["verbosity"]:
            self.stdout.write(self.style.SUCCESS("Site, wall and role groups are in place."))


def _public_host():
    """(host, port) of WAGTAILADMIN_BASE_URL, the address the site is reached at."""
    address = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    return address.hostname or "localhost", address.port or (443 if address.scheme == "https" else 80)

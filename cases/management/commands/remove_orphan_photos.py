import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from cases.models import PostPhoto


class Command(BaseCommand):
    help = (
        "Delete photo files no post refers to any more: left by a process killed while storing a post "
        "(its rows were rolled back, its files were already written). Files younger than --grace-minutes "
        "are kept, as they may belong to a post being stored right now. Run it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument("--grace-minutes", type=float, default=60)

    def handle(self, *args, grace_minutes, **options):
        folder = Path(settings.MEDIA_ROOT) / "posts"
        known = set(PostPhoto.objects.values_list("image", flat=True))
        old_enough = time.time() - grace_minutes * 60
        removed = 0
        for path in folder.rglob("*") if folder.is_dir() else []:
            name = path.relative_to(settings.MEDIA_ROOT).as_posix()
            if path.is_file() and name not in known and path.stat().st_mtime < old_enough:
                path.unlink()
                removed += 1
        if options["verbosity"]:
            self.stdout.write(f"{removed} orphan photo file(s) removed.")

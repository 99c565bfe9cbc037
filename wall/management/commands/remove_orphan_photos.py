import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from cases.models import PostPhoto
from wall.models import PendingPhoto
from wall.pending_photos import KEEP_HOURS


class Command(BaseCommand):
    help = (
        "Delete photo files no post refers to any more: left by a process killed while storing a post "
        "(its rows were rolled back, its files were already written), and photos kept from a failed "
        f"submission that nobody came back for within {KEEP_HOURS} hours. Files younger than "
        "--grace-minutes are kept, as they may belong to a post being stored right now. Run it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument("--grace-minutes", type=float, default=60)

    def handle(self, *args, grace_minutes, **options):
        expired = PendingPhoto.objects.filter(created_at__lt=timezone.now() - timedelta(hours=KEEP_HOURS))
        expired.delete()  # their files go below, as no row names them any more
        known = {
            *PostPhoto.objects.values_list("image", flat=True),
            *PendingPhoto.objects.values_list("image", flat=True),
        }
        old_enough = time.time() - grace_minutes * 60
        removed = 0
        for folder in (Path(settings.MEDIA_ROOT) / "posts", Path(settings.MEDIA_ROOT) / "pending"):
            for path in folder.rglob("*") if folder.is_dir() else []:
                name = path.relative_to(settings.MEDIA_ROOT).as_posix()
                if path.is_file() and name not in known and path.stat().st_mtime < old_enough:
                    path.unlink()
                    removed += 1
        if options["verbosity"]:
            self.stdout.write(f"{removed} orphan photo file(s) removed.")

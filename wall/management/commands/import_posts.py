import os
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from tqdm import tqdm

from wall.importing import BadLine, Importer, parse_line
from wall.models import WallIndexPage


class Command(BaseCommand):
    help = (
        "Import historical posts from FILE, one JSON object per line. "
        "Required: title, body, kind and category (every case has a kind and a category, and guessing them "
        "would misfile old posts). Kinds, categories and units are given by name and created if missing. "
        "Optional: unit; created_at (ISO 8601, Beijing time when it has no offset; default: now); "
        "status (submitted, accepted, replied, closed, reopened, rejected or merged; default: replied if there "
        "are replies, else submitted); is_public (default false) and anonymous (default true): what the old "
        "system did not record stays private; poster_name; poster_contact (an email address or a phone number); "
        "replies, a list of {body, is_public, unit, created_at} (is_public defaults to false, unit to the post's, "
        "created_at to the post's). Other keys are ignored. Bad lines are reported on stderr and skipped; "
        "each good line is imported whole or not at all."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="a .jsonl file exported from the old system")
        parser.add_argument(
            "--publish",
            action="store_true",
            help="put the posts that are public and in a state the wall shows on the wall",
        )

    def handle(self, *args, file, publish, **options):
        if publish and not WallIndexPage.objects.exists():
            raise CommandError("There is no wall to publish to; run `manage.py setup_site` first.")
        try:
            stream = open(file, "rb")  # closed by the with block below
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        importer = Importer(publish=publish)
        imported = skipped = 0
        now = timezone.now()
        size = os.fstat(stream.fileno()).st_size
        # Counted in bytes so that the bar can show how far it is without reading the file twice.
        with stream, tqdm(total=size, unit="B", unit_scale=True, disable=not self.stdout.isatty()) as progress:
            for number, raw in enumerate(stream, start=1):
                progress.update(len(raw))
                if not raw.strip():
                    continue
                try:
                    importer.save(parse_line(_decode(raw), now))
                except BadLine as error:
                    skipped += 1
                    with tqdm.external_write_mode(file=sys.stderr):
                        self.stderr.write(_("Line %(number)d: %(reason)s") % {"number": number, "reason": error})
                    continue
                imported += 1
            importer.finish()
        for what, name in importer.created:
            self.stdout.write(f"Created {what} “{name}”; check it in the admin.")
        if publish:
            self.stdout.write(f"Published {importer.published} posts on the wall.")
        self.stdout.write(f"Imported {imported} posts, skipped {skipped} lines.")


def _decode(raw):
    try:
        return raw.decode("utf-8-sig")  # -sig: spreadsheets start their exports with a byte-order mark
    except UnicodeDecodeError:
        raise BadLine(_("not UTF-8 text.")) from None

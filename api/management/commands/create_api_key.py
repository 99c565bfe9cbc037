from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from api.models import ApiClient


class Command(BaseCommand):
    help = "Issue an API key to a client (created if new) and print it. Only its hash is stored: keep it now."

    def add_arguments(self, parser):
        parser.add_argument("client_name")
        parser.add_argument("--label", default="", help="What this key is for, e.g. “production server”.")
        parser.add_argument("--user", help="A staff member's personal key: staff endpoints act as this user.")

    def handle(self, *args, client_name, label, user, **options):
        acting = None
        if user:
            acting = get_user_model().objects.filter(username=user).first()
            if acting is None:
                raise CommandError(f"There is no user {user!r}.")
        client, created = ApiClient.objects.get_or_create(name=client_name.strip())
        if not client.is_active:
            self.stderr.write(f"Note: client {client.name!r} is inactive; its keys are refused until it is activated.")
        _, plaintext = client.issue_key(label=label, user=acting)
        if options["verbosity"] > 1:
            self.stderr.write(f"{'Created client' if created else 'Client'} {client.name!r}; new key:")
        self.stdout.write(plaintext)

import time

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from cases.escalation import tick
from cases.models import Category, Kind, Post, Unit
from cases.signals import history_rewritten
from wall import demo_data
from wall.demo_posts import SEED, DemoPosts
from wall.models import OfficeSettings


class Command(BaseCommand):
    help = (
        "Load a demo university: kinds, units, categories, one login per role and about 300 posts of the "
        "last twelve months in every state, most of them on the wall. Does nothing if there are posts already."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Load the demo even with DEBUG off (it creates known passwords)."
        )

    def handle(self, *args, verbosity, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError("The demo creates logins with a published password; use --force if you mean it.")
        with transaction.atomic():
            call_command("setup_site", verbosity=verbosity, stdout=self.stdout, stderr=self.stderr)
            # Demo posts next to real ones would be mistaken for real ones (and vice versa).
            if Post.objects.exists():
                self.stdout.write("Demo data already loaded.")
            else:
                self.load()
        # `make run` seeds on every start: show the logins each time, unless these are not the demo's users.
        if demo_logins_exist():
            self.write_logins()

    def load(self):
        started = time.monotonic()
        kinds = ensure_kinds()
        units = ensure_units()
        categories = ensure_categories(units)
        users = ensure_users(units)
        demo = DemoPosts(SEED, timezone.now(), kinds, categories, units, users)
        posts = demo.create_all()
        demo.hold_some(posts)
        OfficeSettings.objects.filter(hotline="", hours="", address="", wechat="").update(**demo_data.OFFICE)
        Unit.objects.filter(name=demo_data.OVERSEEN_UNIT, vice_president=None).update(vice_president=users["leader"])
        demo.instruct_once(posts, users["leader"])
        published = demo.publish_most(posts)
        typical = Post.objects.filter(on_wall=True, status=Post.Status.CLOSED).order_by("pk")[:4]
        Post.objects.filter(pk__in=list(typical.values_list("pk", flat=True))).update(is_typical=True)  # 典型案例
        history_rewritten.send(sender=None)  # the demo's history was backdated past the models' signals
        # Addresses only now: the backdated history's messages would be news of nothing, while the
        # clock's reminders and escalations below (and later digests) show in the console.
        give_staff_addresses(users)
        # What the clock makes of the demo's open posts: reminders and escalations, as cron would.
        tick()
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(f"Created {len(posts)} posts, {published} of them on the wall, in {elapsed:.1f} s.")
        )

    def write_logins(self):
        self.stdout.write("")
        self.stdout.write(f"{'username':<12} {'password':<15} role")
        for user in demo_data.USERS:
            units = f"（{'、'.join(user.units)}）" if user.units else ""
            self.stdout.write(f"{user.username:<12} {demo_data.DEMO_PASSWORD:<15} {user.role}{units}")


def demo_logins_exist():
    usernames = [user.username for user in demo_data.USERS]
    return User.objects.filter(username__in=usernames).count() == len(usernames)


def ensure_kinds():
    kinds = {}
    for order, (name, slug, entry_label) in enumerate(demo_data.KINDS, start=1):
        defaults = {
            "name": name,
            "name_en": demo_data.NAMES_EN.get(name, ""),
            "entry_label": entry_label,
            "sort_order": order,
            "contact_for_handlers": slug == "repair",
        }
        kinds[slug], _ = Kind.objects.get_or_create(slug=slug, defaults=defaults)
    return kinds


def ensure_units():
    return {
        name: Unit.objects.get_or_create(
            name=name, defaults={"type": unit_type, "name_en": demo_data.NAMES_EN.get(name, "")}
        )[0]
        for name, unit_type in demo_data.UNITS
    }


def ensure_categories(units):
    categories = {}
    for order, (name, unit_name) in enumerate(demo_data.CATEGORIES, start=1):
        categories[name], _ = Category.objects.get_or_create(
            name=name,
            defaults={
                "default_unit": units.get(unit_name),
                "sort_order": order,
                "name_en": demo_data.NAMES_EN.get(name, ""),
            },
        )
    return categories


def give_staff_addresses(users):
    """An e-mail address for each demo staff account that has none."""
    staff = {spec.username for spec in demo_data.USERS if spec.role != demo_data.POSTER_ROLE}
    for username, user in users.items():
        if not user.email and username in staff:
            user.email = f"{username}@example.org"
            user.save(update_fields=["email"])


def ensure_users(units):
    # One hash for everyone: hashing is deliberately slow and they all share the demo password.
    password = make_password(demo_data.DEMO_PASSWORD)
    users = {}
    for spec in demo_data.USERS:
        superuser = spec.role == demo_data.SUPERUSER_ROLE
        # An account that exists already keeps its password: it may be somebody's real login.
        user, _ = User.objects.get_or_create(
            username=spec.username,
            defaults={"first_name": spec.name, "password": password, "is_superuser": superuser, "is_staff": superuser},
        )
        if spec.group:
            user.groups.add(Group.objects.get(name=spec.role))
        for unit_name in spec.units:
            units[unit_name].handlers.add(user)
        for unit_name in spec.supervises:
            units[unit_name].supervisors.add(user)
        users[spec.username] = user
    return users

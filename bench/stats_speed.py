"""How fast the 三率 ranking of all units is computed and rendered, for a day, a month and a year.

Fills a throwaway database with generated posts spread over 5 years and 40 units (replies on time
and late, closures, ratings, reopens, transfers and co-handling in realistic shares), then times
stats.figures.by_unit (the ranking's figures, uncached) and the whole admin ranking page (figures,
trend, categories, charts, template), cold and from the cache of a finished period.

    .venv/bin/python bench/stats_speed.py [--posts 1000000] [--keep var/stats1m]
    DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python tests/with_postgres.py \\
        .venv/bin/python bench/stats_speed.py --posts 1000000      # the same on PostgreSQL 15

The posts are written with bulk_create, not through the model's transitions: the figures depend on
the stored timestamps only, and a million transitions would take hours.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
UNITS, YEARS, BATCH = 40, 5, 5000


def setup_django(var_dir):
    os.environ["ECHOWALL_VAR_DIR"] = var_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.DEBUG = False
    call_command("migrate", verbosity=0)
    call_command("setup_site", verbosity=0)


def make_post(rng, now, kind, categories, units, serial):
    from cases.models import Post

    accepted = now - timedelta(seconds=rng.randrange(YEARS * 365 * 86400))
    replied = accepted + timedelta(minutes=rng.expovariate(1 / 600)) if rng.random() < 0.95 else None
    closed = replied + timedelta(hours=rng.expovariate(1 / 30)) if replied and rng.random() < 0.85 else None
    status = Post.Status.CLOSED if closed else Post.Status.REPLIED if replied else Post.Status.ACCEPTED
    return Post(
        kind=kind,
        category=rng.choice(categories),
        unit=rng.choice(units),
        title="生成的诉求",
        body="用于统计速度测试",
        status=status,
        round=2 if rng.random() < 0.04 else 1,
        created_at=accepted - timedelta(minutes=30),
        accepted_at=accepted,
        reply_due_at=accepted + timedelta(hours=24),
        resolution_due_at=accepted + timedelta(days=4),
        first_replied_at=replied,
        closed_at=closed,
        tracking_token=f"bench-{rng.getrandbits(96):024x}",
        tracking_code=f"B{serial:09d}",
    )


def fill(count, rng):
    from django.utils import timezone

    from cases.models import Category, Kind, Post, Rating, Transfer, Unit

    kind = Kind.objects.create(name="咨询", slug="question")
    categories = [Category.objects.create(name=f"分类{number}") for number in range(12)]
    units = [Unit.objects.create(name=f"单位{number:02d}") for number in range(UNITS)]
    through = Post.co_units.through
    now, started, done = timezone.now(), time.monotonic(), 0
    while done < count:
        posts = Post.objects.bulk_create(
            [make_post(rng, now, kind, categories, units, done + n) for n in range(min(BATCH, count - done))]
        )
        replied = [post for post in posts if post.first_replied_at]
        Rating.objects.bulk_create(
            Rating(post=post, attitude=rng.randint(3, 5), speed=rng.randint(2, 5), result=rng.randint(2, 5))
            for post in replied
            if rng.random() < 0.5
        )
        moved = [post for post in posts if rng.random() < 0.03]
        Transfer.objects.bulk_create(
            Transfer(
                post=post,
                from_unit=rng.choice(units),
                to_unit=post.unit,
                reason="基准测试",
                created_at=post.accepted_at + timedelta(hours=1),
            )
            for post in moved
        )
        through.objects.bulk_create(
            through(post_id=post.pk, unit_id=rng.choice(units).pk) for post in posts if rng.random() < 0.02
        )
        done += len(posts)
        print(f"\r{done} posts, {time.monotonic() - started:.0f} s", end="", flush=True)
    print()


def timed(function, repeat):
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def count_rollup():
    """Count the daily figures of every stale day (all of them after a fill): the one-off cost."""
    from stats import periods, rollup
    from stats.models import StaleDay

    days = StaleDay.objects.count()
    started = time.monotonic()
    rollup.refresh(periods.custom_period(periods.local_today() - timedelta(days=YEARS * 366), periods.local_today()))
    print(f"daily figures of {days} days counted in {time.monotonic() - started:.1f} s")


def measure(repeat):
    from django.contrib.auth.models import User
    from django.core.cache import cache
    from django.test import Client
    from django.utils import timezone

    from stats import periods, rollup
    from stats.figures import _by_unit, overall

    admin = User.objects.filter(username="bench").first() or User.objects.create_superuser("bench", password="b3nch")
    client = Client()
    client.force_login(admin)
    today = periods.local_today()
    last_year = today - timedelta(days=365)
    print("period            posts  figures  page, cold  page, today changed  page, cached")
    for kind, day in [("day", last_year), ("month", last_year), ("year", last_year), ("month", today), ("year", today)]:
        period = periods.period_of(kind, day)
        url = f"/admin/wall/statistics/?kind={kind}&day={day.isoformat()}"

        def page(url=url, changed=False):
            cache.clear()
            if changed:  # a post of today was written: its day is recounted before the page is drawn
                rollup.mark_stale(timezone.now())
            assert client.get(url, HTTP_HOST="127.0.0.1").status_code == 200

        figures = timed(lambda period=period: _by_unit(period, timezone.now()), repeat)
        cold = timed(page, repeat)
        changed = timed(lambda page=page: page(changed=True), repeat) if not period.is_finished() else None
        cached = timed(lambda url=url: client.get(url, HTTP_HOST="127.0.0.1"), repeat)
        name = f"{kind} ({'running' if changed else 'finished'})"
        changed = f"{changed:8.0f} ms" if changed else "           —"
        received = overall(period).received
        print(f"{name:<17} {received:>6}  {figures:4.0f} ms  {cold:7.0f} ms  {changed:>19}  {cached:7.0f} ms")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="fill this folder's database once and reuse it on later runs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="echowall-bench-") as scratch:
        var_dir = args.keep or scratch
        setup_django(str(var_dir))
        from django.db import connection

        from cases.models import Post
        from stats import rollup

        print(f"{connection.vendor}, {args.posts} posts over {YEARS} years and {UNITS} units")
        if not Post.objects.exists():
            fill(args.posts, random.Random(5))
            rollup.mark_all_stale()  # bulk_create passed the models' signals by
        count_rollup()
        connection.close()  # a checkpoint: later reads need not look through the rollup's writes
        measure(args.repeat)


if __name__ == "__main__":
    main()

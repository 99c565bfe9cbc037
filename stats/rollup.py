"""The rollup: DailyFigures, recounted from the posts whenever a day is stale (see stats.rules).

Every write to a post, a rating, a transfer or a post's co-handling units marks the days it changes
stale, in the writer's own transaction (the receivers below, connected in StatsConfig.ready).
"""

from collections import Counter
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Count, F, Min
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from cases.models import Post, Rating, Transfer
from cases.signals import history_rewritten, ticked
from stats.expressions import (
    WAIT_STEP,
    LocalDate,
    WaitSeconds,
    counted_posts,
    holder_when_answered,
    post_counts,
    rating_counts,
    received_in,
    transfers_in,
    wait_step,
)
from stats.models import DailyFigures, MonthlyWaits, StaleDay
from stats.periods import LOCAL, add_months, custom_period, local_today


def mark_stale(*instants):
    """Mark the local days of these instants stale, in the writer's own transaction (None is skipped)."""
    days = {timezone.localtime(instant, LOCAL).date() for instant in instants if instant}
    StaleDay.objects.bulk_create(
        [StaleDay(day=day) for day in days], update_conflicts=True, unique_fields=["day"], update_fields=["marked_at"]
    )


def mark_all_stale():
    """For writes that bypass the models (bulk loads, backdated demo data): every day is recounted."""
    first_post = Post.objects.filter(accepted_at__isnull=False).aggregate(first=Min("accepted_at"))["first"]
    days = [timezone.localtime(first_post, LOCAL).date()] if first_post else []
    days += DailyFigures.objects.aggregate(first=Min("day")).values()
    days = [day for day in days if day]
    if days:
        first, today = min(days), local_today()
        StaleDay.objects.bulk_create(
            [StaleDay(day=first + timedelta(days=n)) for n in range((today - first).days + 1)],
            update_conflicts=True,
            unique_fields=["day"],
            update_fields=["marked_at"],
            batch_size=500,
        )


def refresh(period=None):
    """Recount the stale days of the period (of any period if None), a month at a time in a
    transaction of its own, so a recount cut short keeps the months it finished. A day another
    process is recounting is read as it stands. Returns the number of days recounted."""
    stale = StaleDay.objects.all()
    if period is not None:
        stale = stale.filter(day__range=(period.first, period.last))
    recounted = 0
    for month in stale.dates("day", "month"):
        with transaction.atomic():
            in_month = stale.filter(day__range=(month, add_months(month, 1) - timedelta(days=1)))
            days = sorted(in_month.select_for_update(skip_locked=True).values_list("day", flat=True))
            if days:
                recount(days[0], days[-1])
                add_up_waits(month)
                StaleDay.objects.filter(day__in=days).delete()
                recounted += len(days)
    return recounted


def recount(first, last):
    """Replace the DailyFigures of the local days first..last by counts of the posts: about a dozen
    grouped queries, whatever the number of days."""
    period = custom_period(first, last)
    posts = received_in(period).annotate(day=LocalDate(F("accepted_at")))
    ratings = Rating.objects.filter(post__accepted_at__gte=period.start, post__accepted_at__lt=period.end)
    ratings = ratings.annotate(day=LocalDate(F("post__accepted_at")))
    answered = posts.filter(first_replied_at__isnull=False).annotate(tenths=(WaitSeconds() + WAIT_STEP - 1) / WAIT_STEP)
    answered = answered.annotate(step=wait_step())
    moves = transfers_in(period).annotate(day=LocalDate(F("created_at")))
    rows = DayRows()
    for unit_field, posts_of, ratings_of, answered_of in _scopes(posts, ratings, answered):
        rows.add(posts_of, unit_field, post_counts())
        rows.add(ratings_of, unit_field, rating_counts())
        rows.histogram(answered_of, unit_field, "step", "waits")
    rows.add(moves, None, {"transfers": Count("pk")})
    rows.add(moves.annotate(unit_of=F("from_unit")), "unit_of", {"transfers": Count("pk")})
    rows.histogram(posts, None, "category", "categories")
    with transaction.atomic():
        DailyFigures.objects.filter(day__range=(first, last)).delete()
        DailyFigures.objects.bulk_create(rows.values(), batch_size=500)


def _scopes(posts, ratings, answered):
    """(unit field, posts, ratings, answered posts) for the whole school (every post once), for the
    unit holding a post when it was answered, and for the co-handling units."""
    lead, co = holder_when_answered(), F("co_units")
    return [
        (None, posts, ratings, answered),
        (
            "unit_of",
            posts.annotate(unit_of=lead),
            ratings.annotate(unit_of=holder_when_answered("post__")),
            answered.annotate(unit_of=lead),
        ),
        (
            "unit_of",
            posts.filter(co_units__isnull=False).annotate(unit_of=co),
            ratings.filter(post__co_units__isnull=False).annotate(unit_of=F("post__co_units")),
            answered.filter(co_units__isnull=False).annotate(unit_of=co),
        ),
    ]


class DayRows(dict):
    """The DailyFigures being counted, by (local day as text, unit id or None)."""

    def row(self, counts, unit_field):
        key = (counts.pop("day"), counts.pop(unit_field) if unit_field else None)
        if key not in self:
            self[key] = DailyFigures(day=date.fromisoformat(key[0]), unit_id=key[1])
        return self[key]

    def add(self, queryset, unit_field, counts):
        """Add the grouped counts of queryset per day (and unit) to the rows' fields of those names."""
        for grouped in queryset.values("day", *filter(None, [unit_field])).annotate(**counts):
            target = self.row(grouped, unit_field)
            for name, value in grouped.items():
                setattr(target, name, getattr(target, name) + (value or 0))

    def histogram(self, queryset, unit_field, key, field):
        """Fill the rows' JSON field with {key's value: posts} per day (and unit)."""
        grouped = queryset.values("day", key, *filter(None, [unit_field])).annotate(n=Count("pk"))
        for counts in grouped:
            getattr(self.row(counts, unit_field), field)[str(counts[key])] = counts["n"]


def add_up_waits(month):
    """Replace the month's MonthlyWaits by the sums of its days' histograms."""
    last = add_months(month, 1) - timedelta(days=1)
    merged = {}
    for unit_id, waits in DailyFigures.objects.filter(day__range=(month, last)).values_list("unit", "waits"):
        merged.setdefault(unit_id, Counter()).update(waits)
    with transaction.atomic():
        MonthlyWaits.objects.filter(month=month).delete()
        MonthlyWaits.objects.bulk_create(MonthlyWaits(month=month, unit_id=unit, waits=w) for unit, w in merged.items())


def waits_of(period, unit=False):
    """[(unit id or None, histogram)] covering the period: whole months from MonthlyWaits, the days of
    months it only partly covers from DailyFigures. The period's stale days must be recounted first."""
    months, month = [], period.first.replace(day=1)
    while month <= period.last:
        months.append(month)
        month = add_months(month, 1)
    whole = [
        month for month in months if month >= period.first and add_months(month, 1) <= period.last + timedelta(days=1)
    ]
    days = DailyFigures.objects.filter(day__range=(period.first, period.last), unit__isnull=not unit)
    for month in whole:
        days = days.exclude(day__range=(month, add_months(month, 1) - timedelta(days=1)))
    monthly = MonthlyWaits.objects.filter(month__in=whole, unit__isnull=not unit)
    return [*monthly.values_list("unit", "waits"), *days.values_list("unit", "waits")]


def p90(histograms):
    """The 90th percentile (nearest rank) of the waits in these histograms ({step: posts}), as the
    step holds it (rounded up to two significant figures of tenths of an hour): "nine in ten
    answered within this"."""
    counts = Counter()
    for waits in histograms:
        counts.update(waits)
    rank, seen = (9 * counts.total() + 9) // 10, 0  # ceil(0.9 n), in integers
    for step in sorted(counts, key=int):
        seen += counts[step]
        if seen >= rank:
            return timedelta(seconds=int(step) * WAIT_STEP)
    return None


def pending_in(period, now, unit_field=None):
    """[(local day, unit id, n)] of posts received in the period, not answered yet, whose reply
    deadline is still ahead: the few the rollup cannot know, as they depend on now.

    Found by the partial index on unanswered posts' deadlines, so the period is applied here: given
    in SQL, it would make the database read the whole period by the acceptance index instead.
    """
    posts = counted_posts().filter(first_replied_at=None, reply_due_at__gt=now, accepted_at__isnull=False).order_by()
    if unit_field == "co_units":  # by the pending posts' keys: joined, the database reads every co-handling
        co_handled = Post.co_units.through.objects.filter(post__in=list(posts.values_list("pk", flat=True)))
        posts = Post.objects.filter(pk__in=list(co_handled.values_list("post_id", flat=True))).order_by()
    grouped = posts.annotate(day=LocalDate(F("accepted_at"))).values("day", *filter(None, [unit_field]))
    found = [(date.fromisoformat(row["day"]), row.get(unit_field), row["n"]) for row in grouped.annotate(n=Count("pk"))]
    return [(day, unit_id, n) for day, unit_id, n in found if period.first <= day <= period.last]


def days_of(period, unit=False):
    """The period's DailyFigures rows, recounted first where stale: the units' or the school's."""
    refresh(period)
    return DailyFigures.objects.filter(day__range=(period.first, period.last), unit__isnull=not unit)


def _accepted_days(post_ids):
    return Post.objects.filter(pk__in=post_ids).values_list("accepted_at", flat=True)


def _post_written(sender, instance, **kwargs):
    mark_stale(instance.accepted_at)


def _rating_written(sender, instance, **kwargs):
    mark_stale(*_accepted_days([instance.post_id]))


def _transfer_written(sender, instance, **kwargs):
    mark_stale(instance.created_at, *_accepted_days([instance.post_id]))  # transfers out count on their day


def _co_units_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        mark_stale(instance.accepted_at)
    elif pk_set:
        mark_stale(*_accepted_days(pk_set))
    else:  # a unit let go of all its co-handled posts: which ones is no longer known
        mark_all_stale()


def _recount_stale_days(sender, now, **kwargs):
    # Statistics pages then find little or nothing to recount (after an upgrade: every day, once).
    return {"statistics days recounted": refresh()}


def _history_rewritten(sender, **kwargs):
    mark_all_stale()


def connect_signals():
    ticked.connect(_recount_stale_days, dispatch_uid="stats-recount-on-tick")
    history_rewritten.connect(_history_rewritten, dispatch_uid="stats-history-rewritten")
    for model, receiver in ((Post, _post_written), (Rating, _rating_written), (Transfer, _transfer_written)):
        post_save.connect(receiver, sender=model, dispatch_uid=f"wall-stats-{model.__name__}-saved")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"wall-stats-{model.__name__}-deleted")
    m2m_changed.connect(_co_units_changed, sender=Post.co_units.through, dispatch_uid="wall-stats-co-units")

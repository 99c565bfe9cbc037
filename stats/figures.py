"""The figures (三率 and the rest) of a period, for the whole school or per unit: sums of the rollup's days."""

import operator
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from functools import reduce

from django.conf import settings
from django.core.cache import cache
from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Sum, Value
from django.db.models.functions import ExtractMonth, ExtractYear, TruncMonth
from django.utils import timezone

from cases.models import Category, Post, ReturnVisit, Unit
from stats.expressions import FIGURE_COUNTS, SUMMED, received_in
from stats.periods import custom_period, local_today
from stats.rollup import days_of, p90, pending_in, waits_of
from stats.rules import RULES_VERSION, satisfied_threshold

RECENT_SECONDS = 300  # how old the public page's and the dashboards' figures of a running period may be


@dataclass
class Figures:
    """Counts for one unit (or the whole school) and one period; the rates derive from them."""

    received: int = 0
    pending: int = 0  # not answered, reply deadline still ahead: left out of the response rate
    answered: int = 0
    answered_on_time: int = 0
    closed: int = 0
    closed_on_time: int = 0
    reopened: int = 0
    rated: int = 0
    satisfied: int = 0
    attitude_sum: int = 0
    speed_sum: int = 0
    result_sum: int = 0
    transfers: int = 0
    wait_sum: int = 0  # seconds from acceptance to first reply, summed over the answered posts
    p90_wait: timedelta | None = None
    unit_id: int | None = None
    unit_name: str = ""

    @staticmethod
    def _ratio(part, whole):
        return part / whole if whole else None

    @property
    def response_rate(self):
        return self._ratio(self.answered_on_time, self.received - self.pending)

    @property
    def completion_rate(self):
        return self._ratio(self.closed, self.received)

    @property
    def on_time_completion_rate(self):
        return self._ratio(self.closed_on_time, self.received)

    @property
    def satisfaction_rate(self):
        return self._ratio(self.satisfied, self.rated)

    @property
    def reopen_rate(self):
        return self._ratio(self.reopened, self.received)

    @property
    def avg_wait(self):
        return timedelta(seconds=round(self.wait_sum / self.answered)) if self.answered else None

    @property
    def avg_attitude(self):
        return self._ratio(self.attitude_sum, self.rated)

    @property
    def avg_speed(self):
        return self._ratio(self.speed_sum, self.rated)

    @property
    def avg_result(self):
        return self._ratio(self.result_sum, self.rated)

    def add(self, counts):
        for name, value in counts.items():
            if name in FIGURE_COUNTS and value is not None:
                setattr(self, name, getattr(self, name) + value)


def summed(threshold):
    """The aggregates that turn DailyFigures rows into the counts of Figures."""
    satisfied = reduce(operator.add, [F(f"result_{score}") for score in range(threshold, 6)], Value(0))
    return {**{name: Sum(name) for name in SUMMED}, "satisfied": Sum(satisfied)}


def _cached(name, period, compute, now, max_age=None):
    """Figures of a finished period from the cache; of a running one only if max_age (seconds) allows."""
    threshold = satisfied_threshold()
    key = f"wall-stats:v{RULES_VERSION}:t{threshold}:{name}:{period.kind}:{period.first}:{period.last}"
    if period.is_finished(now):
        return cache.get_or_set(key, compute, settings.STATS_CACHE_SECONDS)
    if max_age:
        return cache.get_or_set(f"{key}:running:{max_age}", compute, max_age)
    return compute()


def overall(period, now=None, max_age=None):
    """The whole school: every post once, however many units handled it.

    max_age: for pages anyone may load often (the public page, dashboards), accept figures of a
    running period up to this many seconds old, so visitors cannot make the database recount a year
    on every request.
    """
    now = now or timezone.now()
    return _cached("overall", period, lambda: _overall(period, now), now, max_age)


def _overall(period, now):
    days = days_of(period)
    figures = Figures()
    figures.add(days.aggregate(**summed(satisfied_threshold())))
    figures.pending = sum(n for _day, _unit, n in pending_in(period, now))
    figures.p90_wait = p90(waits for _unit, waits in waits_of(period))
    return figures


def by_unit(period, now=None, max_age=None):
    """One Figures per unit (all units, also those without posts), in the units' order."""
    now = now or timezone.now()
    return _cached("by_unit", period, lambda: _by_unit(period, now), now, max_age)


def _by_unit(period, now):
    days = days_of(period, unit=True)
    rows = {unit.pk: Figures(unit_id=unit.pk, unit_name=unit.name) for unit in Unit.objects.all()}
    for counts in days.values("unit").annotate(**summed(satisfied_threshold())):
        rows[counts.pop("unit")].add(counts)
    histograms = {}
    for unit_id, waits in waits_of(period, unit=True):
        histograms.setdefault(unit_id, []).append(waits)
    for unit_id, waits in histograms.items():
        rows[unit_id].p90_wait = p90(waits)
    # Not answered yet: counted for the unit holding the post now, and for its co-handling units.
    for _day, unit_id, n in [*pending_in(period, now, "unit"), *pending_in(period, now, "co_units")]:
        rows[unit_id].pending += n
    return list(rows.values())


def participation(rows):
    """(units that answered at least one post, units that received one)."""
    received = [row for row in rows if row.received]
    return sum(1 for row in received if row.answered), len(received)


def trend(period, now=None):
    """Overall figures per sub-interval: [(first day, Figures)], every sub-interval present."""
    now = now or timezone.now()
    return _cached("trend", period, lambda: _trend(period, now), now)


def _step_of(period, day):
    return max(day.replace(day=1) if period.step_unit == "month" else day, period.first)


def _trend(period, now):
    points = {day: Figures() for day, _unit in period.steps()}
    step = TruncMonth("day") if period.step_unit == "month" else F("day")
    for counts in days_of(period).values(step=step).annotate(**summed(satisfied_threshold())):
        points[_step_of(period, counts.pop("step"))].add(counts)
    for day, _unit, n in pending_in(period, now):
        points[_step_of(period, day)].pending += n
    return list(points.items())


def by_category(period, now=None):
    """Posts received per category and sub-interval: (categories, [(first day, {category id: n})])."""
    now = now or timezone.now()
    return _cached("by_category", period, lambda: _by_category(period), now)


def _by_category(period):
    points = {day: Counter() for day, _unit in period.steps()}
    for day, counts in days_of(period).values_list("day", "categories"):
        points[_step_of(period, day)].update({int(category): n for category, n in counts.items()})
    used = {category for counts in points.values() for category in counts}
    categories = [(category.pk, category.name) for category in Category.objects.filter(pk__in=used)]
    return categories, [(day, dict(counts)) for day, counts in points.items()]


def by_channel(period, now=None):
    """Posts received per channel in the period, most first: [(channel's label, n)]."""
    now = now or timezone.now()
    return _cached("by_channel", period, lambda: _by_channel(period), now)


def _by_channel(period):
    # Counted from the posts (one grouped query over the period's, by the accepted_at index): the
    # daily rollup keeps what the rates need, and a channel never changes after posting.
    counts = dict(received_in(period).values_list("channel").annotate(n=Count("pk")).values_list("channel", "n"))
    order = list(Post.Channel.values)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], order.index(item[0])))
    return [(Post.Channel(channel).label, n) for channel, n in ranked]


def from_posting(period, now=None):
    """For the posts received in the period: the average time from posting to acceptance (受理时长) and
    from posting to the first reply (从提交到首次答复), as timedeltas (None without posts)."""
    now = now or timezone.now()
    return _cached("from_posting", period, lambda: _from_posting(period), now)


def _from_posting(period):
    def since_posting(moment):
        return Avg(ExpressionWrapper(F(moment) - F("created_at"), output_field=DurationField()))

    averages = received_in(period).aggregate(
        screening=since_posting("accepted_at"), first_reply=since_posting("first_replied_at")
    )
    return averages["screening"], averages["first_reply"]


def seasons(unit=None, years=5, today=None):
    """Posts received in each calendar month of the last `years` years, the same month side by side:
    (years, [(month 1–12, [posts in each year])]). A unit's are the posts it held or co-handled."""
    today = today or local_today()
    period = custom_period(date(today.year - years + 1, 1, 1), today)
    rows = days_of(period, unit=unit is not None)
    if unit is not None:
        rows = rows.filter(unit=unit)
    counts = {}
    for row in rows.values(year=ExtractYear("day"), month=ExtractMonth("day")).annotate(received=Sum("received")):
        counts[row["year"], row["month"]] = row["received"]
    shown = list(range(period.first.year, today.year + 1))
    return shown, [(month, [counts.get((year, month), 0) for year in shown]) for month in range(1, 13)]


@dataclass
class ReturnVisits:
    """回访 of one unit (or the school) in a period, by the day of the visit."""

    unit_name: str = ""
    solved: int = 0
    unsolved: int = 0
    unreachable: int = 0

    @property
    def visited(self):
        return self.solved + self.unsolved + self.unreachable

    @property
    def satisfaction_rate(self):
        """Solved among the posters reached: one who could not be reached said nothing either way."""
        reached = self.solved + self.unsolved
        return self.solved / reached if reached else None


def return_visits(period):
    """[ReturnVisits per unit that had any, by name], and the school's total."""
    visits = ReturnVisit.objects.filter(created_at__gte=period.start, created_at__lt=period.end)
    counts = visits.values("post__unit__name", "outcome").annotate(n=Count("pk"))
    rows, total = {}, ReturnVisits()
    for count in counts:
        name = count["post__unit__name"] or ""
        row = rows.setdefault(name, ReturnVisits(unit_name=name))
        for figures in (row, total):
            setattr(figures, count["outcome"], getattr(figures, count["outcome"]) + count["n"])
    return sorted(rows.values(), key=lambda row: row.unit_name), total


@dataclass
class Urgent:
    """应急 posts of one unit (or the school) accepted in a period, and how many were answered in time."""

    unit_name: str = ""
    received: int = 0
    pending: int = 0  # not answered, deadline still ahead: left out, as in the response rate
    answered_on_time: int = 0

    @property
    def response_rate(self):
        judged = self.received - self.pending
        return self.answered_on_time / judged if judged else None


def urgent(period, now=None):
    """[Urgent per unit that had any, by name], and the school's total."""
    now = now or timezone.now()
    posts = Post.objects.filter(is_urgent=True, accepted_at__gte=period.start, accepted_at__lt=period.end)
    rows, total = {}, Urgent()
    for name, replied, due in posts.values_list("unit__name", "first_replied_at", "reply_due_at"):
        row = rows.setdefault(name or "", Urgent(unit_name=name or ""))
        for figures in (row, total):
            figures.received += 1
            figures.pending += replied is None and due > now
            figures.answered_on_time += replied is not None and replied <= due
    return sorted(rows.values(), key=lambda row: row.unit_name), total

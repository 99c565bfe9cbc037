"""三率 statistics: what is counted, for which unit and which period. The rules, in Chinese, as published:

统计口径（每条规则都有测试，见 tests/test_stats_*.py）
- 统计期间：按北京时间（Asia/Shanghai）的自然日划分，含起点、不含终点 [start, end)，可选日、周（周一起）、
  月、季度、半年、年或自定义日期范围。
- 受理量：期间内受理（分派到单位）的诉求数，以受理时间 accepted_at 计。
- 响应率：在答复时限内首次答复的诉求 / 受理量。尚未答复且答复时限未到的诉求暂不计入分母
  （既非按时也非超时）；超过时限仍未答复的计为未按时。答复时限以诉求当前的时限为准：转办后接收单位
  重新计时；重办后首次答复时间不变，所以重办不改变响应率。
- 办结率：目前已办结的诉求 / 受理量；按时办结率：在办结时限内办结的诉求 / 受理量。
- 满意率：结果评分不低于满意阈值（默认 4 分，可在“统计规则”中设置）的评价 / 评价数。
  每一轮答复的评价各算一次；评价归入被评诉求所在的统计期间和单位。另给出态度、速度、结果的平均分。
- 平均与第 90 百分位首次答复用时：从受理到首次答复，只计已答复的诉求；第 90 百分位向上取两位有效数字
  （10 小时以内精确到 0.1 小时，100 小时以内精确到 1 小时）。
- 重办率：被重办过（评价不满意或回访未解决）的诉求 / 受理量。
- 转办次数：单位在期间内把诉求转给其他单位的次数（督查员改派和超限被拒的转办不计）。
- 参与率：期间内至少答复过一条诉求的单位 / 期间内受理过诉求的单位。
- 联办诉求计入牵头单位和每一个协办单位。
- 转办诉求计入答复时持有它的单位（未答复的计入当前持有单位），并为转出单位记一次转办。
- 全校合计中每条诉求只算一次，所以各单位之和可以大于全校合计。

Everything is aggregated in the database (grouped COUNT/SUM with filters, subqueries for the holder
of a transferred post), on SQLite and PostgreSQL alike, into DailyFigures: one row per Beijing-time
day and unit, and one for the whole school. A period's figures are sums over its days' rows, so a year
costs a few thousand rows however many posts it had. Every write to a post, a rating, a transfer or
a post's co-handling units marks the days it changes stale (StaleDay) in the writer's transaction;
reading a period first recounts its stale days from the posts (`refresh`). Only two things are not in
the rollup: posts whose reply deadline is still ahead (they depend on the moment of reading; a
handful, counted live) and the exact 90th percentile (the rollup keeps histograms of waits per day and
per month, in steps of two significant figures, so the percentile is rounded up to 0.1 h below 10 h,
to 1 h below 100 h). Python loops over units, days, months and histogram steps, never over posts.

Caching: figures of a period that has ended are cached for STATS_CACHE_SECONDS (default one hour),
keyed by the period, RULES_VERSION and the satisfaction threshold. A finished period can still
change through late events (a late reply, a closure, a rating or a reopen of a post received in
it): those show up once the cached entry expires, which is an honest delay for monthly and yearly
reports and keeps every write path free of cache invalidation. The running period is never cached.
"""

import operator
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import reduce
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wall.models import Category, DailyFigures, MonthlyWaits, Post, Rating, StaleDay, StatisticsSettings, Transfer, Unit

RULES_VERSION = 2  # bump when a rule above changes, so no cached figure survives it
RECENT_SECONDS = 300  # how old the public page's and the dashboards' figures of a running period may be
LOCAL = ZoneInfo("Asia/Shanghai")
SATISFIED_RESULT = 4  # the default threshold; StatisticsSettings holds the one in force


# The rules above, as the pages show them (Chinese in the zh_Hans catalog).
DEFINITIONS = [
    (
        _("Period"),
        _(
            "Calendar days in Beijing time (Asia/Shanghai), from the first day's midnight up to but not "
            "including the midnight after the last day. Weeks start on Monday."
        ),
    ),
    (_("Received"), _("Posts accepted and routed to a unit in the period, counted by the time of acceptance.")),
    (
        _("Response rate"),
        _(
            "Posts first answered within the reply deadline / posts received. Posts not answered yet whose "
            "deadline is still ahead are left out until they are answered or late."
        ),
    ),
    (
        _("Completion rate"),
        _("Posts closed now / posts received; on time: closed within the resolution deadline / posts received."),
    ),
    (
        _("Satisfaction rate"),
        _(
            "Ratings whose result score reaches the satisfaction threshold (%(threshold)s points, set under "
            "statistics rules) / ratings. Each reply round's rating counts once, in the period and for the "
            "unit of the rated post. The average attitude, speed and result scores are shown too."
        ),
    ),
    (
        _("Time to first reply"),
        _(
            "From acceptance to the first reply, answered posts only: the average, and the time within which "
            "nine in ten posts were answered (the 90th percentile, rounded up to two significant figures: to 0.1 hours "
            "below 10 hours, to whole hours below 100)."
        ),
    ),
    (_("Reopen rate"), _("Posts reopened at least once (unsatisfied rating or return visit) / posts received.")),
    (
        _("Transfers out"),
        _(
            "How often the unit transferred a post to another unit in the period (re-assignments by "
            "supervisors and refused transfers are not counted)."
        ),
    ),
    (_("Participation"), _("Units that answered at least one post / units that received at least one post.")),
    (
        _("Co-handled and transferred posts"),
        _(
            "A co-handled post counts for the lead unit and for every co-handling unit. A transferred post "
            "counts for the unit that held it when it was first answered (if unanswered: the unit holding "
            "it now) and as a transfer for the unit that passed it on. The whole school counts every post "
            "once, so the units' numbers may add up to more."
        ),
    ),
]


def definitions():
    """[(term, definition)] with the satisfaction threshold in force filled in."""
    threshold = satisfied_threshold()
    return [(term, str(text).replace("%(threshold)s", str(threshold))) for term, text in DEFINITIONS]


class PeriodKind:
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"
    YEAR = "year"
    CUSTOM = "custom"

    CHOICES = [
        (DAY, _("Day")),
        (WEEK, _("Week")),
        (MONTH, _("Month")),
        (QUARTER, _("Quarter")),
        (HALF, _("Half-year")),
        (YEAR, _("Year")),
        (CUSTOM, _("Custom range")),
    ]


def local_midnight(day):
    return datetime.combine(day, time.min, tzinfo=LOCAL)


def local_today(now=None):
    return timezone.localtime(now or timezone.now(), LOCAL).date()


def _add_months(day, months):
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    """[first, last] in local days; start and end are the aware instants [start, end)."""

    kind: str
    first: date
    last: date

    @property
    def start(self):
        return local_midnight(self.first)

    @property
    def end(self):
        return local_midnight(self.last + timedelta(days=1))

    def is_finished(self, now=None):
        return self.end <= (now or timezone.now())

    def steps(self):
        """The sub-intervals a trend is drawn over: (first day, "day" or "month")."""
        by_day = self.kind in (PeriodKind.DAY, PeriodKind.WEEK, PeriodKind.MONTH) or (
            self.kind == PeriodKind.CUSTOM and (self.last - self.first).days < 62
        )
        if by_day:
            return [(self.first + timedelta(days=n), "day") for n in range((self.last - self.first).days + 1)]
        months, day = [], self.first.replace(day=1)
        while day <= self.last:
            months.append((day, "month"))
            day = _add_months(day, 1)
        return months

    @property
    def step_unit(self):
        return self.steps()[0][1]

    def label(self):
        if self.first == self.last:
            return self.first.isoformat()
        return f"{self.first.isoformat()} – {self.last.isoformat()}"


def period_of(kind, day):
    """The day, week (from Monday), month, quarter, half-year or year holding the local day `day`."""
    if kind == PeriodKind.DAY:
        return Period(kind, day, day)
    if kind == PeriodKind.WEEK:
        monday = day - timedelta(days=day.weekday())
        return Period(kind, monday, monday + timedelta(days=6))
    months = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.HALF: 6, PeriodKind.YEAR: 12}[kind]
    first = date(day.year, (day.month - 1) // months * months + 1, 1)
    return Period(kind, first, _add_months(first, months) - timedelta(days=1))


def custom_period(first, last):
    if last < first:
        first, last = last, first
    return Period(PeriodKind.CUSTOM, first, last)


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


# -- the expressions, written once for queries on Post ("") and on Rating ("post__") ---------------


def holder_when_answered(prefix=""):
    """The unit a post counts for: the one holding it at its first reply, else its current unit."""
    handovers = Transfer.objects.filter(post=OuterRef(f"{prefix}pk")).exclude(kind=Transfer.Kind.REFUSED)
    before_reply = handovers.filter(created_at__lt=OuterRef(f"{prefix}first_replied_at"))
    last_before = before_reply.order_by("-created_at", "-pk").values("to_unit")[:1]
    first_from = handovers.order_by("created_at", "pk").values("from_unit")[:1]
    current = F(f"{prefix}unit_id")
    return Case(
        When(**{f"{prefix}first_replied_at": None}, then=current),
        When(~Exists(handovers), then=current),  # most posts never move: one index probe, not two
        default=Coalesce(Subquery(last_before), Subquery(first_from), current, output_field=IntegerField()),
        output_field=IntegerField(),
    )


class WaitSeconds(Func):
    """Whole seconds from acceptance to first reply, computed by the database itself.

    Django's own datetime subtraction on SQLite calls back into Python for every row; julianday()
    and EXTRACT(EPOCH) are native and several times faster on a year of posts.
    """

    output_field = IntegerField()

    def __init__(self):
        super().__init__(F("first_replied_at"), F("accepted_at"))

    def as_sqlite(self, compiler, connection, **extra):
        template = "CAST(ROUND((julianday(%(expressions)s)) * 86400.0) AS INTEGER)"
        return self.as_sql(compiler, connection, template=template, arg_joiner=") - julianday(", **extra)

    def as_sql(self, compiler, connection, template=None, arg_joiner=None, **extra):
        template = template or "CAST(ROUND(EXTRACT(EPOCH FROM (%(expressions)s))) AS BIGINT)"
        return super().as_sql(compiler, connection, template=template, arg_joiner=arg_joiner or " - ", **extra)


class LocalDate(Func):
    """The Beijing-time day (or the first day of its month) of a timestamp, as 'YYYY-MM-DD' text.

    Asia/Shanghai has kept UTC+8 without summer time since 1991, so SQLite can add 8 hours natively
    instead of calling Django's per-row Python time-zone conversion.
    """

    output_field = CharField()

    def __init__(self, expression, month=False):
        super().__init__(expression)
        self.month = month

    def as_sqlite(self, compiler, connection, **extra):
        start = ", 'start of month'" if self.month else ""
        return self.as_sql(compiler, connection, template=f"date(%(expressions)s, '+8 hours'{start})", **extra)

    def as_sql(self, compiler, connection, template=None, **extra):
        pattern = "YYYY-MM-01" if self.month else "YYYY-MM-DD"
        template = template or f"to_char(%(expressions)s AT TIME ZONE 'Asia/Shanghai', '{pattern}')"
        return super().as_sql(compiler, connection, template=template, **extra)


WAIT_STEP = 360  # seconds: the rollup's waits are counted in tenths of an hour


def wait_step():
    """A first reply's wait in tenths of an hour, rounded up to two significant figures (0.1 h below
    10 h, 1 h below 100 h, 10 h below 1,000 h): the 90th percentile's histogram step, coarse enough
    that a month of one unit's waits fits in about a hundred steps. Needs the `tenths` annotation."""
    tenths = F("tenths")

    def rounded_up(size):
        return (tenths + size - 1) / size * size

    return Case(
        When(tenths__lte=100, then=tenths),
        When(tenths__lte=1000, then=rounded_up(10)),
        When(tenths__lte=10000, then=rounded_up(100)),
        default=rounded_up(1000),
        output_field=IntegerField(),
    )


def post_counts():
    answered = Q(first_replied_at__isnull=False)
    return {
        "received": Count("pk"),
        "answered": Count("pk", filter=answered),
        "answered_on_time": Count("pk", filter=answered & Q(first_replied_at__lte=F("reply_due_at"))),
        "closed": Count("pk", filter=Q(status=Post.Status.CLOSED)),
        "closed_on_time": Count("pk", filter=Q(status=Post.Status.CLOSED, closed_at__lte=F("resolution_due_at"))),
        "reopened": Count("pk", filter=Q(round__gt=1)),
        "wait_sum": Sum(WaitSeconds(), filter=answered),
    }


def rating_counts():
    by_result = {f"result_{score}": Count("pk", filter=Q(result=score)) for score in range(1, 6)}
    sums = {"attitude_sum": Sum("attitude"), "speed_sum": Sum("speed"), "result_sum": Sum("result")}
    return {"rated": Count("pk"), **by_result, **sums}


# DailyFigures' columns that add up
SUMMED = (*post_counts(), "rated", "attitude_sum", "speed_sum", "result_sum", "transfers")
FIGURE_COUNTS = (*SUMMED, "satisfied", "pending")


def received_in(period):
    return Post.objects.accepted_between(period.start, period.end)


def transfers_in(period):
    return Transfer.objects.filter(kind=Transfer.Kind.TRANSFER, created_at__gte=period.start, created_at__lt=period.end)


def satisfied_threshold():
    return StatisticsSettings.load().satisfied_at_or_above


# -- the rollup: DailyFigures, recounted from the posts whenever a day is stale --------------------


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
            in_month = stale.filter(day__range=(month, _add_months(month, 1) - timedelta(days=1)))
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
    rows = {}

    def row(counts, unit_field):
        key = (counts.pop("day"), counts.pop(unit_field) if unit_field else None)
        if key not in rows:
            rows[key] = DailyFigures(day=date.fromisoformat(key[0]), unit_id=key[1])
        return rows[key]

    def add(queryset, unit_field, counts):
        grouped = queryset.values("day", *([unit_field] if unit_field else [])).annotate(**counts)
        for counts in grouped:
            target = row(counts, unit_field)
            for name, value in counts.items():
                setattr(target, name, getattr(target, name) + (value or 0))

    def histogram(queryset, unit_field, key, field):
        grouped = queryset.values("day", key, *([unit_field] if unit_field else [])).annotate(n=Count("pk"))
        for counts in grouped:
            getattr(row(counts, unit_field), field)[str(counts[key])] = counts["n"]

    lead, co = holder_when_answered(), F("co_units")
    scopes = [  # the whole school (every post once), the unit holding a post when answered, co-handling units
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
    for unit_field, posts_of, ratings_of, answered_of in scopes:
        add(posts_of, unit_field, post_counts())
        add(ratings_of, unit_field, rating_counts())
        histogram(answered_of, unit_field, "step", "waits")
    add(moves, None, {"transfers": Count("pk")})
    add(moves.annotate(unit_of=F("from_unit")), "unit_of", {"transfers": Count("pk")})
    histogram(posts, None, "category", "categories")
    with transaction.atomic():
        DailyFigures.objects.filter(day__range=(first, last)).delete()
        DailyFigures.objects.bulk_create(rows.values(), batch_size=500)


def summed(threshold):
    """The aggregates that turn DailyFigures rows into the counts of Figures."""
    satisfied = reduce(operator.add, [F(f"result_{score}") for score in range(threshold, 6)], Value(0))
    return {**{name: Sum(name) for name in SUMMED}, "satisfied": Sum(satisfied)}


def add_up_waits(month):
    """Replace the month's MonthlyWaits by the sums of its days' histograms."""
    last = _add_months(month, 1) - timedelta(days=1)
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
        month = _add_months(month, 1)
    whole = [
        month for month in months if month >= period.first and _add_months(month, 1) <= period.last + timedelta(days=1)
    ]
    days = DailyFigures.objects.filter(day__range=(period.first, period.last), unit__isnull=not unit)
    for month in whole:
        days = days.exclude(day__range=(month, _add_months(month, 1) - timedelta(days=1)))
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
    posts = Post.objects.filter(first_replied_at=None, reply_due_at__gt=now, accepted_at__isnull=False).order_by()
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


# -- the figures ---------------------------------------------------------------------------------


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


# -- the home page's headline, kept for home/ --------------------------------------------------


def month_start(now=None):
    now = timezone.localtime(now or timezone.now(), LOCAL)
    return now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def figures_since(start, now=None):
    """Overall figures of the posts received from start until now (the home page's "this month")."""
    now = now or timezone.now()
    first = timezone.localtime(start, LOCAL).date()
    return _overall(custom_period(first, local_today(now)), now)


# -- keeping the rollup true: every write marks the days it changes, in its own transaction ----------


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


def connect_signals():
    from django.db.models.signals import m2m_changed, post_delete, post_save

    for model, receiver in ((Post, _post_written), (Rating, _rating_written), (Transfer, _transfer_written)):
        post_save.connect(receiver, sender=model, dispatch_uid=f"wall-stats-{model.__name__}-saved")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"wall-stats-{model.__name__}-deleted")
    m2m_changed.connect(_co_units_changed, sender=Post.co_units.through, dispatch_uid="wall-stats-co-units")

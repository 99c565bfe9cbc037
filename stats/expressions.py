"""The statistics' SQL: expressions written once for queries on Post ("") and on Rating ("post__")."""

from django.db.models import Case, CharField, Count, Exists, F, Func, IntegerField, OuterRef, Q, Subquery, Sum, When
from django.db.models.functions import Coalesce

from cases.models import Post, Transfer


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


def counted_posts():
    """The posts the figures count: all but duplicates merged into another post, answered there."""
    return Post.objects.exclude(status=Post.Status.MERGED)


def received_in(period):
    return counted_posts().accepted_between(period.start, period.end)


def transfers_in(period):
    return Transfer.objects.filter(kind=Transfer.Kind.TRANSFER, created_at__gte=period.start, created_at__lt=period.end)

"""Statistics periods: Beijing-time days, weeks from Monday, months, quarters, half-years, years, custom ranges."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

LOCAL = ZoneInfo("Asia/Shanghai")


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


def add_months(day, months):
    """The first day of the month `months` after day's month."""
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
            day = add_months(day, 1)
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
    return Period(kind, first, add_months(first, months) - timedelta(days=1))


def custom_period(first, last):
    if last < first:
        first, last = last, first
    return Period(PeriodKind.CUSTOM, first, last)

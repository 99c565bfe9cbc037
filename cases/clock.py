"""The one clock every deadline is computed by.

Working days follow the Chinese public holidays and adjusted working days (调休) known to the
`chinese_calendar` library, corrected by the CalendarDay rows admins enter; for a year the library
does not know yet, Monday to Friday are working days unless an admin says otherwise.
"""

from datetime import datetime, time, timedelta

import chinese_calendar
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases.models.handling import CalendarDay, HandlingSettings


def is_workday(day, overrides=None):
    if overrides is None:
        overrides = _overrides(day, day)
    if day in overrides:
        return overrides[day]
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:  # a year the library has no plan for
        return day.weekday() < 5


def _overrides(first, last):
    return dict(CalendarDay.objects.filter(date__range=(first, last)).values_list("date", "is_workday"))


def add_workdays(start, days):
    """The end of the `days`-th working day after start's date (local time).

    Accepted on Friday afternoon with 3 days to go: due at the end of Wednesday. The search is
    bounded: even the Spring Festival doesn't hold more than a few weeks of non-working days.
    """
    day = timezone.localtime(start).date()
    overrides = _overrides(day, day + timedelta(days=days * 3 + 30))
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if is_workday(day, overrides):
            counted += 1
    end_of_day = datetime.combine(day + timedelta(days=1), time.min)
    return timezone.make_aware(end_of_day)


def workdays_between(start, end):
    """Working days d with start's date < d <= end's date (0 if end is not after start)."""
    first, last = timezone.localtime(start).date(), timezone.localtime(end).date()
    if last <= first:
        return 0
    overrides = _overrides(first, last)
    return sum(is_workday(first + timedelta(days=n), overrides) for n in range(1, (last - first).days + 1))


def _rules(kind, urgent=False):
    rules = HandlingSettings.load()
    if urgent:  # 应急: the rules' short deadlines, whatever the kind's
        return rules.urgent_reply_hours, rules.urgent_resolve_workdays
    reply_hours = kind.reply_hours if kind and kind.reply_hours else rules.reply_hours
    resolve_workdays = kind.resolve_workdays if kind and kind.resolve_workdays else rules.resolve_workdays
    return reply_hours, resolve_workdays


def screening_due(kind, posted_at):
    """When an editor should have screened a post: the kind's hours, else the rules', after posting."""
    hours = kind.screening_hours if kind and kind.screening_hours else HandlingSettings.load().screening_hours
    return posted_at + timedelta(hours=hours)


def reply_due(kind, start, urgent=False):
    reply_hours, _resolve = _rules(kind, urgent)
    return start + timedelta(hours=reply_hours)


def resolution_due(kind, start, urgent=False):
    _reply, resolve_workdays = _rules(kind, urgent)
    return add_workdays(start, resolve_workdays)


def describe_due(due, now=None):
    """'剩余 3 小时' / '已逾期 2 个工作日' — what staff read next to each post."""
    if due is None:
        return ""
    now = now or timezone.now()
    overdue = now > due
    earlier, later = (due, now) if overdue else (now, due)
    minutes = int((later - earlier).total_seconds() // 60)
    workdays = workdays_between(earlier, later)
    if minutes >= 24 * 60 and workdays:
        amount = ngettext("%(n)d working day", "%(n)d working days", workdays) % {"n": workdays}
    elif minutes >= 60:
        amount = ngettext("%(n)d hour", "%(n)d hours", minutes // 60) % {"n": minutes // 60}
    else:
        amount = ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
    if overdue:
        return _("overdue by %(amount)s") % {"amount": amount}
    return _("%(amount)s left") % {"amount": amount}

"""Deadlines. For now a reply is due a fixed number of hours after acceptance."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def reply_due(start):
    return start + timedelta(hours=settings.ECHOWALL_REPLY_HOURS)


def describe_due(due, now=None):
    """'剩余 3 小时' / '已逾期 2 小时' — what staff read next to each post."""
    if due is None:
        return ""
    now = now or timezone.now()
    overdue = now > due
    minutes = int(abs(due - now).total_seconds() // 60)
    hours, days = minutes // 60, minutes // (60 * 24)
    if days >= 1:
        amount = ngettext("%(n)d day", "%(n)d days", days) % {"n": days}
    elif hours >= 1:
        amount = ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}
    else:
        amount = ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
    if overdue:
        return _("overdue by %(amount)s") % {"amount": amount}
    return _("%(amount)s left") % {"amount": amount}

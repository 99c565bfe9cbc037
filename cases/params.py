"""Reading what a visitor put in a query string (or in place of an id in a path): ids, page
numbers, dates, moments and search text.

Each parser answers a value or None, never an exception, whatever was typed: "²" is a digit to
str.isdigit() but not to int(), a number past 64 bits cannot even be compared with a database
column, and 2026-02-30 is no date at all. The caller ignores a None (an HTML page's filter) or
refuses it in its own format (Open311's 400).
"""

import re
from datetime import UTC, date, datetime, time, timedelta

from django.utils import timezone
from django.utils.dateparse import parse_datetime

# The longest search text read: a post's title is at most 100 characters, and the similar-posts box
# sends the title being typed. The pages cut a longer text; the API's schema refuses it.
MAX_QUERY_LENGTH = 100
# A 64-bit signed column: no id is bigger, and SQLite and PostgreSQL refuse to compare a bigger number.
MAX_ID = 2**63 - 1
MAX_PAGE = 10_000
# A day's margin at each end of the calendar, so that a moment there has a date in every time zone.
EARLIEST = datetime.min.replace(tzinfo=UTC) + timedelta(days=1)
LATEST = datetime.max.replace(tzinfo=UTC) - timedelta(days=1)
# The days a statistics period may name: a period in year 9999 ends past the calendar, and one over
# centuries takes the server minutes to count.
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2099, 12, 31)

ID_DIGITS = re.compile(r"[0-9]{1,19}")  # ASCII only: re's \d and str.isdigit() take "٣" and "²"
ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
SLUG = re.compile(r"[-a-zA-Z0-9_]+")  # a SlugField's letters, and secrets.token_urlsafe()'s


def parse_id(value):
    """A database id (1 to MAX_ID) written in ASCII digits; None for anything else."""
    if not isinstance(value, str) or not ID_DIGITS.fullmatch(value):
        return None
    number = int(value)
    return number if 1 <= number <= MAX_ID else None


def parse_slug(value):
    """A slug, or a tracking token (the same letters); None for anything else, such as text holding
    a NUL character, which PostgreSQL refuses even to look up."""
    return value if isinstance(value, str) and SLUG.fullmatch(value) else None


def parse_page(value, last=MAX_PAGE):
    """A page number from 1 to last; 1 for anything else."""
    number = parse_id(value)
    return number if number and number <= last else 1


def parse_text(value):
    """Search text: trimmed, cut to MAX_QUERY_LENGTH, without NUL characters (PostgreSQL refuses them)."""
    return (value or "").replace("\x00", "").strip()[:MAX_QUERY_LENGTH]


def parse_date(value):
    """A date written YYYY-MM-DD; None for anything else, an impossible date (2026-02-30) included."""
    if not isinstance(value, str) or not ISO_DAY.fullmatch(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def parse_moment(value, end_of_day=False):
    """An aware datetime in UTC from a W3C date-time, or from a date (its first instant, or its last
    with end_of_day, in the current time zone); None if it is neither. A moment before EARLIEST or
    after LATEST is moved there, so that moment_range() and the database can work with it."""
    if not isinstance(value, str) or not value.isascii():
        return None
    day = parse_date(value)
    if day:
        moment = datetime.combine(day, time.max if end_of_day else time.min)
    else:
        try:
            moment = parse_datetime(value)
        except ValueError:  # well formed but impossible: 2026-02-30T08:00, an offset of +99:00
            return None
        if moment is None:
            return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    # Comparing aware datetimes never overflows; converting one from year 1 at +08:00 to UTC would.
    return min(max(moment, EARLIEST), LATEST).astimezone(UTC)


def moment_range(start, end, span):
    """(start, end) of a listing of `span` that names only its start, only its end, or neither (it
    ends now). start and end come from parse_moment(); the range stops at EARLIEST or LATEST rather
    than overflow, so a start in 9999 or an end in year 1 lists what little lies between."""
    if start:
        return start, start + min(span, LATEST - start)
    end = end or timezone.now()
    return end - min(span, end - EARLIEST), end

"""Posts exported from an old system, one JSON object per line, read into cases.

`parse_line` checks everything in a line before anything is written, so a bad line leaves no trace;
`Importer` then writes it in one transaction. Posts for the wall are published in batches after
their lines are written (see wall.publishing.publish_many): until then they are imported, not public.
What the export does not say is taken to be private: a post is public and a reply is public only if
the line says so.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from cases import clock
from cases.models import Category, Kind, Post, Reply, Unit
from wall.publishing import publish_many

# The old systems ran in China: a date without an offset is Beijing time, whatever our settings say.
EXPORT_ZONE = ZoneInfo("Asia/Shanghai")

PUBLISH_BATCH = 500

REACHED_A_UNIT = {Post.Status.ACCEPTED, Post.Status.REPLIED, Post.Status.CLOSED, Post.Status.REOPENED}


class BadLine(Exception):
    """A line that cannot be imported; the message tells the person running the import why."""


@dataclass(frozen=True)
class ReplyRecord:
    body: str
    is_public: bool
    unit_name: str
    created_at: datetime


@dataclass(frozen=True)
class PostRecord:
    title: str
    body: str
    kind_name: str
    category_name: str
    unit_name: str
    created_at: datetime
    status: str
    wants_public: bool
    is_anonymous: bool
    contact_name: str
    contact_phone: str
    contact_email: str
    replies: tuple[ReplyRecord, ...]


def parse_line(text, now):
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise BadLine(_("not valid JSON (%(error)s).") % {"error": error}) from None
    if not isinstance(data, dict):
        raise BadLine(_("a line must hold one JSON object."))
    created_at = _date(data, "created_at", now) or now
    replies = _replies(data, created_at, now)
    contact_phone, contact_email = _contact(data)
    return PostRecord(
        title=_text(data, "title", _max_length(Post, "title"), required=True),
        body=_text(data, "body", _max_length(Post, "body"), required=True),
        kind_name=_text(data, "kind", _max_length(Kind, "name"), required=True),
        category_name=_text(data, "category", _max_length(Category, "name"), required=True),
        unit_name=_text(data, "unit", _max_length(Unit, "name")),
        created_at=created_at,
        status=_status(data, default=Post.Status.REPLIED if replies else Post.Status.SUBMITTED),
        wants_public=_flag(data, "is_public", default=False),
        is_anonymous=_flag(data, "anonymous", default=True),
        contact_name=_text(data, "poster_name", _max_length(Post, "contact_name")),
        contact_phone=contact_phone,
        contact_email=contact_email,
        replies=replies,
    )


def _max_length(model, field_name):
    return model._meta.get_field(field_name).max_length


def _text(data, key, max_length, required=False):
    value = data.get(key)
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise BadLine(_("“%(key)s” must be text.") % {"key": key})
    value = value.strip()
    if required and not value:
        raise BadLine(_("“%(key)s” is missing or empty.") % {"key": key})
    _check_length(key, value, max_length)
    return value


def _check_length(key, value, max_length):
    if max_length and len(value) > max_length:
        raise BadLine(
            _("“%(key)s” has %(length)d characters; at most %(max)d fit.")
            % {"key": key, "length": len(value), "max": max_length}
        )


def _flag(data, key, default):
    value = data.get(key)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise BadLine(_("“%(key)s” must be true or false.") % {"key": key})
    return value


def _date(data, key, now):
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise BadLine(_("“%(key)s” must be an ISO 8601 date in a string.") % {"key": key})
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise BadLine(
            _("“%(key)s” is not an ISO 8601 date: “%(value)s”.") % {"key": key, "value": _shown(value)}
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=EXPORT_ZONE)
    if moment > now:
        raise BadLine(_("“%(key)s” is in the future: “%(value)s”.") % {"key": key, "value": _shown(value)})
    return moment


def _shown(value):
    """value as it may be quoted in a one-line report: control characters escaped, long ones cut."""
    text = json.dumps(value, ensure_ascii=False)
    text = text[1:-1] if isinstance(value, str) else text
    return text if len(text) <= 60 else text[:60] + "…"


def _status(data, default):
    value = data.get("status")
    if value is None:
        return default
    if value not in Post.Status.values:
        raise BadLine(
            _("unknown status “%(status)s”; use one of %(choices)s.")
            % {"status": _shown(value), "choices": ", ".join(Post.Status.values)}
        )
    return value


def _contact(data):
    """Return (phone, email): an address that validates as email is one, anything else a phone number."""
    contact = _text(data, "poster_contact", max_length=None)
    try:
        validate_email(contact)
    except ValidationError:
        _check_length("poster_contact", contact, _max_length(Post, "contact_phone"))
        return contact, ""
    _check_length("poster_contact", contact, _max_length(Post, "contact_email"))
    return "", contact


def _replies(data, post_created_at, now):
    value = data.get("replies")
    if value is None:
        return ()
    if not isinstance(value, list):
        raise BadLine(_("“replies” must be a list."))
    return tuple(_reply(item, number, post_created_at, now) for number, item in enumerate(value, start=1))


def _reply(item, number, post_created_at, now):
    try:
        if not isinstance(item, dict):
            raise BadLine(_("it must be a JSON object."))
        created_at = _date(item, "created_at", now) or post_created_at
        if created_at < post_created_at:
            raise BadLine(_("it is dated before the post."))
        return ReplyRecord(
            body=_text(item, "body", max_length=None, required=True),
            is_public=_flag(item, "is_public", default=False),
            unit_name=_text(item, "unit", _max_length(Unit, "name")),
            created_at=created_at,
        )
    except BadLine as error:
        raise BadLine(_("reply %(number)d: %(reason)s") % {"number": number, "reason": error}) from None


class Importer:
    """Writes checked records, creating kinds, categories and units the first time their name is seen.

    parse_line has ruled out everything in a line that could make `save` fail, so it fails only when
    the database does; that ends the import (the name caches would then be out of step). Call
    `finish()` at the end: it publishes the last batch.
    """

    def __init__(self, publish=False):
        self.publish = publish
        self.to_publish = []
        self.published = 0
        self.kinds = {}
        self.categories = {}
        self.units = {}
        self.created = []  # (what, name) for everything made up from a name, for the report

    def save(self, record):
        post = self._write(record)
        if self.publish and record.wants_public and record.status in Post.WALL_STATUSES:
            self.to_publish.append(post)
        if len(self.to_publish) >= PUBLISH_BATCH:
            self.finish()
        return post

    def finish(self):
        self.published += len(publish_many(self.to_publish))
        self.to_publish = []

    @transaction.atomic
    def _write(self, record):
        unit = self.unit(record.unit_name)
        kind = self.kind(record.kind_name)
        post = Post.objects.create(
            kind=kind,
            category=self.category(record.category_name),
            unit=unit,
            title=record.title,
            body=record.body,
            status=record.status,
            wants_public=record.wants_public,
            is_anonymous=record.is_anonymous,
            contact_name=record.contact_name,
            contact_phone=record.contact_phone,
            contact_email=record.contact_email,
            created_at=record.created_at,
            **_lifecycle_times(record, kind),
        )
        Reply.objects.bulk_create(
            Reply(
                post=post,
                unit=self.unit(reply.unit_name) or unit,
                body=reply.body,
                is_public=reply.is_public,
                created_at=reply.created_at,
            )
            for reply in record.replies
        )
        return post

    def kind(self, name):
        if name not in self.kinds:
            self.kinds[name] = Kind.objects.filter(name=name).first() or self._new_kind(name)
        return self.kinds[name]

    def category(self, name):
        if name not in self.categories:
            self.categories[name] = Category.objects.filter(name=name).first() or self._new_category(name)
        return self.categories[name]

    def unit(self, name):
        if not name:
            return None
        if name not in self.units:
            self.units[name] = Unit.objects.filter(name=name).first() or self._new_unit(name)
        return self.units[name]

    def _new_kind(self, name):
        self.created.append(("kind", name))
        return Kind.objects.create(name=name, slug=_free_kind_slug(name), sort_order=_next_sort_order(Kind))

    def _new_category(self, name):
        self.created.append(("category", name))
        return Category.objects.create(name=name, sort_order=_next_sort_order(Category))

    def _new_unit(self, name):
        self.created.append(("unit", name))
        # The export does not say whether it is a department or a college; an editor will.
        return Unit.objects.create(name=name, type=Unit.Type.OTHER)


def _lifecycle_times(record, kind):
    """Derive when it was accepted, first answered and closed: the export only says when it was posted and answered."""
    reply_times = sorted(reply.created_at for reply in record.replies)
    times = {"first_replied_at": reply_times[0] if reply_times else None}
    if record.status in REACHED_A_UNIT:
        # When it was routed is not recorded; it cannot have been before it was posted.
        times["accepted_at"] = record.created_at
        times["reply_due_at"] = clock.reply_due(kind, record.created_at)
        times["resolution_due_at"] = clock.resolution_due(kind, record.created_at)
    if record.status == Post.Status.CLOSED:
        times["closed_at"] = reply_times[-1] if reply_times else record.created_at
    if record.status == Post.Status.REJECTED:
        times["closed_at"] = record.created_at
    return times


def _free_kind_slug(name):
    # Kind names are Chinese and slugs ASCII: a hash of the name is stable across imports.
    base = "kind-" + hashlib.sha256(name.encode()).hexdigest()[:8]
    slug, n = base, 1
    while Kind.objects.filter(slug=slug).exists():  # an earlier kind of this name was renamed since
        n += 1
        slug = f"{base}-{n}"
    return slug


def _next_sort_order(model):
    return (model.objects.aggregate(last=Max("sort_order"))["last"] or 0) + 1

"""Notifications: who hears about what happens to a post, and delivery that never loses a message.

Every message is first stored as a Notification, then sent by a task once the transaction that
caused it commits. A failed attempt is recorded and retried with back-off by retry_due(), which
the periodic tick calls; after MAX_ATTEMPTS the notification waits as failed until staff retry it.

Privacy: staff messages are built from _case_facts() alone (kind, category, title, unit,
deadlines, a link to the case page), never from the poster's name, contacts or own words:
anonymous means anonymous to handlers too (DESIGN.md §2), and a group robot posts to a whole chat.
Only messages to the poster carry the reply and the tracking link.
"""

import logging
from datetime import timedelta
from functools import partial

import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from wall import roles
from wall.models import HandlingSettings, Notification, Post, Unit
from wall.projection import is_public
from wall.tasks import deliver_notification

logger = logging.getLogger(__name__)

EVENT_LABELS = {
    "routed": _("New post for the unit"),
    "replied": _("Reply to the poster"),
    "reminder": _("Reply overdue"),
    "escalated": _("Escalated"),
    "transferred": _("Transferred"),
    "reopened": _("Reopened"),
    "rated": _("Rated"),
    "closed": _("Closed: please rate"),
    "rejected": _("Not accepted"),
    "co_handling": _("Co-handling"),
    "digest": _("Daily digest"),
    "followed": _("Followed post updated"),
}
POSTER_EVENTS = {"replied", "closed", "rejected"}
FOLLOWER_EVENTS = {"replied", "closed"}
UNIT_EVENTS = {"routed", "reminder", "escalated", "transferred", "reopened", "rated", "co_handling"}

# After the n-th failed attempt the next one waits BACKOFF[n - 1]; the one after the last wait is the last.
BACKOFF = [timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2), timedelta(hours=6)]
MAX_ATTEMPTS = len(BACKOFF) + 1
# How long one attempt holds a notification. If its worker dies mid-send, the tick tries again after this.
CLAIM_TIME = timedelta(minutes=10)
WEBHOOK_TIMEOUT = 5
# WeCom refuses robot texts over 2048 bytes.
WEBHOOK_MAX_BYTES = 2000
# A long backlog (the mail server down for a day) drains over several ticks, not in one endless tick.
RETRY_BATCH = 200


class WebhookRefused(Exception):
    """The group robot answered, but did not accept the message."""


def post_event(post, event, **data):
    """Store the messages event causes and send them once the current transaction commits.

    Raises ValueError for an unknown event, so that a misspelt one fails in tests, not silently.
    """
    if event not in POSTER_EVENTS | UNIT_EVENTS:
        raise ValueError(f"Unknown notification event {event!r}")
    followers = _tell_followers(post, event, data) if event in FOLLOWER_EVENTS else []
    emails, webhooks = _recipients(post, event, data)
    if not emails and not webhooks:
        return followers
    with translation.override(settings.LANGUAGE_CODE):
        if event in POSTER_EVENTS:
            tracking_url = _absolute(reverse("wall:track", args=[post.tracking_token]))
            context = {"post": post, "tracking_url": tracking_url, **data}
        else:
            context = {"case": _case_facts(post), **_event_facts(event, data)}
        subject, body = _render(event, context)
    hide = event in POSTER_EVENTS and _is_anonymous_account_address(post, emails)
    notifications = Notification.objects.bulk_create(
        Notification(
            event=event,
            channel=channel,
            recipient=recipient,
            hide_recipient=hide,
            subject=subject,
            body=body,
            post=post,
        )
        for channel, recipients in ((Notification.Channel.EMAIL, emails), (Notification.Channel.WEBHOOK, webhooks))
        for recipient in recipients
    )
    _send_after_commit(notifications)
    return notifications + followers


def _tell_followers(post, event, data):
    """Followers hear what the wall shows and no more: the public title and the page's link."""
    if not (is_public(post) and post.page_id) or (event == "replied" and not data["reply"].is_public):
        return []
    poster = _poster_address(post)
    addresses = [a for a in _emails(get_user_model().objects.filter(follows__post=post)) if a != poster]
    if not addresses:
        return []
    with translation.override(settings.LANGUAGE_CODE):
        context = {"title": post.page.title, "url": _absolute(post.page.url), "closed": event == "closed"}
        subject, body = _render("followed", context)
    notifications = Notification.objects.bulk_create(
        Notification(
            event="followed",
            channel=Notification.Channel.EMAIL,
            recipient=address,
            subject=subject,
            body=body,
            post=post,
        )
        for address in addresses
    )
    _send_after_commit(notifications)
    return notifications


def deliver(notification_id):
    """Make one attempt to send a stored notification; the outcome is recorded on it, never raised.

    Returns True if it was sent. One that is not pending, not due yet, or being sent by another
    worker right now is left alone.
    """
    now = timezone.now()
    # Claim it first: the task queued at commit and a tick's retry_due() may both reach it.
    claimed = Notification.objects.filter(
        pk=notification_id, status=Notification.Status.PENDING, next_attempt_at__lte=now
    ).update(attempts=F("attempts") + 1, next_attempt_at=now + CLAIM_TIME)
    if not claimed:
        return False
    notification = Notification.objects.get(pk=notification_id)
    try:
        _SENDERS[notification.channel](notification)
    except Exception as error:  # whatever went wrong, the message waits for the next attempt
        _record_failure(notification, error)
        return False
    notification.status = Notification.Status.SENT
    notification.sent_at = timezone.now()
    notification.save(update_fields=["status", "sent_at"])
    return True


def retry_due(now=None):
    """Queue another attempt for each pending notification whose time has come. Returns how many."""
    pending = Notification.objects.filter(
        status=Notification.Status.PENDING, next_attempt_at__lte=now or timezone.now()
    )
    due = list(pending.order_by("next_attempt_at").values_list("pk", flat=True)[:RETRY_BATCH])
    for notification_id in due:
        deliver_notification.enqueue(notification_id)
    return len(due)


def retry(notification):
    """Staff's second chance for a failed notification: one more attempt, now. False if it had not failed."""
    reset = Notification.objects.filter(pk=notification.pk, status=Notification.Status.FAILED).update(
        status=Notification.Status.PENDING, next_attempt_at=timezone.now()
    )
    if reset:
        _send_after_commit([notification])
    return bool(reset)


def send_daily_digests(now=None):
    """日清零: from the digest hour on, tell each unit's handlers and robot what the unit still has open.

    Safe to call on every tick: a recipient gets one digest per unit per day (Notification.dedupe_key).
    Returns how many notifications it created.
    """
    # digest_hour is Asia/Shanghai time, the project's TIME_ZONE, whatever zone a request activated.
    local_now = timezone.localtime(now or timezone.now(), timezone.get_default_timezone())
    if local_now.hour < HandlingSettings.load().digest_hour:
        return 0
    with_open_posts = Unit.objects.filter(
        Q(posts__status__in=Post.OPEN) | Q(co_handled_posts__status__in=Post.OPEN)
    ).distinct()
    return sum(len(_send_digest(unit, local_now.date())) for unit in with_open_posts)


# -- who hears of it ---------------------------------------------------------------------------


def _recipients(post, event, data):
    """(email addresses, group robot URLs) that hear of event."""
    if event in POSTER_EVENTS:
        address = _poster_address(post)
        return ([address] if address else []), []
    units = data["units"] if event == "co_handling" else [post.unit]
    if event == "escalated":
        return _supervisor_emails(post.unit, data["level"]), _webhooks(units)
    return _emails(_handlers(units)), _webhooks(units)


def _poster_address(post):
    """The contact e-mail the poster left, else their account's."""
    return post.contact_email or (post.poster.email if post.poster else "")


def _is_anonymous_account_address(post, addresses):
    # An address the anonymous poster typed as contact is theirs to show editors; their account's is not
    # (with a campus login it names them).
    return post.is_anonymous and any(address != post.contact_email for address in addresses)


def _handlers(units):
    return get_user_model().objects.filter(handled_units__in=[unit for unit in units if unit])


def _supervisor_emails(unit, level):
    if level == Post.Escalation.SUPERVISORS:
        addresses = _emails(unit.supervisors.all())
        # With no supervisor of its own to reach, the overdue post still needs someone to chase it.
        if addresses:
            return addresses
    users = get_user_model().objects.with_perm(
        "wall.supervise_all", include_superusers=False, backend=roles.GROUP_PERMISSIONS
    )
    return _emails(users)


def _emails(users):
    return sorted(set(users.filter(is_active=True).exclude(email="").values_list("email", flat=True)))


def _webhooks(units):
    return list(dict.fromkeys(unit.webhook_url for unit in units if unit and unit.webhook_url))


# -- what they read ----------------------------------------------------------------------------


def _case_facts(post):
    """All that a staff message may say about a post. The one place to widen it, so think twice."""
    return {
        # The editor's redacted title where there is one.
        "title": post.shown_title,
        "kind": post.kind.name,
        "category": post.category.name,
        "unit": post.unit.name if post.unit else "",
        "reply_due": post.due_display,
        "resolution_due": post.resolution_display,
        "url": _absolute(reverse("wall_admin:post", args=[post.pk])),
    }


def _event_facts(event, data):
    """The event's own details fit for staff. Reasons stay on the case page: they may quote the poster."""
    if event == "transferred":
        return {"from_unit": data["from_unit"].name, "reassigned": data.get("reassigned", False)}
    if event == "escalated":
        return {"level": data["level"]}
    if event == "rated":
        rating = data["rating"]
        return {"attitude": rating.attitude, "speed": rating.speed, "result": rating.result}
    if event == "co_handling":
        return {"co_units": ", ".join(unit.name for unit in data["units"])}
    return {}


def _render(name, context):
    subject = render_to_string(f"wall/notifications/{name}_subject.txt", context)
    body = render_to_string(f"wall/notifications/{name}.txt", context)
    # A mail header is one line.
    return " ".join(subject.split())[:200], body.strip()


def _absolute(path):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _send_digest(unit, day):
    handlers = _handlers([unit]).filter(is_active=True).exclude(email="")
    wanted = {f"digest:{unit.pk}:{day}:email:{user.pk}": (Notification.Channel.EMAIL, user.email) for user in handlers}
    if unit.webhook_url:
        wanted[f"digest:{unit.pk}:{day}:webhook"] = (Notification.Channel.WEBHOOK, unit.webhook_url)
    sent = set(Notification.objects.filter(dedupe_key__in=wanted).values_list("dedupe_key", flat=True))
    wanted = {key: target for key, target in wanted.items() if key not in sent}
    if not wanted:
        return []
    posts = (
        Post.objects.open()
        .filter(Q(unit=unit) | Q(co_units=unit))
        .distinct()
        .select_related("kind", "category", "unit")
        .order_by("resolution_due_at", "pk")
    )
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = _render("digest", _digest_context(unit, posts, day))
    created = []
    for key, (channel, recipient) in wanted.items():
        # get_or_create: two ticks at once still make one digest per key.
        notification, is_new = Notification.objects.get_or_create(
            dedupe_key=key,
            defaults={"event": "digest", "channel": channel, "recipient": recipient, "subject": subject, "body": body},
        )
        if is_new:
            created.append(notification)
    _send_after_commit(created)
    return created


def _digest_context(unit, posts, day):
    items = []
    for post in posts:
        item = _case_facts(post)
        item["co_handled"] = post.unit_id != unit.pk
        item["reply_due_today"] = post.status in Post.AWAITING_REPLY and _falls_on(post.reply_due_at, day)
        item["resolution_due_today"] = _falls_on(post.resolution_due_at, day)
        items.append(item)
    return {
        "unit": unit.name,
        "day": day,
        "posts": items,
        "due_today": sum(item["reply_due_today"] or item["resolution_due_today"] for item in items),
        "queue_url": _absolute(reverse("wall_admin:unreplied")),
    }


def _falls_on(due, day):
    # A deadline at midnight is the end of the day before (the clock's "end of the n-th working day").
    if due is None:
        return False
    return timezone.localtime(due - timedelta(microseconds=1), timezone.get_default_timezone()).date() == day


# -- how it gets there -------------------------------------------------------------------------


def _send_after_commit(notifications):
    # After commit, so the task finds the rows and nothing goes out for an action that rolled back.
    # robust: a task queue that is down must not turn a saved action into an error page; the
    # notification stays pending and retry_due() sends it later.
    for notification in notifications:
        transaction.on_commit(partial(deliver_notification.enqueue, notification.pk), robust=True)


def _send_email(notification):
    send_mail(notification.subject, notification.body, None, [notification.recipient])


def _send_webhook(notification):
    content = _clip(f"{notification.subject}\n\n{notification.body}", WEBHOOK_MAX_BYTES)
    # WeCom and DingTalk group robots both take this text message.
    response = requests.post(
        notification.recipient,
        json={"msgtype": "text", "text": {"content": content}},
        timeout=WEBHOOK_TIMEOUT,
        allow_redirects=False,
    )
    if not 200 <= response.status_code < 300:
        raise WebhookRefused(f"HTTP {response.status_code}: {response.text[:200]}")
    try:
        answer = response.json()
    except ValueError:  # a 2xx without JSON: nothing says it failed
        return
    # Both answer HTTP 200 with a non-zero errcode when they refuse a message (bad key, rate limit).
    if isinstance(answer, dict) and answer.get("errcode", 0) != 0:
        raise WebhookRefused(f"errcode {answer['errcode']}: {answer.get('errmsg', '')}")


_SENDERS = {Notification.Channel.EMAIL: _send_email, Notification.Channel.WEBHOOK: _send_webhook}


def _clip(text, max_bytes):
    encoded = text.encode()
    if len(encoded) <= max_bytes:
        return text
    return encoded[: max_bytes - 3].decode(errors="ignore").rsplit("\n", 1)[0] + "\n…"


def _record_failure(notification, error):
    notification.last_error = f"{type(error).__name__}: {error}"[:2000]
    if notification.attempts >= MAX_ATTEMPTS:
        notification.status = Notification.Status.FAILED
        logger.error("Notification %s failed for good after %s attempts", notification.pk, notification.attempts)
    else:
        notification.next_attempt_at = timezone.now() + BACKOFF[notification.attempts - 1]
        logger.warning("Notification %s failed (attempt %s), will retry", notification.pk, notification.attempts)
    notification.save(update_fields=["last_error", "status", "next_attempt_at"])

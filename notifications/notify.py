"""Notifications: who hears about what happens to a post, and delivery that never loses a message.

Every message is first stored as a Notification, then sent by a task once the transaction that
caused it commits (notifications.delivery). A failed attempt is recorded and retried with
back-off by retry_due(), which the periodic tick calls; after MAX_ATTEMPTS the notification waits
as failed until staff retry it.

Privacy: staff messages are built from _case_facts() alone (kind, category, title, unit,
deadlines, a link to the case page), never from the poster's name, contacts or own words:
anonymous means anonymous to handlers too (DESIGN.md §2), and a group robot posts to a whole chat.
Only messages to the poster carry the reply and the tracking link.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accounts.identity import wecom_user_id
from cases import roles
from cases.models import HandlingSettings, Post, Unit
from cases.signals import case_event, ticked
from notifications import delivery
from notifications.delivery import send_after_commit
from notifications.models import InboxMessage, Notification
from wall.projection import is_public

EVENT_LABELS = {
    "routed": _("New post for the unit"),
    "replied": _("Reply to the poster"),
    "reminder": _("Reply overdue"),
    "hold_due": _("Planned solution date reached"),
    "escalated": _("Escalated"),
    "transferred": _("Transferred"),
    "reopened": _("Reopened"),
    "rated": _("Rated"),
    "closed": _("Closed: please rate"),
    "rejected": _("Not accepted"),
    "merged": _("Merged into another post"),
    "co_handling": _("Co-handling"),
    "urged": _("Urged by a supervisor"),
    "screening_late": _("Screening overdue"),
    "key_supervision": _("Key supervision"),
    "instructed": _("A leader's instruction"),
    "instruction_answered": _("The unit answered your instruction"),
    "digest": _("Daily digest"),
    "followed": _("Followed post updated"),
}
POSTER_EVENTS = {"replied", "closed", "rejected", "merged"}
FOLLOWER_EVENTS = {"replied", "closed"}
EDITOR_EVENTS = {"screening_late"}
LEADER_EVENTS = {"instruction_answered"}  # to the leader who gave the instruction
UNIT_EVENTS = {
    "routed",
    "reminder",
    "hold_due",
    "escalated",
    "transferred",
    "reopened",
    "rated",
    "co_handling",
    "urged",
    "key_supervision",
    "instructed",
}


def post_event(post, event, **data):
    """Store the messages event causes and send them once the current transaction commits.

    Raises ValueError for an unknown event, so that a misspelt one fails in tests, not silently.
    """
    if event not in POSTER_EVENTS | UNIT_EVENTS | EDITOR_EVENTS | LEADER_EVENTS:
        raise ValueError(f"Unknown notification event {event!r}")
    followers = _tell_followers(post, event, data) if event in FOLLOWER_EVENTS else []
    staff, addresses = _recipients(post, event, data)
    if not staff and not any(addresses.values()):
        return followers
    with translation.override(settings.LANGUAGE_CODE):
        if event in POSTER_EVENTS:
            tracking_url = _absolute(reverse("wall:track", args=[post.tracking_token]))
            context = {"post": post, "tracking_url": tracking_url, **_poster_facts(event, data)}
        else:
            context = {"case": _case_facts(post), **_event_facts(event, data)}
        subject, body = _render(event, context)
    # An address the anonymous poster typed is theirs to show editors; an account's e-mail or a campus
    # ID names them, so staff never see it (DESIGN.md §2).
    hide = event in POSTER_EVENTS and (
        _is_anonymous_account_address(post, addresses[Notification.Channel.EMAIL])
        or (post.is_anonymous and bool(addresses[Notification.Channel.WECOM]))
    )
    # A text message says what happened and where to read it: the tracking page.
    short = f"{subject} {context.get('tracking_url', '')}".strip()
    texts = {Notification.Channel.SMS: short, Notification.Channel.WECOM: short}
    notifications = Notification.objects.bulk_create(
        Notification(
            event=event,
            channel=channel,
            recipient=recipient,
            hide_recipient=hide,
            subject=subject,
            body=texts.get(channel, body),
            post=post,
        )
        for channel, recipients in addresses.items()
        for recipient in recipients
    )
    send_after_commit(notifications)
    InboxMessage.objects.bulk_create(
        InboxMessage(user=user, event=event, subject=subject, body=body, post=post) for user in staff
    )
    return notifications + followers


def _poster_facts(event, data):
    """What the poster's message may say of the event. Of the post theirs was merged into: its page
    on the wall, if it has one, never its own poster's words."""
    if event != "merged":
        return data
    other = data["other"]
    return {"other_url": _absolute(other.page.url) if is_public(other) and other.page_id else None}


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
    send_after_commit(notifications)
    return notifications


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
    """(staff users, {channel: addresses}) that hear of event. Staff hear of it in their admin inbox
    too, e-mail address or not; the poster by the channel they chose (SMS, WeCom) where it can reach
    them, else by e-mail."""
    addresses = {channel: [] for channel in Notification.Channel}
    if event in POSTER_EVENTS:
        wecom_id = wecom_user_id(post.poster) if post.notify_by == Post.NotifyBy.WECOM else None
        if post.notify_by == Post.NotifyBy.SMS and post.contact_phone and settings.ECHOWALL_SMS_GATEWAY_URL:
            addresses[Notification.Channel.SMS] = [post.contact_phone]
        elif wecom_id:
            addresses[Notification.Channel.WECOM] = [wecom_id]
        elif _poster_address(post):
            addresses[Notification.Channel.EMAIL] = [_poster_address(post)]
        return [], addresses
    units = data["units"] if event == "co_handling" else [post.unit]
    if event in EDITOR_EVENTS:
        staff, units = _editors(), []
    elif event in LEADER_EVENTS:
        staff, units = get_user_model().objects.filter(pk=data["instruction"].author_id), []
    elif event == "escalated":
        staff = _supervisors(post.unit, data["level"])
    elif event == "routed" and data.get("urgent"):  # 应急: the unit's supervisors hear at once too
        staff = get_user_model().objects.filter(Q(handled_units=post.unit) | Q(supervised_units=post.unit))
    else:
        staff = _handlers(units)
    staff = list(staff.filter(is_active=True).distinct())
    addresses[Notification.Channel.EMAIL] = sorted({user.email for user in staff if user.email})
    addresses[Notification.Channel.WEBHOOK] = _webhooks(units)
    return staff, addresses


def _poster_address(post):
    """The contact e-mail the poster left, else their account's."""
    return post.contact_email or (post.poster.email if post.poster else "")


def _is_anonymous_account_address(post, addresses):
    # An address the anonymous poster typed as contact is theirs to show editors; their account's is not
    # (with a campus login it names them).
    return post.is_anonymous and any(address != post.contact_email for address in addresses)


def _handlers(units):
    return get_user_model().objects.filter(handled_units__in=[unit for unit in units if unit])


def _editors():
    return get_user_model().objects.with_perm(
        "cases.moderate_post", include_superusers=False, backend=roles.GROUP_PERMISSIONS
    )


def _supervisors(unit, level):
    if level == Post.Escalation.LEADER:
        return get_user_model().objects.filter(pk=unit.vice_president_id)
    if level == Post.Escalation.SUPERVISORS and unit.supervisors.filter(is_active=True).exists():
        return unit.supervisors.all()
    # With no supervisor of its own to reach, the overdue post still needs someone to chase it.
    return get_user_model().objects.with_perm(
        "cases.supervise_all", include_superusers=False, backend=roles.GROUP_PERMISSIONS
    )


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
        "url": _absolute(reverse("cases_admin:post", args=[post.pk])),
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
    if event == "urged":
        return {"message": data["message"]}  # the supervisor's own words
    if event == "key_supervision":
        return {"due": data["due"], "instructions": data["instructions"]}
    if event == "instructed":
        instruction = data["instruction"]
        return {"instruction": instruction.body, "leader": _name(instruction.author)}
    if event == "instruction_answered":
        instruction = data["instruction"]
        return {"instruction": instruction.body, "answer": instruction.answer}
    if event == "hold_due":
        return {"solve_by": data["solve_by"]}
    if event == "routed":
        return {"urgent": data.get("urgent", False)}
    return {}


def _name(user):
    return (user.get_full_name() or user.get_username()) if user else ""


def _render(name, context):
    subject = render_to_string(f"notifications/{name}_subject.txt", context)
    body = render_to_string(f"notifications/{name}.txt", context)
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
    send_after_commit(created)
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
        "queue_url": _absolute(reverse("cases_admin:unreplied")),
    }


def _falls_on(due, day):
    # A deadline at midnight is the end of the day before (the clock's "end of the n-th working day").
    if due is None:
        return False
    return timezone.localtime(due - timedelta(microseconds=1), timezone.get_default_timezone()).date() == day


# -- what the wall announces ---------------------------------------------------------------------


def _case_event(sender, post, event, data, **kwargs):
    post_event(post, event, **data)


def _tick(sender, now, **kwargs):
    return {"notifications retried": delivery.retry_due(now), "digests sent": send_daily_digests(now)}


def connect_signals():
    case_event.connect(_case_event, dispatch_uid="notifications-case-event")
    ticked.connect(_tick, dispatch_uid="notifications-tick")

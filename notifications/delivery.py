"""Delivery that never loses a message: each stored Notification is sent by a task after commit,
retried with back-off, and given up (failed, for staff to retry) after MAX_ATTEMPTS."""

import logging
from datetime import timedelta
from functools import partial

import requests
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from accounts import wecom
from notifications.models import Notification

logger = logging.getLogger(__name__)

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
        send_after_commit([notification])
    return bool(reset)


@task()
def deliver_notification(notification_id):
    """deliver(), as background work: inline with the immediate backend, by a worker in production."""
    return deliver(notification_id)


def send_after_commit(notifications):
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


def _send_sms(notification):
    response = requests.post(
        settings.ECHOWALL_SMS_GATEWAY_URL,
        json={"to": notification.recipient, "text": notification.body},
        headers={"Authorization": f"Bearer {settings.ECHOWALL_SMS_GATEWAY_TOKEN}"},
        timeout=WEBHOOK_TIMEOUT,
        allow_redirects=False,
    )
    if not 200 <= response.status_code < 300:
        raise WebhookRefused(f"SMS gateway: HTTP {response.status_code}: {response.text[:200]}")


def _send_wecom(notification):
    wecom.post(
        "/cgi-bin/message/send",
        {
            "touser": notification.recipient,
            "msgtype": "text",
            "agentid": int(settings.ECHOWALL_WECOM_AGENT_ID or 0),
            "text": {"content": _clip(notification.body, WEBHOOK_MAX_BYTES)},
        },
    )


_SENDERS = {
    Notification.Channel.EMAIL: _send_email,
    Notification.Channel.WEBHOOK: _send_webhook,
    Notification.Channel.SMS: _send_sms,
    Notification.Channel.WECOM: _send_wecom,
}


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

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One message to one recipient, stored before it is sent so that none is ever lost.

    Delivery (notifications.delivery) retries with back-off; one that gives up stays here as failed for
    staff to see and retry.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        WEBHOOK = "webhook", _("Group robot")
        SMS = "sms", _("SMS")
        WECOM = "wecom", _("WeCom (企业微信)")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    event = models.CharField(_("event"), max_length=40)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel)
    recipient = models.CharField(_("recipient"), max_length=500)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    post = models.ForeignKey(
        "cases.Post", null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # A message to the account behind an anonymous post: staff never see its address (DESIGN.md §2).
    hide_recipient = models.BooleanField(default=False, editable=False)
    # Set for messages that must go out at most once, e.g. "digest:<unit>:<date>".
    dedupe_key = models.CharField(max_length=200, null=True, blank=True, unique=True, editable=False)

    class Meta:
        db_table = "wall_notification"  # made by the wall app before notifications had its own
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.event} → {self.get_recipient_display()}"

    def get_recipient_display(self):
        """The recipient as staff may see it: Wagtail's list and inspect views show this."""
        return _("Anonymous poster") if self.hide_recipient else self.recipient

    def get_body_display(self):
        """The text as staff may see it: the poster's tracking link and code would let them act as the poster."""
        if self.post is None:
            return self.body
        return self.body.replace(self.post.tracking_token, "…").replace(self.post.tracking_code, "…")


class InboxMessage(models.Model):
    """我的消息: a staff member's copy of a message in the admin's own inbox, beside the e-mail and the
    group robot, whether or not they have an e-mail address. Read when they open it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbox")
    event = models.CharField(_("event"), max_length=40)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    post = models.ForeignKey("cases.Post", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("received at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("inbox message")
        verbose_name_plural = _("inbox messages")
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self):
        return self.subject

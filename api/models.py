import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

KEY_PREFIX_LENGTH = 8


def hash_key(key):
    # Keys are 32 random bytes, so a fast hash is enough: there is nothing to guess by brute force.
    return hashlib.sha256(key.encode()).hexdigest()


def new_secret():
    """(plaintext, prefix, hash) for a new key."""
    plaintext = secrets.token_urlsafe(32)
    return plaintext, plaintext[:KEY_PREFIX_LENGTH], hash_key(plaintext)


class ApiClient(models.Model):
    """A system that posts and reads through the API: the campus OA, a WeCom app, a mini-program."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    contact = models.CharField(
        _("contact"), max_length=200, blank=True, help_text=_("Who runs this client, should it misbehave.")
    )
    is_active = models.BooleanField(_("active"), default=True, help_text=_("Untick to refuse all its keys."))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")

    def __str__(self):
        return self.name

    def issue_key(self, label="", user=None):
        """Create a key and return (api_key, plaintext). The plaintext is shown once and never stored."""
        plaintext, prefix, key_hash = new_secret()
        key = self.keys.create(prefix=prefix, key_hash=key_hash, label=label, user=user)
        return key, plaintext


class ApiKeyQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(revoked_at=None, client__is_active=True)


class ApiKey(models.Model):
    """One secret of a client. Only its hash is kept; revoking keeps the row for the record."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="keys", verbose_name=_("client"))
    label = models.CharField(_("label"), max_length=80, blank=True, help_text=_("e.g. “production server”"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="api_keys",
        verbose_name=_("acts as"),
        help_text=_("A staff member's personal key: staff endpoints act as them. Blank for a system's key."),
    )
    prefix = models.CharField(_("key starts with"), max_length=KEY_PREFIX_LENGTH, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self):
        return f"{self.client} {self.prefix}…"

    @property
    def is_revoked(self):
        return self.revoked_at is not None

    def revoke(self):
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])

    @classmethod
    def find(cls, plaintext):
        """The usable key with this secret, or None. Marks it used (at most once a minute)."""
        if not plaintext:
            return None
        key = cls.objects.usable().select_related("client").filter(key_hash=hash_key(plaintext)).first()
        now = timezone.now()
        if key and (key.last_used_at is None or (now - key.last_used_at).total_seconds() > 60):
            cls.objects.filter(pk=key.pk).update(last_used_at=now)
        return key


class ApiSubmission(models.Model):
    """Which client sent a post: for tracing abuse back to a key, never shown publicly."""

    post = models.OneToOneField(
        "cases.Post", on_delete=models.CASCADE, related_name="api_submission", verbose_name=_("post")
    )
    client = models.ForeignKey(
        ApiClient, on_delete=models.PROTECT, related_name="submissions", verbose_name=_("client")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("post sent through the API")
        verbose_name_plural = _("posts sent through the API")

    def __str__(self):
        return f"{self.post} ← {self.client}"

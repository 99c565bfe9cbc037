from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel

from .units import Unit


class Rectification(ClusterableModel):
    """整改台账 (问题清单): a collective problem a unit is to fix, with its measures and deadline, ticked
    off when fixed (动态销账). The posters of its posts follow it on their tracking pages; a public item
    is listed on the wall's page of rectifications. Written by staff for posters to read: no post's own
    words belong in it."""

    class Status(models.TextChoices):
        OPEN = "open", _("Being fixed")
        CLOSED = "closed", _("Fixed (closed)")

    title = models.CharField(_("problem"), max_length=200)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="rectifications", verbose_name=_("owner unit")
    )
    measures = models.TextField(_("measures"))
    deadline = models.DateField(_("to be fixed by"))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.OPEN)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    is_public = models.BooleanField(
        _("show on the public wall"), default=False, help_text=_("Listed with its progress at /rectifications/.")
    )
    posts = models.ManyToManyField(
        "cases.Post", blank=True, related_name="rectifications", verbose_name=_("posts about this problem")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("opened at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["status", "deadline", "pk"]
        verbose_name = _("rectification item (整改台账)")
        verbose_name_plural = _("rectification items (整改台账)")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # 动态销账: closing stamps the day; reopening an item clears it.
        if self.status == self.Status.CLOSED and self.closed_at is None:
            self.closed_at = timezone.now()
        elif self.status == self.Status.OPEN:
            self.closed_at = None
        super().save(*args, **kwargs)


class RectificationNote(models.Model):
    item = ParentalKey(Rectification, on_delete=models.CASCADE, related_name="notes")
    body = models.TextField(_("progress"), max_length=2000)
    created_at = models.DateTimeField(_("noted at"), default=timezone.now)

    panels = [FieldPanel("body"), FieldPanel("created_at")]

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")

    def __str__(self):
        return f"{self.item} {self.created_at:%Y-%m-%d}"

from django.db import models
from django.utils.translation import gettext_lazy as _


class RateCounter(models.Model):
    """How many times one bucket (an address, an account, an API client) acted in one fixed window.

    Counted by wall.ratelimit in one atomic statement. Kept in the database rather than the page
    cache, whose culling would delete a counter and so reset its limit.
    """

    key = models.CharField(max_length=250, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("rate counter")
        verbose_name_plural = _("rate counters")

    def __str__(self):
        return f"{self.key}: {self.count}"

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CampusIdentity(models.Model):
    """What the campus said about a user at their last single sign-on: the proof behind a real name.

    A user name that merely looks like a campus one proves nothing (an admin can create
    "campus.20230001" beforehand); only a login through CAS, OpenID Connect or WeCom writes this row.
    """

    class Source(models.TextChoices):
        CAS = "cas", _("CAS (统一身份认证)")
        OIDC = "oidc", _("OpenID Connect")
        WECOM = "wecom", _("WeCom (企业微信)")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="campus_identity", verbose_name=_("user")
    )
    source = models.CharField(_("signed on through"), max_length=10, choices=Source)
    campus_id = models.CharField(_("campus ID"), max_length=150)
    name = models.CharField(_("name given by the campus"), max_length=150, blank=True)
    verified_at = models.DateTimeField(_("last verified at"), default=timezone.now)

    class Meta:
        verbose_name = _("campus identity")
        verbose_name_plural = _("campus identities")

    def __str__(self):
        return f"{self.campus_id} {self.name}".strip()


class RateCounter(models.Model):
    """How many times one bucket (an address, an account, an API client) acted in one fixed window.

    Counted by accounts.ratelimit in one atomic statement. Kept in the database rather than the page
    cache, whose culling would delete a counter and so reset its limit.
    """

    key = models.CharField(max_length=250, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "wall_ratecounter"  # moved from the wall app with its rows
        verbose_name = _("rate counter")
        verbose_name_plural = _("rate counters")

    def __str__(self):
        return f"{self.key}: {self.count}"

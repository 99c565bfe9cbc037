from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


@register_setting(icon="table")
class StatisticsSettings(BaseGenericSetting):
    """The rules behind the published figures (三率). Editors change them; stats.rules reads them.

    They live here rather than in settings.py because the office that publishes the figures owns
    them, and a change must show in the next report without a deploy. stats.figures keys its cache by
    these values, so a change never mixes old and new figures.
    """

    satisfied_at_or_above = models.PositiveSmallIntegerField(
        _("a rating is satisfied when its result score is at least"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    publish_unit_figures = models.BooleanField(
        _("show each unit's figures on the public statistics page"),
        default=False,
        help_text=_("Off: the public page shows the figures of the whole school only."),
    )

    panels = [FieldPanel("satisfied_at_or_above"), FieldPanel("publish_unit_figures")]

    class Meta:
        db_table = "wall_statisticssettings"  # made by the wall app before statistics had its own
        verbose_name = _("statistics rules")


class DailyFigures(models.Model):
    """The 三率 counts of one Beijing-time day for one unit, or for the whole school (unit None).

    A rollup of posts, ratings and transfers, so that the figures of a year are summed from a few
    thousand rows instead of counted from hundreds of thousands of posts. stats.rollup counts it from
    the posts (recount), never by hand; every write to a post, rating or transfer marks the days it
    touches stale (StaleDay), and a stale day is recounted before anyone reads it.
    """

    day = models.DateField()
    unit = models.ForeignKey("cases.Unit", null=True, on_delete=models.CASCADE, related_name="+")
    received = models.PositiveIntegerField(default=0)
    answered = models.PositiveIntegerField(default=0)
    answered_on_time = models.PositiveIntegerField(default=0)
    closed = models.PositiveIntegerField(default=0)
    closed_on_time = models.PositiveIntegerField(default=0)
    reopened = models.PositiveIntegerField(default=0)
    wait_sum = models.BigIntegerField(default=0)  # seconds from acceptance to first reply, summed
    # {wait in tenths of an hour, rounded up: answered posts}: the 90th percentile's histogram
    waits = models.JSONField(default=dict)
    rated = models.PositiveIntegerField(default=0)
    # ratings by result score, so that any satisfaction threshold can be summed from them
    result_1 = models.PositiveIntegerField(default=0)
    result_2 = models.PositiveIntegerField(default=0)
    result_3 = models.PositiveIntegerField(default=0)
    result_4 = models.PositiveIntegerField(default=0)
    result_5 = models.PositiveIntegerField(default=0)
    attitude_sum = models.PositiveIntegerField(default=0)
    speed_sum = models.PositiveIntegerField(default=0)
    result_sum = models.PositiveIntegerField(default=0)
    transfers = models.PositiveIntegerField(default=0)  # transfers out made that day
    categories = models.JSONField(default=dict)  # the school's row only: {category id: posts received}

    class Meta:
        db_table = "wall_dailyfigures"
        constraints = [
            models.UniqueConstraint(fields=["day", "unit"], name="daily_figures_once_per_unit"),
            models.UniqueConstraint(fields=["day"], condition=models.Q(unit=None), name="daily_figures_once_per_day"),
        ]

    def __str__(self):
        return f"{self.day} {self.unit or 'all units'}"


class StaleDay(models.Model):
    """A day whose DailyFigures no longer match the posts: marked in the writer's own transaction."""

    day = models.DateField(primary_key=True)
    marked_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "wall_staleday"

    def __str__(self):
        return str(self.day)


class MonthlyWaits(models.Model):
    """A month's histogram of waits for first replies, per unit (unit None: the whole school): the
    sum of its days' DailyFigures.waits, so a year's 90th percentile merges 12 rows per unit, not 365."""

    month = models.DateField()  # its first day
    unit = models.ForeignKey("cases.Unit", null=True, on_delete=models.CASCADE, related_name="+")
    waits = models.JSONField(default=dict)

    class Meta:
        db_table = "wall_monthlywaits"
        indexes = [models.Index(fields=["month", "unit"])]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.unit or 'all units'}"

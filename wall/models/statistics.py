from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


@register_setting(icon="table")
class StatisticsSettings(BaseGenericSetting):
    """The rules behind the published figures (三率). Editors change them; wall.stats reads them.

    They live here rather than in settings.py because the office that publishes the figures owns
    them, and a change must show in the next report without a deploy. wall.stats keys its cache by
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
        verbose_name = _("statistics rules")

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


@register_setting(icon="time")
class HandlingSettings(BaseGenericSetting):
    """How fast posts must be handled and when they escalate. Kinds may override the deadlines."""

    screening_hours = models.PositiveSmallIntegerField(
        _("screening due (hours after posting)"),
        default=8,
        validators=[MinValueValidator(1)],
        help_text=_("Past this an unscreened post is marked late and the editors are reminded once."),
    )
    reply_hours = models.PositiveSmallIntegerField(
        _("reply due (hours after acceptance)"), default=24, validators=[MinValueValidator(1)]
    )
    resolve_workdays = models.PositiveSmallIntegerField(
        _("resolution due (working days after acceptance)"),
        default=3,
        validators=[MinValueValidator(1)],
        help_text=_("Past this a post still open is escalated to its unit's supervisors."),
    )
    global_escalation_workdays = models.PositiveSmallIntegerField(
        _("then to the global supervisors after (working days)"), default=2, validators=[MinValueValidator(1)]
    )
    leader_escalation_workdays = models.PositiveSmallIntegerField(
        _("then to the unit's vice-president after (working days)"),
        default=3,
        validators=[MinValueValidator(1)],
        help_text=_("Only for units with a responsible vice-president (分管校领导) set."),
    )
    max_transfers = models.PositiveSmallIntegerField(
        _("transfers allowed per post"),
        default=2,
        help_text=_("A further transfer goes to the global supervisors instead (no passing the ball)."),
    )
    reopen_at_or_below = models.PositiveSmallIntegerField(
        _("reopen when the result score is at most"),
        default=2,
        validators=[MaxValueValidator(5)],
        help_text=_("0 turns automatic reopening off."),
    )
    digest_hour = models.PositiveSmallIntegerField(
        _("daily digest hour"), default=8, validators=[MaxValueValidator(23)], help_text=_("Asia/Shanghai time.")
    )
    urgent_reply_hours = models.PositiveSmallIntegerField(
        _("urgent posts: reply within (hours)"), default=2, validators=[MinValueValidator(1)]
    )
    urgent_resolve_workdays = models.PositiveSmallIntegerField(
        _("urgent posts: resolve within (working days)"), default=1, validators=[MinValueValidator(1)]
    )
    return_visit_days = models.PositiveSmallIntegerField(
        _("return visit due after (days)"),
        default=3,
        help_text=_("Days after closing that a post joins the editors' list of return visits (回访)."),
    )
    return_visit_percent = models.PositiveSmallIntegerField(
        _("share of closed posts visited (%)"),
        default=100,
        validators=[MaxValueValidator(100)],
        help_text=_("100 visits every closed post; less, the same share of each unit's, picked by number."),
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("screening_hours"), FieldPanel("reply_hours"), FieldPanel("resolve_workdays")],
            heading=_("Deadlines"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("global_escalation_workdays"),
                FieldPanel("leader_escalation_workdays"),
                FieldPanel("max_transfers"),
            ],
            heading=_("Escalation"),
        ),
        MultiFieldPanel(
            [FieldPanel("urgent_reply_hours"), FieldPanel("urgent_resolve_workdays")], heading=_("Urgent posts (应急)")
        ),
        FieldPanel("reopen_at_or_below"),
        FieldPanel("digest_hour"),
        MultiFieldPanel(
            [FieldPanel("return_visit_days"), FieldPanel("return_visit_percent")], heading=_("Return visits (回访)")
        ),
    ]

    class Meta:
        db_table = "wall_handlingsettings"
        verbose_name = _("handling rules")


class CalendarDay(models.Model):
    """An admin's correction to the working-day calendar: a holiday or an adjusted working day (调休).

    The calendar library knows the State Council's plans for past years; next year's plan is
    published late in the year before, so admins enter it here until the library catches up.
    """

    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(_("working day"))
    note = models.CharField(_("note"), max_length=60, blank=True, help_text=_("e.g. 春节 or 国庆调休"))

    class Meta:
        db_table = "wall_calendarday"
        ordering = ["-date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self):
        return f"{self.date} {self.note}"

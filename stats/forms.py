"""The statistics pages' forms: which period (and unit) a report covers, and how the ranking is sorted."""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from cases.models import Place, Unit
from cases.params import FIRST_DAY, LAST_DAY
from stats import periods, reports


def _day_field(label):
    # Within the days a period may name (cases.params): a period in year 9999 would end past the calendar.
    return forms.DateField(
        label=label,
        required=False,
        validators=[MinValueValidator(FIRST_DAY), MaxValueValidator(LAST_DAY)],
        widget=forms.DateInput(attrs={"type": "date", "min": FIRST_DAY.isoformat(), "max": LAST_DAY.isoformat()}),
    )


class PeriodForm(forms.Form):
    """Which period a report covers: the day, week, …, year holding `day`, or a custom range."""

    default_kind = periods.PeriodKind.MONTH  # the period shown before anything is chosen

    kind = forms.ChoiceField(label=_("Period"), choices=periods.PeriodKind.CHOICES, initial=periods.PeriodKind.MONTH)
    day = _day_field(_("Day in the period"))
    first = _day_field(_("From (custom range)"))
    last = _day_field(_("To (custom range)"))

    def period(self):
        """The chosen period; the default kind's current one when nothing (or nothing valid) was chosen."""
        today = periods.local_today()
        if not self.is_valid():
            return periods.period_of(self.default_kind, today)
        data = self.cleaned_data
        if data["kind"] == periods.PeriodKind.CUSTOM:
            return periods.custom_period(data["first"] or today, data["last"] or today)
        return periods.period_of(data["kind"], data["day"] or today)


class RankingForm(PeriodForm):
    # A CharField, not a ChoiceField: a stale or mistyped column must not throw away the period too.
    sort = forms.CharField(label=_("Sort by"), required=False, widget=forms.Select)
    ascending = forms.BooleanField(label=_("Lowest first"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sort"].widget.choices = [(column.key, column.label) for column in reports.COLUMNS]

    def sort_key(self):
        key = self.cleaned_data.get("sort") if self.is_valid() else None
        return key if key in reports.COLUMN_KEYS else reports.DEFAULT_SORT

    def is_descending(self):
        return not (self.is_valid() and self.cleaned_data["ascending"])


class LedgerForm(PeriodForm):
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.all(), required=False, empty_label=_("All units")
    )
    default_kind = periods.PeriodKind.YEAR

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units

    def filter(self, posts):
        period = self.period()
        posts = posts.accepted_between(period.start, period.end)
        unit = self.cleaned_data.get("unit") if self.is_valid() else None
        return posts.involving(unit) if unit else posts


class HotTopicsForm(LedgerForm):
    """A period, optionally a unit, and optionally a place: what came up there, and in which months."""

    place = forms.ModelChoiceField(
        label=_("Place"), queryset=Place.objects.all(), required=False, empty_label=_("All places")
    )
    default_kind = periods.PeriodKind.MONTH

    def chosen_place(self):
        return self.cleaned_data.get("place") if self.is_valid() else None

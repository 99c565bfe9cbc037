"""Filters of the staff's list of all posts (全部诉求), as Wagtail's own listings filter."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet

from cases.models import Category, Kind, Place, Post, Unit

YES_NO = [("true", _("Yes")), ("false", _("No"))]


class PostFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Post.Status.choices, empty_label=_("All statuses"))
    unit = django_filters.ModelChoiceFilter(label=_("Unit"), queryset=Unit.objects.none(), empty_label=_("All units"))
    kind = django_filters.ModelChoiceFilter(label=_("Kind"), queryset=Kind.objects.all(), empty_label=_("All kinds"))
    category = django_filters.ModelChoiceFilter(
        label=_("Category"), queryset=Category.objects.all(), empty_label=_("All categories")
    )
    place = django_filters.ModelChoiceFilter(
        label=_("Place"), queryset=Place.objects.all(), empty_label=_("All places")
    )
    created_at = django_filters.DateFromToRangeFilter(label=_("Posted"), widget=DateRangePickerWidget)
    overdue = django_filters.ChoiceFilter(label=_("Overdue"), choices=YES_NO, method="filter_overdue")
    escalation = django_filters.ChoiceFilter(label=_("Escalated to"), choices=Post.Escalation.choices)
    is_key_supervision = django_filters.ChoiceFilter(
        label=_("Key supervision"), choices=YES_NO, method="filter_key_supervision"
    )
    channel = django_filters.ChoiceFilter(
        label=_("Channel"), choices=Post.Channel.choices, empty_label=_("All channels")
    )
    cannot_solve = django_filters.ChoiceFilter(
        label=_("Marked “cannot be solved now”"), choices=YES_NO, method="filter_cannot_solve"
    )

    awaiting_instruction = django_filters.ChoiceFilter(
        label=_("A leader's instruction awaits an answer"), choices=YES_NO, method="filter_awaiting_instruction"
    )

    class Meta:
        model = Post
        fields = []

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["unit"].queryset = units

    def filter_overdue(self, posts, name, value):
        late = Post.objects.overdue(timezone.now()).values("pk")
        return posts.filter(pk__in=late) if value == "true" else posts.exclude(pk__in=late)

    def filter_key_supervision(self, posts, name, value):
        return posts.filter(is_key_supervision=value == "true")

    def filter_awaiting_instruction(self, posts, name, value):
        awaiting = Post.objects.awaiting_instruction().values("pk")
        return posts.filter(pk__in=awaiting) if value == "true" else posts.exclude(pk__in=awaiting)

    def filter_cannot_solve(self, posts, name, value):
        # On hold (挂账): the unit's last reply said so; a reopened post's later round has moved on.
        return posts.filter(on_hold=value == "true")


class EscalationFilterSet(WagtailFilterSet):
    escalation = django_filters.ChoiceFilter(label=_("Escalated to"), choices=Post.Escalation.choices)

    class Meta:
        model = Post
        fields = []

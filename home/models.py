from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from cases.models import Kind, Post
from stats import figures, periods, reports
from wall.models import NO_PRIVACY_OPTIONS, WallIndexPage, WallPostPage
from wall.pagecache import cacheable

LATEST_ANSWERED = 6


class HomePage(Page):
    """The front door: the five entry modules, a search box, the latest answers and this month's figures."""

    intro = models.CharField(_("introduction"), max_length=200, blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["wall.WallIndexPage"]
    max_count = 1
    private_page_options = NO_PRIVACY_OPTIONS  # the wall is below it

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["kinds"] = Kind.objects.all()
        context["wall"] = WallIndexPage.objects.live().first()
        context["latest_answered"] = (
            WallPostPage.objects.live()
            .filter(status__in=Post.ANSWERED)
            .select_related("unit", "kind")
            .order_by("-replied_at")[:LATEST_ANSWERED]
        )
        # This month's figures as the public statistics page shows them: the same numbers, the same words.
        month = periods.period_of(periods.PeriodKind.MONTH, periods.local_today())
        this_month = figures.overall(month, max_age=figures.RECENT_SECONDS)
        context["headline"] = reports.headline(this_month, only=reports.HOME_FIGURES)
        return context

    def serve(self, request, *args, **kwargs):
        return cacheable(super().serve(request, *args, **kwargs))

import secrets
import uuid

from django.core.paginator import Paginator
from django.db import models
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, HelpPanel, InlinePanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.models import Orderable, Page

from cases.models import AnswerReused, Category, Kind, Post, Unit
from cases.params import parse_id, parse_page
from wall.pagecache import cacheable

WALL_PAGE_SIZE = 20
# What of a post is public is wall.projection's to decide, and search, the API and the statistics show
# every live wall page: a Wagtail view restriction (password, login, groups) on a wall page, or on a
# page above one, would hide the page and leave its text on them. So none is offered.
NO_PRIVACY_OPTIONS = []


class WallIndexPage(Page):
    """The public wall: every published post below it, newest first, filterable.

    Posts live one level down in per-year archive pages, so no single parent ever holds
    more children than treebeard can number.
    """

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["wall.WallYearPage"]
    max_count = 1
    private_page_options = NO_PRIVACY_OPTIONS

    class Meta:
        verbose_name = _("wall")

    def posts(self):
        return (
            WallPostPage.objects.live()
            .descendant_of(self)
            .select_related("kind", "category", "unit")
            .order_by("-posted_at", "-pk")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        posts = self.posts()
        filters = {}
        for name in ("kind", "category", "unit"):
            if pk := parse_id(request.GET.get(name)):
                posts = posts.filter(**{f"{name}_id": pk})
                filters[name] = pk
        status = request.GET.get("status", "")
        if status in Post.Status.values:
            posts = posts.filter(status=status)
            filters["status"] = status
        page_number = parse_page(request.GET.get("page"))
        context["page_obj"] = Paginator(posts, WALL_PAGE_SIZE).get_page(page_number)
        context["filters"] = filters
        context["kinds"] = Kind.objects.all()
        context["categories"] = Category.objects.all()
        context["units"] = Unit.objects.filter(is_active=True)
        context["statuses"] = [(status, status.label) for status in Post.WALL_STATUSES]
        return context

    def serve(self, request, *args, **kwargs):
        return cacheable(super().serve(request, *args, **kwargs))


class WallYearPage(Page):
    """An archive level: the posts first published in one year."""

    parent_page_types = ["wall.WallIndexPage"]
    subpage_types = ["wall.WallPostPage"]
    is_creatable = False
    private_page_options = NO_PRIVACY_OPTIONS

    class Meta:
        verbose_name = _("wall year")

    def serve(self, request, *args, **kwargs):
        return redirect(self.get_parent().url)

    def get_sitemap_urls(self, request=None):
        return []  # it only redirects to the wall; its posts are listed on their own


class WallPostPage(Page):
    """The public projection of one case, built by wall.publishing from wall.projection.

    Its content is never typed here: editors change the public title and text on the case
    (so the original stays as the poster wrote it) and the page is rebuilt from it.
    """

    body = models.TextField(_("text"))
    kind = models.ForeignKey(Kind, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("kind"))
    category = models.ForeignKey(
        Category, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("category")
    )
    unit = models.ForeignKey(Unit, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("unit"))
    status = models.CharField(_("status"), max_length=20, choices=Post.Status)
    posted_at = models.DateTimeField(_("posted at"))
    replied_at = models.DateTimeField(_("first replied at"), null=True, blank=True)
    photo_ids = models.JSONField(default=list, blank=True, editable=False)

    content_panels = [
        HelpPanel(content=_("This page is built from the case. Change its public text on the case in “All posts”.")),
        FieldPanel("title", read_only=True),
        FieldPanel("body", read_only=True),
        FieldPanel("status", read_only=True),
        InlinePanel("public_replies", label=_("public replies")),
    ]
    # Not in Wagtail's own search index: its database backend finds nothing in unsegmented Chinese,
    # and indexing every publish there cost a quarter of a big import. The wall's search is search/.
    search_fields = []
    parent_page_types = ["wall.WallYearPage"]
    subpage_types = []
    is_creatable = False
    private_page_options = NO_PRIVACY_OPTIONS
    # It links to nothing an editor could delete; skipping the reference index halves publishing time.
    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("wall post")
        indexes = [models.Index(fields=["posted_at"])]

    @property
    def is_answered(self):
        return self.status in Post.ANSWERED

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        user = request.user
        context["following"] = user.is_authenticated and user.follows.filter(post__page=self).exists()
        context["reused"] = AnswerReused.objects.filter(post__page=self).count()
        return context

    def serve(self, request, *args, **kwargs):
        return cacheable(super().serve(request, *args, **kwargs))


class WallPostReply(Orderable):
    page = ParentalKey(WallPostPage, on_delete=models.CASCADE, related_name="public_replies")
    unit_name = models.CharField(_("unit"), max_length=60)
    body = models.TextField(_("reply"))
    replied_at = models.DateTimeField(_("replied at"))
    cannot_solve = models.BooleanField(_("cannot be solved now"), default=False)
    solve_by = models.DateField(_("planned solution date"), null=True, blank=True)

    panels = [FieldPanel("unit_name", read_only=True), FieldPanel("body", read_only=True)]


def pending_upload_to(instance, filename):
    return f"pending/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.jpg"


class PendingPhoto(models.Model):
    """A photo sent with a post form that came back with an error (a mistyped captcha, a missing
    field): kept, cleaned already, for the same browser's next try instead of lost. Only that
    browser's session knows its key; `remove_orphan_photos` deletes what nobody came back for."""

    key = models.CharField(max_length=64, unique=True, default=secrets.token_urlsafe, editable=False)
    image = models.ImageField(upload_to=pending_upload_to)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self):
        return self.key


@register_setting(icon="home")
class OfficeSettings(BaseGenericSetting):
    """The 回音壁 office as the public meets it: in every page's footer and on the thanks page."""

    name = models.CharField(_("office name"), max_length=60, default="回音壁办公室")
    hotline = models.CharField(_("hotline"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=100, blank=True)
    hours = models.CharField(_("office hours"), max_length=100, blank=True, help_text=_("E.g. 工作日 8:30–17:30"))
    wechat = models.CharField(_("WeChat official account"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("the office")

    def is_filled(self):
        return any([self.hotline, self.address, self.hours, self.wechat])

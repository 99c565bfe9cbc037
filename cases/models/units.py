from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class EnglishName(models.Model):
    """A name with an English one beside it, shown when the site is read in English (if filled in)."""

    name_en = models.CharField(
        _("English name"), max_length=60, blank=True, help_text=_("Shown when the site is read in English.")
    )

    class Meta:
        abstract = True

    def __str__(self):
        return self.shown_name

    @property
    def shown_name(self):
        return self.name_en if _in_english() and self.name_en else self.name


def _in_english():
    return (get_language() or "").startswith("en")


class Kind(EnglishName):
    """What a poster wants: a suggestion, a question, a repair, a complaint or help."""

    name = models.CharField(_("name"), max_length=20, unique=True)
    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    entry_label = models.CharField(
        _("entry button text"), max_length=40, blank=True, help_text=_("e.g. 我有建议要提交")
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)
    screening_hours = models.PositiveSmallIntegerField(
        _("screening due (hours)"), null=True, blank=True, help_text=_("Leave blank for the handling rules' default.")
    )
    reply_hours = models.PositiveSmallIntegerField(
        _("reply due (hours)"), null=True, blank=True, help_text=_("Leave blank for the handling rules' default.")
    )
    resolve_workdays = models.PositiveSmallIntegerField(
        _("resolution due (working days)"),
        null=True,
        blank=True,
        help_text=_("Leave blank for the handling rules' default."),
    )
    contact_for_handlers = models.BooleanField(
        _("the unit's handlers see the contact details"),
        default=False,
        help_text=_(
            "For repairs: the handlers of the unit a post is assigned to may call the poster back. "
            "The form tells posters so. Otherwise only editors see contact details."
        ),
    )

    class Meta:
        db_table = "wall_kind"
        ordering = ["sort_order", "pk"]
        verbose_name = _("kind")
        verbose_name_plural = _("kinds")

    @property
    def shown_entry_label(self):
        """The home page's button: its Chinese text, or the English name when read in English."""
        return self.name_en if _in_english() and self.name_en else self.entry_label or self.name


class Unit(EnglishName):
    """A department (职能部门) or college (学院) that answers posts."""

    class Type(models.TextChoices):
        DEPARTMENT = "department", _("Department")
        COLLEGE = "college", _("College")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=60, unique=True)
    type = models.CharField(_("type"), max_length=20, choices=Type, default=Type.DEPARTMENT)
    description = models.CharField(_("description"), max_length=200, blank=True)
    handlers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="handled_units",
        verbose_name=_("handlers"),
        help_text=_("Usually one or two information officers (信息员) who answer this unit's posts."),
    )
    supervisors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="supervised_units",
        verbose_name=_("supervisors"),
        help_text=_("Supervisors (督查员) who watch this unit's overdue posts."),
    )
    vice_president = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="overseen_units",
        verbose_name=_("responsible vice-president (分管校领导)"),
        help_text=_("The last step of escalation: posts the global supervisors could not settle go up to them."),
    )
    webhook_url = models.URLField(
        _("group robot webhook"),
        blank=True,
        help_text=_("A WeCom (企业微信) or DingTalk (钉钉) group robot URL for instant alerts."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        db_table = "wall_unit"
        ordering = ["name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")


class Category(EnglishName):
    name = models.CharField(_("name"), max_length=40, unique=True)
    default_unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("default unit"),
        help_text=_("Pre-selected when an editor routes a post of this category."),
    )
    is_urgent = models.BooleanField(
        _("urgent by default (应急)"),
        default=False,
        help_text=_("Posts of this category are routed as urgent unless the editor unticks it (safety, outages)."),
    )
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        db_table = "wall_category"
        ordering = ["sort_order", "pk"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")


class Place(EnglishName):
    """A building or area of the campus editors keep a list of (宿舍区, 图书馆, 东门…): posts may name one,
    so that an office sees where problems gather (区域性) and when (季节性)."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    is_active = models.BooleanField(_("offered on the form"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("place")
        verbose_name_plural = _("places")


class CannedReply(models.Model):
    """常用答复: a reply a handler starts from and edits, for a unit and a category (blank: any)."""

    title = models.CharField(_("title"), max_length=50)
    body = models.TextField(_("reply"), max_length=5000)
    unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="canned_replies",
        verbose_name=_("unit"),
        help_text=_("Blank: offered to every unit."),
    )
    category = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="canned_replies",
        verbose_name=_("category"),
        help_text=_("Blank: offered for every category."),
    )

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("canned reply")
        verbose_name_plural = _("canned replies")

    def __str__(self):
        return self.title

    @classmethod
    def for_post(cls, post):
        """The ones that fit the post's unit and category."""
        unit = models.Q(unit=None) | models.Q(unit=post.unit_id)
        category = models.Q(category=None) | models.Q(category=post.category_id)
        return cls.objects.filter(unit, category)

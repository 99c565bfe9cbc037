import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import BooleanField, Exists, ExpressionWrapper, F, OuterRef, Q, Subquery, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases import clock, roles
from cases.photos import clean_photo
from cases.rules import PostRules
from cases.transitions import PostTransitions, TransitionError  # noqa: F401 - TransitionError: cases.models'

from .records import Instruction, Reply
from .units import Category, Kind, Place, Unit

TRACKING_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud on the phone


def new_tracking_token():
    return secrets.token_urlsafe(24)


def new_tracking_code():
    return "".join(secrets.choice(TRACKING_CODE_ALPHABET) for _ in range(10))


class PostQuerySet(models.QuerySet):
    def awaiting_screening(self):
        return self.filter(status=Post.Status.SUBMITTED).order_by("created_at")

    def awaiting_reply(self):
        return self.filter(status__in=Post.AWAITING_REPLY).order_by("reply_due_at", "created_at")

    def visible_to(self, user):
        """Posts whose case file user may open in the staff views."""
        if roles.reads_every_case(user):
            return self
        mine = Q(unit__handlers=user) | Q(co_units__handlers=user) | Q(unit__supervisors=user)
        return self.filter(pk__in=Post.objects.filter(mine).values("pk"))

    def open(self):
        return self.filter(status__in=Post.OPEN)

    def matching(self, query):
        """The staff's case search: the post numbered query ("123", "#123"), the one with that tracking
        code, and posts whose title, text or a reply holds every word of it."""
        words = query.split()
        found = Q(tracking_code__iexact=query.strip())
        if query.strip().lstrip("#").isdigit():
            found |= Q(pk=int(query.strip().lstrip("#")))
        if words:
            found |= Q(*[self._holding(word) for word in words])
        return self.filter(found)

    @staticmethod
    def _holding(word):
        in_a_reply = Exists(Reply.objects.filter(post=OuterRef("pk"), body__icontains=word))
        return Q(title__icontains=word) | Q(body__icontains=word) | in_a_reply

    def resolution_overdue(self, now=None):
        return self.open().filter(resolution_due_at__lt=now or timezone.now())

    def overdue(self, now=None):
        """Open posts past either deadline."""
        now = now or timezone.now()
        late_reply = Q(status__in=Post.AWAITING_REPLY, reply_due_at__lt=now)
        return self.open().filter(late_reply | Q(resolution_due_at__lt=now))

    def handled_by(self, user):
        """Posts led or co-handled by user's units; `co_handling` marks those their units only co-handle."""
        if user.is_superuser:  # handles every unit, so leads every routed post
            return self.exclude(unit=None).annotate(co_handling=Value(False))
        # Subqueries, not joins: a unit with two handlers must not list a post twice.
        my_units = user.handled_units.all()
        co_handled = Post.objects.filter(co_units__in=my_units).values("pk")
        return self.filter(Q(unit__in=my_units) | Q(pk__in=co_handled)).annotate(
            co_handling=ExpressionWrapper(~Q(unit__in=my_units), output_field=BooleanField())
        )

    def supervised_by(self, user):
        """Posts of the units user watches by name (a global supervisor's reach is wider: all posts)."""
        return self.filter(unit__in=user.supervised_units.all())

    def key_supervision(self):
        return self.open().filter(is_key_supervision=True)

    def for_global_supervisors(self, now=None):
        """What the global supervisors must act on: open posts past a deadline or sent up to them
        (by escalation, or by a transfer refused past the limit), soonest resolution due first."""
        late = self.overdue(now).values("pk")
        return self.open().filter(Q(pk__in=late) | Q(escalation=Post.Escalation.GLOBAL))

    def on_hold(self):
        """挂账: open posts the lead unit answered "cannot be solved now", soonest planned date first."""
        return self.open().filter(on_hold=True).order_by("solve_by", "pk")

    def with_hold_reason(self):
        """hold_reason: the text of the lead unit's last "cannot be solved now" reply of the current round."""
        marked = Reply.objects.filter(post=OuterRef("pk"), round=OuterRef("round"), unit=OuterRef("unit"))
        last = marked.filter(cannot_solve=True).order_by("-created_at", "-pk").values("body")[:1]
        return self.annotate(hold_reason=Subquery(last))

    def awaiting_instruction(self):
        """Posts with a leader's instruction (批示) the unit has not answered yet."""
        return self.filter(pk__in=Instruction.objects.filter(answered_at=None).values("post_id"))

    def hold_due(self, today):
        """On hold, planned for today or earlier, the unit not yet reminded of it."""
        return self.open().filter(on_hold=True, solve_by__lte=today, hold_reminded_at=None)

    def due_for_return_visit(self, rules, now=None):
        """回访: closed posts not yet visited, rules.return_visit_days after closing, longest waiting first.

        Below 100%, the posts whose number ends (mod 100) below the share: a fixed sample, the same
        share of every unit's posts, that stays put as the list is worked through."""
        closed_before = (now or timezone.now()) - timedelta(days=rules.return_visit_days)
        due = self.filter(status=Post.Status.CLOSED, closed_at__lte=closed_before, return_visits=None)
        sampled = due.alias(slot=F("pk") % 100).filter(slot__lt=rules.return_visit_percent)
        return sampled.order_by("closed_at", "pk")

    def reopened(self):
        """Posts reopened at least once (an unsatisfied rating or return visit), whatever their state now."""
        return self.filter(round__gt=1)

    def accepted_between(self, start, end):
        return self.filter(accepted_at__gte=start, accepted_at__lt=end)

    def involving(self, unit):
        """Posts the unit leads or co-handles."""
        return self.filter(Q(unit=unit) | Q(pk__in=Post.co_units.through.objects.filter(unit=unit).values("post_id")))

    def in_ledgers_of(self, user):
        """What a reader of the ledgers (台账) sees: a unit supervisor their units, other readers all.

        Only for users roles.may_view_statistics admits; the ledger views check that first."""
        if roles.reads_every_units_ledgers(user):
            return self
        return self.supervised_by(user)


class Post(PostRules, PostTransitions, models.Model):
    """A case (诉求): the single, never-public source of truth for one request.

    What of it may be shown publicly is decided by wall.projection alone; who may do what to it, and
    when, by cases.rules; what each action does, by cases.transitions.
    """

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted")
        REPLIED = "replied", _("Replied")
        CLOSED = "closed", _("Closed")
        REOPENED = "reopened", _("Reopened")
        REJECTED = "rejected", _("Rejected")
        MERGED = "merged", _("Merged")

    class Channel(models.TextChoices):
        """How a post reached the office: most come from the web, some by phone, visit or letter,
        typed in by an editor, some from other systems."""

        WEB = "web", _("Web")
        PHONE = "phone", _("Phone call")
        VISIT = "visit", _("Walk-in visit")
        LETTER = "letter", _("Letter")
        API = "api", _("API")
        OPEN311 = "open311", _("Open311")

    OFFLINE_CHANNELS = (Channel.PHONE, Channel.VISIT, Channel.LETTER)

    class Escalation(models.IntegerChoices):
        NONE = 0, _("Not escalated")
        SUPERVISORS = 1, _("Escalated to the unit's supervisors")
        GLOBAL = 2, _("Escalated to the global supervisors")
        LEADER = 3, _("Escalated to the responsible vice-president")

    AWAITING_REPLY = (Status.ACCEPTED, Status.REOPENED)
    ANSWERED = (Status.REPLIED, Status.CLOSED)
    OPEN = (Status.ACCEPTED, Status.REPLIED, Status.REOPENED)
    # A post can be on the wall only once screened, and not after rejection or merging.
    WALL_STATUSES = (Status.ACCEPTED, Status.REPLIED, Status.CLOSED, Status.REOPENED)

    tracking_token = models.CharField(max_length=64, unique=True, default=new_tracking_token, editable=False)
    tracking_code = models.CharField(max_length=10, unique=True, default=new_tracking_code, editable=False)

    kind = models.ForeignKey(Kind, on_delete=models.PROTECT, related_name="posts", verbose_name=_("kind"))
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="posts", verbose_name=_("category"))
    requested_unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("unit asked for by the poster"),
    )
    place = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.SET_NULL, related_name="posts", verbose_name=_("place")
    )
    unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="posts",
        verbose_name=_("responsible unit"),
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel, default=Channel.WEB)
    title = models.CharField(_("title"), max_length=100)
    body = models.TextField(_("text"), max_length=5000)
    public_title = models.CharField(
        _("public title"), max_length=100, blank=True, help_text=_("Leave blank to use the original.")
    )
    public_body = models.TextField(_("public text"), blank=True, help_text=_("Leave blank to use the original."))

    poster = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="posts",
        verbose_name=_("poster"),
    )
    is_anonymous = models.BooleanField(_("anonymous"), default=False)
    contact_name = models.CharField(_("contact name"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)

    class NotifyBy(models.TextChoices):
        """How the poster hears of replies: by e-mail (to the contact or account address), by SMS, or
        by WeCom (企业微信) if they signed on through the campus."""

        EMAIL = "email", _("E-mail")
        SMS = "sms", _("SMS")
        WECOM = "wecom", _("WeCom (企业微信)")

    notify_by = models.CharField(_("tell the poster by"), max_length=10, choices=NotifyBy, default=NotifyBy.EMAIL)
    wants_public = models.BooleanField(_("poster agrees to show it on the wall"), default=True)
    on_wall = models.BooleanField(_("published on the wall"), default=False)
    show_photos = models.BooleanField(_("show photos on the wall"), default=True)

    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.SUBMITTED)
    reject_reason = models.TextField(_("reason for rejection"), blank=True)
    round = models.PositiveSmallIntegerField(_("reply round"), default=1)
    co_units = models.ManyToManyField(
        Unit, blank=True, related_name="co_handled_posts", verbose_name=_("co-handling units")
    )
    transfer_count = models.PositiveSmallIntegerField(_("transfers"), default=0)
    escalation = models.PositiveSmallIntegerField(_("escalation"), choices=Escalation, default=Escalation.NONE)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    screening_reminded_at = models.DateTimeField(null=True, blank=True, editable=False)  # editors told it is late
    reminded_round = models.PositiveSmallIntegerField(default=0, editable=False)  # reply reminder sent for
    is_urgent = models.BooleanField(
        _("urgent (应急)"), default=False, help_text=_("Short deadlines; the unit and its supervisors hear at once.")
    )
    is_key_supervision = models.BooleanField(_("key supervision (重点督办)"), default=False)
    key_supervision_due = models.DateField(_("key supervision: settle by"), null=True, blank=True)
    key_supervision_instructions = models.TextField(_("key supervision: instructions"), blank=True)
    is_typical = models.BooleanField(
        _("typical case (典型案例)"), default=False, help_text=_("Shown on the public 典型案例 page while on the wall.")
    )
    # 挂账: the lead unit answered "cannot be solved now" and plans to solve it by solve_by.
    on_hold = models.BooleanField(_("cannot be solved now (挂账)"), default=False)
    solve_by = models.DateField(_("planned solution date"), null=True, blank=True)
    hold_reminded_at = models.DateTimeField(null=True, blank=True, editable=False)  # unit told the date came
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
        verbose_name=_("merged into"),
        help_text=_("The post this one repeats (重复诉求): its poster follows that post's answers."),
    )

    created_at = models.DateTimeField(_("posted at"), default=timezone.now, db_index=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    reply_due_at = models.DateTimeField(_("reply due"), null=True, blank=True)
    resolution_due_at = models.DateTimeField(_("resolution due"), null=True, blank=True)
    first_replied_at = models.DateTimeField(_("first replied at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    page = models.OneToOneField(
        "wall.WallPostPage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    objects = PostQuerySet.as_manager()

    class Meta:
        db_table = "wall_post"
        ordering = ["-created_at"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["unit", "status"]),
            models.Index(fields=["accepted_at", "unit"]),  # the statistics' period filter
            # the statistics' posts not answered yet whose deadline is ahead: a handful, whatever the table
            models.Index(fields=["reply_due_at"], condition=Q(first_replied_at=None), name="post_unanswered_due"),
        ]
        permissions = [
            ("moderate_post", _("Can screen, route and publish posts")),
            ("supervise_all", _("Can supervise every unit's posts and re-assign them")),
            ("view_statistics", _("Can see every unit's statistics, rankings and ledgers")),
        ]

    def __str__(self):
        return f"#{self.pk} {self.title}"

    @property
    def shown_title(self):
        return self.public_title or self.title

    @property
    def shown_body(self):
        return self.public_body or self.body

    @property
    def due_display(self):
        if self.status not in self.AWAITING_REPLY:
            return ""
        return clock.describe_due(self.reply_due_at)

    @property
    def resolution_display(self):
        if self.status not in self.OPEN:
            return ""
        return clock.describe_due(self.resolution_due_at)

    @property
    def screening_due_at(self):
        return clock.screening_due(self.kind, self.created_at) if self.status == self.Status.SUBMITTED else None

    @property
    def screening_display(self):
        return clock.describe_due(self.screening_due_at) if self.screening_due_at else ""

    @property
    def promised_reply_at(self):
        """预计答复时间: what the poster is promised from the moment of posting (the screening deadline,
        then the kind's reply time) until the first answer, and after a reopening the new round's
        deadline. The unit's own deadline runs from acceptance: a late screening is the office's delay,
        not the poster's, so the promise does not move with it."""
        if self.status == self.Status.REOPENED:
            return self.reply_due_at  # the new round's, from the reopening
        if self.status not in {self.Status.SUBMITTED, self.Status.ACCEPTED} or self.first_replied_at:
            return None
        return clock.reply_due(self.kind, clock.screening_due(self.kind, self.created_at))

    @property
    def is_screening_overdue(self):
        return bool(self.screening_due_at and timezone.now() > self.screening_due_at)

    @property
    def is_overdue(self):
        return bool(self.status in self.AWAITING_REPLY and self.reply_due_at and timezone.now() > self.reply_due_at)

    @property
    def is_hold_due(self):
        return bool(self.on_hold and self.solve_by and timezone.localdate() >= self.solve_by)

    @property
    def is_resolution_overdue(self):
        return bool(self.status in self.OPEN and self.resolution_due_at and timezone.now() > self.resolution_due_at)

    def units_involved(self):
        """The lead unit first, then the co-handling units."""
        return [self.unit, *self.co_units.exclude(pk=self.unit_id)] if self.unit else []

    def add_photo(self, upload):
        """Store an uploaded photo, decoded and re-encoded so no metadata survives (ValidationError if bad)."""
        return self.photos.create(image=clean_photo(upload))


def photo_upload_to(instance, filename):
    # Random names: the original file name may hold the poster's name or a phone's photo id.
    return f"posts/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.jpg"


class PostPhoto(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to=photo_upload_to, width_field="width", height_field="height")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "wall_postphoto"
        ordering = ["pk"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self):
        return f"{self.post} photo {self.pk}"

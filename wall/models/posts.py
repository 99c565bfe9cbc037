import secrets
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import BooleanField, ExpressionWrapper, Q, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from wall import clock, roles
from wall.rules import PostRules
from wall.signals import case_event

from .handling import HandlingSettings
from .units import Category, Kind, Unit

TRACKING_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud on the phone


def new_tracking_token():
    return secrets.token_urlsafe(24)


def new_tracking_code():
    return "".join(secrets.choice(TRACKING_CODE_ALPHABET) for _ in range(10))


# What the rules of wall.rules read that a transition may change under another's feet.
RULED_FIELDS = ("status", "round", "unit_id", "on_wall", "is_key_supervision")
NOT_ALLOWED = _("You may not do this to this post.")


class TransitionError(Exception):
    """The post is not in a state that allows this action; the message is shown to the user."""


class PostQuerySet(models.QuerySet):
    def awaiting_screening(self):
        return self.filter(status=Post.Status.SUBMITTED).order_by("created_at")

    def awaiting_reply(self):
        return self.filter(status__in=Post.AWAITING_REPLY).order_by("reply_due_at", "created_at")

    def visible_to(self, user):
        """Posts whose case file user may open in the staff views."""
        if roles.is_editor(user) or roles.is_global_supervisor(user):
            return self
        mine = Q(unit__handlers=user) | Q(co_units__handlers=user) | Q(unit__supervisors=user)
        return self.filter(pk__in=Post.objects.filter(mine).values("pk"))

    def open(self):
        return self.filter(status__in=Post.OPEN)

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


class Post(PostRules, models.Model):
    """A case (诉求): the single, never-public source of truth for one request.

    What of it may be shown publicly is decided by wall.projection alone; who may do what to it, and
    when, by wall.rules.
    """

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted")
        REPLIED = "replied", _("Replied")
        CLOSED = "closed", _("Closed")
        REOPENED = "reopened", _("Reopened")
        REJECTED = "rejected", _("Rejected")
        MERGED = "merged", _("Merged")

    class Escalation(models.IntegerChoices):
        NONE = 0, _("Not escalated")
        SUPERVISORS = 1, _("Escalated to the unit's supervisors")
        GLOBAL = 2, _("Escalated to the global supervisors")

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
    unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="posts",
        verbose_name=_("responsible unit"),
    )
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
    reminded_round = models.PositiveSmallIntegerField(default=0, editable=False)  # reply reminder sent for
    is_key_supervision = models.BooleanField(_("key supervision (重点督办)"), default=False)

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
    def is_overdue(self):
        return bool(self.status in self.AWAITING_REPLY and self.reply_due_at and timezone.now() > self.reply_due_at)

    @property
    def is_resolution_overdue(self):
        return bool(self.status in self.OPEN and self.resolution_due_at and timezone.now() > self.resolution_due_at)

    def units_involved(self):
        """The lead unit first, then the co-handling units."""
        return [self.unit, *self.co_units.exclude(pk=self.unit_id)] if self.unit else []

    def add_photo(self, upload):
        """Store an uploaded photo, decoded and re-encoded so no metadata survives (ValidationError if bad)."""
        from wall.photos import clean_photo

        return self.photos.create(image=clean_photo(upload))

    # -- transitions ---------------------------------------------------------------------------
    # Each one checks its rule (wall.rules), records an audit entry, and refreshes the post's
    # public page. Poster actions are authorised by the tracking token in the view and logged
    # without a user: an account in the audit log would unmask an anonymous poster.

    def _require(self, by, may, can, because=None):
        """Refuse unless can(by), judged on the locked row: PermissionDenied if may(by), the role
        alone, is false; otherwise a TransitionError saying why (because(), or the post's state)."""
        self._lock_state()
        if not may(by):
            raise PermissionDenied(NOT_ALLOWED)
        if not can(by):
            raise TransitionError(because() if because else self._state_refusal())

    def _lock_state(self):
        # The rules read the locked row, not this possibly stale instance: two editors accepting
        # the same post at once must not both succeed.
        current = Post.objects.select_for_update().values(*RULED_FIELDS).get(pk=self.pk)
        for field, value in current.items():
            setattr(self, field, value)

    def _log(self, action, user, **data):
        # The number, not the title: Wagtail's site history shows a log entry's label to anyone with
        # any permission on posts, and a title may be private. The case file shows the trail in full.
        log(instance=self, action=action, user=user, data=data, title=f"#{self.pk}")

    def _sync_wall(self):
        from wall.publishing import sync_wall_page

        sync_wall_page(self)

    def _notify(self, event, **data):
        case_event.send(sender=Post, post=self, event=event, data=data)

    def _restart_clock(self, now):
        self.reply_due_at = clock.reply_due(self.kind, now)
        self.resolution_due_at = clock.resolution_due(self.kind, now)
        self.escalation = self.Escalation.NONE
        self.escalated_at = None

    @transaction.atomic
    def accept(self, by, unit):
        self._require(by, self._may_accept, self.can_accept)
        if not unit.is_active:
            raise TransitionError(_("%(unit)s no longer takes posts.") % {"unit": unit.name})
        now = timezone.now()
        self.unit = unit
        self.status = self.Status.ACCEPTED
        self.accepted_at = now
        self._restart_clock(now)
        self.save()
        self._log("wall.accept", by, unit=unit.name)
        self._notify("routed", unit=unit)

    @transaction.atomic
    def reject(self, by, reason):
        self._require(by, self._may_reject, self.can_reject)
        if not reason.strip():
            raise TransitionError(_("Say why the post is rejected; the poster will read it."))
        self.status = self.Status.REJECTED
        self.reject_reason = reason.strip()
        self.closed_at = timezone.now()
        self.save()
        self._log("wall.reject", by, reason=self.reject_reason)
        self._notify("rejected")

    @transaction.atomic
    def reply(self, by, body, is_public, cannot_solve=False):
        """A reply from the lead unit or a co-handling unit. "Cannot solve now" still counts as a reply.

        Only the lead unit's reply answers the post (已答复, its first response in the 三率): a
        co-handling unit's reply is its contribution, shown and sent like any reply, while the post
        still waits for the lead unit's.
        """
        self._require(by, self._may_reply, self.can_reply)
        if not body.strip():
            raise TransitionError(_("The reply is empty."))
        now = timezone.now()
        reply = self.replies.create(
            round=self.round,
            author=by,
            unit=self._handled_unit(by),
            body=body.strip(),
            is_public=is_public,
            cannot_solve=cannot_solve,
            created_at=now,
        )
        if reply.unit_id == self.unit_id:
            self.status = self.Status.REPLIED
            self.first_replied_at = self.first_replied_at or now
            self.save()
        self._log("wall.reply", by, reply=reply.pk, public=is_public, cannot_solve=cannot_solve)
        self._notify("replied", reply=reply)
        self._sync_wall()
        return reply

    @transaction.atomic
    def close(self, by):
        self._require(by, self._may_close, self.can_close)
        self.status = self.Status.CLOSED
        self.closed_at = timezone.now()
        self.save()
        self._log("wall.close", by)
        self._notify("closed")
        self._sync_wall()

    @transaction.atomic
    def reopen(self, reason):
        self._lock_state()
        if not self.can_reopen():
            raise TransitionError(self._state_refusal())
        if not reason.strip():
            raise TransitionError(_("Say what is still unsolved."))
        self._reopen(reason.strip(), "wall.reopen", by=None)

    def _reopen(self, reason, action, by):
        # Back to the same unit with the clock restarted; the reopen counts against that unit.
        now = timezone.now()
        if by is None:  # the poster's own words; an editor's reason stays in the return visit
            self.follow_ups.create(body=reason, reopens=True, created_at=now)
        self.status = self.Status.REOPENED
        self.round += 1
        self.closed_at = None
        self._restart_clock(now)
        self.save()
        self._log(action, by, reason=reason)
        self._notify("reopened", reason=reason)
        self._sync_wall()

    @transaction.atomic
    def rate(self, attitude, speed, result, comment=""):
        self._lock_state()
        if not self.can_rate():
            raise TransitionError(self._why_not_rate())
        rating = self.ratings.create(
            round=self.round, attitude=attitude, speed=speed, result=result, comment=comment.strip()
        )
        self._log("wall.rate", None, attitude=attitude, speed=speed, result=result)
        self._notify("rated", rating=rating)
        if result <= HandlingSettings.load().reopen_at_or_below:
            reason = comment.strip() or _("The poster rated the result %(result)d of 5.") % {"result": result}
            self._reopen(reason, "wall.reopen", by=None)
        return rating

    @transaction.atomic
    def add_follow_up(self, body):
        self._lock_state()
        if not self.can_follow_up():
            raise TransitionError(self._state_refusal())
        if not body.strip():
            raise TransitionError(_("The follow-up is empty."))
        follow_up = self.follow_ups.create(body=body.strip())
        self._log("wall.follow_up", None)
        return follow_up

    @transaction.atomic
    def publish(self, by):
        self._require(by, self._may_publish, self.can_publish, because=self._why_not_publish)
        self.on_wall = True
        self.save()
        self._log("wall.publish", by)
        self._sync_wall()

    @transaction.atomic
    def unpublish(self, by):
        self._require(by, self._may_unpublish, self.can_unpublish, because=self._why_not_unpublish)
        self.on_wall = False
        self.save()
        self._log("wall.unpublish", by)
        self._sync_wall()

    @transaction.atomic
    def edit_public_text(self, by, title, body, show_photos):
        self._require(by, self._may_edit_public_text, self.can_edit_public_text)
        self.public_title = title.strip()
        self.public_body = body.strip()
        self.show_photos = show_photos
        self.save()
        self._log("wall.edit_public", by)
        self._sync_wall()

    @transaction.atomic
    def transfer(self, by, to_unit, reason):
        """首接负责: the holding unit hands the post on, with a reason. Returns False if, past the
        allowed number of transfers, it went to the global supervisors instead."""
        self._require(by, self._may_transfer, self.can_transfer)
        self._check_hand_over(to_unit, reason)
        if self.transfer_count >= HandlingSettings.load().max_transfers:
            self.transfers.create(
                kind=Transfer.Kind.REFUSED, from_unit=self.unit, to_unit=to_unit, by=by, reason=reason.strip()
            )
            self._log("wall.transfer_refused", by, to_unit=to_unit.name)
            self.escalate(self.Escalation.GLOBAL)
            return False
        self._hand_over(by, to_unit, reason, Transfer.Kind.TRANSFER, "wall.transfer")
        return True

    @transaction.atomic
    def reassign(self, by, to_unit, reason):
        """A supervisor re-assigns within the units they watch; a global supervisor anywhere."""
        if not roles.supervises(by, to_unit):
            raise PermissionDenied(NOT_ALLOWED)
        self._require(by, self._may_reassign, self.can_reassign)
        self._check_hand_over(to_unit, reason)
        self._hand_over(by, to_unit, reason, Transfer.Kind.REASSIGN, "wall.reassign")

    def _check_hand_over(self, to_unit, reason):
        if to_unit == self.unit:
            raise TransitionError(_("The post is already with %(unit)s.") % {"unit": to_unit.name})
        if not to_unit.is_active:
            raise TransitionError(_("%(unit)s no longer takes posts.") % {"unit": to_unit.name})
        if not reason.strip():
            raise TransitionError(_("Say why the post is handed on; the receiving unit will read it."))

    def _hand_over(self, by, to_unit, reason, kind, action):
        from_unit = self.unit
        self.transfers.create(kind=kind, from_unit=from_unit, to_unit=to_unit, by=by, reason=reason.strip())
        if kind == Transfer.Kind.TRANSFER:
            self.transfer_count += 1
        self.unit = to_unit
        self.co_units.remove(to_unit)
        if self.status == self.Status.REPLIED:
            self.status = self.Status.ACCEPTED
        self._restart_clock(timezone.now())
        self.save()
        self._log(action, by, from_unit=from_unit.name, to_unit=to_unit.name, reason=reason.strip())
        self._notify("transferred", from_unit=from_unit, reassigned=kind == Transfer.Kind.REASSIGN)
        self._sync_wall()

    @transaction.atomic
    def add_co_units(self, by, units):
        """部门联办: co-handling units may add notes and replies; only the lead unit closes."""
        self._require(by, self._may_co_handle, self.can_co_handle)
        already = set(self.co_units.all())
        added = [unit for unit in units if unit != self.unit and unit.is_active and unit not in already]
        if not added:
            raise TransitionError(_("Choose at least one other active unit that is not co-handling yet."))
        self.co_units.add(*added)
        self._log("wall.co_handle", by, units=[unit.name for unit in added])
        self._notify("co_handling", units=added)

    @transaction.atomic
    def add_note(self, by, body):
        """An internal note: staff only, never shown to the poster or the public."""
        self._require(by, self._may_note, self.can_note)
        if not body.strip():
            raise TransitionError(_("The note is empty."))
        note = self.notes.create(author=by, unit=self._handled_unit(by), body=body.strip())
        self._log("wall.note", by)
        return note

    @transaction.atomic
    def set_key_supervision(self, by, on):
        can = self.can_mark_key_supervision if on else self.can_unmark_key_supervision
        self._require(by, self._may_set_key_supervision, can)
        self.is_key_supervision = on
        self.save()
        self._log("wall.key_supervision" if on else "wall.key_supervision_off", by)

    @transaction.atomic
    def record_return_visit(self, by, outcome, note=""):
        """回访: an editor checks the outcome with the poster; "not solved" reopens the post."""
        self._require(by, self._may_record_return_visit, self.can_record_return_visit)
        visit = self.return_visits.create(by=by, outcome=outcome, note=note.strip())
        self._log("wall.return_visit", by, outcome=outcome)
        if outcome == ReturnVisit.Outcome.UNSOLVED:
            reason = note.strip() or str(_("Return visit: the problem is not solved."))
            self._reopen(reason, "wall.reopen_after_visit", by=by)
        return visit

    # -- escalation, driven by the clock (wall.escalation), not by a person ------------------------

    def remind_reply(self):
        """Remind the unit once per round that its reply is overdue. False if already reminded."""
        claimed = Post.objects.filter(pk=self.pk, reminded_round__lt=self.round).update(reminded_round=self.round)
        if not claimed:
            return False
        self._log("wall.remind", None)
        self._notify("reminder")
        return True

    def escalate(self, level):
        """Raise the escalation to level, exactly once. False if it was there already."""
        with transaction.atomic():
            claimed = Post.objects.filter(pk=self.pk, escalation__lt=level).update(
                escalation=level, escalated_at=timezone.now()
            )
            if not claimed:
                return False
            self.refresh_from_db(fields=["escalation", "escalated_at"])
            self._log("wall.escalate", None, level=level)
            self._notify("escalated", level=level)
        return True


def photo_upload_to(instance, filename):
    # Random names: the original file name may hold the poster's name or a phone's photo id.
    return f"posts/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.jpg"


class PostPhoto(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to=photo_upload_to, width_field="width", height_field="height")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self):
        return f"{self.post} photo {self.pk}"


class Reply(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="replies")
    round = models.PositiveSmallIntegerField(default=1)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("author")
    )
    unit = models.ForeignKey(Unit, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("unit"))
    body = models.TextField(_("reply"))
    is_public = models.BooleanField(
        _("public reply"), default=True, help_text=_("Private replies are shown to the poster only.")
    )
    cannot_solve = models.BooleanField(
        _("cannot be solved now"), default=False, help_text=_("Say why in the reply; it still counts as a reply.")
    )
    created_at = models.DateTimeField(_("replied at"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("reply")
        verbose_name_plural = _("replies")

    def __str__(self):
        return f"{self.post} reply {self.pk}"


SCORE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


class Rating(models.Model):
    """The poster's score of one reply round."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="ratings")
    round = models.PositiveSmallIntegerField(default=1)
    attitude = models.PositiveSmallIntegerField(_("attitude"), validators=SCORE_VALIDATORS)
    speed = models.PositiveSmallIntegerField(_("speed"), validators=SCORE_VALIDATORS)
    result = models.PositiveSmallIntegerField(_("result"), validators=SCORE_VALIDATORS)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("rated at"), default=timezone.now)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.UniqueConstraint(fields=["post", "round"], name="one_rating_per_round"),
            models.CheckConstraint(
                condition=Q(attitude__range=(1, 5)) & Q(speed__range=(1, 5)) & Q(result__range=(1, 5)),
                name="scores_between_1_and_5",
            ),
        ]

    def __str__(self):
        return f"{self.post} rating {self.attitude}/{self.speed}/{self.result}"


class FollowUp(models.Model):
    """Something the poster added later; `reopens` marks the reason given for reopening."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="follow_ups")
    body = models.TextField(_("follow-up"), max_length=2000)
    reopens = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self):
        return f"{self.post} follow-up {self.pk}"


class Transfer(models.Model):
    """One hand-over of a post between units, or a refused one (past the transfer limit)."""

    class Kind(models.TextChoices):
        TRANSFER = "transfer", _("Transfer")
        REASSIGN = "reassign", _("Re-assignment by a supervisor")
        REFUSED = "refused", _("Transfer refused: sent to the global supervisors")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="transfers")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.TRANSFER)
    from_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="transfers_out", verbose_name=_("from"))
    to_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="transfers_in", verbose_name=_("to"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(_("reason"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")

    def __str__(self):
        return f"{self.post} {self.from_unit} → {self.to_unit}"


class InternalNote(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(_("internal note"), max_length=5000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")

    def __str__(self):
        return f"{self.post} note {self.pk}"


class ReturnVisit(models.Model):
    """回访: what the poster said when an editor checked back after closure."""

    class Outcome(models.TextChoices):
        SOLVED = "solved", _("Solved")
        UNSOLVED = "unsolved", _("Not solved")
        UNREACHABLE = "unreachable", _("Could not reach the poster")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="return_visits")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("return visit")
        verbose_name_plural = _("return visits")

    def __str__(self):
        return f"{self.post} {self.outcome}"


class Follow(models.Model):
    """A logged-in visitor follows a post on the wall (often one they almost asked again): they hear
    of its public replies and of its closing, and nothing that is not public."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="follows", verbose_name=_("post"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows", verbose_name=_("follower")
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="one_follow_per_user")]

    def __str__(self):
        return f"{self.user} follows {self.post}"


class AnswerReused(models.Model):
    """Someone about to post read this post's answer instead and said so ("我的问题已解决" under the
    suggestions on the submit form). Who it was is not kept: only that it happened, when, and the
    title they had typed, which says in their words what the post is about (search.learning)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reuses", verbose_name=_("post"))
    created_at = models.DateTimeField(default=timezone.now)
    wording = models.CharField(_("title typed"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("answer reused")
        verbose_name_plural = _("answers reused")

    def __str__(self):
        return f"{self.post} reused at {self.created_at:%Y-%m-%d %H:%M}"

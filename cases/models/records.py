"""What a case gathers as it is handled: replies, ratings, the poster's follow-ups, transfers,
internal notes, return visits, followers and the answers it spared others asking again."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .units import Unit


class Reply(models.Model):
    post = models.ForeignKey("cases.Post", on_delete=models.CASCADE, related_name="replies")
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
    solve_by = models.DateField(_("planned solution date"), null=True, blank=True)
    created_at = models.DateTimeField(_("replied at"), default=timezone.now)

    class Meta:
        db_table = "wall_reply"
        ordering = ["created_at", "pk"]
        verbose_name = _("reply")
        verbose_name_plural = _("replies")

    def __str__(self):
        return f"{self.post} reply {self.pk}"


SCORE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


class Rating(models.Model):
    """The poster's score of one reply round."""

    post = models.ForeignKey("cases.Post", on_delete=models.CASCADE, related_name="ratings")
    round = models.PositiveSmallIntegerField(default=1)
    attitude = models.PositiveSmallIntegerField(_("attitude"), validators=SCORE_VALIDATORS)
    speed = models.PositiveSmallIntegerField(_("speed"), validators=SCORE_VALIDATORS)
    result = models.PositiveSmallIntegerField(_("result"), validators=SCORE_VALIDATORS)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("rated at"), default=timezone.now)

    class Meta:
        db_table = "wall_rating"
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

    post = models.ForeignKey("cases.Post", on_delete=models.CASCADE, related_name="follow_ups")
    body = models.TextField(_("follow-up"), max_length=2000)
    reopens = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "wall_followup"
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

    post = models.ForeignKey("cases.Post", on_delete=models.CASCADE, related_name="transfers")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.TRANSFER)
    from_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="transfers_out", verbose_name=_("from"))
    to_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="transfers_in", verbose_name=_("to"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(_("reason"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "wall_transfer"
        ordering = ["created_at", "pk"]
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")

    def __str__(self):
        return f"{self.post} {self.from_unit} → {self.to_unit}"


class InternalNote(models.Model):
    post = models.ForeignKey("cases.Post", on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(_("internal note"), max_length=5000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "wall_internalnote"
        ordering = ["created_at", "pk"]
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")

    def __str__(self):
        return f"{self.post} note {self.pk}"


class Instruction(models.Model):
    """批示: a leader's instruction on a case. The unit sees it in the case file and must answer it."""

    post = models.ForeignKey("cases.Post", on_delete=models.CASCADE, related_name="instructions")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("leader")
    )
    body = models.TextField(_("instruction"), max_length=2000)
    created_at = models.DateTimeField(_("instructed at"), default=timezone.now)
    answer = models.TextField(_("the unit's answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("instruction (批示)")
        verbose_name_plural = _("instructions (批示)")

    def __str__(self):
        return f"{self.post} instruction {self.pk}"


class ReturnVisit(models.Model):
    """回访: what the poster said when an editor checked back after closure."""

    class Outcome(models.TextChoices):
        SOLVED = "solved", _("Solved")
        UNSOLVED = "unsolved", _("Not solved")
        UNREACHABLE = "unreachable", _("Could not reach the poster")

    post = models.ForeignKey("cases.Post", on_delete=models.CASCADE, related_name="return_visits")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "wall_returnvisit"
        ordering = ["created_at", "pk"]
        verbose_name = _("return visit")
        verbose_name_plural = _("return visits")

    def __str__(self):
        return f"{self.post} {self.outcome}"


class Follow(models.Model):
    """A logged-in visitor follows a post on the wall (often one they almost asked again): they hear
    of its public replies and of its closing, and nothing that is not public."""

    post = models.ForeignKey("cases.Post", on_delete=models.CASCADE, related_name="follows", verbose_name=_("post"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows", verbose_name=_("follower")
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "wall_follow"
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

    post = models.ForeignKey("cases.Post", on_delete=models.CASCADE, related_name="reuses", verbose_name=_("post"))
    created_at = models.DateTimeField(default=timezone.now)
    wording = models.CharField(_("title typed"), max_length=100, blank=True)

    class Meta:
        db_table = "wall_answerreused"
        verbose_name = _("answer reused")
        verbose_name_plural = _("answers reused")

    def __str__(self):
        return f"{self.post} reused at {self.created_at:%Y-%m-%d %H:%M}"

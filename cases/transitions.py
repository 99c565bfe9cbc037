"""What each action on a case does (DESIGN.md §3), mixed into Post: accept, reject, reply, close,
reopen, rate, follow up, publish, transfer, re-assign, co-handle, note, key supervision, return
visits, reminders and escalation.

Each one checks its rule (cases.rules), records an audit entry, and announces what happened
(wall.signals): case_changed refreshes the post's public page (wall.publishing), case_event tells
whoever must hear of it (notifications). Poster actions are authorised by the tracking token in
the view and logged without a user: an account in the audit log would unmask an anonymous poster.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from cases import clock, roles
from cases.models.handling import HandlingSettings
from cases.models.records import ReturnVisit, Transfer
from cases.signals import case_changed, case_event

# What the rules of cases.rules read that a transition may change under another's feet.
RULED_FIELDS = ("status", "round", "unit_id", "on_wall", "is_key_supervision", "on_hold", "is_typical")
NOT_ALLOWED = _("You may not do this to this post.")


class TransitionError(Exception):
    """The post is not in a state that allows this action; the message is shown to the user."""


class PostTransitions:
    # Each one checks its rule (cases.rules), records an audit entry, and refreshes the post's
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
        current = type(self).objects.select_for_update().values(*RULED_FIELDS).get(pk=self.pk)
        for field, value in current.items():
            setattr(self, field, value)

    def _log(self, action, user, **data):
        # The number, not the title: Wagtail's site history shows a log entry's label to anyone with
        # any permission on posts, and a title may be private. The case file shows the trail in full.
        log(instance=self, action=action, user=user, data=data, title=f"#{self.pk}")

    def _sync_wall(self):
        case_changed.send(sender=type(self), post=self)

    def _notify(self, event, **data):
        case_event.send(sender=type(self), post=self, event=event, data=data)

    def _restart_clock(self, now):
        self.reply_due_at = clock.reply_due(self.kind, now, self.is_urgent)
        self.resolution_due_at = clock.resolution_due(self.kind, now, self.is_urgent)
        self.escalation = self.Escalation.NONE
        self.escalated_at = None

    @transaction.atomic
    def accept(self, by, unit, urgent=None):
        """Route the post to unit. urgent (应急) shortens its deadlines and tells the unit's supervisors
        too; None takes the category's default."""
        self._require(by, self._may_accept, self.can_accept)
        if not unit.is_active:
            raise TransitionError(_("%(unit)s no longer takes posts.") % {"unit": unit.name})
        now = timezone.now()
        self.unit = unit
        self.status = self.Status.ACCEPTED
        self.accepted_at = now
        self.is_urgent = self.category.is_urgent if urgent is None else urgent
        self._restart_clock(now)
        self.save()
        self._log("wall.accept", by, unit=unit.name, urgent=self.is_urgent)
        self._notify("routed", unit=unit, urgent=self.is_urgent)

    def record_intake(self, by):
        """The trail's first entry for a post an editor typed in for a caller, visitor or letter."""
        if not roles.is_editor(by):
            raise PermissionDenied
        self._log("wall.intake", by, channel=self.channel)

    @transaction.atomic
    def merge_into(self, by, other):
        """重复诉求: this post asks what other asks. It leaves every queue and the wall, and its poster
        is sent to the other post; the two titles are two ways of asking the same thing (search.learning)."""
        self._require(by, self._may_merge, self.can_merge)
        if other.pk == self.pk or other.status in {self.Status.MERGED, self.Status.REJECTED}:
            raise TransitionError(_("A post can only be merged into another post that is being handled."))
        self.status = self.Status.MERGED
        self.merged_into = other
        self.save()
        self._log("wall.merge", by, into=other.pk)
        self._notify("merged", other=other)
        self._sync_wall()

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
    def reply(self, by, body, is_public, cannot_solve=False, solve_by=None):
        """A reply from the lead unit or a co-handling unit.

        Only the lead unit's reply answers the post (已答复, its first response in the 三率): a
        co-handling unit's reply is its contribution, shown and sent like any reply, while the post
        still waits for the lead unit's. "Cannot be solved now" (with the reason in the reply and the
        date the unit plans to solve it by) still answers the post, and puts it on hold (挂账) until
        the unit's next reply: a held post cannot be closed, so it is answered but not completed.
        """
        self._require(by, self._may_reply, self.can_reply)
        if not body.strip():
            raise TransitionError(_("The reply is empty."))
        if cannot_solve:
            self._check_planned_date(solve_by)
        now = timezone.now()
        reply = self.replies.create(
            round=self.round,
            author=by,
            unit=self._handled_unit(by),
            body=body.strip(),
            is_public=is_public,
            cannot_solve=cannot_solve,
            solve_by=solve_by if cannot_solve else None,
            created_at=now,
        )
        if reply.unit_id == self.unit_id:
            self.status = self.Status.REPLIED
            self.first_replied_at = self.first_replied_at or now
            self.on_hold, self.solve_by, self.hold_reminded_at = cannot_solve, reply.solve_by, None
            self.save()
        planned = {"solve_by": str(reply.solve_by)} if cannot_solve else {}
        self._log("wall.reply", by, reply=reply.pk, public=is_public, cannot_solve=cannot_solve, **planned)
        self._notify("replied", reply=reply)
        self._sync_wall()
        return reply

    @staticmethod
    def _check_planned_date(solve_by):
        if not solve_by:
            raise TransitionError(_("Give the date by which the unit plans to solve it."))
        if solve_by < timezone.localdate():
            raise TransitionError(_("The planned solution date has passed; give a date from today on."))

    @transaction.atomic
    def close(self, by):
        self._require(by, self._may_close, self.can_close, self._why_not_close)
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
        self.on_hold, self.solve_by = False, None  # the new round's reply decides again
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
            self.escalate(self.Escalation.GLOBAL, why=None)  # the refusal's own entry says where it went
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
        # The trail says whose reach it was: a unit's own supervisor, or a global supervisor's.
        watches_by_name = self.unit.supervisors.filter(pk=by.pk).exists()
        action = "wall.reassign" if watches_by_name else "wall.reassign_global"
        self._hand_over(by, to_unit, reason, Transfer.Kind.REASSIGN, action)

    @transaction.atomic
    def correct_routing(self, by, kind, category, unit):
        """Put right a wrong kind, category or unit; the statistics count the post as corrected. A new
        unit takes the post with a reply deadline of its own, while no unit has answered it yet."""
        self._require(by, self._may_correct_routing, self.can_correct_routing)
        before = {"kind": self.kind.name, "category": self.category.name, "unit": self.unit.name}
        if unit != self.unit:
            if self.status not in self.AWAITING_REPLY:
                raise TransitionError(_("The post has been answered: re-assign it to change its unit."))
            if not unit.is_active:
                raise TransitionError(_("%(unit)s no longer takes posts.") % {"unit": unit.name})
            self.unit = unit
            self.co_units.remove(unit)
            self._restart_clock(timezone.now())
        self.kind, self.category = kind, category
        self.save()
        after = {"kind": kind.name, "category": category.name, "unit": unit.name}
        self._log("wall.correct_routing", by, before=before, after=after)
        if before["unit"] != after["unit"]:
            self._notify("routed", unit=unit)
        self._sync_wall()

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
    def urge(self, by, message=""):
        """催办: tell the unit to get on with it, in the supervisor's words; logged, the unit notified."""
        self._require(by, self._may_urge, self.can_urge)
        self._log("wall.urge", by, message=message.strip())
        self._notify("urged", message=message.strip())

    @transaction.atomic
    def set_key_supervision(self, by, on, due=None, instructions=""):
        """重点督办 on (with an optional date to settle it by and instructions, which the unit is sent)
        or off."""
        can = self.can_mark_key_supervision if on else self.can_unmark_key_supervision
        self._require(by, self._may_set_key_supervision, can)
        self.is_key_supervision = on
        self.key_supervision_due = due if on else None
        self.key_supervision_instructions = instructions.strip() if on else ""
        self.save()
        self._log("wall.key_supervision" if on else "wall.key_supervision_off", by)
        if on:
            self._notify("key_supervision", due=due, instructions=self.key_supervision_instructions)

    @transaction.atomic
    def set_typical(self, by, on):
        """典型案例 on or off; the public page shows it only while the post is public."""
        self._require(by, self._may_mark_typical, self.can_mark_typical if on else self.can_unmark_typical)
        self.is_typical = on
        self.save()
        self._log("wall.typical" if on else "wall.typical_off", by)

    @transaction.atomic
    def instruct(self, by, body):
        """批示: a leader's instruction, sent to the unit, which must answer it in the case file."""
        self._require(by, self._may_instruct, self.can_instruct)
        if not body.strip():
            raise TransitionError(_("The instruction is empty."))
        instruction = self.instructions.create(author=by, body=body.strip())
        self._log("wall.instruct", by, instruction=instruction.pk)
        self._notify("instructed", instruction=instruction)
        return instruction

    @transaction.atomic
    def answer_instruction(self, by, answer):
        """The unit's answer to the oldest instruction still unanswered; the leader hears of it."""
        self._require(by, self._may_answer_instruction, self.can_answer_instruction)
        if not answer.strip():
            raise TransitionError(_("The answer is empty."))
        instruction = self.instructions.filter(answered_at=None).select_for_update().first()
        instruction.answer, instruction.answered_by, instruction.answered_at = answer.strip(), by, timezone.now()
        instruction.save()
        self._log("wall.answer_instruction", by, instruction=instruction.pk)
        self._notify("instruction_answered", instruction=instruction)
        return instruction

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

    # -- escalation, driven by the clock (cases.escalation), not by a person ------------------------

    def remind_screening(self):
        """Tell the editors, once, that this post waits past its screening deadline."""
        now = timezone.now()
        waiting = type(self).objects.filter(pk=self.pk, status=self.Status.SUBMITTED, screening_reminded_at=None)
        if not waiting.update(screening_reminded_at=now):
            return False
        self._log("wall.remind_screening", None)
        self._notify("screening_late")
        return True

    def remind_hold(self):
        """Tell the unit, once, that the date it planned to solve this held post by has come."""
        claimed = type(self).objects.filter(pk=self.pk, on_hold=True, hold_reminded_at=None)
        if not claimed.update(hold_reminded_at=timezone.now()):
            return False
        self._log("wall.remind_hold", None, solve_by=str(self.solve_by))
        self._notify("hold_due", solve_by=self.solve_by)
        return True

    def remind_reply(self):
        """Remind the unit once per round that its reply is overdue. False if already reminded."""
        claimed = type(self).objects.filter(pk=self.pk, reminded_round__lt=self.round).update(reminded_round=self.round)
        if not claimed:
            return False
        self._log("wall.remind", None)
        self._notify("reminder")
        return True

    def escalate(self, level, why="wall.escalate"):
        """Raise the escalation to level, exactly once. False if it was there already. why: the trail's
        entry for it ("wall.escalate" for an overdue post, "wall.escalate_unwatched" when the unit has
        no supervisor), None when the caller's own entry says it."""
        with transaction.atomic():
            claimed = (
                type(self)
                .objects.filter(pk=self.pk, escalation__lt=level)
                .update(escalation=level, escalated_at=timezone.now())
            )
            if not claimed:
                return False
            self.refresh_from_db(fields=["escalation", "escalated_at"])
            if why:
                self._log(why, None, level=level)
            self._notify("escalated", level=level)
        return True

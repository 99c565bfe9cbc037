"""Who may do what to a post, and when (DESIGN.md §2): one `can_<verb>` per transition of Post.

Post's transitions refuse what their `can_<verb>` denies and the case file offers exactly what they
allow, so each rule is written once and nobody is shown a button that would be refused.
"""

from django.utils.translation import gettext_lazy as _

from cases import roles


class PostRules:
    """The rules of Post's transitions, mixed into Post.

    `can_<verb>(user)` is true when user may take that action on this post now: their role on it and
    the post's state. The role half alone is `_may_<verb>(user)`, so that a refusal says which half
    failed: a role the user lacks is forbidden (PermissionDenied: the admin's "no permission", the
    API's 403); a state that does not allow the action is a TransitionError, shown next to the post
    (the API's 409). The poster's actions have no role half: the tracking token is their right.
    """

    # -- screening: the editors, on a new post -----------------------------------------------------

    def can_accept(self, user):
        return self.status == self.Status.SUBMITTED and self._may_accept(user)

    def _may_accept(self, user):
        return roles.is_editor(user)

    def can_reject(self, user):
        return self.status == self.Status.SUBMITTED and self._may_reject(user)

    def _may_reject(self, user):
        return roles.is_editor(user)

    # -- handling: the units' handlers -------------------------------------------------------------

    def can_reply(self, user):
        """The lead unit and the co-handling units reply, and may reply again until the post is closed."""
        return self.status in {*self.AWAITING_REPLY, self.Status.REPLIED} and self._may_reply(user)

    def _may_reply(self, user):
        return self._handled_unit(user) is not None

    def can_close(self, user):
        """The lead unit closes a replied post, or an editor does; a co-handling unit does not. A post
        on hold ("cannot be solved now") is closed only after the unit's reply that solves it."""
        return self.status == self.Status.REPLIED and not self.on_hold and self._may_close(user)

    def _why_not_close(self):
        if self.status == self.Status.REPLIED and self.on_hold:
            return _("The unit cannot solve this yet: it is closed after the reply that solves it.")
        return self._state_refusal()

    def _may_close(self, user):
        return roles.handles(user, self.unit) or roles.is_editor(user)

    def can_transfer(self, user):
        """首接负责: only the holding unit hands the post on, and only while a reply is awaited."""
        return self.status in self.AWAITING_REPLY and self._may_transfer(user)

    def _may_transfer(self, user):
        return roles.handles(user, self.unit)

    def can_co_handle(self, user):
        """部门联办: the lead unit asks for help, or an editor or a global supervisor brings it in."""
        return self.status in self.OPEN and self._may_co_handle(user)

    def _may_co_handle(self, user):
        return roles.handles(user, self.unit) or roles.is_editor(user) or roles.is_global_supervisor(user)

    def can_note(self, user):
        """Anyone who handles, screens or watches the post writes internal notes, in any state."""
        return self._may_note(user)

    def _may_note(self, user):
        return self._handled_unit(user) is not None or roles.is_editor(user) or roles.supervises(user, self.unit)

    def _handled_unit(self, user):
        """The unit, lead or co-handling, in whose name user acts on this post; None if none."""
        return next((unit for unit in self.units_involved() if roles.handles(user, unit)), None)

    def can_merge(self, user):
        """重复诉求: an editor merges a post nobody has answered yet (new, or awaiting a reply) into
        the post it repeats."""
        return self.status in {self.Status.SUBMITTED, *self.AWAITING_REPLY} and self._may_merge(user)

    def _may_merge(self, user):
        return roles.is_editor(user)

    # -- supervision -------------------------------------------------------------------------------

    def can_reassign(self, user):
        """A supervisor of the post's unit, while the post is open; where to is the transition's check."""
        return self.status in self.OPEN and self._may_reassign(user)

    def _may_reassign(self, user):
        return roles.supervises(user, self.unit)

    def can_urge(self, user):
        """催办: a supervisor of the post's unit (or a global supervisor) presses it, while it is open."""
        return self.status in self.OPEN and self._may_urge(user)

    def _may_urge(self, user):
        return roles.supervises(user, self.unit)

    def can_correct_routing(self, user):
        """Editors and global supervisors put right a wrong kind, category or unit of an open post:
        not a transfer (no transfer counted, no limit), as if it had been routed right at first."""
        return self.status in self.OPEN and self._may_correct_routing(user)

    def _may_correct_routing(self, user):
        return roles.is_editor(user) or roles.is_global_supervisor(user)

    def can_mark_key_supervision(self, user):
        return self.status in self.OPEN and not self.is_key_supervision and self._may_set_key_supervision(user)

    def can_unmark_key_supervision(self, user):
        # In any state: a post closed under key supervision must still be able to leave that list.
        return self.is_key_supervision and self._may_set_key_supervision(user)

    def _may_set_key_supervision(self, user):
        return roles.is_global_supervisor(user)

    # -- the leaders' instructions (批示) ------------------------------------------------------------

    def can_instruct(self, user):
        """A leader instructs the unit on an open post."""
        return self.status in self.OPEN and self._may_instruct(user)

    def _may_instruct(self, user):
        return roles.is_leader(user)

    def can_answer_instruction(self, user):
        """The lead unit answers a leader's instruction still unanswered, whatever the post's state."""
        return self._may_answer_instruction(user) and self.instructions.filter(answered_at=None).exists()

    def _may_answer_instruction(self, user):
        return roles.handles(user, self.unit)

    # -- after closing, and the wall: the editors -------------------------------------------------

    def can_record_return_visit(self, user):
        return self.status == self.Status.CLOSED and self._may_record_return_visit(user)

    def _may_record_return_visit(self, user):
        return roles.is_editor(user)

    def can_publish(self, user):
        return self._why_not_publish() is None and self._may_publish(user)

    def _may_publish(self, user):
        return roles.is_editor(user)

    def _why_not_publish(self):
        """What keeps the post off the wall, in words for the editor; None if nothing does."""
        if self.status not in self.WALL_STATUSES:
            return self._state_refusal()
        if not self.wants_public:
            return _("The poster asked to keep this post off the public wall.")
        if self._is_live_on_wall():
            return _("This post is on the wall.")
        return None

    def _is_live_on_wall(self):
        # Not `on_wall` alone: a page withdrawn in Wagtail's page explorer leaves it set, and publishing
        # again is how an editor brings such a page back.
        return self.on_wall and type(self).objects.filter(pk=self.pk, page__live=True).exists()

    def can_unpublish(self, user):
        return self._why_not_unpublish() is None and self._may_unpublish(user)

    def _may_unpublish(self, user):
        return roles.is_editor(user)

    def _why_not_unpublish(self):
        return None if self.on_wall else _("This post is not on the wall.")

    def can_mark_typical(self, user):
        """典型案例: an editor picks a post on the wall for the public page of typical cases."""
        return self.on_wall and not self.is_typical and self._may_mark_typical(user)

    def can_unmark_typical(self, user):
        return self.is_typical and self._may_mark_typical(user)

    def _may_mark_typical(self, user):
        return roles.is_editor(user)

    def can_edit_public_text(self, user):
        # In any state: an editor redacts a post before publishing it, and may tidy one withdrawn.
        return self._may_edit_public_text(user)

    def _may_edit_public_text(self, user):
        return roles.is_editor(user)

    # -- the poster, by the tracking token ---------------------------------------------------------

    def can_reopen(self):
        return self.status in self.ANSWERED

    def can_rate(self):
        """Once per reply round, after the reply."""
        return self._why_not_rate() is None

    def _why_not_rate(self):
        if self.status not in self.ANSWERED or not self.replies.filter(round=self.round).exists():
            return self._state_refusal()
        if self.ratings.filter(round=self.round).exists():
            return _("This reply has already been rated.")
        return None

    def can_follow_up(self):
        return self.status != self.Status.MERGED

    def _state_refusal(self):
        return _("This post is “%(status)s”; that is not possible now.") % {"status": self.get_status_display()}

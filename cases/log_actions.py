"""Labels for every action a post's audit trail records (Wagtail's log entries)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

ACTIONS = {
    "wall.intake": (_("Take in a post"), _("Typed in by an editor for a caller, visitor or letter")),
    "wall.accept": (_("Accept and route"), _("Accepted and routed")),
    "wall.reject": (_("Reject"), _("Rejected")),
    "wall.merge": (_("Merge a duplicate"), _("Merged into another post as a duplicate")),
    "wall.reply": (_("Reply"), _("Replied")),
    "wall.close": (_("Close"), _("Closed")),
    "wall.reopen": (_("Reopen"), _("Reopened by the poster")),
    "wall.reopen_after_visit": (_("Reopen after a return visit"), _("Reopened after a return visit")),
    "wall.rate": (_("Rate"), _("Rated by the poster")),
    "wall.follow_up": (_("Follow-up"), _("Follow-up from the poster")),
    "wall.publish": (_("Publish to the wall"), _("Published to the wall")),
    "wall.unpublish": (_("Withdraw from the wall"), _("Withdrawn from the wall")),
    "wall.edit_public": (_("Edit public text"), _("Public text edited")),
    "wall.transfer": (_("Transfer"), _("Transferred to another unit")),
    "wall.transfer_refused": (
        _("Transfer refused"),
        _("Transfer refused past the limit; sent to the global supervisors"),
    ),
    "wall.reassign": (_("Re-assign"), _("Re-assigned by a supervisor")),
    "wall.reassign_global": (_("Re-assign"), _("Re-assigned by a global supervisor")),
    "wall.correct_routing": (_("Correct routing"), _("Kind, category or unit corrected (not a transfer)")),
    "wall.co_handle": (_("Co-handling"), _("Co-handling units added")),
    "wall.note": (_("Internal note"), _("Internal note added")),
    "wall.urge": (_("Urge"), _("Urged by a supervisor (催办)")),
    "wall.key_supervision": (_("Key supervision"), _("Marked for key supervision")),
    "wall.key_supervision_off": (_("End key supervision"), _("Key supervision ended")),
    "wall.return_visit": (_("Return visit"), _("Return visit recorded")),
    "wall.typical": (_("Typical case"), _("Picked as a typical case (典型案例)")),
    "wall.typical_off": (_("Typical case"), _("No longer a typical case")),
    "wall.instruct": (_("Instruction"), _("A leader's instruction (批示) to the unit")),
    "wall.answer_instruction": (_("Answer to an instruction"), _("The unit answered the leader's instruction")),
    "wall.escalate_leader": (
        _("Escalation"),
        _("Not settled by the global supervisors: escalated to the unit's vice-president"),
    ),
    "wall.remind_screening": (_("Reminder"), _("Screening overdue: editors reminded")),
    "wall.remind": (_("Reminder"), _("Reply overdue: unit reminded")),
    "wall.remind_hold": (_("Reminder"), _("Planned solution date reached: unit reminded")),
    "wall.escalate": (_("Escalation"), _("Overdue: escalated")),
    "wall.escalate_unwatched": (
        _("Escalation"),
        _("Overdue, and the unit has no supervisor: escalated to the global supervisors"),
    ),
}


@hooks.register("register_log_actions")
def register_post_actions(actions):
    for action, (label, message) in ACTIONS.items():
        actions.register_action(action, label, message)

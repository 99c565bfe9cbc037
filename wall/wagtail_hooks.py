from django.utils.translation import gettext_lazy as _
from wagtail import hooks


@hooks.register("register_log_actions")
def register_post_actions(actions):
    actions.register_action("wall.accept", _("Accept and route"), _("Accepted and routed"))
    actions.register_action("wall.reject", _("Reject"), _("Rejected"))
    actions.register_action("wall.reply", _("Reply"), _("Replied"))
    actions.register_action("wall.close", _("Close"), _("Closed"))
    actions.register_action("wall.reopen", _("Reopen"), _("Reopened by the poster"))
    actions.register_action("wall.rate", _("Rate"), _("Rated by the poster"))
    actions.register_action("wall.follow_up", _("Follow-up"), _("Follow-up from the poster"))
    actions.register_action("wall.publish", _("Publish to the wall"), _("Published to the wall"))
    actions.register_action("wall.unpublish", _("Withdraw from the wall"), _("Withdrawn from the wall"))
    actions.register_action("wall.edit_public", _("Edit public text"), _("Public text edited"))

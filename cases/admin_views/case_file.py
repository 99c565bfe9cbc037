"""The case file: everything staff may know about one post, and the actions open to them now."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.log_actions import registry as log_registry

from accounts.identity import campus_identity, shown_name
from cases import roles
from cases.admin_forms import (
    AcceptForm,
    AnswerInstructionForm,
    CoHandleForm,
    InstructForm,
    KeySupervisionForm,
    MergeForm,
    NoteForm,
    PublicTextForm,
    ReassignForm,
    RejectForm,
    ReturnVisitForm,
    RoutingForm,
    StaffReplyForm,
    TransferForm,
    UrgeForm,
)

from .base import get_post_for_user, header

# Actions taken by the poster (logged without a user, see Post's transitions).
POSTER_ACTIONS = {"wall.reopen", "wall.rate", "wall.follow_up"}


def post_detail(request, pk):
    post = get_post_for_user(request, pk)
    user = request.user
    context = {
        "post": post,
        "identity": _identity(post, user),
        "photos": post.photos.all(),
        "replies": post.replies.select_related("author", "unit"),
        "follow_ups": post.follow_ups.all(),
        "followers": post.follows.count(),
        "reuses": post.reuses.count(),
        "ratings": post.ratings.order_by("round"),
        "co_units": post.co_units.all(),
        "transfers": post.transfers.select_related("from_unit", "to_unit", "by"),
        "notes": post.notes.select_related("author", "unit"),
        "return_visits": post.return_visits.select_related("by"),
        "instructions": post.instructions.select_related("author", "answered_by"),
        "audit_trail": _audit_trail(post),
        "actions": _actions(post, user),
        **header(str(post), "doc-full", *_trail(user)),
    }
    return render(request, "cases/admin/post_detail.html", context)


def _trail(user):
    # Leaders read case files from the ledgers and hot topics; 全部诉求 is the staff's list.
    return [(reverse("cases_admin:posts"), _("All posts"))] if roles.is_staff_member(user) else []


def _identity(post, user):
    """Who posted, as far as this user may know (DESIGN.md §2).

    The account behind an anonymous post is never shown to anyone; contact details, if the poster
    gave any, to editors, and to the assigned unit's handlers for kinds that say so (报修: repair
    staff call back; the form tells posters).
    """
    verified = False
    if post.is_anonymous:
        poster_name = None
    elif post.poster is None:
        poster_name = ""
    else:
        poster_name = shown_name(post.poster)
        verified = campus_identity(post.poster) is not None
    contact = None
    if roles.is_editor(user) or (post.kind.contact_for_handlers and roles.handles(user, post.unit)):
        contact = {"name": post.contact_name, "phone": post.contact_phone, "email": post.contact_email}
    return {"is_anonymous": post.is_anonymous, "poster_name": poster_name, "verified": verified, "contact": contact}


def _audit_trail(post):
    entries = log_registry.get_logs_for_instance(post).select_related("user").order_by("timestamp", "pk")
    return [{"timestamp": e.timestamp, "who": _actor(e), "message": e.message, "data": e.data} for e in entries]


def _actor(entry):
    if entry.action in POSTER_ACTIONS:
        return _("Poster")
    return entry.user_display_name


def _actions(post, user):
    """What this user may do to this post now: a form, or True for a bare button. Only these are shown.

    Each is offered when Post's rule for it allows (cases.rules), the very rule its transition applies,
    so that nobody is offered what would be refused.
    """
    actions = {
        "accept": post.can_accept(user) and _accept_form(post),
        "reject": post.can_reject(user) and RejectForm(),
        "merge": post.can_merge(user) and MergeForm(post=post),
        "reply": post.can_reply(user) and StaffReplyForm(post=post),
        "close": post.can_close(user),
        "transfer": post.can_transfer(user) and TransferForm(post=post),
        "co_handle": post.can_co_handle(user) and CoHandleForm(post=post),
        "reassign": post.can_reassign(user) and _reassign_form(post, user),
        "correct_routing": post.can_correct_routing(user) and _routing_form(post),
        "urge": post.can_urge(user) and UrgeForm(),
        "instruct": post.can_instruct(user) and InstructForm(),
        "answer_instruction": post.can_answer_instruction(user) and AnswerInstructionForm(),
        "unmark_key_supervision": post.can_unmark_key_supervision(user),
        "mark_key_supervision": post.can_mark_key_supervision(user) and KeySupervisionForm(),
        "note": post.can_note(user) and NoteForm(),
        "return_visit": post.can_record_return_visit(user) and ReturnVisitForm(),
        "publish": post.can_publish(user),
        "unpublish": post.can_unpublish(user),
        "mark_typical": post.can_mark_typical(user),
        "unmark_typical": post.can_unmark_typical(user),
        "public_text": post.can_edit_public_text(user) and _public_text_form(post),
    }
    return {name: action for name, action in actions.items() if action}


def _accept_form(post):
    return AcceptForm(
        initial={"unit": post.category.default_unit or post.requested_unit, "urgent": post.category.is_urgent}
    )


def _routing_form(post):
    return RoutingForm(initial={"kind": post.kind_id, "category": post.category_id, "unit": post.unit_id})


def _reassign_form(post, user):
    """None when the user watches no other unit to re-assign to: the form would offer nothing."""
    form = ReassignForm(post=post, user=user)
    return form if form.fields["unit"].queryset.exists() else None


def _public_text_form(post):
    return PublicTextForm(
        initial={"public_title": post.public_title, "public_body": post.public_body, "show_photos": post.show_photos}
    )

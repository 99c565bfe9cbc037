"""The case file: everything staff may know about one post, and the actions open to them now."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.log_actions import registry as log_registry

from accounts.identity import campus_identity, shown_name
from wall import roles
from wall.admin_forms import (
    AcceptForm,
    CoHandleForm,
    NoteForm,
    PublicTextForm,
    ReassignForm,
    RejectForm,
    ReturnVisitForm,
    StaffReplyForm,
    TransferForm,
)
from wall.models import Post

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
        "audit_trail": _audit_trail(post),
        "actions": _actions(post, user),
        **header(str(post), "doc-full", (reverse("wall_admin:posts"), _("All posts"))),
    }
    return render(request, "wall/admin/post_detail.html", context)


def _identity(post, user):
    """Who posted, as far as this user may know (DESIGN.md §2).

    The account behind an anonymous post is never shown to anyone; contact details, if the poster
    gave any, only to editors.
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
    if roles.is_editor(user):
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

    This mirrors the rules of Post's transitions so that nobody is offered what would be refused.
    """
    editor = roles.is_editor(user)
    lead_handler = roles.handles(user, post.unit)
    handler = lead_handler or any(roles.handles(user, unit) for unit in post.units_involved())
    supervisor = roles.supervises(user, post.unit)
    global_supervisor = roles.is_global_supervisor(user)
    submitted = post.status == Post.Status.SUBMITTED
    is_open = post.status in Post.OPEN
    actions = {}
    if editor and submitted:
        actions["accept"] = AcceptForm(initial={"unit": post.category.default_unit or post.requested_unit})
        actions["reject"] = RejectForm()
    if handler and post.status in {*Post.AWAITING_REPLY, Post.Status.REPLIED}:
        actions["reply"] = StaffReplyForm()
    if (editor or lead_handler) and post.status == Post.Status.REPLIED:
        actions["close"] = True
    if lead_handler and post.status in Post.AWAITING_REPLY:
        actions["transfer"] = TransferForm(post=post)
    if (lead_handler or editor or global_supervisor) and is_open:
        actions["co_handle"] = CoHandleForm(post=post)
    if supervisor and is_open:
        reassign = ReassignForm(post=post, user=user)
        if reassign.fields["unit"].queryset.exists():
            actions["reassign"] = reassign
    if global_supervisor and post.is_key_supervision:
        actions["unmark_key_supervision"] = True
    elif global_supervisor and is_open:
        actions["mark_key_supervision"] = True
    if handler or editor or supervisor:
        actions["note"] = NoteForm()
    if editor and post.status == Post.Status.CLOSED:
        actions["return_visit"] = ReturnVisitForm()
    if editor and not post.on_wall and post.wants_public and post.status in Post.WALL_STATUSES:
        actions["publish"] = True
    if editor and post.on_wall:
        actions["unpublish"] = True
    if editor:
        actions["public_text"] = PublicTextForm(
            initial={
                "public_title": post.public_title,
                "public_body": post.public_body,
                "show_photos": post.show_photos,
            }
        )
    return actions

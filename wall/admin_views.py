"""Staff screens in the Wagtail admin: the queues, the case file and its actions.

Every action view calls exactly one Post transition; the model decides who may do what and from
which state. A PermissionDenied it raises reaches Wagtail's admin wrapper, which answers with its
usual "no permission" message, so the views only turn TransitionErrors into messages.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.admin.paginator import WagtailPaginator
from wagtail.log_actions import registry as log_registry

from wall import roles
from wall.admin_forms import AcceptForm, PostFilterForm, PublicTextForm, RejectForm, StaffReplyForm
from wall.models import Post, TransitionError, Unit

POSTS_PER_PAGE = 30
LIST_RELATED = ("kind", "category", "unit", "requested_unit")

# Actions taken by the poster (logged without a user, see Post's transitions).
POSTER_ACTIONS = {"wall.reopen", "wall.rate", "wall.follow_up"}


def _get_post_for_user(request, pk):
    # Out of reach and nonexistent look the same: a handler learns nothing about other units' posts.
    posts = Post.objects.visible_to(request.user).select_related(*LIST_RELATED, "poster", "page")
    return get_object_or_404(posts, pk=pk)


def _header(title, icon, *trail):
    """Context for Wagtail's slim header: the title and the breadcrumbs (url, label) leading to it."""
    items = [(reverse("wagtailadmin_home"), _("Home")), *trail, (None, title)]
    return {
        "header_title": title,
        "header_icon": icon,
        "breadcrumbs_items": [{"url": url, "label": label} for url, label in items],
    }


# -- queues and lists ---------------------------------------------------------------------------


def screening_queue(request):
    if not roles.is_editor(request.user):
        raise PermissionDenied
    posts = Post.objects.awaiting_screening().select_related(*LIST_RELATED)
    return render(
        request,
        "wall/admin/screening_queue.html",
        {"posts": posts, **_header(_("New posts"), "mail")},
    )


def unreplied_queue(request):
    if not roles.handles_any_unit(request.user):
        raise PermissionDenied
    posts = Post.objects.for_handler(request.user).awaiting_reply().select_related(*LIST_RELATED)
    return render(
        request,
        "wall/admin/unreplied_queue.html",
        {"posts": posts, **_header(_("My units' unreplied posts"), "time")},
    )


def post_list(request):
    user = request.user
    if not roles.is_staff_member(user):
        raise PermissionDenied
    units = Unit.objects.all() if roles.is_editor(user) else Unit.objects.filter(handlers=user)
    form = PostFilterForm(request.GET, units=units)
    posts = form.filter(Post.objects.visible_to(user)).select_related(*LIST_RELATED).order_by("-created_at", "-pk")
    paginator = WagtailPaginator(posts, POSTS_PER_PAGE)
    page = paginator.get_page(request.GET.get("p"))
    return render(
        request,
        "wall/admin/post_list.html",
        {
            "filter_form": form,
            "items": page,
            "elided_page_range": paginator.get_elided_page_range(page.number),
            **_header(_("All posts"), "list-ul"),
        },
    )


# -- the case file ------------------------------------------------------------------------------


def post_detail(request, pk):
    post = _get_post_for_user(request, pk)
    user = request.user
    context = {
        "post": post,
        "identity": _identity(post, user),
        "photos": post.photos.all(),
        "replies": post.replies.select_related("author", "unit"),
        "follow_ups": post.follow_ups.all(),
        "ratings": post.ratings.order_by("round"),
        "audit_trail": _audit_trail(post),
        "actions": _actions(post, user),
        **_header(str(post), "doc-full", (reverse("wall_admin:posts"), _("All posts"))),
    }
    return render(request, "wall/admin/post_detail.html", context)


def _identity(post, user):
    """Who posted, as far as this user may know (DESIGN.md §2).

    The account behind an anonymous post is never shown to anyone; contact details, if the poster
    gave any, only to editors.
    """
    if post.is_anonymous:
        poster_name = None
    elif post.poster is None:
        poster_name = ""
    else:
        poster_name = post.poster.get_full_name().strip() or post.poster.get_username()
    contact = None
    if roles.is_editor(user):
        contact = {"name": post.contact_name, "phone": post.contact_phone, "email": post.contact_email}
    return {"is_anonymous": post.is_anonymous, "poster_name": poster_name, "contact": contact}


def _audit_trail(post):
    entries = log_registry.get_logs_for_instance(post).select_related("user").order_by("timestamp", "pk")
    return [{"timestamp": e.timestamp, "who": _actor(e), "message": e.message, "data": e.data} for e in entries]


def _actor(entry):
    if entry.action in POSTER_ACTIONS:
        return _("Poster")
    return entry.user_display_name


def _actions(post, user):
    """What this user may do to this post now: a form, or True for a bare button. Only these are shown."""
    editor = roles.is_editor(user)
    handler = roles.handles(user, post.unit)
    submitted = post.status == Post.Status.SUBMITTED
    actions = {}
    if editor and submitted:
        actions["accept"] = AcceptForm(initial={"unit": post.category.default_unit or post.requested_unit})
        actions["reject"] = RejectForm()
    if handler and post.status in {*Post.AWAITING_REPLY, Post.Status.REPLIED}:
        actions["reply"] = StaffReplyForm()
    if (editor or handler) and post.status == Post.Status.REPLIED:
        actions["close"] = True
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


# -- actions ------------------------------------------------------------------------------------


def _act(request, post, transition, done_message):
    """Run one transition and go back to the case file, with the outcome as a message."""
    try:
        transition()
    except TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done_message)
    return redirect("wall_admin:post", pk=post.pk)


def _report_invalid(request, post, form):
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
    return redirect("wall_admin:post", pk=post.pk)


@require_POST
def accept(request, pk):
    post = _get_post_for_user(request, pk)
    form = AcceptForm(request.POST)
    if not form.is_valid():
        return _report_invalid(request, post, form)
    unit = form.cleaned_data["unit"]
    return _act(
        request,
        post,
        lambda: post.accept(request.user, unit),
        _("Accepted and routed to %(unit)s.") % {"unit": unit.name},
    )


@require_POST
def reject(request, pk):
    post = _get_post_for_user(request, pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        return _report_invalid(request, post, form)
    return _act(request, post, lambda: post.reject(request.user, form.cleaned_data["reason"]), _("Post rejected."))


@require_POST
def reply(request, pk):
    post = _get_post_for_user(request, pk)
    form = StaffReplyForm(request.POST)
    if not form.is_valid():
        return _report_invalid(request, post, form)
    data = form.cleaned_data
    return _act(request, post, lambda: post.reply(request.user, data["body"], data["is_public"]), _("Reply sent."))


@require_POST
def close(request, pk):
    post = _get_post_for_user(request, pk)
    return _act(request, post, lambda: post.close(request.user), _("Post closed."))


@require_POST
def publish(request, pk):
    post = _get_post_for_user(request, pk)
    return _act(request, post, lambda: post.publish(request.user), _("Published to the wall."))


@require_POST
def unpublish(request, pk):
    post = _get_post_for_user(request, pk)
    return _act(request, post, lambda: post.unpublish(request.user), _("Withdrawn from the wall."))


@require_POST
def edit_public_text(request, pk):
    post = _get_post_for_user(request, pk)
    form = PublicTextForm(request.POST)
    if not form.is_valid():
        return _report_invalid(request, post, form)
    data = form.cleaned_data
    return _act(
        request,
        post,
        lambda: post.edit_public_text(request.user, data["public_title"], data["public_body"], data["show_photos"]),
        _("Public text saved."),
    )

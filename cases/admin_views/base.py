"""What every staff view shares: fetching a case file within reach, the header, acting on a post."""

from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.admin import messages

from cases.models import Post, TransitionError

LIST_RELATED = ("kind", "category", "unit", "requested_unit")


def get_post_for_user(request, pk):
    # Out of reach and nonexistent look the same: a handler learns nothing about other units' posts.
    posts = Post.objects.visible_to(request.user).select_related(*LIST_RELATED, "poster", "page")
    return get_object_or_404(posts, pk=pk)


def header(title, icon, *trail):
    """Context for Wagtail's slim header: the title and the breadcrumbs (url, label) leading to it."""
    items = [(reverse("wagtailadmin_home"), _("Home")), *trail, (None, title)]
    return {
        "header_title": title,
        "header_icon": icon,
        "breadcrumbs_items": [{"url": url, "label": label} for url, label in items],
    }


def act(request, post, transition, done_message, buttons=()):
    """Run one transition and go back to the case file, with the outcome as a message (and buttons,
    callables of the post giving (url, text) or None, on success)."""
    try:
        transition()
    except TransitionError as error:
        messages.error(request, str(error))
    else:
        shown = [button(post) for button in buttons]
        messages.success(request, done_message, buttons=[messages.button(*found) for found in shown if found])
    return redirect("cases_admin:post", pk=post.pk)


def report_invalid(request, post, form):
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
    return redirect("cases_admin:post", pk=post.pk)

"""Screening, replying, closing and publishing: one transition per view."""

from functools import partial

from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.admin_forms import AcceptForm, MergeForm, PublicTextForm, RejectForm, StaffReplyForm
from cases.models import Post

from .base import act, get_post_for_user, report_invalid


@require_POST
def accept(request, pk):
    post = get_post_for_user(request, pk)
    form = AcceptForm(request.POST)
    if not form.is_valid():
        return report_invalid(request, post, form)
    unit = form.cleaned_data["unit"]
    return act(
        request,
        post,
        lambda: post.accept(request.user, unit, urgent=form.cleaned_data["urgent"]),
        _("Accepted and routed to %(unit)s.") % {"unit": unit.name},
    )


@require_POST
def reject(request, pk):
    post = get_post_for_user(request, pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        return report_invalid(request, post, form)
    return act(request, post, lambda: post.reject(request.user, form.cleaned_data["reason"]), _("Post rejected."))


@require_POST
def merge(request, pk):
    post = get_post_for_user(request, pk)
    form = MergeForm(request.POST, post=post)
    if not form.is_valid():
        return report_invalid(request, post, form)
    other = form.cleaned_data["into"]
    return act(
        request,
        post,
        lambda: post.merge_into(request.user, other),
        _("Merged into #%(number)s as a duplicate.") % {"number": other.pk},
    )


@require_POST
def reply(request, pk):
    post = get_post_for_user(request, pk)
    form = StaffReplyForm(request.POST)
    if not form.is_valid():
        return report_invalid(request, post, form)
    data = form.cleaned_data
    return act(
        request,
        post,
        lambda: post.reply(
            request.user, data["body"], data["is_public"], cannot_solve=data["cannot_solve"], solve_by=data["solve_by"]
        ),
        _("Reply sent."),
        buttons=[partial(_next_in_queue, request.user)],
    )


def _next_in_queue(user, answered):
    """下一条: the next post of the user's 本单位未回复, soonest deadline first, if any waits."""
    waiting = Post.objects.handled_by(user).awaiting_reply().exclude(pk=answered.pk).first()
    return (reverse("cases_admin:post", args=[waiting.pk]), _("Next post")) if waiting else None


@require_POST
def close(request, pk):
    post = get_post_for_user(request, pk)
    return act(request, post, lambda: post.close(request.user), _("Post closed."))


@require_POST
def publish(request, pk):
    post = get_post_for_user(request, pk)
    return act(request, post, lambda: post.publish(request.user), _("Published to the wall."))


@require_POST
def unpublish(request, pk):
    post = get_post_for_user(request, pk)
    return act(request, post, lambda: post.unpublish(request.user), _("Withdrawn from the wall."))


@require_POST
def mark_typical(request, pk):
    post = get_post_for_user(request, pk)
    return act(request, post, lambda: post.set_typical(request.user, True), _("Shown among the typical cases."))


@require_POST
def unmark_typical(request, pk):
    post = get_post_for_user(request, pk)
    return act(request, post, lambda: post.set_typical(request.user, False), _("No longer a typical case."))


@require_POST
def edit_public_text(request, pk):
    post = get_post_for_user(request, pk)
    form = PublicTextForm(request.POST)
    if not form.is_valid():
        return report_invalid(request, post, form)
    data = form.cleaned_data
    return act(
        request,
        post,
        lambda: post.edit_public_text(request.user, data["public_title"], data["public_body"], data["show_photos"]),
        _("Public text saved."),
    )

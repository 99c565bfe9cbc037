"""Case handling (issue #3): transfer (首接负责), co-handling (部门联办), notes, re-assignment by
supervisors, key supervision (重点督办) and return visits (回访). One transition per view."""

from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin import messages

from cases.admin_forms import (
    AnswerInstructionForm,
    CoHandleForm,
    InstructForm,
    KeySupervisionForm,
    NoteForm,
    ReassignForm,
    ReturnVisitForm,
    RoutingForm,
    TransferForm,
    UrgeForm,
)
from cases.models import Post, ReturnVisit, TransitionError

from .base import act, get_post_for_user, report_invalid


@require_POST
def transfer(request, pk):
    post = get_post_for_user(request, pk)
    form = TransferForm(request.POST, post=post)
    if not form.is_valid():
        return report_invalid(request, post, form)
    unit = form.cleaned_data["unit"]
    try:
        moved = post.transfer(request.user, unit, form.cleaned_data["reason"])
    except TransitionError as error:
        messages.error(request, str(error))
        return redirect("cases_admin:post", pk=post.pk)
    if not moved:
        # 不踢皮球: past the limit the post stays put and the global supervisors decide where it goes.
        messages.warning(
            request,
            _(
                "This post has been transferred as often as allowed. It stays with your unit "
                "and went to the global supervisors instead."
            ),
        )
        return redirect("cases_admin:post", pk=post.pk)
    messages.success(request, _("Transferred to %(unit)s.") % {"unit": unit.name})
    # The case file is now usually out of the sender's reach: back to their queue then.
    if Post.objects.visible_to(request.user).filter(pk=post.pk).exists():
        return redirect("cases_admin:post", pk=post.pk)
    return redirect("cases_admin:unreplied")


@require_POST
def co_handle(request, pk):
    post = get_post_for_user(request, pk)
    form = CoHandleForm(request.POST, post=post)
    if not form.is_valid():
        return report_invalid(request, post, form)
    units = form.cleaned_data["units"]
    return act(
        request,
        post,
        lambda: post.add_co_units(request.user, units),
        _("Co-handling units added: %(units)s.") % {"units": ", ".join(unit.name for unit in units)},
    )


@require_POST
def add_note(request, pk):
    post = get_post_for_user(request, pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return report_invalid(request, post, form)
    return act(request, post, lambda: post.add_note(request.user, form.cleaned_data["body"]), _("Note added."))


@require_POST
def correct_routing(request, pk):
    post = get_post_for_user(request, pk)
    form = RoutingForm(request.POST)
    if not form.is_valid():
        return report_invalid(request, post, form)
    data = form.cleaned_data
    return act(
        request,
        post,
        lambda: post.correct_routing(request.user, data["kind"], data["category"], data["unit"]),
        _("Routing corrected."),
    )


@require_POST
def reassign(request, pk):
    post = get_post_for_user(request, pk)
    form = ReassignForm(request.POST, post=post, user=request.user)
    if not form.is_valid():
        return report_invalid(request, post, form)
    unit = form.cleaned_data["unit"]
    return act(
        request,
        post,
        lambda: post.reassign(request.user, unit, form.cleaned_data["reason"]),
        _("Re-assigned to %(unit)s.") % {"unit": unit.name},
    )


@require_POST
def urge(request, pk):
    post = get_post_for_user(request, pk)
    form = UrgeForm(request.POST)
    if not form.is_valid():
        return report_invalid(request, post, form)
    return act(request, post, lambda: post.urge(request.user, form.cleaned_data["message"]), _("The unit was urged."))


@require_POST
def instruct(request, pk):
    post = get_post_for_user(request, pk)
    form = InstructForm(request.POST)
    if not form.is_valid():
        return report_invalid(request, post, form)
    return act(request, post, lambda: post.instruct(request.user, form.cleaned_data["body"]), _("Instruction sent."))


@require_POST
def answer_instruction(request, pk):
    post = get_post_for_user(request, pk)
    form = AnswerInstructionForm(request.POST)
    if not form.is_valid():
        return report_invalid(request, post, form)
    answer = form.cleaned_data["body"]
    return act(request, post, lambda: post.answer_instruction(request.user, answer), _("Answer sent to the leader."))


@require_POST
def mark_key_supervision(request, pk):
    post = get_post_for_user(request, pk)
    form = KeySupervisionForm(request.POST)
    if not form.is_valid():
        return report_invalid(request, post, form)
    due, instructions = form.cleaned_data["due"], form.cleaned_data["instructions"]
    return act(
        request,
        post,
        lambda: post.set_key_supervision(request.user, True, due, instructions),
        _("Marked for key supervision."),
    )


@require_POST
def unmark_key_supervision(request, pk):
    post = get_post_for_user(request, pk)
    return act(request, post, lambda: post.set_key_supervision(request.user, False), _("Key supervision ended."))


@require_POST
def record_return_visit(request, pk):
    post = get_post_for_user(request, pk)
    form = ReturnVisitForm(request.POST)
    if not form.is_valid():
        return report_invalid(request, post, form)
    outcome = form.cleaned_data["outcome"]
    if outcome == ReturnVisit.Outcome.UNSOLVED:
        done = _("Return visit recorded. The post is reopened with its unit.")
    else:
        done = _("Return visit recorded.")
    return act(request, post, lambda: post.record_return_visit(request.user, outcome, form.cleaned_data["note"]), done)

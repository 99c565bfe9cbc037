"""Phone, walk-in and letter intake (线下电话/来访/信函): an editor types in a post for the person."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from wagtail.admin import messages

from cases import roles
from cases.admin_forms import IntakeForm

from .base import header


def take_in(request):
    if not roles.is_editor(request.user):
        raise PermissionDenied
    form = IntakeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            post = form.save()
            post.record_intake(request.user)
        messages.success(
            request, _("Post #%(number)s is stored. Screen and route it as any other.") % {"number": post.pk}
        )
        return redirect("cases_admin:post", pk=post.pk)
    return render(request, "cases/admin/intake.html", {"form": form, **header(_("Take in a post"), "mail")})

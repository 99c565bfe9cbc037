from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cases import roles
from cases.admin_views.base import header

from . import learning


def synonym_proposals(request):
    """Pairs of words the wall's visitors used for each other (search.learning), for editors to take
    into the thesaurus or turn down."""
    if not roles.is_editor(request.user):
        raise PermissionDenied
    if request.method == "POST":
        words = (request.POST.get("first", ""), request.POST.get("second", ""))
        proposed = {proposal.words for proposal in learning.proposals()}
        if words in proposed:
            accepted = request.POST.get("decision") == "accept"
            learning.decide(words, accept=accepted)
            message = (
                _("“%(words)s” is in the thesaurus now.") if accepted else _("“%(words)s” will not be proposed again.")
            )
            messages.success(request, message % {"words": " / ".join(words)})
        return redirect("search_synonym_proposals")
    return render(
        request,
        "search/admin/synonym_proposals.html",
        {"proposals": learning.proposals(), **header(_("Proposed synonyms"), "list-ul")},
    )

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from wall import charts, roles, stats
from wall.admin_forms import LedgerForm
from wall.admin_views.base import header
from wall.models import Unit

from . import hot_topics, learning
from .backends import get_backend


def hot_topics_report(request):
    if not roles.may_view_statistics(request.user):
        raise PermissionDenied
    user = request.user
    # A unit supervisor reads their units' posts only, as in the ledgers: the groups show titles.
    units = Unit.objects.all() if roles.reads_every_units_ledgers(user) else user.supervised_units.all()
    form = LedgerForm(request.GET or None, units=units)  # a period and, optionally, a unit
    form.default_kind = "month"
    period = form.period()
    unit = form.cleaned_data.get("unit") if form.is_valid() else None
    posts = hot_topics.received_in(period, unit).in_ledgers_of(user)
    # With Elasticsearch, its aggregation over the wall's published posts is shown as well.
    public_terms = get_backend().top_terms(period.first, period.last, unit.pk if unit else None)
    years, months = stats.seasons(unit)
    return render(
        request,
        "search/admin/hot_topics.html",
        {
            "form": form,
            "period": period,
            "terms": _bars(hot_topics.top_terms(posts)),
            "public_terms": None if public_terms is None else _bars(public_terms),
            "clusters": [_cluster(title, post_ids) for title, post_ids in hot_topics.recurring(posts)],
            "years": years,
            "months": months,
            "season_chart": charts.grouped_bar_chart(
                [str(month) for month, _counts in months],
                [(str(year), [counts[index] for _month, counts in months]) for index, year in enumerate(years)],
            ),
            **header(_("Hot topics"), "pick"),
        },
    )


def _bars(terms):
    most = terms[0][1] if terms else 1
    return [(word, count, round(100 * count / most)) for word, count in terms]


def _cluster(title, post_ids, shown=10):
    links = [(post_id, reverse("wall_admin:post", args=[post_id])) for post_id in post_ids[:shown]]
    return {"title": title, "count": len(post_ids), "links": links, "more": len(post_ids) - len(links)}


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

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _

from wall import roles
from wall.admin_forms import LedgerForm
from wall.admin_views.base import header

from . import hot_topics


def hot_topics_report(request):
    if not roles.may_view_statistics(request.user):
        raise PermissionDenied
    form = LedgerForm(request.GET or None)  # a period and, optionally, a unit
    form.default_kind = "month"
    period = form.period()
    unit = form.cleaned_data.get("unit") if form.is_valid() else None
    terms = hot_topics.top_terms(hot_topics.received_in(period, unit))
    most = terms[0][1] if terms else 1
    return render(
        request,
        "search/admin/hot_topics.html",
        {
            "form": form,
            "period": period,
            "terms": [(word, count, round(100 * count / most)) for word, count in terms],
            **header(_("Hot topics"), "pick"),
        },
    )

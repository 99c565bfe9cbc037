"""Ledgers (台账): unfinished, overdue, key supervision and reopened posts, by unit and period, as CSV too."""

import csv
import io
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.ui.tables import Column

from cases import roles
from cases.admin_views.base import LIST_RELATED, header
from cases.admin_views.queues import (
    ON_HOLD_COLUMNS,
    POSTS_PER_PAGE,
    REPLY_DUE,
    RESOLUTION_DUE,
    STATUS,
    DateTimeColumn,
    PostTable,
    PostTitleColumn,
)
from cases.models import Post, Rating, Reply, Unit
from cases.params import parse_page
from stats.forms import LedgerForm
from stats.reports import safe_cell


@dataclass(frozen=True)
class Ledger:
    name: str
    title: str
    select: callable  # PostQuerySet -> PostQuerySet
    columns: tuple = ()  # shown after the common ones


LEDGERS = {
    ledger.name: ledger
    for ledger in [
        Ledger("unfinished", gettext_lazy("Unfinished posts"), lambda posts: posts.open()),
        Ledger("overdue", gettext_lazy("Overdue posts"), lambda posts: posts.overdue()),
        Ledger("key-supervision", gettext_lazy("Key supervision posts"), lambda posts: posts.key_supervision()),
        Ledger("reopened", gettext_lazy("Reopened posts"), lambda posts: posts.reopened()),
        Ledger(
            "on-hold",
            gettext_lazy("Cannot be solved now (挂账)"),
            lambda posts: posts.on_hold(),
            tuple(ON_HOLD_COLUMNS),
        ),
        # 月汇编台账: choose a unit and a month; the CSV holds each post's timeline and outcome.
        Ledger("compiled", gettext_lazy("Compiled ledger"), lambda posts: posts),
    ]
}
CSV_HEADINGS = [
    gettext_lazy("Number"),
    gettext_lazy("Title"),
    gettext_lazy("Responsible unit"),
    gettext_lazy("Co-handling units"),
    gettext_lazy("Category"),
    gettext_lazy("Status"),
    gettext_lazy("Accepted at"),
    gettext_lazy("Reply due"),
    gettext_lazy("Resolution due"),
    gettext_lazy("Reply rounds"),
    gettext_lazy("Key supervision"),
    gettext_lazy("First replied at"),
    gettext_lazy("Closed at"),
    gettext_lazy("Transfers and re-assignments"),
    gettext_lazy("Ratings (attitude/speed/result)"),
    gettext_lazy("Cannot be solved now: planned solution date"),
    gettext_lazy("Why it cannot be solved now"),
    # So that the file stands alone: what was asked, as the unit reads it, and every answer.
    gettext_lazy("Text of the post, with the poster's additions"),
    gettext_lazy("Replies"),
]


def _ledger_posts(request, name):
    """The ledger's posts within the reader's reach, filtered by the form; 403/404 as needed."""
    user = request.user
    if not roles.may_view_statistics(user):
        raise PermissionDenied
    if name not in LEDGERS:
        raise Http404
    posts = Post.objects.in_ledgers_of(user)
    units = Unit.objects.all() if roles.reads_every_units_ledgers(user) else user.supervised_units.all()
    form = LedgerForm(request.GET or None, units=units)
    selected = LEDGERS[name].select(form.filter(posts)).with_hold_reason()
    selected = selected.select_related(*LIST_RELATED).prefetch_related(
        "co_units",
        "transfers__from_unit",
        "transfers__to_unit",
        "follow_ups",
        Prefetch("replies", Reply.objects.select_related("unit")),
        Prefetch("ratings", Rating.objects.order_by("round")),
    )
    return form, selected.order_by("accepted_at", "pk")


def _units(post):
    co_units = "、".join(unit.name for unit in post.co_units.all())
    return " + ".join(part for part in [str(post.unit or "—"), co_units] if part)


def _table(page, ledger):
    columns = [
        PostTitleColumn(),  # every reader of a ledger may open the case files it lists
        Column("units", label=_("Unit"), accessor=_units),
        STATUS,
        DateTimeColumn("accepted_at", label=_("Accepted at")),
        REPLY_DUE,
        RESOLUTION_DUE,
        *ledger.columns,
    ]
    return PostTable(columns, page)


def ledger(request, name="unfinished"):
    form, posts = _ledger_posts(request, name)
    paginator = WagtailPaginator(posts, POSTS_PER_PAGE)
    page = paginator.get_page(parse_page(request.GET.get("p")))
    return render(
        request,
        "stats/admin/ledger.html",
        {
            "form": form,
            "period": form.period(),
            "ledgers": LEDGERS.values(),
            "current": LEDGERS[name],
            "posts": page,
            "table": _table(page, LEDGERS[name]),
            "count": paginator.count,
            "elided_page_range": paginator.get_elided_page_range(page.number),
            "query": request.GET.urlencode(),
            **header(_("Ledgers"), "list-ul"),
        },
    )


def _when(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _csv_row(post):
    transfers = "；".join(
        f"{_when(transfer.created_at)} {transfer.get_kind_display()}：{transfer.from_unit} → {transfer.to_unit}"
        f"（{transfer.reason}）"
        for transfer in post.transfers.all()
    )
    ratings = "；".join(f"{rating.attitude}/{rating.speed}/{rating.result}" for rating in post.ratings.all())
    return [
        post.pk,
        post.title,
        str(post.unit or ""),  # strings, so that safe_cell sees the units' and the category's names
        "、".join(unit.name for unit in post.co_units.all()),
        str(post.category),
        post.get_status_display(),
        _when(post.accepted_at),
        _when(post.reply_due_at),
        _when(post.resolution_due_at),
        post.round,
        _("Yes") if post.is_key_supervision else "",
        _when(post.first_replied_at),
        _when(post.closed_at),
        transfers,
        ratings,
        _hold_date(post),
        post.hold_reason if post.on_hold else "",
        "\n".join([post.body, *(_follow_up(follow_up) for follow_up in post.follow_ups.all())]),
        "\n".join(_reply(reply) for reply in post.replies.all()),
    ]


def _follow_up(follow_up):
    label = _("Reason for reopening") if follow_up.reopens else _("Added by the poster")
    return f"{_when(follow_up.created_at)} {label}：{follow_up.body}"


def _reply(reply):
    seen_by = _("public") if reply.is_public else _("to the poster only")
    mark = ""
    if reply.cannot_solve:
        planned = reply.solve_by.isoformat() if reply.solve_by else _("Not set")
        mark = _("【Cannot be solved now; planned for %(date)s】") % {"date": planned}
    return f"{_when(reply.created_at)} {reply.unit or ''}（{seen_by}）{mark}：{reply.body}"


def _hold_date(post):
    if not post.on_hold:
        return ""
    return post.solve_by.isoformat() if post.solve_by else _("Not set")


def ledger_csv(request, name):
    form, posts = _ledger_posts(request, name)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([str(LEDGERS[name].title), form.period().label()])
    writer.writerow([str(heading) for heading in CSV_HEADINGS])
    writer.writerows([safe_cell(value) for value in _csv_row(post)] for post in posts.iterator(chunk_size=500))
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="ledger-{name}-{form.period().first}.csv"'
    return response

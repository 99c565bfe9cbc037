"""The lists staff work from: each role's queue (日清零, 逾期督办) and all posts within reach."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import render
from django.utils.translation import gettext as _
from wagtail.admin.paginator import WagtailPaginator

from cases import roles
from cases.filters import PostFilterSet
from cases.models import Post, Unit
from cases.params import parse_page

from .base import LIST_RELATED, header

POSTS_PER_PAGE = 30


def screening_queue(request):
    if not roles.is_editor(request.user):
        raise PermissionDenied
    posts = Post.objects.awaiting_screening().select_related(*LIST_RELATED)
    return render(
        request,
        "cases/admin/screening_queue.html",
        {"posts": posts, **header(_("New posts"), "mail")},
    )


def unreplied_queue(request):
    if not roles.handles_any_unit(request.user):
        raise PermissionDenied
    posts = Post.objects.handled_by(request.user).awaiting_reply().select_related(*LIST_RELATED)
    return render(
        request,
        "cases/admin/unreplied_queue.html",
        {"posts": posts, **header(_("My units' unreplied posts"), "time")},
    )


def _supervision_list(request, posts, title, icon, empty_message):
    posts = posts.select_related(*LIST_RELATED).order_by("resolution_due_at", "pk")
    return render(
        request,
        "cases/admin/supervision_queue.html",
        {"posts": posts, "empty_message": empty_message, **header(title, icon)},
    )


def overdue_queue(request):
    if not roles.supervises_any_unit(request.user):
        raise PermissionDenied
    return _supervision_list(
        request,
        Post.objects.supervised_by(request.user).overdue(),
        _("Overdue in my units"),
        "warning",
        _("Nothing is overdue in the units you watch."),
    )


def all_overdue_queue(request):
    if not roles.is_global_supervisor(request.user):
        raise PermissionDenied
    return _supervision_list(
        request, Post.objects.overdue(), _("All overdue posts"), "warning", _("Nothing is overdue.")
    )


def key_supervision_queue(request):
    if not roles.is_global_supervisor(request.user):
        raise PermissionDenied
    return _supervision_list(
        request,
        Post.objects.key_supervision(),
        _("Key supervision"),
        "thumbtack",
        _("No open post is under key supervision."),
    )


def post_list(request):
    user = request.user
    if not roles.is_staff_member(user):
        raise PermissionDenied
    if roles.is_editor(user) or roles.is_global_supervisor(user):
        units = Unit.objects.all()
    else:
        units = Unit.objects.filter(Q(handlers=user) | Q(supervisors=user)).distinct()
    filters = PostFilterSet(request.GET, queryset=Post.objects.visible_to(user), units=units)
    posts = filters.qs.select_related(*LIST_RELATED).order_by("-created_at", "-pk")
    paginator = WagtailPaginator(posts, POSTS_PER_PAGE)
    page = paginator.get_page(parse_page(request.GET.get("p")))
    return render(
        request,
        "cases/admin/post_list.html",
        {
            "filter_form": filters.form,
            "items": page,
            "elided_page_range": paginator.get_elided_page_range(page.number),
            **header(_("All posts"), "list-ul"),
        },
    )

from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render

from wall.models import WallPostPage

MAX_QUERY_LENGTH = 100
PAGE_SIZE = 20


def search(request):
    """Finds published posts whose title, text or public replies contain the query.

    Only live wall pages are searched: they are the public projections, so nothing private
    can be found. Ranked, segmented Chinese search replaces this matching (issue #4).
    """
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    results = WallPostPage.objects.none()
    if query:
        results = (
            WallPostPage.objects.live()
            .filter(Q(title__icontains=query) | Q(body__icontains=query) | Q(public_replies__body__icontains=query))
            .distinct()
            .select_related("kind", "unit")
            .order_by("-posted_at")
        )
    page_obj = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "search/search.html", {"query": query, "page_obj": page_obj})

"""Whole public pages cached for anonymous visitors, in Django's cache, and dropped on any wall change.

Django's own cache middleware keys pages by cookies and headers we do not need, and cannot drop
every cached page at once when the wall changes; this is the small part of it we do need. A page
that used a CSRF token is never stored: a token shown to one visitor must never reach another. The
public pages have none for anonymous visitors (the language switcher is a pair of links), so a
cached answer is a copy of headers and bytes, and sets no cookie.

What is cached, and for whom:
- only responses a view marked with `cacheable()` (the home page, the wall, post pages, search);
- only for GET requests without a session cookie: someone logged in, or who passed a page's
  password, or has messages waiting, is always served fresh, and their pages are never stored;
- keyed by host, scheme, language and full path, under a version that every change to the wall
  (a page saved or deleted, a reply, a post with a page, units, kinds, categories) replaces, so all
  cached pages go at once. The version is shared by every process through the cache, which is why
  production needs a shared cache (file or database), not one per process.
"""

import hashlib
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.utils import translation
from wagtail.models import Page, Site

from wall.signals import wall_pages_published

VERSION_KEY = "pagecache:version"


def cacheable(response):
    """Mark response as the same for every anonymous visitor, so it may be cached for them."""
    response.echowall_cacheable = True
    return response


def invalidate():
    """Drop every cached page, now and again when the current transaction commits.

    The second time closes the gap where a request read the old data before the commit and
    stored its page under the version set the first time.
    """
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)
    transaction.on_commit(lambda: cache.set(VERSION_KEY, uuid.uuid4().hex, None))


class PublicPageCacheMiddleware:
    """Serves a cached page right after the language is known, skipping the middleware below it.

    Those (CSRF, auth, messages, frame and content-security headers) have already done their work
    on the stored copy: its headers are kept.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _may_cache(request):
            return self.get_response(request)
        key = _key(request)
        cached = cache.get(key)
        if cached is not None:
            headers, content = cached
            response = HttpResponse(content)
            for name, value in headers:
                response[name] = value
            return response
        response = self.get_response(request)
        if _may_store(request, response):
            headers = [(name, value) for name, value in response.items() if name.lower() != "content-length"]
            cache.set(key, (headers, response.content), settings.ECHOWALL_PAGE_CACHE_SECONDS)
        return response


def _may_cache(request):
    return (
        settings.ECHOWALL_PAGE_CACHE_SECONDS > 0
        and request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def _may_store(request, response):
    return (
        getattr(response, "echowall_cacheable", False)
        and response.status_code == 200
        and not response.streaming
        and not request.user.is_authenticated
        # A nonce must differ on every answer: a page whose policy has one cannot be shared.
        and "'nonce-" not in response.get("Content-Security-Policy", "")
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")  # the page holds a token for this visitor
    )


def _key(request):
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.add(VERSION_KEY, version, None)
        version = cache.get(VERSION_KEY, version)
    where = f"{request.scheme}://{request.get_host()}{request.get_full_path()}|{translation.get_language()}"
    return f"pagecache:{version}:{hashlib.sha256(where.encode()).hexdigest()}"


# The wall's models whose change shows on public pages, by name: wall.models imports this module.
SHOWN_ON_PAGES = {"wall.WallPostReply", "wall.OfficeSettings", "cases.Kind", "cases.Category", "cases.Unit"}


def _on_change(sender, instance, **kwargs):
    if isinstance(instance, (Page, Site)) or instance._meta.label in SHOWN_ON_PAGES:
        invalidate()
    elif instance._meta.label == "cases.Post" and instance.page_id:
        invalidate()  # the page follows, but a post that has one is never a new, unseen submission


def _on_bulk_publish(sender, pages, **kwargs):
    invalidate()


def connect_signals():
    post_save.connect(_on_change, dispatch_uid="pagecache-save")
    post_delete.connect(_on_change, dispatch_uid="pagecache-delete")
    wall_pages_published.connect(_on_bulk_publish, dispatch_uid="pagecache-bulk")

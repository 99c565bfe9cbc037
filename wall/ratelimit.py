"""Fixed-window rate limits on writes from strangers, counted in Django's cache (Redis in
production, so every web process shares the count): the web forms' here, the API's in api.ratelimit."""

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone


def client_ip(request):
    """The caller's address. Behind a proxy set ECHOWALL_CLIENT_IP_HEADER to the header it sets."""
    header = settings.ECHOWALL_CLIENT_IP_HEADER
    if header and request.META.get(header):
        return request.META[header].split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


def allow(bucket, limit, window):
    """Count one write in bucket; False if it is over limit writes in the current window (seconds)."""
    slot = int(timezone.now().timestamp()) // window
    key = f"rate:{bucket}:{slot}"
    cache.add(key, 0, timeout=window + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window + 5)
        count = 1
    return count <= limit


def allow_web_write(request, kind):
    """Count one post (kind "post") or one tracking-page action (kind "action") from the caller's IP."""
    limit = settings.ECHOWALL_WEB_POSTS_PER_IP if kind == "post" else settings.ECHOWALL_WEB_ACTIONS_PER_IP
    return allow(f"web-{kind}:ip:{client_ip(request)}", limit, settings.ECHOWALL_WEB_RATE_WINDOW)

"""Fixed-window rate limits on API writes, counted in Django's cache (Redis in production, so
every web process shares the count)."""

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone


class RateLimited(Exception):
    """Over the write limit; the API answers 429."""


def client_ip(request):
    """The caller's address. Behind a proxy set ECHOWALL_CLIENT_IP_HEADER to the header it sets."""
    header = settings.ECHOWALL_CLIENT_IP_HEADER
    if header and request.META.get(header):
        return request.META[header].split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


def allow(bucket, limit, window):
    """Count one write in bucket; False if it is over limit writes in the current window (seconds)."""
    slot = int(timezone.now().timestamp()) // window
    key = f"api-rate:{bucket}:{slot}"
    cache.add(key, 0, timeout=window + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window + 5)
        count = 1
    return count <= limit


def allow_write(request, client=None):
    """A write from an API client counts against the client; any other against the caller's IP.

    A client (the campus OA, a WeCom app) relays many people from one address, so its budget is its own.
    """
    window = settings.ECHOWALL_API_RATE_WINDOW
    if client is not None:
        return allow(f"client:{client.pk}", settings.ECHOWALL_API_WRITES_PER_CLIENT, window)
    return allow(f"ip:{client_ip(request)}", settings.ECHOWALL_API_WRITES_PER_IP, window)


def check_write(request, client=None):
    if not allow_write(request, client):
        raise RateLimited

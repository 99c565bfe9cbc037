"""The API's write limits: per client key, else per caller's IP (counted by accounts.ratelimit)."""

from django.conf import settings

from accounts.ratelimit import allow, client_ip


class RateLimited(Exception):
    """Over the write limit; the API answers 429."""


def allow_write(request, client=None):
    """A write from an API client counts against the client; any other against the caller's IP.

    A client (the campus OA, a WeCom app) relays many people from one address, so its budget is its own.
    """
    window = settings.ECHOWALL_API_RATE_WINDOW
    if client is not None:
        return allow(f"api-client:{client.pk}", settings.ECHOWALL_API_WRITES_PER_CLIENT, window)
    return allow(f"api-ip:{client_ip(request)}", settings.ECHOWALL_API_WRITES_PER_IP, window)


def check_write(request, client=None):
    if not allow_write(request, client):
        raise RateLimited

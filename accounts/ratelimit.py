"""Fixed-window limits on what strangers may do: posts, tracking-page actions, tracking-code
look-ups and staff log-in failures (here), the API's writes (api.ratelimit).

Each bucket's count for a window is one RateCounter row, raised by a single INSERT … ON CONFLICT
statement: exact however many web processes or machines count at once (a cache's get-then-set is
not), and never culled as cache entries are. sla_tick deletes the expired rows. With Redis (REDIS_URL)
the count is a Redis key instead, raised by INCR (as exact) and expiring with its window: no row is
written for each post.
"""

from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from accounts.models import RateCounter


def client_ip(request):
    """The caller's address: REMOTE_ADDR, or behind proxies the address the outermost trusted one saw.

    Set ECHOWALL_CLIENT_IP_HEADER to the header the proxy sets (HTTP_X_REAL_IP, HTTP_X_FORWARDED_FOR)
    and ECHOWALL_TRUSTED_PROXIES to how many proxies stand in front of the site. Each proxy appends
    the address it was called from to X-Forwarded-For, so the trustworthy one is that many places from
    the right; whatever stands left of it, the client wrote itself.
    """
    header = settings.ECHOWALL_CLIENT_IP_HEADER
    addresses = [part.strip() for part in request.META.get(header, "").split(",") if part.strip()] if header else []
    if not addresses:
        return request.META.get("REMOTE_ADDR", "")
    return addresses[-min(settings.ECHOWALL_TRUSTED_PROXIES, len(addresses))]


def hit(bucket, window):
    """Count one in bucket's current window (seconds); return the window's count, this one included."""
    slot = int(timezone.now().timestamp()) // window
    if settings.REDIS_URL:
        key = f"rate:{bucket}:{slot}"
        cache.add(key, 0, timeout=window)
        return cache.incr(key)
    expires_at = datetime.fromtimestamp((slot + 1) * window, tz=UTC)
    quote = connection.ops.quote_name
    table, key, count, expires = map(quote, (RateCounter._meta.db_table, "key", "count", "expires_at"))
    # Names from our own model, values as parameters. One statement, so no two callers read the same count.
    sql = (
        f"INSERT INTO {table} ({key}, {count}, {expires}) VALUES (%s, 1, %s) "  # noqa: S608
        f"ON CONFLICT ({key}) DO UPDATE SET {count} = {table}.{count} + 1 RETURNING {count}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [f"{bucket}:{slot}", connection.ops.adapt_datetimefield_value(expires_at)])
        return cursor.fetchone()[0]


def seen(bucket, window):
    """The current window's count of bucket, without counting."""
    slot = int(timezone.now().timestamp()) // window
    if settings.REDIS_URL:
        return cache.get(f"rate:{bucket}:{slot}", 0)
    return RateCounter.objects.filter(key=f"{bucket}:{slot}").values_list("count", flat=True).first() or 0


def allow(bucket, limit, window):
    """Count one in bucket; False if that makes more than limit in the current window (seconds)."""
    return hit(bucket, window) <= limit


def remove_expired():
    return RateCounter.objects.filter(expires_at__lte=timezone.now()).delete()[0]


def allow_web_write(request, kind):
    """Count one post (kind "post") or one tracking-page action (kind "action") from the caller's IP."""
    limit = settings.ECHOWALL_WEB_POSTS_PER_IP if kind == "post" else settings.ECHOWALL_WEB_ACTIONS_PER_IP
    return allow(f"web-{kind}:ip:{client_ip(request)}", limit, settings.ECHOWALL_WEB_RATE_WINDOW)


def allow_tracking_lookup(request):
    """Count one look-up of a tracking code: codes are short, so guessing them must be slow."""
    ip = client_ip(request)
    return allow(f"track-lookup:ip:{ip}", settings.ECHOWALL_TRACK_LOOKUPS_PER_IP, settings.ECHOWALL_WEB_RATE_WINDOW)


def _login_buckets(request, username):
    return [
        (f"login-fail:user:{username.strip().lower()}", settings.ECHOWALL_LOGIN_FAILURES_PER_ACCOUNT),
        (f"login-fail:ip:{client_ip(request)}", settings.ECHOWALL_LOGIN_FAILURES_PER_IP),
    ]


def login_blocked(request, username):
    """True while the account or the caller's address has failed to log in too often."""
    window = settings.ECHOWALL_LOGIN_WINDOW
    return any(seen(bucket, window) >= limit for bucket, limit in _login_buckets(request, username))


def count_login_failure(request, username):
    for bucket, _limit in _login_buckets(request, username):
        hit(bucket, settings.ECHOWALL_LOGIN_WINDOW)

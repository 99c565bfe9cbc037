from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .env import env_bool, env_int, env_list, env_str

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Several gunicorn workers must share one cache: a page dropped in one worker must be gone in all.
ECHOWALL_CACHE = env_str("ECHOWALL_CACHE", "file")
if ECHOWALL_CACHE not in ("file", "database"):
    raise ImproperlyConfigured(f"ECHOWALL_CACHE must be file or database (a locmem per worker), not {ECHOWALL_CACHE!r}")
if not REDIS_URL:  # noqa: F405
    CACHES = {"default": {**ECHOWALL_CACHE_BACKENDS[ECHOWALL_CACHE], "OPTIONS": {"MAX_ENTRIES": 5000}}}  # noqa: F405

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

if env_str("EMAIL_HOST", ""):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env_str("EMAIL_HOST")
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    # Seconds an attempt waits on a mail server that stopped answering: without it a worker would
    # wait for ever and send nothing else.
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)

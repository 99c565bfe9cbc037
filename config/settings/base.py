import shutil
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .env import env_float, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("ECHOWALL_VAR_DIR", str(BASE_DIR / "var")))

INSTALLED_APPS = [
    "home",
    "cases",
    "wall",
    "stats",
    "notifications",
    "search",
    "api",
    "accounts",
    "django_cas_ng",
    "mozilla_django_oidc",
    "captcha",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.redirects",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "home.middleware.ChineseUnlessChosenMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "wall.uploads.UploadLimitMiddleware",
    "wall.pagecache.PublicPageCacheMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "wall.busy.BusyDatabaseMiddleware",
]

# The public pages load nothing from elsewhere and run no inline script: a stored script in a post
# could not run even if it slipped past escaping. Wagtail's admin and the API's docs page rely on
# inline scripts of their own and keep their own defences (staff only, escaping).
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/", "/api/v1/docs"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "accounts.context_processors.sso",
            ],
        },
    },
]

# SQLite in var/ by default; DATABASE_URL (e.g. postgres://...) selects another database.
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {"default": dj_database_url.config(default=f"sqlite:///{VAR_DIR / 'echowall.sqlite3'}", conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers carry on while a post is being written; the timeout turns a brief
        # lock into a short wait instead of an error (past it, wall.busy answers "try again").
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": env_float("ECHOWALL_SQLITE_TIMEOUT", 20.0),
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A row another request holds is waited for this long (milliseconds), then wall.busy answers
    # "try again" (503) instead of leaving the request hanging: the same promise as SQLite's timeout.
    lock_timeout = round(1000 * env_float("ECHOWALL_PG_LOCK_TIMEOUT", 20.0))
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = f"-c lock_timeout={lock_timeout}"

# The cache holds the public pages served to anonymous visitors and the statistics. ECHOWALL_CACHE
# picks where: "locmem" (this process only: right for one process), "file" (VAR_DIR/cache: shared by
# every process on this machine) or "database" (the table echowall_cache, made by `manage.py
# createcachetable`: shared by every machine). REDIS_URL (redis://host:6379/0) overrides it: the cache
# of several machines, which also holds the rate limits' counts and the sessions.
REDIS_URL = env_str("REDIS_URL", "")
ECHOWALL_CACHE = env_str("ECHOWALL_CACHE", "locmem")
ECHOWALL_CACHE_BACKENDS = {
    "locmem": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "file": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(VAR_DIR / "cache")},
    "database": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "echowall_cache"},
}
if ECHOWALL_CACHE not in ECHOWALL_CACHE_BACKENDS:
    raise ImproperlyConfigured(f"ECHOWALL_CACHE must be locmem, file or database, not {ECHOWALL_CACHE!r}.")
CACHES = {"default": {**ECHOWALL_CACHE_BACKENDS[ECHOWALL_CACHE], "OPTIONS": {"MAX_ENTRIES": 5000}}}
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    # Sessions in Redis, written through to the database: a restarted Redis logs nobody out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Seconds a public page stays cached for anonymous visitors (0: never cached). Any change to the wall
# drops every cached page at once; this bounds how old the home page's month figures can get.
ECHOWALL_PAGE_CACHE_SECONDS = env_int("ECHOWALL_PAGE_CACHE_SECONDS", 60)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
WAGTAILADMIN_USER_LOGIN_FORM = "accounts.forms.ThrottledAdminLoginForm"
LOGIN_REDIRECT_URL = "wall:my_posts"
LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns about a missing folder before collectstatic
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Photos and images in an S3-compatible object store (MinIO, a cloud's), shared by every machine, once
# a bucket is named. Objects are private: a post's photos are served only through /photos/<id>/, which
# asks the privacy gate first; editors' images by short-lived signed links.
ECHOWALL_MEDIA_BUCKET = env_str("ECHOWALL_MEDIA_BUCKET", "")
if ECHOWALL_MEDIA_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": ECHOWALL_MEDIA_BUCKET,
            "endpoint_url": env_str("ECHOWALL_MEDIA_ENDPOINT_URL", "") or None,  # empty: AWS itself
            "region_name": env_str("ECHOWALL_MEDIA_REGION", "") or None,
            "access_key": env_str("AWS_ACCESS_KEY_ID", "") or None,  # empty: the machine's own credentials
            "secret_key": env_str("AWS_SECRET_ACCESS_KEY", "") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 300,
            "file_overwrite": False,
        },
    }
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# Six photos of up to 10 MB each plus the form.
DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Background work (notifications, search indexing, the tick's task): "immediate" runs it inside the
# request that caused it (one machine, the demo, the tests); "database" stores it for `manage.py
# db_worker` processes, on any machine, so no request waits on a mail server or a webhook.
ECHOWALL_TASKS = env_str("ECHOWALL_TASKS", "immediate")
ECHOWALL_TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
if ECHOWALL_TASKS not in ECHOWALL_TASK_BACKENDS:
    raise ImproperlyConfigured(f"ECHOWALL_TASKS must be immediate or database, not {ECHOWALL_TASKS!r}.")
TASKS = {"default": {"BACKEND": ECHOWALL_TASK_BACKENDS[ECHOWALL_TASKS]}}

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "echowall@localhost")
# Posters may hear of replies by SMS once a gateway is set: an HTTP endpoint taking a JSON POST
# {"to": phone, "text": message} with "Authorization: Bearer <token>" and answering 2xx when it has
# accepted the message (a campus SMS platform, or a small adapter in front of a provider's API).
ECHOWALL_SMS_GATEWAY_URL = env_str("ECHOWALL_SMS_GATEWAY_URL", "")
ECHOWALL_SMS_GATEWAY_TOKEN = env_str("ECHOWALL_SMS_GATEWAY_TOKEN", "")
# The school's WeCom (企业微信) application, once set here: posters may log in through it (WeCom OAuth,
# at /accounts/wecom/login/; set the application's trusted domain to this site), and posters who signed
# on through the campus may hear by its messages, sent to their campus ID as WeCom user ID.
ECHOWALL_WECOM_API_URL = env_str("ECHOWALL_WECOM_API_URL", "https://qyapi.weixin.qq.com")
ECHOWALL_WECOM_CORP_ID = env_str("ECHOWALL_WECOM_CORP_ID", "")
ECHOWALL_WECOM_SECRET = env_str("ECHOWALL_WECOM_SECRET", "")
ECHOWALL_WECOM_AGENT_ID = env_str("ECHOWALL_WECOM_AGENT_ID", "")

WAGTAIL_SITE_NAME = _("Echo Wall")
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "pdf", "xlsx"]

# django-simple-captcha, made readable (#17.2): a larger picture of four characters nobody confuses,
# barely rotated; a new picture on request (its JSON refresh view, static/js/captcha.js); and spoken
# aloud by Debian's flite for those who cannot see it (the audio link shows only where flite is).
CAPTCHA_IMAGE_SIZE = (200, 64)
CAPTCHA_FONT_SIZE = 44
CAPTCHA_LETTER_ROTATION = (-10, 10)
CAPTCHA_LENGTH = 4
CAPTCHA_CHALLENGE_FUNCT = "wall.captcha.readable_challenge"
CAPTCHA_FLITE_PATH = env_str("ECHOWALL_FLITE_PATH", shutil.which("flite") or "") or None

ECHOWALL_MAX_PHOTOS = 6
ECHOWALL_MAX_PHOTO_BYTES = 10 * 1024 * 1024
ECHOWALL_MAX_PHOTO_PIXELS = 40_000_000
ECHOWALL_PHOTO_MAX_SIDE = 2560
# A request body past this is refused with 413 before it is read (wall.uploads), proxy or not.
ECHOWALL_MAX_REQUEST_BYTES = env_int(
    "ECHOWALL_MAX_REQUEST_BYTES", ECHOWALL_MAX_PHOTOS * ECHOWALL_MAX_PHOTO_BYTES + 1024 * 1024
)

# The wall's search: the embedded backend, or an Elasticsearch 8 cluster when ELASTICSEARCH_URL names
# one (credentials may go in the URL: https://user:password@host:9200). The embedded index is kept
# up to date all the same: it answers whenever the cluster cannot. After setting it, run
# `manage.py rebuild_search_index` once; until then search answers from the embedded index.
ELASTICSEARCH_URL = env_str("ELASTICSEARCH_URL", "")
ELASTICSEARCH_CA_CERTS = env_str("ELASTICSEARCH_CA_CERTS", "")  # a PEM file, for a cluster with its own CA
# The alias searches go through; each rebuild creates "<alias>-<timestamp>" and moves the alias to it.
ELASTICSEARCH_INDEX = env_str("ELASTICSEARCH_INDEX", "echowall-posts")
# Seconds per request: a visitor waits at most this long before the embedded backend answers.
ELASTICSEARCH_TIMEOUT = env_float("ELASTICSEARCH_TIMEOUT", 2.0)
if ELASTICSEARCH_TIMEOUT <= 0:
    raise ImproperlyConfigured(f"ELASTICSEARCH_TIMEOUT must be more than 0 seconds, not {ELASTICSEARCH_TIMEOUT}.")
if ELASTICSEARCH_INDEX != ELASTICSEARCH_INDEX.lower():
    raise ImproperlyConfigured(f"ELASTICSEARCH_INDEX must be lower case, not {ELASTICSEARCH_INDEX!r}.")
ECHOWALL_SEARCH_BACKEND = (
    "search.backends.elastic.ElasticsearchBackend" if ELASTICSEARCH_URL else "search.backends.embedded.EmbeddedBackend"
)

# API writes (/api/v1/, /open311/v2/) allowed per window of seconds: per client key, and per caller's IP
# for writes without one. Behind a proxy, name the header with the caller's address (e.g. HTTP_X_REAL_IP).
ECHOWALL_API_RATE_WINDOW = env_int("ECHOWALL_API_RATE_WINDOW", 3600)
ECHOWALL_API_WRITES_PER_CLIENT = env_int("ECHOWALL_API_WRITES_PER_CLIENT", 1000)
ECHOWALL_API_WRITES_PER_IP = env_int("ECHOWALL_API_WRITES_PER_IP", 30)
for _name in ("ECHOWALL_API_RATE_WINDOW", "ECHOWALL_API_WRITES_PER_CLIENT", "ECHOWALL_API_WRITES_PER_IP"):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} must be at least 1, not {globals()[_name]}.")
# Behind proxies: the header that carries the caller's address (HTTP_X_REAL_IP, HTTP_X_FORWARDED_FOR) and
# how many proxies stand in front of the site. In X-Forwarded-For the address the outermost trusted
# proxy saw is that many places from the right; what is left of it the client may have made up.
ECHOWALL_CLIENT_IP_HEADER = env_str("ECHOWALL_CLIENT_IP_HEADER", "")
ECHOWALL_TRUSTED_PROXIES = env_int("ECHOWALL_TRUSTED_PROXIES", 1)
# The web forms' limits per caller's IP and window of seconds: new posts, the tracking page's
# ratings, follow-ups and reopens, and look-ups of a tracking code. A campus NAT puts many people
# behind one address: keep them generous.
ECHOWALL_WEB_RATE_WINDOW = env_int("ECHOWALL_WEB_RATE_WINDOW", 3600)
ECHOWALL_WEB_POSTS_PER_IP = env_int("ECHOWALL_WEB_POSTS_PER_IP", 30)
ECHOWALL_WEB_ACTIONS_PER_IP = env_int("ECHOWALL_WEB_ACTIONS_PER_IP", 120)
ECHOWALL_TRACK_LOOKUPS_PER_IP = env_int("ECHOWALL_TRACK_LOOKUPS_PER_IP", 60)
# Failed staff log-ins allowed per account and per address in a window of seconds, then a wait.
ECHOWALL_LOGIN_WINDOW = env_int("ECHOWALL_LOGIN_WINDOW", 900)
ECHOWALL_LOGIN_FAILURES_PER_ACCOUNT = env_int("ECHOWALL_LOGIN_FAILURES_PER_ACCOUNT", 5)
ECHOWALL_LOGIN_FAILURES_PER_IP = env_int("ECHOWALL_LOGIN_FAILURES_PER_IP", 30)
for _name in (
    "ECHOWALL_TRUSTED_PROXIES",
    "ECHOWALL_WEB_RATE_WINDOW",
    "ECHOWALL_WEB_POSTS_PER_IP",
    "ECHOWALL_WEB_ACTIONS_PER_IP",
    "ECHOWALL_TRACK_LOOKUPS_PER_IP",
    "ECHOWALL_LOGIN_WINDOW",
    "ECHOWALL_LOGIN_FAILURES_PER_ACCOUNT",
    "ECHOWALL_LOGIN_FAILURES_PER_IP",
):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} must be at least 1, not {globals()[_name]}.")

# Campus single sign-on, each on only when its settings are set; local accounts always work.
# A campus ID becomes the user "<ECHOWALL_SSO_USERNAME_PREFIX><ID>" with the campus's name as first name.
ECHOWALL_SSO_USERNAME_PREFIX = env_str("ECHOWALL_SSO_USERNAME_PREFIX", "campus.")
if not ECHOWALL_SSO_USERNAME_PREFIX:
    raise ImproperlyConfigured("ECHOWALL_SSO_USERNAME_PREFIX may not be empty: campus IDs must not meet local users.")
# CAS (统一身份认证), e.g. CAS_SERVER_URL=https://cas.example.edu.cn/cas/; login at /accounts/cas/login/.
CAS_SERVER_URL = env_str("CAS_SERVER_URL", "")
CAS_VERSION = env_str("CAS_VERSION", "3")  # 3 returns attributes (the name) with the campus ID
if CAS_VERSION not in ("1", "2", "3", "CAS_2_SAML_1_0"):
    raise ImproperlyConfigured(f"CAS_VERSION must be 1, 2, 3 or CAS_2_SAML_1_0, not {CAS_VERSION!r}.")
ECHOWALL_CAS_NAME_ATTRIBUTE = env_str("ECHOWALL_CAS_NAME_ATTRIBUTE", "cn")
CAS_REDIRECT_URL = "/"
CAS_CREATE_USER = True
CAS_APPLY_ATTRIBUTES_TO_USER = False  # never: an attribute named is_superuser would be applied too
CAS_LOGIN_NEXT_PAGE = None
CAS_STORE_NEXT = True
CAS_IGNORE_REFERER = True  # else a visitor arriving from another site is sent back there after login
# OpenID Connect, on when OIDC_RP_CLIENT_ID is set; login at /accounts/oidc/login/, and register
# <site>/accounts/oidc/callback/ as the redirect URI with the provider.
OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = env_str("OIDC_RP_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = env_str("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = env_str("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = env_str("OIDC_RP_SCOPES", "openid profile")
OIDC_TIMEOUT = 5
ECHOWALL_OIDC_ID_CLAIM = env_str("ECHOWALL_OIDC_ID_CLAIM", "sub")  # e.g. student_id, if the provider has one
ECHOWALL_OIDC_NAME_CLAIM = env_str("ECHOWALL_OIDC_NAME_CLAIM", "name")
# Only the backends switched on: Django asks for a `backend` argument in some calls once there are several.
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend", "accounts.backends.CampusWeComBackend"]
if CAS_SERVER_URL:
    AUTHENTICATION_BACKENDS.append("accounts.backends.CampusCASBackend")
if OIDC_RP_CLIENT_ID:
    AUTHENTICATION_BACKENDS.append("accounts.backends.CampusOIDCBackend")
    _needed = ["OIDC_RP_CLIENT_SECRET", "OIDC_OP_AUTHORIZATION_ENDPOINT", "OIDC_OP_TOKEN_ENDPOINT"]
    _needed.append("OIDC_OP_USER_ENDPOINT")
    if OIDC_RP_SIGN_ALGO.startswith(("RS", "ES")):
        _needed.append("OIDC_OP_JWKS_ENDPOINT")
    _missing = [name for name in _needed if not globals()[name]]
    if _missing:
        raise ImproperlyConfigured(f"OIDC_RP_CLIENT_ID is set, so set {', '.join(_missing)} too.")

# Seconds the figures of a finished period stay cached; late events in it show after at most this.
STATS_CACHE_SECONDS = env_int("STATS_CACHE_SECONDS", 3600)
# Who `manage.py send_reports` mails the daily, monthly and yearly rankings to (comma-separated).
STATS_REPORT_RECIPIENTS = env_list("STATS_REPORT_RECIPIENTS")

from .base import *  # noqa: F403

SECRET_KEY = "test-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
CAPTCHA_TEST_MODE = True
# Tests choose their search backend themselves, whatever the environment says.
ELASTICSEARCH_URL = ""
ECHOWALL_SEARCH_BACKEND = "search.backends.embedded.EmbeddedBackend"

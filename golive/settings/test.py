"""Test settings: plain static storage (no collectstatic) and a fast password hasher."""

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["*"]
# Tests see every change at once; tests/dashboards turns the cache on where they test it.
DASHBOARD_CACHE_SECONDS = 0

# SQLite tests use a file, not the shared-cache in-memory database: in shared-cache mode a second writer
# fails at once with "database table is locked" instead of waiting its turn, so concurrency tests (threads
# signing off at the same instant) could not run. On a file, IMMEDIATE transactions queue as in production.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-golive.sqlite3")}  # noqa: F405

# Rate-limit counters live in the shared cache (Redis in CI): a fresh prefix per run, so counts from an earlier
# run on the same Redis database never leak into this one.
RATELIMIT_CACHE_PREFIX = f"rl-test-{__import__('uuid').uuid4().hex[:8]}:"

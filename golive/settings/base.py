"""Settings shared by every environment. Everything that varies comes from the environment."""

import datetime
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF

from .env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("GOLIVE_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(exist_ok=True)  # SQLite and the filesystem broker live here by default

SECRET_KEY = env_str("SECRET_KEY", "django-insecure-development-only-do-not-use-in-production")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "accounts.apps.VerifiedAdminConfig",  # django.contrib.admin, open only with a verified second factor
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "golive.core",
    "practices",
    "accounts",
    "checklists",
    "go_live",
    "reconnections",
    "dashboards",
    "reminders",
    "golive.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.NoStoreMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.SessionLimitsMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A write to a withdrawn migration answers with the migration page and the reason (golive/core/closed.py).
    "golive.core.closed.RecordClosedMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "golive.urls"
WSGI_APPLICATION = "golive.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "golive.core.context_processors.service",
                "golive.core.context_processors.navigation",
                "accounts.context_processors.session_timeout",
            ],
        },
    },
]

# No DATABASE_URL: a SQLite file in var/ (the embedded default). Otherwise PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'golive.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # PostgreSQL's JIT compiles the dashboard aggregates for ~80 ms to save ~5: a loss for short web queries.
    DATABASES["default"]["OPTIONS"] = {"options": "-c jit=off"}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Several processes (web, worker, beat) share the file: wait for locks rather than fail.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "practices.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Brute-force protection. Practices share NHS network egress, so lock the username from that address,
# never the address alone (one person must not lock out a whole practice), and unlock after a cool-off.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
# One counter per account however the address is typed ("Manager@…", " manager@… "): sign-in finds users
# case-insensitively, so axes must count against the account it would find (accounts/lockout.py).
AXES_USERNAME_CALLABLE = "accounts.lockout.axes_username"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# The real client address, through django-ipware. TRUSTED_PROXY_COUNT is the number of reverse proxies in
# front of Django that each append the address they received the request from to X-Forwarded-For (1 for one
# TLS-terminating load balancer; 0 when browsers connect to Django directly, as in development). Trust only
# what our own proxies wrote: the right-most TRUSTED_PROXY_COUNT entries. Anything a client put further left
# is ignored, so a forged X-Forwarded-For cannot buy a fresh failure counter.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)


def client_address_settings(trusted_proxy_count: int) -> tuple[tuple[str, ...], int | None]:
    """(AXES_IPWARE_META_PRECEDENCE_ORDER, AXES_IPWARE_PROXY_COUNT) for this many trusted proxies."""
    if trusted_proxy_count <= 0:
        # No proxy: every forwarding header is the client's own word. Read only the socket's address.
        return ("REMOTE_ADDR",), None
    # ipware counts the proxies *listed* after the client; the nearest proxy is REMOTE_ADDR and is not listed.
    return ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"), trusted_proxy_count - 1


AXES_IPWARE_META_PRECEDENCE_ORDER, AXES_IPWARE_PROXY_COUNT = client_address_settings(TRUSTED_PROXY_COUNT)
AXES_IPWARE_PROXY_ORDER = "left-most"
# Strict mode would drop a chain longer than expected (a client behind its own forwarding proxy, or a forged
# header) to REMOTE_ADDR, the load balancer's address, which every such client would then share. Not strict,
# ipware still picks the entry our proxies wrote.
IPWARE_STRICT = False

# Content Security Policy: no inline script except the one nonce'd line that marks js-enabled.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # ASVS 6.2.11: not mostly "nhs", "golive", the user's practice names and ODS codes (RELIABILITY.md §1.2).
    {"NAME": "accounts.password_validation.ContextWordsValidator"},
]

# Password reset requests, counted on the shared cache by django-ratelimit (decision 0013). Per client: the
# real address behind the trusted proxies, as sign-in counts it. Per address: whatever account it names.
PASSWORD_RESET_RATE_PER_CLIENT = env_str("PASSWORD_RESET_RATE_PER_CLIENT", "20/h")
PASSWORD_RESET_RATE_PER_ADDRESS = env_str("PASSWORD_RESET_RATE_PER_ADDRESS", "5/h")
RATELIMIT_IP_META_KEY = "axes.helpers.get_client_ip_address"

# Sessions (decision 0012; ASVS 7.3.1/7.3.2). Staff share NHS desktops: signed out after SESSION_IDLE_TIMEOUT_MINUTES
# without a request (warned SESSION_TIMEOUT_WARNING_SECONDS before, with "Stay signed in"), and after
# SESSION_ABSOLUTE_TIMEOUT_HOURS whatever the activity. accounts.middleware.SessionLimitsMiddleware enforces both;
# the stored session also expires at the absolute limit, and the cookie ends when the browser closes.
SESSION_IDLE_TIMEOUT_MINUTES = env_int("SESSION_IDLE_TIMEOUT_MINUTES", 30)
SESSION_ABSOLUTE_TIMEOUT_HOURS = env_int("SESSION_ABSOLUTE_TIMEOUT_HOURS", 12)
SESSION_TIMEOUT_WARNING_SECONDS = 120
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT_HOURS * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True

# Two-factor sign-in (django-otp, decision 0011). The issuer names GoLive in the user's authenticator app.
OTP_TOTP_ISSUER = "GoLive"

# Browser features no GoLive page uses, switched off for the page and anything it embeds.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
# nhsuk-frontend is served straight from node_modules (pinned in package.json), no copy and no CDN.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("nhsuk", BASE_DIR / "node_modules" / "nhsuk-frontend" / "dist" / "nhsuk"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Header navigation: URL name, link text, and an optional predicate(user) deciding who sees the link.
NAVIGATION = [
    ("home", "Migrations", None),
    ("reminders:my_tasks", "My tasks", None),
    ("dashboards:portfolio", "Dashboards", "dashboards.selectors.user_has_dashboards"),
]

CRISPY_ALLOWED_TEMPLATE_PACKS = ["nhsuk"]
CRISPY_TEMPLATE_PACK = "nhsuk"

MESSAGE_TAGS = {}

# Email: console unless an SMTP host is configured.
EMAIL_HOST = env_str("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 25)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Django's default of no timeout lets a hung SMTP server block a worker for ever.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 15)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "GoLive <golive@golive.example>")

# Celery: Redis when REDIS_URL is set, otherwise kombu's filesystem transport under var/.
REDIS_URL = env_str("REDIS_URL", "")
CELERY_FILESYSTEM_DIR = VAR_DIR / "celery"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": 3600,
        "socket_timeout": 5,
        "socket_connect_timeout": 5,
    }
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    # Sessions read from Redis and written through to the database (docs/decisions/0014): every web instance
    # shares them, a page view costs no session query, and a Redis restart signs nobody out. Signing out
    # deletes the session from both.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_FILESYSTEM_DIR / "queue"),
        "data_folder_out": str(CELERY_FILESYSTEM_DIR / "queue"),
        "processed_folder": str(CELERY_FILESYSTEM_DIR / "processed"),
        # The exchange tables, which kombu otherwise writes to ./control in the working directory.
        "control_folder": str(CELERY_FILESYSTEM_DIR / "control"),
        "store_processed": False,
    }
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_TIMEZONE = TIME_ZONE
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# Reminders (reminders/kinds.py holds the kinds and offsets). The beat sweep does nothing when switched off.
REMINDERS_ENABLED = env_bool("REMINDERS_ENABLED", True)
REMINDER_SEND_FROM_HOUR = env_int("REMINDER_SEND_FROM_HOUR", 7)  # Europe/London hour a day's reminders start
REMINDER_REQUEUE_AFTER_SECONDS = env_int("REMINDER_REQUEUE_AFTER_SECONDS", 600)  # queued but never picked up
REMINDER_SENDING_STALE_SECONDS = env_int("REMINDER_SENDING_STALE_SECONDS", 900)  # > task time limit: worker died
REMINDER_RETRY_BASE_SECONDS = env_int("REMINDER_RETRY_BASE_SECONDS", 30)
REMINDER_MAX_ATTEMPTS = env_int("REMINDER_MAX_ATTEMPTS", 10)
REMINDER_SEND_BATCH = env_int("REMINDER_SEND_BATCH", 20)  # reminders per send task the sweep queues

# Migrations: the read-only window length when nobody says otherwise (DOMAIN.md §1, older guide).
DEFAULT_READ_ONLY_WINDOW_DAYS = 45

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Dashboards: seconds a rendered portfolio is reused for the same scope and filters (0: never). The page says
# "Data as of" the time it was rendered.
DASHBOARD_CACHE_SECONDS = env_int("DASHBOARD_CACHE_SECONDS", 60)

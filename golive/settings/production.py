"""Production settings: every secret from the environment; `check --deploy` clean."""

from .base import *  # noqa: F403
from .env import env_int, env_list, env_str

DEBUG = False
SECRET_KEY = env_str("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# Required: too low and every user shares the load balancer's address (anyone can lock anyone out); too high
# and a forged X-Forwarded-For buys unlimited guesses (docs/deploy.md).
TRUSTED_PROXY_COUNT = int(env_str("TRUSTED_PROXY_COUNT"))
AXES_IPWARE_META_PRECEDENCE_ORDER, AXES_IPWARE_PROXY_COUNT = client_address_settings(TRUSTED_PROXY_COUNT)  # noqa: F405

SECURE_SSL_REDIRECT = True
# TLS ends at the load balancer, which overwrites this header (docs/deploy.md).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
X_FRAME_OPTIONS = "DENY"

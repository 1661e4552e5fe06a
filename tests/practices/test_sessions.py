"""Sessions: on Redis (read from the cache, written through to the database) when REDIS_URL is set, in the
database otherwise; either way, signing out ends the session everywhere (docs/decisions/0014)."""

import importlib

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client
from django.urls import reverse


def test_sessions_are_on_redis_exactly_when_redis_is_configured():
    if settings.REDIS_URL:
        assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"
        assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    else:
        assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"


@pytest.mark.parametrize("engine", ["db", "cached_db"])
def test_signing_out_ends_the_session_for_every_web_instance(world, settings, engine):
    settings.SESSION_ENGINE = f"django.contrib.sessions.backends.{engine}"
    store = importlib.import_module(settings.SESSION_ENGINE).SessionStore
    browser = Client()
    browser.post(reverse("login"), {"username": world.manager.email, "password": "a-long-test-password"})
    key = browser.cookies[settings.SESSION_COOKIE_NAME].value
    # Another instance: a second client carrying the same cookie, reading the shared session store.
    other_instance = Client()
    other_instance.cookies[settings.SESSION_COOKIE_NAME] = key
    assert other_instance.get(reverse("home")).status_code == 200

    assert browser.post(reverse("logout")).status_code == 302

    assert other_instance.get(reverse("home")).status_code == 302
    assert not store().exists(key)
    assert not Session.objects.filter(session_key=key).exists()
    if engine == "cached_db":
        assert cache.get(f"django.contrib.sessions.cached_db{key}") is None

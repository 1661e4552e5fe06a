import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _without_test_only_variables() -> dict:
    # The browser tests allow sync ORM calls beside Playwright's event loop; a deployment never does.
    return {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}


def test_production_settings_pass_check_deploy():
    env = _without_test_only_variables() | {
        "DJANGO_SETTINGS_MODULE": "golive.settings.production",
        "SECRET_KEY": "x7-" + "k9Pq2mZ#vL4tR8wY1nB6cF3hJ0sD5gA" * 2,
        "ALLOWED_HOSTS": "golive.example.nhs.uk",
        "TRUSTED_PROXY_COUNT": "1",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = {k: v for k, v in _without_test_only_variables().items() if k != "SECRET_KEY"} | {
        "DJANGO_SETTINGS_MODULE": "golive.settings.production"
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_settings_refuse_to_start_without_the_trusted_proxy_count():
    """Guessing it wrong either lets a forged X-Forwarded-For buy guesses or locks whole practices out."""
    env = {k: v for k, v in _without_test_only_variables().items() if k != "TRUSTED_PROXY_COUNT"} | {
        "DJANGO_SETTINGS_MODULE": "golive.settings.production",
        "SECRET_KEY": "x7-" + "k9Pq2mZ#vL4tR8wY1nB6cF3hJ0sD5gA" * 2,
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "TRUSTED_PROXY_COUNT" in result.stderr

"""Sign-in figures (not a test): lockout over address variants and forwarded clients, before and after issue 13,
and password-reset response times for existing and unknown addresses.

    python -m bench.sign_in [--runs 50]

Uses its own PostgreSQL database (golive_bench_sign_in; BENCH_SIGN_IN_DATABASE_URL overrides) and the Redis in
REDIS_URL (the reset request publishes its task there, as in production; nothing consumes it here). Requests go
through Django's test client, so every middleware runs but no network is involved. "Before" replays the old
settings (axes counting the address as typed, ipware not consulted); "after" is the code as it stands.
"""

import argparse
import os
import statistics
import time

DATABASE = os.environ.get("BENCH_SIGN_IN_DATABASE_URL", "postgres://root@127.0.0.1:5432/golive_bench_sign_in")
PASSWORD = "bench-sign-in-password"
VARIANTS = [
    "manager@bench.example",
    "Manager@bench.example",
    "MANAGER@BENCH.EXAMPLE",
    " manager@bench.example",
    "manager@bench.example ",
    "mAnAgEr@bench.example",
    "Manager@Bench.Example",
    "manager@BENCH.example",
]
LOAD_BALANCER = "10.20.0.2"


def ensure_database():
    import psycopg2

    server, name = DATABASE.rsplit("/", 1)
    admin = psycopg2.connect(f"{server}/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def setup_django():
    os.environ["DATABASE_URL"] = DATABASE
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "golive.settings.test")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def before_settings():
    """The settings as issue 13 found them: the typed address is the key, REMOTE_ADDR the client."""
    return {"AXES_USERNAME_CALLABLE": None, "AXES_IPWARE_META_PRECEDENCE_ORDER": ("REMOTE_ADDR",)}


def after_settings():
    from golive.settings.base import client_address_settings

    order, count = client_address_settings(1)
    return {"AXES_IPWARE_META_PRECEDENCE_ORDER": order, "AXES_IPWARE_PROXY_COUNT": count, "TRUSTED_PROXY_COUNT": 1}


def _reset_state():
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.core.cache import cache

    AccessAttempt.objects.all().delete()
    AccessFailureLog.objects.all().delete()
    AccessLog.objects.all().delete()
    cache.clear()


def _post_sign_in(client, username, password, client_address):
    from django.urls import reverse

    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=LOAD_BALANCER,
        HTTP_X_FORWARDED_FOR=client_address,
    )


def guesses_before_lockout(overrides: dict) -> dict:
    """An attacker at one client makes 4 wrong guesses with each of 8 variants (32 in all). Counts the guesses
    the site actually checked (not answered with the lockout page), and whether the real user, at another
    client behind the same load balancer, can then sign in."""
    from django.test import Client, override_settings

    with override_settings(**overrides):
        _reset_state()
        attacker, real = Client(), Client()
        checked = 0
        for variant in VARIANTS:
            for _ in range(4):
                if _post_sign_in(attacker, variant, "wrong guess", "203.0.113.66").status_code == 200:
                    checked += 1
        real_user = _post_sign_in(real, "manager@bench.example", PASSWORD, "198.51.100.7").status_code == 302
        # A success elsewhere must not reopen guessing for the attacker.
        after_success = sum(
            _post_sign_in(attacker, variant, "wrong guess", "203.0.113.66").status_code == 200 for variant in VARIANTS
        )
    return {"checked": checked, "real_user_signs_in": real_user, "checked_after_real_success": after_success}


def reset_timings(runs: int) -> dict:
    from django.test import Client, override_settings
    from django.urls import reverse

    client = Client()
    timings = {"existing": [], "unknown": []}
    with override_settings(PASSWORD_RESET_RATE_PER_CLIENT="100000/h", PASSWORD_RESET_RATE_PER_ADDRESS="100000/h"):
        _reset_state()
        for email in ("manager@bench.example", "nobody@bench.example") * 3:  # warm up
            client.post(reverse("password_reset"), {"email": email})
        for _ in range(runs):
            # Alternate, so drift in the machine's load falls on both equally.
            # Each kind repeats one address, so both take the same rate-limit path (an existing counter).
            for kind, email in (("existing", "manager@bench.example"), ("unknown", "nobody@bench.example")):
                started = time.perf_counter()
                response = client.post(reverse("password_reset"), {"email": email})
                timings[kind].append(time.perf_counter() - started)
                assert response.status_code == 302, response.status_code
    return {kind: statistics.median(values) * 1000 for kind, values in timings.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    ensure_database()
    setup_django()
    from practices.models import User

    User.objects.filter(email="manager@bench.example").delete()
    User.objects.create_user(email="manager@bench.example", password=PASSWORD)

    for label, overrides in (("before", before_settings()), ("after", after_settings())):
        result = guesses_before_lockout(overrides)
        print(
            f"lockout {label}: {result['checked']} of 32 wrong guesses over 8 variants checked; "
            f"real user at another client signs in: {result['real_user_signs_in']}; "
            f"guesses checked after the real user's success: {result['checked_after_real_success']} of 8"
        )
    medians = reset_timings(args.runs)
    print(
        f"password reset, median of {args.runs} each: existing account {medians['existing']:.1f} ms, "
        f"unknown address {medians['unknown']:.1f} ms"
    )


if __name__ == "__main__":
    main()

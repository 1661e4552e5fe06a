import re

from django.core import mail
from django.urls import reverse


def test_password_reset_emails_a_link_that_sets_a_new_password(client, world, django_capture_on_commit_callbacks):
    # The email is sent by a Celery task after commit; run it here as the worker would.
    from accounts import tasks

    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("password_reset"), {"email": world.staff.email})
    assert len(callbacks) == 1
    tasks.send_password_reset(world.staff.email, "testserver", False)
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/password-reset/[^/\s]+/[^/\s]+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-brand-new-passphrase", "new_password2": "a-brand-new-passphrase"},
    )
    assert done.status_code == 302
    signed_in = client.post(reverse("login"), {"username": world.staff.email, "password": "a-brand-new-passphrase"})
    assert signed_in.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_password_reset_does_not_reveal_unknown_addresses(client, world, django_capture_on_commit_callbacks):
    from accounts import tasks

    with django_capture_on_commit_callbacks():
        response = client.post(reverse("password_reset"), {"email": "nobody@nowhere.example"})
    assert response.status_code == 302
    tasks.send_password_reset("nobody@nowhere.example", "testserver", False)
    assert mail.outbox == []


def test_sign_out_is_post_only_and_ends_the_session(client_for, world):
    client = client_for(world.manager)
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_wrong_password_shows_a_generic_error(client, world):
    response = client.post(reverse("login"), {"username": world.manager.email, "password": "wrong"})
    assert response.status_code == 200
    assert "Enter a correct email address and password" in response.content.decode()


def test_five_wrong_passwords_pause_that_account_but_not_a_colleague_on_the_same_network(client, world):
    for _ in range(5):
        client.post(reverse("login"), {"username": world.manager.email, "password": "wrong"}, REMOTE_ADDR="10.0.0.1")
    locked = client.post(
        reverse("login"), {"username": world.manager.email, "password": "a-long-test-password"}, REMOTE_ADDR="10.0.0.1"
    )
    assert locked.status_code == 429
    assert "Sign in paused" in locked.content.decode()
    colleague = client.post(
        reverse("login"), {"username": world.staff.email, "password": "a-long-test-password"}, REMOTE_ADDR="10.0.0.1"
    )
    assert colleague.status_code == 302


def test_pages_send_a_strict_content_security_policy(client_for, world):
    response = client_for(world.manager).get(reverse("home"))
    policy = response["Content-Security-Policy"]
    assert "object-src 'none'" in policy
    assert "base-uri 'none'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "'unsafe-inline'" not in policy
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.content.decode()


def test_posts_without_a_csrf_token_are_refused(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.manager)
    step = world.migration.steps.first()
    response = client.post(
        reverse("checklists:step_tick", args=[world.migration.pk, step.pk]), {"status": "done", "version": 1}
    )
    assert response.status_code == 403
    step.refresh_from_db()
    assert step.status == "todo"

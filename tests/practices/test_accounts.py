import re

from django.core import mail
from django.urls import reverse


def test_password_reset_emails_a_link_that_sets_a_new_password(client, world):
    response = client.post(reverse("password_reset"), {"email": world.staff.email})
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
    assert client.login(username=world.staff.email, password="a-brand-new-passphrase")


def test_password_reset_does_not_reveal_unknown_addresses(client, world):
    response = client.post(reverse("password_reset"), {"email": "nobody@nowhere.example"})
    assert response.status_code == 302
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

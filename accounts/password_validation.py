"""A password validator for words anyone could guess about a GoLive user (OWASP ASVS 6.2.11, RELIABILITY.md §1.2)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

# Words tied to the service itself, for every user.
SERVICE_WORDS = ("nhs", "golive", "password")


def _letters_and_digits(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())


def context_words(user) -> set[str]:
    """ "nhs", "golive", and for a saved user: the words of their name and email address, and the names, ODS
    codes and ICBs of the practices and ICBs they belong to. Words shorter than 3 characters are left out."""
    words = set(SERVICE_WORDS)
    if user is None:
        return words
    texts = [getattr(user, "full_name", "") or "", getattr(user, "email", "") or ""]
    if getattr(user, "pk", None):
        for membership in user.memberships.select_related("practice__icb", "icb", "sub_icb_location"):
            places = (membership.practice, membership.icb, membership.sub_icb_location)
            for place in (*places, getattr(membership.practice, "icb", None)):
                if place is not None:
                    texts += [place.name, getattr(place, "ods_code", ""), getattr(place, "code", "")]
    for text in texts:
        words.update(word for word in re.split(r"[\W_]+", text.casefold()) if len(word) >= 3)
    return words


class ContextWordsValidator:
    """Refuses a password that is mostly context words: with every one of them taken out, fewer than
    `min_remaining` letters and digits are left ("golivegolive", "Riverside-A12345!", "nhs-nhs-nhs-2026")."""

    def __init__(self, min_remaining: int = 8):
        self.min_remaining = min_remaining

    def validate(self, password: str, user=None) -> None:
        remaining = _letters_and_digits(password)
        for word in sorted(context_words(user), key=len, reverse=True):
            remaining = remaining.replace(word, "")
        if len(remaining) < self.min_remaining:
            raise ValidationError(
                "Your password is too easy to guess: it is mostly words like NHS, GoLive, your name or your "
                "practice's name or ODS code. Add other words.",
                code="password_context_words",
            )

    def get_help_text(self) -> str:
        return "Your password cannot be mostly words like NHS, GoLive, your name or your practice's name or ODS code."

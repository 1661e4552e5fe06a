from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm

from golive.core.forms import BaseForm


class EmailAuthenticationForm(BaseForm, AuthenticationForm):
    """Sign in with an email address. Errors never say whether the account exists."""

    username = forms.EmailField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false", "autofocus": True}),
        error_messages={"required": "Enter your email address", "invalid": "Enter an email address like name@nhs.net"},
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )

    error_messages = {
        "invalid_login": "Enter a correct email address and password",
        "inactive": "This account has been switched off. Ask your practice manager.",
    }


class NHSPasswordResetForm(BaseForm, PasswordResetForm):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"required": "Enter your email address", "invalid": "Enter an email address like name@nhs.net"},
    )

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


# The national epraccur file is about 3 MB; anything much bigger is not one.
ODS_UPLOAD_MAX_MB = 10
ODS_UPLOAD_MAX_BYTES = ODS_UPLOAD_MAX_MB * 1024 * 1024
ODS_UPLOAD_TOO_BIG = f"Each file must be {ODS_UPLOAD_MAX_MB} MB or smaller"


def _within_upload_limit(upload):
    if upload is not None and upload.size > ODS_UPLOAD_MAX_BYTES:
        raise forms.ValidationError(ODS_UPLOAD_TOO_BIG)
    return upload


class OdsImportForm(forms.Form):
    """The admin site's upload of an epraccur file and an optional practice-to-supplier CSV."""

    epraccur = forms.FileField(
        label="epraccur file",
        help_text="The GP practice file exactly as ODS publishes it (CSV, no header row, 27 columns)",
        error_messages={"required": "Choose the epraccur file", "empty": "The epraccur file is empty"},
    )
    suppliers = forms.FileField(
        label="Practice suppliers (optional)",
        required=False,
        help_text="A CSV with the header ODSCode,Supplier: each practice's current clinical system supplier",
        error_messages={"empty": "The suppliers file is empty"},
    )

    def clean_epraccur(self):
        return _within_upload_limit(self.cleaned_data.get("epraccur"))

    def clean_suppliers(self):
        return _within_upload_limit(self.cleaned_data.get("suppliers"))

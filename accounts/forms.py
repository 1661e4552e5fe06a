from django import forms

from golive.core.forms import BaseForm


class AppCodeForm(BaseForm):
    """A 6-digit code from an authenticator app. Spaces are allowed ("123 456")."""

    code = forms.CharField(
        label="Security code",
        help_text="The 6-digit code shown in your authenticator app",
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "class": "nhsuk-input--width-10",
            }
        ),
        error_messages={"required": "Enter the security code from your authenticator app"},
    )

    def clean_code(self):
        digits = self.cleaned_data["code"].replace(" ", "")
        if not (digits.isascii() and digits.isdigit() and len(digits) == 6):
            raise forms.ValidationError("Enter the security code as 6 numbers, like 123456")
        return digits


class BackupCodeForm(BaseForm):
    code = forms.CharField(
        label="Backup code",
        help_text="One of the 8-character backup codes you saved when you set up two-factor sign-in",
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "spellcheck": "false", "class": "nhsuk-input--width-10"}
        ),
        error_messages={"required": "Enter a backup code"},
    )

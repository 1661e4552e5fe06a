from crispy_forms.layout import Layout
from django import forms

from golive.core.forms import BaseForm, Field, Size

from .kinds import Kind


class PreferencesForm(BaseForm):
    kinds = forms.MultipleChoiceField(
        label="Which reminders do you want by email?",
        help_text="Select all that apply. Emails never contain patient information.",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select reminders from the list"},
    )

    def __init__(self, *args, kinds: list[str], **kwargs):
        """`kinds`: the optional kinds to offer (only those the person can receive)."""
        super().__init__(*args, **kwargs)
        self.fields["kinds"].choices = [(kind, Kind(kind).label) for kind in kinds]
        self.helper.layout = Layout(Field.checkboxes("kinds", legend_size=Size.MEDIUM))

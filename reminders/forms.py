from crispy_forms.layout import Layout
from django import forms

from golive.core.forms import BaseForm, Field, Size

from .kinds import OPTIONAL_KINDS, Kind


class PreferencesForm(BaseForm):
    kinds = forms.MultipleChoiceField(
        label="Which reminders do you want by email?",
        help_text="Select all that apply. Emails never contain patient information.",
        choices=[(kind, Kind(kind).label) for kind in OPTIONAL_KINDS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select reminders from the list"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.checkboxes("kinds", legend_size=Size.MEDIUM))

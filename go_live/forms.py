"""Forms for the go-live day: data checks, sign-off, supplier confirmation, issues, process review."""

import datetime

from django import forms
from django.utils import timezone

from golive.core.forms import BaseForm, NHSDateField, text_field

from .models import GO_LIVE_STATEMENTS, CheckArea, CheckResult, CheckRound, IssueSeverity, IssueStatus, ReviewItem

NO_PATIENT_DATA = "Counts and supplier references only. Do not enter patient names, NHS numbers or other details."
SUPPLIER_REFERENCE_MAX = 100


def _supplier_reference_field(label="Supplier's reference", help_text="For example, the supplier's ticket number"):
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=SUPPLIER_REFERENCE_MAX,
        error_messages={"max_length": f"{label} must be {SUPPLIER_REFERENCE_MAX} characters or fewer"},
        widget=forms.TextInput(attrs={"class": "nhsuk-input--width-20"}),
    )


# The most a data check can count: well above any practice's records, and inside PostgreSQL's integer column.
COUNT_MAX = 10_000_000


def _count_field(label: str, help_text: str, what: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        help_text=help_text,
        min_value=0,
        max_value=COUNT_MAX,
        error_messages={
            "required": f"Enter how many {what}",
            "invalid": f"Enter how many {what} as a whole number, like 25",
            "min_value": f"{label} must be 0 or more",
            "max_value": f"{label} must be {COUNT_MAX:,} or fewer",
        },
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-5", "inputmode": "numeric"}),
    )


class NotInFutureMixin:
    @staticmethod
    def not_in_future(day: datetime.date | None, message: str):
        if day and day > timezone.localdate():
            raise forms.ValidationError(message)
        return day


class DataCheckForm(NotInFutureMixin, BaseForm):
    area = forms.ChoiceField(
        label="What was checked?",
        choices=CheckArea.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what was checked"},
    )
    round = forms.ChoiceField(
        label="Which round of checking?",
        choices=CheckRound.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the round of checking"},
    )
    result = forms.ChoiceField(
        label="Result",
        choices=CheckResult.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the result"},
    )
    records_checked = _count_field(
        "Records checked", "How many records, reports or codes were compared", "records were checked"
    )
    problems_found = _count_field("Problems found", "How many differences or errors were found", "problems were found")
    checked_on = NHSDateField(label="Date checked", help_text="For example, 27 11 2026")
    supplier_reference = _supplier_reference_field()
    note = text_field("Note", what="note", max_length=2000, help_text=NO_PATIENT_DATA)

    def clean_checked_on(self):
        return self.not_in_future(self.cleaned_data["checked_on"], "The date checked must be today or in the past")

    def clean(self):
        cleaned = super().clean()
        records, problems = cleaned.get("records_checked"), cleaned.get("problems_found")
        if records is not None and problems is not None and problems > records:
            self.add_error("problems_found", "Problems found must be the same as or fewer than records checked")
        return cleaned


class GoLiveSignOffForm(BaseForm):
    """Confirm the go-live statement. The hidden fields say which statement and which sign-off the user saw."""

    confirm = forms.BooleanField(
        label="I confirm the statement above",
        error_messages={"required": "Confirm the statement to sign off the go-live data"},
    )
    supersede_reason = text_field(
        "Why are you correcting the sign-off?",
        what="reason",
        max_length=1000,
        required="Enter why you are correcting the sign-off",
        help_text="The earlier sign-off stays in the history with this reason",
    )
    statement_version = forms.CharField(widget=forms.HiddenInput)
    current_sign_off = forms.IntegerField(widget=forms.HiddenInput, required=False)

    field_order = ["supersede_reason", "confirm", "statement_version", "current_sign_off"]

    def __init__(self, *args, correcting: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not correcting:
            del self.fields["supersede_reason"]

    def clean_statement_version(self):
        version = self.cleaned_data["statement_version"]
        if version not in GO_LIVE_STATEMENTS:
            raise forms.ValidationError("The statement has changed. Read it again and confirm it.")
        return version


class SupplierConfirmationForm(NotInFutureMixin, BaseForm):
    told_on = NHSDateField(label="Date the supplier was told", help_text="For example, 27 11 2026")
    contact = forms.CharField(
        label="Who at the supplier was told?",
        help_text="A name or role and team, for example, Migration project manager",
        max_length=200,
        error_messages={
            "required": "Enter who at the supplier was told",
            "max_length": "Who was told must be 200 characters or fewer",
        },
    )
    reference = _supplier_reference_field()

    def __init__(self, *args, signed_on: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.signed_on = signed_on

    def clean_told_on(self):
        told_on = self.not_in_future(
            self.cleaned_data["told_on"], "The date the supplier was told must be today or in the past"
        )
        if told_on and told_on < self.signed_on:
            raise forms.ValidationError("The date the supplier was told must be on or after the sign-off date")
        return told_on


class IssueForm(BaseForm):
    title = forms.CharField(
        label="Title",
        help_text="A short summary, for example, Allergies degraded to free text",
        max_length=200,
        error_messages={"required": "Enter a title", "max_length": "The title must be 200 characters or fewer"},
    )
    description = forms.CharField(
        label="Description",
        help_text=NO_PATIENT_DATA,
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "The description must be 4000 characters or fewer"},
    )
    severity = forms.ChoiceField(
        label="Severity",
        choices=IssueSeverity.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the severity"},
    )
    owner = forms.ModelChoiceField(
        label="Owner",
        queryset=None,
        required=False,
        empty_label="Nobody yet",
        error_messages={"invalid_choice": "Select a person at the practice"},
    )
    target_date = NHSDateField(label="Target date", required=False, help_text="When it should be fixed by, if agreed")
    supplier_reference = _supplier_reference_field()

    def __init__(self, *args, assignable, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = assignable


class IssueEditForm(IssueForm):
    status = forms.ChoiceField(
        label="Status",
        choices=IssueStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the status"},
    )
    resolution_note = text_field(
        "Resolution note",
        what="resolution note",
        max_length=2000,
        help_text="How it was fixed or why it is closed. " + NO_PATIENT_DATA,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == IssueStatus.RESOLVED and not cleaned.get("resolution_note", "").strip():
            self.add_error("resolution_note", "Enter how the issue was resolved")
        return cleaned


class IssueFilterForm(forms.Form):
    status = forms.ChoiceField(choices=[("", "All"), *IssueStatus.choices], required=False)
    severity = forms.ChoiceField(choices=[("", "All"), *IssueSeverity.choices], required=False)


class ProcessReviewForm(BaseForm):
    """One supplier reference per process-review item."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for item in ReviewItem:
            self.fields[item.value] = _supplier_reference_field(
                label=f"Supplier's reference for {item.label[:1].lower() + item.label[1:]}",
                help_text="",
            )

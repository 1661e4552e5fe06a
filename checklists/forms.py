import datetime

from django import forms
from django.utils import timezone

from golive.core.forms import BaseForm, NHSDateField
from practices.models import ServiceCategory, Supplier

from .models import (
    GO_LIVE_STATEMENTS,
    CheckArea,
    CheckResult,
    CheckRound,
    IssueSeverity,
    IssueStatus,
    LinkStatus,
    Migration,
    ReviewItem,
    StepStatus,
    WindowSource,
)

NO_PATIENT_DATA = "Counts and supplier references only. Do not enter patient names, NHS numbers or other details."
SUPPLIER_REFERENCE_MAX = 100


def _text_field(
    label: str, *, what: str, max_length: int, required: str = "", help_text: str = "", rows: int = 3
) -> forms.CharField:
    """A free-text answer. `what` names it in the length error ("The reason must be…"); `required` is the
    error when it is left empty, and leaving it out makes the answer optional."""
    error_messages = {"max_length": f"The {what} must be {max_length} characters or fewer"}
    if required:
        error_messages["required"] = required
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=bool(required),
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages=error_messages,
    )


class KeyDatesMixin(forms.Form):
    idp_date = NHSDateField(
        label="Initial data production (IDP) date",
        help_text="The day the old supplier's first extract is loaded into the test system. For example, 15 3 2027",
    )
    fdp_date = NHSDateField(
        label="Final data production (FDP) date",
        help_text="The day the final extract is taken and cutover starts",
    )
    go_live_date = NHSDateField(label="Go-live date", help_text="The day the new system becomes the practice's record")
    read_only_window_days = forms.IntegerField(
        label="Read-only window, in days",
        help_text="How long the old system stays read-only after go-live. 45 days is the guide's standard.",
        min_value=1,
        max_value=365,
        initial=45,
        error_messages={
            "required": "Enter the read-only window in days",
            "invalid": "Enter the read-only window as a whole number of days, like 45",
            "min_value": "The read-only window must be at least 1 day",
            "max_value": "The read-only window must be 365 days or fewer",
        },
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-3", "inputmode": "numeric"}),
    )
    read_only_window_source = forms.ChoiceField(
        label="Where does the window length come from?",
        choices=WindowSource.choices,
        initial=WindowSource.OLDER_GUIDE,
        widget=forms.RadioSelect,
        error_messages={"required": "Select where the window length comes from"},
    )

    def clean(self):
        cleaned = super().clean()
        idp, fdp, go_live = cleaned.get("idp_date"), cleaned.get("fdp_date"), cleaned.get("go_live_date")
        if idp and fdp and fdp < idp:
            self.add_error("fdp_date", "The FDP date must be the same as or after the IDP date")
        if fdp and go_live and go_live < fdp:
            self.add_error("go_live_date", "The go-live date must be the same as or after the FDP date")
        return cleaned


class MigrationCreateForm(BaseForm, KeyDatesMixin):
    practice = forms.ModelChoiceField(
        label="Practice",
        queryset=None,
        empty_label="Select a practice",
        error_messages={"required": "Select the practice", "invalid_choice": "Select a practice from the list"},
    )
    old_supplier = forms.ModelChoiceField(
        label="Old supplier",
        help_text="The clinical system supplier the practice is leaving",
        queryset=Supplier.objects.all(),
        empty_label="Select a supplier",
        error_messages={"required": "Select the old supplier", "invalid_choice": "Select a supplier from the list"},
    )
    new_supplier = forms.ModelChoiceField(
        label="New supplier",
        help_text="The clinical system supplier the practice is moving to",
        queryset=Supplier.objects.all(),
        empty_label="Select a supplier",
        error_messages={"required": "Select the new supplier", "invalid_choice": "Select a supplier from the list"},
    )

    field_order = [
        "practice",
        "old_supplier",
        "new_supplier",
        "idp_date",
        "fdp_date",
        "go_live_date",
        "read_only_window_days",
        "read_only_window_source",
    ]

    def __init__(self, *args, practices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["practice"].queryset = practices

    def clean(self):
        cleaned = super().clean()
        old, new = cleaned.get("old_supplier"), cleaned.get("new_supplier")
        if old and new and old == new:
            self.add_error("new_supplier", "The new supplier must be different from the old supplier")
        return cleaned


class KeyDatesForm(BaseForm, KeyDatesMixin):
    reason = _text_field(
        "Why are the dates changing?",
        what="reason",
        max_length=500,
        required="Enter why the dates are changing",
        help_text="This is kept in the migration's history",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    @classmethod
    def initial_for(cls, migration: Migration) -> dict:
        return {
            "idp_date": migration.idp_date,
            "fdp_date": migration.fdp_date,
            "go_live_date": migration.go_live_date,
            "read_only_window_days": migration.read_only_window_days,
            "read_only_window_source": migration.read_only_window_source,
            "version": migration.version,
        }


class StepForm(BaseForm):
    status = forms.ChoiceField(
        label="Status",
        choices=StepStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the step's status", "invalid_choice": "Select a status from the list"},
    )
    not_applicable_reason = _text_field("Why does this step not apply?", what="reason", max_length=1000, rows=2)
    assignee = forms.ModelChoiceField(
        label="Assigned to",
        queryset=None,
        required=False,
        empty_label="Nobody (the responsible role)",
        error_messages={"invalid_choice": "Select a person at the practice"},
    )
    note = _text_field(
        "Note",
        what="note",
        max_length=2000,
        help_text="Counts and supplier references only. Do not enter patient details.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, assignable, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = assignable

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == StepStatus.NOT_APPLICABLE and not cleaned.get("not_applicable_reason", "").strip():
            self.add_error("not_applicable_reason", "Enter why this step does not apply")
        return cleaned


class StepTickForm(forms.Form):
    """The one-button tick and untick on the checklist page."""

    status = forms.ChoiceField(choices=[(StepStatus.DONE, "Done"), (StepStatus.TODO, "To do")])
    version = forms.IntegerField(min_value=1)


class ChecklistFilterForm(forms.Form):
    show = forms.ChoiceField(
        choices=[("all", "All steps"), ("this_phase", "This phase"), ("mine", "My steps"), ("overdue", "Overdue")],
        required=False,
    )
    phase = forms.ChoiceField(required=False)

    def __init__(self, *args, phases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phase"].choices = [("", "All phases"), *phases]


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
    note = _text_field("Note", what="note", max_length=2000, help_text=NO_PATIENT_DATA)

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
    supersede_reason = _text_field(
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
    resolution_note = _text_field(
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


# Third-party links.

NO_PATIENT_DATA = "Counts and supplier references only. Do not enter patient details."


class LinkSetupForm(BaseForm):
    """Tick the services the practice uses: one group of checkboxes per category."""

    def __init__(self, *args, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.services = {str(service.pk): service for service in services}
        by_category: dict[str, list] = {}
        for service in services:
            by_category.setdefault(service.category, []).append(service)
        for category, members in by_category.items():
            field = forms.MultipleChoiceField(
                label=ServiceCategory(category).label,
                choices=[(str(service.pk), service.name) for service in members],
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
            # Added after NHSFormMixin set its messages, so set this one here.
            field.error_messages["invalid_choice"] = "Select services from the list"
            self.fields[f"services_{category}"] = field

    def clean(self):
        cleaned = super().clean()
        chosen = [self.services[pk] for name, value in cleaned.items() if name.startswith("services_") for pk in value]
        if self.fields and not chosen and not self.errors:
            self.add_error(next(iter(self.fields)), "Select the services the practice uses")
        cleaned["services"] = chosen
        return cleaned


class LinkMoveForm(BaseForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class LinkToldForm(LinkMoveForm):
    told_on = NHSDateField(label="Date the supplier was told", help_text="For example, 15 3 2027")


class LinkSwitchedOffForm(LinkMoveForm):
    switched_off_on = NHSDateField(label="Date it was switched off", help_text="For example, 15 3 2027")


class LinkReconnectionRequestedForm(LinkMoveForm):
    reconnection_requested_on = NHSDateField(
        label="Date reconnection was requested", help_text="For example, 15 3 2027"
    )
    reconnection_contact = forms.CharField(
        label="Who you asked (optional)",
        help_text="A support desk or a named contact at the company",
        required=False,
        max_length=200,
        error_messages={"max_length": "The contact must be 200 characters or fewer"},
    )
    reconnection_reference = forms.CharField(
        label="Call or ticket reference (optional)",
        help_text=NO_PATIENT_DATA,
        required=False,
        max_length=100,
        error_messages={"max_length": "The reference must be 100 characters or fewer"},
    )


class LinkReconnectedForm(LinkMoveForm):
    reconnected_on = NHSDateField(label="Date it was reconnected", help_text="For example, 15 3 2027")


class LinkVerifiedForm(LinkMoveForm):
    verified_on = NHSDateField(
        label="Date the practice checked it works", help_text="Your name is recorded as the person who checked it"
    )


class LinkNotNeededForm(LinkMoveForm):
    not_needed_reason = _text_field(
        "Why is this link not needed?",
        what="reason",
        max_length=1000,
        required="Enter why this link is not needed",
        help_text="For example, the practice stopped using the service",
    )


class LinkMoveBackForm(LinkMoveForm):
    reason = _text_field(
        "Why are you moving it back?",
        what="reason",
        max_length=500,
        required="Enter why you are moving this link back",
        help_text="This is kept in the migration's history",
    )


class LinkReconfigurationForm(LinkMoveForm):
    reconfiguration_needed = forms.BooleanField(label="It needs reconfiguring for the new system", required=False)
    reconfiguration_note = _text_field(
        "What needs doing (optional)", what="note", max_length=1000, help_text=NO_PATIENT_DATA
    )


# URL slug → (status it moves to, form, page heading, button).
LINK_MOVE_FORMS = {
    "tell": (LinkStatus.SUPPLIER_TOLD, LinkToldForm, "Record that the supplier was told", "Record supplier told"),
    "switch-off": (LinkStatus.SWITCHED_OFF, LinkSwitchedOffForm, "Record the switch-off", "Record switch-off"),
    "request-reconnection": (
        LinkStatus.RECONNECTION_REQUESTED,
        LinkReconnectionRequestedForm,
        "Record the reconnection request",
        "Record reconnection request",
    ),
    "reconnect": (LinkStatus.RECONNECTED, LinkReconnectedForm, "Record the reconnection", "Record reconnection"),
    "verify": (LinkStatus.VERIFIED, LinkVerifiedForm, "Record that it works", "Record checked working"),
    "not-needed": (LinkStatus.NOT_NEEDED, LinkNotNeededForm, "Mark as not needed", "Mark not needed"),
}
MOVE_SLUG_FOR = {status: slug for slug, (status, *_rest) in LINK_MOVE_FORMS.items()}


class LocalServiceForm(BaseForm):
    name = forms.CharField(
        label="Service name",
        max_length=100,
        error_messages={
            "required": "Enter the service name",
            "max_length": "The service name must be 100 characters or fewer",
        },
    )
    category = forms.ChoiceField(
        label="What kind of service is it?",
        choices=ServiceCategory.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what kind of service it is", "invalid_choice": "Select a kind of service"},
    )
    company = forms.CharField(
        label="Company (optional)",
        required=False,
        max_length=100,
        error_messages={"max_length": "The company must be 100 characters or fewer"},
    )
    support_contact = forms.CharField(
        label="Support contact (optional)",
        help_text="A support desk phone number or email address",
        required=False,
        max_length=200,
        error_messages={"max_length": "The support contact must be 200 characters or fewer"},
    )
    notice_working_days = forms.IntegerField(
        label="Notice it needs before switch-off, in working days",
        initial=5,
        min_value=0,
        max_value=60,
        error_messages={
            "required": "Enter the notice it needs in working days",
            "invalid": "Enter the notice as a whole number of working days, like 5",
            "min_value": "The notice must be 0 working days or more",
            "max_value": "The notice must be 60 working days or fewer",
        },
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-3", "inputmode": "numeric"}),
    )
    notes = _text_field("Notes (optional)", what="notes", max_length=1000, help_text=NO_PATIENT_DATA)


class MeshChangeForm(BaseForm):
    old_mailbox = forms.CharField(
        label="Old MESH mailbox ID",
        help_text="For example, A12345OT001",
        max_length=100,
        error_messages={
            "required": "Enter the old MESH mailbox ID",
            "max_length": "The mailbox ID must be 100 characters or fewer",
        },
    )
    new_mailbox = forms.CharField(
        label="New MESH mailbox ID",
        help_text="Leave blank until the new supplier gives it to you",
        required=False,
        max_length=100,
        error_messages={"max_length": "The mailbox ID must be 100 characters or fewer"},
    )


class MeshPartnerForm(BaseForm):
    partner_name = forms.CharField(
        label="Partner service to tell",
        help_text="For example, PCSE or the local hospital trust",
        max_length=150,
        error_messages={
            "required": "Enter the partner service's name",
            "max_length": "The name must be 150 characters or fewer",
        },
    )


class MeshPartnerToldForm(forms.Form):
    """The tick and untick button next to each partner."""

    told = forms.TypedChoiceField(choices=[("yes", "yes"), ("no", "no")], coerce=lambda value: value == "yes")


class CutoverRegistrationsForm(BaseForm):
    waiting = forms.IntegerField(
        label="Patients still waiting to register",
        help_text="Patients who asked to join while registrations were paused for cutover. A count only.",
        min_value=0,
        max_value=100000,
        error_messages={
            "required": "Enter how many patients are waiting, or 0",
            "invalid": "Enter how many patients are waiting as a whole number, like 12",
            "min_value": "The number waiting must be 0 or more",
            "max_value": "The number waiting must be 100,000 or fewer",
        },
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-5", "inputmode": "numeric"}),
    )
    registered = forms.IntegerField(
        label="Patients registered since go-live",
        min_value=0,
        max_value=100000,
        error_messages={
            "required": "Enter how many patients have been registered, or 0",
            "invalid": "Enter how many patients have been registered as a whole number, like 12",
            "min_value": "The number registered must be 0 or more",
            "max_value": "The number registered must be 100,000 or fewer",
        },
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-5", "inputmode": "numeric"}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

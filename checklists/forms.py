from django import forms

from golive.core.forms import BaseForm, NHSDateField
from practices.models import ServiceCategory, Supplier

from .models import LinkStatus, Migration, StepStatus, WindowSource


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
    reason = forms.CharField(
        label="Why are the dates changing?",
        help_text="This is kept in the migration's history",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter why the dates are changing",
            "max_length": "The reason must be 500 characters or fewer",
        },
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
    not_applicable_reason = forms.CharField(
        label="Why does this step not apply?",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": "The reason must be 1000 characters or fewer"},
    )
    assignee = forms.ModelChoiceField(
        label="Assigned to",
        queryset=None,
        required=False,
        empty_label="Nobody (the responsible role)",
        error_messages={"invalid_choice": "Select a person at the practice"},
    )
    note = forms.CharField(
        label="Note",
        help_text="Counts and supplier references only. Do not enter patient details.",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "The note must be 2000 characters or fewer"},
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
    not_needed_reason = forms.CharField(
        label="Why is this link not needed?",
        help_text="For example, the practice stopped using the service",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter why this link is not needed",
            "max_length": "The reason must be 1000 characters or fewer",
        },
    )


class LinkMoveBackForm(LinkMoveForm):
    reason = forms.CharField(
        label="Why are you moving it back?",
        help_text="This is kept in the migration's history",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter why you are moving this link back",
            "max_length": "The reason must be 500 characters or fewer",
        },
    )


class LinkReconfigurationForm(LinkMoveForm):
    reconfiguration_needed = forms.BooleanField(label="It needs reconfiguring for the new system", required=False)
    reconfiguration_note = forms.CharField(
        label="What needs doing (optional)",
        help_text=NO_PATIENT_DATA,
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "The note must be 1000 characters or fewer"},
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
    notes = forms.CharField(
        label="Notes (optional)",
        help_text=NO_PATIENT_DATA,
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "The notes must be 1000 characters or fewer"},
    )


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

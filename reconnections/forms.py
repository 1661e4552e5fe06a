"""Forms for third-party reconnections: set-up, one short form per move, MESH change, registrations."""

from django import forms

from golive.core.forms import BaseForm, NHSDateField, text_field

from .models import LinkStatus, ServiceCategory

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
    not_needed_reason = text_field(
        "Why is this link not needed?",
        what="reason",
        max_length=1000,
        required="Enter why this link is not needed",
        help_text="For example, the practice stopped using the service",
    )


class LinkMoveBackForm(LinkMoveForm):
    reason = text_field(
        "Why are you moving it back?",
        what="reason",
        max_length=500,
        required="Enter why you are moving this link back",
        help_text="This is kept in the migration's history",
    )


class LinkReconfigurationForm(LinkMoveForm):
    reconfiguration_needed = forms.BooleanField(label="It needs reconfiguring for the new system", required=False)
    reconfiguration_note = text_field(
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
    notes = text_field("Notes (optional)", what="notes", max_length=1000, help_text=NO_PATIENT_DATA)


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

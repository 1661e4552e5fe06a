"""Forms for migrations and their checklist: create, key dates, steps, filters."""

from django import forms
from django.template.defaultfilters import pluralize
from django.utils.formats import date_format

from golive.core.forms import BaseForm, NHSDateField, text_field
from practices.models import Supplier

from .models import Migration, Phase, StepStatus, WindowSource


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

    @staticmethod
    def initial_for(practice) -> dict:
        """Start from this practice, its current clinical system (from the ODS supplier import) as the old supplier.

        The hook for any page that knows the practice first (a practice search, a wave): pass its result as
        `initial`. None gives an empty form.
        """
        if practice is None:
            return {}
        return {"practice": practice.pk, "old_supplier": practice.current_supplier_id}

    def clean(self):
        cleaned = super().clean()
        old, new = cleaned.get("old_supplier"), cleaned.get("new_supplier")
        if old and new and old == new:
            self.add_error("new_supplier", "The new supplier must be different from the old supplier")
        return cleaned


class KeyDatesForm(BaseForm, KeyDatesMixin):
    reason = text_field(
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
    not_applicable_reason = text_field("Why does this step not apply?", what="reason", max_length=1000, rows=2)
    assignee = forms.ModelChoiceField(
        label="Assigned to",
        queryset=None,
        required=False,
        empty_label="Nobody (the responsible role)",
        error_messages={"invalid_choice": "Select a person at the practice"},
    )
    note = text_field(
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


class JoiningPartWayForm(BaseForm):
    """The create journey's second question, for a migration whose dates are already past: what the practice had
    done before it used GoLive, and whether it has gone live."""

    GONE_LIVE_CHOICES = [("yes", "Yes"), ("no", "No, not yet")]

    phases_done = forms.MultipleChoiceField(
        label="Which phases had the practice finished before it started using GoLive?",
        help_text="Their steps are recorded as done before GoLive, with nobody named as doing them. Steps in "
        "phases you leave unticked stay open, and those past their due date show as overdue.",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select phases from the list"},
    )
    gone_live = forms.ChoiceField(
        label="Has the practice gone live on the new system?",
        help_text="The go-live date you gave has passed. If go-live has moved, change the go-live date instead.",
        choices=GONE_LIVE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the practice has gone live"},
    )
    went_live_on = NHSDateField(
        label="Date the practice went live",
        help_text="Only if it has gone live. The old system's read-only window counts from this date.",
        required=False,
    )

    def __init__(self, *args, phases: list[tuple[str, int, int]], go_live_passed: bool, fdp_date, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.fdp_date, self.today = fdp_date, today
        self.fields["phases_done"].choices = [
            (phase, f"{Phase(phase).label} ({total} step{pluralize(total)}, {past} past their due date)")
            for phase, total, past in phases
        ]
        if not phases:
            del self.fields["phases_done"]
        if not go_live_passed:
            del self.fields["gone_live"]
            del self.fields["went_live_on"]

    def clean(self):
        cleaned = super().clean()
        if "gone_live" not in self.fields:
            return cleaned
        went_live_on = cleaned.get("went_live_on")
        if cleaned.get("gone_live") != "yes":
            cleaned["went_live_on"] = None  # an answer left in the date when "No" was chosen is not a go-live
        elif not went_live_on:
            if "went_live_on" not in self.errors:
                self.add_error("went_live_on", "Enter the date the practice went live")
        elif went_live_on > self.today:
            self.add_error("went_live_on", "The date the practice went live must be today or in the past")
        elif went_live_on < self.fdp_date:
            self.add_error(
                "went_live_on",
                f"The date the practice went live must be on or after FDP ({date_format(self.fdp_date, 'j F Y')})",
            )
        return cleaned


class WithdrawForm(BaseForm):
    reason = text_field(
        "Why is this migration being withdrawn?",
        what="reason",
        max_length=1000,
        required="Enter why the migration is being withdrawn",
        help_text="For example, it was created for the wrong practice, or the practice is no longer changing "
        "supplier. This is kept in the migration's history.",
    )

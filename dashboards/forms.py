import datetime

from django import forms
from django.utils.formats import date_format

from checklists.models import MigrationStage
from golive.core.forms import BaseForm

from . import rag
from .presenters import place_label
from .selectors import NO_PLACE, DashboardScope, PortfolioFilters, month_start

SEARCH_MAX_LENGTH = 100


def month_choices(today: datetime.date) -> list[tuple[str, str]]:
    """A year back to a year ahead, as ("2027-03", "March 2027")."""
    months = [month_start(today, offset) for offset in range(-12, 13)]
    return [("", "Any month")] + [(f"{m:%Y-%m}", date_format(m, "F Y")) for m in months]


class PortfolioFilterForm(BaseForm):
    """The portfolio's filters, read from the query string so filtered views can be bookmarked and shared."""

    icb = forms.ChoiceField(
        label="ICB",
        required=False,
        error_messages={"invalid_choice": "Select an ICB from the list"},
    )
    place = forms.ChoiceField(
        label="Sub-ICB location",
        required=False,
        error_messages={"invalid_choice": "Select a sub-ICB location from the list"},
    )
    q = forms.CharField(
        label="Practice name or ODS code",
        required=False,
        max_length=SEARCH_MAX_LENGTH,
        error_messages={"max_length": f"Practice name or ODS code must be {SEARCH_MAX_LENGTH} characters or fewer"},
    )
    stage = forms.ChoiceField(
        label="Stage",
        required=False,
        choices=[("", "Any stage"), *MigrationStage.choices],
        error_messages={"invalid_choice": "Select a stage from the list"},
    )
    rag = forms.ChoiceField(
        label="RAG status",
        required=False,
        choices=[("", "Any status"), *rag.RAG_LABELS.items()],
        error_messages={"invalid_choice": "Select a RAG status from the list"},
    )
    suppliers = forms.ChoiceField(
        label="Change of supplier",
        required=False,
        error_messages={"invalid_choice": "Select a change of supplier from the list"},
    )
    go_live_from = forms.ChoiceField(
        label="Go-live from",
        required=False,
        error_messages={"invalid_choice": "Select the first go-live month from the list"},
    )
    go_live_to = forms.ChoiceField(
        label="Go-live up to",
        required=False,
        error_messages={"invalid_choice": "Select the last go-live month from the list"},
    )

    def __init__(
        self, *args, today: datetime.date, pairs: list[dict], places: list[dict], scope: DashboardScope, **kwargs
    ):
        super().__init__(*args, **kwargs)
        if len(scope.icbs) > 1:
            everyone = "All ICBs in England" if scope.national else "All your ICBs"
            self.fields["icb"].choices = [("", everyone)] + [(str(icb.pk), icb.name) for icb in scope.icbs]
        else:
            del self.fields["icb"]  # one ICB: nothing to choose
        self.fields["place"].choices = [("", "Every sub-ICB location")] + [
            (
                str(row["practice__sub_icb_location_id"] or NO_PLACE),
                place_label(row["practice__sub_icb_location__code"], row["practice__sub_icb_location__name"]),
            )
            for row in places
        ]
        self.fields["suppliers"].choices = [("", "Any change of supplier")] + [
            (
                f"{pair['old_supplier_id']}-{pair['new_supplier_id']}",
                f"{pair['old_supplier__name']} to {pair['new_supplier__name']}",
            )
            for pair in pairs
        ]
        months = month_choices(today)
        self.fields["go_live_from"].choices = months
        self.fields["go_live_to"].choices = months

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("go_live_from"), cleaned.get("go_live_to")
        if start and end and end < start:
            self.add_error("go_live_to", "The last go-live month must be the same as or after the first")
        return cleaned

    def filters(self) -> PortfolioFilters:
        """The filters that were valid; a field with an error is left out rather than breaking the page."""
        if not self.is_bound:
            return PortfolioFilters()
        self.is_valid()
        data = {name: value for name, value in self.cleaned_data.items() if name not in self.errors}
        pair = data.get("suppliers")
        start, end = data.get("go_live_from"), data.get("go_live_to")
        return PortfolioFilters(
            stage=data.get("stage", ""),
            rag=data.get("rag", ""),
            supplier_pair=tuple(int(part) for part in pair.split("-")) if pair else None,
            go_live_from=_month(start),
            go_live_to=month_start(_month(end), 1) if end else None,
            search=data.get("q", "").strip(),
            place=data.get("place", ""),
        )


def _month(value: str | None) -> datetime.date | None:
    if not value:
        return None
    year, month = value.split("-")
    return datetime.date(int(year), int(month), 1)

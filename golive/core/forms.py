"""Form helpers for the project's crispy-forms template pack "nhsuk" (templates/nhsuk/).

Usage in a view template::

    {% load crispy_forms_tags nhsuk %}
    {% nhsuk_error_summary form %}
    <h1 class="nhsuk-heading-l">…</h1>
    <form method="post" novalidate>
      {% csrf_token %}
      {% crispy form %}
      <button class="nhsuk-button" type="submit">Save</button>
    </form>

Forms subclass `BaseForm` / `BaseModelForm`, which give every form an `NHSFormHelper`
(no `<form>` tag, no `required` attributes) and NHS-voice error messages. Dates use `NHSDateField`.
"""

from __future__ import annotations

import datetime
from typing import Any

from crispy_forms import layout
from crispy_forms.helper import FormHelper
from crispy_forms.utils import TEMPLATE_PACK
from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import pretty_name


class Size:
    """Text sizes for labels and legends: `nhsuk-label--{s,m,l,xl}` and `nhsuk-fieldset__legend--…`."""

    SMALL = "s"
    MEDIUM = "m"
    LARGE = "l"
    EXTRA_LARGE = "xl"

    @staticmethod
    def for_label(size: str | None) -> str:
        return f"nhsuk-label--{size}" if size else ""

    @staticmethod
    def for_legend(size: str | None) -> str:
        return f"nhsuk-fieldset__legend--{size}" if size else ""


class NHSFormHelper(FormHelper):
    """A FormHelper for the "nhsuk" pack.

    * `form_tag` is False: the page template writes `<form method="post" novalidate>` and the button.
    * Rendering turns off `form.use_required_attribute` (NHS forms validate on the server).
    * `label_size` / `legend_size` ("s", "m", "l", "xl", see `Size`) and `label_tag` / `legend_tag`
      (e.g. "h1" when the question is the page heading) apply to every field of the form.
    * `show_error_summary`: also render the error summary inside the form (off: put
      `{% nhsuk_error_summary form %}` above the `<h1>` instead).

    When built with a form and no explicit layout, the default layout (every field, in order) is
    worked out at render time, so fields added after the helper was created are still rendered.
    """

    form_tag = False
    template_pack = "nhsuk"

    def __init__(self, form: forms.BaseForm | None = None, **options: Any) -> None:
        self._form = form
        self._layout = None
        super().__init__()
        self.label_size: str | None = None
        self.legend_size: str | None = None
        self.label_tag: str | None = None
        self.legend_tag: str | None = None
        self.show_error_summary = False
        for name, value in options.items():
            setattr(self, name, value)

    @property
    def layout(self):
        if self._layout is None and self._form is not None:
            return self.build_default_layout(self._form)
        return self._layout

    @layout.setter
    def layout(self, value) -> None:
        self._layout = value

    def render_layout(self, form, context, template_pack=TEMPLATE_PACK):
        form.use_required_attribute = False
        if self._layout is None:
            self._form = form
        return super().render_layout(form, context, template_pack=template_pack)


class Field(layout.Field):
    """crispy `Field` with per-field NHS options, e.g. `Field.radios("status", legend_size=Size.MEDIUM)`.

    Options become template context for that field only: label_size, label_tag, legend_size,
    legend_tag, inline (radios/checkboxes), small (radios/checkboxes), width (input width 2–30).
    """

    def __init__(self, *fields: str, context: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*fields, **kwargs)
        self.context = context or {}

    def render(self, form, context, template_pack=TEMPLATE_PACK, extra_context=None, **kwargs):
        extra = dict(self.context)
        extra.update(extra_context or {})
        return super().render(form, context, template_pack=template_pack, extra_context=extra, **kwargs)

    @classmethod
    def text(cls, name: str, label_size: str | None = None, label_tag: str | None = None, width: int | None = None):
        return cls(name, context={"label_size": label_size, "label_tag": label_tag, "width": width})

    @classmethod
    def textarea(cls, name: str, label_size: str | None = None, label_tag: str | None = None, rows: int | None = None):
        attrs = {"rows": str(rows)} if rows else {}
        return cls(name, context={"label_size": label_size, "label_tag": label_tag}, **attrs)

    @classmethod
    def radios(
        cls,
        name: str,
        legend_size: str | None = None,
        legend_tag: str | None = None,
        inline: bool = False,
        small: bool = False,
    ):
        return cls(
            name,
            context={"legend_size": legend_size, "legend_tag": legend_tag, "inline": inline, "small": small},
        )

    @classmethod
    def checkboxes(cls, name: str, legend_size: str | None = None, legend_tag: str | None = None, small: bool = False):
        return cls(name, context={"legend_size": legend_size, "legend_tag": legend_tag, "small": small})

    @classmethod
    def date(cls, name: str, legend_size: str | None = None, legend_tag: str | None = None):
        return cls(name, context={"legend_size": legend_size, "legend_tag": legend_tag})


# NHS service manual voice: say what to do, not what went wrong.
NHS_ERROR_MESSAGES = {
    "required": "Enter %(label)s",
    "invalid": "Enter %(label)s in the correct format",
    "max_length": "%(Label)s must be %(limit_value)s characters or fewer",
    "min_length": "%(Label)s must be %(limit_value)s characters or more",
    "invalid_choice": "Select a valid option",
    "max_value": "%(Label)s must be %(limit_value)s or less",
    "min_value": "%(Label)s must be %(limit_value)s or more",
    # Every CharField refuses NUL (PostgreSQL cannot store it); Django says "Null characters are not allowed."
    "null_characters_not_allowed": "%(Label)s must not include hidden characters",
}
SELECT_REQUIRED = "Select %(label)s"
CHOICE_WIDGETS = (forms.RadioSelect, forms.CheckboxSelectMultiple, forms.Select, forms.CheckboxInput)


def _lower_first(text: str) -> str:
    """'Go-live date' -> 'go-live date', but 'ODS code' stays as it is."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


class NHSFormMixin:
    """Gives a form an `NHSFormHelper` and NHS-voice default error messages.

    Set `page_heading = True` on a single-question form to make its label or legend the `<h1>`
    (size l). Messages set explicitly on a field (`error_messages=`) are kept.
    """

    page_heading = False
    use_required_attribute = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if field.label is None:
                field.label = pretty_name(name)
            self._apply_nhs_messages(field)
        self.helper = NHSFormHelper(self)
        visible = [f for f in self.fields.values() if not f.widget.is_hidden]
        if self.page_heading and len(visible) == 1:
            self.helper.label_tag = self.helper.legend_tag = "h1"
            self.helper.label_size = self.helper.legend_size = Size.LARGE

    def _apply_nhs_messages(self, field: forms.Field) -> None:
        if isinstance(field, NHSDateField):
            return  # formats its own messages with its label when it cleans
        label = str(field.label).replace("%", "%%")
        values = {"label": _lower_first(label), "Label": label, "limit_value": "%(limit_value)s"}
        for code, template in NHS_ERROR_MESSAGES.items():
            if code not in field.error_messages or _is_django_default(field, code):
                if code == "required" and isinstance(field.widget, CHOICE_WIDGETS):
                    template = SELECT_REQUIRED
                field.error_messages[code] = template % values


def _is_django_default(field: forms.Field, code: str) -> bool:
    """True if the field's message for `code` is Django's class default (not set by the developer)."""
    for klass in type(field).__mro__:
        messages = getattr(klass, "default_error_messages", {})
        if code in messages:
            return str(field.error_messages.get(code)) == str(messages[code])
    return False


class BaseForm(NHSFormMixin, forms.Form):
    pass


class BaseModelForm(NHSFormMixin, forms.ModelForm):
    pass


class NHSDateWidget(forms.MultiWidget):
    """Three text inputs: `<name>_day`, `<name>_month`, `<name>_year` (ids `<id>_day` …).

    The "nhsuk" pack renders it with templates/nhsuk/widgets/date.html (the NHS date input).
    """

    PARTS = ("day", "month", "year")

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        inputs = {part: forms.TextInput(attrs={"inputmode": "numeric"}) for part in self.PARTS}
        super().__init__(inputs, attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class NHSDateField(forms.MultiValueField):
    """A date entered as day, month and year; `clean()` returns a `datetime.date` (or None).

    Errors follow the NHS date input pattern:
    "Enter <label>" (required), "<Label> must include a month" (a part missing, only that input
    is highlighted), "Enter the <label> as a real date" (not a date), "Year must include 4 numbers".
    The error summary links to the day input (`<id>_day`), or the first missing part.
    """

    widget = NHSDateWidget
    default_error_messages = {
        "required": "Enter %(label)s",
        "incomplete": "%(Label)s must include a %(parts)s",
        "invalid": "Enter the %(label)s as a real date",
        "year_length": "Year must include 4 numbers",
        "out_of_range": "%(Label)s must be between %(earliest)s and %(latest)s",
    }
    # Every GoLive date belongs to a migration of this century; other years are typing mistakes, and dates
    # worked out from them (a year's window after go-live) could pass what datetime.date can hold.
    EARLIEST_YEAR = 2000
    LATEST_YEAR = 2099

    def __init__(self, **kwargs: Any) -> None:
        fields = (forms.CharField(required=False), forms.CharField(required=False), forms.CharField(required=False))
        kwargs.setdefault("require_all_fields", False)
        super().__init__(fields=fields, **kwargs)

    def _label_values(self) -> dict[str, str]:
        label = str(self.label or "date")
        return {"label": _lower_first(label), "Label": label[:1].upper() + label[1:]}

    def clean(self, value: Any) -> datetime.date | None:
        if isinstance(value, datetime.date):
            parts = [str(value.day), str(value.month), str(value.year)]
        else:
            value = list(value or [None, None, None]) + [None, None, None]
            parts = ["" if v is None else str(v).strip() for v in value[:3]]
        values = self._label_values()
        if not any(parts):
            if self.required:
                raise ValidationError(
                    self.error_messages["required"], code="required", params={**values, "missing": []}
                )
            return None
        missing = [name for name, part in zip(NHSDateWidget.PARTS, parts, strict=True) if not part]
        if missing:
            raise ValidationError(
                self.error_messages["incomplete"],
                code="incomplete",
                params={**values, "parts": " and ".join(missing), "missing": missing},
            )
        day, month, year = parts
        if not all(part.isdigit() for part in parts):
            raise ValidationError(self.error_messages["invalid"], code="invalid", params={**values, "missing": []})
        if len(year) != 4:
            raise ValidationError(
                self.error_messages["year_length"], code="year_length", params={**values, "missing": ["year"]}
            )
        try:
            result = datetime.date(int(year), int(month), int(day))
        except (ValueError, OverflowError):  # OverflowError: a day or month too long for a C int, like 99999999999
            raise ValidationError(
                self.error_messages["invalid"], code="invalid", params={**values, "missing": []}
            ) from None
        if not self.EARLIEST_YEAR <= result.year <= self.LATEST_YEAR:
            raise ValidationError(
                self.error_messages["out_of_range"],
                code="out_of_range",
                params={**values, "earliest": self.EARLIEST_YEAR, "latest": self.LATEST_YEAR, "missing": ["year"]},
            )
        self.validate(result)
        self.run_validators(result)
        return result

    def validate(self, value: Any) -> None:
        # Required-ness is handled in clean(); MultiValueField.validate is a no-op anyway.
        pass

    def compress(self, data_list: list[Any]) -> datetime.date | None:  # pragma: no cover - clean() is overridden
        return None

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            return self.clean(data) != initial
        except ValidationError:
            return True


def text_field(
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

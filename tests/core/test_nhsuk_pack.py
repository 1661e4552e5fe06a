"""The crispy "nhsuk" pack: golden HTML per state, and parity with the official nhsuk-frontend macros.

Parity tests render the same field through the pack and through nhsuk-frontend-jinja with the
equivalent parameters and assert the HTML is equal, so upgrading the pinned packages fails here
if the NHS.UK markup moves away from ours.
"""

import datetime

import pytest
from crispy_forms.layout import Layout
from django import forms
from django.template import Context, Template
from django.template.loader import get_template
from pytest_django.asserts import assertHTMLEqual, assertInHTML

from golive.core.components import render_component
from golive.core.forms import BaseForm, Field, NHSDateField, NHSFormHelper, Size

COLOURS = [("red", "Red"), ("green", "Green")]


class ExampleForm(BaseForm):
    name = forms.CharField(label="Full name")
    reference = forms.CharField(label="Reference", help_text="For example, GL-123")
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)
    colour = forms.ChoiceField(label="Favourite colour", choices=COLOURS, widget=forms.RadioSelect)
    systems = forms.MultipleChoiceField(
        label="Systems", choices=[("emis", "EMIS"), ("tpp", "TPP")], widget=forms.CheckboxSelectMultiple, required=False
    )
    confirm = forms.BooleanField(label="I have checked the data")
    go_live = NHSDateField(label="Go-live date", help_text="For example, 15 3 2027")


def render_field(form, name, **context):
    """Render one field with the pack's field.html, as crispy does."""
    return get_template("nhsuk/field.html").render(
        {"field": form[name], "form_show_errors": True, "form_show_labels": True, **context}
    )


def bound(**data):
    form = ExampleForm(data=data)
    form.is_valid()
    return form


# Golden HTML -----------------------------------------------------------------------------------


def test_text_input_plain():
    assertHTMLEqual(
        render_field(ExampleForm(), "name"),
        """
        <div class="nhsuk-form-group">
          <label class="nhsuk-label" for="id_name">Full name</label>
          <input type="text" name="name" class="nhsuk-input" id="id_name">
        </div>
        """,
    )


def test_text_input_with_hint():
    assertHTMLEqual(
        render_field(ExampleForm(), "reference"),
        """
        <div class="nhsuk-form-group">
          <label class="nhsuk-label" for="id_reference">Reference</label>
          <div class="nhsuk-hint" id="id_reference-hint">For example, GL-123</div>
          <input type="text" name="reference" class="nhsuk-input" id="id_reference"
                 aria-describedby="id_reference-hint">
        </div>
        """,
    )


def test_text_input_with_error_and_value_escaped():
    form = bound(reference="<b>x</b>")
    assertHTMLEqual(
        render_field(form, "name"),
        """
        <div class="nhsuk-form-group nhsuk-form-group--error">
          <label class="nhsuk-label" for="id_name">Full name</label>
          <span class="nhsuk-error-message" id="id_name-error">
            <span class="nhsuk-u-visually-hidden">Error: </span>Enter full name
          </span>
          <input type="text" name="name" class="nhsuk-input nhsuk-input--error" id="id_name"
                 aria-describedby="id_name-error" aria-invalid="true">
        </div>
        """,
    )
    assert 'value="&lt;b&gt;x&lt;/b&gt;"' in render_field(form, "reference")


def test_label_as_page_heading_with_size():
    html = render_field(ExampleForm(), "name", label_tag="h1", label_size=Size.LARGE)
    assertInHTML(
        '<h1 class="nhsuk-label-wrapper">'
        '<label class="nhsuk-label nhsuk-label--l" for="id_name">Full name</label></h1>',
        html,
    )


def test_textarea():
    assertHTMLEqual(
        render_field(ExampleForm(), "notes"),
        """
        <div class="nhsuk-form-group">
          <label class="nhsuk-label" for="id_notes">Notes</label>
          <textarea name="notes" cols="40" rows="10" class="nhsuk-textarea" id="id_notes"></textarea>
        </div>
        """,
    )


def test_radios_with_legend_and_error():
    assertHTMLEqual(
        render_field(bound(), "colour", legend_size=Size.MEDIUM),
        """
        <div class="nhsuk-form-group nhsuk-form-group--error">
          <fieldset class="nhsuk-fieldset" aria-describedby="id_colour-error">
            <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--m">Favourite colour</legend>
            <span class="nhsuk-error-message" id="id_colour-error">
              <span class="nhsuk-u-visually-hidden">Error: </span>Select favourite colour
            </span>
            <div class="nhsuk-radios" data-module="nhsuk-radios">
              <div class="nhsuk-radios__item">
                <input class="nhsuk-radios__input" id="id_colour" name="colour" type="radio" value="red">
                <label class="nhsuk-label nhsuk-radios__label" for="id_colour">Red</label>
              </div>
              <div class="nhsuk-radios__item">
                <input class="nhsuk-radios__input" id="id_colour-2" name="colour" type="radio" value="green">
                <label class="nhsuk-label nhsuk-radios__label" for="id_colour-2">Green</label>
              </div>
            </div>
          </fieldset>
        </div>
        """,
    )


def test_single_checkbox():
    assertHTMLEqual(
        render_field(ExampleForm(initial={"confirm": True}), "confirm"),
        """
        <div class="nhsuk-form-group">
          <div class="nhsuk-checkboxes" data-module="nhsuk-checkboxes">
            <div class="nhsuk-checkboxes__item">
              <input class="nhsuk-checkboxes__input" id="id_confirm" name="confirm" type="checkbox"
                     value="true" checked>
              <label class="nhsuk-label nhsuk-checkboxes__label" for="id_confirm">I have checked the data</label>
            </div>
          </div>
        </div>
        """,
    )


def test_checkboxes_keep_ticked_values():
    html = render_field(bound(systems=["tpp"]), "systems")
    assertInHTML(
        '<input class="nhsuk-checkboxes__input" id="id_systems-2" name="systems" type="checkbox" value="tpp" checked>',
        html,
    )
    assertInHTML('<legend class="nhsuk-fieldset__legend">Systems</legend>', html)


def test_date_input_with_missing_month():
    form = bound(go_live_day="15", go_live_year="2027")
    assert form.errors["go_live"] == ["Go-live date must include a month"]
    assertHTMLEqual(
        render_field(form, "go_live"),
        """
        <div class="nhsuk-form-group nhsuk-form-group--error">
          <fieldset class="nhsuk-fieldset" role="group" aria-describedby="id_go_live-hint id_go_live-error">
            <legend class="nhsuk-fieldset__legend">Go-live date</legend>
            <div class="nhsuk-hint" id="id_go_live-hint">For example, 15 3 2027</div>
            <span class="nhsuk-error-message" id="id_go_live-error">
              <span class="nhsuk-u-visually-hidden">Error: </span>Go-live date must include a month
            </span>
            <div class="nhsuk-date-input" id="id_go_live">
              <div class="nhsuk-date-input__item"><div class="nhsuk-form-group">
                <label class="nhsuk-label nhsuk-date-input__label" for="id_go_live_day">Day</label>
                <input class="nhsuk-input nhsuk-input--width-2 nhsuk-date-input__input" id="id_go_live_day"
                       name="go_live_day" type="text" value="15" inputmode="numeric">
              </div></div>
              <div class="nhsuk-date-input__item"><div class="nhsuk-form-group">
                <label class="nhsuk-label nhsuk-date-input__label" for="id_go_live_month">Month</label>
                <input class="nhsuk-input nhsuk-input--width-2 nhsuk-date-input__input nhsuk-input--error"
                       id="id_go_live_month" name="go_live_month" type="text" inputmode="numeric">
              </div></div>
              <div class="nhsuk-date-input__item"><div class="nhsuk-form-group">
                <label class="nhsuk-label nhsuk-date-input__label" for="id_go_live_year">Year</label>
                <input class="nhsuk-input nhsuk-input--width-4 nhsuk-date-input__input" id="id_go_live_year"
                       name="go_live_year" type="text" value="2027" inputmode="numeric">
              </div></div>
            </div>
          </fieldset>
        </div>
        """,
    )


def test_hidden_field_renders_bare():
    class HiddenForm(BaseForm):
        token = forms.CharField(widget=forms.HiddenInput)

    assertHTMLEqual(render_field(HiddenForm(), "token"), '<input type="hidden" name="token" id="id_token">')


# The date field ---------------------------------------------------------------------------------


class DateForm(BaseForm):
    when = NHSDateField(label="Go-live date")
    optional = NHSDateField(label="Review date", required=False)


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({}, "Enter go-live date"),
        ({"when_month": "3", "when_year": "2027"}, "Go-live date must include a day"),
        ({"when_day": "1"}, "Go-live date must include a month and year"),
        ({"when_day": "31", "when_month": "2", "when_year": "2027"}, "Enter the go-live date as a real date"),
        ({"when_day": "a", "when_month": "2", "when_year": "2027"}, "Enter the go-live date as a real date"),
        ({"when_day": "1", "when_month": "2", "when_year": "27"}, "Year must include 4 numbers"),
        # Too big for datetime.date's C int: an error, not an OverflowError (a 500 on every form with a date).
        ({"when_day": "9" * 20, "when_month": "2", "when_year": "2027"}, "Enter the go-live date as a real date"),
        ({"when_day": "1", "when_month": "9" * 20, "when_year": "2027"}, "Enter the go-live date as a real date"),
        # Outside this century: a typing mistake, and a year's window after it could overflow datetime.date.
        ({"when_day": "1", "when_month": "1", "when_year": "0001"}, "Go-live date must be between 2000 and 2099"),
        ({"when_day": "31", "when_month": "12", "when_year": "9999"}, "Go-live date must be between 2000 and 2099"),
    ],
)
def test_date_field_errors(data, error):
    form = DateForm(data=data)
    assert not form.is_valid()
    assert form.errors["when"] == [error]


def test_date_field_cleans_to_date_and_optional_blank_is_none():
    form = DateForm(data={"when_day": " 1 ", "when_month": "03", "when_year": "2027"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"when": datetime.date(2027, 3, 1), "optional": None}


def test_date_field_shows_initial_date():
    html = render_field(DateForm(initial={"when": datetime.date(2027, 3, 1)}), "when")
    assert 'value="1"' in html
    assert 'value="3"' in html
    assert 'value="2027"' in html


# Whole forms: {% crispy %} and |crispy -----------------------------------------------------------


def test_crispy_tag_renders_without_form_tag_or_required_attributes():
    html = Template("{% load crispy_forms_tags %}{% crispy form %}").render(Context({"form": ExampleForm()}))
    assert "<form" not in html
    assert "required" not in html
    assert "csrfmiddlewaretoken" not in html
    assert html.count('class="nhsuk-form-group') >= 7


def test_crispy_filter_renders_the_pack():
    html = Template("{% load crispy_forms_tags %}{{ form|crispy }}").render(Context({"form": ExampleForm()}))
    assertInHTML('<label class="nhsuk-label" for="id_name">Full name</label>', html)


def test_layout_field_options_reach_the_template():
    form = ExampleForm()
    form.helper = NHSFormHelper(form)
    form.helper.layout = Layout(Field.radios("colour", legend_size=Size.LARGE, legend_tag="h1", inline=True))
    html = Template("{% load crispy_forms_tags %}{% crispy form %}").render(Context({"form": form}))
    assertInHTML(
        '<legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--l">'
        '<h1 class="nhsuk-fieldset__heading">Favourite colour</h1></legend>',
        html,
    )
    assert "nhsuk-radios--inline" in html
    assert "id_name" not in html


def test_page_heading_form_uses_h1_for_its_single_question():
    class OneQuestion(BaseForm):
        page_heading = True
        colour = forms.ChoiceField(label="Favourite colour", choices=COLOURS, widget=forms.RadioSelect)

    html = Template("{% load crispy_forms_tags %}{% crispy form %}").render(Context({"form": OneQuestion()}))
    assert '<h1 class="nhsuk-fieldset__heading">' in html


def test_nhs_voice_error_messages_keep_explicit_ones():
    class Messages(BaseForm):
        email = forms.EmailField(label="Email address")
        ods = forms.CharField(label="ODS code", max_length=3, error_messages={"required": "Enter the ODS code"})
        choice = forms.ChoiceField(label="Role", choices=COLOURS)

    form = Messages(data={"email": "nope", "ods": ""})
    form.is_valid()
    assert form.errors["email"] == ["Enter email address in the correct format"]
    assert form.errors["ods"] == ["Enter the ODS code"]
    assert form.errors["choice"] == ["Select role"]
    long = Messages(data={"email": "a@b.nhs.net", "ods": "ABCD", "choice": "red"})
    long.is_valid()
    assert long.errors["ods"] == ["ODS code must be 3 characters or fewer"]


def test_nul_characters_get_an_nhs_voice_error():
    class Search(BaseForm):
        q = forms.CharField(label="Practice name or ODS code", required=False, max_length=100)

    form = Search(data={"q": "Riverside\x00"})
    assert not form.is_valid()
    assert form.errors["q"] == ["Practice name or ODS code must not include hidden characters"]


# Parity with the official macros ---------------------------------------------------------------


def test_parity_text_input_with_hint_and_error():
    form = bound(reference="")
    macro = render_component(
        "input",
        {
            "label": {"text": "Reference"},
            "hint": {"text": "For example, GL-123"},
            "errorMessage": {"text": "Enter reference"},
            "id": "id_reference",
            "name": "reference",
            "attributes": {"aria-invalid": "true"},
        },
    )
    assertHTMLEqual(render_field(form, "reference"), macro)


def test_parity_text_input_as_page_heading():
    macro = render_component(
        "input",
        {"label": {"text": "Full name", "size": "l", "isPageHeading": True}, "id": "id_name", "name": "name"},
    )
    assertHTMLEqual(render_field(ExampleForm(), "name", label_tag="h1", label_size="l"), macro)


def test_parity_textarea():
    class NotesForm(BaseForm):
        notes = forms.CharField(label="Notes", help_text="Anything else", widget=forms.Textarea(attrs={"rows": 5}))

    form = NotesForm(data={"notes": ""})
    form.is_valid()
    macro = render_component(
        "textarea",
        {
            "label": {"text": "Notes"},
            "hint": {"text": "Anything else"},
            "errorMessage": {"text": "Enter notes"},
            "id": "id_notes",
            "name": "notes",
            "rows": 5,
            "attributes": {"cols": "40", "aria-invalid": "true"},
        },
    )
    assertHTMLEqual(render_field(form, "notes"), macro)


def test_parity_radios_with_legend_hint_error():
    class RadioForm(BaseForm):
        colour = forms.ChoiceField(
            label="Favourite colour", help_text="Pick one", choices=COLOURS, widget=forms.RadioSelect
        )

    form = RadioForm(data={})
    form.is_valid()
    macro = render_component(
        "radios",
        {
            "idPrefix": "id_colour",
            "name": "colour",
            "fieldset": {"legend": {"text": "Favourite colour", "size": "m"}},
            "hint": {"text": "Pick one"},
            "errorMessage": {"text": "Select favourite colour"},
            "items": [{"value": value, "text": text} for value, text in COLOURS],
        },
    )
    assertHTMLEqual(render_field(form, "colour", legend_size="m"), macro)


def test_parity_radios_checked_value():
    form = bound(colour="green")
    macro = render_component(
        "radios",
        {
            "idPrefix": "id_colour",
            "name": "colour",
            "value": "green",
            "fieldset": {"legend": {"text": "Favourite colour"}},
            "items": [{"value": value, "text": text} for value, text in COLOURS],
        },
    )
    assertHTMLEqual(render_field(form, "colour"), macro)


def test_parity_checkboxes():
    form = bound(systems=["emis"])
    macro = render_component(
        "checkboxes",
        {
            "idPrefix": "id_systems",
            "name": "systems",
            "values": ["emis"],
            "fieldset": {"legend": {"text": "Systems"}},
            "items": [{"value": "emis", "text": "EMIS"}, {"value": "tpp", "text": "TPP"}],
        },
    )
    assertHTMLEqual(render_field(form, "systems"), macro)


def test_parity_date_input_with_error():
    form = bound(go_live_day="31", go_live_month="2", go_live_year="2027")
    macro = render_component(
        "date-input",
        {
            "id": "id_go_live",
            "fieldset": {"legend": {"text": "Go-live date"}},
            "hint": {"text": "For example, 15 3 2027"},
            "errorMessage": {"text": "Enter the go-live date as a real date"},
            "items": [
                {"id": "id_go_live_day", "name": "go_live_day", "label": "Day", "width": 2, "value": "31"},
                {"id": "id_go_live_month", "name": "go_live_month", "label": "Month", "width": 2, "value": "2"},
                {"id": "id_go_live_year", "name": "go_live_year", "label": "Year", "width": 4, "value": "2027"},
            ],
        },
    )
    assertHTMLEqual(render_field(form, "go_live"), macro)


def test_parity_date_input_with_one_part_missing():
    form = bound(go_live_day="15", go_live_year="2027")
    macro = render_component(
        "date-input",
        {
            "id": "id_go_live",
            "fieldset": {"legend": {"text": "Go-live date"}},
            "hint": {"text": "For example, 15 3 2027"},
            "errorMessage": {"text": "Go-live date must include a month"},
            "items": [
                {"id": "id_go_live_day", "name": "go_live_day", "label": "Day", "width": 2, "value": "15"},
                {
                    "id": "id_go_live_month",
                    "name": "go_live_month",
                    "label": "Month",
                    "width": 2,
                    "classes": "nhsuk-input--error",
                },
                {"id": "id_go_live_year", "name": "go_live_year", "label": "Year", "width": 4, "value": "2027"},
            ],
        },
    )
    assertHTMLEqual(render_field(form, "go_live"), macro)

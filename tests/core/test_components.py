"""The component bridge and the `{% load nhsuk %}` tags."""

import pytest
from django import forms
from django.template import Context, Template
from django.utils.safestring import SafeString, mark_safe
from pytest_django.asserts import assertHTMLEqual, assertInHTML

from golive.core.components import macro_name, render_component
from golive.core.forms import BaseForm, NHSDateField
from golive.core.templatetags.nhsuk import error_list


def render(source, **context):
    return Template("{% load nhsuk %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("folder", "macro"),
    [
        ("summary-list", "summaryList"),
        ("error-summary", "errorSummary"),
        ("task-list", "taskList"),
        ("notification-banner", "notificationBanner"),
        ("back-link", "backLink"),
        ("skip-link", "skipLink"),
        ("tables", "table"),
        ("date-input", "dateInput"),
        ("tag", "tag"),
    ],
)
def test_macro_names(folder, macro):
    assert macro_name(folder) == macro
    render_component(folder, {})  # the import resolves


def test_render_component_returns_safe_string():
    html = render_component("tag", {"text": "Done", "classes": "nhsuk-tag--green"})
    assert isinstance(html, SafeString)
    assertHTMLEqual(html, '<strong class="nhsuk-tag nhsuk-tag--green">Done</strong>')


def test_tag_escapes_text_params():
    html = render('{% nhsuk "tag" params %}', params={"text": "<script>alert(1)</script>"})
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_tag_keyword_arguments_and_safe_html():
    html = render('{% nhsuk "inset-text" html=body %}', body=mark_safe("<p>Trusted <strong>markup</strong></p>"))
    assertInHTML("<p>Trusted <strong>markup</strong></p>", html)


def test_unknown_component_name_is_rejected():
    with pytest.raises(ValueError, match="Not an nhsuk-frontend component"):
        render_component("../../etc", {})


class SignInForm(BaseForm):
    email = forms.EmailField(label="Email address")
    password = forms.CharField(label="Password", widget=forms.PasswordInput)
    colour = forms.ChoiceField(label="Colour", choices=[("r", "Red")], widget=forms.RadioSelect, required=False)
    when = NHSDateField(label="Start date", required=False)

    def clean(self):
        raise forms.ValidationError("Enter a correct email address and password")


def test_error_summary_links_each_error_to_its_control():
    form = SignInForm(data={"colour": "x", "when_day": "1", "when_year": "2027"})
    assert error_list(form) == [
        {"text": "Enter a correct email address and password", "href": "#id_email"},
        {"text": "Enter email address", "href": "#id_email"},
        {"text": "Enter password", "href": "#id_password"},
        {"text": "Select a valid option", "href": "#id_colour"},
        {"text": "Start date must include a month", "href": "#id_when_month"},
    ]
    html = render("{% nhsuk_error_summary form %}", form=form)
    assertInHTML('<h2 class="nhsuk-error-summary__heading">There is a problem</h2>', html)
    assertInHTML('<a href="#id_when_month">Start date must include a month</a>', html)


def test_error_summary_link_targets_exist_in_the_rendered_form():
    form = SignInForm(data={"colour": "x", "when_day": "1", "when_year": "2027"})
    page = Template("{% load crispy_forms_tags %}{% crispy form %}").render(Context({"form": form}))
    for item in error_list(form):
        assert f'id="{item["href"][1:]}"' in page


def test_error_summary_takes_several_forms_and_is_empty_without_errors():
    first, second = SignInForm(data={}), SignInForm(data={})
    assert len(error_list(first, second)) == 2 * len(error_list(first))
    assert render("{% nhsuk_error_summary form %}", form=SignInForm()) == ""


def test_error_prefix():
    assert render("{% nhsuk_error_prefix %}", form=SignInForm()) == ""
    assert render("{% nhsuk_error_prefix %}", form=SignInForm(data={})) == "Error: "
    assert render("{% nhsuk_error_prefix %}", other_form=SignInForm(data={})) == "Error: "
    assert render("{% nhsuk_error_prefix %}", page_has_errors=True) == "Error: "
    assert render("{% if form|nhsuk_has_errors %}yes{% endif %}", form=SignInForm(data={})) == "yes"


def test_plain_parameters_are_rendered_once_and_reused():
    from golive.core.components import _render_plain

    _render_plain.cache_clear()
    first = render_component("tag", {"text": "Done", "classes": "nhsuk-tag--green"})
    second = render_component("tag", {"classes": "nhsuk-tag--green", "text": "Done"})
    assert first == second
    assert _render_plain.cache_info().hits == 1


def test_markup_parameters_are_never_served_from_the_cache():
    from django.utils.safestring import mark_safe

    escaped = render_component("tag", {"text": "<b>x</b>"})
    trusted = render_component("tag", {"html": mark_safe("<b>x</b>")})
    assert "&lt;b&gt;" in escaped
    assert "<b>x</b>" in trusted

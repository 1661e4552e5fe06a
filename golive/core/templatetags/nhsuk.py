"""`{% load nhsuk %}`: NHS.UK frontend components in Django templates, through the component bridge.

* `{% nhsuk "tag" params %}` renders any component from the official macros; `params` is a dict
  in the macro's shape (built by a presenter). Keyword arguments are merged in, so small cases
  need no presenter: `{% nhsuk "tag" text="Overdue" classes="nhsuk-tag--red" %}`.
* `{% nhsuk_error_summary form [form2 …] %}` renders the error summary ("There is a problem")
  for bound forms, each error linking to the control the "nhsuk" crispy pack renders.
* `{% nhsuk_error_prefix %}` outputs "Error: " when a form on the page has errors (for `<title>`);
  `form|nhsuk_has_errors` is the filter form.
* `{% nhsuk_skip_link %}`, `{% nhsuk_header %}`, `{% nhsuk_footer %}`, `{% nhsuk_messages %}` are used
  by templates/base.html.
"""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.contrib.messages import constants as message_constants
from django.forms.formsets import BaseFormSet
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from golive.core.components import render_component
from golive.core.templatetags.nhsuk_pack import error_target_id

register = template.Library()

ERROR_SUMMARY_TITLE = "There is a problem"


@register.simple_tag
def nhsuk(name: str, params: dict[str, Any] | None = None, **kwargs: Any) -> SafeString:
    """Render the nhsuk-frontend component `name` (folder name: "summary-list", "tag", "tables" …)."""
    merged = dict(params or {})
    merged.update(kwargs)
    return render_component(name, merged)


def _forms(items: tuple[Any, ...]) -> list[forms.BaseForm]:
    found: list[forms.BaseForm] = []
    for item in items:
        if isinstance(item, BaseFormSet):
            found.extend(item.forms)
        elif isinstance(item, forms.BaseForm):
            found.append(item)
    return found


def _first_field_target(form: forms.BaseForm) -> str:
    for bound in form.visible_fields():
        return error_target_id(bound)
    return ""


def error_list(*items: Any) -> list[dict[str, str]]:
    """Error summary items for bound forms: non-field errors first, then fields in page order."""
    errors: list[dict[str, str]] = []
    for form in _forms(items):
        if not form.is_bound or not form.errors:
            continue
        first = _first_field_target(form)
        hidden_errors = [e for bound in form.hidden_fields() for e in bound.errors]
        for message in list(form.non_field_errors()) + hidden_errors:
            errors.append({"text": str(message), "href": f"#{first}"} if first else {"text": str(message)})
        for bound in form.visible_fields():
            for message in bound.errors:
                errors.append({"text": str(message), "href": f"#{error_target_id(bound)}"})
    return errors


@register.simple_tag
def nhsuk_error_summary(*items: Any) -> SafeString:
    """The NHS error summary for one or more bound forms (or formsets); nothing if there are no errors."""
    errors = error_list(*items)
    if not errors:
        return mark_safe("")
    return render_component("error-summary", {"titleText": ERROR_SUMMARY_TITLE, "errorList": errors})


@register.filter
def nhsuk_has_errors(form: Any) -> bool:
    """True if `form` (a form or formset) is bound and has errors."""
    if isinstance(form, BaseFormSet):
        return form.is_bound and not form.is_valid()
    if isinstance(form, forms.BaseForm):
        return form.is_bound and bool(form.errors)
    return False


@register.simple_tag(takes_context=True)
def nhsuk_error_prefix(context: template.Context) -> str:
    """ "Error: " when `page_has_errors` is true or any form in the context has errors, else ""."""
    if context.get("page_has_errors"):
        return "Error: "
    for value in context.flatten().values():
        if nhsuk_has_errors(value):
            return "Error: "
    return ""


def _reverse(name: str, default: str | None = None) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return default


@register.simple_tag
def nhsuk_skip_link() -> SafeString:
    return render_component("skip-link", {"href": "#maincontent", "text": "Skip to main content"})


def sign_out_form(action: str, csrf_token: Any) -> SafeString:
    """The header's "Sign out" item: a POST form (Django's LogoutView accepts POST only)."""
    return format_html(
        '<form class="nhsuk-header__account-form" action="{}" method="post" novalidate>'
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
        '<button class="nhsuk-header__account-button" type="submit">Sign out</button>'
        "</form>",
        action,
        csrf_token,
    )


def header_params(context: template.Context) -> dict[str, Any]:
    service_name = context.get("service_name") or "GoLive"
    params: dict[str, Any] = {
        "service": {"text": service_name, "href": _reverse("home", "/")},
    }
    user = context.get("user")
    if user is not None and getattr(user, "is_authenticated", False):
        items = [dict(item) for item in context.get("navigation") or []]
        if items:
            params["navigation"] = {"items": items, "ariaLabel": "Menu"}
        account: list[dict[str, Any]] = [{"text": getattr(user, "email", "") or str(user), "icon": True}]
        account_page = _reverse("accounts:account")
        if account_page:
            account[0]["href"] = account_page
        logout = _reverse("logout")
        csrf_token = context.get("csrf_token")
        if logout and csrf_token:
            account.append({"html": sign_out_form(logout, csrf_token)})
        params["account"] = {"items": account}
    return params


@register.simple_tag(takes_context=True)
def nhsuk_header(context: template.Context) -> SafeString:
    """Service header: GoLive linking home; when signed in, navigation plus email and Sign out."""
    return render_component("header", header_params(context))


FOOTER_LINKS = [
    {"href": "#", "text": "Accessibility statement"},
    {"href": "#", "text": "Privacy notice"},
    {"href": "#", "text": "Cookies"},
]


@register.simple_tag
def nhsuk_footer() -> SafeString:
    return render_component("footer", {"meta": {"items": FOOTER_LINKS}})


def message_banner_params(messages: Any) -> list[dict[str, Any]]:
    banners = []
    for index, message in enumerate(messages, start=1):
        success = message.level == message_constants.SUCCESS
        banners.append(
            {
                "variant": "success" if success else None,
                "title": {"id": f"notification-banner-title-{index}", "text": "Success" if success else "Important"},
                "text": str(message),
            }
        )
    return banners


@register.simple_tag(takes_context=True)
def nhsuk_messages(context: template.Context) -> SafeString:
    """Django messages as NHS notification banners (success variant for messages.SUCCESS)."""
    messages = context.get("messages")
    if not messages:
        return mark_safe("")
    html = [render_component("notification-banner", params) for params in message_banner_params(messages)]
    return mark_safe("\n".join(html))  # noqa: S308 - each part came from the bridge

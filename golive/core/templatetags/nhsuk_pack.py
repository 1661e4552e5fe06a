"""Template helpers used inside the crispy "nhsuk" template pack (templates/nhsuk/).

Not meant for page templates: they use `{% load nhsuk %}`. The pack's templates own the markup;
these helpers only work out ids, `aria-describedby` and item lists, so the markup matches what the
nhsuk-frontend macros produce (ids: `<id>-hint`, `<id>-error`, radio items `<id>`, `<id>-2`, …).
"""

from __future__ import annotations

import re
from typing import Any

from django import forms, template
from django.forms.boundfield import BoundField
from django.utils.safestring import SafeString, mark_safe

from golive.core.forms import NHSDateField, NHSDateWidget

register = template.Library()

_DESCRIBEDBY_RE = re.compile(r'\saria-describedby="[^"]*"')
DATE_WIDTHS = {"day": 2, "month": 2, "year": 4}


def field_kind(field: BoundField) -> str:
    widget = field.field.widget
    if widget.is_hidden:
        return "hidden"
    if isinstance(field.field, NHSDateField) or isinstance(widget, NHSDateWidget):
        return "date"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.FileInput):
        return "file"
    return "input"


def field_id(field: BoundField) -> str:
    """The id the pack gives the field's (first) control, and the base of its hint/error ids."""
    if field_kind(field) in {"radios", "checkboxes", "date", "checkbox"}:
        return field.field.widget.attrs.get("id") or field.auto_id or field.html_name
    return field.id_for_label or field.auto_id or field.html_name


def error_target_id(field: BoundField) -> str:
    """Where an error summary link for this field should point (an element the pack renders)."""
    kind = field_kind(field)
    base = field_id(field)
    if kind == "date":
        missing: list[str] = []
        for error in field.errors.as_data():
            missing = list((error.params or {}).get("missing") or [])
            if missing:
                break
        return f"{base}_{missing[0] if missing else 'day'}"
    return base


def _date_error_parts(field: BoundField) -> set[str]:
    """Which of day/month/year to highlight. Empty set with errors means all three."""
    parts: set[str] = set()
    for error in field.errors.as_data():
        parts.update((error.params or {}).get("missing") or [])
    return parts


def _date_items(field: BoundField, base: str) -> list[dict[str, Any]]:
    value = field.value()
    if not isinstance(value, (list, tuple)):
        value = field.field.widget.decompress(value)
    values = list(value) + [None, None, None]
    errored = _date_error_parts(field) if field.errors else set()
    items = []
    for index, part in enumerate(NHSDateWidget.PARTS):
        raw = values[index]
        items.append(
            {
                "part": part,
                "id": f"{base}_{part}",
                "name": f"{field.html_name}_{part}",
                "label": part.capitalize(),
                "value": "" if raw is None else str(raw),
                "width": DATE_WIDTHS[part],
                "error": bool(field.errors) and (not errored or part in errored),
                # As the macro: a whole-date error also marks each item's own form group.
                "group_error": bool(field.errors) and not errored,
            }
        )
    return items


def _choice_items(field: BoundField, base: str) -> list[dict[str, Any]]:
    hints = getattr(field.field, "item_hints", None) or {}
    items = []
    for index, widget in enumerate(field.subwidgets, start=1):
        data = widget.data
        value = "" if data["value"] is None else str(data["value"])
        item_id = base if index == 1 else f"{base}-{index}"
        hint = hints.get(value) or hints.get(data["value"])
        items.append(
            {
                "id": item_id,
                "value": value,
                "label": data["label"],
                "checked": bool(data["selected"]),
                "hint": hint,
                "hint_id": f"{item_id}-item-hint" if hint else "",
            }
        )
    return items


@register.simple_tag
def nhsuk_field_info(field: BoundField, show_errors: bool = True) -> dict[str, Any]:
    """Everything the pack's field templates need: kind, ids, describedby, errors and items."""
    kind = field_kind(field)
    base = field_id(field)
    errors = list(field.errors) if show_errors else []
    hint_id = f"{base}-hint" if field.help_text else ""
    error_id = f"{base}-error" if errors else ""
    info: dict[str, Any] = {
        "kind": kind,
        "id": base,
        "hint_id": hint_id,
        "error_id": error_id,
        "describedby": " ".join(filter(None, [hint_id, error_id])),
        "errors": errors,
        "has_errors": bool(errors),
    }
    if kind in {"radios", "checkboxes"}:
        info["items"] = _choice_items(field, base)
    elif kind == "date":
        info["items"] = _date_items(field, base)
    elif kind == "checkbox":
        info["checked"] = bool(field.value())
    return info


@register.simple_tag
def nhsuk_widget(
    field: BoundField, base_class: str, has_errors: bool = False, describedby: str = "", extra_class: str = ""
) -> SafeString:
    """Render the field's own widget with NHS classes added and `aria-describedby` set (or removed).

    `base_class` is e.g. "nhsuk-input"; with errors "<base_class>--error" is added too.
    """
    classes = [base_class]
    if has_errors:
        classes.append(f"{base_class}--error")
    classes += [extra_class, field.field.widget.attrs.get("class", "")]
    widget_attrs: dict[str, Any] = {"class": " ".join(filter(None, classes))}
    if describedby:
        widget_attrs["aria-describedby"] = describedby
    html = field.as_widget(attrs=widget_attrs)
    if not describedby and "aria-describedby" in html:
        # Django 5 adds `<id>_helptext`/`<id>_error` ids that the pack does not render; drop them.
        html = mark_safe(_DESCRIBEDBY_RE.sub("", html, count=1))  # noqa: S308 - removes an attribute only
    return html


@register.filter
def nhsuk_width_class(width: Any) -> str:
    return f"nhsuk-input--width-{width}" if width else ""

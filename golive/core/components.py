"""The component bridge: render NHS.UK frontend components from the official Jinja macros.

`nhsuk-frontend-jinja` ships NHS England's macros (pinned in step with the npm `nhsuk-frontend`
package, see package.json). Django templates cannot call Jinja macros, so we keep one private
Jinja environment here and expose `render_component`; the `{% nhsuk %}` template tag is a thin
wrapper around it. Parameters are dicts in the macro's documented shape, built by presenters.

Autoescape is on, so text parameters are escaped by Jinja. The output is marked safe for Django
only after that has happened. Pass trusted markup through an `html` key as a Django `SafeString`
(mark_safe / format_html) or `markupsafe.Markup`: both have `__html__`, so Jinja does not escape them.
"""

from __future__ import annotations

import json
import re
from functools import cache, lru_cache
from typing import Any

from django.utils.safestring import SafeString, mark_safe
from jinja2 import ChainableUndefined, Environment, PackageLoader, Template

# Folders whose macro is not simply the camelCase of the folder name.
_MACRO_NAME_OVERRIDES = {
    "tables": "table",
    "images": "image",
    "do-dont-list": "list",
}

_NAME_RE = re.compile(r"^[a-z][a-z-]*$")


@cache
def get_environment() -> Environment:
    """The private Jinja environment, built once per process (it caches compiled templates)."""
    return Environment(
        loader=PackageLoader("nhsuk_frontend_jinja"),
        undefined=ChainableUndefined,
        autoescape=True,
        auto_reload=False,
        cache_size=-1,
    )


def macro_name(component: str) -> str:
    """The macro defined by `nhsuk/components/<component>/macro.jinja`: "summary-list" -> "summaryList"."""
    if component in _MACRO_NAME_OVERRIDES:
        return _MACRO_NAME_OVERRIDES[component]
    first, *rest = component.split("-")
    return first + "".join(part.capitalize() for part in rest)


@cache
def _component_template(component: str) -> Template:
    if not _NAME_RE.match(component):
        raise ValueError(f"Not an nhsuk-frontend component name: {component!r}")
    name = macro_name(component)
    source = f'{{% from "nhsuk/components/{component}/macro.jinja" import {name} %}}{{{{ {name}(params) }}}}'
    return get_environment().from_string(source)


def render_component(name: str, params: dict[str, Any] | None = None) -> SafeString:
    """Render the nhsuk-frontend component `name` (its folder name, e.g. "summary-list") with `params`."""
    params = params or {}
    if _is_plain(params):
        # Plain parameters render the same every time: a checklist's 200 status tags cost one render each kind.
        return _render_plain(name, json.dumps(params, sort_keys=True))
    return _render(name, params)


def _render(name: str, params: dict[str, Any]) -> SafeString:
    html = _component_template(name).render(params=params)
    # Safe: every text parameter has been escaped by Jinja's autoescape above.
    return mark_safe(html.strip())  # noqa: S308


@lru_cache(maxsize=4096)
def _render_plain(name: str, params_json: str) -> SafeString:
    return _render(name, json.loads(params_json))


def _is_plain(value: Any) -> bool:
    """True for JSON-like data of exact built-in types; markup (SafeString, Markup) and lazy text are not plain."""
    if value is None or type(value) in (str, int, float, bool):
        return True
    if type(value) is dict:
        return all(type(key) is str and _is_plain(item) for key, item in value.items())
    if type(value) in (list, tuple):
        return all(_is_plain(item) for item in value)
    return False

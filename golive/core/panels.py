"""What one app contributes to another's pages and records without importing it (docs/design.md, layers).

Apps depend one way: a page in a lower app (the migration page in checklists) may show parts that belong to
higher apps (go-live records, reconnections, reminders). Each higher app registers its parts here in its
AppConfig.ready(); the lower page asks for them by page name and renders them in order. Three kinds of part:

- Panel: a template and a context function taking (request, obj), rendered in `order` on a page.
- Fact: a named value worked out from an object (a migration) that another app's record needs, such as the
  third-party links outstanding that a go-live sign-off keeps in its snapshot.
- PageLink: a named link to a page of a higher app: where a step page may return to, where a practice goes
  after creating a migration.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse


@dataclass(frozen=True)
class Panel:
    name: str
    order: int
    template: str
    context: Callable[[Any, Any], dict]


@dataclass(frozen=True)
class RenderedPanel:
    name: str
    template: str
    context: dict


@dataclass(frozen=True)
class PageLink:
    url_name: str
    text: str = ""
    takes_migration: bool = True

    def url(self, migration_pk: int | None = None) -> str:
        return reverse(self.url_name, args=[migration_pk] if self.takes_migration else [])


_PANELS: dict[str, dict[str, Panel]] = {}
_FACTS: dict[str, dict[str, Callable[[Any], Any]]] = {}
_LINKS: dict[str, dict[str, PageLink]] = {}


def panel_register(page: str, panel: Panel) -> None:
    """Show `panel` on `page`; registering the same name again replaces it (ready() may run twice in tests)."""
    _PANELS.setdefault(page, {})[panel.name] = panel


def panels_for(page: str, request, obj) -> list[RenderedPanel]:
    """The page's panels in order, each with its context worked out for `obj`. Queries: the panels' own."""
    panels = sorted(_PANELS.get(page, {}).values(), key=lambda panel: (panel.order, panel.name))
    return [RenderedPanel(panel.name, panel.template, panel.context(request, obj)) for panel in panels]


def fact_register(topic: str, name: str, function: Callable[[Any], Any]) -> None:
    """Offer `function(obj)` as the fact `name` about `topic` (e.g. "go_live_readiness")."""
    _FACTS.setdefault(topic, {})[name] = function


def facts_for(topic: str, obj) -> dict[str, Any]:
    """Every registered fact about `topic`, worked out for `obj`, by name (sorted, so snapshots are stable)."""
    return {name: function(obj) for name, function in sorted(_FACTS.get(topic, {}).items())}


def link_register(place: str, name: str, link: PageLink) -> None:
    _LINKS.setdefault(place, {})[name] = link


def links_for(place: str) -> list[PageLink]:
    """The links registered for `place`, in name order."""
    return [link for _name, link in sorted(_LINKS.get(place, {}).items())]

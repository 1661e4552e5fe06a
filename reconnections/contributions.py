"""What reconnections adds to other apps' pages and records, and to the history page (golive/core/panels.py)."""

from golive.core.audit import audit_former_labels_register, audit_vocabulary_register
from golive.core.panels import PageLink, Panel, fact_register, link_register, panel_register

from .models import LinkStatus
from .presenters import links_progress_phrase
from .selectors import links_panel, third_party_links_outstanding


def migration_links_panel(request, migration) -> dict:
    """Reconnections and cutover registrations on the migration page. Two queries."""
    panel = links_panel(migration)
    panel["progress"] = links_progress_phrase(panel["links"])
    return panel


def register() -> None:
    panel_register(
        "migration",
        Panel(
            name="reconnections", order=20, template="reconnections/_links_panel.html", context=migration_links_panel
        ),
    )
    # The go-live readiness page links to the tracker under its list of links outstanding (no query).
    panel_register(
        "go_live_readiness",
        Panel(name="reconnections", order=10, template="reconnections/_go_live_links.html", context=lambda r, m: {}),
    )
    fact_register("go_live_readiness", "third_party_links_outstanding", third_party_links_outstanding)
    link_register("migration_created", "reconnections", PageLink("reconnections:links_setup"))
    audit_vocabulary_register(
        actions={
            "third_party_links.created": "Services added to the link tracker",
            "third_party_service.created": "Local service added",
            "third_party_link.moved_back": "Third-party link moved back a stage",
            "third_party_link.reconfiguration": "Third-party link reconfiguration changed",
            "mesh_change.saved": "MESH mailboxes recorded",
            "mesh_partner.added": "MESH partner added",
            "mesh_partner.told": "MESH partner told",
            "cutover_registrations.updated": "Registrations from cutover updated",
        },
        subjects={"third_party_link": "Third-party link"},
        status_choices={"third_party_link": LinkStatus},
    )
    # These models began in checklists (the catalogue in practices); older audit events keep those labels.
    audit_former_labels_register(
        {
            f"reconnections.{name}": f"checklists.{name}"
            for name in ("ThirdPartyLink", "MeshChange", "MeshPartnerNotice", "CutoverRegistrations")
        }
        | {"reconnections.ThirdPartyService": "practices.ThirdPartyService"}
    )

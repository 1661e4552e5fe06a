"""What go-live records add to other apps' pages and to the history page (golive/core/panels.py, audit.py)."""

from golive.core.audit import audit_former_labels_register, audit_vocabulary_register
from golive.core.panels import PageLink, Panel, link_register, panel_register

from .models import CheckArea, CheckResult, CheckRound, IssueSeverity, IssueStatus
from .selectors import go_live_panel


def register() -> None:
    panel_register(
        "migration",
        Panel(
            name="go_live",
            order=10,
            template="go_live/_golive_panel.html",
            context=lambda request, migration: {"go_live": go_live_panel(migration)},
        ),
    )
    link_register("step_returns_to", "go_live", PageLink("go_live:go_live", "Back to go-live readiness"))
    audit_vocabulary_register(
        actions={
            "data_check.recorded": "Data check recorded",
            "issue.raised": "Issue raised",
            "issue.updated": "Issue changed",
            "issue.resolved": "Issue resolved",
            "issue.reopened": "Issue reopened",
            "go_live.signed_off": "Go-live data signed off",
            "go_live.supplier_told": "New supplier told of the sign-off",
            "process_review.references_changed": "Supplier's references changed",
        },
        choices={"area": CheckArea, "round": CheckRound, "result": CheckResult, "severity": IssueSeverity},
        status_choices={"issue": IssueStatus},
    )
    # These models began in checklists; their older audit events keep that label.
    audit_former_labels_register(
        {
            f"go_live.{name}": f"checklists.{name}"
            for name in ("DataCheck", "GoLiveSignOff", "SupplierConfirmation", "Issue", "ProcessReviewReference")
        }
    )

"""Checklists' words for the history page (golive/core/audit.py); other apps register theirs the same way."""

from golive.core.audit import audit_vocabulary_register

from .models import StepStatus, WindowSource

# What checklists' audited actions mean, in the words of the pages where they happen.
AUDIT_ACTIONS = {
    "migration.created": "Migration created",
    "migration.key_dates_changed": "Key dates changed",
    "migration.went_live": "Went live",
    "migration.withdrawn": "Migration withdrawn",
    "migration.phases_done_before_golive": "Phases recorded as done before GoLive",
    "migration.phase_marked_done": "Whole phase marked as done",
    "step.updated": "Checklist step changed",
}
AUDIT_FIELDS = {
    "idp_date": "Initial data production (IDP)",
    "fdp_date": "Final data production (FDP)",
    "go_live_date": "Go-live",
    "read_only_ends_on": "Read-only window ends",
    "read_only_window_days": "Read-only window (days)",
    "read_only_window_source": "Read-only window agreed by",
    "steps_moved": "Due dates moved",
    "went_live_on": "Went live on",
    "withdrawn_on": "Withdrawn on",
    "kept": "Migration kept open",
    "phases": "Phases",
    "phase": "Phase",
    "steps_closed": "Steps closed",
    "steps": "Steps",
}


def register() -> None:
    audit_vocabulary_register(
        actions=AUDIT_ACTIONS,
        fields=AUDIT_FIELDS,
        choices={"read_only_window_source": WindowSource},
        status_choices={"step": StepStatus},
    )

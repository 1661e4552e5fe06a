"""The one way GoLive records who changed what. Call it inside the transaction that makes the change."""

from dataclasses import dataclass, field

from django.db import models, transaction

from .models import AuditEvent

SYSTEM_ACTOR = "GoLive (automatic)"


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model,
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
    practice_id: int | None = None,
    migration_id: int | None = None,
) -> AuditEvent:
    """Write one AuditEvent; refuses to run outside a transaction so the event and the change commit together."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("audit_record must run inside transaction.atomic() with the change it records.")
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=getattr(actor, "email", None) or SYSTEM_ACTOR,
        action=action,
        object_type=obj._meta.label,
        object_id=str(obj.pk),
        object_label=str(obj)[:300],
        practice_id=practice_id,
        migration_id=migration_id,
        before=before,
        after=after,
        reason=reason,
    )


def audit_record_many(*, actor, entries: list[dict], batch_size: int = 1000) -> int:
    """Write many AuditEvents in a few INSERTs, for bulk changes (an ODS import changes thousands of practices).

    Each entry holds the keyword arguments of audit_record except `actor`: `action`, `obj`, and optionally
    `before`, `after`, `reason`, `practice_id`, `migration_id`. Returns the number of events written.
    Refuses to run outside a transaction, as audit_record does.
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("audit_record_many must run inside transaction.atomic() with the changes it records.")
    events = [
        AuditEvent(
            actor=actor if getattr(actor, "pk", None) else None,
            actor_label=getattr(actor, "email", None) or SYSTEM_ACTOR,
            action=entry["action"],
            object_type=entry["obj"]._meta.label,
            object_id=str(entry["obj"].pk),
            object_label=str(entry["obj"])[:300],
            practice_id=entry.get("practice_id"),
            migration_id=entry.get("migration_id"),
            before=entry.get("before"),
            after=entry.get("after"),
            reason=entry.get("reason", ""),
        )
        for entry in entries
    ]
    AuditEvent.objects.bulk_create(events, batch_size=batch_size)
    return len(events)


def changed_fields(before: dict, after: dict) -> tuple[dict, dict]:
    """Keep only the keys whose values differ, so audit rows show the change and nothing else."""
    keys = [key for key in after if before.get(key) != after.get(key)]
    return {key: before.get(key) for key in keys}, {key: after[key] for key in keys}


@dataclass
class AuditVocabulary:
    """The words the history page uses for audited actions, fields and stored choices, from every app.

    `actions` maps "subject.verb" to a phrase; `subjects` names a subject when a verb has no phrase;
    `fields` names before/after keys; `choices` maps a key to the TextChoices its values come from;
    `status_choices` maps an action's subject to the TextChoices of its "status" key.
    """

    actions: dict[str, str] = field(default_factory=dict)
    subjects: dict[str, str] = field(default_factory=dict)
    fields: dict[str, str] = field(default_factory=dict)
    choices: dict[str, type] = field(default_factory=dict)
    status_choices: dict[str, type] = field(default_factory=dict)


_VOCABULARY = AuditVocabulary()
# A moved model's current label → the labels its older audit events carry (AuditEvent rows are never rewritten).
_FORMER_LABELS: dict[str, tuple[str, ...]] = {}


def audit_vocabulary_register(*, actions=None, subjects=None, fields=None, choices=None, status_choices=None) -> None:
    """Add an app's words to the history page's vocabulary; call it from the app's AppConfig.ready().

    Each argument is a dict as described on AuditVocabulary; a key registered twice keeps the later value.
    """
    _VOCABULARY.actions.update(actions or {})
    _VOCABULARY.subjects.update(subjects or {})
    _VOCABULARY.fields.update(fields or {})
    _VOCABULARY.choices.update(choices or {})
    _VOCABULARY.status_choices.update(status_choices or {})


def audit_vocabulary() -> AuditVocabulary:
    return _VOCABULARY


def audit_former_labels_register(labels: dict[str, str]) -> None:
    """Record that a model moved app: {"go_live.DataCheck": "checklists.DataCheck"} (current → former label)."""
    for current, former in labels.items():
        _FORMER_LABELS[current] = (*_FORMER_LABELS.get(current, ()), former)


def audit_object_types(model) -> list[str]:
    """Every `object_type` the model's audit events may carry: its label now and the labels it had before.

    Read events of one kind with `AuditEvent.objects.filter(object_type__in=audit_object_types(Model))`.
    """
    label = model._meta.label
    return [label, *_FORMER_LABELS.get(label, ())]

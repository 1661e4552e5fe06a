"""The one way GoLive records who changed what. Call it inside the transaction that makes the change."""

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


def changed_fields(before: dict, after: dict) -> tuple[dict, dict]:
    """Keep only the keys whose values differ, so audit rows show the change and nothing else."""
    keys = [key for key in after if before.get(key) != after.get(key)]
    return {key: before.get(key) for key in keys}, {key: after[key] for key in keys}

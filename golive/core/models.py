from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """One change to GoLive's data: append-only, written in the same transaction as the change.

    On PostgreSQL a trigger (migration 0002) refuses UPDATE and DELETE on this table.
    """

    occurred_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # No database constraint: deleting a user must not rewrite history (the table refuses UPDATE).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_label = models.CharField(max_length=254, help_text="Who acted, kept if the user is deleted.")
    action = models.CharField(max_length=80)
    object_type = models.CharField(max_length=80)
    object_id = models.CharField(max_length=64)
    object_label = models.CharField(max_length=300, blank=True)
    # The practice and migration the change belongs to, so history pages stay one indexed query.
    practice_id = models.BigIntegerField(null=True, blank=True)
    migration_id = models.BigIntegerField(null=True, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["migration_id", "-occurred_at"], name="audit_migration_time"),
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
        ]

    def __str__(self):
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_label}"

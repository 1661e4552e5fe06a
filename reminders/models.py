from django.conf import settings
from django.db import models
from django.db.models import Q

from checklists.models import Migration

from .kinds import Kind


class ReminderStatus(models.TextChoices):
    PENDING = "pending", "Waiting to send"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    SKIPPED = "skipped", "Not sent"


class Reminder(models.Model):
    """The outbox: one email due to one person on one local date. The unique constraints make sweeps idempotent.

    Digests cover several migrations, so their `migration` is empty and a second constraint keeps them unique.
    """

    migration = models.ForeignKey(Migration, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    # Kept when the user is deleted, so the row can say why nothing was sent.
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    for_date = models.DateField(help_text="The Europe/London date this reminder is for.")
    status = models.CharField(max_length=10, choices=ReminderStatus.choices, default=ReminderStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_to = models.EmailField(blank=True)
    message_id = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # When a send task was last queued, and when a worker last claimed the row: the sweep re-queues stale ones.
    queued_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-for_date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["migration", "recipient", "kind", "for_date"],
                condition=Q(migration__isnull=False),
                name="reminder_once_per_migration",
            ),
            models.UniqueConstraint(
                fields=["recipient", "kind", "for_date"],
                condition=Q(migration__isnull=True),
                name="reminder_digest_once",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "queued_at"], name="reminder_status_queued"),
            models.Index(fields=["migration", "-for_date"], name="reminder_migration_date"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.for_date:%Y-%m-%d} (reminder {self.pk})"


class ReminderOptOut(models.Model):
    """A kind of reminder a person has chosen not to receive."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_opt_outs")
    kind = models.CharField(max_length=30, choices=Kind.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_opt_out_per_kind")]

    def __str__(self):
        return f"{self.user} opts out of {self.kind}"

"""The go-live day's records: data re-checks, the go-live sign-off, the supplier's confirmation, the issue
log and the supplier's process-review references. Tables keep their first names (they began in checklists)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from checklists.models import Migration
from practices.models import Role


class CheckArea(models.TextChoices):
    """What a data re-check looks at (DOMAIN.md §3.6)."""

    QOF = "qof", "QOF and indicator points"
    CYTOLOGY = "cytology", "Cytology targets"
    IMMUNISATION = "immunisation", "Immunisation targets"
    CAPITATION = "capitation", "Capitation figures"
    LOCAL_CODES = "local_codes", "Local code remapping"
    DEGRADED_CODES = "degraded_codes", "Degraded codes"
    IDP_SAMPLE = "idp_sample", "IDP sample patients re-checked"
    RANDOM_SAMPLE = "random_sample", "Random sample patients"


class CheckRound(models.TextChoices):
    IDP = "idp", "Initial data production (IDP)"
    FDP = "fdp", "Final data production (FDP)"
    GO_LIVE = "go_live", "Go-live"
    POST_GO_LIVE = "post_go_live", "Post go-live"


class CheckResult(models.TextChoices):
    PASSED = "passed", "Passed"
    PASSED_WITH_ISSUES = "passed_with_issues", "Passed with issues"
    FAILED = "failed", "Failed"


class DataCheck(models.Model):
    """One check of one area in one round. A re-check is a new row; the latest per area is the current result."""

    migration = models.ForeignKey(Migration, on_delete=models.CASCADE, related_name="data_checks")
    area = models.CharField(max_length=30, choices=CheckArea.choices)
    round = models.CharField(max_length=20, choices=CheckRound.choices)
    result = models.CharField(max_length=20, choices=CheckResult.choices)
    records_checked = models.PositiveIntegerField()
    problems_found = models.PositiveIntegerField()
    supplier_reference = models.CharField(max_length=100, blank=True)
    note = models.TextField(blank=True)
    checked_on = models.DateField()
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "checklists_datacheck"
        ordering = ["migration", "-checked_on", "-created_at", "-pk"]
        indexes = [
            models.Index(fields=["migration", "round", "area", "-checked_on"], name="datacheck_migration_round_area"),
        ]
        constraints = [
            models.CheckConstraint(
                name="datacheck_problems_within_records", condition=Q(problems_found__lte=F("records_checked"))
            ),
        ]

    def __str__(self):
        return f"{self.get_area_display()} ({self.get_round_display()}): {self.get_result_display()}"


# The statement a practice manager confirms. Never edit a published version: add a new one, so every
# sign-off keeps pointing at the words its signer saw.
GO_LIVE_STATEMENTS = {
    "2026-11": (
        "I have checked the go-live data in the new system, including the re-checks of reports and sample "
        "records, and I am satisfied that the practice's data has transferred and the migration has succeeded. "
        "The practice accepts the new system as its clinical record from today."
    ),
}
CURRENT_GO_LIVE_STATEMENT = "2026-11"


class GoLiveSignOff(models.Model):
    """The practice's sign-off of the go-live data. Immutable: a correction is a new row that supersedes it.

    `sequence` numbers a migration's sign-offs 1, 2, …; (migration, sequence) is unique and each sign-off
    can be superseded once, so two people signing at the same moment can never leave two current sign-offs.
    """

    migration = models.ForeignKey(Migration, on_delete=models.PROTECT, related_name="go_live_sign_offs")
    sequence = models.PositiveIntegerField()
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_by_name = models.CharField(max_length=254, help_text="Who signed, kept as shown at the time.")
    role = models.CharField(max_length=30, choices=Role.choices)
    signed_at = models.DateTimeField()
    statement_version = models.CharField(max_length=20)
    readiness_snapshot = models.JSONField(help_text="The readiness summary the signer saw.")
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    supersede_reason = models.TextField(blank=True)

    class Meta:
        db_table = "checklists_golivesignoff"
        ordering = ["migration", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["migration", "sequence"], name="signoff_migration_sequence"),
            models.CheckConstraint(
                name="signoff_correction_needs_reason",
                condition=(
                    Q(sequence=1, supersedes__isnull=True)
                    | (Q(sequence__gt=1, supersedes__isnull=False) & ~Q(supersede_reason=""))
                ),
            ),
        ]

    def __str__(self):
        return f"Go-live sign-off {self.sequence} by {self.signed_by_name}"


class SupplierConfirmation(models.Model):
    """The practice told the new supplier that the go-live data is signed off."""

    sign_off = models.OneToOneField(GoLiveSignOff, on_delete=models.PROTECT, related_name="supplier_confirmation")
    migration = models.ForeignKey(Migration, on_delete=models.CASCADE, related_name="supplier_confirmations")
    told_on = models.DateField()
    contact = models.CharField(max_length=200)
    reference = models.CharField(max_length=100, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "checklists_supplierconfirmation"
        indexes = [models.Index(fields=["migration", "-told_on"], name="supplierconfirm_migration")]

    def __str__(self):
        return f"Supplier told on {self.told_on:%Y-%m-%d}"


class IssueSeverity(models.TextChoices):
    CRITICAL = "critical", "Critical"
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


SEVERITY_ORDER = {value: index for index, value in enumerate(IssueSeverity.values)}


class IssueStatus(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"


class Issue(models.Model):
    """One entry in the migration's issue log (part of the supplier's process-review report)."""

    migration = models.ForeignKey(Migration, on_delete=models.CASCADE, related_name="issues")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    severity = models.CharField(max_length=20, choices=IssueSeverity.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="owned_issues"
    )
    target_date = models.DateField(null=True, blank=True)
    supplier_reference = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=20, choices=IssueStatus.choices, default=IssueStatus.OPEN)
    resolution_note = models.TextField(blank=True)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(auto_now_add=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        db_table = "checklists_issue"
        ordering = ["migration", "-raised_at", "-pk"]
        indexes = [
            models.Index(fields=["migration", "status", "severity"], name="issue_migration_status_sev"),
            models.Index(fields=["owner", "status"], name="issue_owner_status"),
        ]
        constraints = [
            models.CheckConstraint(
                name="issue_resolved_needs_note",
                condition=~Q(status="resolved") | (~Q(resolution_note="") & Q(resolved_at__isnull=False)),
            ),
        ]

    def __str__(self):
        return self.title


class ReviewItem(models.TextChoices):
    """What the new supplier reports to NHS England for process review (DOMAIN.md §3.8)."""

    MAPPING_TABLES = "mapping_tables", "Mapping tables"
    DATA_MIGRATION = "data_migration", "Data migration report"
    DATA_EXTRACT = "data_extract", "Documented data extract (DDE)"
    SAFETY_CASE = "safety_case", "Hazard log and clinical safety case"
    ISSUE_LOG = "issue_log", "Issue log"
    CUTOVER_TIMESCALE = "cutover_timescale", "Cutover timescale"


class ProcessReviewReference(models.Model):
    """The supplier's reference for one item of its process-review report."""

    migration = models.ForeignKey(Migration, on_delete=models.CASCADE, related_name="process_review_references")
    item = models.CharField(max_length=30, choices=ReviewItem.choices)
    reference = models.CharField(max_length=100)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "checklists_processreviewreference"
        constraints = [models.UniqueConstraint(fields=["migration", "item"], name="review_reference_per_item")]

    def __str__(self):
        return f"{self.get_item_display()}: {self.reference}"

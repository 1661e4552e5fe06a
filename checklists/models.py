import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, F, Q, Value, When

from practices.models import Practice, Role, Supplier, ThirdPartyService


class Phase(models.TextChoices):
    """The migration guide's phases, in order (DOMAIN.md §2–3)."""

    DECISION = "decision", "Decision, funding and procurement"
    KICKOFF = "kickoff", "Kick-off"
    TECHNICAL_SURVEY = "technical_survey", "Technical survey"
    PRE_MIGRATION = "pre_migration", "Pre-migration tasks"
    IDP = "idp", "Initial data production"
    DATA_CHECKING = "data_checking", "Data checking and sign-off"
    TRAINING = "training", "Training"
    CUTOVER_PLANNING = "cutover_planning", "Planning for cutover"
    CUTOVER = "cutover", "Final data production and cutover"
    GO_LIVE = "go_live", "Go-live"
    POST_GO_LIVE = "post_go_live", "Post go-live"
    END_OF_MIGRATION = "end_of_migration", "End of migration"


PHASE_ORDER = {value: index for index, value in enumerate(Phase.values)}


class StepRole(models.TextChoices):
    """Who is responsible for a step. Supplier and partner steps are the practice manager's to chase."""

    PRACTICE_MANAGER = Role.PRACTICE_MANAGER.value, Role.PRACTICE_MANAGER.label
    PRACTICE_STAFF = Role.PRACTICE_STAFF.value, Role.PRACTICE_STAFF.label
    CLINICAL_LEAD = Role.CLINICAL_LEAD.value, Role.CLINICAL_LEAD.label
    COMMISSIONER = Role.COMMISSIONER.value, Role.COMMISSIONER.label
    DELIVERY_PARTNER = "delivery_partner", "IT delivery partner"
    NEW_SUPPLIER = "new_supplier", "New supplier"
    OLD_SUPPLIER = "old_supplier", "Old supplier"


class Anchor(models.TextChoices):
    IDP = "idp", "initial data production"
    FDP = "fdp", "final data production"
    GO_LIVE = "go_live", "go-live"
    READ_ONLY_END = "read_only_end", "end of the read-only window"


class WindowSource(models.TextChoices):
    """Where the read-only window's length came from (DOMAIN.md §9: sources disagree)."""

    OLDER_GUIDE = "older_guide", "Migration guide standard (45 days)"
    NEWER_GUIDE = "newer_guide", "Newer migration guide (90 days)"
    OLD_SUPPLIER = "old_supplier", "Confirmed in writing by the old supplier"
    EXTENSION = "extension", "Extension agreed with the commissioner"


class MigrationStage(models.TextChoices):
    """Where a migration is, derived from its dates and sign-offs (see MigrationQuerySet.with_stage)."""

    PLANNING = "planning", "Planning"
    DATA_CHECKING = "data_checking", "IDP done: data checking"
    CUTOVER = "cutover", "In cutover"
    LIVE = "live", "Live: old system read-only"
    WINDOW_ENDED = "window_ended", "Read-only window ended"
    FINISHED = "finished", "Finished"


class ChecklistTemplate(models.Model):
    name = models.CharField(max_length=200)
    version = models.PositiveIntegerField(default=1)
    description = models.TextField(blank=True)
    is_default = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="template_name_version"),
            models.UniqueConstraint(fields=["is_default"], condition=Q(is_default=True), name="one_default_template"),
        ]

    def __str__(self):
        return f"{self.name} (version {self.version})"


class StepDefinition(models.Model):
    """What template steps and migration steps share: what to do, when, and who does it."""

    code = models.CharField(max_length=12, blank=True, help_text="The guide's task ID, e.g. GL-02")
    phase = models.CharField(max_length=30, choices=Phase.choices)
    order = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    guidance = models.TextField(blank=True)
    role = models.CharField("responsible role", max_length=30, choices=StepRole.choices)
    anchor = models.CharField(max_length=20, choices=Anchor.choices)
    offset_working_days = models.IntegerField(help_text="Working days after (positive) or before (negative) the anchor")
    critical = models.BooleanField(default=False)

    class Meta:
        abstract = True

    @property
    def timing_text(self) -> str:
        days = abs(self.offset_working_days)
        if days == 0:
            return f"On the day of {self.get_anchor_display()}"
        unit = "working day" if days == 1 else "working days"
        direction = "before" if self.offset_working_days < 0 else "after"
        return f"{days} {unit} {direction} {self.get_anchor_display()}"


class TemplateStep(StepDefinition):
    template = models.ForeignKey(ChecklistTemplate, on_delete=models.CASCADE, related_name="steps")
    sources = models.CharField(max_length=60, blank=True, help_text="Source tags, e.g. OG, NG")

    class Meta:
        ordering = ["template", "order"]
        constraints = [models.UniqueConstraint(fields=["template", "order"], name="template_step_order")]

    def __str__(self):
        return f"{self.code} {self.title}"


class MigrationQuerySet(models.QuerySet):
    def with_stage(self, today: datetime.date):
        """Annotate `stage` in SQL, so lists and dashboards can filter and count by it."""
        return self.annotate(
            stage=Case(
                When(completed_on__isnull=False, then=Value(MigrationStage.FINISHED)),
                When(went_live_on__isnull=False, read_only_ends_on__lt=today, then=Value(MigrationStage.WINDOW_ENDED)),
                When(went_live_on__isnull=False, then=Value(MigrationStage.LIVE)),
                When(fdp_date__lte=today, then=Value(MigrationStage.CUTOVER)),
                When(idp_date__lte=today, then=Value(MigrationStage.DATA_CHECKING)),
                default=Value(MigrationStage.PLANNING),
                output_field=models.CharField(),
            )
        )


class Migration(models.Model):
    """One practice's move from one clinical system supplier to another."""

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="migrations")
    old_supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="+")
    new_supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="+")
    template = models.ForeignKey(ChecklistTemplate, null=True, on_delete=models.SET_NULL, related_name="+")
    idp_date = models.DateField("initial data production (IDP) date")
    fdp_date = models.DateField("final data production (FDP) date")
    go_live_date = models.DateField("go-live date")
    planned_go_live_date = models.DateField(help_text="The go-live date first planned, to measure slippage.")
    read_only_window_days = models.PositiveSmallIntegerField(
        default=45, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    read_only_window_source = models.CharField(
        max_length=20, choices=WindowSource.choices, default=WindowSource.OLDER_GUIDE
    )
    read_only_ends_on = models.DateField(help_text="Go-live date plus the read-only window, kept for indexing.")
    went_live_on = models.DateField(null=True, blank=True, help_text="Set when the go-live data is signed off.")
    completed_on = models.DateField(null=True, blank=True, help_text="Set when the end-of-migration steps are done.")
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = MigrationQuerySet.as_manager()

    class Meta:
        ordering = ["go_live_date", "pk"]
        indexes = [
            models.Index(fields=["practice", "-go_live_date"], name="migration_practice_golive"),
            models.Index(fields=["go_live_date"], name="migration_golive"),
            models.Index(fields=["read_only_ends_on"], name="migration_readonly_end"),
        ]
        constraints = [
            models.CheckConstraint(name="fdp_not_before_idp", condition=Q(fdp_date__gte=F("idp_date"))),
            models.CheckConstraint(name="golive_not_before_fdp", condition=Q(go_live_date__gte=F("fdp_date"))),
            models.CheckConstraint(
                name="read_only_window_range",
                condition=Q(read_only_window_days__gte=1, read_only_window_days__lte=365),
            ),
        ]

    def __str__(self):
        return f"{self.practice.name}: {self.old_supplier} to {self.new_supplier}"

    def anchor_dates(self) -> dict[str, datetime.date]:
        return {
            Anchor.IDP: self.idp_date,
            Anchor.FDP: self.fdp_date,
            Anchor.GO_LIVE: self.go_live_date,
            Anchor.READ_ONLY_END: self.read_only_ends_on,
        }

    def stage_on(self, today: datetime.date) -> str:
        """The same rule as MigrationQuerySet.with_stage, for one object already in memory."""
        if self.completed_on:
            return MigrationStage.FINISHED
        if self.went_live_on:
            return MigrationStage.WINDOW_ENDED if self.read_only_ends_on < today else MigrationStage.LIVE
        if self.fdp_date <= today:
            return MigrationStage.CUTOVER
        if self.idp_date <= today:
            return MigrationStage.DATA_CHECKING
        return MigrationStage.PLANNING


class StepStatus(models.TextChoices):
    TODO = "todo", "To do"
    DONE = "done", "Done"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


class Step(StepDefinition):
    """One checklist step of one migration. Its own row with a version, so concurrent edits are detected."""

    migration = models.ForeignKey(Migration, on_delete=models.CASCADE, related_name="steps")
    template_step = models.ForeignKey(TemplateStep, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    due_date = models.DateField()
    status = models.CharField(max_length=20, choices=StepStatus.choices, default=StepStatus.TODO)
    not_applicable_reason = models.TextField(blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="assigned_steps"
    )
    note = models.TextField(blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["migration", "order"]
        indexes = [
            models.Index(fields=["migration", "order"], name="step_migration_order"),
            models.Index(fields=["migration", "status", "due_date"], name="step_migration_status_due"),
            models.Index(fields=["assignee", "status", "due_date"], name="step_assignee_status_due"),
        ]
        constraints = [
            models.CheckConstraint(
                name="not_applicable_needs_reason",
                condition=~Q(status="not_applicable") | ~Q(not_applicable_reason=""),
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.title}".strip()

    @property
    def is_open(self) -> bool:
        return self.status == StepStatus.TODO

    def is_overdue(self, today: datetime.date) -> bool:
        return self.status == StepStatus.TODO and self.due_date < today


# Go-live day: data re-checks, the go-live sign-off, the supplier's confirmation and the issue log.


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
        constraints = [models.UniqueConstraint(fields=["migration", "item"], name="review_reference_per_item")]

    def __str__(self):
        return f"{self.get_item_display()}: {self.reference}"


class LinkStatus(models.TextChoices):
    """Where a third-party link is on its way off for cutover and back on after go-live, in order."""

    IN_USE = "in_use", "In use"
    SUPPLIER_TOLD = "supplier_told", "Supplier told"
    SWITCHED_OFF = "switched_off", "Switched off"
    RECONNECTION_REQUESTED = "reconnection_requested", "Reconnection requested"
    RECONNECTED = "reconnected", "Reconnected"
    VERIFIED = "verified", "Verified working"
    NOT_NEEDED = "not_needed", "Not needed"


class ThirdPartyLink(models.Model):
    """One service a practice uses, tracked through switch-off and reconnection for one migration."""

    migration = models.ForeignKey(Migration, on_delete=models.CASCADE, related_name="third_party_links")
    service = models.ForeignKey(ThirdPartyService, on_delete=models.PROTECT, related_name="links")
    status = models.CharField(max_length=30, choices=LinkStatus.choices, default=LinkStatus.IN_USE)
    told_on = models.DateField("supplier told on", null=True, blank=True)
    switched_off_on = models.DateField(null=True, blank=True)
    reconnection_requested_on = models.DateField(null=True, blank=True)
    reconnection_contact = models.CharField(max_length=200, blank=True)
    reconnection_reference = models.CharField(max_length=100, blank=True)
    reconnected_on = models.DateField(null=True, blank=True)
    verified_on = models.DateField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    not_needed_reason = models.TextField(blank=True)
    reconfiguration_needed = models.BooleanField(default=False)
    reconfiguration_note = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["migration", "service__category", "service__name"]
        indexes = [models.Index(fields=["migration", "status"], name="link_migration_status")]
        constraints = [
            models.UniqueConstraint(fields=["migration", "service"], name="one_link_per_service"),
            models.CheckConstraint(
                name="link_not_needed_needs_reason",
                condition=~Q(status="not_needed") | ~Q(not_needed_reason=""),
            ),
            models.CheckConstraint(
                name="link_reconnected_after_switch_off",
                condition=Q(reconnected_on__isnull=True)
                | Q(switched_off_on__isnull=True)
                | Q(reconnected_on__gte=F("switched_off_on")),
            ),
        ]

    def __str__(self):
        return str(self.service)


class MeshChange(models.Model):
    """The practice's MESH mailbox before and after the move; partner services must learn the new one."""

    migration = models.OneToOneField(Migration, on_delete=models.CASCADE, related_name="mesh_change")
    old_mailbox = models.CharField("old MESH mailbox", max_length=100, blank=True)
    new_mailbox = models.CharField("new MESH mailbox", max_length=100, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self):
        return f"MESH mailbox {self.old_mailbox or '?'} to {self.new_mailbox or '?'}"


class MeshPartnerNotice(models.Model):
    """One partner service that must be told the new MESH mailbox, and when it was."""

    mesh_change = models.ForeignKey(MeshChange, on_delete=models.CASCADE, related_name="partner_notices")
    partner_name = models.CharField(max_length=150)
    told_on = models.DateField(null=True, blank=True)
    told_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["mesh_change", "partner_name"]
        constraints = [
            models.UniqueConstraint(fields=["mesh_change", "partner_name"], name="one_notice_per_partner"),
        ]

    def __str__(self):
        return self.partner_name


class CutoverRegistrations(models.Model):
    """Patients turned away while registrations were paused for cutover: counts only, never who."""

    migration = models.OneToOneField(Migration, on_delete=models.CASCADE, related_name="cutover_registrations")
    waiting = models.PositiveIntegerField(default=0, help_text="Patients still to register")
    registered = models.PositiveIntegerField(default=0, help_text="Patients registered since go-live")
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name_plural = "cutover registrations"

    def __str__(self):
        return f"{self.waiting} waiting, {self.registered} registered"

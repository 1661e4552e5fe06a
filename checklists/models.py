import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, F, Q, Value, When

from practices.models import Practice, Role, Supplier


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


# Steps whose role no GoLive user holds yet, and the practice role that chases them in the meantime ("To chase"
# in My tasks and the daily digest). The one place to re-route them: when a migration has a project manager
# (delivery partner), its delivery-partner steps go to them instead (issue 12).
CHASED_BY: dict[str, str] = {
    StepRole.DELIVERY_PARTNER: Role.PRACTICE_MANAGER,
    StepRole.NEW_SUPPLIER: Role.PRACTICE_MANAGER,
    StepRole.OLD_SUPPLIER: Role.PRACTICE_MANAGER,
}


def roles_chased_by(roles: set[str]) -> set[str]:
    """The step roles a person holding `roles` at a practice chases (see CHASED_BY)."""
    return {step_role for step_role, chaser in CHASED_BY.items() if chaser in roles}


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
    """Where a migration is, derived from its dates and sign-offs (see MigrationQuerySet.with_stage).

    Each stage has one countdown (checklists.presenters.countdown), so the tag and the countdown agree:
    cutover runs to the go-live date inclusive; from the day after it, a migration not yet live is
    "go-live not signed off" (no read-only countdown: the window runs from the actual go-live).
    """

    PLANNING = "planning", "Planning"
    DATA_CHECKING = "data_checking", "IDP done: data checking"
    CUTOVER = "cutover", "In cutover"
    GO_LIVE_OVERDUE = "go_live_overdue", "Go-live date passed: not signed off"
    LIVE = "live", "Live: old system read-only"
    WINDOW_ENDED = "window_ended", "Read-only window ended"
    FINISHED = "finished", "Finished"
    WITHDRAWN = "withdrawn", "Withdrawn"


# A migration is open until it is withdrawn or finished; a practice has at most one open migration (a partial
# unique constraint). Closed migrations are read-only records.
OPEN_MIGRATION = Q(withdrawn_at__isnull=True, completed_on__isnull=True)


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
    def open(self):
        """Migrations neither withdrawn nor finished (see OPEN_MIGRATION)."""
        return self.filter(OPEN_MIGRATION)

    def with_stage(self, today: datetime.date):
        """Annotate `stage` in SQL, so lists and dashboards can filter and count by it."""
        return self.annotate(
            stage=Case(
                When(withdrawn_at__isnull=False, then=Value(MigrationStage.WITHDRAWN)),
                When(completed_on__isnull=False, then=Value(MigrationStage.FINISHED)),
                When(went_live_on__isnull=False, read_only_ends_on__lt=today, then=Value(MigrationStage.WINDOW_ENDED)),
                When(went_live_on__isnull=False, then=Value(MigrationStage.LIVE)),
                When(go_live_date__lt=today, then=Value(MigrationStage.GO_LIVE_OVERDUE)),
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
    # The actual go-live. A practice that went live before it used GoLive gives the date when it joins part-way.
    went_live_on = models.DateField(null=True, blank=True, help_text="Set when the go-live data is signed off.")
    completed_on = models.DateField(null=True, blank=True, help_text="Set when the end-of-migration steps are done.")
    withdrawn_at = models.DateTimeField(
        null=True, blank=True, help_text="When the migration was withdrawn: it stays on record, read-only."
    )
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawal_reason = models.TextField(blank=True)
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
            # One open migration per practice: a second one is refused by the database, even when two are
            # created at the same moment. Withdrawn and finished migrations free the practice.
            models.UniqueConstraint(fields=["practice"], condition=OPEN_MIGRATION, name="one_open_migration"),
            models.CheckConstraint(
                name="withdrawal_needs_reason",
                condition=Q(withdrawn_at__isnull=True, withdrawal_reason="")
                | (Q(withdrawn_at__isnull=False) & ~Q(withdrawal_reason="")),
            ),
            # A finished migration cannot be withdrawn, and a withdrawn one cannot finish.
            models.CheckConstraint(
                name="withdrawn_or_finished", condition=Q(withdrawn_at__isnull=True) | Q(completed_on__isnull=True)
            ),
        ]

    def __str__(self):
        return f"{self.practice.name}: {self.old_supplier} to {self.new_supplier}"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def is_open(self) -> bool:
        """Neither withdrawn nor finished: the same rule as OPEN_MIGRATION."""
        return self.withdrawn_at is None and self.completed_on is None

    def anchor_dates(self) -> dict[str, datetime.date]:
        return {
            Anchor.IDP: self.idp_date,
            Anchor.FDP: self.fdp_date,
            Anchor.GO_LIVE: self.go_live_date,
            Anchor.READ_ONLY_END: self.read_only_ends_on,
        }

    def stage_on(self, today: datetime.date) -> str:
        """The same rule as MigrationQuerySet.with_stage, for one object already in memory."""
        if self.withdrawn_at:
            return MigrationStage.WITHDRAWN
        if self.completed_on:
            return MigrationStage.FINISHED
        if self.went_live_on:
            return MigrationStage.WINDOW_ENDED if self.read_only_ends_on < today else MigrationStage.LIVE
        if self.go_live_date < today:
            return MigrationStage.GO_LIVE_OVERDUE
        if self.fdp_date <= today:
            return MigrationStage.CUTOVER
        if self.idp_date <= today:
            return MigrationStage.DATA_CHECKING
        return MigrationStage.PLANNING


class StepStatus(models.TextChoices):
    TODO = "todo", "To do"
    DONE = "done", "Done"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


# Steps the guide calls a sign-off (DOMAIN.md §10.4): completed by their record, never by a tick or with their phase.
RECORD_STEP_CODES = frozenset({"DC-12", "GL-02", "EOM-06", "TS-06"})


class StepCompletion(models.TextChoices):
    """How a done step was closed when it was not ticked by the person who did it (blank: ticked)."""

    BEFORE_GOLIVE = "before_golive", "Done before GoLive"
    WITH_PHASE = "with_phase", "Marked done with its whole phase"


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
    completion = models.CharField(
        max_length=20,
        choices=StepCompletion.choices,
        blank=True,
        help_text="Blank when ticked; otherwise how the step was closed without anyone ticking it.",
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
            # "Done before GoLive" names nobody as the doer; both kinds of completion are kinds of done.
            models.CheckConstraint(
                name="step_completion_is_done",
                condition=Q(completion="")
                | Q(status="done", completion="with_phase")
                | Q(status="done", completion="before_golive", completed_by__isnull=True),
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.title}".strip()

    @property
    def is_open(self) -> bool:
        return self.status == StepStatus.TODO

    def is_overdue(self, today: datetime.date) -> bool:
        return self.status == StepStatus.TODO and self.due_date < today

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

ods_code_validator = RegexValidator(
    regex=r"^[A-Z][0-9]{5}$",
    message="Enter an ODS code as a capital letter followed by 5 numbers, like A12345",
)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("Users must have an email address")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with their email address."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150, blank=True)
    is_staff = models.BooleanField(default=False, help_text="Can sign in to the admin site.")
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        ordering = ["email"]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email


class OrganisationStatus(models.TextChoices):
    """An organisation's record status as ODS publishes it (epraccur column 13: A, C, D or P)."""

    ACTIVE = "active", "Open"
    CLOSED = "closed", "Closed"
    DORMANT = "dormant", "Dormant"
    PROPOSED = "proposed", "Proposed"


class Organisation(models.Model):
    """What every level of the NHS geography has: a display name, the name ODS publishes, and a status."""

    name = models.CharField(max_length=200, help_text="The name as people write it")
    ods_name = models.CharField(
        "ODS name", max_length=200, blank=True, help_text="The name exactly as ODS publishes it (often in capitals)"
    )
    status = models.CharField(max_length=10, choices=OrganisationStatus.choices, default=OrganisationStatus.ACTIVE)

    class Meta:
        abstract = True

    @property
    def is_open(self) -> bool:
        return self.status == OrganisationStatus.ACTIVE


class Region(Organisation):
    """An NHS England region (ODS "national grouping", e.g. Y63 North East and Yorkshire)."""

    code = models.CharField("ODS code", max_length=10, unique=True, help_text="For example Y63")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class ICB(Organisation):
    """An Integrated Care Board: the commissioner for a group of practices."""

    code = models.CharField("ODS code", max_length=10, unique=True, help_text="For example QWE")
    region = models.ForeignKey(
        Region,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="icbs",
        help_text="Empty where the data does not say",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "ICB"
        verbose_name_plural = "ICBs"

    def __str__(self):
        return self.name


class SubICBLocation(Organisation):
    """A sub-ICB location ("place"): the old CCG, keeping its code (e.g. 00K), inside one ICB."""

    code = models.CharField("ODS code", max_length=10, unique=True, help_text="For example 00K")
    icb = models.ForeignKey(ICB, on_delete=models.PROTECT, related_name="sub_icb_locations", verbose_name="ICB")

    class Meta:
        ordering = ["name"]
        verbose_name = "sub-ICB location"
        verbose_name_plural = "sub-ICB locations"

    def __str__(self):
        return self.name


class Supplier(models.Model):
    """A clinical system supplier (EMIS, TPP SystmOne, Vision/Cegedim, Microtest, …)."""

    name = models.CharField(max_length=100, unique=True)
    system_name = models.CharField(max_length=100, blank=True, help_text="For example EMIS Web")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class PracticeQuerySet(models.QuerySet):
    def accepting_new_migrations(self):
        """Open practices only: closed, dormant and proposed ones stay for history but start no migration."""
        return self.filter(status=OrganisationStatus.ACTIVE)


class Practice(Organisation):
    """A GP practice. Its ICB follows its sub-ICB location (practices.services keeps the two in step)."""

    ods_code = models.CharField("ODS code", max_length=6, unique=True, validators=[ods_code_validator])
    icb = models.ForeignKey(ICB, on_delete=models.PROTECT, related_name="practices", verbose_name="ICB")
    sub_icb_location = models.ForeignKey(
        SubICBLocation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="practices",
        verbose_name="sub-ICB location",
        help_text="The latest row of the practice's history; empty where the data has none",
    )
    opened_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    current_supplier = models.ForeignKey(
        Supplier,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="current clinical system supplier",
        help_text="The supplier of the clinical system the practice uses today, where known",
    )

    objects = PracticeQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["icb", "name"], name="practice_icb_name"),
            models.Index(fields=["sub_icb_location", "name"], name="practice_place_name"),
        ]

    def __str__(self):
        return f"{self.name} ({self.ods_code})"


class PracticeSubICBLocation(models.Model):
    """Which sub-ICB location a practice belonged to, and when: practices move, and their history must not.

    A half-open period [started_on, ended_on). The row with no ended_on is the current one, and the database
    allows at most one per practice. An empty started_on means "since before our records".
    """

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="sub_icb_history")
    sub_icb_location = models.ForeignKey(
        SubICBLocation, on_delete=models.PROTECT, related_name="+", verbose_name="sub-ICB location"
    )
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        # Oldest first; "since before our records" (no start date) is the oldest of all.
        ordering = ["practice", F("started_on").asc(nulls_first=True), "pk"]
        verbose_name = "practice's sub-ICB location"
        verbose_name_plural = "practices' sub-ICB locations"
        constraints = [
            models.UniqueConstraint(
                fields=["practice"], condition=Q(ended_on__isnull=True), name="one_current_sub_icb_location"
            ),
            models.CheckConstraint(
                name="sub_icb_period_not_reversed",
                condition=Q(ended_on__isnull=True) | Q(started_on__isnull=True) | Q(ended_on__gte=F("started_on")),
            ),
        ]

    def __str__(self):
        return f"{self.practice.ods_code} in {self.sub_icb_location.code} from {self.started_on} to {self.ended_on}"


class Role(models.TextChoices):
    PRACTICE_MANAGER = "practice_manager", "Practice manager"
    PRACTICE_STAFF = "practice_staff", "Practice staff"
    CLINICAL_LEAD = "clinical_lead", "Clinical lead"
    COMMISSIONER = "commissioner", "Commissioner"


PRACTICE_ROLES = {Role.PRACTICE_MANAGER, Role.PRACTICE_STAFF, Role.CLINICAL_LEAD}


class Membership(models.Model):
    """A user's role in one practice, or as commissioner for one ICB or for one sub-ICB location ("place")."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=30, choices=Role.choices)
    practice = models.ForeignKey(Practice, null=True, blank=True, on_delete=models.CASCADE, related_name="memberships")
    icb = models.ForeignKey(
        ICB, null=True, blank=True, on_delete=models.CASCADE, related_name="memberships", verbose_name="ICB"
    )
    sub_icb_location = models.ForeignKey(
        SubICBLocation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name="sub-ICB location",
        help_text="For a commissioner who looks after one place rather than the whole ICB",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="membership_scope",
                condition=(
                    Q(role="commissioner", practice__isnull=True)
                    & (
                        Q(icb__isnull=False, sub_icb_location__isnull=True)
                        | Q(icb__isnull=True, sub_icb_location__isnull=False)
                    )
                )
                | (
                    ~Q(role="commissioner") & Q(practice__isnull=False, icb__isnull=True, sub_icb_location__isnull=True)
                ),
            ),
            models.UniqueConstraint(fields=["user", "practice"], name="one_role_per_practice"),
            models.UniqueConstraint(fields=["user", "icb"], name="one_role_per_icb"),
            models.UniqueConstraint(fields=["user", "sub_icb_location"], name="one_role_per_sub_icb_location"),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} – {self.practice or self.icb or self.sub_icb_location}"

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
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


class ICB(models.Model):
    """An Integrated Care Board: the commissioner for a group of practices."""

    code = models.CharField(max_length=10, unique=True, help_text="For example QWE")
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]
        verbose_name = "ICB"
        verbose_name_plural = "ICBs"

    def __str__(self):
        return self.name


class Practice(models.Model):
    ods_code = models.CharField("ODS code", max_length=6, unique=True, validators=[ods_code_validator])
    name = models.CharField(max_length=200)
    icb = models.ForeignKey(ICB, on_delete=models.PROTECT, related_name="practices")

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["icb", "name"], name="practice_icb_name")]

    def __str__(self):
        return f"{self.name} ({self.ods_code})"


class Supplier(models.Model):
    """A clinical system supplier (EMIS, TPP SystmOne, Vision/Cegedim, Microtest, …)."""

    name = models.CharField(max_length=100, unique=True)
    system_name = models.CharField(max_length=100, blank=True, help_text="For example EMIS Web")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    PRACTICE_MANAGER = "practice_manager", "Practice manager"
    PRACTICE_STAFF = "practice_staff", "Practice staff"
    CLINICAL_LEAD = "clinical_lead", "Clinical lead"
    COMMISSIONER = "commissioner", "Commissioner"


PRACTICE_ROLES = {Role.PRACTICE_MANAGER, Role.PRACTICE_STAFF, Role.CLINICAL_LEAD}


class Membership(models.Model):
    """A user's role in one practice, or as commissioner for one ICB."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=30, choices=Role.choices)
    practice = models.ForeignKey(Practice, null=True, blank=True, on_delete=models.CASCADE, related_name="memberships")
    icb = models.ForeignKey(ICB, null=True, blank=True, on_delete=models.CASCADE, related_name="memberships")

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="membership_practice_xor_icb",
                condition=(
                    Q(role="commissioner", icb__isnull=False, practice__isnull=True)
                    | (~Q(role="commissioner") & Q(practice__isnull=False, icb__isnull=True))
                ),
            ),
            models.UniqueConstraint(fields=["user", "practice"], name="one_role_per_practice"),
            models.UniqueConstraint(fields=["user", "icb"], name="one_role_per_icb"),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} – {self.practice or self.icb}"

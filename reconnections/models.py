"""Third-party reconnections: the service catalogue, each link's way off for cutover and back on after
go-live, the MESH mailbox change and registrations paused for cutover (docs/domain.md, third parties).
Tables keep their first names (they began in checklists and practices)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from checklists.models import Migration
from practices.models import Practice


class ServiceCategory(models.TextChoices):
    """Groups of systems linked to the clinical system (DOMAIN.md §5)."""

    DOCUMENT_MANAGEMENT = "document_management", "Document management and scanning"
    DISPENSING = "dispensing", "Dispensing"
    ANTICOAGULATION = "anticoagulation", "Anticoagulation"
    PATIENT_MESSAGING = "patient_messaging", "Patient messaging"
    PATIENT_ONLINE = "patient_online", "Patient apps and online services"
    PRESCRIBING = "prescribing", "Prescribing"
    PATHOLOGY = "pathology", "Pathology"
    REFERRALS = "referrals", "Referrals"
    REGISTRATION = "registration", "Registration links"
    MESSAGING_TRANSPORT = "messaging_transport", "Messaging transport"
    NATIONAL_RECORDS = "national_records", "National record services"
    SCREENING = "screening", "Screening"
    URGENT_CARE = "urgent_care", "Urgent care"
    OTHER = "other", "Other"


class ThirdPartyService(models.Model):
    """A system that connects to the clinical system and is switched off for cutover.

    Catalogue entries (practice empty) are kept by admins; a practice may add its own local services.
    """

    name = models.CharField(max_length=100)
    category = models.CharField(max_length=30, choices=ServiceCategory.choices)
    company = models.CharField(max_length=100, blank=True, help_text="The company behind the service")
    support_contact = models.CharField(max_length=200, blank=True, help_text="A support desk phone or email")
    notes = models.TextField(blank=True)
    notice_working_days = models.PositiveSmallIntegerField(
        default=5, help_text="Working days' notice the service needs before it is switched off"
    )
    practice = models.ForeignKey(
        Practice,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="local_services",
        help_text="Empty for the national catalogue; set for a practice's own local service.",
    )

    class Meta:
        db_table = "practices_thirdpartyservice"
        ordering = ["category", "name"]
        verbose_name = "third-party service"
        indexes = [models.Index(fields=["practice", "category", "name"], name="service_practice_category")]
        constraints = [
            models.UniqueConstraint(
                fields=["name"], condition=Q(practice__isnull=True), name="catalogue_service_name_unique"
            ),
            models.UniqueConstraint(
                fields=["practice", "name"], condition=Q(practice__isnull=False), name="local_service_name_unique"
            ),
        ]

    def __str__(self):
        return self.name


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
        db_table = "checklists_thirdpartylink"
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

    class Meta:
        db_table = "checklists_meshchange"

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
        db_table = "checklists_meshpartnernotice"
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
        db_table = "checklists_cutoverregistrations"
        verbose_name_plural = "cutover registrations"

    def __str__(self):
        return f"{self.waiting} waiting, {self.registered} registered"

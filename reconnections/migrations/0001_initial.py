"""Third-party links, MESH change and cutover registrations from checklists, and the service catalogue from
practices, moved here (docs/decisions/0009).

State only: the tables keep their names (Meta.db_table) and rows."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("checklists", "0005_go_live_and_reconnections_moved_out"),
        ("practices", "0004_third_party_service_moved_to_reconnections"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    state_operations = [
        migrations.CreateModel(
            name="CutoverRegistrations",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("waiting", models.PositiveIntegerField(default=0, help_text="Patients still to register")),
                ("registered", models.PositiveIntegerField(default=0, help_text="Patients registered since go-live")),
                ("version", models.PositiveIntegerField(default=1)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "migration",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="cutover_registrations",
                        to="checklists.migration",
                    ),
                ),
                (
                    "updated_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "cutover registrations",
                "db_table": "checklists_cutoverregistrations",
            },
        ),
        migrations.CreateModel(
            name="MeshChange",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("old_mailbox", models.CharField(blank=True, max_length=100, verbose_name="old MESH mailbox")),
                ("new_mailbox", models.CharField(blank=True, max_length=100, verbose_name="new MESH mailbox")),
                ("version", models.PositiveIntegerField(default=1)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "migration",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="mesh_change",
                        to="checklists.migration",
                    ),
                ),
                (
                    "updated_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "db_table": "checklists_meshchange",
            },
        ),
        migrations.CreateModel(
            name="ThirdPartyService",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=100)),
                (
                    "category",
                    models.CharField(
                        choices=[
                            ("document_management", "Document management and scanning"),
                            ("dispensing", "Dispensing"),
                            ("anticoagulation", "Anticoagulation"),
                            ("patient_messaging", "Patient messaging"),
                            ("patient_online", "Patient apps and online services"),
                            ("prescribing", "Prescribing"),
                            ("pathology", "Pathology"),
                            ("referrals", "Referrals"),
                            ("registration", "Registration links"),
                            ("messaging_transport", "Messaging transport"),
                            ("national_records", "National record services"),
                            ("screening", "Screening"),
                            ("urgent_care", "Urgent care"),
                            ("other", "Other"),
                        ],
                        max_length=30,
                    ),
                ),
                ("company", models.CharField(blank=True, help_text="The company behind the service", max_length=100)),
                (
                    "support_contact",
                    models.CharField(blank=True, help_text="A support desk phone or email", max_length=200),
                ),
                ("notes", models.TextField(blank=True)),
                (
                    "notice_working_days",
                    models.PositiveSmallIntegerField(
                        default=5, help_text="Working days' notice the service needs before it is switched off"
                    ),
                ),
                (
                    "practice",
                    models.ForeignKey(
                        blank=True,
                        help_text="Empty for the national catalogue; set for a practice's own local service.",
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="local_services",
                        to="practices.practice",
                    ),
                ),
            ],
            options={
                "verbose_name": "third-party service",
                "db_table": "practices_thirdpartyservice",
                "ordering": ["category", "name"],
            },
        ),
        migrations.CreateModel(
            name="ThirdPartyLink",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("in_use", "In use"),
                            ("supplier_told", "Supplier told"),
                            ("switched_off", "Switched off"),
                            ("reconnection_requested", "Reconnection requested"),
                            ("reconnected", "Reconnected"),
                            ("verified", "Verified working"),
                            ("not_needed", "Not needed"),
                        ],
                        default="in_use",
                        max_length=30,
                    ),
                ),
                ("told_on", models.DateField(blank=True, null=True, verbose_name="supplier told on")),
                ("switched_off_on", models.DateField(blank=True, null=True)),
                ("reconnection_requested_on", models.DateField(blank=True, null=True)),
                ("reconnection_contact", models.CharField(blank=True, max_length=200)),
                ("reconnection_reference", models.CharField(blank=True, max_length=100)),
                ("reconnected_on", models.DateField(blank=True, null=True)),
                ("verified_on", models.DateField(blank=True, null=True)),
                ("verified_at", models.DateTimeField(blank=True, null=True)),
                ("not_needed_reason", models.TextField(blank=True)),
                ("reconfiguration_needed", models.BooleanField(default=False)),
                ("reconfiguration_note", models.TextField(blank=True)),
                ("version", models.PositiveIntegerField(default=1)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "migration",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="third_party_links",
                        to="checklists.migration",
                    ),
                ),
                (
                    "updated_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "verified_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "service",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="links",
                        to="reconnections.thirdpartyservice",
                    ),
                ),
            ],
            options={
                "db_table": "checklists_thirdpartylink",
                "ordering": ["migration", "service__category", "service__name"],
            },
        ),
        migrations.CreateModel(
            name="MeshPartnerNotice",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("partner_name", models.CharField(max_length=150)),
                ("told_on", models.DateField(blank=True, null=True)),
                (
                    "mesh_change",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="partner_notices",
                        to="reconnections.meshchange",
                    ),
                ),
                (
                    "told_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "db_table": "checklists_meshpartnernotice",
                "ordering": ["mesh_change", "partner_name"],
                "constraints": [
                    models.UniqueConstraint(fields=("mesh_change", "partner_name"), name="one_notice_per_partner")
                ],
            },
        ),
        migrations.AddIndex(
            model_name="thirdpartyservice",
            index=models.Index(fields=["practice", "category", "name"], name="service_practice_category"),
        ),
        migrations.AddConstraint(
            model_name="thirdpartyservice",
            constraint=models.UniqueConstraint(
                condition=models.Q(("practice__isnull", True)), fields=("name",), name="catalogue_service_name_unique"
            ),
        ),
        migrations.AddConstraint(
            model_name="thirdpartyservice",
            constraint=models.UniqueConstraint(
                condition=models.Q(("practice__isnull", False)),
                fields=("practice", "name"),
                name="local_service_name_unique",
            ),
        ),
        migrations.AddIndex(
            model_name="thirdpartylink",
            index=models.Index(fields=["migration", "status"], name="link_migration_status"),
        ),
        migrations.AddConstraint(
            model_name="thirdpartylink",
            constraint=models.UniqueConstraint(fields=("migration", "service"), name="one_link_per_service"),
        ),
        migrations.AddConstraint(
            model_name="thirdpartylink",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "not_needed"), _negated=True),
                    models.Q(("not_needed_reason", ""), _negated=True),
                    _connector="OR",
                ),
                name="link_not_needed_needs_reason",
            ),
        ),
        migrations.AddConstraint(
            model_name="thirdpartylink",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("reconnected_on__isnull", True),
                    ("switched_off_on__isnull", True),
                    ("reconnected_on__gte", models.F("switched_off_on")),
                    _connector="OR",
                ),
                name="link_reconnected_after_switch_off",
            ),
        ),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations)]

"""The go-live day's records, moved here from checklists (docs/decisions/0009).

State only: the tables were created by checklists 0003 and keep their names (Meta.db_table) and rows."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("checklists", "0005_go_live_and_reconnections_moved_out"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    state_operations = [
        migrations.CreateModel(
            name="GoLiveSignOff",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("sequence", models.PositiveIntegerField()),
                (
                    "signed_by_name",
                    models.CharField(help_text="Who signed, kept as shown at the time.", max_length=254),
                ),
                (
                    "role",
                    models.CharField(
                        choices=[
                            ("practice_manager", "Practice manager"),
                            ("practice_staff", "Practice staff"),
                            ("clinical_lead", "Clinical lead"),
                            ("commissioner", "Commissioner"),
                        ],
                        max_length=30,
                    ),
                ),
                ("signed_at", models.DateTimeField()),
                ("statement_version", models.CharField(max_length=20)),
                ("readiness_snapshot", models.JSONField(help_text="The readiness summary the signer saw.")),
                ("supersede_reason", models.TextField(blank=True)),
                (
                    "migration",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="go_live_sign_offs",
                        to="checklists.migration",
                    ),
                ),
                (
                    "signed_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
                (
                    "supersedes",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="superseded_by",
                        to="go_live.golivesignoff",
                    ),
                ),
            ],
            options={
                "db_table": "checklists_golivesignoff",
                "ordering": ["migration", "-sequence"],
            },
        ),
        migrations.CreateModel(
            name="Issue",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("title", models.CharField(max_length=200)),
                ("description", models.TextField(blank=True)),
                (
                    "severity",
                    models.CharField(
                        choices=[("critical", "Critical"), ("high", "High"), ("medium", "Medium"), ("low", "Low")],
                        max_length=20,
                    ),
                ),
                ("target_date", models.DateField(blank=True, null=True)),
                ("supplier_reference", models.CharField(blank=True, max_length=100)),
                (
                    "status",
                    models.CharField(
                        choices=[("open", "Open"), ("resolved", "Resolved")], default="open", max_length=20
                    ),
                ),
                ("resolution_note", models.TextField(blank=True)),
                ("raised_at", models.DateTimeField(auto_now_add=True)),
                ("resolved_at", models.DateTimeField(blank=True, null=True)),
                ("version", models.PositiveIntegerField(default=1)),
                (
                    "migration",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="issues", to="checklists.migration"
                    ),
                ),
                (
                    "owner",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="owned_issues",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "raised_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
                (
                    "resolved_by",
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
                "db_table": "checklists_issue",
                "ordering": ["migration", "-raised_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="ProcessReviewReference",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "item",
                    models.CharField(
                        choices=[
                            ("mapping_tables", "Mapping tables"),
                            ("data_migration", "Data migration report"),
                            ("data_extract", "Documented data extract (DDE)"),
                            ("safety_case", "Hazard log and clinical safety case"),
                            ("issue_log", "Issue log"),
                            ("cutover_timescale", "Cutover timescale"),
                        ],
                        max_length=30,
                    ),
                ),
                ("reference", models.CharField(max_length=100)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "migration",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="process_review_references",
                        to="checklists.migration",
                    ),
                ),
                (
                    "updated_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
            ],
            options={
                "db_table": "checklists_processreviewreference",
            },
        ),
        migrations.CreateModel(
            name="SupplierConfirmation",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("told_on", models.DateField()),
                ("contact", models.CharField(max_length=200)),
                ("reference", models.CharField(blank=True, max_length=100)),
                ("recorded_at", models.DateTimeField(auto_now_add=True)),
                (
                    "migration",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="supplier_confirmations",
                        to="checklists.migration",
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
                (
                    "sign_off",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="supplier_confirmation",
                        to="go_live.golivesignoff",
                    ),
                ),
            ],
            options={
                "db_table": "checklists_supplierconfirmation",
            },
        ),
        migrations.CreateModel(
            name="DataCheck",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "area",
                    models.CharField(
                        choices=[
                            ("qof", "QOF and indicator points"),
                            ("cytology", "Cytology targets"),
                            ("immunisation", "Immunisation targets"),
                            ("capitation", "Capitation figures"),
                            ("local_codes", "Local code remapping"),
                            ("degraded_codes", "Degraded codes"),
                            ("idp_sample", "IDP sample patients re-checked"),
                            ("random_sample", "Random sample patients"),
                        ],
                        max_length=30,
                    ),
                ),
                (
                    "round",
                    models.CharField(
                        choices=[
                            ("idp", "Initial data production (IDP)"),
                            ("fdp", "Final data production (FDP)"),
                            ("go_live", "Go-live"),
                            ("post_go_live", "Post go-live"),
                        ],
                        max_length=20,
                    ),
                ),
                (
                    "result",
                    models.CharField(
                        choices=[
                            ("passed", "Passed"),
                            ("passed_with_issues", "Passed with issues"),
                            ("failed", "Failed"),
                        ],
                        max_length=20,
                    ),
                ),
                ("records_checked", models.PositiveIntegerField()),
                ("problems_found", models.PositiveIntegerField()),
                ("supplier_reference", models.CharField(blank=True, max_length=100)),
                ("note", models.TextField(blank=True)),
                ("checked_on", models.DateField()),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "checked_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
                (
                    "migration",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="data_checks",
                        to="checklists.migration",
                    ),
                ),
            ],
            options={
                "db_table": "checklists_datacheck",
                "ordering": ["migration", "-checked_on", "-created_at", "-pk"],
                "indexes": [
                    models.Index(
                        fields=["migration", "round", "area", "-checked_on"], name="datacheck_migration_round_area"
                    )
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("problems_found__lte", models.F("records_checked"))),
                        name="datacheck_problems_within_records",
                    )
                ],
            },
        ),
        migrations.AddConstraint(
            model_name="golivesignoff",
            constraint=models.UniqueConstraint(fields=("migration", "sequence"), name="signoff_migration_sequence"),
        ),
        migrations.AddConstraint(
            model_name="golivesignoff",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("sequence", 1), ("supersedes__isnull", True)),
                    models.Q(
                        ("sequence__gt", 1),
                        ("supersedes__isnull", False),
                        models.Q(("supersede_reason", ""), _negated=True),
                    ),
                    _connector="OR",
                ),
                name="signoff_correction_needs_reason",
            ),
        ),
        migrations.AddIndex(
            model_name="issue",
            index=models.Index(fields=["migration", "status", "severity"], name="issue_migration_status_sev"),
        ),
        migrations.AddIndex(
            model_name="issue",
            index=models.Index(fields=["owner", "status"], name="issue_owner_status"),
        ),
        migrations.AddConstraint(
            model_name="issue",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "resolved"), _negated=True),
                    models.Q(models.Q(("resolution_note", ""), _negated=True), ("resolved_at__isnull", False)),
                    _connector="OR",
                ),
                name="issue_resolved_needs_note",
            ),
        ),
        migrations.AddConstraint(
            model_name="processreviewreference",
            constraint=models.UniqueConstraint(fields=("migration", "item"), name="review_reference_per_item"),
        ),
        migrations.AddIndex(
            model_name="supplierconfirmation",
            index=models.Index(fields=["migration", "-told_on"], name="supplierconfirm_migration"),
        ),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations)]

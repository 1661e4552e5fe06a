"""Go-live records moved to the go_live app and third-party links to reconnections (docs/decisions/0009).

State only: the tables stay where they are, under their first names (each new model sets Meta.db_table)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("checklists", "0004_merge_20261127_1233"),
    ]

    state_operations = [
        migrations.RemoveField(
            model_name="datacheck",
            name="checked_by",
        ),
        migrations.RemoveField(
            model_name="datacheck",
            name="migration",
        ),
        migrations.RemoveField(
            model_name="golivesignoff",
            name="migration",
        ),
        migrations.RemoveField(
            model_name="golivesignoff",
            name="signed_by",
        ),
        migrations.RemoveField(
            model_name="golivesignoff",
            name="supersedes",
        ),
        migrations.RemoveField(
            model_name="supplierconfirmation",
            name="sign_off",
        ),
        migrations.RemoveField(
            model_name="issue",
            name="migration",
        ),
        migrations.RemoveField(
            model_name="issue",
            name="owner",
        ),
        migrations.RemoveField(
            model_name="issue",
            name="raised_by",
        ),
        migrations.RemoveField(
            model_name="issue",
            name="resolved_by",
        ),
        migrations.RemoveField(
            model_name="meshchange",
            name="migration",
        ),
        migrations.RemoveField(
            model_name="meshchange",
            name="updated_by",
        ),
        migrations.RemoveField(
            model_name="meshpartnernotice",
            name="mesh_change",
        ),
        migrations.RemoveField(
            model_name="meshpartnernotice",
            name="told_by",
        ),
        migrations.RemoveField(
            model_name="processreviewreference",
            name="migration",
        ),
        migrations.RemoveField(
            model_name="processreviewreference",
            name="updated_by",
        ),
        migrations.RemoveField(
            model_name="supplierconfirmation",
            name="migration",
        ),
        migrations.RemoveField(
            model_name="supplierconfirmation",
            name="recorded_by",
        ),
        migrations.RemoveField(
            model_name="thirdpartylink",
            name="migration",
        ),
        migrations.RemoveField(
            model_name="thirdpartylink",
            name="service",
        ),
        migrations.RemoveField(
            model_name="thirdpartylink",
            name="updated_by",
        ),
        migrations.RemoveField(
            model_name="thirdpartylink",
            name="verified_by",
        ),
        migrations.DeleteModel(
            name="CutoverRegistrations",
        ),
        migrations.DeleteModel(
            name="DataCheck",
        ),
        migrations.DeleteModel(
            name="GoLiveSignOff",
        ),
        migrations.DeleteModel(
            name="Issue",
        ),
        migrations.DeleteModel(
            name="MeshChange",
        ),
        migrations.DeleteModel(
            name="MeshPartnerNotice",
        ),
        migrations.DeleteModel(
            name="ProcessReviewReference",
        ),
        migrations.DeleteModel(
            name="SupplierConfirmation",
        ),
        migrations.DeleteModel(
            name="ThirdPartyLink",
        ),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations)]

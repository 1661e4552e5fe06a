"""The third-party service catalogue moved to the reconnections app (docs/decisions/0009).

State only: the table practices_thirdpartyservice stays, and keeps its rows."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("checklists", "0005_go_live_and_reconnections_moved_out"),
        ("practices", "0003_seed_third_party_service_catalogue"),
    ]

    state_operations = [
        migrations.DeleteModel(
            name="ThirdPartyService",
        ),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations)]

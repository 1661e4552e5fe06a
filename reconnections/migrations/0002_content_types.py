"""Point the moved models' content types (and so their permissions and admin log) at reconnections.

On an existing database the rows still say "checklists" (links, MESH, registrations) or "practices" (the
catalogue); on a fresh one they do not exist yet (post_migrate creates them), so there is nothing to move.
"""

from django.db import migrations

from golive.core.content_types import content_types_move

FROM_CHECKLISTS = ["thirdpartylink", "meshchange", "meshpartnernotice", "cutoverregistrations"]
FROM_PRACTICES = ["thirdpartyservice"]


def forwards(apps, schema_editor):
    content_types_move(apps, FROM_CHECKLISTS, from_app="checklists", to_app="reconnections")
    content_types_move(apps, FROM_PRACTICES, from_app="practices", to_app="reconnections")


def backwards(apps, schema_editor):
    content_types_move(apps, FROM_CHECKLISTS, from_app="reconnections", to_app="checklists")
    content_types_move(apps, FROM_PRACTICES, from_app="reconnections", to_app="practices")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("reconnections", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

"""Point the moved models' content types (and so their permissions and admin log) at go_live.

On an existing database the rows still say app_label "checklists"; on a fresh one they do not exist yet
(post_migrate creates them after every migration), so there is nothing to move.
"""

from django.db import migrations

from golive.core.content_types import content_types_move

MODELS = ["datacheck", "golivesignoff", "supplierconfirmation", "issue", "processreviewreference"]


def forwards(apps, schema_editor):
    content_types_move(apps, MODELS, from_app="checklists", to_app="go_live")


def backwards(apps, schema_editor):
    content_types_move(apps, MODELS, from_app="go_live", to_app="checklists")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("go_live", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

"""Seed the third-party service catalogue with the common services from the migration guides (DOMAIN.md §5)."""

from django.db import migrations

from reconnections.catalogue import CATALOGUE, catalogue_load


def seed(apps, schema_editor):
    catalogue_load(apps.get_model("practices", "ThirdPartyService"))


def unseed(apps, schema_editor):
    ThirdPartyService = apps.get_model("practices", "ThirdPartyService")
    ThirdPartyService.objects.filter(practice=None, name__in=[row[0] for row in CATALOGUE]).delete()


class Migration(migrations.Migration):
    dependencies = [("practices", "0002_third_party_service_catalogue")]

    operations = [migrations.RunPython(seed, unseed)]

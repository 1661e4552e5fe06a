"""Migration 0005 keeps today's ICBs, practices and memberships valid: the geography it adds is optional."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("practices", "0004_third_party_service_moved_to_reconnections")]
AFTER = [("practices", "0005_nhs_geography")]


@pytest.fixture
def migrator(transactional_db):
    executor = MigrationExecutor(connection)
    yield executor
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_existing_icbs_practices_and_commissioners_survive_the_geography_migration(migrator):
    migrator.migrate(BEFORE)
    old = migrator.loader.project_state(BEFORE).apps
    icb = old.get_model("practices", "ICB").objects.create(code="QXX", name="NHS Existing ICB")
    old.get_model("practices", "Practice").objects.create(ods_code="A12345", name="Existing Surgery", icb=icb)
    user = old.get_model("practices", "User").objects.create(email="commissioner@existing.example")
    old.get_model("practices", "Membership").objects.create(user=user, role="commissioner", icb=icb)

    migrator.loader.build_graph()
    migrator.migrate(AFTER)
    new = migrator.loader.project_state(AFTER).apps
    practice = new.get_model("practices", "Practice").objects.get(ods_code="A12345")
    assert (practice.icb_id, practice.sub_icb_location_id, practice.status) == (icb.pk, None, "active")
    assert new.get_model("practices", "ICB").objects.get(pk=icb.pk).region_id is None
    membership = new.get_model("practices", "Membership").objects.get(user_id=user.pk)
    assert (membership.icb_id, membership.sub_icb_location_id) == (icb.pk, None)

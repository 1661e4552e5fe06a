"""A withdrawn migration is read-only for everyone: every write service refuses, and every page that takes a post
answers without a 500 and writes nothing (issue 10, item 5)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from checklists.services import MigrationWithdrawn, migration_withdraw
from go_live import services as go_live_services
from go_live.models import CURRENT_GO_LIVE_STATEMENT
from go_live.selectors import sign_off_blocking_steps
from reconnections import services as reconnection_services
from reconnections.models import ThirdPartyService
from tests.factories import IssueFactory, MeshPartnerNoticeFactory, ThirdPartyLinkFactory
from tests.test_authorisation import _snapshot, ids_for, object_id_urls


def withdraw(world):
    migration_withdraw(user=world.commissioner, migration=world.migration, reason="Created for the wrong practice")


def writes(world):
    """Every go-live and reconnection write, with answers that would be saved on an open migration."""
    migration, manager, today = world.migration, world.manager, timezone.localdate()
    issue = IssueFactory(migration=migration, raised_by=manager)
    link = ThirdPartyLinkFactory(migration=migration, status="in_use")
    notice = MeshPartnerNoticeFactory(mesh_change__migration=migration)
    service = ThirdPartyService.objects.create(name="A new local service", category="document_management")
    return {
        "data_check_record": lambda: go_live_services.data_check_record(
            user=manager,
            migration=migration,
            area="qof",
            round="go_live",
            result="passed",
            records_checked=10,
            problems_found=0,
            checked_on=today,
        ),
        "go_live_sign_off": lambda: go_live_services.go_live_sign_off(
            user=manager, migration=migration, statement_version=CURRENT_GO_LIVE_STATEMENT, expected_current_id=None
        ),
        "issue_raise": lambda: go_live_services.issue_raise(
            user=manager, migration=migration, title="Late", severity="low"
        ),
        "issue_update": lambda: go_live_services.issue_update(
            user=manager,
            issue=issue,
            expected_version=issue.version,
            title="Changed",
            severity="low",
            status="open",
        ),
        "process_review_references_save": lambda: go_live_services.process_review_references_save(
            user=manager, migration=migration, references={"mapping_tables": "MT-1"}
        ),
        "link_move": lambda: reconnection_services.link_move(
            user=manager,
            link=link,
            to_status="supplier_told",
            expected_version=link.version,
            today=today,
            told_on=today - datetime.timedelta(days=1),
        ),
        "link_set_reconfiguration": lambda: reconnection_services.link_set_reconfiguration(
            user=manager, link=link, needed=True, note="Re-point it", expected_version=link.version
        ),
        "links_create": lambda: reconnection_services.links_create(
            user=manager, migration=migration, services=[service]
        ),
        "local_service_add": lambda: reconnection_services.local_service_add(
            user=manager, migration=migration, name="Another local service", category="document_management"
        ),
        "mesh_change_save": lambda: reconnection_services.mesh_change_save(
            user=manager, migration=migration, old_mailbox="A12345OT001", new_mailbox="A12345NT002"
        ),
        "mesh_partner_add": lambda: reconnection_services.mesh_partner_add(
            user=manager, migration=migration, partner_name="Local hospice"
        ),
        "mesh_partner_mark_told": lambda: reconnection_services.mesh_partner_mark_told(
            user=manager, notice=notice, migration=migration, told_on=today, today=today
        ),
        "cutover_registrations_update": lambda: reconnection_services.cutover_registrations_update(
            user=manager, migration=migration, waiting=3, registered=1
        ),
    }


def test_every_go_live_and_reconnection_write_is_refused_after_withdrawal(world):
    sign_off_blocking_steps(world.migration).update(status="done")
    attempts = writes(world)
    withdraw(world)
    before = _snapshot()
    for name, write in attempts.items():
        with pytest.raises(MigrationWithdrawn):
            write()
        assert _snapshot() == before, name


@pytest.mark.parametrize("who", ["manager", "staff", "commissioner", "admin"])
def test_every_post_to_a_withdrawn_migration_writes_nothing_and_never_fails(client_for, world, who):
    ids = ids_for(world)
    withdraw(world)
    client = client_for(getattr(world, who))
    before = _snapshot()
    for name, kwargs in object_id_urls():
        url = reverse(name, kwargs={kwarg: ids[kwarg] for kwarg in kwargs})
        response = client.post(url, {"status": "done", "version": 1, "reason": "Try anyway", "confirm": "1"})
        assert response.status_code < 500, f"POST {url} as {who}: {response.status_code}"
        assert _snapshot() == before, f"POST {url} as {who} wrote something"

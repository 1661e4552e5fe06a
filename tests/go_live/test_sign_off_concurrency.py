"""Two managers (or one double click) signing off at the same instant leave exactly one sign-off (RELIABILITY.md L4).

Real threads, each with its own database connection, released together by a barrier. On PostgreSQL the
service's select_for_update on the migration queues the second signer behind the first; on SQLite the
IMMEDIATE transactions serialise the writers the same way.
"""

import threading

import pytest
from django.db import connection

from checklists.models import StepStatus
from go_live import services
from go_live.models import CURRENT_GO_LIVE_STATEMENT, GoLiveSignOff
from go_live.selectors import sign_off_blocking_steps
from golive.core.models import AuditEvent
from practices.models import Role
from tests.factories import MembershipFactory

SIGNERS = 4


def sign_off_at_once(users, migration):
    barrier = threading.Barrier(len(users))
    outcomes = []

    def sign(user):
        try:
            barrier.wait(timeout=10)
            services.go_live_sign_off(
                user=user,
                migration=migration,
                statement_version=CURRENT_GO_LIVE_STATEMENT,
                expected_current_id=None,
            )
            outcomes.append("signed")
        except services.SignOffConflict as conflict:
            outcomes.append(("told", conflict.current.signed_by_id))
        finally:
            connection.close()

    threads = [threading.Thread(target=sign, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_simultaneous_sign_offs_leave_one_and_tell_the_others_who_signed(world):
    migration = world.migration
    sign_off_blocking_steps(migration).update(status=StepStatus.DONE)
    second_manager = MembershipFactory(practice=world.home, role=Role.PRACTICE_MANAGER).user
    users = [world.manager, second_manager] * (SIGNERS // 2)

    outcomes = sign_off_at_once(users, migration)

    sign_off = GoLiveSignOff.objects.get(migration=migration)
    assert sorted(outcomes, key=str) == sorted(["signed"] + [("told", sign_off.signed_by_id)] * (SIGNERS - 1), key=str)
    assert AuditEvent.objects.filter(action="go_live.signed_off").count() == 1
    assert AuditEvent.objects.filter(action="migration.went_live").count() == 1
    assert migration.steps.get(code="GL-02").version == 2

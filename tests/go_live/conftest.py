import pytest

from checklists.models import StepStatus
from go_live.selectors import sign_off_blocking_steps


@pytest.fixture
def ready(world):
    """The home migration with every critical step before the sign-off done: nothing blocks signing."""
    sign_off_blocking_steps(world.migration).update(status=StepStatus.DONE)
    return world.migration

import contextlib

import pytest

from reminders.tasks import send_reminders


class FakeSendTask:
    """Stands in for the broker in unit tests (the integration tests use a real Redis and worker)."""

    def __init__(self):
        self.queued: list[int] = []

    def apply_async(self, args, **options):
        (batch,) = args
        self.queued.extend(batch)


@pytest.fixture
def queued(monkeypatch):
    fake = FakeSendTask()
    monkeypatch.setattr(send_reminders.app, "producer_or_acquire", contextlib.nullcontext)
    monkeypatch.setattr(send_reminders, "apply_async", fake.apply_async)
    return fake.queued

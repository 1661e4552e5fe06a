import pytest


class FakeSendTask:
    """Stands in for the broker in unit tests (the integration tests use a real Redis and worker)."""

    def __init__(self):
        self.queued: list[int] = []

    def apply_async(self, args, **options):
        self.queued.extend(args)


@pytest.fixture
def queued(monkeypatch):
    fake = FakeSendTask()
    monkeypatch.setattr("reminders.tasks.send_reminder.apply_async", fake.apply_async)
    return fake.queued

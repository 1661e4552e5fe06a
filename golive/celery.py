"""The Celery app. Beat's schedule lives here, in code, in Europe/London time."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "golive.settings.local")

app = Celery("golive")
app.config_from_object("django.conf:settings", namespace="CELERY")

# The filesystem broker (the embedded default) needs its folders before the first message.
for option in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
    folder = (app.conf.broker_transport_options or {}).get(option)
    if folder:
        os.makedirs(folder, exist_ok=True)
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # Hourly at five past: insert the reminders now due and queue their sends; also re-queues stuck ones.
    # Hourly (not at one wall-clock time) so the UK clock changes cannot skip or double a day's reminders.
    "sweep-reminders": {"task": "reminders.sweep", "schedule": crontab(minute=5)},
}

"""The Celery application. Without REDIS_URL the settings make every task run eagerly."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = Celery("casework")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The schedule lives in code so it is reviewed like code. Times are Europe/London (CELERY_TIMEZONE).
app.conf.beat_schedule = {
    "clear-expired-sessions-nightly": {
        "task": "cases.tasks.clear_expired_sessions",
        "schedule": crontab(hour=3, minute=15),
    },
}

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
    # Each authority sets its own digest time (06:30 by default): every quarter hour the job sends
    # the digests of authorities whose time has come and who have not had today's.
    "send-digests": {
        "task": "cases.tasks.send_digests",
        "schedule": crontab(minute="*/15"),
    },
    # Young people in care who turned 16 get their pathway deadlines (idempotent, so a missed or
    # repeated day is harmless).
    "open-pathway-clocks-daily": {
        "task": "planning.tasks.open_pathway_clocks",
        "schedule": crontab(hour=5, minute=40),
    },
    # Uploaded past returns are children's data: kept for 30 days to preview and confirm, no longer.
    "clear-old-staged-import-files-nightly": {
        "task": "returns.tasks.clear_old_staged_files",
        "schedule": crontab(hour=3, minute=30),
    },
    # The Performance page's rollup: marked buckets are recounted on commit; this catches any
    # whose task was lost, and the nightly rebuild recounts everything in case a mark was.
    "refresh-performance-rollup": {
        "task": "cases.tasks.refresh_performance_rollup",
        "schedule": crontab(minute="*"),
    },
    "rebuild-performance-rollup-nightly": {
        "task": "cases.tasks.rebuild_performance_rollup",
        "schedule": crontab(hour=2, minute=10),
    },
    "raise-overdue-alerts": {
        "task": "cases.tasks.raise_overdue_alerts",
        "schedule": crontab(minute="*/5"),
    },
}

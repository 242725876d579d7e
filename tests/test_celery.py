"""Celery wiring: the beat schedule, the eager quick-start path, and a real worker on Redis."""

from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from cases import tasks
from config.celery import app
from tests.workers import celery_client, celery_workers


def _expired_and_live_sessions():
    expired, live = SessionStore(), SessionStore()
    expired.create()
    live.create()
    Session.objects.filter(session_key=expired.session_key).update(expire_date=timezone.now() - timedelta(days=1))
    return expired.session_key, live.session_key


def test_beat_schedule_names_registered_tasks():
    app.loader.import_default_modules()
    for entry in app.conf.beat_schedule.values():
        assert entry["task"] in app.tasks, entry["task"]


@pytest.mark.django_db
def test_without_redis_the_task_runs_eagerly():
    expired, live = _expired_and_live_sessions()
    assert tasks.clear_expired_sessions.delay().get() == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == [live]


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_on_redis_runs_the_task(celery_broker):
    expired, live = _expired_and_live_sessions()
    client = celery_client(celery_broker)
    with celery_workers(celery_broker):
        try:
            result = client.send_task("cases.tasks.clear_expired_sessions")
            assert result.get(timeout=60) == 1
            assert not Session.objects.filter(session_key=expired).exists()
            assert Session.objects.filter(session_key=live).exists()
        finally:
            client.close()

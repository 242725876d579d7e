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


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_produces_and_checks_a_return(celery_broker, timescales_loaded):
    """The Returns page's task on a real worker: the run it finds committed is produced, checked
    and kept, and running the task again changes nothing."""
    from datetime import date

    from cases.roles import Role
    from returns.models import ReturnRun
    from tests.returns.cin_world import world

    york = world("york")
    york.referral(york.child(first_name="Ava"), date(2025, 6, 2))
    run = ReturnRun.objects.create(authority=york.authority, kind="cin", year_ending=2026,
                                   requested_by=york.people[Role.DATA_OFFICER])  # fmt: skip
    client = celery_client(celery_broker)
    with celery_workers(celery_broker):
        try:
            assert client.send_task("returns.tasks.produce_return", args=[run.pk]).get(timeout=120) == "done"
            run.refresh_from_db()
            assert (run.status, run.progress, run.children, run.errors) == ("done", 100, 1, 0)
            finished = run.finished_at
            assert client.send_task("returns.tasks.produce_return", args=[run.pk]).get(timeout=60) == "done"
            run.refresh_from_db()
            assert run.finished_at == finished
        finally:
            client.close()

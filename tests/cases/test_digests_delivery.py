"""The digests with real parts: a real SMTP server on localhost (aiosmtpd) receiving them, and real
Celery workers on Redis running the beat job. Each person gets exactly one email, whatever runs
twice, at once, or meets a mail server that is down."""

import threading
import time
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from cases.models import AlertSettings, Authority, DigestSend
from tests.cases.alerts_world import build_world
from tests.workers import celery_client, celery_workers, free_port, smtp_server

pytestmark = pytest.mark.django_db(transaction=True)

EXPECTED = ["bob@leeds.test", "max@leeds.test", "mona@leeds.test", "sue@leeds.test", "wendy@leeds.test",
            "yuri@york.test"]  # fmt: skip


@pytest.fixture
def world(leeds):
    world = build_world(leeds, Authority.objects.get(slug="york"))
    # Whatever the hour the suite runs, both authorities' digest time has come.
    for authority in (world.authority, world.outsider.authority):
        AlertSettings.objects.create(authority=authority, digest_time="00:00")
    return world


@pytest.fixture
def smtp_settings(settings):
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 5
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    return port


def wait_for(condition, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.25)


def assert_each_once(inbox, world) -> None:
    assert inbox.recipients == EXPECTED
    wendy = inbox.text_for("wendy@leeds.test")
    assert "Amy Archer" in wendy and "Rita Restricted" in wendy and f"/children/{world.amy.pk}/" in wendy
    assert "YOUR TEAM: DUTY" in inbox.text_for("mona@leeds.test")
    sue = inbox.text_for("sue@leeds.test")
    assert "OVERDUE BY MORE THAN 10 WORKING DAYS: 1" in sue and "- Bob Brown, Support: 1 overdue (Carl Cole)" in sue
    assert "Rita" not in sue
    assert "Yves Yarrow" in inbox.text_for("yuri@york.test")
    for address in EXPECTED[:-1]:
        assert "Yves" not in inbox.text_for(address)


def send_digests(**options) -> str:
    out = StringIO()
    call_command("send_digests", stdout=out, **options)
    return out.getvalue()


def test_the_command_delivers_each_digest_once_over_smtp(world, smtp_settings):
    with smtp_server(smtp_settings) as inbox:
        assert send_digests().startswith("6 digests sent")
        assert send_digests().startswith("0 digests sent")
    assert_each_once(inbox, world)
    _, message = inbox.messages[0]
    assert message.is_multipart() and {p.get_content_type() for p in message.walk()} >= {"text/plain", "text/html"}


def test_two_runs_at_the_same_moment_send_each_digest_once(world, smtp_settings):
    start, errors = threading.Barrier(2), []

    def run():
        try:
            start.wait()
            send_digests()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    with smtp_server(smtp_settings) as inbox:
        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
    assert errors == []
    assert_each_once(inbox, world)
    assert DigestSend.objects.filter(status=DigestSend.Status.SENT).count() == 6


def test_with_the_mail_server_down_the_command_says_so_and_the_next_run_sends(world, smtp_settings):
    with pytest.raises(CommandError, match="6 digests could not be sent"):
        send_digests()
    # Nothing was sent, so nothing is held: the next run need not wait for the claims to go stale.
    assert not DigestSend.objects.filter(status=DigestSend.Status.CLAIMED).exists()
    with smtp_server(smtp_settings) as inbox:
        assert send_digests().startswith("6 digests sent")
    assert_each_once(inbox, world)


@pytest.mark.celery_worker
def test_the_beat_job_on_real_workers_delivers_each_digest_once(world, smtp_settings, celery_broker):
    """Two workers share the chunks (two people each); the job is sent twice at once, as two beat
    processes would, and once more afterwards."""
    client = celery_client(celery_broker)
    with smtp_server(smtp_settings) as inbox, celery_workers(
        celery_broker, count=2, EMAIL_URL=f"smtp://127.0.0.1:{smtp_settings}", DIGEST_CHUNK_SIZE=2
    ):
        try:
            first = [client.send_task("cases.tasks.send_digests") for _ in range(2)]
            assert all(result.get(timeout=60) >= 4 for result in first)
            wait_for(lambda: len(inbox.messages) >= 6)
            assert client.send_task("cases.tasks.send_digests").get(timeout=60) == 0
            time.sleep(2)  # anything duplicated would have arrived by now
        finally:
            client.close()
    assert_each_once(inbox, world)


@pytest.mark.celery_worker
def test_a_mail_server_down_at_first_gets_every_digest_once_when_it_returns(world, smtp_settings, celery_broker):
    client = celery_client(celery_broker)
    with celery_workers(celery_broker, EMAIL_URL=f"smtp://127.0.0.1:{smtp_settings}", DIGEST_RETRY_SECONDS=1):
        try:
            client.send_task("cases.tasks.send_digests").get(timeout=60)
            failed = DigestSend.objects.filter(status=DigestSend.Status.CLAIMED, attempts__gte=1)
            wait_for(lambda: failed.count() == 6)
            assert "ConnectionRefusedError" in failed.first().last_error
            with smtp_server(smtp_settings) as inbox:
                wait_for(lambda: len(inbox.messages) >= 6)
                time.sleep(3)  # a further retry, had one been left, would have sent again by now
        finally:
            client.close()
    assert_each_once(inbox, world)
    assert DigestSend.objects.filter(status=DigestSend.Status.SENT, attempts__gte=2).count() == 6

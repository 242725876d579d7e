"""Real infrastructure for the tests that need it: Celery workers on Redis and an SMTP server on
localhost (aiosmtpd), each started and stopped by the test that uses it."""

import email
import os
import socket
import subprocess
import sys
import threading
from contextlib import contextmanager
from email.message import Message
from pathlib import Path

from aiosmtpd.controller import Controller
from django.db import connection
from django.utils import timezone

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_url_for(base: str, xdist_worker: str) -> str:
    """One Redis database per pytest-xdist process (15, 14, ... from TEST_REDIS_URL's), so two
    processes' workers never take each other's tasks."""
    head, _, number = base.rpartition("/")
    index = int(xdist_worker[2:]) if xdist_worker.startswith("gw") else 0
    return f"{head}/{int(number or 0) - index}"


def database_url() -> str:
    """This test's database, for another process (which sees committed data only)."""
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def worker_environment(broker: str, **extra) -> dict:
    """What a worker process needs to read this test's database (committed data only)."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "REDIS_URL": broker,
        "DATABASE_URL": database_url(),
        "LOG_LEVEL": "WARNING",
        **{name: str(value) for name, value in extra.items()},
    }


@contextmanager
def celery_workers(broker: str, count: int = 1, **environment):
    """`count` real worker processes (solo pool) on `broker`, their clocks started at this test's now
    (tests/clocked.py); their output is printed at the end."""
    env = worker_environment(broker, **environment)
    command = [sys.executable, "-m", "tests.clocked", timezone.now().isoformat(),
               "celery", "-A", "config", "worker", "--pool=solo", "--loglevel=WARNING",
               "--without-gossip", "--without-mingle", "--without-heartbeat"]  # fmt: skip
    workers = [
        subprocess.Popen([*command, f"--hostname=test{n}@%h"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)  # fmt: skip
        for n in range(count)
    ]
    try:
        yield workers
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            try:
                output, _ = worker.communicate(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()
                output, _ = worker.communicate()
            print(output.decode())


class Inbox:
    """What the SMTP server received: each message parsed, with its envelope recipients."""

    def __init__(self):
        self.messages: list[tuple[list[str], Message]] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            self.messages.append((list(envelope.rcpt_tos), email.message_from_bytes(envelope.content)))
        return "250 Message accepted for delivery"

    @property
    def recipients(self) -> list[str]:
        return sorted(address for rcpt_tos, _ in self.messages for address in rcpt_tos)

    def text_for(self, address: str) -> str:
        """The plain-text part of the one message to `address`."""
        found = [message for rcpt_tos, message in self.messages if address in rcpt_tos]
        assert len(found) == 1, f"{len(found)} messages to {address}"
        return next(part.get_payload(decode=True).decode() for part in found[0].walk()
                    if part.get_content_type() == "text/plain")  # fmt: skip


@contextmanager
def smtp_server(port: int):
    """An SMTP server on 127.0.0.1:`port` collecting every message into an Inbox."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()


def celery_client(broker: str):
    """A Celery app that sends to `broker` and reads results there. It is never made the current
    app: shared tasks would follow it, and a later eager test in the process would wait on Redis."""
    from celery import Celery

    return Celery("casework-test-client", broker=broker, backend=broker, set_as_current=False)

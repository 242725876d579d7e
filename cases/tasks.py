"""Thin Celery wrappers around services."""

import uuid
from datetime import date

from celery import shared_task
from django.conf import settings

from . import services
from .services import alerts, digests, performance_rollup


@shared_task
def clear_expired_sessions() -> int:
    return services.sessions_clear_expired()


@shared_task
def raise_overdue_alerts() -> int:
    return alerts.overdue_alerts_raise()


@shared_task
def send_digests() -> int:
    """Fan today's digests out in chunks, for each authority whose digest time has come on one of
    its digest days (working days unless its file says otherwise). Safe to run every quarter hour,
    twice, or from two beat processes: each person gets one a day."""
    return digest_chunks_queue(digests.digest_chunks())


def digest_chunks_queue(chunks: list[digests.DigestChunk]) -> int:
    """Hand each chunk to whichever worker is free."""
    for chunk in chunks:
        send_digest_chunk.delay(chunk.user_ids, chunk.digest_date.isoformat())
    return len(chunks)


@shared_task(bind=True, max_retries=12)
def send_digest_chunk(self, user_ids: list[int], digest_date: str, run: str = "") -> list[int]:
    """Send one chunk; while the mail server is down, retry the unsent with backoff, holding their
    claims under the same run."""
    run = run or self.request.id or uuid.uuid4().hex
    result = digests.digest_chunk_send(user_ids=user_ids, digest_date=date.fromisoformat(digest_date), run=run)
    if result.failed and self.request.retries >= self.max_retries:
        digests.digest_claims_release(user_ids=result.failed, digest_date=date.fromisoformat(digest_date), run=run)
    elif result.failed:
        delay = min(settings.DIGEST_RETRY_SECONDS * 2**self.request.retries, 600)
        raise self.retry(args=[result.failed, digest_date, run], countdown=delay)
    return result.sent


@shared_task
def refresh_performance_rollup() -> int:
    return performance_rollup.performance_rollup_refresh()


@shared_task
def rebuild_performance_rollup() -> int:
    return performance_rollup.performance_rollup_rebuild_all()


def refresh_performance_rollup_soon(**kwargs) -> None:
    """Connected (in CasesConfig.ready) to each commit that marked rollup buckets."""
    refresh_performance_rollup.delay()

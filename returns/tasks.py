"""Thin Celery wrappers around returns.services. Without Redis the quick start runs them eagerly."""

from celery import shared_task
from django.db import transaction

from returns import services


@shared_task(acks_late=True)
def produce_return(run_id: int) -> str:
    return services.return_run_produce(run_id=run_id).status


@shared_task
def clear_old_staged_files() -> int:
    return services.staged_files_clear()


def produce_return_after_commit(run_id: int) -> None:
    """Queued once the run is saved, so the worker never looks for a run not yet committed."""
    transaction.on_commit(lambda: produce_return.delay(run_id))

"""Thin Celery wrappers around services."""

from celery import shared_task

from planning.services.leaving_care import pathway_clocks_open


@shared_task
def open_pathway_clocks() -> int:
    return pathway_clocks_open()

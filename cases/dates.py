"""Dates as the services check and word them, shared by every app that records past events."""

from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.utils import timezone


def long_date(day: date) -> str:
    """'7 December 2026', as GOV.UK writes dates."""
    return f"{day.day} {day:%B %Y}"


def start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def check_not_in_future(day: date | None, field: str, what: str) -> None:
    if day is None:
        raise ValidationError({field: f"Enter the {what}"})
    if day > timezone.localdate():
        raise ValidationError({field: f"The {what} must be today or in the past"})

"""Dates as the services check and word them, shared by every app that records past events."""

from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.utils import timezone

# The dates a practitioner can record: a birth, an event or a booking. Anything outside is a typing
# slip (0001, 9999); the working-day calendar covers this span with room for clocks to run on.
EARLIEST = date(1900, 1, 1)
LATEST = date(2100, 12, 31)


def date_in_range(day: date) -> bool:
    return EARLIEST <= day <= LATEST


def check_in_range(day: date | None, field: str, what: str) -> None:
    """For a service: refuse a date outside the span a form accepts, naming the field."""
    if day is not None and not date_in_range(day):
        raise ValidationError({field: f"The {what} must be between {EARLIEST.year} and {LATEST.year}"})


def long_date(day: date) -> str:
    """'7 December 2026', as GOV.UK writes dates."""
    return f"{day.day} {day:%B %Y}"


def start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def month_of(moment: datetime) -> date:
    """The month a moment falls in, local time, as its first day."""
    return timezone.localtime(moment).date().replace(day=1)


def check_not_in_future(day: date | None, field: str, what: str) -> None:
    if day is None:
        raise ValidationError({field: f"Enter the {what}"})
    if day > timezone.localdate():
        raise ValidationError({field: f"The {what} must be today or in the past"})
    check_in_range(day, field, what)

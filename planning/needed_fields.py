"""What the looked-after return needs from planning's records (planning's part of the
data-quality list, cases/data_quality.py)."""

from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q

from cases.data_quality import NeededField
from cases.models import LegalStatus

from .models import HealthOutcome, PreviousPermanence

LOOKED_AFTER_RETURN = "the looked-after return (SSDA903)"


def _looked_after(since: date | None = None) -> Q:
    statuses = LegalStatus.objects.filter(case=OuterRef("pk"), kind=LegalStatus.Kind.LOOKED_AFTER, ended_on=None)
    if since is not None:
        statuses = statuses.filter(started_on__lte=since)
    return Q(Exists(statuses))


def _no_previous_permanence(today: date) -> Q:
    return _looked_after() & ~Q(Exists(PreviousPermanence.objects.filter(case=OuterRef("pk"))))


def _no_health_record_this_year(today: date) -> Q:
    # The DfE asks health and wellbeing of children looked after for a year or more.
    year_ago = today - timedelta(days=365)
    recent = HealthOutcome.objects.filter(case=OuterRef("pk"), recorded_on__gt=year_ago)
    return _looked_after(since=year_ago) & ~Q(Exists(recent))


PLANNING_FIELDS = [
    NeededField(
        key="previous-permanence", what="Previous permanence (adoption, special guardianship or a child "
        "arrangements order before this time in care)", needed_for=LOOKED_AFTER_RETURN,
        record_at="previous-permanence-new", record_label="Previous permanence", missing=_no_previous_permanence,
        order=40,
    ),
    NeededField(
        key="health-and-wellbeing", what="Health and wellbeing in the last 12 months (a child looked after a year "
        "or more)", needed_for=LOOKED_AFTER_RETURN, record_at="health-outcome-new",
        record_label="Health and wellbeing", missing=_no_health_record_this_year, order=50,
    ),
]  # fmt: skip

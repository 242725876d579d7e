"""What the looked-after return needs from planning's records (planning's part of the
data-quality list, cases/data_quality.py)."""

from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q

from cases.codes import PLACEMENT_TYPES, collection_year_of
from cases.data_quality import NeededField
from cases.models import LegalStatus

from .models import HealthOutcome, Meeting, Placement, PreviousPermanence
from .services.placements import NO_PROVIDER, NO_URN

LOOKED_AFTER_RETURN = "the looked-after return (SSDA903)"


def _looked_after(since: date | None = None) -> Q:
    """Looked after now; with `since`, also on that day. A change of legal status (a placement
    order, E1, replacing a care order) starts a new status but not a new time in care, so the day
    is looked for in any of the case's looked-after statuses, not only the current one."""
    statuses = LegalStatus.objects.filter(case=OuterRef("pk"), kind=LegalStatus.Kind.LOOKED_AFTER)
    now = Q(Exists(statuses.filter(ended_on=None)))
    if since is None:
        return now
    return now & Q(Exists(statuses.filter(Q(ended_on=None) | Q(ended_on__gte=since), started_on__lte=since)))


def _no_previous_permanence(today: date) -> Q:
    return _looked_after() & ~Q(Exists(PreviousPermanence.objects.filter(case=OuterRef("pk"))))


def _no_health_record_this_year(today: date) -> Q:
    # The DfE asks health and wellbeing of children looked after for a year or more.
    year_ago = today - timedelta(days=365)
    recent = HealthOutcome.objects.filter(case=OuterRef("pk"), recorded_on__gt=year_ago)
    return _looked_after(since=year_ago) & ~Q(Exists(recent))


# The DfE asks no placement postcode of a child looked after under a series of short breaks (its
# rules 214 and 392b), so a blank one is not a gap there.
SHORT_BREAKS = ("V3", "V4")


def _placement_details_missing(today: date) -> Q:
    """The current placement lacks what returns_fields_errors asks at its start (a provider, an
    Ofsted URN), or a postcode, or has a type the DfE no longer accepts this collection year."""
    short_breaks = LegalStatus.objects.filter(case=OuterRef("case"), kind=LegalStatus.Kind.LOOKED_AFTER,
                                              ended_on=None, legal_status__in=SHORT_BREAKS)  # fmt: skip
    gaps = (
        ~Q(placement_type__in=PLACEMENT_TYPES.valid_in(collection_year_of(today)))
        | (Q(provider="") & ~Q(placement_type__in=NO_PROVIDER))
        | (Q(urn="") & ~Q(placement_type__in=NO_URN))
        | (Q(postcode="") & ~Q(Exists(short_breaks)))
    )
    return Q(Exists(Placement.objects.filter(gaps, case=OuterRef("pk"), ended_on=None)))


def _completed_reviews():
    # An adjourned review records no participation (it is given when the review is completed).
    return Meeting.objects.filter(kind=Meeting.Kind.LAC_REVIEW, held_at__isnull=False).exclude(
        decision=Meeting.Decision.ADJOURNED)


def _last_review_participation_missing(today: date) -> Q:
    later = _completed_reviews().filter(case=OuterRef("case"), held_at__gt=OuterRef("held_at"))
    unrecorded = _completed_reviews().filter(case=OuterRef("pk"), participation="").exclude(Exists(later))
    return _looked_after() & Q(Exists(unrecorded))


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
    NeededField(
        key="placement-details", what="Placement details the DfE needs (the current placement's provider, "
        "postcode and Ofsted URN, and a type the DfE accepts this year)", needed_for=LOOKED_AFTER_RETURN,
        record_at="child-placements", record_label="Placements (correct the placement's details)",
        missing=_placement_details_missing, order=60,
    ),
    NeededField(
        key="review-participation", what="The child's participation in their last looked-after review",
        needed_for=LOOKED_AFTER_RETURN, record_at="child-plans",
        record_label="Plans and meetings (open the review, then record the child's participation)",
        missing=_last_review_participation_missing, order=70,
    ),
]  # fmt: skip

"""Demo placements: Tyler Evans, looked after, with foster carers since he came into care; and what
the DfE's yearly return asks of the looked-after children (seed_demo_outcomes)."""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from cases.models import Case
from planning.services.missing import missing_episode_end, missing_episode_record
from planning.services.outcomes import health_outcome_record
from planning.services.placements import placement_start

from .models import HealthOutcome, MissingEpisode, Placement

# A postcode district in each shipped authority's area, so a demo placement reads as local; the
# fostering service's URN stands for the authority's own (a made-up number in Ofsted's format).
DEMO_DISTRICTS = {"barnet": "N12", "st-helens": "WA10", "leeds": "LS8", "wiltshire": "SN10", "york": "YO31"}
DEMO_FOSTERING_URN = "SC056789"


def demo_postcode(authority, inward: str) -> str:
    return f"{DEMO_DISTRICTS.get(authority.slug, 'LS8')} {inward}"


@transaction.atomic
def seed_demo_placements(authority, staff) -> None:
    tyler = Case.objects.filter(authority=authority, child__first_name="Tyler", child__last_name="Evans",
                                closed_at=None).first()  # fmt: skip
    if tyler is None or Placement.objects.filter(case=tyler).exists():
        return
    placement_start(case=tyler, recorded_by=staff["social_worker"], placement_type="U6",
                    carer="Sam and Alex Shaw (foster carers)", started_on=tyler.statuses.get(ended_on=None).started_on,
                    provider="PR1", postcode=demo_postcode(authority, "2QT"), urn=DEMO_FOSTERING_URN)  # fmt: skip


def _moment(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@transaction.atomic
def seed_demo_outcomes(authority, staff) -> None:
    """What the DfE's yearly return asks, for the demo's looked-after children: Tyler Evans went
    missing overnight soon after his placement (reported by the police to the front door, his return
    interview offered and accepted) and was away at a friend's two days ago (his return interview
    not yet recorded, so its clock is open); Jordan Price's and Lily Morgan's health and wellbeing
    this year. No demo young person has left care, so no birthday contact (OC3) is shown."""
    done = (MissingEpisode, HealthOutcome)
    if any(model.objects.filter(authority=authority).exists() for model in done):
        return
    worker, support = staff["social_worker"], staff["business_support"]
    today = timezone.localdate()
    tyler = Case.objects.filter(authority=authority, child__first_name="Tyler", child__last_name="Evans",
                                closed_at=None).first()  # fmt: skip
    start = tyler and tyler.statuses.filter(kind="lac", ended_on=None).values_list("started_on", flat=True).first()
    if start and (today - start).days >= 8:
        went = start + timedelta(days=2)
        episode = missing_episode_record(case=tyler, recorded_by=support, kind="M", started_at=_moment(went, 21, 30))
        missing_episode_end(episode=episode, recorded_by=worker, ended_at=_moment(went + timedelta(days=1), 8, 15),
                            interview_offered=True, interview_offered_on=went + timedelta(days=2),
                            interview_accepted=True)  # fmt: skip
        missing_episode_record(case=tyler, recorded_by=worker, kind="A",
                               started_at=_moment(today - timedelta(days=3), 19),
                               ended_at=_moment(today - timedelta(days=2), 11))  # fmt: skip
    for first, last, answers in (
        ("Jordan", "Price", {"sdq_score": 14, "sdq_reason": "", "immunisations_up_to_date": True,
                             "teeth_checked": True, "health_assessment_up_to_date": True, "substance_misuse": True,
                             "intervention_received": True, "intervention_refused": False, "convicted": False}),
        ("Lily", "Morgan", {"sdq_score": None, "sdq_reason": "SDQ1", "immunisations_up_to_date": True,
                            "teeth_checked": False, "health_assessment_up_to_date": True, "substance_misuse": False,
                            "intervention_received": None, "intervention_refused": None, "convicted": False}),
    ):  # fmt: skip
        case = Case.objects.filter(authority=authority, child__first_name=first, child__last_name=last,
                                   closed_at=None).select_related("child", "authority", "team", "worker").first()
        if case is not None and case.statuses.filter(kind="lac", ended_on=None).exists():
            health_outcome_record(case=case, recorded_by=case.worker or worker, recorded_on=today - timedelta(days=6),
                                  **answers)  # fmt: skip

"""Demo placements: Tyler Evans, looked after, with foster carers since he came into care; where
each demo looked-after child is placed and the home they came into care from (real postcodes in each
authority's area); and what the DfE's yearly return asks of the looked-after children
(seed_demo_outcomes)."""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from cases.models import Case
from cases.services.family import address_add
from planning.services.missing import missing_episode_end, missing_episode_record
from planning.services.outcomes import health_outcome_record
from planning.services.placements import placement_start

from .models import HealthOutcome, MissingEpisode, Placement

# Real postcodes in each shipped authority's area (all in the ONS postcode directory the DfE's
# SSDA903 validator reads, so it can place each placement in the authority and measure how far it
# is from home): where each demo looked-after child's placements are, and the family home each came
# into care from (the streets are made up). The demo authority with the national defaults has no
# area of its own and uses Leeds's. The fostering service's URN stands for the authority's own (a
# made-up number in Ofsted's format).
DEMO_PLACEMENT_POSTCODES = {
    "barnet": {"Tyler": "N12 9HP", "Jordan": "HA8 7BD", "Ash Lodge": "EN5 4QT", "Kayla": "N3 2LN", "Lily": "NW11 7PL",
               "Lily's adopters": "EN5 5SG"},
    "st-helens": {"Tyler": "WA11 8AT", "Jordan": "WA12 9HF", "Ash Lodge": "WA12 9BG", "Kayla": "WA10 1HF",
                  "Lily": "WA9 3DA", "Lily's adopters": "WA11 0NA"},
    "leeds": {"Tyler": "LS8 2QT", "Jordan": "LS8 2ER", "Ash Lodge": "LS8 2AL", "Kayla": "LS2 7HY", "Lily": "LS8 3AD",
              "Lily's adopters": "LS1 6AG"},
    "wiltshire": {"Tyler": "SN10 1BT", "Jordan": "SN8 1HD", "Ash Lodge": "SN15 1ER", "Kayla": "SN10 2AA",
                  "Lily": "SN10 1HT", "Lily's adopters": "SN11 8FG"},
    "york": {"Tyler": "YO31 8HE", "Jordan": "YO32 9AF", "Ash Lodge": "YO1 9RN", "Kayla": "YO24 1AB", "Lily": "YO1 7DS",
             "Lily's adopters": "YO1 8BA"},
}  # fmt: skip
DEMO_HOMES = {
    "barnet": {"Tyler": ("14 Elm Close, East Finchley, London", "N2 8NX"),
               "Jordan": ("Flat 6, Brent Court, Hendon, London", "NW4 4BQ"),
               "Kayla": ("27 Hillside Gardens, Golders Green, London", "NW11 9EJ"),
               "Lily": ("3 Mill Lane, Burnt Oak, Edgware", "HA8 0BD")},
    "st-helens": {"Tyler": ("14 Elm Close, Thatto Heath, St Helens", "WA9 5NU"),
                  "Jordan": ("Flat 6, Brook Court, Haydock, St Helens", "WA11 0JH"),
                  "Kayla": ("27 Hillside Road, Eccleston, St Helens", "WA10 5PN"),
                  "Lily": ("3 Mill Lane, Parr, St Helens", "WA9 1LN")},
    "leeds": {"Tyler": ("14 Elm Close, Burmantofts, Leeds", "LS9 7BG"),
              "Jordan": ("Flat 6, Brook Court, Seacroft, Leeds", "LS14 6UH"),
              "Kayla": ("27 Hillside Road, Headingley, Leeds", "LS6 3DP"),
              "Lily": ("3 Mill Lane, Harehills, Leeds", "LS9 7TF")},
    "wiltshire": {"Tyler": ("14 Elm Close, Melksham", "SN12 6ES"),
                  "Jordan": ("Flat 6, Brook Court, Salisbury", "SP2 8BJ"),
                  "Kayla": ("27 Hillside Road, Chippenham", "SN15 3HD"),
                  "Lily": ("3 Mill Lane, Trowbridge", "BA14 8AH")},
    "york": {"Tyler": ("14 Elm Close, Acomb, York", "YO24 4HJ"),
             "Jordan": ("Flat 6, Brook Court, Fulford, York", "YO10 4NT"),
             "Kayla": ("27 Hillside Road, Clifton, York", "YO30 6AF"),
             "Lily": ("3 Mill Lane, Tang Hall, York", "YO31 0UT")},
}  # fmt: skip
DEMO_FOSTERING_URN = "SC056789"
# The authority's own adoption agency (a made-up number in Ofsted's format).
DEMO_ADOPTION_AGENCY_URN = "SC059012"
# How long before coming into care a demo child had lived at the home they came into care from.
YEARS_AT_HOME = 5


def _area(authority) -> str:
    return authority.slug if authority.slug in DEMO_HOMES else "leeds"


def demo_postcode(authority, placement: str) -> str:
    """The postcode of a demo placement (named by the child placed, or the home's name)."""
    return DEMO_PLACEMENT_POSTCODES[_area(authority)][placement]


def demo_home_add(case, recorded_by, care_began: date) -> None:
    """The family home the demo child came into care from, lived in from birth or for some years."""
    address, postcode = DEMO_HOMES[_area(case.authority)][case.child.first_name]
    born = case.child.date_of_birth
    lived_from = max(born, date(care_began.year - YEARS_AT_HOME, care_began.month, 1))
    address_add(child=case.child, added_by=recorded_by, address=address, postcode=postcode, lived_from=lived_from)


@transaction.atomic
def seed_demo_placements(authority, staff) -> None:
    tyler = Case.objects.filter(authority=authority, child__first_name="Tyler", child__last_name="Evans",
                                closed_at=None).first()  # fmt: skip
    if tyler is None or Placement.objects.filter(case=tyler).exists():
        return
    started = tyler.statuses.get(ended_on=None).started_on
    demo_home_add(tyler, staff["social_worker"], started)
    placement_start(case=tyler, recorded_by=staff["social_worker"], placement_type="U6",
                    carer="Sam and Alex Shaw (foster carers)", started_on=started,
                    provider="PR1", postcode=demo_postcode(authority, "Tyler"), urn=DEMO_FOSTERING_URN)  # fmt: skip


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
                            "intervention_received": None, "intervention_refused": None, "convicted": False,
                            "health_check": True}),
    ):  # fmt: skip
        case = Case.objects.filter(authority=authority, child__first_name=first, child__last_name=last,
                                   closed_at=None).select_related("child", "authority", "team", "worker").first()
        if case is not None and case.statuses.filter(kind="lac", ended_on=None).exists():
            health_outcome_record(case=case, recorded_by=case.worker or worker, recorded_on=today - timedelta(days=6),
                                  **answers)  # fmt: skip

"""Demo children for the quick start: in every authority, children at each stage from the front
door to closure, recorded through the same services practitioners use, so every deadline is
computed from that authority's timescales."""

from datetime import date, timedelta

from django.utils import timezone

from .codes import CPCategory, Sex
from .codes import LegalStatus as LegalStatusCode
from .dates import start_of
from .models import Authority, Case, Child, LegalStatus, Team, User
from .models.children import upn_check_letter
from .services.children import case_allocate, child_create, chronology_write, referral_decide, referral_record

# (first name, last name, age in years (None: unborn), stage, referral source, worry)
DEMO_CHILDREN = [
    ("Aisha", "Rahman", 7, "awaiting_decision", "2A", "Told her teacher there is often no food at home."),
    ("Kacper", "Nowak", 3, "cp_awaiting_decision", "6", "Police called to a domestic incident; child present."),
    ("Baby", "Mensah", None, "awaiting_decision", "3B", "Mother, 19, unsupported and anxious; midwife worried."),
    ("Leo", "Carter", 11, "unallocated", "3A", "Repeated missed health appointments; weight loss."),
    ("Maya", "Hughes", 9, "assessment", "2A", "Bruising to the upper arm, explained inconsistently."),
    ("Ethan", "Doyle", 14, "cin", "1A", "Grandmother worried about his mother's drinking."),
    ("Ruby", "Ahmed", 5, "cp", "3E", "Seen in A&E with an unexplained fracture."),
    ("Tyler", "Evans", 15, "looked_after", "5C", "Placed with foster carers after a care order."),
    ("Grace", "O'Neill", 8, "rereferred", "2A", "Attendance has fallen again since the case closed."),
    ("Noah", "Fitzgerald", 12, "restricted", "6", "Child of a member of staff: record restricted."),
    ("Dawit", "Tesfay", 16, "assessment", "6", "Arrived alone at a police station asking for asylum; no family here."),
]

# The DfE's number for each demo authority, which begins its schools' unique pupil numbers.
LA_NUMBERS = {"barnet": "302", "st-helens": "342", "leeds": "383", "wiltshire": "865", "york": "816"}
# What the returns ask that differs from the usual: most children have a UPN (school age) and no
# disability. Dawit, new to the country, has never been to school here and is not yet assessed.
STATUTORY = {
    "Kacper": {"upn_unknown": "UN1"},
    "Baby": {"upn_unknown": "UN6", "disabilities": []},
    "Ethan": {"disabilities": ["AUT", "COMM"]},
    "Dawit": {"upn_unknown": "UN2", "disabilities": [], "uasc": True},
    "Lily": {"upn_unknown": "UN1"},
}
# Each child's sex, as their name suggests (the returns refuse "not known" for a born child: SSDA903
# rule 232); the unborn baby's is not known yet.
SEXES = {"Aisha": "F", "Kacper": "M", "Leo": "M", "Maya": "F", "Ethan": "M", "Ruby": "F", "Tyler": "M",
         "Grace": "F", "Noah": "M", "Dawit": "M", "Jordan": "M", "Kayla": "F", "Lily": "F", "Amira": "F"}  # fmt: skip


def statutory_fields_for(authority: Authority, index: int, first: str, born: date | None) -> dict:
    fields = {"disabilities": ["NONE"], "sex": SEXES.get(first, Sex.UNKNOWN)} | STATUTORY.get(first, {})
    if "upn_unknown" not in fields:
        # The LA, a school (4 digits), the year the number was given (the year they started school), a serial.
        digits = f"{LA_NUMBERS.get(authority.slug, '383')}2{index:03d}{(born.year + 4) % 100:02d}{index + 1:03d}"
        fields["upn"] = upn_check_letter(f"?{digits}") + digits
    return fields


def seed_demo_children(authority: Authority, teams: dict[str, Team], staff: dict[str, User]) -> int:
    """Add the demo children to one authority; nothing happens if they are there already."""
    if Child.objects.filter(authority=authority, last_name="Rahman", first_name="Aisha").exists():
        return 0
    assessment_team = teams["assessment"]
    support, manager, worker = staff["business_support"], staff["team_manager"], staff["social_worker"]
    now = timezone.now()
    today = timezone.localdate()
    for index, (first, last, age, stage, source, worry) in enumerate(DEMO_CHILDREN):
        born = None if age is None else date(today.year - age, (index % 12) + 1, 10)
        child = child_create(
            created_by=support, first_name=first, last_name=last, date_of_birth=born,
            expected_date_of_birth=today + timedelta(days=70) if born is None else None,
            **statutory_fields_for(authority, index, first, born),
        )  # fmt: skip
        received = now - timedelta(days=2 + index * 3, hours=index)
        if stage == "awaiting_decision" or stage == "cp_awaiting_decision":
            received = now - timedelta(hours=3 + index)
        if stage == "rereferred":
            _closed_case(child, support, manager, received - timedelta(days=120), assessment_team)
        referral = referral_record(
            recorded_by=support, child=child, team=assessment_team, received_at=received,
            referrer_name="Demo referrer", referrer_agency="", source=source, consent="given",
            consent_by="Parent", reasons=worry, category_of_need="N1" if stage != "cin" else "N4",
            child_protection=stage in ("cp_awaiting_decision", "cp"),
        )  # fmt: skip
        if stage in ("awaiting_decision", "cp_awaiting_decision", "rereferred"):
            continue
        referral_decide(referral=referral, decided_by=manager, decision="assessment",
                        rationale="Needs a single assessment.", decided_at=received + timedelta(hours=5))  # fmt: skip
        case = Case.objects.get(referral=referral)
        if stage == "unallocated":
            continue
        case_allocate(case=case, worker=worker, team=assessment_team, allocated_by=manager)
        if stage == "restricted":
            child.restricted = True
            child.save()
            child.restricted_to.add(worker, manager)
        status = {"cin": ("cin", "", ""), "cp": ("cp", CPCategory.PHYSICAL, ""),
                  "looked_after": ("lac", "", LegalStatusCode.C2)}.get(stage)  # fmt: skip
        if status:
            kind, category, legal = status
            started = timezone.localdate(received) + timedelta(days=1)
            if kind == "cp":
                # The plan starts at the initial conference, and conferences are held on weekdays
                # (the CIN census refuses a weekend one: rule 8875).
                started = _weekday_from(started, latest=today)
            LegalStatus.objects.create(case=case, kind=kind, cp_category=category, legal_status=legal,
                                       started_on=started, recorded_by=manager)  # fmt: skip
            chronology_write(child=child, case=case, kind="status",
                             occurred_at=min(start_of(started) + timedelta(hours=10), now),
                             title=f"Status: {LegalStatus.Kind(kind).label}", written_by=manager)  # fmt: skip
    return len(DEMO_CHILDREN)


def _weekday_from(day: date, latest: date) -> date:
    """The first weekday on or after `day`, or the last one before `latest` if none falls by then."""
    forward = next(day + timedelta(days=step) for step in range(3) if (day + timedelta(days=step)).weekday() < 5)
    if forward <= latest:
        return forward
    return next(latest - timedelta(days=step) for step in range(3) if (latest - timedelta(days=step)).weekday() < 5)


def _closed_case(child, support, manager, received, team) -> None:
    """An earlier episode, closed after assessment, so the new referral is a re-referral."""
    referral = referral_record(
        recorded_by=support, child=child, team=team, received_at=received, referrer_name="School",
        source="2A", consent="given", consent_by="Mother", reasons="Poor attendance.", category_of_need="N5",
    )  # fmt: skip
    referral_decide(referral=referral, decided_by=manager, decision="assessment", rationale="Assess.",
                    decided_at=received + timedelta(hours=4))  # fmt: skip
    closed = received + timedelta(days=40)
    Case.objects.filter(referral=referral).update(closed_at=closed, closure_reason="RC8")
    chronology_write(child=child, kind="closure", occurred_at=closed, title="Case closed: no further action",
                     written_by=manager)  # fmt: skip

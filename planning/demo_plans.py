"""Demo plans and meetings in every authority, recorded through the services so every deadline
comes from that authority's timescales: Ethan Doyle (child in need) with his plan and first
meeting, Ruby Ahmed (child protection) after her initial conference and first core group, Tyler
Evans (looked after) with his care plan, placement meeting and first review, and Jordan Price, 16,
in care for over a year, with his reviews, health assessments and pathway plan; Amira Hassan,
whose private fostering arrangement the authority was told of three days ago; and Lily Morgan, 2,
whose plan is adoption: placement order, match, and placed with her adopters four days ago, so
each authority's adoption clocks show (no existing demo child fits: Tyler has been in care three
weeks, Jordan is a care leaver). Ruby is also in pre-proceedings, Jordan under a deprivation of
liberty order in a children's home, and Lily's adopters are described as the SSDA903 return needs
them; Kayla Brooks left care at 18 three weeks ago and her adviser's contact has the OC3 answers."""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from cases.demo_children import DEMO_CHILDREN, statutory_fields_for
from cases.models import Case, Deadline, LegalStatus, Referral
from cases.services.children import case_allocate, child_create, referral_decide, referral_record
from cases.services.deadlines import deadline_meet
from cases.services.family import legal_status_end, legal_status_start
from planning.demo import DEMO_ADOPTION_AGENCY_URN, DEMO_FOSTERING_URN, demo_home_add, demo_postcode
from planning.services import plan_start
from planning.services.adoption import adoption_step_record
from planning.services.child_in_need import cin_meeting_record, first_meeting_open
from planning.services.clocks import open_on
from planning.services.conferences import core_group_record, icpc_record
from planning.services.leaving_care import pathway_clocks_open_for, sixteenth_birthday
from planning.services.liberty import liberty_order_start
from planning.services.looked_after import (
    care_check_record,
    lac_review_record,
    looked_after_open,
    placement_meeting_record,
)
from planning.services.meetings import MANAGERS_ONLY, TASKS, meeting_task_done
from planning.services.outcomes import care_leaver_contact_record
from planning.services.permanence import previous_permanence_record
from planning.services.placements import placement_end, placement_start
from planning.services.plans import plan_action_add
from planning.services.pre_proceedings import pre_proceedings_start
from planning.services.private_fostering import pf_notification_record

from .models import Meeting, Plan

# The children this module adds, after cases' own (their place numbers their demo UPNs).
PLANNING_CHILDREN = ("Jordan", "Kayla", "Lily", "Amira")


def _case(authority, first, last):
    return (Case.objects.filter(authority=authority, child__first_name=first, child__last_name=last, closed_at=None)
            .select_related("child", "authority", "team", "worker").first())  # fmt: skip


def _at(day: date, hour: int = 10) -> datetime:
    return min(timezone.make_aware(datetime.combine(day, time(hour))), timezone.now() - timedelta(minutes=5))


def _tasks_done(meeting: Meeting, by) -> None:
    """The notes, minutes and updated plans went out on time (the demo keeps only what is ahead)."""
    for deadline in open_on(meeting):
        if deadline.key in TASKS:
            done_at = min(deadline.due_at, timezone.now())
            # A manager's own consideration is theirs to record (the clock is assigned to them).
            done_by = deadline.assignee if deadline.key in MANAGERS_ONLY else by
            meeting_task_done(meeting=meeting, key=deadline.key, done_at=done_at, recorded_by=done_by)


@transaction.atomic
def seed_demo_plans(authority, staff) -> None:
    if Plan.objects.filter(authority=authority).exists():
        return
    worker, chair = staff["social_worker"], staff["conference_chair"]
    ethan = _case(authority, "Ethan", "Doyle")
    if ethan is not None:
        status = ethan.statuses.get(ended_on=None)
        first_meeting_open(ethan, status)
        plan_start(case=ethan, kind="cin", started_on=status.started_on, written_by=worker,
                   outcomes="Ethan goes to school every day and his mother works with the alcohol service.",
                   contingency="A strategy discussion if his mother's drinking puts him at risk.")  # fmt: skip
        held_at = _at(status.started_on + timedelta(days=2))
        meeting = cin_meeting_record(case=ethan, recorded_by=worker, held_at=held_at,
                                     attendees="Ethan, his mother, grandmother, school",
                                     summary="Plan agreed.")  # fmt: skip
        _tasks_done(meeting, worker)
    ruby = _case(authority, "Ruby", "Ahmed")
    if ruby is not None:
        started = ruby.statuses.get(ended_on=None, kind="cp").started_on
        held_at = max(_at(started), ruby.opened_at + timedelta(minutes=1))
        conference = icpc_record(case=ruby, chair=chair, held_at=held_at,
                                 attendees="Mother, health visitor, school, police, social worker",
                                 decision="cp_plan", categories=["PHY"],
                                 summary="Unexplained fracture; a plan to keep Ruby safe at home.")  # fmt: skip
        _tasks_done(conference, chair)
        plan_action_add(plan=conference.plan, what="Refer Ruby's mother to the parenting programme", owner=worker,
                        due_on=timezone.localdate() + timedelta(days=12), recorded_by=worker)  # fmt: skip
        core_group = core_group_record(case=ruby, recorded_by=worker, held_at=_at(started + timedelta(days=7), 14),
                                       attendees="Mother, health visitor, school",
                                       summary="Safety plan followed.")  # fmt: skip
        _tasks_done(core_group, worker)
    tyler = _case(authority, "Tyler", "Evans")
    if tyler is not None:
        _looked_after_demo(tyler, tyler.statuses.get(ended_on=None, kind="lac"), worker, chair, reviews=1)
        previous_permanence_record(case=tyler, code="Z1", recorded_by=worker)
    _care_leaver_demo(authority, staff)
    _left_care_demo(authority, staff)
    _private_fostering_demo(authority, staff)
    _adoption_demo(authority, staff)
    if ruby is not None:
        _pre_proceedings_demo(ruby, worker)


def _looked_after_demo(case, status, worker, chair, *, reviews: int) -> None:
    start = status.started_on
    looked_after_open(case, status)
    meeting = placement_meeting_record(case=case, recorded_by=worker, held_at=_at(start + timedelta(days=2)),
                                       attendees="Carers, social worker, supervising social worker",
                                       summary="Routines, contact and school transport agreed.")  # fmt: skip
    plan_start(case=case, kind="care", started_on=start + timedelta(days=4), written_by=worker,
               outcomes="Settled, safe and in school; regular contact with his mother.",
               contingency="A residential placement if the foster placement breaks down.")  # fmt: skip
    care_check_record(case=case, kind="initial_health", done_on=start + timedelta(days=15), notes="Healthy.",
                      recorded_by=worker)  # fmt: skip
    if case.deadlines.filter(key="pep_initial", status="open").exists():
        care_check_record(case=case, kind="pep", done_on=start + timedelta(days=16), notes="Targets agreed.",
                          recorded_by=worker)  # fmt: skip
    if start + timedelta(days=370) < timezone.localdate():  # in care for over a year: the yearly health review
        care_check_record(case=case, kind="review_health", done_on=start + timedelta(days=370), notes="Healthy.",
                          recorded_by=worker)  # fmt: skip
    for days in (18, 100, 280)[:reviews]:
        held_at = _at(start + timedelta(days=days))
        meeting = lac_review_record(case=case, chair=chair, held_at=held_at,
                                    participation=_participation(case, held_at),
                                    attendees="Young person, carers, mother, social worker",
                                    summary="The care plan meets his needs.")  # fmt: skip
        _tasks_done(meeting, chair)


def _left_care_demo(authority, staff) -> None:
    """Kayla Brooks came into care at 17 and turned 18 three weeks ago: she stayed on with her foster
    carers (staying put), so her period of care ended (E17) and she is a care leaver. Her personal
    adviser's contact around the birthday gives the SSDA903 its OC3 answers."""
    manager, worker, chair = staff["team_manager"], staff["social_worker"], staff["conference_chair"]
    today = timezone.localdate()
    eighteenth = today - timedelta(days=21)
    leap_day = (eighteenth.month, eighteenth.day) == (2, 29)
    born = date(eighteenth.year - 18, eighteenth.month, 28 if leap_day else eighteenth.day)
    received = timezone.now() - timedelta(days=300)
    case = _allocated_child(authority, staff, first="Kayla", last="Brooks", born=born, received=received,
                            source="1A", need="N4", reasons="Her mother's partner told her to leave home.")  # fmt: skip
    start = (received + timedelta(days=2)).date()
    demo_home_add(case, worker, start)
    status = legal_status_start(case=case, kind=LegalStatus.Kind.LOOKED_AFTER, legal_status="V2", started_on=start,
                                recorded_by=manager)  # fmt: skip
    placement = placement_start(case=case, recorded_by=worker, placement_type="U6", carer="Sam Reid (foster carer)",
                                provider="PR1", postcode=demo_postcode(authority, "Kayla"), urn=DEMO_FOSTERING_URN,
                                started_on=start)  # fmt: skip
    _looked_after_demo(case, status, worker, chair, reviews=2)
    previous_permanence_record(case=case, code="Z1", recorded_by=worker)
    pathway_clocks_open_for(case, eighteenth - timedelta(days=1))
    care_check_record(case=case, kind="pathway_needs", done_on=start + timedelta(days=40),
                      notes="Wants to finish college while living with Sam.", recorded_by=worker)  # fmt: skip
    plan_start(case=case, kind="pathway", started_on=start + timedelta(days=60), written_by=worker,
               outcomes="Finish her college course; stay with Sam after 18 under staying put.",
               contingency="Supported lodgings near college if staying put ends.")  # fmt: skip
    placement_end(placement=placement, ended_on=eighteenth, end_reason="E17", recorded_by=worker)
    legal_status_end(status=status, ended_on=eighteenth, ended_by=manager)
    legal_status_start(case=_case(authority, "Kayla", "Brooks"), kind=LegalStatus.Kind.CARE_LEAVER,
                       started_on=eighteenth, recorded_by=manager)  # fmt: skip
    care_leaver_contact_record(case=_case(authority, "Kayla", "Brooks"), recorded_by=worker,
                               done_on=today - timedelta(days=6), notes="Settled; enjoying her course.",
                               in_touch="YES", activity="F2", accommodation="Z",
                               accommodation_suitable=True)  # fmt: skip


def _participation(case, held_at) -> str:
    """Under 4 at the review (PN0), else the child spoke for themselves (PN1)."""
    born, held = case.child.date_of_birth, timezone.localdate(held_at)
    under_4 = born is not None and (held.year - born.year - ((held.month, held.day) < (born.month, born.day))) < 4
    return "PN0" if under_4 else "PN1"


def _adoption_demo(authority, staff) -> None:
    """Lily Morgan, 2, looked after for eight months: adoption agreed as her plan, the best-interest
    decision, a placement order ten weeks ago, matched, and placed with Jo and Sam Patel four days
    ago. The adoption clocks each authority sets are then open on her Plans and meetings tab."""
    worker, manager, chair = staff["social_worker"], staff["team_manager"], staff["conference_chair"]
    today = timezone.localdate()
    received = timezone.now() - timedelta(days=245)
    case = _allocated_child(authority, staff, first="Lily", last="Morgan", born=today - timedelta(days=800),
                            received=received, source="5C", need="N1",
                            reasons="Neglect; her parents could not care for her safely.")  # fmt: skip
    start = (received + timedelta(days=2)).date()
    demo_home_add(case, worker, start)
    status = legal_status_start(case=case, kind=LegalStatus.Kind.LOOKED_AFTER, legal_status="C2", started_on=start,
                                recorded_by=manager)  # fmt: skip
    placement_start(case=case, recorded_by=worker, placement_type="U6", carer="Chris Hall (foster carer)",
                    started_on=start, provider="PR1", postcode=demo_postcode(authority, "Lily"),
                    urn=DEMO_FOSTERING_URN)  # fmt: skip
    _looked_after_demo(case, status, worker, chair, reviews=1)
    second = lac_review_record(case=case, chair=chair, held_at=_at(start + timedelta(days=100)), participation="PN0",
                               attendees="Foster carer, parents' solicitor, social worker",
                               summary="Adoption is the plan for permanence.")  # fmt: skip
    _tasks_done(second, chair)
    previous_permanence_record(case=case, code="Z1", recorded_by=worker)
    for kind, day in (("plan", start + timedelta(days=100)), ("best_interest", start + timedelta(days=130)),
                      ("placement_order", today - timedelta(days=70))):
        adoption_step_record(case=case, kind=kind, happened_on=day, recorded_by=worker)
    # The AD1 details: a married couple of different genders, not her foster carers.
    adoption_step_record(case=case, kind="match", happened_on=today - timedelta(days=35), recorded_by=worker,
                         adopters_number=2, adopters_sex="MF", adopters_legal_status="L11",
                         adopters_were_foster_carers=False, notes="Matching panel recommended; agency decision made.")
    # Placed by the authority's own adoption agency; she moved from her foster carers as her care plan said.
    adoption_step_record(case=case, kind="placed", happened_on=today - timedelta(days=4), recorded_by=worker,
                         carer="Jo and Sam Patel", provider="PR1", notes="Introductions went well.",
                         postcode=demo_postcode(authority, "Lily's adopters"), urn=DEMO_ADOPTION_AGENCY_URN,
                         move_reason="CARPL")  # fmt: skip


def _pre_proceedings_demo(case, worker) -> None:
    """Ruby Ahmed: the plan has not kept her safe enough, so the legal planning meeting decided on
    pre-proceedings five days ago; the letter before proceedings went two days later, offering a
    family group conference, which her mother and grandmother have agreed to."""
    today = timezone.localdate()
    started = max(today - timedelta(days=5), timezone.localdate(case.opened_at))
    pre_proceedings_start(case=case, recorded_by=worker, started_on=started,
                          letter_sent_on=min(started + timedelta(days=2), today), fgdm_offered=True)  # fmt: skip


def _allocated_child(authority, staff, *, first, last, born, received, source, reasons, need) -> Case:
    support, manager, worker = staff["business_support"], staff["team_manager"], staff["social_worker"]
    index = len(DEMO_CHILDREN) + PLANNING_CHILDREN.index(first)
    child = child_create(created_by=support, first_name=first, last_name=last, date_of_birth=born,
                         **statutory_fields_for(authority, index, first, born))  # fmt: skip
    team = worker.role_assignments.get(role="social_worker").team
    referral = referral_record(recorded_by=support, child=child, team=team, received_at=received,
                               referrer_name="Demo referrer", referrer_agency="", source=source, consent="given",
                               consent_by="Parent", reasons=reasons, category_of_need=need)  # fmt: skip
    referral_decide(referral=Referral.objects.get(pk=referral.pk), decided_by=manager, decision="assessment",
                    rationale="Needs a single assessment.", decided_at=received + timedelta(hours=3))  # fmt: skip
    case = Case.objects.select_related("child", "authority").get(referral=referral)
    # Allocated the hour after the decision (so the social worker episodes in the SSDA903 begin
    # then), and the worker saw the child the next day.
    allocated_at = received + timedelta(hours=4)
    case_allocate(case=case, worker=worker, team=team, allocated_by=manager, allocated_at=allocated_at)
    for deadline in Deadline.objects.filter(case=case, key="child_seen_after_allocation", status="open"):
        deadline_meet(deadline=deadline, met_at=min(allocated_at + timedelta(days=1), timezone.now()))
    return _case(authority, first, last)


def _private_fostering_demo(authority, staff) -> None:
    """Amira Hassan, 13, living with a family friend while her mother works abroad."""
    today = timezone.localdate()
    received = _at(today - timedelta(days=3), 11)
    case = _allocated_child(authority, staff, first="Amira", last="Hassan", born=date(today.year - 13, 2, 14),
                            received=received - timedelta(hours=2), source="2A", need="N8",
                            reasons="Living with a family friend for several months while her mother works abroad.")
    pf_notification_record(case=case, recorded_by=staff["social_worker"], received_at=received,
                           notified_by="Amira's school", arrangement_started_on=today - timedelta(days=20),
                           carer="Farah Osman (family friend)")  # fmt: skip


def _care_leaver_demo(authority, staff) -> None:
    """Jordan Price turned 16 five months ago, in care since he was 15."""
    manager, worker, chair = staff["team_manager"], staff["social_worker"], staff["conference_chair"]
    today = timezone.localdate()
    born = date(today.year - 16, today.month, 1) - timedelta(days=150)  # 16 about five months ago
    received = timezone.now() - timedelta(days=420)
    case = _allocated_child(authority, staff, first="Jordan", last="Price", born=born, received=received,
                            source="5C", need="N5", reasons="Family breakdown; sleeping at friends' houses.")
    start = (received + timedelta(days=2)).date()
    demo_home_add(case, worker, start)
    status = legal_status_start(case=case, kind=LegalStatus.Kind.LOOKED_AFTER, legal_status="V2", started_on=start,
                                recorded_by=manager)  # fmt: skip
    # An independent fostering agency's carer: a private provider, the agency's URN.
    placement_start(case=case, recorded_by=worker, placement_type="U4", carer="Pat Green (foster carer)",
                    provider="PR4", postcode=demo_postcode(authority, "Jordan"), urn="SC484512",
                    started_on=start)  # fmt: skip
    _looked_after_demo(case, status, worker, chair, reviews=3)
    birthday = sixteenth_birthday(born)
    pathway_clocks_open_for(case, today)
    care_check_record(case=case, kind="pathway_needs", done_on=birthday + timedelta(days=30),
                      notes="Wants to stay with his carer and start college.", recorded_by=worker)  # fmt: skip
    plan_start(case=case, kind="pathway", started_on=birthday + timedelta(days=40), written_by=worker,
               outcomes="College in September; cooking and budgeting skills; a Staying Put arrangement.",
               contingency="Supported lodgings if Staying Put is not agreed.")  # fmt: skip
    care_check_record(case=case, kind="adviser_contact", done_on=today - timedelta(days=10),
                      notes="Talked about college applications.", recorded_by=worker)  # fmt: skip
    previous_permanence_record(case=case, code="Z1", recorded_by=worker)
    # After he went missing into exploitation he moved to a children's home, where the High Court
    # authorised the staff's constant supervision (the DfE expects a child under a deprivation of
    # liberty order in a children's home, K2, or one of the two secure sub-types: SSDA903 rule 709).
    moved_on = today - timedelta(days=21)
    placement_start(case=case, recorded_by=worker, placement_type="K2", carer="Ash Lodge (children's home)",
                    provider="PR4", postcode=demo_postcode(authority, "Ash Lodge"), urn="SC071234", started_on=moved_on,
                    change_reason="He needs constant supervision to keep him safe from exploitation.",
                    move_reason="CARPL")  # fmt: skip
    placement_meeting_record(case=case, recorded_by=worker, held_at=_at(moved_on + timedelta(days=1)),
                             attendees="Jordan, home manager, social worker",
                             summary="Supervision, college and contact with his carer agreed.")  # fmt: skip
    liberty_order_start(case=case, started_on=moved_on, recorded_by=worker)

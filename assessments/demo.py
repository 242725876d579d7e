"""Demo assessments: in every authority, one submitted and waiting for the team manager's
sign-off, one draft the worker is still writing, and for Ruby Ahmed, after the enquiry that led
to her child protection plan, a second strategy discussion whose section 47 enquiry is under way
(the child seen, the outcome still to come)."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from assessments.models.assessments import Assessment
from assessments.models.enquiries import StrategyDiscussion
from assessments.services.assessments import assessment_save, assessment_start, assessment_submit
from assessments.services.enquiries import s47_child_seen_record, s47_outcome_record, strategy_discussion_record
from cases.models import Case

DEMO_ASSESSMENTS = {
    ("Ethan", "Doyle"): ("submitted", {
        "developmental_needs": "Healthy and doing well at school; tired on Mondays and missing football.",
        "parenting_capacity": "Warm and loving; routines break down when mother drinks.",
        "family_environment": "Lives with his mother; his grandmother lives nearby and helps most days.",
        "child_views": "I look after Mum when she is poorly. I want to go to football again.",
        "parent_views": "Mother: I know I need help with my drinking. Grandmother: I can have Ethan after school.",
        "diversity": "White British; the family would like support from someone local to the estate.",
        "risks": "Ethan cares for his mother alone when she has been drinking, and misses school to do so.",
        "protective_factors": "A close grandmother, a school that notices, and a mother who asks for help.",
        "analysis": "Ethan is a young carer whose needs are met when his grandmother is involved; "
                    "support for his mother and a young carers' group would reduce the strain on him.",
        "outcome": "cin", "factors": ["1B", "7A"],
    }),
    ("Ruby", "Ahmed"): ("draft", {
        "child_views": "Ruby is five and said she fell off the sofa.",
        "analysis": "",
    }),
}  # fmt: skip


@transaction.atomic
def seed_demo_assessments(authority, staff) -> None:
    worker = staff["social_worker"]
    for (first, last), (state, content) in DEMO_ASSESSMENTS.items():
        case = Case.objects.filter(authority=authority, child__first_name=first, child__last_name=last,
                                   closed_at=None).first()  # fmt: skip
        if case is None or Assessment.objects.filter(case=case).exists():
            continue
        assessment = assessment_start(case=case, started_by=worker)
        assessment = assessment_save(assessment=assessment, saved_by=worker, version=assessment.version, **content)
        if state == "submitted":
            assessment_submit(assessment=assessment, submitted_by=worker)


DEMO_DISCUSSION = {
    "participants": [
        {"name": "DC Priya Shah", "agency": "police", "role": "Child abuse investigation unit"},
        {"name": "Dr Tom Reid", "agency": "health", "role": "Consultant paediatrician"},
        {"name": "Ann Lowe", "agency": "education", "role": "Designated safeguarding lead"},
    ],
    "information_shared": "The fracture is not consistent with the fall described. No previous police "
                          "contact. School reports Ruby as quiet since half term.",
    "rationale": "Reasonable cause to suspect significant harm: a joint enquiry with the police.",
}  # fmt: skip


@transaction.atomic
def seed_demo_strategy_discussion(authority, staff) -> None:
    case = Case.objects.filter(authority=authority, child__first_name="Ruby", child__last_name="Ahmed",
                               closed_at=None).first()  # fmt: skip
    if case is None or StrategyDiscussion.objects.filter(case=case).exists():
        return
    # The enquiry that led to her initial conference and plan (the planning demo records the
    # conference the next day), so the CIN census finds the enquiry behind the plan.
    first_held = case.opened_at + timedelta(hours=1)
    first = strategy_discussion_record(case=case, recorded_by=staff["team_manager"], held_at=first_held,
                                       chair=staff["team_manager"], decision="s47", **DEMO_DISCUSSION)  # fmt: skip
    enquiry = first.enquiries.get()
    s47_child_seen_record(enquiry=enquiry, recorded_by=staff["social_worker"], seen_at=first_held + timedelta(hours=2))
    s47_outcome_record(enquiry=enquiry, recorded_by=staff["social_worker"], outcome="icpc",
                       findings="The fracture is unexplained; an initial conference is needed.",
                       recorded_at=first_held + timedelta(hours=3))  # fmt: skip
    # Now a new concern while she is on her plan: a second enquiry, under way.
    held_at = max(case.opened_at + timedelta(hours=5), timezone.now() - timedelta(days=2))
    discussion = strategy_discussion_record(case=case, recorded_by=staff["team_manager"], held_at=held_at,
                                            chair=staff["team_manager"], decision="s47", **DEMO_DISCUSSION)  # fmt: skip
    s47_child_seen_record(enquiry=discussion.enquiries.get(), recorded_by=staff["social_worker"],
                          seen_at=min(held_at + timedelta(hours=6), timezone.now()))  # fmt: skip

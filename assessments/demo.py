"""Demo assessments: in every authority, one submitted and waiting for the team manager's
sign-off, and one draft the worker is still writing."""

from django.db import transaction

from cases.models import Case

from .models import Assessment
from .services import assessment_save, assessment_start, assessment_submit

DEMO_ASSESSMENTS = {
    ("Ethan", "Doyle"): ("submitted", {
        "child_views": "I look after Mum when she is poorly. I want to go to football again.",
        "parent_views": "Mother: I know I need help with my drinking. Grandmother: I can have Ethan after school.",
        "parenting_capacity": "Warm and loving; routines break down when mother drinks.",
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

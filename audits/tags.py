"""Which sections of a long template an audit of this case shows: those whose `applies_to` tags
match what the record holds (Barnet's 644 items and St Helens's 378 are never all relevant)."""

from assessments.models.assessments import Assessment
from assessments.models.enquiries import Section47Enquiry, StrategyDiscussion
from cases.models import Case, LegalStatus

from .models import AuditSubject, TemplateSection, TemplateVersion

STATUS_TAGS = {
    LegalStatus.Kind.CHILD_IN_NEED: "cin",
    LegalStatus.Kind.CHILD_PROTECTION: "cp",
    LegalStatus.Kind.LOOKED_AFTER: "cla",
    LegalStatus.Kind.CARE_LEAVER: "care_leaver",
    LegalStatus.Kind.PRIVATE_FOSTERING: "private_fostering",
}
TAG_LABELS = {
    "all": "every case", "referral": "referral", "assessment": "assessment", "cp_enquiry": "strategy and section 47",
    "cin": "child in need", "cp": "child protection", "cla": "looked after", "care_leaver": "care leaver",
    "private_fostering": "private fostering", "pre_birth": "pre-birth", "adoption": "adoption",
    "permanence": "permanence", "disabled_child": "disabled child", "youth_justice": "youth justice",
    "proceedings": "proceedings", "early_help": "early help", "transfer": "transfer",
    "practitioner": "practitioner or team", "fostering": "foster household",
}  # fmt: skip


def case_tags(case: Case) -> set[str]:
    """What the record says about the case: its current statuses, whether it came by referral, has
    an assessment or a strategy discussion or section 47 enquiry, and whether the child is unborn."""
    tags = {"all"}
    if case.referral_id:
        tags.add("referral")
    if Assessment.objects.filter(case=case).exists():
        tags.add("assessment")
    if StrategyDiscussion.objects.filter(case=case).exists() or Section47Enquiry.objects.filter(case=case).exists():
        tags.add("cp_enquiry")
    for kind in case.statuses.filter(ended_on__isnull=True).values_list("kind", flat=True):
        if kind in STATUS_TAGS:
            tags.add(STATUS_TAGS[kind])
    if case.child.date_of_birth is None:
        tags.add("pre_birth")
    return tags


def sections_for_case(version: TemplateVersion, tags: set[str]) -> list[TemplateSection]:
    """The child-case sections whose tags match; supplementary (optional) sections only by choice."""
    return [
        section
        for section in version.sections.filter(audit_subject=AuditSubject.CHILD_CASE, optional=False)
        if tags & set(section.applies_to)
    ]

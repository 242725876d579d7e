"""Which sections and items of a long template an audit of this case offers: those whose
`applies_to` tags match what the child's record shows in the audit period (Barnet's 644 items and
St Helens's 378 are never all relevant). A status counts if the child had it on any day of the
period, so a looked-after child's audit has child protection items only if they had a plan then."""

from django.db.models import Q

from assessments.models.assessments import Assessment
from assessments.models.enquiries import Section47Enquiry, StrategyDiscussion
from cases.models import Case, LegalStatus

from .models import AuditSubject, TemplateItem, TemplateSection, TemplateVersion
from .period import AuditPeriod

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


def case_tags(case: Case, period: AuditPeriod) -> set[str]:
    """What the record shows in the period: each status the child had on any day of it, a referral
    received, an assessment under way, a strategy discussion or section 47 enquiry, an unborn child
    (or one born during the period, whose pre-birth work falls in it) and a recorded disability."""
    tags = {"all"}
    if case.referral_id and period.holds(case.referral.received_at):
        tags.add("referral")
    assessments = Assessment.objects.filter(case=case, created_at__lt=period.ends_at)
    if assessments.filter(Q(approved_at__isnull=True) | Q(approved_at__gte=period.starts_at)).exists():
        tags.add("assessment")
    inside = {"case": case}
    if (StrategyDiscussion.objects.filter(**inside, held_at__gte=period.starts_at, held_at__lt=period.ends_at).exists()
            or Section47Enquiry.objects.filter(**inside, started_at__gte=period.starts_at,
                                               started_at__lt=period.ends_at).exists()):  # fmt: skip
        tags.add("cp_enquiry")
    for kind, started_on, ended_on in case.statuses.values_list("kind", "started_on", "ended_on"):
        if kind in STATUS_TAGS and period.overlaps(started_on, ended_on):
            tags.add(STATUS_TAGS[kind])
    child = case.child
    born = child.date_of_birth
    if born is None or (period.holds(born) and born > period.start):
        tags.add("pre_birth")
    if child.disability or any(code != "NONE" for code in child.disabilities or []):
        tags.add("disabled_child")
    return tags


def sections_for_case(version: TemplateVersion, tags: set[str]) -> list[TemplateSection]:
    """The child-case sections whose tags match; supplementary (optional) sections only by choice."""
    return [
        section
        for section in version.sections.filter(audit_subject=AuditSubject.CHILD_CASE, optional=False)
        if tags & set(section.applies_to)
    ]


def items_for(sections, tags: set[str]) -> list[TemplateItem]:
    """The items of `sections` this case calls for. In a section the record matches, an item about
    one status (its own tags) is offered only if the child had that status; a section the auditor
    added by hand, though the record does not match it, is audited whole."""
    items = []
    for item in TemplateItem.objects.filter(section__in=sections).select_related("section"):
        matched = bool(tags & set(item.section.applies_to))
        if not matched or not item.applies_to or tags & set(item.applies_to):
            items.append(item)
    return items

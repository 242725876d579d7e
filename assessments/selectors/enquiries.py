"""Reading strategy discussions and section 47 enquiries: always through a child the user may see
(`child_for`: another authority's or a restricted child is a 404, never a 403)."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from assessments.models.enquiries import Section47Enquiry, StrategyDiscussion
from assessments.services.enquiries import ALL_KEYS
from cases.models import Case, Deadline
from cases.selectors.children import child_for

DEADLINE_LABELS = {
    "strategy_discussion": "Strategy discussion held",
    "strategy_record_circulation": "Record sent to the participants",
    "s47_child_seen": "Child seen",
    "s47_child_seen_alone": "Child seen alone",
    "s47_completion": "Enquiry completed",
    "s47_writeup": "Enquiry written up",
    "icpc_threshold_decision": "Decision on the conference threshold",
    "icpc": "Initial child protection conference held",
    "s47_outcome_shared": "Outcome sent to the agencies",
}


def strategy_discussion_for(user, pk: int) -> StrategyDiscussion:
    found = (
        StrategyDiscussion.objects.filter(pk=pk, authority_id=user.authority_id)
        .select_related("case__team", "case__worker", "chair", "recorded_by", "authority")
        .first()
    )
    if found is None:
        raise Http404("No such strategy discussion")
    found.child = child_for(user, found.child_id)
    return found


def enquiry_for(user, pk: int) -> Section47Enquiry:
    found = (
        Section47Enquiry.objects.filter(pk=pk, authority_id=user.authority_id)
        .select_related("case__team", "case__worker", "strategy_discussion__chair", "outcome_recorded_by", "authority")
        .first()
    )
    if found is None:
        raise Http404("No such section 47 enquiry")
    found.child = child_for(user, found.child_id)
    return found


def discussions_of_child(child) -> QuerySet[StrategyDiscussion]:
    """Newest first, each with the enquiry it started (if any) in `started_enquiries`."""
    enquiries = Prefetch("enquiries", queryset=Section47Enquiry.objects.order_by("pk"), to_attr="started_enquiries")
    return (
        StrategyDiscussion.objects.filter(child=child)
        .select_related("chair")
        .prefetch_related(enquiries)
        .order_by("-held_at", "-pk")
    )


def enquiries_of_discussion(discussion: StrategyDiscussion) -> QuerySet[Section47Enquiry]:
    return discussion.enquiries.order_by("pk")


def deadlines_by_subject(subjects) -> dict[tuple[int, int], list[Deadline]]:
    """The strategy and enquiry deadlines of these records, keyed by (content type id, pk), in one
    query however many records there are."""
    by_subject: dict[tuple[int, int], list[Deadline]] = {}
    ids_by_type: dict[int, set[int]] = {}
    for subject in subjects:
        ids_by_type.setdefault(ContentType.objects.get_for_model(subject).pk, set()).add(subject.pk)
    if not ids_by_type:
        return by_subject
    query = None
    for type_id, ids in ids_by_type.items():
        part = Deadline.objects.filter(subject_type_id=type_id, subject_id__in=ids, key__in=ALL_KEYS)
        query = part if query is None else query | part
    for deadline in query.order_by("due_at", "pk"):
        deadline.label = DEADLINE_LABELS.get(deadline.key, deadline.key)
        by_subject.setdefault((deadline.subject_type_id, deadline.subject_id), []).append(deadline)
    return by_subject


def deadlines_of(subject, by_subject: dict) -> list[Deadline]:
    return by_subject.get((ContentType.objects.get_for_model(subject).pk, subject.pk), [])


def strategy_discussion_clock(case: Case | None) -> Deadline | None:
    """The open clock for holding a strategy discussion on this case, if one is running."""
    if case is None:
        return None
    clock = Deadline.objects.filter(case=case, key="strategy_discussion", status=Deadline.Status.OPEN).first()
    if clock is not None:
        clock.label = DEADLINE_LABELS[clock.key]
    return clock

"""The CIN census's rows, derived from the records as the DfE's guidance defines them.

Who is in it: every child with a CIN episode open at some point in the collection year. An
episode is a referral the authority accepted (decided on for an assessment or a strategy
discussion: its case) or one it decided needed no further action (ReferralNFA). A contact decided
as information and advice or early help was never a referral to children's social care, and an
undecided one is not one yet, so neither is returned.

What is in it: the census describes each episode as it stood at the end of the year (the
reference date), so nothing dated after 31 March is returned: a case closed in April is open in
that year's census, an assessment authorised in April is still in progress.

Restricted records are returned like any other: the census is a statutory duty. Who may see the
return is a question for the pages, not for the data."""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone

from assessments.models.assessments import Assessment
from assessments.models.enquiries import Section47Enquiry
from cases.models import Authority, Case, Child, Deadline, LegalStatus, Referral
from planning.models import Meeting, PreProceedings
from returns.children import la_child_id
from returns.years import CollectionYear

CHUNK = 2000  # children per round of queries: the query count is per chunk, not per child

ACCEPTED = (Referral.Decision.SINGLE_ASSESSMENT, Referral.Decision.STRATEGY_DISCUSSION)
# A section 47 enquiry whose outcome is no conference: the DfE's ICPCnotRequired.
NO_CONFERENCE = (Section47Enquiry.Outcome.CHILD_IN_NEED, Section47Enquiry.Outcome.NOT_SUBSTANTIATED,
                 Section47Enquiry.Outcome.NO_FURTHER_ACTION)  # fmt: skip
# What Casework records as the DfE's reason for closing a referral that went no further.
NFA_CLOSURE = "RC8"


@dataclass
class AssessmentRow:
    started_on: date
    authorised_on: date | None
    factors: list[str]
    record_id: int


@dataclass
class PlanDatesRow:
    started_on: date
    ended_on: date | None


@dataclass
class Section47Row:
    started_on: date
    icpc_target: date | None
    icpc_on: date | None
    icpc_not_required: bool
    record_id: int


@dataclass
class ProtectionPlanRow:
    started_on: date
    ended_on: date | None
    initial_category: str
    latest_category: str
    previous_plans: int
    reviews: list[date]


@dataclass
class PreProceedingsRow:
    started_on: date
    letter_sent_on: date | None
    fgdm_offered: bool | None
    fgdm_held: bool | None
    first_meeting_on: date | None
    review_meetings: int
    decided_on: date | None
    court_application_on: date | None
    proceedings_letter_on: date | None


@dataclass
class EpisodeRow:
    referral_on: date
    source: str
    need: str
    closed_on: date | None
    closure_reason: str
    icpc_on: date | None
    nfa: bool
    referral_id: int
    case_id: int | None
    assessments: list[AssessmentRow] = field(default_factory=list)
    plan_dates: list[PlanDatesRow] = field(default_factory=list)
    enquiries: list[Section47Row] = field(default_factory=list)
    protection_plans: list[ProtectionPlanRow] = field(default_factory=list)
    pre_proceedings: list[PreProceedingsRow] = field(default_factory=list)


@dataclass
class ChildRow:
    la_child_id: str
    child_id: int
    upn: str
    former_upn: str
    upn_unknown: str
    born_on: date | None
    expected_on: date | None
    sex: str
    died_on: date | None
    ethnicity: str
    disabilities: list[str]
    episodes: list[EpisodeRow]


def _day(moment) -> date | None:
    return timezone.localdate(moment) if moment is not None else None


def _by_end(day: date | None, year: CollectionYear) -> date | None:
    """A date as the census sees it: one after the reference date has not happened yet."""
    return day if day is not None and day <= year.end else None


def referrals_in(authority: Authority, year: CollectionYear):
    """The referrals whose episode was open at some point in the year."""
    start = timezone.make_aware(datetime.combine(year.start, time()))
    end = timezone.make_aware(datetime.combine(year.end + timedelta(days=1), time()))
    accepted = Q(decision__in=ACCEPTED) & (Q(case=None) | Q(case__closed_at=None) | Q(case__closed_at__gte=start))
    no_further = Q(decision=Referral.Decision.NO_FURTHER_ACTION, decided_at__gte=start)
    return Referral.objects.filter(accepted | no_further, authority=authority, received_at__lt=end)


def child_ids_in(authority: Authority, year: CollectionYear) -> list[int]:
    return sorted(set(referrals_in(authority, year).values_list("child_id", flat=True)))


def census_children(authority: Authority, year: CollectionYear, ids: list[int] | None = None) -> Iterator[ChildRow]:
    """Every child in the census, in a stable order, a chunk of children per round of queries.
    `ids` are the children as child_ids_in gives them, for a caller that has found them already
    (to count them), so they are not looked for twice."""
    if ids is None:
        ids = child_ids_in(authority, year)
    referral_ids = set(referrals_in(authority, year).values_list("pk", flat=True))
    for first in range(0, len(ids), CHUNK):
        yield from _chunk(authority, year, ids[first:first + CHUNK], referral_ids)


def _chunk(authority, year, child_ids, referral_ids) -> Iterator[ChildRow]:
    # The identifier an imported child kept comes with the child, in the same query.
    children = Child.objects.filter(pk__in=child_ids).select_related("return_identity").order_by("pk")
    referrals = defaultdict(list)
    for referral in (Referral.objects.filter(child_id__in=child_ids, pk__in=referral_ids)
                     .select_related("case").order_by("received_at", "pk")):  # fmt: skip
        referrals[referral.child_id].append(referral)
    case_ids = [referral.case.pk for found in referrals.values() for referral in found
                if referral.decision in ACCEPTED and _has_case(referral)]  # fmt: skip
    assessments = _grouped(Assessment.objects.filter(case_id__in=case_ids).order_by("clock_started_at", "pk"))
    statuses = _grouped(LegalStatus.objects.filter(case_id__in=case_ids, kind__in=("cin", "cp"))
                        .order_by("started_on", "pk"))  # fmt: skip
    enquiries = _grouped(Section47Enquiry.objects.filter(case_id__in=case_ids).order_by("started_at", "pk"))
    meetings = _grouped(Meeting.objects.filter(case_id__in=case_ids, kind__in=("icpc", "rcpc"))
                        .exclude(held_at=None).order_by("held_at", "pk"))  # fmt: skip
    pre_proceedings = _grouped(PreProceedings.objects.filter(case_id__in=case_ids).order_by("started_on", "pk"))
    enquiry_type = ContentType.objects.get_for_model(Section47Enquiry)
    targets = {deadline.subject_id: _day(deadline.due_at) for deadline in
               Deadline.objects.filter(subject_type=enquiry_type, key="icpc", case_id__in=case_ids)
               .order_by("created_at")}  # fmt: skip
    # Earlier child-protection plans count for NumberOfPreviousCPP whichever case they were on.
    earlier_plans = defaultdict(list)
    for status in (LegalStatus.objects.filter(case__child_id__in=child_ids, kind="cp")
                   .order_by("started_on", "pk").values("case__child_id", "case_id", "started_on", "ended_on")):
        earlier_plans[status["case__child_id"]].append(status)
    for child in children:
        episodes = [_episode(referral, year, assessments, statuses, enquiries, meetings, pre_proceedings, targets,
                             earlier_plans[child.pk]) for referral in referrals[child.pk]]  # fmt: skip
        yield ChildRow(
            la_child_id=la_child_id(child), child_id=child.pk, upn=child.upn, former_upn=child.former_upn,
            upn_unknown=child.upn_unknown, born_on=child.date_of_birth,
            expected_on=child.expected_date_of_birth if child.date_of_birth is None else None,
            sex=child.sex, died_on=_by_end(child.date_of_death, year), ethnicity=child.ethnicity,
            disabilities=list(child.disabilities), episodes=episodes,
        )  # fmt: skip


def _has_case(referral) -> bool:
    try:
        return referral.case is not None
    except Case.DoesNotExist:
        return False


def _grouped(queryset) -> dict[int, list]:
    grouped = defaultdict(list)
    for row in queryset:
        grouped[row.case_id].append(row)
    return grouped


def _episode(referral, year, assessments, statuses, enquiries, meetings, pre_proceedings, targets, earlier_plans):
    received = _day(referral.received_at)
    if referral.decision == Referral.Decision.NO_FURTHER_ACTION:
        return EpisodeRow(referral_on=received, source=referral.source, need=referral.category_of_need,
                          closed_on=_day(referral.decided_at), closure_reason=NFA_CLOSURE, icpc_on=None, nfa=True,
                          referral_id=referral.pk, case_id=None)  # fmt: skip
    case = referral.case if _has_case(referral) else None
    closed = _by_end(_day(case.closed_at), year) if case else None
    episode = EpisodeRow(referral_on=received, source=referral.source, need=referral.category_of_need,
                         closed_on=closed, closure_reason=case.closure_reason if closed else "", icpc_on=None,
                         nfa=False, referral_id=referral.pk, case_id=case.pk if case else None)  # fmt: skip
    if case is None:
        return episode
    episode.assessments = _assessments(assessments[case.pk], year)
    episode.plan_dates = _plan_dates(statuses[case.pk], year)
    conferences = [_day(meeting.held_at) for meeting in meetings[case.pk] if meeting.kind == Meeting.Kind.ICPC]
    held_after = _conference_after_each(enquiries[case.pk], conferences)
    episode.enquiries = _enquiries(enquiries[case.pk], held_after, targets, year)
    # An initial conference that followed no enquiry on the case is the episode's own; one that
    # followed an enquiry is the enquiry's (rule 2884: never recorded at both levels).
    own = sorted(set(conferences) - set(held_after.values()))
    episode.icpc_on = next((day for day in own if year.start <= day <= year.end), None)
    reviews = [_day(meeting.held_at) for meeting in meetings[case.pk] if meeting.kind == Meeting.Kind.RCPC]
    episode.protection_plans = _protection_plans(statuses[case.pk], reviews, earlier_plans, year)
    episode.pre_proceedings = [_pre_proceedings(found, year) for found in pre_proceedings[case.pk]
                               if year.overlaps(found.started_on, found.decided_on)
                               and found.started_on <= year.end]  # fmt: skip
    return episode


def _assessments(found, year) -> list[AssessmentRow]:
    rows = []
    for assessment in found:
        started = _day(assessment.clock_started_at)
        authorised = _by_end(_day(assessment.approved_at), year) if assessment.status == "approved" else None
        if started > year.end or (authorised is not None and authorised < year.start):
            continue
        # Factors are what the manager authorised: none are returned for one still in progress.
        rows.append(AssessmentRow(started_on=started, authorised_on=authorised,
                                  factors=list(assessment.factors) if authorised else [], record_id=assessment.pk))
    return rows


def _runs(statuses, kind) -> list[list]:
    """A plan is a run of statuses of one kind, each new one (a new category of abuse, say)
    replacing the last the day it starts."""
    runs: list[list] = []
    for status in (status for status in statuses if status.kind == kind):
        if runs and runs[-1][-1].ended_on == status.started_on:
            runs[-1].append(status)
        else:
            runs.append([status])
    return runs


def _plan_dates(statuses, year) -> list[PlanDatesRow]:
    return [PlanDatesRow(started_on=run[0].started_on, ended_on=_by_end(run[-1].ended_on, year))
            for run in _runs(statuses, LegalStatus.Kind.CHILD_IN_NEED)
            if run[0].started_on <= year.end and year.overlaps(run[0].started_on, run[-1].ended_on)]  # fmt: skip


def _conference_after_each(enquiries, conferences) -> dict[int, date]:
    """Each enquiry's initial conference: the first held on or after it started and before the
    next enquiry on the case started."""
    found = {}
    starts = [_day(enquiry.started_at) for enquiry in enquiries]
    for index, enquiry in enumerate(enquiries):
        until = starts[index + 1] if index + 1 < len(starts) else None
        held = next((day for day in conferences if day >= starts[index] and (until is None or day < until)), None)
        if held is not None:
            found[enquiry.pk] = held
    return found


def _enquiries(found, held_after, targets, year) -> list[Section47Row]:
    rows = []
    for enquiry in found:
        started = _day(enquiry.started_at)
        held = _by_end(held_after.get(enquiry.pk), year)
        no_conference = enquiry.outcome in NO_CONFERENCE and _by_end(_day(enquiry.outcome_recorded_at), year)
        # In the year: started in it, or its conference was, or it was still waiting for one.
        if started > year.end or not (started >= year.start or (held and held >= year.start)
                                      or (held is None and not no_conference)):  # fmt: skip
            continue
        rows.append(Section47Row(started_on=started, icpc_target=targets.get(enquiry.pk), icpc_on=held,
                                 icpc_not_required=bool(no_conference), record_id=enquiry.pk))  # fmt: skip
    return rows


def _protection_plans(statuses, reviews, earlier_plans, year) -> list[ProtectionPlanRow]:
    """Each child-protection plan, with the review conferences held while it ran."""
    runs = _runs(statuses, LegalStatus.Kind.CHILD_PROTECTION)
    rows = []
    for run in runs:
        started, ended = run[0].started_on, run[-1].ended_on
        if started > year.end or not year.overlaps(started, ended):
            continue
        latest = [status for status in run if status.started_on <= year.end][-1]
        ended = _by_end(ended, year)
        previous = len({plan["started_on"] for plan in earlier_plans if plan["ended_on"]
                        and plan["ended_on"] <= started and plan["case_id"] != run[0].case_id}
                       | {earlier[0].started_on for earlier in runs if earlier[-1].ended_on
                          and earlier[-1].ended_on <= started})  # fmt: skip
        held = [day for day in reviews if started < day <= (ended or year.end)]
        rows.append(ProtectionPlanRow(started_on=started, ended_on=ended, initial_category=run[0].cp_category,
                                      latest_category=latest.cp_category, previous_plans=previous,
                                      reviews=held))  # fmt: skip
    return rows


def _pre_proceedings(found, year) -> PreProceedingsRow:
    return PreProceedingsRow(
        started_on=found.started_on, letter_sent_on=_by_end(found.letter_sent_on, year),
        fgdm_offered=found.fgdm_offered if found.letter_sent_on and found.letter_sent_on <= year.end else None,
        fgdm_held=found.fgdm_held, first_meeting_on=_by_end(found.first_meeting_on, year),
        review_meetings=found.review_meetings, decided_on=_by_end(found.decided_on, year),
        court_application_on=_by_end(found.court_application_on, year),
        proceedings_letter_on=_by_end(found.proceedings_letter_on, year),
    )

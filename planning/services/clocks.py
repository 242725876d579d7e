"""Opening, meeting and cancelling the planning clocks on the ledger, each only where the
authority's timescales set a value (many of these duties are local)."""

from datetime import datetime

from django.contrib.contenttypes.models import ContentType

from cases.models import Case, Deadline, User
from cases.selectors.timescales import policy_for
from cases.services.deadlines import deadline_cancel, deadline_meet, deadline_open_where_set


def open_clock(key: str, *, subject, start, case: Case, assignee: User | None = None,
               conditions: tuple[str, ...] = ()) -> Deadline | None:  # fmt: skip
    """Open `key` for the case's worker (or `assignee`) and team; None where the authority sets no value."""
    return deadline_open_where_set(authority=case.authority, key=key, subject=subject, start=start, case=case,
                                   team=case.team, assignee=assignee or case.worker,
                                   conditions=conditions)  # fmt: skip


def open_on(subject, keys=None) -> list[Deadline]:
    found = Deadline.objects.filter(subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk,
                                    status=Deadline.Status.OPEN)  # fmt: skip
    return list(found.filter(key__in=keys) if keys is not None else found)


def meet_open(subject, keys, met_at: datetime, *, started_only: bool = True) -> list[Deadline]:
    """Meet the open clocks of `keys` on `subject` that had started by `met_at` (late if past due);
    a "before" clock counts back from its meeting, so it is met whenever the work is done."""
    found = open_on(subject, keys)
    return [deadline_meet(deadline=d, met_at=met_at) for d in found if not started_only or d.anchor_at <= met_at]


def meet_open_on_case(case: Case, keys, met_at: datetime, *, started_only: bool = True) -> list[Deadline]:
    """The same for clocks another record opened for the case (the ICPC clock of an enquiry)."""
    found = Deadline.objects.filter(case=case, key__in=keys, status=Deadline.Status.OPEN)
    found = found.filter(anchor_at__lte=met_at) if started_only else found
    return [deadline_meet(deadline=d, met_at=met_at) for d in found]


def cancel_open(subject, keys, reason: str) -> None:
    for deadline in open_on(subject, keys):
        deadline_cancel(deadline=deadline, reason=reason)


def authority_sets(case: Case, key: str, start: datetime) -> bool:
    """Whether the child's authority sets this clock (most local clocks are set by some only)."""
    return policy_for(case.authority).due_where_set(key, start) is not None


def counted_from(case: Case, key: str, day: datetime, moment: datetime | None) -> datetime:
    """Where a clock starts: for a clock the authority counts in hours, the moment the event
    happened where the page gave it; otherwise the start of its day."""
    duration = policy_for(case.authority).timescale(key).duration
    return moment if moment is not None and duration is not None and duration.unit == "hours" else day

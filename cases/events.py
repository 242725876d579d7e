"""Events that other apps react to, so `cases` never imports them (DESIGN §3: dependencies point
one way). A handler runs inside the transaction of the event that raised it, so what it writes
(a deadline, a chronology entry) is kept or rolled back with the event itself.

- `case_opened(case, referral, decided_by)`: a referral decision opened a case (assessments
  start the strategy-discussion clock).
- `case_allocated(case, allocated_by)`: a case was allocated or reallocated (supervision starts
  the child's case-supervision clock).
- `status_changed(case, changed_by)`: a status on the case started or ended (visits recalculate
  the child's visit schedule; supervision, the child's case-supervision cadence).
- `staff_practice_changed(user, changed_by)`: a member of staff was added, or their roles or
  newly qualified year changed (supervision recalculates the worker's own supervision cadence).
- `placement_changed(case, changed_by)`: a looked-after child's placement started, ended or was
  agreed permanent (planning raises it; visits recalculate).
- `child_seen(case, seen_at, seen_alone, recorded_by)`: a recorded visit saw the child (alone, if
  `seen_alone`) at `seen_at` (visits raises it; assessments take the date the child was seen for
  an assessment in progress, and meet a section 47 enquiry's "child seen" clocks, so the worker
  records the sighting once).
- `adoption_changed(case, changed_by, placed_on, first_review_on)`: a looked-after child was placed
  for adoption (`placed_on`), or the first review of that placement was held (`first_review_on`);
  both None once the adoption is made or the placement ends (planning raises it; visits follow the
  adoptive placement's visit timescales).
"""

from collections import defaultdict
from collections.abc import Callable

EVENTS = ("case_opened", "case_allocated", "status_changed", "placement_changed", "staff_practice_changed",
          "adoption_changed", "child_seen")  # fmt: skip
_handlers: dict[str, list[Callable]] = defaultdict(list)


def subscribe(event: str, handler: Callable) -> None:
    if event not in EVENTS:
        raise ValueError(f"Unknown event {event!r}")
    if handler not in _handlers[event]:
        _handlers[event].append(handler)


def publish(event: str, **details) -> None:
    if event not in EVENTS:
        raise ValueError(f"Unknown event {event!r}")
    for handler in _handlers[event]:
        handler(**details)

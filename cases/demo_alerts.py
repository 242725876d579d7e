"""Demo alerts: in every authority the demo social worker has a visit just gone overdue (Ethan
Doyle's) and one overdue for weeks (Tyler Evans's), opened through the ledger's own service from
a start far enough back, so the morning digest, the escalation and the bell all have something
real to show."""

from datetime import timedelta

from django.utils import timezone

from .models import Authority, Case, Deadline, User
from .selectors.timescales import policy_for
from .services.alerts import overdue_alerts_raise
from .services.deadlines import deadline_open_where_set

# (child's first name, last name, timescale key, how long ago it fell due)
DEMO_OVERDUE = [
    ("Ethan", "Doyle", "cin_visit_interval", timedelta(days=2)),
    ("Tyler", "Evans", "lac_visit_interval_first_year", timedelta(days=24)),
]


def seed_demo_alerts(authority: Authority, staff: dict[str, User]) -> None:
    now = timezone.now()
    policy = policy_for(authority)
    for first, last, key, ago in DEMO_OVERDUE:
        case = Case.objects.filter(authority=authority, child__first_name=first, child__last_name=last,
                                   closed_at__isnull=True).select_related("team", "worker").first()  # fmt: skip
        if case is None or Deadline.objects.filter(case=case, key=key).exists():
            continue
        if not policy.timescale(key).is_deadline:
            continue
        start = now - ago
        # Walk the start back until the authority's own rule puts the due date `ago` in the past.
        while policy.due(key, start).due_at > now - ago:
            start -= timedelta(days=1)
        deadline_open_where_set(authority=authority, key=key, subject=case.child, start=start, case=case,
                                team=case.team, assignee=case.worker)  # fmt: skip
    # Raised now, before the visits demo records Ethan's visit, so the bell shows his lapse too.
    overdue_alerts_raise(now=now)

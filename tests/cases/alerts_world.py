"""A small authority for the alert tests: two teams, a worker and a manager in each, a service
manager, a restricted child, and a worker in another authority, with deadlines placed around a
fixed moment (Wednesday 11 November 2026, 10:00 in London)."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType

from cases.models import Authority, Case, Child, Deadline, Team, User
from cases.roles import Role
from tests.factories import ChildFactory, TeamFactory, staff

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 11, 10, 0, tzinfo=LONDON)


def end_of(day: int, month: int = 11, year: int = 2026) -> datetime:
    """A deadline in days falls due at the end of its day."""
    return datetime(year, month, day, 23, 59, 59, tzinfo=LONDON)


def deadline(child: Child, *, due_at: datetime, assignee: User | None, team: Team,
             key: str = "child_seen_after_allocation", status: str = Deadline.Status.OPEN,
             met_at: datetime | None = None) -> Deadline:  # fmt: skip
    case = child.cases.first()
    return Deadline.objects.create(
        authority_id=child.authority_id, team=team, assignee=assignee, child=child, case=case,
        subject_type=ContentType.objects.get_for_model(Child), subject_id=child.pk, key=key,
        anchor_at=due_at - timedelta(days=7), due_at=due_at, rule="5 working_days",
        explanation=f"Explained: {key} for {child.first_name}", status=status, met_at=met_at,
    )  # fmt: skip


def child_in(team: Team, worker: User | None, **names) -> Child:
    child = ChildFactory(authority=team.authority, **names)
    Case.objects.create(authority=team.authority, child=child, team=team, worker=worker)
    return child


@dataclass
class World:
    authority: Authority
    duty: Team
    support: Team
    worker: User  # Wendy Walker, duty
    manager: User  # Mona Moss, manages duty
    other_worker: User  # Bob Brown, support
    other_manager: User  # Max Mills, manages support
    service_manager: User  # Sue Stone
    auditor: User
    outsider: User  # a York worker with overdue work of their own
    amy: Child  # duty, Wendy's
    rita: Child  # duty, Wendy's, restricted to Wendy alone
    carl: Child  # support, Bob's
    yves: Child  # York


def build_world(leeds: Authority, york: Authority) -> World:
    duty, support = TeamFactory(authority=leeds, name="Duty"), TeamFactory(authority=leeds, name="Support")
    w = World(
        authority=leeds, duty=duty, support=support,
        worker=staff(Role.SOCIAL_WORKER, team=duty, full_name="Wendy Walker", email="wendy@leeds.test"),
        manager=staff(Role.TEAM_MANAGER, team=duty, full_name="Mona Moss", email="mona@leeds.test"),
        other_worker=staff(Role.SOCIAL_WORKER, team=support, full_name="Bob Brown", email="bob@leeds.test"),
        other_manager=staff(Role.TEAM_MANAGER, team=support, full_name="Max Mills", email="max@leeds.test"),
        service_manager=staff(Role.SERVICE_MANAGER, authority=leeds, full_name="Sue Stone", email="sue@leeds.test"),
        auditor=staff(Role.QA_AUDITOR, authority=leeds, full_name="Quinn Auditor", email="quinn@leeds.test"),
        outsider=staff(Role.SOCIAL_WORKER, authority=york, full_name="Yuri York", email="yuri@york.test"),
        amy=None, rita=None, carl=None, yves=None,
    )  # fmt: skip
    w.amy = child_in(duty, w.worker, first_name="Amy", last_name="Archer")
    w.rita = child_in(duty, w.worker, first_name="Rita", last_name="Restricted")
    w.rita.restricted = True
    w.rita.save()
    w.rita.restricted_to.add(w.worker)
    w.carl = child_in(support, w.other_worker, first_name="Carl", last_name="Cole")
    york_team = w.outsider.role_assignments.get().team
    w.yves = child_in(york_team, w.outsider, first_name="Yves", last_name="Yarrow")
    # Wendy: Amy overdue since Fri 6 Nov (3 working days), due Fri 13 Nov (soon), due in December
    # (not soon); Rita overdue since Mon 9 Nov.
    deadline(w.amy, due_at=end_of(6), assignee=w.worker, team=duty)
    deadline(w.amy, due_at=end_of(13), assignee=w.worker, team=duty, key="case_summary_refresh")
    deadline(w.amy, due_at=end_of(10, 12), assignee=w.worker, team=duty, key="visit_cin")
    deadline(w.rita, due_at=end_of(9), assignee=w.worker, team=duty)
    # Bob: Carl overdue since Fri 16 Oct (18 working days): past Leeds's default escalation (10).
    deadline(w.carl, due_at=end_of(16, 10), assignee=w.other_worker, team=support, key="assessment_completion")
    # Yuri in York: overdue for a month.
    deadline(w.yves, due_at=end_of(9, 10), assignee=w.outsider, team=york_team)
    return w

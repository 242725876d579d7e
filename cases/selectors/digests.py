"""What each person's morning digest says (DESIGN §6).

Digests are built for a chunk of people of one authority at once, in a fixed number of queries
whatever the number of people or deadlines: one query per partial index on the open deadlines
(by assignee for a person's own work, by team for a manager's picture, by authority for the
escalations), and one visibility check of every line for every reader (`visible_child_ids`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from django.conf import settings
from django.urls import reverse

from ..models import AlertSettings, Authority, Deadline, User
from ..roles import Role
from ..rules.policy import Policy, UnknownTimescale
from .children import visible_child_ids
from .people import has_role, load_role_assignments, teams_managed_by
from .timescales import policy_for

# A service manager's digest names this many escalated items, oldest first; the rest are counted
# and the performance page lists them all.
ESCALATIONS_LISTED = 50
FIELDS = ("pk", "child_id", "child__first_name", "child__last_name", "key", "due_at", "explanation", "assignee_id",
          "assignee__full_name", "team_id", "team__name")  # fmt: skip


def alert_settings_for(authority: Authority) -> AlertSettings:
    """The authority's settings, or the defaults (unsaved) where its admin has set none."""
    found = AlertSettings.objects.filter(authority=authority).first()
    return found or AlertSettings(authority=authority)


@dataclass(frozen=True)
class Window:
    """The moments a digest is measured against, on the authority's working-day calendar."""

    now: datetime
    today: date
    due_soon_days: int
    due_soon_before: datetime  # the end of the Nth working day from today
    escalation_days: int
    escalate_before: datetime  # the start of the day N working days ago

    @classmethod
    def of(cls, policy: Policy, alert_settings: AlertSettings, now: datetime) -> Window:
        tz = policy.tz
        today = now.astimezone(tz).date()
        soon = policy.calendar.add_working_days(today, alert_settings.due_soon_working_days) + timedelta(days=1)
        late = policy.calendar.add_working_days(today, -alert_settings.escalation_working_days)
        return cls(now=now, today=today, due_soon_days=alert_settings.due_soon_working_days,
                   due_soon_before=datetime.combine(soon, time.min, tz),
                   escalation_days=alert_settings.escalation_working_days,
                   escalate_before=datetime.combine(late, time.min, tz))  # fmt: skip


@dataclass
class Line:
    """One deadline as a digest shows it."""

    child_id: int | None
    child_name: str
    what: str
    due_at: datetime
    explanation: str
    worker: str
    team: str
    working_days_overdue: int = 0
    # Formatted once here: the two parts of every email would otherwise format each date again.
    due_text: str = ""  # Fri 6 Nov 2026 23:59
    due_day: str = ""  # 6 Nov 2026

    @property
    def url(self) -> str:
        return settings.SITE_URL + _path_of(self.child_id)


@dataclass
class ChildGroup:
    child_name: str
    url: str
    lines: list[Line]


@dataclass
class TeamPicture:
    team: str
    overdue: int
    due_soon: int
    by_worker: list[tuple[str, int, int]]  # (worker, overdue, due soon)
    by_timescale: list[tuple[str, int, datetime]]  # (what, overdue, oldest due)


@dataclass
class Digest:
    user: User
    digest_date: date
    window: Window
    overdue: list[ChildGroup] = field(default_factory=list)
    due_soon: list[ChildGroup] = field(default_factory=list)
    teams: list[TeamPicture] = field(default_factory=list)
    escalations: list[Line] = field(default_factory=list)
    escalations_total: int = 0

    @property
    def overdue_count(self) -> int:
        return sum(len(group.lines) for group in self.overdue)

    @property
    def due_soon_count(self) -> int:
        return sum(len(group.lines) for group in self.due_soon)

    @property
    def is_empty(self) -> bool:
        return not (self.overdue or self.due_soon or self.escalations_total
                    or any(t.overdue or t.due_soon for t in self.teams))  # fmt: skip

    @property
    def performance_url(self) -> str:
        return settings.SITE_URL + reverse("performance-overdue")


def digests_for(users: list[User], *, now: datetime, digest_date: date | None = None) -> list[Digest]:
    """The digests of `users` (all of one authority), empty ones included."""
    if not users:
        return []
    authority = users[0].authority
    if any(user.authority_id != authority.pk for user in users):
        raise ValueError("Digests are built one authority at a time")
    policy = policy_for(authority)
    window = Window.of(policy, alert_settings_for(authority), now)
    load_role_assignments(users)
    open_ones = Deadline.objects.filter(status=Deadline.Status.OPEN)
    soon = open_ones.filter(due_at__lt=window.due_soon_before)
    own = list(soon.filter(assignee__in=users).values(*FIELDS))
    managed = {team.pk for user in users for team in teams_managed_by(user)}
    team_rows = list(soon.filter(team__in=managed).values(*FIELDS)) if managed else []
    escalating = any(has_role(user, Role.SERVICE_MANAGER) for user in users)
    escalated = []
    if escalating:
        escalated = list(open_ones.filter(authority=authority, due_at__lt=window.escalate_before).values(*FIELDS))
    visible = visible_child_ids(users, {row["child_id"] for row in (*own, *team_rows, *escalated) if row["child_id"]})
    lines = _Lines(policy, window)
    # Each row becomes a line once per chunk, grouped once, and read by every reader it concerns.
    chunk = _Chunk(by_assignee=_grouped(lines, own, "assignee_id"), by_team=_grouped(lines, team_rows, "team_id"),
                   escalated=sorted((lines.of(row) for row in escalated), key=lambda line: line.due_at))  # fmt: skip
    return [_digest(user, digest_date or window.today, window, visible[user.pk], chunk) for user in users]


@dataclass
class _Chunk:
    by_assignee: dict[int, list[Line]]
    by_team: dict[int, list[Line]]
    escalated: list[Line]


def _grouped(lines: _Lines, rows: list[dict], key: str) -> dict[int, list[Line]]:
    grouped = defaultdict(list)
    for row in rows:
        grouped[row[key]].append(lines.of(row))
    return grouped


def _digest(user: User, digest_date: date, window: Window, visible: set[int], chunk: _Chunk) -> Digest:
    """One reader's digest from the chunk's lines: only those whose child this reader may see."""

    def allowed(lines: list[Line]) -> list[Line]:
        return [line for line in lines if line.child_id is None or line.child_id in visible]

    digest = Digest(user=user, digest_date=digest_date, window=window)
    mine = allowed(chunk.by_assignee.get(user.pk, []))
    digest.overdue = _by_child([line for line in mine if line.due_at < window.now])
    digest.due_soon = _by_child([line for line in mine if line.due_at >= window.now])
    for team in teams_managed_by(user):
        digest.teams.append(_picture(team.name, allowed(chunk.by_team.get(team.pk, [])), window.now))
    if has_role(user, Role.SERVICE_MANAGER):
        found = allowed(chunk.escalated)
        digest.escalations, digest.escalations_total = found[:ESCALATIONS_LISTED], len(found)
    return digest


class _Lines:
    """Turns ledger rows into lines, each row and each timescale's name once per chunk."""

    def __init__(self, policy: Policy, window: Window):
        self.policy, self.window, self._what, self._made = policy, window, {}, {}

    def what(self, key: str) -> str:
        if key not in self._what:
            self._what[key] = timescale_what(self.policy, key)
        return self._what[key]

    def of(self, row: dict) -> Line:
        line = self._made.get(row["pk"])
        if line is None:
            line = self._made[row["pk"]] = self._line(row)
        return line

    def _line(self, row: dict) -> Line:
        name = f"{row['child__first_name']} {row['child__last_name']}" if row["child_id"] else ""
        local = row["due_at"].astimezone(self.policy.tz)
        due = local.date()
        overdue = row["due_at"] < self.window.now
        late = self.policy.calendar.working_days_between(due, self.window.today) if overdue else 0
        return Line(child_id=row["child_id"], child_name=name, what=self.what(row["key"]), due_at=row["due_at"],
                    explanation=row["explanation"], worker=row["assignee__full_name"] or "Not allocated",
                    team=row["team__name"] or "", working_days_overdue=max(late, 0),
                    due_text=f"{local:%a} {local.day} {local:%b %Y %H:%M}",
                    due_day=f"{local.day} {local:%b %Y}")  # fmt: skip


@lru_cache(maxsize=4096)
def _path_of(child_id: int | None) -> str:
    return reverse("child", args=[child_id]) if child_id else reverse("my-work")


def timescale_what(policy: Policy, key: str) -> str:
    """What the duty is, in words; a key no longer in the catalogue is shown as its words."""
    try:
        return policy.timescale(key).what
    except UnknownTimescale:
        return key.replace("_", " ").capitalize()


def _by_child(lines: list[Line]) -> list[ChildGroup]:
    groups: dict = defaultdict(list)
    for line in sorted(lines, key=lambda line: line.due_at):
        groups[line.child_id].append(line)
    return [ChildGroup(child_name=items[0].child_name or "Not about one child", url=items[0].url, lines=items)
            for items in groups.values()]  # fmt: skip


def _picture(team: str, lines: list[Line], now: datetime) -> TeamPicture:
    overdue = [line for line in lines if line.due_at < now]
    late_by_worker, soon_by_worker = Counter(line.worker for line in overdue), Counter(line.worker for line in lines)
    workers = sorted(soon_by_worker)
    by_timescale: dict[str, list[Line]] = defaultdict(list)
    for line in overdue:
        by_timescale[line.what].append(line)
    return TeamPicture(
        team=team,
        overdue=len(overdue),
        due_soon=len(lines) - len(overdue),
        by_worker=[(worker, late_by_worker[worker], soon_by_worker[worker] - late_by_worker[worker])
                   for worker in workers],  # fmt: skip
        by_timescale=sorted(((what, len(items), min(line.due_at for line in items))
                             for what, items in by_timescale.items()), key=lambda row: (-row[1], row[0])),  # fmt: skip
    )

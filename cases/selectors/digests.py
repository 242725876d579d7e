"""What each person's morning digest says (DESIGN §6).

A worker's digest leads with what falls due today and on the next working day (Monday, on a
Friday), then what is overdue, grouped by child with what went overdue most recently first (at most
ten lines; the rest are counted and linked, so work overdue for a year never buries today's), then
what falls due later in the window. Each item is one line: the child, what, when, and why, in the
words of `item_reason`. What waits for a reader and is not a deadline (an assessment to sign off, an
audit to do) comes from the apps that own it through `register_waiting`. A manager's digest names
the workers and children behind each figure and links to the lists behind it; a service manager's
names who and what is escalated.

Digests are built for a chunk of people of one authority at once, in a fixed number of queries
whatever the number of people or deadlines: one query per partial index on the open deadlines
(by assignee for a person's own work, by team for a manager's picture, by authority for the
escalations), one per kind of waiting work, and one visibility check of every line for every reader
(`visible_child_ids`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Case, F, TextField, Value, When
from django.urls import reverse

from ..models import AlertSettings, Authority, CaseClosure, Deadline, User
from ..roles import Role
from ..rules.config import DigestDays, load_file
from ..rules.policy import Policy, UnknownTimescale
from .children import visible_child_ids
from .people import has_role, load_role_assignments, teams_managed_by
from .practice import authorities_directory
from .timescales import policy_for

# Lines a section lists before it counts the rest and links to the page that lists them all.
OVERDUE_LINES = 10
LATER_LINES = 10
WAITING_LINES = 10
ESCALATION_LINES = 10
KINDS_LISTED = 5  # a team's most often overdue kinds of work
NAMES_LISTED = 6  # children named behind one figure
# Deadlines agreed at a visit, a plan, a supervision or an audit carry what was agreed in their
# explanation, before these words (cases/services/deadlines.py, deadline_open_agreed).
AGREED_DATE, AGREED = "agreed date", ": agreed on "
# What a line needs of a ledger row, and no more: every column costs its parsing on tens of
# thousands of rows a run.
FIELDS = ("pk", "child_id", "child__first_name", "child__last_name", "key", "due_at", "assignee_id",
          "assignee__full_name", "team_id", "team__name")  # fmt: skip
# Only a deadline with an agreed date has words of its explanation in its line (`agreed_what`):
# the others' explanations are left in the database.
AGREED_EXPLANATION = {"agreed": Case(When(rule=AGREED_DATE, then=F("explanation")), default=Value(""),
                                     output_field=TextField())}


def alert_settings_for(authority: Authority) -> AlertSettings:
    """The authority's settings, or the defaults (unsaved) where its admin has set none."""
    found = AlertSettings.objects.filter(authority=authority).first()
    return found or AlertSettings(authority=authority)


def digest_days_for(authority: Authority) -> DigestDays:
    """The days the authority's digest goes out: the `[digest]` table of its file in
    config/authorities/ (working days where it has none). Read from the file, as `[practice]` is."""
    return _digest_days_in(authorities_directory() / f"{authority.slug}.toml")


@lru_cache(maxsize=64)
def _digest_days_in(path: Path) -> DigestDays:
    return load_file(path).digest_days if path.is_file() else DigestDays()


def not_sending_because(authority: Authority, day: date) -> str:
    """Why the authority sends no digest on `day` ("Saturday", "Christmas Day", "closure day"), or
    "" when it does."""
    calendar = policy_for(authority).calendar
    if digest_days_for(authority).sends_on(day, calendar):
        return ""
    return calendar.why_not_working(day) or f"{day:%A} is not one of its digest days"


@dataclass(frozen=True)
class Window:
    """The moments a digest is measured against, on the authority's working-day calendar."""

    now: datetime
    tz: ZoneInfo
    today: date
    next_day: date  # the next working day: Monday, on a Friday
    horizon: date  # the last day of the "due soon" window, its Nth working day
    due_soon_days: int
    due_soon_before: datetime  # the start of the day after the horizon
    escalation_days: int
    escalate_before: datetime  # nothing falling due after the start of this day is escalated

    @classmethod
    def of(cls, policy: Policy, alert_settings: AlertSettings, now: datetime) -> Window:
        tz, calendar = policy.tz, policy.calendar
        today = now.astimezone(tz).date()
        horizon = calendar.add_working_days(today, alert_settings.due_soon_working_days)
        # Counted back from the last working day, so a weekend's run escalates what Friday's did:
        # anything falling due before `late` is more than N working days overdue, and nothing else.
        last = today if calendar.is_working_day(today) else calendar.add_working_days(today, -1)
        late = calendar.add_working_days(last, -alert_settings.escalation_working_days)
        return cls(now=now, tz=tz, today=today, next_day=calendar.add_working_days(today, 1), horizon=horizon,
                   due_soon_days=alert_settings.due_soon_working_days,
                   due_soon_before=datetime.combine(horizon + timedelta(days=1), time.min, tz),
                   escalation_days=alert_settings.escalation_working_days,
                   escalate_before=datetime.combine(late, time.min, tz))  # fmt: skip


def day_text(day: date, today: date) -> str:
    """"Fri 27 Nov", with the year only when it is not this year's."""
    text = f"{day:%a} {day.day} {day:%b}"
    return text if day.year == today.year else f"{text} {day.year}"


def due_day(local: datetime) -> date:
    """The day a deadline falls due on: one due at midnight is due by the end of the day before
    (24 hours from Thursday's start is the end of Thursday)."""
    return (local - timedelta(microseconds=1)).date() if local.time() == time.min else local.date()


def when_text(local: datetime, today: date) -> str:
    """"by Fri 27 Nov" for a deadline at the end of a day, "by 11:00 on Sat 21 Nov" for one in hours."""
    day = due_day(local)
    if local.time() == time.min or (local.hour, local.minute) == (23, 59):
        return f"by {day_text(day, today)}"
    return f"by {local:%H:%M} on {day_text(day, today)}"


def item_reason(deadline: Deadline, *, policy: Policy, today: date) -> str:
    """The one plain sentence every digest line gives for a deadline: what is due, and by when.
    Every digest line's words come from here, and nothing else: never a timescale key, an authority,
    a file or a line number."""
    local = deadline.due_at.astimezone(policy.tz)
    what = agreed_what(deadline) or _sentence_part(timescale_what(policy, deadline.key))
    return _reason(what, when_text(local, today))


def _reason(what: str, when: str) -> str:
    return f"{what}, due {when}"


def agreed_what(deadline: Deadline) -> str:
    """What was agreed, for a deadline with an agreed date; "" for any other."""
    return _agreed(deadline.rule, deadline.explanation)


def _agreed(rule: str, explanation: str) -> str:
    if rule != AGREED_DATE or AGREED not in explanation:
        return ""
    return _sentence_part(explanation.split(AGREED, 1)[0])


def _sentence_part(text: str) -> str:
    """Text to go before a comma: no closing full stop (what was typed may end with one)."""
    text = text.strip().rstrip(".;:,!").strip()
    return text[:1].upper() + text[1:]


def timescale_what(policy: Policy, key: str) -> str:
    """What the duty is, in words; a key no longer in the catalogue is shown as its words."""
    try:
        return policy.timescale(key).what
    except UnknownTimescale:
        return key.replace("_", " ").capitalize()


@dataclass
class Line:
    """One deadline as the digests show it, made once per chunk whoever reads it."""

    pk: int
    child_id: int | None
    child_name: str
    what: str
    due_at: datetime
    day: date  # the day it falls due on
    reason: str  # item_reason's sentence
    worker: str
    team: str
    team_id: int | None
    overdue: bool
    working_days_overdue: int = 0
    late: str = ""  # "3 working days overdue", "overdue since 09:00 today"

    @property
    def url(self) -> str:
        return settings.SITE_URL + _path_of(self.child_id)


@dataclass
class Entry:
    """One line of an email: `lead` (a child's or worker's name, linked to `url`) and then `text`;
    without a lead, the text itself is linked where there is a url."""

    text: str
    lead: str = ""
    url: str = ""


@dataclass
class Group:
    """Lines under a heading of their own: a child's name (linked), or a kind of figure."""

    entries: list[Entry]
    heading: str = ""
    url: str = ""


@dataclass
class Section:
    """A part of a digest with its heading. `more` counts what it leaves out, at `more_url`;
    `links` are the pages with the lists behind its figures."""

    kind: str  # today, next_day, waiting, overdue, later, team, escalated
    heading: str
    groups: list[Group]
    intro: str = ""
    more: str = ""
    more_url: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)
    urgent: bool = False
    left_out: int = 0  # how many `more` counts

    @property
    def lines(self) -> int:
        return sum(len(group.entries) for group in self.groups)


@dataclass(frozen=True)
class Waiting:
    """Something waiting for one reader that is not a deadline: a sign-off, an audit to do."""

    user_id: int
    child_id: int | None
    child_name: str
    text: str  # "assessment from Sam Okafor, submitted": the day of `since` follows, where there is one
    path: str  # the page to act on it, site-relative
    since: datetime | None = None


@dataclass(frozen=True)
class WaitingKind:
    """A kind of waiting work an app contributes: `find(users, authority)` returns what waits for
    any of `users` in one query, whatever their number. Kinds with one heading share a section."""

    heading: str
    list_text: str
    list_url_name: str  # the page listing them all
    find: Callable[[list[User], Authority], list[Waiting]]
    list_query: str = ""  # its filter, e.g. "mine=1"


_WAITING: list[WaitingKind] = []


def register_waiting(kind: WaitingKind) -> None:
    if kind not in _WAITING:
        _WAITING.append(kind)


@dataclass
class Digest:
    user: User
    digest_date: date
    window: Window
    sections: list[Section] = field(default_factory=list)
    due_today_count: int = 0
    due_soon_count: int = 0  # today, the next working day and later in the window
    overdue_count: int = 0
    waiting_count: int = 0
    teams: list[str] = field(default_factory=list)  # managed teams with something to show
    escalations: list[Line] = field(default_factory=list)

    @property
    def escalations_total(self) -> int:
        return len(self.escalations)

    @property
    def is_empty(self) -> bool:
        return not self.sections

    def section(self, kind: str) -> Section | None:
        return next((section for section in self.sections if section.kind == kind), None)

    @property
    def my_work_url(self) -> str:
        return settings.SITE_URL + reverse("my-work")

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
    own = _rows(soon.filter(assignee__in=users))
    managed = {team.pk for user in users for team in teams_managed_by(user)}
    team_rows = _rows(soon.filter(team__in=managed)) if managed else []
    escalated = []
    if any(has_role(user, Role.SERVICE_MANAGER) for user in users):
        # At or before the bound: a deadline at midnight belongs to the day before (due_day).
        escalated = _rows(open_ones.filter(authority=authority, due_at__lte=window.escalate_before))
    waiting = [(kind, kind.find(users, authority)) for kind in _WAITING]
    children = {row["child_id"] for row in (*own, *team_rows, *escalated)} | {
        item.child_id for _, items in waiting for item in items
    }
    visible = visible_child_ids(users, children - {None})
    lines = _Lines(authority, policy, window)
    # Each row becomes a line once per chunk, grouped once, and read by every reader it concerns.
    chunk = _Chunk(by_assignee=_grouped(lines, own, "assignee_id"), by_team=_grouped(lines, team_rows, "team_id"),
                   escalated=[line for line in map(lines.of, escalated)
                              if line.working_days_overdue > window.escalation_days],
                   waiting=waiting)  # fmt: skip
    return [_digest(user, digest_date or window.today, window, visible[user.pk], chunk) for user in users]


def _rows(deadlines) -> list[dict]:
    return list(deadlines.values(*FIELDS, **AGREED_EXPLANATION))


@dataclass
class _Chunk:
    by_assignee: dict[int, list[Line]]
    by_team: dict[int, list[Line]]
    escalated: list[Line]
    waiting: list[tuple[WaitingKind, list[Waiting]]]


def _grouped(lines: _Lines, rows: list[dict], key: str) -> dict[int, list[Line]]:
    grouped = defaultdict(list)
    for row in rows:
        grouped[row[key]].append(lines.of(row))
    return grouped


def _digest(user: User, digest_date: date, window: Window, visible: set[int], chunk: _Chunk) -> Digest:
    """One reader's digest from the chunk's lines: only those whose child this reader may see."""

    def allowed(lines):
        return [line for line in lines if line.child_id is None or line.child_id in visible]

    digest = Digest(user=user, digest_date=digest_date, window=window)
    mine = _distinct(allowed(chunk.by_assignee.get(user.pk, [])))
    overdue = [line for line in mine if line.overdue]
    today = [line for line in mine if not line.overdue and line.day <= window.today]
    next_day = [line for line in mine if not line.overdue and window.today < line.day <= window.next_day]
    later = [line for line in mine if not line.overdue and line.day > window.next_day]
    digest.due_today_count, digest.overdue_count = len(today), len(overdue)
    digest.due_soon_count = len(today) + len(next_day) + len(later)
    sections = [_due_section("today", f"Due today, {day_text(window.today, window.today)}", today),
                _due_section("next_day", _next_day_heading(window), next_day)]  # fmt: skip
    waiting = _waiting_sections(user, chunk.waiting, visible, window)
    digest.waiting_count = sum(section.lines + section.left_out for section in waiting)
    sections += waiting
    sections.append(_overdue_section(overdue, digest.my_work_url))
    sections.append(_later_section(later, window, digest.my_work_url))
    for team in teams_managed_by(user):
        team_lines = allowed(chunk.by_team.get(team.pk, []))
        if team_lines:
            digest.teams.append(team.name)
            sections.append(_team_section(team, team_lines, window))
    if has_role(user, Role.SERVICE_MANAGER):
        digest.escalations = allowed(chunk.escalated)
        sections.append(_escalation_section(digest.escalations, window, digest.performance_url))
    digest.sections = [section for section in sections if section.lines]
    return digest


def _distinct(lines: list[Line]) -> list[Line]:
    """One line for one thing to do: two deadlines that read alike for one child are one line."""
    seen, kept = set(), []
    for line in lines:
        if (line.child_id, line.reason) not in seen:
            seen.add((line.child_id, line.reason))
            kept.append(line)
    return kept


def _next_day_heading(window: Window) -> str:
    day = day_text(window.next_day, window.today)
    if window.next_day == window.today + timedelta(days=1):
        return f"Due tomorrow, {day}"
    return f"Due next working day, {day}"


def _flat(line: Line, text: str) -> Entry:
    if line.child_id is None:
        return Entry(text=text, url=settings.SITE_URL + _path_of(None))
    return Entry(lead=line.child_name, url=line.url, text=text)


def _due_section(kind: str, heading: str, lines: list[Line]) -> Section:
    ordered = sorted(lines, key=lambda line: (line.due_at, line.child_name))
    return Section(kind=kind, heading=heading, groups=[Group([_flat(line, line.reason) for line in ordered])])


def _overdue_section(lines: list[Line], more_url: str) -> Section:
    """The OVERDUE_LINES that went overdue most recently, grouped by child: work overdue for a year
    is still counted, and listed on My work, but never crowds out what slipped yesterday."""
    by_child: dict = defaultdict(list)
    newest = sorted(lines, key=lambda line: line.due_at, reverse=True)[:OVERDUE_LINES]
    for line in newest:
        by_child[line.child_id].append(line)
    groups = [Group(entries=[Entry(text=_late_reason(line)) for line in items],
                    heading=items[0].child_name or "Not about one child",
                    url=items[0].url if items[0].child_id else "")
              for items in by_child.values()]  # fmt: skip
    section = Section(kind="overdue", heading=f"Overdue: {len(lines)}", groups=groups, urgent=True)
    _leave_out(section, len(lines) - len(newest), "more overdue, on My work", more_url)
    return section


def _later_section(lines: list[Line], window: Window, more_url: str) -> Section:
    ordered = sorted(lines, key=lambda line: (line.due_at, line.child_name))
    section = Section(kind="later", heading=f"Due later, {_horizon(window)}",
                      groups=[Group([_flat(line, line.reason) for line in ordered[:LATER_LINES]])])  # fmt: skip
    _leave_out(section, len(ordered) - LATER_LINES, "more due soon, on My work", more_url)
    return section


def _leave_out(section: Section, count: int, words: str, url: str) -> None:
    if count > 0:
        section.left_out, section.more, section.more_url = count, f"and {count} {words}", url


def _horizon(window: Window) -> str:
    return f"by {day_text(window.horizon, window.today)}"


def _waiting_sections(user: User, found: list[tuple[WaitingKind, list[Waiting]]], visible: set[int],
                      window: Window) -> list[Section]:  # fmt: skip
    sections: dict[str, Section] = {}
    counts: dict[str, int] = defaultdict(int)
    for kind, items in found:
        mine = [item for item in items if item.user_id == user.pk
                and (item.child_id is None or item.child_id in visible)]  # fmt: skip
        if not mine:
            continue
        section = sections.setdefault(kind.heading, Section(kind="waiting", heading=kind.heading, groups=[Group([])]))
        query = f"?{kind.list_query}" if kind.list_query else ""
        link = (kind.list_text, settings.SITE_URL + reverse(kind.list_url_name) + query)
        if link not in section.links:
            section.links.append(link)
        for item in sorted(mine, key=lambda item: (item.since is None, item.since.timestamp() if item.since else 0)):
            counts[kind.heading] += 1
            if len(section.groups[0].entries) >= WAITING_LINES:
                continue
            text = item.text
            if item.since is not None:
                text += f" {day_text(item.since.astimezone(window.tz).date(), window.today)}"
            section.groups[0].entries.append(Entry(lead=item.child_name, url=settings.SITE_URL + item.path,
                                                   text=text))  # fmt: skip
    for heading, section in sections.items():
        section.heading = f"{heading}: {counts[heading]}"
        _leave_out(section, counts[heading] - section.lines, "more", section.links[0][1])
    return list(sections.values())


def _names(lines: list[Line]) -> str:
    """The children behind a figure, each once: "Amy Archer, Rita Restricted and 3 others"."""
    names = list(dict.fromkeys(line.child_name for line in lines if line.child_id))
    others = sum(1 for line in lines if not line.child_id)
    if len(names) > NAMES_LISTED:
        rest = len(names) - NAMES_LISTED
        names = names[:NAMES_LISTED] + [f"{rest} other{'s' if rest != 1 else ''}"]
    if others:
        names.append("work not about one child")
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _figure(lines: list[Line], words: str) -> str:
    return f"{len(lines)} {words} ({_names(lines)})" if lines else ""


def _team_section(team, lines: list[Line], window: Window) -> Section:
    """The team's picture by worker (no one holding it first) and by kind of work, each figure
    naming the children behind it."""
    overdue = [line for line in lines if line.overdue]
    soon = [line for line in lines if not line.overdue]
    soon_words = f"due {_horizon(window)}"
    team_url = settings.SITE_URL + reverse("team")
    by_worker: dict[str, list[Line]] = defaultdict(list)
    for line in sorted(lines, key=lambda line: line.due_at):
        by_worker[line.worker].append(line)
    workers = sorted(by_worker, key=lambda worker: (worker != NOT_ALLOCATED, worker))
    entries = []
    for worker in workers:
        late = [line for line in by_worker[worker] if line.overdue]
        coming = [line for line in by_worker[worker] if not line.overdue]
        figures = [text for text in (_figure(late, "overdue"), _figure(coming, soon_words)) if text]
        entries.append(Entry(lead=worker, text="; ".join(figures)))
    groups = [Group(entries=entries, heading="By worker")]
    by_kind: dict[str, list[Line]] = defaultdict(list)
    for line in sorted(overdue, key=lambda line: line.due_at):
        by_kind[line.what].append(line)
    kinds = sorted(by_kind.items(), key=lambda item: (-len(item[1]), item[0]))
    if kinds:
        rows = [Entry(text=f"{what}: {len(items)} ({_names(items)}), the oldest was due by "
                           f"{day_text(items[0].day, window.today)}")
                for what, items in kinds[:KINDS_LISTED]]  # fmt: skip
        if len(kinds) > KINDS_LISTED:
            rows.append(Entry(text=f"and {len(kinds) - KINDS_LISTED} other kinds of work"))
        groups.append(Group(entries=rows, heading="Most often overdue"))
    overdue_url = f"{settings.SITE_URL}{reverse('performance-overdue')}?team={team.pk}"
    intro = f"{len(overdue)} overdue, {len(soon)} {soon_words}."
    links = [("Open the team page", team_url)]
    if overdue:
        links.insert(0, (f"See the team's {len(overdue)} overdue", overdue_url))
    return Section(kind="team", heading=f"Your team: {team.name}", groups=groups, intro=intro, links=links)


NOT_ALLOCATED = "Not allocated"


def _escalation_section(lines: list[Line], window: Window, list_url: str) -> Section:
    """Who holds what is escalated, then the items, what was escalated most recently first."""
    by_holder: dict[tuple[str, str], list[Line]] = defaultdict(list)
    for line in sorted(lines, key=lambda line: line.due_at, reverse=True):
        by_holder[(line.team, line.worker)].append(line)
    holders = sorted(by_holder.items(), key=lambda item: (-len(item[1]), item[0]))
    who = [Entry(lead=f"{worker}, {team}" if team else worker, text=_figure(items, "overdue"))
           for (team, worker), items in holders]  # fmt: skip
    newest = sorted(lines, key=lambda line: line.due_at, reverse=True)[:ESCALATION_LINES]
    items = [_flat(line, f"{_late_reason(line)}, {_held_by(line)}") for line in newest]
    section = Section(kind="escalated", urgent=True,
                      heading=f"Overdue by more than {window.escalation_days} working days: {len(lines)}",
                      groups=[Group(entries=who, heading="Who holds them"),
                              Group(entries=items, heading="Most recently escalated")],
                      links=[("See every overdue item", list_url)])  # fmt: skip
    _leave_out(section, len(lines) - len(newest), "more escalated", list_url)
    return section


def _late_reason(line: Line) -> str:
    """The reason with how late it is: "…, due by Fri 6 Nov (10 working days overdue)"; a reason
    written as a sentence loses its full stop to the bracket."""
    return f"{line.reason.rstrip().rstrip('.')} ({line.late})"


def _held_by(line: Line) -> str:
    return "not allocated" if line.worker == NOT_ALLOCATED else f"held by {line.worker}"


class _Lines:
    """Turns ledger rows into lines, each row once per chunk. The words that many rows share (a
    timescale's name, a due moment's day and "by" text, how late a day is) are worked out once."""

    def __init__(self, authority: Authority, policy: Policy, window: Window):
        self.authority, self.policy, self.window, self._made = authority, policy, window, {}
        self._what: dict[str, str] = {}
        self._when: dict[datetime, tuple[datetime, date, str]] = {}
        self._late: dict[tuple[date, datetime | None], tuple[int, str]] = {}

    def of(self, row: dict) -> Line:
        line = self._made.get(row["pk"])
        if line is None:
            line = self._made[row["pk"]] = self._line(row)
        return line

    def _timescale_what(self, key: str) -> str:
        what = self._what.get(key)
        if what is None:
            what = self._what[key] = timescale_what(self.policy, key)
        return what

    def _due(self, due_at: datetime) -> tuple[datetime, date, str]:
        """The moment in the authority's time, the day it falls due on, and "by …" (`when_text`)."""
        found = self._when.get(due_at)
        if found is None:
            local = due_at.astimezone(self.policy.tz)
            found = self._when[due_at] = (local, due_day(local), when_text(local, self.window.today))
        return found

    def _lateness(self, local: datetime, day: date) -> tuple[int, str]:
        # The words depend on the time of day only for what fell due today (`_late_text`).
        key = (day, local if day == self.window.today else None)
        found = self._late.get(key)
        if found is None:
            late = max(self.policy.calendar.working_days_between(day, self.window.today), 0)
            found = self._late[key] = (late, _late_text(late, local, day, self.window))
        return found

    def _line(self, row: dict) -> Line:
        # The same words as item_reason gives for the row's Deadline, without building the model.
        local, day, when = self._due(row["due_at"])
        agreed = _agreed(AGREED_DATE, row["agreed"]) if row["agreed"] else ""
        what = agreed or self._timescale_what(row["key"])
        overdue = row["due_at"] < self.window.now
        late, late_text = self._lateness(local, day) if overdue else (0, "")
        name = f"{row['child__first_name']} {row['child__last_name']}" if row["child_id"] else ""
        return Line(pk=row["pk"], child_id=row["child_id"], child_name=name, what=what, due_at=row["due_at"],
                    day=day, reason=_reason(agreed or _sentence_part(what), when),
                    worker=row["assignee__full_name"] or NOT_ALLOCATED, team=row["team__name"] or "",
                    team_id=row["team_id"], overdue=overdue, working_days_overdue=late, late=late_text)  # fmt: skip


def _late_text(working_days: int, local: datetime, day: date, window: Window) -> str:
    if working_days:
        return f"{working_days} working day{'s' if working_days != 1 else ''} overdue"
    if day == window.today:
        return f"overdue since {local:%H:%M} today"
    # Fell due on a day that is not a working day, since the last one.
    return f"overdue since {day_text(day, window.today)}"


# As many as a large authority's children with open work: a run that outgrows the cache reverses
# every child's URL again in every chunk.
@lru_cache(maxsize=100_000)
def _path_of(child_id: int | None) -> str:
    return reverse("child", args=[child_id]) if child_id else reverse("my-work")


def _closure_requests(users: list[User], authority: Authority) -> list[Waiting]:
    """Closure and transfer requests waiting for a manager of the case's team (any, for a service
    manager), as the closure requests page lists them; never one's own request."""
    deciders = [user for user in users if has_role(user, Role.SERVICE_MANAGER) or teams_managed_by(user)]
    if not deciders:
        return []
    rows = CaseClosure.objects.filter(case__authority=authority, status=CaseClosure.Status.REQUESTED).values(
        "pk", "kind", "case__child_id", "case__child__first_name", "case__child__last_name", "case__team_id",
        "requested_by_id", "requested_by__full_name", "requested_at")  # fmt: skip
    kinds = dict(CaseClosure.Kind.choices)
    teams = {user.pk: {team.pk for team in teams_managed_by(user)} for user in deciders}
    found = []
    for row in rows:
        for user in deciders:
            mine = has_role(user, Role.SERVICE_MANAGER) or row["case__team_id"] in teams[user.pk]
            if mine and row["requested_by_id"] != user.pk:
                found.append(Waiting(user_id=user.pk, child_id=row["case__child_id"],
                                     child_name=f"{row['case__child__first_name']} {row['case__child__last_name']}",
                                     text=f"{kinds[row['kind']]} requested by {row['requested_by__full_name']} on",
                                     path=reverse("closure-request", args=[row["pk"]]),
                                     since=row["requested_at"]))  # fmt: skip
    return found


SIGN_OFF = "Waiting for your sign-off"
register_waiting(WaitingKind(SIGN_OFF, "Open the closure and transfer requests",
                             "closure-requests", _closure_requests))  # fmt: skip

"""The deadline ledger's services: open, meet, cancel and recalculate (DESIGN §6).

Other services call these inside their own transaction, so recording an event and opening or
meeting its deadlines happen together or not at all.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from functools import partial
from itertools import islice

import numpy as np
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import TextField
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.utils import timezone

from ..models import Authority, Deadline, Team, User
from ..rules.bulk import as_datetimes
from ..selectors.timescales import policy_for
from .performance_rollup import performance_rollup_mark, performance_rollup_mark_authority
from .writes import locked


@transaction.atomic
def deadline_open(
    *,
    authority: Authority,
    key: str,
    subject,
    start: date | datetime,
    team: Team | None = None,
    assignee: User | None = None,
    conditions: tuple[str, ...] = (),
    case=None,
    child=None,
    counted_from: str = "",
) -> Deadline:
    if getattr(subject, "authority_id", authority.pk) != authority.pk:
        raise ValidationError("A deadline's record must belong to the same authority")
    result = policy_for(authority).due(key, start, frozenset(conditions))
    deadline = Deadline.objects.create(
        authority=authority,
        team=team,
        assignee=assignee,
        case=case,
        child=child if child is not None else getattr(case, "child", None),
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
        key=key,
        conditions=sorted(conditions),
        anchor_at=result.start,
        counted_from=counted_from,
        due_at=result.due_at,
        rule=result.rule,
        condition_applied=result.condition or "",
        statutory_floor_applied=result.floor is not None,
        explanation=result.explanation,
    )
    performance_rollup_mark(deadline)
    return deadline


# The rule of a deadline people agreed (an action from supervision or an audit), not a timescale:
# it is due at the end of the agreed day and no recalculation moves it.
AGREED_DATE = "agreed date"


@transaction.atomic
def deadline_open_agreed(*, authority: Authority, key: str, subject, due_on: date, what: str,
                         agreed_at: datetime, team: Team | None = None, assignee: User | None = None,
                         case=None) -> Deadline:  # fmt: skip
    if getattr(subject, "authority_id", authority.pk) != authority.pk:
        raise ValidationError("A deadline's record must belong to the same authority")
    policy = policy_for(authority)
    due_at = datetime.combine(due_on, time(23, 59, 59), tzinfo=policy.tz)
    agreed = timezone.localtime(agreed_at, policy.tz)
    deadline = Deadline.objects.create(
        authority=authority, team=team, assignee=assignee, case=case, child=getattr(case, "child", None),
        subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk, key=key,
        anchor_at=agreed_at, due_at=due_at, rule=AGREED_DATE,
        explanation=f"{what}: agreed on {agreed:%a %-d %b %Y}, due by the end of {due_on:%a %-d %b %Y}.",
    )  # fmt: skip
    performance_rollup_mark(deadline)
    return deadline


def deadline_open_where_set(*, authority: Authority, key: str, conditions: tuple[str, ...] = (), **kwargs):
    """Open `key` if this authority (or the national default) gives it a value under these
    conditions; many duties are local and some authorities set no number (returns None then)."""
    if policy_for(authority).due_where_set(key, kwargs["start"], conditions) is None:
        return None
    return deadline_open(authority=authority, key=key, conditions=conditions, **kwargs)


def deadlines_meet_open(*, subject, keys: list[str], met_at: datetime | None = None) -> list[Deadline]:
    """Meet every open deadline of `keys` on `subject` (recording the event that was awaited)."""
    open_ones = Deadline.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
        key__in=keys,
        status=Deadline.Status.OPEN,
    )
    return [deadline_meet(deadline=deadline, met_at=met_at) for deadline in open_ones]


def deadlines_cancel_open(*, case, reason: str) -> int:
    """Cancel every open deadline of a case (it is closing), keeping the reason on each."""
    open_ones = list(Deadline.objects.filter(case=case, status=Deadline.Status.OPEN))
    for deadline in open_ones:
        deadline_cancel(deadline=deadline, reason=reason)
    return len(open_ones)


def _locked_open(deadline: Deadline) -> Deadline:
    row = locked(Deadline, pk=deadline.pk)
    if row.status != Deadline.Status.OPEN:
        raise ValidationError(f"This deadline is already {row.get_status_display().lower()}")
    return row


@transaction.atomic
def deadline_meet(*, deadline: Deadline, met_at: datetime | None = None) -> Deadline:
    """Mark the deadline met at `met_at` (now by default): met late if that is after it was due."""
    row = _locked_open(deadline)
    row.met_at = met_at or timezone.now()
    row.status = Deadline.Status.MET if row.met_at <= row.due_at else Deadline.Status.MET_LATE
    row.save(update_fields=["met_at", "status"])
    performance_rollup_mark(row)
    return row


@transaction.atomic
def deadline_cancel(*, deadline: Deadline, reason: str) -> Deadline:
    if not reason.strip():
        raise ValidationError("Give the reason the deadline no longer applies")
    row = _locked_open(deadline)
    row.status = Deadline.Status.CANCELLED
    row.cancelled_reason = reason.strip()
    row.save(update_fields=["status", "cancelled_reason"])
    performance_rollup_mark(row)
    return row


@transaction.atomic
def deadline_add_note(*, deadline: Deadline, note: str) -> Deadline:
    """Add to an open deadline's explanation what happened that did not meet it (a visit where
    the child was not seen), so whoever reads the due date reads why it is still open."""
    row = _locked_open(deadline)
    row.explanation = f"{row.explanation}\n{note.strip()}"
    row.save(update_fields=["explanation"])
    return row


@dataclass
class Recalculation:
    checked: int = 0
    changes: list[tuple[int, str, datetime, datetime]] = field(default_factory=list)  # id, key, old, new

    def __str__(self):
        return f"{self.checked} open deadlines checked, {len(self.changes)} due dates changed"


# A recalculation moving this many deadlines or more writes them in WRITERS parts at once.
PARALLEL_FROM = 50_000
WRITERS = 2

FIELDS_RECALCULATED = ["due_at", "rule", "condition_applied", "statutory_floor_applied", "explanation"]
RECALCULATED_REASON = "Recalculated after a timescale change"


def deadline_recalculate(
    *,
    authority: Authority,
    keys: list[str] | None = None,
    dry_run: bool = False,
    recalculated_by: User | None = None,
    batch_size: int = 2000,
    parallel_from: int = PARALLEL_FROM,
) -> Recalculation:
    """Apply the authority's latest timescales to its open deadlines and report what changed.

    Only an explicit admin action calls this: changing a timescale on its own never moves a
    deadline whose clock had already started.

    Outside a transaction, on PostgreSQL, `parallel_from` or more changed deadlines are written in
    WRITERS parts, each on its own connection and in its own transaction: each deadline and its
    history row still change together, and should one part fail, running the recalculation again
    finishes it (it moves only what is still out of step).
    """
    queryset = Deadline.objects.filter(authority=authority, status=Deadline.Status.OPEN).exclude(rule=AGREED_DATE)
    if keys:
        queryset = queryset.filter(key__in=keys)
    if connection.vendor == "postgresql":
        report = _recalculate_in_bulk(authority, queryset, dry_run, recalculated_by, parallel_from)
    else:
        report = _recalculate_row_by_row(authority, queryset, dry_run, recalculated_by, batch_size)
    if report.changes and not dry_run:
        performance_rollup_mark_authority(authority)
    return report


def _recalculate_row_by_row(authority, queryset, dry_run, recalculated_by, batch_size) -> Recalculation:
    """The plain path, for databases without COPY (SQLite in the quick start)."""
    policy = policy_for(authority)
    report = Recalculation()
    batch: list[Deadline] = []
    for deadline in queryset.order_by("pk").iterator(chunk_size=batch_size):
        report.checked += 1
        result = policy.due(deadline.key, deadline.anchor_at, deadline.conditions, latest=True)
        if result.due_at == deadline.due_at:
            continue
        report.changes.append((deadline.pk, deadline.key, deadline.due_at, result.due_at))
        if dry_run:
            continue
        deadline.due_at = result.due_at
        deadline.rule = result.rule
        deadline.condition_applied = result.condition or ""
        deadline.statutory_floor_applied = result.floor is not None
        deadline.explanation = result.explanation
        batch.append(deadline)
        if len(batch) >= batch_size:
            _save_recalculated(batch, recalculated_by)
            batch = []
    if batch:
        _save_recalculated(batch, recalculated_by)
    return report


def _save_recalculated(batch: list[Deadline], user: User | None) -> None:
    """One UPDATE ... FROM a VALUES list per batch, and the history rows in one INSERT.

    Django's bulk_update writes a CASE expression per field that grows with the batch; at a
    million deadlines that is hours, where a joined VALUES list is minutes.
    """
    table = connection.ops.quote_name(Deadline._meta.db_table)
    row = "(" + ", ".join(["%s"] * (1 + len(FIELDS_RECALCULATED))) + ")"
    columns = ", ".join(FIELDS_RECALCULATED)
    assignments = ", ".join(f"{name} = changed.{name}" for name in FIELDS_RECALCULATED)
    params = [value for d in batch for value in (d.pk, *(getattr(d, name) for name in FIELDS_RECALCULATED))]
    with transaction.atomic(), connection.cursor() as cursor:
        # Only model metadata and placeholders are interpolated; every value is a parameter.
        cursor.execute(
            f"WITH changed (id, {columns}) AS (VALUES {', '.join([row] * len(batch))}) "  # noqa: S608
            f"UPDATE {table} SET {assignments} FROM changed WHERE {table}.id = changed.id",
            params,
        )
        Deadline.history.bulk_history_create(
            batch, update=True, default_user=user, default_change_reason=RECALCULATED_REASON
        )


def _recalculate_in_bulk(authority, queryset, dry_run, recalculated_by, parallel_from) -> Recalculation:
    """Due dates computed per (key, conditions) over arrays; the changed rows sent with COPY to a
    temporary table, then one UPDATE and one INSERT of their history, all in SQL.

    A million open deadlines as Django objects (and a history object each) took minutes of CPU;
    here Python touches each row only to read it and to write its line of the COPY.
    """
    policy = policy_for(authority)
    report = Recalculation()
    # Instants as integer microseconds, so no row becomes a datetime in Python (constant SQL).
    microseconds = "(extract(epoch FROM {}) * 1000000)::bigint"
    rows = queryset.order_by().values_list(
        "key", Cast("conditions", TextField()), "id",
        RawSQL(microseconds.format("anchor_at"), ()), RawSQL(microseconds.format("due_at"), ()),  # noqa: S611
    )  # fmt: skip
    sql, params = rows.query.sql_with_params()
    groups: dict[tuple[str, str], list] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for key, conditions, pk, anchor, due in cursor.fetchall():
            groups.setdefault((key, conditions), []).append((pk, anchor, due))
    outcomes: dict[tuple[str, str, bool], int] = {}
    explanations: list[str] = []
    moved: dict[str, list[np.ndarray]] = {"key": [], "id": [], "old": [], "new": [], "outcome": [], "explanation": []}
    keys: list[str] = []
    for (key, conditions_text), members in groups.items():
        conditions = frozenset(json.loads(conditions_text))
        ids, anchors, old = np.array(members, dtype=np.int64).T
        report.checked += len(ids)
        result = policy.due_many(key, anchors, conditions)
        changed = result.due_at != old
        if not changed.any():
            continue
        outcome_rows = np.array([outcomes.setdefault(o, len(outcomes)) for o in result.outcomes], dtype=np.int64)
        # One explanation per distinct start day (or instant, for hours), written by due() itself.
        _, first, inverse = np.unique(result.explained_by[changed], return_index=True, return_inverse=True)
        moved["explanation"].append(inverse + len(explanations))
        explanations += [
            policy.due(key, start, conditions, latest=True).explanation
            for start in as_datetimes(anchors[changed][first], policy.tz)
        ]
        moved["key"].append(np.full(changed.sum(), len(keys)))
        keys.append(key)
        moved["id"].append(ids[changed])
        moved["old"].append(old[changed])
        moved["new"].append(result.due_at[changed])
        moved["outcome"].append(outcome_rows[result.outcome[changed]])
    if not keys:
        return report
    columns = {name: np.concatenate(parts) for name, parts in moved.items()}
    order = np.argsort(columns["id"], kind="stable")
    columns = {name: values[order] for name, values in columns.items()}
    report.changes = list(
        zip(
            columns["id"].tolist(),
            [keys[k] for k in columns["key"].tolist()],
            as_datetimes(columns["old"], UTC),
            as_datetimes(columns["new"], policy.tz),
            strict=True,
        )
    )
    if dry_run:
        return report
    write = partial(_write_recalculated, outcomes=list(outcomes), explanations=explanations, user=recalculated_by,
                    when=timezone.now())  # fmt: skip
    if len(order) < parallel_from or connection.in_atomic_block:
        write(columns)
        return report
    # Rewriting a million rows and their indexes is PostgreSQL's work, on one core per connection;
    # two connections use both of a small server's cores. The parts are ranges of ids, so no row
    # is written by both.
    parts = [{name: values[part] for name, values in columns.items()}
             for part in np.array_split(np.arange(len(order)), WRITERS)]  # fmt: skip
    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        for done in [pool.submit(_on_own_connection, write, part) for part in parts]:
            done.result()
    return report


def _on_own_connection(work, *args):
    """Django gives each thread its own connection; this one is closed when the work is done."""
    try:
        return work(*args)
    finally:
        connection.close()


def _write_recalculated(columns: dict[str, np.ndarray], *, outcomes: list, explanations: list[str], user,
                        when: datetime) -> None:  # fmt: skip
    """The changed rows by COPY into temporary tables, then one UPDATE and one history INSERT.

    The history rows are what bulk_history_create writes ('~', the user, the reason, now), made
    by PostgreSQL from the updated rows instead of a Python object each.
    """
    table = Deadline._meta.db_table
    history = Deadline.history.model
    tracked = [field.column for field in history.tracked_fields]
    user = user or history.get_default_history_user(None)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE recalculated_outcome (n integer PRIMARY KEY, rule varchar(60),"
            " condition_applied varchar(80), statutory_floor_applied boolean) ON COMMIT DROP"
        )
        cursor.execute("CREATE TEMPORARY TABLE recalculated_explanation (n integer PRIMARY KEY, explanation text)"
                       " ON COMMIT DROP")  # fmt: skip
        cursor.execute("CREATE TEMPORARY TABLE recalculated (id bigint, due_at bigint, outcome integer,"
                       " explanation integer) ON COMMIT DROP")  # fmt: skip
        with cursor.copy("COPY recalculated_outcome FROM STDIN") as copy:
            for n, outcome in enumerate(outcomes):
                copy.write_row((n, *outcome))
        with cursor.copy("COPY recalculated_explanation FROM STDIN") as copy:
            for n, text in enumerate(explanations):
                copy.write_row((n, text))
        with cursor.copy("COPY recalculated FROM STDIN") as copy:
            rows = zip(*(columns[name].tolist() for name in ("id", "new", "outcome", "explanation")), strict=True)
            while chunk := list(islice(rows, 100_000)):
                copy.write("".join(f"{a}\t{b}\t{c}\t{d}\n" for a, b, c, d in chunk))
        cursor.execute("ANALYZE recalculated")
        # A crash before the commit reaches disk loses the whole recalculation, which can be run
        # again; not waiting for that flush saves seconds on a million rows.
        cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute(
            f"UPDATE {table} AS deadline"  # noqa: S608
            " SET due_at = 'epoch'::timestamptz + changed.due_at * interval '1 microsecond',"
            " rule = outcome.rule, condition_applied = outcome.condition_applied,"
            " statutory_floor_applied = outcome.statutory_floor_applied, explanation = text.explanation"
            " FROM recalculated AS changed JOIN recalculated_outcome AS outcome ON outcome.n = changed.outcome"
            " JOIN recalculated_explanation AS text ON text.n = changed.explanation WHERE deadline.id = changed.id"
        )
        cursor.execute(
            f"INSERT INTO {history._meta.db_table} ({', '.join(tracked)}, history_date, history_change_reason,"  # noqa: S608
            f" history_type, history_user_id) SELECT {', '.join(f'deadline.{c}' for c in tracked)}, %s, %s, '~', %s"
            f" FROM {table} AS deadline JOIN recalculated AS changed ON changed.id = deadline.id",
            [when, RECALCULATED_REASON, getattr(user, "pk", None)],
        )
        # Dropped now rather than at commit: a caller's transaction may recalculate again.
        cursor.execute("DROP TABLE recalculated, recalculated_outcome, recalculated_explanation")

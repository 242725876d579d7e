"""The deadline ledger: open, meet (on time or late), cancel, recalculate; overdue is a query."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection

from cases.models import Authority, ClosureDay, Deadline
from cases.rules.timescales import LONDON
from cases.selectors.deadlines import overdue_deadlines
from cases.selectors.timescales import policy_for
from cases.services.deadlines import deadline_cancel, deadline_meet, deadline_open, deadline_recalculate
from cases.services.timescales import closure_day_add, timescale_change
from tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(leeds):
    return TeamFactory(authority=leeds)


def open_icpc(leeds, team, start=date(2026, 12, 10)):
    return deadline_open(authority=leeds, key="icpc", subject=team, start=start, team=team)


def test_opening_stores_the_due_moment_rule_and_explanation(leeds, team):
    deadline = open_icpc(leeds, team)
    assert deadline.due_at == datetime(2027, 1, 5, 23, 59, 59, tzinfo=LONDON)
    assert deadline.rule == "15 working_days"
    assert "skipping Fri 25 Dec, Mon 28 Dec and Fri 1 Jan" in deadline.explanation
    assert deadline.status == Deadline.Status.OPEN


def test_met_on_time_and_met_late(leeds, team):
    on_time = deadline_meet(deadline=open_icpc(leeds, team), met_at=datetime(2027, 1, 5, 17, 0, tzinfo=LONDON))
    assert on_time.status == Deadline.Status.MET
    late = deadline_meet(deadline=open_icpc(leeds, team), met_at=datetime(2027, 1, 6, 9, 0, tzinfo=LONDON))
    assert late.status == Deadline.Status.MET_LATE


def test_a_closed_deadline_cannot_be_met_or_cancelled_again(leeds, team):
    deadline = deadline_meet(deadline=open_icpc(leeds, team))
    with pytest.raises(ValidationError):
        deadline_meet(deadline=deadline)
    with pytest.raises(ValidationError):
        deadline_cancel(deadline=deadline, reason="No longer needed")


def test_cancelling_needs_a_reason_and_keeps_the_row(leeds, team):
    deadline = open_icpc(leeds, team)
    with pytest.raises(ValidationError):
        deadline_cancel(deadline=deadline, reason="  ")
    deadline_cancel(deadline=deadline, reason="Case transferred to another authority")
    deadline.refresh_from_db()
    assert deadline.status == Deadline.Status.CANCELLED
    assert deadline.history.count() == 2


def test_overdue_is_a_query_on_the_clock(leeds, team):
    worker = UserFactory(authority=leeds)
    deadline = deadline_open(authority=leeds, key="icpc", subject=team, start=date(2026, 12, 10), team=team,
                             assignee=worker)
    with time_machine.travel(datetime(2027, 1, 5, 23, 0, tzinfo=LONDON), tick=False):
        assert not deadline.is_overdue
        assert not overdue_deadlines(team=team).exists()
    with time_machine.travel(datetime(2027, 1, 6, 0, 1, tzinfo=LONDON), tick=False):
        assert deadline.is_overdue
        assert list(overdue_deadlines(team=team)) == [deadline]
        assert list(overdue_deadlines(assignee=worker)) == [deadline]


def test_a_deadline_refuses_a_record_of_another_authority(leeds):
    other_team = TeamFactory(authority=Authority.objects.get(slug="york"))
    with pytest.raises(ValidationError):
        deadline_open(authority=leeds, key="icpc", subject=other_team, start=date(2026, 12, 10))


def test_closure_days_move_working_day_deadlines(leeds, team):
    closure_day_add(authority=leeds, day=date(2026, 12, 31), reason="Office closed between Christmas and New Year")
    deadline = open_icpc(leeds, team)
    assert deadline.due_at.date() == date(2027, 1, 6)
    assert ClosureDay.objects.get().history.count() == 1


def test_recalculation_applies_a_change_to_open_deadlines_and_reports_it(leeds, team):
    admin = UserFactory(authority=leeds)
    before = deadline_open(authority=leeds, key="cp_visit_interval", subject=team, start=date(2026, 12, 16))
    met = deadline_open(authority=leeds, key="cp_visit_interval", subject=team, start=date(2026, 12, 16))
    deadline_meet(deadline=met)
    timescale_change(
        authority=leeds,
        key="cp_visit_interval",
        duration="10 working_days",
        effective_from=date(2027, 1, 1),
        reason="Board decision",
        changed_by=admin,
    )
    before.refresh_from_db()
    assert before.due_at.date() == date(2027, 1, 11)  # a change alone moves nothing
    dry = deadline_recalculate(authority=leeds, dry_run=True)
    assert [change[0] for change in dry.changes] == [before.pk]
    before.refresh_from_db()
    assert before.due_at.date() == date(2027, 1, 11)
    report = deadline_recalculate(authority=leeds, recalculated_by=admin)
    assert report.checked == 1
    ((pk, key, old, new),) = report.changes
    assert (pk, key, old.date(), new.date()) == (
        before.pk,
        "cp_visit_interval",
        date(2027, 1, 11),
        date(2027, 1, 4),
    )
    before.refresh_from_db()
    assert before.due_at.date() == date(2027, 1, 4)
    assert before.rule == "10 working_days"
    assert before.history.count() == 2  # the recalculation is itself on the record
    latest = before.history.first()
    assert latest.history_user == admin and latest.history_change_reason == "Recalculated after a timescale change"


def test_overdue_for_a_team_uses_the_partial_index(leeds, team):
    # A realistic shape: a team's ledger is mostly met deadlines, with a few still open.
    template = open_icpc(leeds, team)
    met = [Deadline(**{f.attname: getattr(template, f.attname) for f in Deadline._meta.concrete_fields
                       if f.attname != "id"}) for _ in range(3000)]
    for deadline in met:
        deadline.status = Deadline.Status.MET
    Deadline.objects.bulk_create(met)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cases_deadline")
    plan = overdue_deadlines(team=team).explain()
    assert "deadline_open_by_team" in plan


def test_support_staff_recalculate_from_the_command_line(leeds, team):
    from io import StringIO

    from django.core.management import CommandError, call_command

    deadline = open_icpc(leeds, team, start=date(2026, 12, 16))
    timescale_change(authority=leeds, key="icpc", duration="10 working_days", effective_from=date(2026, 12, 1),
                     reason="Board decision", changed_by=UserFactory(authority=leeds))  # fmt: skip
    out = StringIO()
    call_command("recalculate_deadlines", "leeds", "--key", "icpc", stdout=out)
    assert "1 open deadlines checked; 1 would move" in out.getvalue()
    deadline.refresh_from_db()
    assert deadline.rule == "15 working_days"
    call_command("recalculate_deadlines", "leeds", "--apply", stdout=StringIO())
    deadline.refresh_from_db()
    assert deadline.rule == "10 working_days"
    with pytest.raises(CommandError, match="unknown authority 'atlantis'"):
        call_command("recalculate_deadlines", "atlantis")


def recalculated_state(leeds, admin, monkeypatch, *, vendor: str):
    """What a recalculation reports and leaves in the ledger and its history, then undone."""
    from django.db import transaction

    from cases.services.deadlines import FIELDS_RECALCULATED

    history = Deadline.history.model
    before = set(history.objects.values_list("history_id", flat=True))
    with transaction.atomic(), monkeypatch.context() as patched:
        patched.setattr(connection, "vendor", vendor)
        report = deadline_recalculate(authority=leeds, recalculated_by=admin)
        rows = list(Deadline.objects.order_by("pk").values("pk", *FIELDS_RECALCULATED))
        written = [
            {name: value for name, value in row.items() if name not in ("history_id", "history_date")}
            for row in history.objects.exclude(history_id__in=before).order_by("id").values()
        ]
        dates = set(history.objects.exclude(history_id__in=before).values_list("history_date", flat=True))
        transaction.set_rollback(True)
    return report, rows, written, dates


def test_recalculating_in_bulk_writes_what_the_row_by_row_path_writes(leeds, team, monkeypatch):
    """PostgreSQL recalculates with COPY and set-based SQL; other databases (SQLite in the quick
    start) row by row. Both leave the same deadlines and the same history: one '~' row per moved
    deadline, by the admin, with the reason."""
    from datetime import timedelta

    from django.db.models import F

    from cases.selectors.timescales import policy_for

    admin = UserFactory(authority=leeds)
    policy = policy_for(leeds)
    keys = [key for key in policy.all_keys() if policy.timescale(key).is_deadline]
    starts = [datetime(2026, 3, 28, 23, 30, tzinfo=LONDON), date(2026, 12, 16), datetime(2027, 6, 30, 9, tzinfo=LONDON)]
    for key in keys:
        for start in starts:
            deadline_open(authority=leeds, key=key, subject=team, start=start, team=team)
    deadline_open(authority=leeds, key="lac_visit_interval_after_first_year", subject=team, start=date(2026, 12, 16),
                  conditions=("permanence_agreed",))  # fmt: skip
    # Some due dates out of step with the timescales (as after a change), and one timescale changed.
    Deadline.objects.filter(pk__in=list(Deadline.objects.order_by("pk").values_list("pk", flat=True))[::2]).update(
        due_at=F("due_at") + timedelta(days=1)
    )
    timescale_change(authority=leeds, key="cp_visit_interval", duration="10 working_days",
                     effective_from=date(2026, 1, 1), reason="Board decision", changed_by=admin)  # fmt: skip
    bulk = recalculated_state(leeds, admin, monkeypatch, vendor="postgresql")
    by_row = recalculated_state(leeds, admin, monkeypatch, vendor="sqlite")
    bulk_report, bulk_rows, bulk_history, _ = bulk
    report, rows, history, _ = by_row
    assert bulk_report.checked == report.checked == len(keys) * len(starts) + 1
    assert len(report.changes) > len(keys) * len(starts) // 2
    assert [(pk, key, old, new.astimezone(LONDON)) for pk, key, old, new in bulk_report.changes] == [
        (pk, key, old, new.astimezone(LONDON)) for pk, key, old, new in report.changes
    ]
    assert bulk_rows == rows
    assert bulk_history == history
    assert len(bulk_history) == len(report.changes)
    assert {(row["history_type"], row["history_user_id"], row["history_change_reason"]) for row in bulk_history} == {
        ("~", admin.pk, "Recalculated after a timescale change")
    }
    moved = {pk for pk, *_ in report.changes}
    assert [row["id"] for row in bulk_history] == sorted(moved)


def test_a_dry_run_in_bulk_reports_and_writes_nothing(leeds, team):
    deadline = open_icpc(leeds, team, start=date(2026, 12, 16))
    timescale_change(authority=leeds, key="icpc", duration="10 working_days", effective_from=date(2026, 12, 1),
                     reason="Board decision", changed_by=UserFactory(authority=leeds))  # fmt: skip
    report = deadline_recalculate(authority=leeds, dry_run=True)
    assert [(pk, key, new.date()) for pk, key, _, new in report.changes] == [(deadline.pk, "icpc", date(2027, 1, 4))]
    deadline.refresh_from_db()
    assert deadline.rule == "15 working_days" and deadline.history.count() == 1
    # A second recalculation in the same transaction finds its working tables gone.
    assert len(deadline_recalculate(authority=leeds).changes) == 1
    assert len(deadline_recalculate(authority=leeds).changes) == 0


@pytest.mark.django_db(transaction=True)
def test_a_large_recalculation_outside_a_transaction_writes_in_parts_on_their_own_connections(leeds, team):
    """Big enough (here: from one change), and not inside a caller's transaction, the writing is
    shared between connections; every moved deadline still gets its new date and one history row."""
    admin = UserFactory(authority=leeds)
    opened = [open_icpc(leeds, team, start=date(2026, 12, 1) + timedelta(days=n)) for n in range(9)]
    timescale_change(authority=leeds, key="icpc", duration="10 working_days", effective_from=date(2026, 12, 1),
                     reason="Board decision", changed_by=admin)  # fmt: skip
    expected = {d.pk: policy_for(leeds).due("icpc", d.anchor_at, latest=True).due_at for d in opened}
    report = deadline_recalculate(authority=leeds, recalculated_by=admin, parallel_from=1)
    assert sorted(pk for pk, *_ in report.changes) == sorted(expected)
    assert {d.pk: d.due_at for d in Deadline.objects.filter(pk__in=expected)} == expected
    history = Deadline.history.model.objects.filter(id__in=expected, history_type="~")
    assert sorted(history.values_list("id", flat=True)) == sorted(expected)
    assert set(history.values_list("history_user_id", "history_change_reason")) == {
        (admin.pk, "Recalculated after a timescale change")
    }
    assert len(set(history.values_list("history_date", flat=True))) == 1

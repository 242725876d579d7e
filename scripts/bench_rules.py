"""Benchmark of the rules module (a measurement, not a test).

    make bench                       # both parts
    python scripts/bench_rules.py --due-only

Part 1: single due-date computations per second of CPU time on one core (no database).
Part 2: working-day arithmetic over 1,000,000 (start, n) pairs at once, against
numpy.busday_offset on the same pairs and holidays, interleaved.
Part 3: recalculating N open deadlines in bulk (default 1,000,000) in the PostgreSQL database named
by BENCH_DATABASE_URL: the rows are made in SQL, a timescale is changed, and deadline_recalculate()
applies it, writing the new due dates and their history. Wall time is the figure.

Each figure is printed next to its target (issue 24). The machine may be shared: read the load.
"""

import argparse
import os
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def bench_due(seconds: float = 3.0) -> None:
    from cases.rules.config import load_file
    from cases.rules.policy import build_policy

    directory = ROOT / "config" / "authorities"
    policy = build_policy(load_file(directory / "england.toml"), load_file(directory / "leeds.toml"))
    keys = [k for k in policy.all_keys() if policy.timescale(k).is_deadline and not policy.timescale(k).variants]
    starts = [date(2026, 1, 1) + timedelta(days=n) for n in range(730)]
    cases = [(keys[i % len(keys)], starts[(i * 7) % len(starts)]) for i in range(10_000)]
    count, began = 0, time.process_time()
    while time.process_time() - began < seconds:
        for key, start in cases:
            policy.due(key, start)
        count += len(cases)
    elapsed = time.process_time() - began
    rate = count / elapsed
    print(f"due(): {rate:,.0f} computations per CPU-second on one core ({len(keys)} Leeds keys)"
          f"  [target >= 250,000: {'met' if rate >= 250_000 else 'NOT met'}]")


def bench_working_days(pairs: int = 1_000_000, rounds: int = 5) -> None:
    import numpy as np

    from cases.rules.calendar import WorkingCalendar

    calendar = WorkingCalendar()
    holidays = np.array(sorted(calendar.non_working_days), dtype="datetime64[D]")
    rng = np.random.default_rng(24)
    starts = np.datetime64("2000-01-01") + rng.integers(0, 365 * 40, pairs)
    counts = rng.integers(-400, 400, pairs)
    ours, numpy_s = [], []
    for _ in range(rounds):  # interleaved, so both see the same load
        began = time.process_time()
        result = calendar.add_working_days_array(starts, counts)
        ours.append(time.process_time() - began)
        began = time.process_time()
        reference = np.busday_offset(starts, counts, roll="forward", holidays=holidays)
        numpy_s.append(time.process_time() - began)
    # From a working day the two agree; from a non-working day they count differently by design
    # (day 1 is the next working day here, where numpy first rolls onto it).
    working = np.is_busday(starts, holidays=holidays)
    assert (result[working] == reference[working]).all()
    mine, theirs = sorted(ours)[rounds // 2], sorted(numpy_s)[rounds // 2]
    print(f"add_working_days_array: {mine * 1000:.1f} ms for {pairs:,} pairs;"
          f" numpy.busday_offset {theirs * 1000:.1f} ms; ratio {mine / theirs:.2f}"
          f"  [target <= 2.0: {'met' if mine / theirs <= 2 else 'NOT met'}]")


def bench_recalculate(n: int) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/casework_bench")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    import django

    django.setup()
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connection

    from cases.models import Authority, Deadline, Team, User
    from cases.services.deadlines import deadline_recalculate
    from cases.services.timescales import timescale_change

    call_command("migrate", verbosity=0)
    call_command("load_authorities", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    leeds = Authority.objects.get(slug="leeds")
    team, _ = Team.objects.get_or_create(authority=leeds, name="Benchmark team")
    admin, _ = User.objects.get_or_create(email="bench@leeds.test", defaults={"authority": leeds, "full_name": "Bench"})
    with connection.cursor() as cursor:
        # CASCADE: notifications (and any other table) refer to deadlines, and PostgreSQL refuses to
        # truncate a referenced table alone even when both are empty, as on a fresh database.
        cursor.execute("TRUNCATE cases_deadline, cases_historicaldeadline CASCADE")
    content_type = ContentType.objects.get_for_model(Team)
    began = time.perf_counter()
    with connection.cursor() as cursor:
        # Clocks started over 700 days from 1 Jan 2026, at midnight UTC, made by PostgreSQL itself.
        cursor.execute(
            "INSERT INTO cases_deadline (authority_id, team_id, subject_type_id, subject_id, key, conditions,"
            " anchor_at, due_at, rule, condition_applied, statutory_floor_applied, explanation, status,"
            " cancelled_reason, created_at, counted_from)"
            " SELECT %s, %s, %s, %s, 'cp_visit_interval', '[]', start, start + interval '21 days 23:59:59',"
            " '15 working_days', '', false, '', 'open', '', start, ''"
            " FROM (SELECT timestamptz '2026-01-01 00:00+00' + (i %% 700) * interval '1 day' AS start"
            " FROM generate_series(0, %s - 1) AS i) AS clocks",
            [leeds.pk, team.pk, content_type.pk, team.pk, n],
        )
        cursor.execute("VACUUM ANALYZE cases_deadline")
    print(f"created {n:,} open deadlines in {time.perf_counter() - began:.1f} s")
    timescale_change(
        authority=leeds,
        key="cp_visit_interval",
        duration="10 working_days",
        effective_from=date(2026, 1, 1),
        reason="benchmark",
        changed_by=admin,
    )
    database = [0.0]

    def timed(execute, sql, params, many, context):
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            database[0] += time.perf_counter() - began

    def server_cpu_seconds() -> float | None:
        """CPU seconds of every PostgreSQL process on this machine, ended ones included (the server
        collects its ended connections' time as its children's): the recalculation writes on
        connections of its own. On a shared machine wall time depends on the load, CPU much less;
        other work on the same server counts too, so read it beside the load."""
        total, found = 0.0, False
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                text = stat.read_text()
            except OSError:
                continue
            if "(postgres)" not in text:
                continue
            found = True
            fields = text.rsplit(")", 1)[1].split()
            total += sum(int(fields[i]) for i in (11, 12, 13, 14)) / os.sysconf("SC_CLK_TCK")
        return total if found else None

    server_cpu = server_cpu_seconds()
    began, cpu = time.perf_counter(), time.process_time()
    with connection.execute_wrapper(timed):
        report = deadline_recalculate(authority=leeds, recalculated_by=admin)
    elapsed, cpu = time.perf_counter() - began, time.process_time() - cpu
    if server_cpu is not None:
        server_cpu = server_cpu_seconds() - server_cpu
    print(f"recalculated {report.checked:,} open deadlines ({len(report.changes):,} changed), history included:"
          f" {elapsed:.1f} s wall  [target <= 60 s: {'met' if elapsed <= 60 else 'NOT met'}]")
    print(f"  {database[0]:.1f} s waiting on this process's connection; {cpu:.1f} s of this process's CPU"
          + (f"; {server_cpu:.1f} s of the PostgreSQL server's CPU" if server_cpu is not None else ""))
    print(f"  load average now: {', '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    assert Deadline.objects.filter(rule="10 working_days").count() == len(report.changes)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--due-only", action="store_true")
    parser.add_argument("--deadlines", type=int, default=1_000_000)
    args = parser.parse_args()
    bench_due()
    bench_working_days()
    if not args.due_only:
        bench_recalculate(args.deadlines)

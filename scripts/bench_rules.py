"""Benchmark of the rules module (a measurement, not a test).

    make bench                       # both parts
    python scripts/bench_rules.py --due-only

Part 1: single due-date computations per second on one core (pure Python, no database).
Part 2: recalculating N open deadlines in bulk (default 1,000,000) in the PostgreSQL database named
by BENCH_DATABASE_URL: the rows are created with COPY, a timescale is changed, and
deadline_recalculate() applies it, writing the new due dates and their history.
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
    print(f"due(): {count / elapsed:,.0f} computations per second on one core ({len(keys)} Leeds keys)")


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
    with connection.cursor() as cursor, cursor.copy(
        "COPY cases_deadline (authority_id, team_id, subject_type_id, subject_id, key, conditions, anchor_at, due_at,"
        " rule, condition_applied, statutory_floor_applied, explanation, status, cancelled_reason, created_at,"
        " counted_from)"
        " FROM STDIN"
    ) as copy:
        for i in range(n):
            start = date(2026, 1, 1) + timedelta(days=i % 700)
            copy.write_row(
                (leeds.pk, team.pk, content_type.pk, team.pk, "cp_visit_interval", "[]", f"{start} 00:00+00",
                 f"{start + timedelta(days=21)} 23:59:59+00", "15 working_days", "", False, "", "open", "",
                 f"{start} 00:00+00", ""),
            )  # fmt: skip
    print(f"created {n:,} open deadlines in {time.perf_counter() - began:.1f} s (COPY)")
    timescale_change(
        authority=leeds,
        key="cp_visit_interval",
        duration="10 working_days",
        effective_from=date(2026, 1, 1),
        reason="benchmark",
        changed_by=admin,
    )
    began = time.perf_counter()
    report = deadline_recalculate(authority=leeds, batch_size=5000)
    elapsed = time.perf_counter() - began
    print(f"recalculated {report.checked:,} open deadlines ({len(report.changes):,} changed) in {elapsed:.1f} s")
    print(f"  {report.checked / elapsed:,.0f} deadlines per second, history rows included")
    assert Deadline.objects.filter(rule="10 working_days").count() == len(report.changes)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--due-only", action="store_true")
    parser.add_argument("--deadlines", type=int, default=1_000_000)
    args = parser.parse_args()
    bench_due()
    if not args.due_only:
        bench_recalculate(args.deadlines)

"""Benchmark of the morning digests (a measurement, not a test).

    make bench-digests
    python scripts/bench_digests.py [--users 500] [--deadlines 1000000] [--open 50000] [--rebuild]

In the PostgreSQL database named by BENCH_DATABASE_URL (created if missing) one authority gets
500 staff (45 teams of a manager and ten workers, five service managers), 10,000 children with a
case each (1% restricted to their worker) and 1,000,000 deadlines over two years, 50,000 of them
open (due from 60 days ago to 60 days ahead). The data is made once and kept; --rebuild makes it
again. Then it measures, against an SMTP server on localhost (aiosmtpd, in this process):

1. building every digest (no sending), with the number of queries per chunk of 100 people;
2. building and sending them, as `manage.py send_digests` does, counting the emails received;
3. the bare SQL that finds the same rows (the three ledger queries on the partial indexes, chunk by
   chunk as the digests run them), with the index PostgreSQL's plan uses for each.
"""

import argparse
import os
import socket
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SLUG = "bench-digests"


def setup_django(smtp_port: int) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    os.environ["DATABASE_URL"] = os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/casework_bench_digests"
    )
    os.environ["EMAIL_URL"] = f"smtp://127.0.0.1:{smtp_port}"
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    # As in production: templates compiled once, no query log kept.
    os.environ["DEBUG"] = "false"
    import django

    django.setup()


def build(users: int, deadlines: int, open_ones: int) -> None:
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from cases.models import Authority, Case, Child, RoleAssignment, Team, User
    from cases.roles import Role

    began = time.perf_counter()
    authority, _ = Authority.objects.get_or_create(slug=SLUG, defaults={"name": "Benchmark Council"})
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM cases_deadline WHERE authority_id = %s", [authority.pk])
        cursor.execute("DELETE FROM cases_digestsend WHERE authority_id = %s", [authority.pk])
    service_managers = 5
    teams_count = (users - service_managers) // 11
    teams = Team.objects.bulk_create(
        [Team(authority=authority, name=f"Team {n:02d}") for n in range(teams_count)], ignore_conflicts=True
    )
    teams = list(Team.objects.filter(authority=authority).order_by("pk"))[:teams_count]
    people = []
    for n, team in enumerate(teams):
        people.append((f"manager{n}@bench.test", Role.TEAM_MANAGER, team))
        people += [(f"worker{n}-{w}@bench.test", Role.SOCIAL_WORKER, team) for w in range(10)]
    people += [(f"service{n}@bench.test", Role.SERVICE_MANAGER, None) for n in range(service_managers)]
    User.objects.bulk_create(
        [User(email=email, full_name=email.split("@")[0].title(), authority=authority, password="!")
         for email, _, _ in people],
        ignore_conflicts=True,
    )  # fmt: skip
    by_email = {user.email: user for user in User.objects.filter(authority=authority)}
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user=by_email[email], role=role, team=team) for email, role, team in people],
        ignore_conflicts=True,
    )
    workers = [(by_email[email], team) for email, role, team in people if role == Role.SOCIAL_WORKER]
    if not Child.objects.filter(authority=authority).exists():
        children = Child.objects.bulk_create(
            [Child(authority=authority, first_name=f"Child{n}", last_name="Bench", date_of_birth=date(2015, 1, 1))
             for n in range(10_000)]
        )
        holders = [workers[n % len(workers)] for n in range(len(children))]
        Case.objects.bulk_create(
            [Case(authority=authority, child=child, team=team, worker=worker)
             for child, (worker, team) in zip(children, holders, strict=True)]
        )  # fmt: skip
        restricted = children[::100]
        Child.objects.filter(pk__in=[c.pk for c in restricted]).update(restricted=True)
        Child.restricted_to.through.objects.bulk_create(
            [Child.restricted_to.through(child_id=c.pk, user_id=workers[(n * 100) % len(workers)][0].pk)
             for n, c in enumerate(restricted)]
        )  # fmt: skip
    content_type = ContentType.objects.get_for_model(Child)
    keys = ["cin_visit_interval", "cp_visit_interval", "assessment_completion", "case_summary_refresh",
            "lac_visit_interval_first_year", "child_seen_after_allocation"]  # fmt: skip
    with connection.cursor() as cursor:
        # Open ones are due from 60 days ago to 60 days ahead; the rest fell due over two years and
        # were met, met late or cancelled.
        cursor.execute(
            """
            INSERT INTO cases_deadline (authority_id, team_id, assignee_id, child_id, case_id, subject_type_id,
                subject_id, key, conditions, anchor_at, due_at, rule, condition_applied, statutory_floor_applied,
                explanation, status, met_at, cancelled_reason, created_at)
            SELECT %(authority)s, c.team_id, c.worker_id, c.child_id, c.id, %(ct)s, c.child_id,
                (%(keys)s::text[])[1 + g %% 6], '[]', d.due - interval '20 days', d.due, '20 working_days', '',
                false, 'Benchmark: 20 working days from the start, skipping weekends and bank holidays.',
                d.status, CASE WHEN d.status IN ('met', 'met_late') THEN d.due + (g %% 5 - 3) * interval '1 day' END,
                CASE WHEN d.status = 'cancelled' THEN 'Case closed' ELSE '' END, d.due - interval '20 days'
            FROM generate_series(0, %(n)s - 1) AS g
            JOIN (SELECT id, team_id, worker_id, child_id, row_number() OVER (ORDER BY id) - 1 AS n
                  FROM cases_case WHERE authority_id = %(authority)s) c ON c.n = g %% 10000
            CROSS JOIN LATERAL (
                SELECT CASE WHEN g < %(open)s THEN date_trunc('day', now()) + ((g %% 120) - 60) * interval '1 day'
                            ELSE date_trunc('day', now()) - (1 + g %% 730) * interval '1 day' END
                         + interval '23 hours 59 minutes' AS due,
                       CASE WHEN g < %(open)s THEN 'open'
                            WHEN g %% 10 < 7 THEN 'met' WHEN g %% 10 < 9 THEN 'met_late' ELSE 'cancelled' END AS status
            ) d
            """,
            {"authority": authority.pk, "ct": content_type.pk, "keys": keys, "n": deadlines, "open": open_ones},
        )
        cursor.execute("ANALYZE cases_deadline")
    print(f"made {users} staff, 10,000 children and {deadlines:,} deadlines ({open_ones:,} open) "
          f"in {time.perf_counter() - began:.1f} s")  # fmt: skip


def measure() -> None:
    from django.conf import settings
    from django.db import connection, reset_queries
    from django.utils import timezone

    from cases.models import Authority, Deadline, DigestSend, User
    from cases.roles import Role
    from cases.selectors.digests import Window, alert_settings_for, digests_for
    from cases.selectors.people import has_role, load_role_assignments, teams_managed_by
    from cases.selectors.timescales import policy_for
    from cases.services.digests import digest_chunk_send, digest_chunks

    chunk_size = settings.DIGEST_CHUNK_SIZE

    authority = Authority.objects.get(slug=SLUG)
    users = list(User.objects.filter(authority=authority).select_related("authority").order_by("pk"))
    print(f"{len(users)} staff; {Deadline.objects.filter(authority=authority).count():,} deadlines, "
          f"{Deadline.objects.filter(authority=authority, status='open').count():,} open")  # fmt: skip
    now = timezone.now()
    policy_for(authority)  # a worker builds its policy once per process

    connection.force_debug_cursor = True
    began, lines, queries = time.perf_counter(), 0, []
    for i in range(0, len(users), chunk_size):
        reset_queries()
        for digest in digests_for(users[i : i + chunk_size], now=now):
            lines += digest.overdue_count + digest.due_soon_count + len(digest.escalations)
        queries.append(len(connection.queries))
    built = time.perf_counter() - began
    connection.force_debug_cursor = False
    print(f"1. built {len(users)} digests ({lines:,} lines) in {built:.2f} s; queries per chunk of "
          f"{chunk_size}: {sorted(set(queries))}")  # fmt: skip

    DigestSend.objects.filter(authority=authority).delete()
    began = time.perf_counter()
    sent = 0
    for chunk in digest_chunks(now=now, authorities=[authority], on_schedule=False):
        result = digest_chunk_send(user_ids=chunk.user_ids, digest_date=chunk.digest_date, run="bench", now=now)
        sent += len(result.sent)
        assert not result.failed, result.error
    elapsed = time.perf_counter() - began
    received = INBOX.count
    print(f"2. built and sent {sent} digests in {elapsed:.2f} s ({received} received by the SMTP server, "
          f"{INBOX.bytes / 1e6:.1f} MB)")  # fmt: skip
    assert received == sent

    # 3. The bare SQL behind the digests: the same three ledger queries, chunk by chunk, as raw SQL.
    window = Window.of(policy_for(authority), alert_settings_for(authority), now)
    load_role_assignments(users)
    table = Deadline._meta.db_table
    select = f"SELECT id, child_id, due_at FROM {table} WHERE status = 'open' AND "  # noqa: S608
    statements = {
        "own (by assignee)": select + "assignee_id = ANY(%s) AND due_at < %s",
        "team (by team)": select + "team_id = ANY(%s) AND due_at < %s",
        "escalation (by authority)": select + "authority_id = %s AND due_at < %s",
    }
    times, rows, plans = dict.fromkeys(statements, 0.0), dict.fromkeys(statements, 0), {}
    with connection.cursor() as cursor:
        for i in range(0, len(users), chunk_size):
            chunk = users[i : i + chunk_size]
            managed = sorted({team.pk for user in chunk for team in teams_managed_by(user)})
            params = {
                "own (by assignee)": [[u.pk for u in chunk], window.due_soon_before],
                "team (by team)": [managed, window.due_soon_before] if managed else None,
                "escalation (by authority)": [authority.pk, window.escalate_before]
                if any(has_role(u, Role.SERVICE_MANAGER) for u in chunk) else None,
            }  # fmt: skip
            for name, sql in statements.items():
                if params[name] is None:
                    continue
                began = time.perf_counter()
                cursor.execute(sql, params[name])
                rows[name] += len(cursor.fetchall())
                times[name] += time.perf_counter() - began
                if name not in plans:
                    cursor.execute("EXPLAIN " + sql, params[name])
                    plan = " ".join(line for (line,) in cursor.fetchall())
                    plans[name] = next((word for word in plan.split() if word.startswith("deadline_")), "no index")
    for name in statements:
        print(f"3. bare SQL, {name}: {rows[name]:,} rows in {times[name] * 1000:.0f} ms using {plans.get(name)}")
    print(f"   bare SQL total: {sum(times.values()) * 1000:.0f} ms")


class Inbox:
    count = 0
    bytes = 0

    async def handle_DATA(self, server, session, envelope):
        Inbox.count += 1
        Inbox.bytes += len(envelope.content)
        return "250 OK"


INBOX = Inbox()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=500)
    parser.add_argument("--deadlines", type=int, default=1_000_000)
    parser.add_argument("--open", type=int, default=50_000)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(INBOX, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        setup_django(port)
        from django.core.management import call_command

        from cases.models import Authority, Deadline

        call_command("migrate", verbosity=0)
        call_command("load_authorities", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
        existing = Deadline.objects.filter(authority__slug=SLUG).count() if Authority.objects.filter(slug=SLUG) else 0
        if args.rebuild or existing != args.deadlines:
            build(args.users, args.deadlines, args.open)
        measure()
    finally:
        controller.stop()

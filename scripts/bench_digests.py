"""Benchmark of the morning digests (a measurement, not a test).

    make bench-digests
    make bench-digests BENCH_ARGS="--workers 1,2 --users 5000"
    python scripts/bench_digests.py [--users 500] [--deadlines 1000000] [--open 50000] [--rounds 3]
                                    [--workers 1,2] [--rebuild]

In the PostgreSQL database named by BENCH_DATABASE_URL (created if missing) one authority gets
--users staff (for 500: 45 teams of a manager and ten workers, five service managers), 10,000
children with a case each (1% restricted to their worker) and 1,000,000 deadlines over two years,
50,000 of them open (due from 60 days ago to 60 days ahead). Each number of staff has an authority
of its own; its data is made once and kept, and --rebuild makes it again. The digests are those of
the authority's last digest day (today, on a working day).

Without --workers, against an SMTP server on localhost (aiosmtpd, in a process of its own), interleaved
over --rounds rounds, it measures:

1. building every digest (no sending), chunk by chunk, with the number of queries per chunk;
2. building and sending them, as `manage.py send_digests` does, counting the emails received;
3. the bare SQL that finds the same rows (the three ledger queries on the partial indexes, chunk by
   chunk as the digests run them), with the index PostgreSQL's plan uses for each;

and prints 1 and 2 as multiples of 3 (median of the rounds) next to their targets.

With --workers 1,2 it starts that many real Celery workers (each `--concurrency 1`, on Redis at
BENCH_REDIS_URL, database 10 of 127.0.0.1:6379 unless set, not the tests' 15 and below; queue
bench-digests), hands
them the day's chunks as the beat job's `send_digests` does, and times the wall from the fan-out
until every person's DigestSend row is sent or found empty; then the speed-up of the most workers
over one, each round, next to its target.
"""

import argparse
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_USERS = 500
BUILD_TARGET, SEND_TARGET, SPEED_UP_TARGET = 3.0, 8.0, 1.6
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/10")
# A queue of its own as well: a worker of anything else on the same Redis database takes nothing.
QUEUE = "bench-digests"


def slug_for(users: int) -> str:
    return "bench-digests" if users == DEFAULT_USERS else f"bench-digests-{users}"


def load() -> str:
    return "load average " + ", ".join(f"{n:.2f}" for n in os.getloadavg())


def environment(smtp_port: int) -> dict:
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/casework_bench_digests"),
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "ERROR"),
        # As in production: no query log kept.
        "DEBUG": "false",
        "REDIS_URL": REDIS_URL,
    }


def setup_django(smtp_port: int, *, celery: bool) -> None:
    env = environment(smtp_port)
    if not celery:  # tasks run in this process; nothing needs Redis
        del env["REDIS_URL"]
    os.environ.update(env)
    import django

    django.setup()


def build(users: int, deadlines: int, open_ones: int) -> None:
    slug = slug_for(users)
    domain = f"{slug}.test" if users != DEFAULT_USERS else "bench.test"
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from cases.models import Authority, Case, Child, RoleAssignment, Team, User
    from cases.roles import Role

    began = time.perf_counter()
    authority, _ = Authority.objects.get_or_create(slug=slug, defaults={"name": "Benchmark Council"})
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
        people.append((f"manager{n}@{domain}", Role.TEAM_MANAGER, team))
        people += [(f"worker{n}-{w}@{domain}", Role.SOCIAL_WORKER, team) for w in range(10)]
    people += [(f"service{n}@{domain}", Role.SERVICE_MANAGER, None) for n in range(service_managers)]
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
                explanation, status, met_at, cancelled_reason, created_at, counted_from)
            SELECT %(authority)s, c.team_id, c.worker_id, c.child_id, c.id, %(ct)s, c.child_id,
                (%(keys)s::text[])[1 + g %% 6], '[]', d.due - interval '20 days', d.due, '20 working_days', '',
                false, 'Benchmark: 20 working days from the start, skipping weekends and bank holidays.',
                d.status, CASE WHEN d.status IN ('met', 'met_late') THEN d.due + (g %% 5 - 3) * interval '1 day' END,
                CASE WHEN d.status = 'cancelled' THEN 'Case closed' ELSE '' END, d.due - interval '20 days', ''
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


def digest_moment(authority):
    """Now, or the last moment of the authority's last digest day (a Saturday's run measures Friday's)."""
    from django.utils import timezone

    from cases.selectors.digests import not_sending_because

    now = timezone.now()
    while not_sending_because(authority, timezone.localtime(now).date()):
        now = timezone.localtime(now - timedelta(days=1)).replace(hour=23, minute=0)
    return now


def warm_up(users, now) -> None:
    """What a worker does once in its life: builds the policy, resolves the URLs, loads the code."""
    from cases.selectors.digests import digests_for
    from cases.selectors.timescales import policy_for
    from cases.services.digests import digest_message

    policy_for(users[0].authority)
    for digest in digests_for(users[:1], now=now):
        digest_message(digest)


def measure(users_count: int, rounds: int) -> None:
    from django.conf import settings
    from django.db import connection, reset_queries

    from cases.models import Authority, Deadline, DigestSend, User
    from cases.roles import Role
    from cases.selectors.digests import Window, alert_settings_for, digests_for
    from cases.selectors.people import has_role, load_role_assignments, teams_managed_by
    from cases.selectors.timescales import policy_for
    from cases.services.digests import digest_chunk_send, digest_chunks, even_parts

    authority = Authority.objects.get(slug=slug_for(users_count))
    users = list(User.objects.filter(authority=authority).select_related("authority").order_by("pk"))
    print(f"{len(users)} staff; {Deadline.objects.filter(authority=authority).count():,} deadlines, "
          f"{Deadline.objects.filter(authority=authority, status='open').count():,} open; chunks of at most "
          f"{settings.DIGEST_CHUNK_SIZE}")  # fmt: skip
    now = digest_moment(authority)
    chunks = even_parts(users, settings.DIGEST_CHUNK_SIZE)
    warm_up(users, now)

    def build() -> float:
        connection.force_debug_cursor = True
        began, lines, queries = time.perf_counter(), 0, []
        for chunk in chunks:
            reset_queries()
            for digest in digests_for(chunk, now=now):
                lines += digest.overdue_count + digest.due_soon_count + len(digest.escalations)
            queries.append(len(connection.queries))
        built = time.perf_counter() - began
        connection.force_debug_cursor = False
        print(f"1. built {len(users)} digests ({lines:,} lines) in {built:.2f} s; queries per chunk: "
              f"{sorted(set(queries))}")  # fmt: skip
        return built

    def build_and_send() -> float:
        DigestSend.objects.filter(authority=authority).delete()
        Inbox.empty()
        began, sent = time.perf_counter(), 0
        for chunk in digest_chunks(now=now, authorities=[authority], on_schedule=False):
            result = digest_chunk_send(user_ids=chunk.user_ids, digest_date=chunk.digest_date, run="bench", now=now)
            sent += len(result.sent)
            assert not result.failed, result.error
        elapsed = time.perf_counter() - began
        print(f"2. built and sent {sent} digests in {elapsed:.2f} s ({Inbox.count.value} received by the SMTP server, "
              f"{Inbox.bytes.value / 1e6:.1f} MB)")  # fmt: skip
        assert Inbox.count.value == sent > 0
        return elapsed

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

    def bare_sql() -> float:
        times, rows, plans = dict.fromkeys(statements, 0.0), dict.fromkeys(statements, 0), {}
        with connection.cursor() as cursor:
            for chunk in chunks:
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
        return sum(times.values())

    built, sent, sql = [], [], []
    for number in range(1, rounds + 1):
        print(f"round {number} of {rounds} ({load()})")
        built.append(build())
        sql.append(bare_sql())
        sent.append(build_and_send())
    base = statistics.median(sql)
    print(f"\nmedians of {rounds} rounds ({load()}): bare SQL {base * 1000:.0f} ms")
    for words, times, target in (("building", built, BUILD_TARGET), ("building and sending", sent, SEND_TARGET)):
        ratio = statistics.median(times) / base
        print(f"{words}: {statistics.median(times):.2f} s, {ratio:.1f}× the bare SQL (target: at most {target:g}×) "
              f"{'met' if ratio <= target else 'NOT MET'}")  # fmt: skip


def measure_workers(users_count: int, counts: list[int], rounds: int, smtp_port: int) -> None:
    from cases.models import Authority, DigestSend
    from cases.services.digests import digest_chunks
    from cases.tasks import digest_chunks_queue
    from config.celery import app

    app.conf.task_default_queue = QUEUE  # before anything is sent
    authority = Authority.objects.get(slug=slug_for(users_count))
    now = digest_moment(authority)
    env = {**os.environ, **environment(smtp_port)}
    done = [DigestSend.Status.SENT, DigestSend.Status.NOTHING]
    walls: dict[int, list[float]] = {count: [] for count in counts}
    for number in range(1, rounds + 1):
        for count in counts:
            app.control.purge()  # anything left by an interrupted run
            DigestSend.objects.filter(authority=authority).delete()
            with tempfile.TemporaryFile() as log, celery_workers(count, env, log):
                wait_for_workers(app, count, log)
                before = load()
                began = time.perf_counter()
                chunks = digest_chunks(now=now, authorities=[authority], on_schedule=False)
                digest_chunks_queue(chunks)
                people = sum(len(chunk.user_ids) for chunk in chunks)
                finished = DigestSend.objects.filter(authority=authority, digest_date=chunks[0].digest_date,
                                                     status__in=done)  # fmt: skip
                progress, moved = 0, time.perf_counter()
                while progress < people:
                    time.sleep(0.05)
                    if (now_done := finished.count()) > progress:
                        progress, moved = now_done, time.perf_counter()
                    elif time.perf_counter() - moved > 120:
                        log.seek(0)
                        raise SystemExit(f"no digest done for two minutes ({progress} of {people}); did another "
                                         f"process take the tasks or empty {REDIS_URL}?\n{log.read().decode()}")
                wall = time.perf_counter() - began
            walls[count].append(wall)
            print(f"round {number}: {count} worker{'s' if count != 1 else ''}, {len(chunks)} chunks of "
                  f"{min(map(len, (c.user_ids for c in chunks)))}-{max(len(c.user_ids) for c in chunks)} people, "
                  f"{people} people: {wall:.2f} s (before: {before}; after: {load()})")  # fmt: skip
        one, most = min(counts), max(counts)
        speed_up = walls[one][-1] / walls[most][-1]
        print(f"round {number}: {most} workers are {speed_up:.2f}× as fast as {one} (target: at least "
              f"{SPEED_UP_TARGET:g}×) {'met' if speed_up >= SPEED_UP_TARGET else 'NOT MET'}")  # fmt: skip
    if rounds > 1:
        speed_up = statistics.median(walls[min(counts)]) / statistics.median(walls[max(counts)])
        print(f"median of {rounds} rounds: {speed_up:.2f}× (target: at least {SPEED_UP_TARGET:g}×) "
              f"{'met' if speed_up >= SPEED_UP_TARGET else 'NOT MET'}")  # fmt: skip


class celery_workers:  # noqa: N801 (used as a context manager, like the tests' one)
    """`count` real Celery workers, each of one process, started here and stopped on leaving."""

    def __init__(self, count: int, env: dict, log):
        command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--concurrency=1", "--loglevel=WARNING",
                   "--without-gossip", "--without-mingle", f"--queues={QUEUE}"]  # fmt: skip
        self.workers = [subprocess.Popen([*command, f"--hostname=bench{n}@%h"], cwd=ROOT, env=env,  # noqa: S603
                                         stdout=log, stderr=subprocess.STDOUT) for n in range(count)]  # fmt: skip

    def __enter__(self):
        return self.workers

    def __exit__(self, *exc):
        for worker in self.workers:
            worker.terminate()
        for worker in self.workers:
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()


def wait_for_workers(app, count: int, log) -> None:
    began = time.perf_counter()
    while len(app.control.ping(timeout=0.5)) < count:
        if time.perf_counter() - began > 120:
            log.seek(0)
            raise SystemExit(f"the workers did not start:\n{log.read().decode()}")


class Inbox:
    """What the SMTP server received, counted across processes."""

    count = multiprocessing.Value("q", 0)
    bytes = multiprocessing.Value("q", 0)

    async def handle_DATA(self, server, session, envelope):
        with Inbox.count.get_lock():
            Inbox.count.value += 1
            Inbox.bytes.value += len(envelope.content)
        return "250 OK"

    @classmethod
    def empty(cls) -> None:
        with cls.count.get_lock():
            cls.count.value = cls.bytes.value = 0


def smtp_server(port: int, ready) -> None:
    """An SMTP server on localhost in a process of its own, as a mail server is: its work does not
    wait for this process's interpreter lock, nor this process for its."""
    from aiosmtpd.controller import Controller

    controller = Controller(Inbox(), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    threading.Event().wait()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=DEFAULT_USERS)
    parser.add_argument("--deadlines", type=int, default=1_000_000)
    parser.add_argument("--open", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=None, help="3 for the ratios, 2 with --workers")
    parser.add_argument("--workers", type=lambda text: [int(n) for n in text.split(",")], default=None,
                        help="numbers of Celery workers to time, e.g. 1,2")  # fmt: skip
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    ready = multiprocessing.Event()
    server = multiprocessing.Process(target=smtp_server, args=(port, ready), daemon=True)
    server.start()
    ready.wait(30)
    try:
        setup_django(port, celery=bool(args.workers))
        from django.core.management import call_command

        from cases.models import Authority, Deadline

        call_command("migrate", verbosity=0)
        call_command("load_authorities", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
        slug = slug_for(args.users)
        existing = Deadline.objects.filter(authority__slug=slug).count() if Authority.objects.filter(slug=slug) else 0
        if args.rebuild or existing != args.deadlines:
            build(args.users, args.deadlines, args.open)
        if args.workers:
            measure_workers(args.users, args.workers, args.rounds or 2, port)
        else:
            measure(args.users, args.rounds or 3)
    finally:
        server.terminate()

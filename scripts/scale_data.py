"""A large authority for the page benchmark (scripts/bench_pages.py), made reproducibly.

Leeds as its configuration makes it (load_authorities, load_audit_templates, and seed_demo's Leeds
logins and children), then, at the default size of 50,000 children:

- the children with their referrals, cases, assessments, enquiries, conferences, legal statuses,
  placements and allocations, made by the returns benchmark's seeded Builder (bulk_create);
- 500 staff: 44 teams of a manager and ten social workers, four service managers, four quality
  assurance auditors, two data officers, four business support officers and two conference chairs,
  with the Builder's cases shared out among the teams' workers;
- 1,000,000 deadlines over three years (most met, some met late or cancelled; the open ones on open
  cases, due from 60 days ago to 60 days ahead, so about half are overdue), about 500,000
  chronology entries, about 86,000 visits, about 250,000 case notes, a plan on most open cases,
  24 months of audit programmes with their audits, and 1% of the children restricted to their
  social worker.

The big tables are written by INSERT ... SELECT over generate_series inside PostgreSQL: each row is
a fixed function of its number (no random() there), so the same size makes the same data. Records
are made straight into the tables, not through the services, so there are no history rows; the
audits are drawn through the audit service, as an auditor would draw them.

Everything scales with --children (500 staff at 50,000 children, never fewer than two teams).
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

FULL_CHILDREN = 50_000
SEED = 2026
EMAIL_DOMAIN = "scale.test"
# Per 50,000 children.
FULL = {"teams": 44, "deadlines": 1_000_000, "chronology": 500_000, "visits": 86_000, "notes": 250_000,
        "audits_per_month": 40}  # fmt: skip
AUDIT_MONTHS = 24
# The other staff, by role, at full size (at least one of each at any size).
OTHER_STAFF = {"service_manager": 4, "qa_auditor": 4, "data_officer": 2, "business_support": 4,
               "conference_chair": 2}  # fmt: skip
DEADLINE_KEYS = ["cin_visit_interval", "cp_visit_interval", "lac_visit_interval_after_first_year",
                 "assessment_completion", "case_summary_refresh", "visit_recording", "child_seen_after_allocation",
                 "rcpc", "lac_review_subsequent", "icpc"]  # fmt: skip


def scaled(full: int, children: int, least: int = 1) -> int:
    return max(least, round(full * children / FULL_CHILDREN))


def email(role: str, number: int, team: int | None = None) -> str:
    return f"{role.replace('_', '-')}{'' if team is None else f'-t{team:02d}'}-{number}@{EMAIL_DOMAIN}"


def made_with(authority) -> int:
    """How many generated children the database holds (0 when there are none)."""
    from cases.models import Child

    return Child.objects.filter(authority=authority, last_name="Bench", first_name__startswith="Child").count()


def prepare() -> None:
    from django.core.management import call_command

    quiet = open(os.devnull, "w")  # noqa: SIM115
    call_command("migrate", verbosity=0)
    call_command("load_authorities", verbosity=0, stdout=quiet)
    call_command("load_audit_templates", verbosity=0, stdout=quiet)
    call_command("seed_demo", "--authority", "leeds", "--quiet-logins", verbosity=0, stdout=quiet)
    # What beat does within a minute in production: recount the months marked since the last run
    # (the demo's seeding, a migration), so the Performance page is timed reading its rollup.
    call_command("performance_rollup", "--marked", verbosity=0, stdout=quiet)


def build(children: int, vacuum: bool = True) -> dict:
    """Make the large authority in Leeds (on a database with none made yet); return how long each
    part took. Dates are counted back from now (timezone.now(), so a test's fixed clock holds)."""
    from bench_returns import Builder
    from django.db import connection, transaction
    from django.utils import timezone

    from cases.models import Authority
    from cases.services.performance_rollup import performance_rollup_rebuild

    authority = Authority.objects.get(slug="leeds")
    now = timezone.now()
    timings = {}
    began = time.perf_counter()
    # One transaction: a run stopped part way leaves nothing, so made_with() never counts half a build.
    with transaction.atomic():
        Builder(authority, children, children * 3 // 10, children * 8 // 100, seed=SEED).build()
        timings["children, cases and their records (bulk_create)"] = time.perf_counter() - began
        step = time.perf_counter()
        staff = make_staff(authority, children)
        share_out_cases(authority, staff)
        timings["staff, and cases shared out"] = time.perf_counter() - step
        with connection.cursor() as cursor:
            cursor.execute(
                """CREATE TEMP TABLE scale_case ON COMMIT DROP AS
                   SELECT (row_number() OVER (ORDER BY c.id) - 1)::int AS n, c.id, c.child_id, c.team_id, c.worker_id,
                          c.opened_at, c.closed_at
                   FROM cases_case c JOIN cases_user u ON u.id = c.worker_id
                   WHERE c.authority_id = %s AND u.email LIKE %s""",
                [authority.pk, f"%@{EMAIL_DOMAIN}"],
            )
            cursor.execute("CREATE INDEX ON scale_case (n)")
            cursor.execute("ANALYZE scale_case")
            for name, fill in (("deadlines", deadlines), ("chronology entries", chronology), ("visits", visits),
                               ("case notes", notes), ("plans", plans), ("restricted children", restrict)):  # fmt: skip
                step = time.perf_counter()
                fill(cursor, authority, children, now)
                timings[name] = time.perf_counter() - step
        step = time.perf_counter()
        audits(authority, children, staff, now)
        timings["audit programmes and audits (the audit service)"] = time.perf_counter() - step
        step = time.perf_counter()
        # The deadlines went in by SQL, past the services that mark the Performance page's rollup.
        performance_rollup_rebuild(authority)
        timings["the Performance page's monthly rollup"] = time.perf_counter() - step
    if vacuum:  # not inside a transaction, as in a test
        step = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        timings["VACUUM ANALYZE"] = time.perf_counter() - step
    timings["total"] = time.perf_counter() - began
    return timings


def make_staff(authority, children: int) -> dict[str, list]:
    from cases.models import RoleAssignment, Team, User
    from cases.roles import Role

    team_count = scaled(FULL["teams"], children, least=2)
    teams = Team.objects.bulk_create([Team(authority=authority, name=f"Locality team {n + 1:02d}")
                                      for n in range(team_count)])  # fmt: skip
    people = []  # (email, name, role, team)
    for n, team in enumerate(teams):
        people.append((email("manager", 0, n), f"Manager {n + 1}", Role.TEAM_MANAGER, team))
        people += [(email("worker", w, n), f"Worker {n + 1}.{w + 1}", Role.SOCIAL_WORKER, team) for w in range(10)]
    for role, full in OTHER_STAFF.items():
        label = Role(role).label
        people += [(email(role, n), f"{label} {n + 1}", role, None) for n in range(scaled(full, children))]
    users = User.objects.bulk_create([User(email=address, full_name=name, authority=authority, password="!")
                                      for address, name, _, _ in people])  # fmt: skip
    RoleAssignment.objects.bulk_create([RoleAssignment(user=user, role=role, team=team)
                                        for user, (_, _, role, team) in zip(users, people, strict=True)])  # fmt: skip
    staff: dict[str, list] = {}
    for user, (_, _, role, team) in zip(users, people, strict=True):
        user.scale_team = team
        staff.setdefault(role, []).append(user)
    return staff


def share_out_cases(authority, staff) -> None:
    """The Builder's cases (held by its own 100 workers) go to the teams' workers in turn."""
    from django.db import connection

    workers = staff["social_worker"]
    managers = {user.scale_team.pk: user for user in staff["team_manager"]}
    worker_ids = [w.pk for w in workers]
    team_ids = [w.scale_team.pk for w in workers]
    manager_ids = [managers[w.scale_team.pk].pk for w in workers]
    with connection.cursor() as cursor:
        cursor.execute(
            """CREATE TEMP TABLE scale_slot ON COMMIT DROP AS
               SELECT (ordinality - 1)::int AS slot, worker_id, team_id, manager_id
               FROM unnest(%s::bigint[], %s::bigint[], %s::bigint[])
                    WITH ORDINALITY AS s(worker_id, team_id, manager_id)""",
            [worker_ids, team_ids, manager_ids],
        )
        cursor.execute(
            """UPDATE cases_case c SET team_id = s.team_id, worker_id = s.worker_id
               FROM cases_user u, scale_slot s
               WHERE u.id = c.worker_id AND u.email LIKE 'bench-worker%%' AND c.authority_id = %s
                 AND s.slot = c.id %% %s""",
            [authority.pk, len(workers)],
        )
        cursor.execute(
            """UPDATE cases_allocation a SET team_id = c.team_id, allocated_by_id = s.manager_id,
                      worker_id = CASE WHEN a.ended_at IS NULL THEN c.worker_id ELSE s2.worker_id END
               FROM cases_case c, scale_slot s, scale_slot s2
               WHERE a.case_id = c.id AND c.authority_id = %s AND s.worker_id = c.worker_id
                 AND s2.slot = (c.id + 1) %% %s""",
            [authority.pk, len(workers)],
        )
        cursor.execute(
            """UPDATE cases_referral r SET team_id = coalesce(c.team_id, s.team_id)
               FROM scale_slot s, cases_referral r2 LEFT JOIN cases_case c ON c.referral_id = r2.id
               WHERE r2.id = r.id AND r.authority_id = %s AND s.slot = r.id %% %s""",
            [authority.pk, len(workers)],
        )
        cursor.execute(
            """UPDATE assessments_assessment a SET author_id = c.worker_id,
                      approved_by_id = CASE WHEN a.approved_by_id IS NULL THEN NULL ELSE s.manager_id END
               FROM cases_case c, scale_slot s WHERE a.case_id = c.id AND s.worker_id = c.worker_id""",
        )
        cursor.execute(
            """UPDATE cases_deadline d SET team_id = c.team_id, assignee_id = c.worker_id
               FROM cases_case c WHERE d.case_id = c.id AND c.authority_id = %s""",
            [authority.pk],
        )


def deadlines(cursor, authority, children: int, now) -> None:
    """Over three years, about 45 a case; on open cases one in ten is open, due from 60 days ago to
    60 days ahead (so about half of them overdue); the rest met (85%), met late (10%) or cancelled."""
    from django.contrib.contenttypes.models import ContentType

    from cases.models import Case
    from cases.selectors.timescales import policy_for

    known = set(policy_for(authority).all_keys())
    keys = [key for key in DEADLINE_KEYS if key in known]
    cursor.execute(
        """
        INSERT INTO cases_deadline (authority_id, team_id, assignee_id, child_id, case_id, subject_type_id, subject_id,
            key, conditions, anchor_at, counted_from, due_at, rule, condition_applied, statutory_floor_applied,
            explanation, status, met_at, cancelled_reason, created_at)
        SELECT %(authority)s, c.team_id, c.worker_id, c.child_id, c.id, %(ct)s, c.id, d.key, '[]',
            d.due - interval '20 days', '', d.due, '20 working_days', '', false,
            'Due 20 working days from the start, skipping weekends and bank holidays.', d.status,
            CASE WHEN d.status = 'met' THEN d.due - (g %% 9) * interval '1 day'
                 WHEN d.status = 'met_late' THEN d.due + (1 + g %% 6) * interval '1 day' END,
            CASE WHEN d.status = 'cancelled' THEN 'The case closed' ELSE '' END, d.due - interval '20 days'
        FROM generate_series(0, %(n)s - 1) AS g
        JOIN scale_case c ON c.n = g %% %(cases)s
        CROSS JOIN LATERAL (
            SELECT (%(keys)s::text[])[1 + (g / %(cases)s) %% %(key_count)s] AS key,
                   c.closed_at IS NULL AND (g / %(cases)s) %% 10 = 0 AS open
        ) k
        CROSS JOIN LATERAL (
            SELECT k.key,
                   CASE WHEN k.open THEN %(midnight)s::timestamptz + ((g * 37) %% 121 - 60) * interval '1 day'
                        ELSE %(midnight)s::timestamptz - (1 + (g::bigint * 7919) %% 1095) * interval '1 day' END
                     + interval '23 hours 59 minutes' AS due,
                   CASE WHEN k.open THEN 'open' WHEN (g * 31) %% 100 < 85 THEN 'met'
                        WHEN (g * 31) %% 100 < 95 THEN 'met_late' ELSE 'cancelled' END AS status
        ) d
        """,
        {"authority": authority.pk, "ct": ContentType.objects.get_for_model(Case).pk,
         "midnight": now.replace(hour=0, minute=0, second=0, microsecond=0), "n": scaled(FULL["deadlines"], children),
         "cases": case_count(cursor), "keys": keys, "key_count": len(keys)},
    )  # fmt: skip


def case_count(cursor) -> int:
    cursor.execute("SELECT count(*) FROM scale_case")
    return max(cursor.fetchone()[0], 1)


def chronology(cursor, authority, children: int, now) -> None:
    """About 20 entries a case, from its opening on, a week or two apart; a third written by the system."""
    from cases.models import ChronologyEntry

    kinds = [kind for kind, _ in ChronologyEntry.Kind.choices]
    cursor.execute(
        """
        INSERT INTO cases_chronologyentry (child_id, case_id, kind, occurred_at, title, detail, written_by_id,
            automatic, recorded_at, struck_reason)
        SELECT c.child_id, c.id, e.kind, e.at, initcap(replace(e.kind, '_', ' ')) || ' recorded',
            'What happened, who was there and what it means for the child.', c.worker_id, g %% 3 = 0, e.at, ''
        FROM generate_series(0, %(n)s - 1) AS g
        JOIN scale_case c ON c.n = g %% %(cases)s
        CROSS JOIN LATERAL (
            SELECT (%(kinds)s::text[])[1 + (g * 13) %% %(kind_count)s] AS kind,
                   least(c.opened_at + (g / %(cases)s) * interval '9 days' + (g %% 7) * interval '1 hour',
                         coalesce(c.closed_at, %(now)s)) AS at
        ) e
        """,
        {"now": now, "n": scaled(FULL["chronology"], children), "cases": case_count(cursor), "kinds": kinds,
         "kind_count": len(kinds)},
    )  # fmt: skip


def visits(cursor, authority, children: int, now) -> None:
    """About four a case, twenty days apart from the opening, seen alone on most; all recorded."""
    cursor.execute(
        """
        INSERT INTO visits_visit (authority_id, case_id, child_id, kind, visited_at, visitor_id, other_visitors, place,
            place_detail, announced, present, child_seen, not_seen_reason, seen_alone, not_seen_alone_reason,
            bedroom_seen, bedroom_not_seen_reason, child_views, observations, analysis, actions, status, recorded_at,
            recorded_by_id, created_at, version)
        SELECT %(authority)s, c.id, c.child_id, (ARRAY['cin', 'cp', 'lac'])[1 + g %% 3], v.at, c.worker_id, '',
            (ARRAY['home', 'placement', 'school'])[1 + g %% 3], '', g %% 4 <> 0, 'The child and their carer', true, '',
            g %% 5 <> 0, CASE WHEN g %% 5 = 0 THEN 'The child asked for their carer to stay' ELSE '' END,
            true, '', 'I like my school and my new bike.', 'The home was warm and tidy.',
            'The plan is working; keep the current visiting pattern.', '[]', 'recorded', v.at + interval '1 day',
            c.worker_id, v.at, 1
        FROM generate_series(0, %(n)s - 1) AS g
        JOIN scale_case c ON c.n = g %% %(cases)s
        CROSS JOIN LATERAL (
            SELECT least(c.opened_at + (1 + g / %(cases)s) * interval '20 days', coalesce(c.closed_at, %(now)s)
                         - interval '1 day') AS at
        ) v
        """,
        {"authority": authority.pk, "now": now, "n": scaled(FULL["visits"], children), "cases": case_count(cursor)},
    )


def notes(cursor, authority, children: int, now) -> None:
    cursor.execute(
        """
        INSERT INTO cases_casenote (case_id, kind, event_at, recorded_at, author_id, title, text, struck_reason)
        SELECT c.id, (ARRAY['note', 'phone', 'meeting', 'decision', 'significant'])[1 + (g * 7) %% 5], n.at,
            n.at + interval '2 hours', c.worker_id, 'Contact with the family',
            'Spoke with the child''s mother about school attendance; agreed to meet again next week.', ''
        FROM generate_series(0, %(n)s - 1) AS g
        JOIN scale_case c ON c.n = g %% %(cases)s
        CROSS JOIN LATERAL (
            SELECT least(c.opened_at + (g / %(cases)s) * interval '11 days', coalesce(c.closed_at, %(now)s)) AS at
        ) n
        """,
        {"now": now, "n": scaled(FULL["notes"], children), "cases": case_count(cursor)},
    )


def plans(cursor, authority, children: int, now) -> None:
    """A plan on four open cases in five: a child-protection plan where the case has one running,
    otherwise a child-in-need plan; approved by the team's manager."""
    cursor.execute(
        """
        INSERT INTO planning_plan (authority_id, case_id, child_id, kind, started_on, end_reason, outcomes,
            contingency, version, written_by_id, written_at, approval, approved_by_id, approved_at)
        SELECT %(authority)s, c.id, c.child_id,
            CASE WHEN EXISTS (SELECT 1 FROM cases_legalstatus s WHERE s.case_id = c.id AND s.kind = 'cp'
                              AND s.ended_on IS NULL) THEN 'cp' ELSE 'cin' END,
            (c.opened_at + interval '30 days')::date, '',
            'The child attends school every day and feels safe at home.',
            'If attendance falls below 90%%, a strategy discussion is held.', 1, c.worker_id,
            c.opened_at + interval '30 days', 'approved', s.manager_id, c.opened_at + interval '31 days'
        FROM scale_case c JOIN scale_slot s ON s.worker_id = c.worker_id
        WHERE c.closed_at IS NULL AND c.n %% 5 <> 0
        """,
        {"authority": authority.pk},
    )


def restrict(cursor, authority, children: int, now) -> None:
    """One generated child in a hundred seen only by their social worker (the one on their latest
    case; a worker in turn for a child with no case)."""
    cursor.execute(
        """UPDATE cases_child SET restricted = true
           WHERE authority_id = %s AND last_name = 'Bench' AND mod(id, 100) = 7""",
        [authority.pk],
    )
    cursor.execute(
        """INSERT INTO cases_child_restricted_to (child_id, user_id)
           SELECT ch.id, coalesce((SELECT c.worker_id FROM scale_case c WHERE c.child_id = ch.id
                                   ORDER BY c.closed_at IS NULL DESC, c.id DESC LIMIT 1), s.worker_id)
           FROM cases_child ch JOIN scale_slot s ON s.slot = mod(ch.id, (SELECT count(*) FROM scale_slot))
           WHERE ch.authority_id = %s AND ch.last_name = 'Bench' AND mod(ch.id, 100) = 7""",
        [authority.pk],
    )


def audits(authority, children: int, staff, now) -> None:
    """A programme a month for two years, each with a sample drawn by the audit service and shared
    among the auditors; the older months' audits locked, the last month's in hand."""
    from datetime import date

    from django.db import connection
    from django.utils import timezone

    from audits.services import programme_create, programme_sample

    auditors = staff["qa_auditor"]
    today = timezone.localdate(now)
    size = scaled(FULL["audits_per_month"], children, least=2)
    for back in range(AUDIT_MONTHS - 1, -1, -1):
        month = date(today.year + (today.month - 1 - back) // 12, (today.month - 1 - back) % 12 + 1, 1)
        programme = programme_create(created_by=auditors[0], month=month)
        programme_sample(programme=programme, drawn_by=auditors[0], size=size, auditors=auditors,
                         seed=SEED + back)  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(
            """UPDATE audits_audit a
               SET status = CASE WHEN p.month < %(this_month)s - interval '1 month' THEN 'complete'
                                 ELSE 'in_progress' END,
                   started_at = p.month + interval '3 days', grade = 'good',
                   submitted_at = CASE WHEN p.month < %(this_month)s - interval '1 month'
                                       THEN p.month + interval '20 days' END,
                   locked_at = CASE WHEN p.month < %(this_month)s - interval '1 month'
                                    THEN p.month + interval '40 days' END
               FROM audits_auditprogramme p
               WHERE a.programme_id = p.id AND a.authority_id = %(authority)s AND p.month < %(this_month)s""",
            {"authority": authority.pk, "this_month": today.replace(day=1)},
        )


def counts(authority) -> dict[str, int]:
    """What the authority holds, table by table (for the benchmark's heading and the test)."""
    from django.db.models import Q

    from audits.models import Audit, AuditProgramme
    from cases.models import Case, CaseNote, Child, ChronologyEntry, Deadline, User
    from planning.models import Plan
    from visits.models import Visit

    return {
        "children": Child.objects.filter(authority=authority).count(),
        "restricted children": Child.objects.filter(authority=authority, restricted=True).count(),
        "cases": Case.objects.filter(authority=authority).count(),
        "open cases": Case.objects.filter(authority=authority, closed_at=None).count(),
        "staff": User.objects.filter(authority=authority).filter(~Q(role_assignments=None)).distinct().count(),
        "deadlines": Deadline.objects.filter(authority=authority).count(),
        "open deadlines": Deadline.objects.filter(authority=authority, status="open").count(),
        "chronology entries": ChronologyEntry.objects.filter(child__authority=authority).count(),
        "visits": Visit.objects.filter(authority=authority).count(),
        "case notes": CaseNote.objects.filter(case__authority=authority).count(),
        "plans": Plan.objects.filter(authority=authority).count(),
        "audit programmes": AuditProgramme.objects.filter(authority=authority).count(),
        "audits": Audit.objects.filter(authority=authority).count(),
    }

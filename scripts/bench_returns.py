"""Benchmark of the two statutory returns (a measurement, not a test).

    make bench-returns
    make bench-returns BENCH_ARGS="--children 2000"
    python scripts/bench_returns.py [--children 10000] [--cin 3000] [--looked-after 800] [--rebuild] [--tracemalloc]

In the PostgreSQL database named by BENCH_DATABASE_URL (created if missing, migrated here) Leeds
gets an authority's worth of children: 10,000 children, 3,000 of them with a CIN episode open in
2025-26 and 800 of those looked after. The records are made with bulk_create straight into the
tables, not through the services: recording 10,000 children's referrals, assessments, enquiries,
conferences, plans and placements one by one through the services (each with its history rows,
deadlines and audit) would take far longer than the benchmark itself. So there are no history
rows, and the records are plausible rather than clean: realistic enough that the DfE's rules have
something to check (and find), not a demo authority with nothing wrong. What is made:

- 10,000 children: sex, ethnicity, disabilities, and a valid UPN (a Leeds number with its check
  letter) or the reason there is none; up to 1,500 others with only a case closed before the year;
- the 3,000: referrals decided no further action (a fifth, and an earlier one in the year for some
  with a case: two episodes), and cases opened before or in the year, some closed; assessments
  (approved, with factors, unless started lately), CIN statuses, strategy discussions and section
  47 enquiries with their ICPC targets, initial and review conferences (on weekdays),
  child-protection plans with categories (a few changing category), earlier closed cases with a
  plan for some, and every case's social workers (allocations; some changed, with why);
- the 800: looked-after statuses with legal status codes (some changing), placements with valid
  types, providers, Leeds postcodes and URNs (some moves, some ended), a home address, looked-after
  reviews with the child's participation, the previous permanence answer and, for those looked
  after all year, the year's health outcomes.

The data is made once and kept while --children is the same (a different number makes it again);
--rebuild drops the database and makes it again. Then each step of producing the returns for
2025-26 is measured on its own, as the pages' background jobs run them (returns/cin/produce.py
census_checked, returns/ssda903/produce.py tables_checked):

1. CIN census: derive (census_children) and write the XML (census_xml);
2. CIN census: validate (validate_census: the schema, then the DfE's rules);
3. SSDA903: derive (tables_for) and write the zipped CSV tables;
4. SSDA903: validate (validate_tables: the DfE's validator).

For each: wall time, the process's CPU time, SQL queries, and memory: the peak resident size
during the step (sampled every 20 ms) over the size before it; with --tracemalloc also the peak of
Python's own allocations (tracemalloc slows allocation-heavy code, so the times of that run are not
the ones to quote).
Then the queries per chunk of children, the process's peak resident size, the machine's load
average and CPU count (the figures mean little on a busy machine).
"""

import argparse
import io
import os
import random
import resource
import sys
import threading
import time
import tracemalloc
import warnings
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SLUG = "leeds"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/casework_bench_returns"
YEAR = 2026  # the collection year ending 31 March 2026 (2025-26)
TARGET_CIN_SECONDS = 30


def database_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)


def setup_django() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    os.environ["DATABASE_URL"] = database_url()
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    # As in production: no query log kept, except where it is captured below.
    os.environ["DEBUG"] = "false"
    import django

    django.setup()


def recreate_database(url: str | None = None) -> None:
    """Drop the bench database (or the one at url) and create it empty (for --rebuild)."""
    import environ
    import psycopg
    from django.db import connections
    from psycopg import sql

    connections.close_all()
    config = environ.Env.db_url_config(url or database_url())
    with psycopg.connect(dbname="postgres", user=config.get("USER") or None, password=config.get("PASSWORD") or None,
                         host=config.get("HOST") or None, port=config.get("PORT") or None,
                         autocommit=True) as connection:  # fmt: skip
        name = sql.Identifier(config["NAME"])
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(name))


def prepare() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_authorities", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115


# The data ------------------------------------------------------------------------------------


class Builder:
    """Makes the records in memory, then writes each table with one bulk_create."""

    def __init__(self, authority, children: int, cin: int, looked_after: int, seed: int = 2026):
        from zoneinfo import ZoneInfo

        self.authority = authority
        self.sizes = (children, cin, looked_after)
        self.random = random.Random(seed)  # noqa: S311 - made-up records, not secrets
        self.zone = ZoneInfo(authority.timezone)
        # The records as they stand at the end of June after the year, when the census is produced
        # (the same data whenever the benchmark runs); nothing is dated after it.
        self.today = min(date.today(), date(YEAR, 6, 30))

    # Helpers

    def at(self, day: date, hour: int = 10):
        return datetime(day.year, day.month, day.day, hour, self.random.randrange(60), tzinfo=self.zone)

    def day_between(self, first: date, last: date) -> date:
        return first + timedelta(days=self.random.randrange(max((last - first).days, 0) + 1))

    def past(self, day: date | None) -> date | None:
        """A date that has not happened yet is not recorded yet."""
        return day if day is not None and day < self.today else None

    @staticmethod
    def weekday(day: date) -> date:
        """The day, or the Monday after it if it is a weekend (meetings are not held then)."""
        return day + timedelta(days=7 - day.weekday() if day.weekday() >= 5 else 0)

    def upn(self) -> str:
        from cases.models.children import upn_check_letter

        digits = "383" + "".join(self.random.choice("0123456789") for _ in range(9))
        return upn_check_letter("A" + digits) + digits

    def build(self) -> None:
        from django.db import transaction

        began = time.perf_counter()
        with transaction.atomic():
            self._build()
        total, cin, looked_after = self.sizes
        print(f"made {total:,} children ({cin:,} in the CIN census year, {looked_after:,} looked after) "
              f"with bulk_create in {time.perf_counter() - began:.1f} s")  # fmt: skip

    def _build(self) -> None:  # noqa: PLR0915 - one recipe, read top to bottom
        from django.contrib.contenttypes.models import ContentType

        from assessments.models.assessments import Assessment
        from assessments.models.enquiries import Section47Enquiry, StrategyDiscussion
        from cases.codes import ASSESSMENT_FACTORS, DISABILITIES, Ethnicity
        from cases.codes.ssda903 import REVIEW_PARTICIPATION, SOCIAL_WORKER_CHANGE_REASONS
        from cases.models import Address, Allocation, Case, Child, Deadline, LegalStatus, Referral, Team, User
        from planning.demo import DEMO_HOMES, DEMO_PLACEMENT_POSTCODES
        from planning.models import HealthOutcome, Meeting, Placement, PreviousPermanence

        rnd, authority = self.random, self.authority
        total, cin_count, lac_count = self.sizes
        year_start, year_end = date(YEAR - 1, 4, 1), date(YEAR, 3, 31)

        teams = Team.objects.bulk_create([Team(authority=authority, name=f"Bench team {n}") for n in range(10)])
        users = User.objects.bulk_create(
            [User(email=f"bench-worker{n}@bench.test", full_name=f"Bench Worker {n}", authority=authority,
                  password="!", swe_registration_number=f"SW{10000 + n}") for n in range(100)]
            + [User(email="bench-manager@bench.test", full_name="Bench Manager", authority=authority, password="!")]
        )  # fmt: skip
        workers, manager = users[:-1], users[-1]

        # Children
        ethnicities = [code for code, _ in Ethnicity.choices]
        disability_codes = [code for code, _ in DISABILITIES.choices if code != "NONE"]
        born_from, born_to = date(YEAR - 18, 4, 1), date(YEAR - 1, 1, 31)
        children = []
        for n in range(total):
            born = self.day_between(born_from, born_to)
            under_five = (year_end - born).days < 5 * 365
            has_upn = rnd.random() < (0.3 if under_five else 0.9)
            roll = rnd.random()
            disabilities = (["NONE"] if roll < 0.8 else rnd.sample(disability_codes, rnd.randint(1, 2))
                            if roll < 0.95 else [])  # fmt: skip
            children.append(Child(
                authority=authority, first_name=f"Child{n}", last_name="Bench", search_names=f"child{n} bench",
                date_of_birth=born, sex=rnd.choices("FMU", weights=(49, 50, 1))[0],
                ethnicity=rnd.choices(ethnicities, weights=[40] + [3] * (len(ethnicities) - 1))[0],
                upn=self.upn() if has_upn else "", upn_unknown="" if has_upn else ("UN1" if under_five else "UN2"),
                disabilities=disabilities,
            ))  # fmt: skip
        children = Child.objects.bulk_create(children, batch_size=2000)
        order = list(range(total))
        rnd.shuffle(order)
        cin_children = [children[i] for i in order[:cin_count]]
        looked_after = set(range(lac_count))  # the first lac_count of the CIN children
        history_only = [children[i] for i in order[cin_count : cin_count + total * 15 // 100]]

        factors = [code for code, _ in ASSESSMENT_FACTORS.choices if code not in ("18A", "19A", "21", "8B", "8C")]
        change_reasons = [code for code, _ in SOCIAL_WORKER_CHANGE_REASONS.choices if code not in ("FCONTA", "SWDIED")]
        participation = [code for code, _ in REVIEW_PARTICIPATION.choices if code != "PN0"]
        leeds_placements = list(DEMO_PLACEMENT_POSTCODES["leeds"].values())
        leeds_homes = [postcode for _, postcode in DEMO_HOMES["leeds"].values()]

        referrals, cases, case_plans = [], [], []  # case_plans: what to hang on each case, once it has a pk

        def refer(child, received: date, decision: str, plan: dict | None):
            # Nobody is referred before they are born (the census's rule 8606 allows 40 weeks).
            received = max(received, child.date_of_birth + timedelta(days=14))
            if plan is not None:
                plan["received"] = received
                if plan["closed"] is not None and plan["closed"] < received + timedelta(days=20):
                    plan["closed"] = self.past(received + timedelta(days=rnd.randint(25, 120)))
                    plan["reason"] = plan["reason"] if plan["closed"] else ""
            decided = received + timedelta(days=rnd.randint(0, 1))
            referral = Referral(
                authority=authority, child=child, team=rnd.choice(teams), received_at=self.at(received),
                recorded_by=manager, referrer_name="Bench referrer", source=rnd.choice(SOURCES),
                consent="given", consent_by="Parent", reasons="Benchmark referral",
                category_of_need=rnd.choices(NEEDS, weights=(50, 8, 5, 12, 10, 4, 2, 4, 3, 2))[0],
                child_protection=decision == "strategy", decision=decision, decided_by=manager,
                decided_at=self.at(decided, 15),
            )  # fmt: skip
            referrals.append(referral)
            if plan is not None:
                plan["referral"] = referral
                case_plans.append(plan)

        # Children only in past years: a case closed before 1 April 2025 (not in the census).
        for child in history_only:
            if child.date_of_birth > date(2024, 6, 1):
                continue
            received = self.day_between(max(date(2021, 6, 1), child.date_of_birth), date(2024, 9, 30))
            refer(child, received, "assessment",
                  {"child": child, "received": received, "closed": received + timedelta(days=rnd.randint(60, 150)),
                   "reason": "RC7", "lac": False, "strategy": False})  # fmt: skip
        for index, child in enumerate(cin_children):
            if index in looked_after:
                received = (self.day_between(date(2019, 4, 1), year_start - timedelta(days=1)) if rnd.random() < 0.6
                            else self.day_between(year_start, date(2026, 1, 31)))  # fmt: skip
                strategy = rnd.random() < 0.35
                refer(child, received, "strategy" if strategy else "assessment",
                      {"child": child, "received": received, "closed": None, "reason": "", "lac": True,
                       "strategy": strategy})  # fmt: skip
                continue
            if rnd.random() < 0.2:
                refer(child, self.day_between(year_start, year_end), "nfa", None)
                continue
            if rnd.random() < 0.1 and child.date_of_birth < date(2019, 1, 1):  # an earlier case, closed, with a plan
                received = self.day_between(date(2020, 1, 1), date(2022, 12, 31))
                refer(child, received, "strategy",
                      {"child": child, "received": received, "reason": "RC7", "lac": False, "strategy": True,
                       "closed": received + timedelta(days=rnd.randint(300, 500)), "force_plan": True})  # fmt: skip
            before = rnd.random() < 0.3
            received = (self.day_between(date(2023, 6, 1), year_start - timedelta(days=1)) if before
                        else self.day_between(year_start, date(2026, 3, 25)))  # fmt: skip
            if not before and received > year_start + timedelta(days=60) and rnd.random() < 0.15:
                # A second episode in the year: an earlier referral that went no further.
                refer(child, self.day_between(year_start, received - timedelta(days=30)), "nfa", None)
            strategy = rnd.random() < 0.25
            closed, reason = None, ""
            if rnd.random() < 0.45:
                closed = received + timedelta(days=rnd.randint(25, 400))
                if before and closed < year_start:
                    closed = year_start + timedelta(days=rnd.randint(0, 200))
                reason = rnd.choices(CLOSURES, weights=(35, 40, 10, 5, 3, 5, 2))[0]
                closed = self.past(closed)
                reason = reason if closed else ""
            refer(child, received, "strategy" if strategy else "assessment",
                  {"child": child, "received": received, "closed": closed, "reason": reason, "lac": False,
                   "strategy": strategy})  # fmt: skip
        Referral.objects.bulk_create(referrals, batch_size=2000)

        for plan in case_plans:
            worker = rnd.choice(workers)
            cases.append(Case(
                authority=authority, child=plan["child"], referral=plan["referral"], team=plan["referral"].team,
                worker=worker, opened_at=plan["referral"].decided_at,
                closed_at=self.at(plan["closed"], 16) if plan["closed"] else None, closure_reason=plan["reason"],
            ))  # fmt: skip
        Case.objects.bulk_create(cases, batch_size=2000)

        assessments, statuses, discussions, enquiries, meetings = [], [], [], [], []
        self.health, self.permanence = [], []
        placements, addresses, allocations, deadlines = [], [], [], []
        enquiry_targets = []  # (enquiry, due day), for the deadlines once the enquiries have pks

        def status(case, kind, started, ended, **codes):
            statuses.append(LegalStatus(case=case, kind=kind, started_on=started, ended_on=self.past(ended),
                                        recorded_by=manager, **codes))  # fmt: skip

        for case, plan in zip(cases, case_plans, strict=True):
            child, opened = plan["child"], plan["received"] + timedelta(days=1)
            closed = plan["closed"]
            ends = min(day for day in (closed, self.today - timedelta(days=1)) if day)
            # Social workers: the first, and for some a change with why.
            first_until = opened + timedelta(days=rnd.randint(60, 300))
            changed = rnd.random() < 0.35 and first_until < ends
            allocations.append(Allocation(case=case, team=case.team, worker=case.worker, allocated_by=manager,
                                          allocated_at=self.at(opened, 11),
                                          ended_at=self.at(first_until, 9) if changed else None))  # fmt: skip
            if changed:
                allocations.append(Allocation(case=case, team=case.team, worker=rnd.choice(workers),
                                              allocated_by=manager, allocated_at=self.at(first_until, 9),
                                              change_reason=rnd.choice(change_reasons)))  # fmt: skip
            # The single assessment: most approved, with factors.
            # Authorised by now unless started in the last weeks (the census sees those authorised
            # after 31 March as in progress), and always before the case closed.
            approved_on = opened + timedelta(days=rnd.randint(8, 50))
            if closed is not None:
                approved_on = min(approved_on, max(closed - timedelta(days=2), opened))
            approved = approved_on < self.today
            assessments.append(Assessment(
                authority=authority, case=case, child=child, author=case.worker,
                clock_started_at=self.at(opened, 9),
                status="approved" if approved else rnd.choice(("draft", "submitted")),
                factors=rnd.sample(factors, rnd.randint(1, 3)) if approved else [],
                outcome="cin" if approved else "", approved_by=manager if approved else None,
                approved_at=self.at(approved_on, 14) if approved else None,
            ))  # fmt: skip
            on_plan_until = approved_on
            if plan["strategy"]:
                held = opened
                discussion = StrategyDiscussion(authority=authority, case=case, child=child, held_at=self.at(held, 12),
                                                chair=manager, decision="s47", rationale="Benchmark",
                                                recorded_by=manager)  # fmt: skip
                discussions.append(discussion)
                outcome = ("icpc" if plan.get("force_plan") or plan["lac"] else
                           rnd.choices(("icpc", "cin", "unsubstantiated", "nfa"), weights=(50, 20, 20, 10))[0])
                concluded = self.past(held + timedelta(days=rnd.randint(5, 15)))
                enquiry = Section47Enquiry(
                    authority=authority, case=case, child=child, strategy_discussion=discussion,
                    started_at=self.at(held, 13), outcome=outcome if concluded else "",
                    outcome_recorded_at=self.at(concluded, 17) if concluded else None,
                    outcome_recorded_by=manager if concluded else None,
                )  # fmt: skip
                enquiries.append(enquiry)
                enquiry_targets.append((enquiry, held + timedelta(days=21)))
                icpc = self.past(self.weekday(held + timedelta(days=rnd.randint(10, 20))))
                if outcome == "icpc" and concluded and icpc and icpc < ends:
                    category = rnd.choices(CP_CATEGORIES, weights=(45, 15, 8, 25, 7))[0]
                    meetings.append(Meeting(
                        authority=authority, case=case, child=child, kind="icpc", scheduled_at=self.at(icpc),
                        held_at=self.at(icpc), chair=manager, decision="cp_plan", categories=[category],
                        recorded_by=manager,
                    ))  # fmt: skip
                    plan_ends = icpc + timedelta(days=rnd.randint(90, 500))
                    plan_ends = plan_ends if plan_ends < ends or closed else None
                    if closed and (plan_ends is None or plan_ends > closed):
                        plan_ends = closed
                    if rnd.random() < 0.15 and (plan_ends is None or (plan_ends - icpc).days > 120):
                        switch = icpc + timedelta(days=rnd.randint(60, 110))
                        status(case, "cp", icpc, switch, cp_category=category)
                        status(case, "cp", switch, plan_ends, cp_category="MUL")
                    else:
                        status(case, "cp", icpc, plan_ends, cp_category=category)
                    review = self.weekday(icpc + timedelta(days=rnd.randint(80, 92)))
                    while review < (self.past(plan_ends) or self.today):
                        meetings.append(Meeting(authority=authority, case=case, child=child, kind="rcpc",
                                                scheduled_at=self.at(review), held_at=self.at(review), chair=manager,
                                                decision="continue", categories=[category],
                                                recorded_by=manager))  # fmt: skip
                        review = self.weekday(review + timedelta(days=rnd.randint(170, 185)))
                    on_plan_until = plan_ends
            # A child-in-need plan from the assessment (or after the protection plan), to closure.
            still_open = closed is None or (on_plan_until is not None and on_plan_until < closed)
            wanted = approved and on_plan_until and still_open and plan["reason"] != "RC8" and not plan["lac"]
            if wanted and rnd.random() < 0.75:
                status(case, "cin", on_plan_until, closed)
            if plan["lac"]:
                self._looked_after(case, child, approved_on, status, placements, meetings, addresses, participation,
                                   leeds_placements, leeds_homes)  # fmt: skip

        Assessment.objects.bulk_create(assessments, batch_size=2000)
        StrategyDiscussion.objects.bulk_create(discussions, batch_size=2000)
        Section47Enquiry.objects.bulk_create(enquiries, batch_size=2000)
        LegalStatus.objects.bulk_create(statuses, batch_size=2000)
        Meeting.objects.bulk_create(meetings, batch_size=2000)
        Placement.objects.bulk_create(placements, batch_size=2000)
        Address.objects.bulk_create(addresses, batch_size=2000)
        HealthOutcome.objects.bulk_create(self.health, batch_size=2000)
        PreviousPermanence.objects.bulk_create(self.permanence, batch_size=2000)
        Allocation.objects.bulk_create(allocations, batch_size=2000)
        enquiry_type = ContentType.objects.get_for_model(Section47Enquiry)
        for enquiry, due in enquiry_targets:
            deadlines.append(Deadline(
                authority=authority, team=enquiry.case.team, assignee=enquiry.case.worker, child=enquiry.child,
                case=enquiry.case, subject_type=enquiry_type, subject_id=enquiry.pk, key="icpc",
                anchor_at=enquiry.started_at, due_at=self.at(due, 23), rule="15 working_days",
                explanation="Benchmark: 15 working days from the strategy discussion.",
                status="met" if due < self.today else "open", created_at=enquiry.started_at,
            ))  # fmt: skip
        Deadline.objects.bulk_create(deadlines, batch_size=2000)
        print(f"   {len(referrals):,} referrals, {len(cases):,} cases, {len(assessments):,} assessments, "
              f"{len(enquiries):,} section 47 enquiries, {len(statuses):,} legal statuses, {len(meetings):,} meetings, "
              f"{len(placements):,} placements, {len(allocations):,} allocations, "
              f"{len(self.health):,} health outcomes")  # fmt: skip

    def _looked_after(self, case, child, approved_on, status, placements, meetings, addresses, participation,
                      leeds_placements, leeds_homes):  # fmt: skip
        """Looked-after statuses and placements that join up into SSDA903 episodes, with reviews."""
        from cases.models import Address
        from planning.demo import DEMO_FOSTERING_URN
        from planning.models import HealthOutcome, Meeting, Placement, PreviousPermanence

        rnd, authority, manager = self.random, self.authority, case.referral.recorded_by
        addresses.append(Address(
            child=child, address="1 Bench Street, Leeds", postcode=rnd.choice(leeds_homes),
            lived_from=child.date_of_birth,
        ))  # fmt: skip
        start = max(approved_on + timedelta(days=rnd.randint(0, 30)), child.date_of_birth)
        start = min(start, self.today - timedelta(days=30))
        ended = None
        if rnd.random() < 0.3:
            ended = self.past(start + timedelta(days=rnd.randint(120, 900)))
        legal = rnd.choices(("C2", "C1", "V2", "E1", "V3"), weights=(45, 20, 25, 7, 3))[0]
        # Legal status: an interim order turning into a full one for some.
        if legal == "C1" and rnd.random() < 0.6:
            full = start + timedelta(days=rnd.randint(150, 280))
            if ended is None or full < ended:
                status(case, "lac", start, full, legal_status="C1", started_at=self.at(start))
                status(case, "lac", full, ended, legal_status="C2")
            else:
                status(case, "lac", start, ended, legal_status="C1", started_at=self.at(start))
        else:
            status(case, "lac", start, ended, legal_status=legal, started_at=self.at(start))
        # Placements: one, or a move or two.
        day, moves = start, rnd.choices((0, 1, 2), weights=(55, 30, 15))[0]
        until = ended or self.today
        for move in range(moves + 1):
            kind, provider = rnd.choices(PLACEMENTS, weights=(35, 25, 12, 8, 10, 5, 5))[0]
            last = move == moves
            moved_on = None if last else day + timedelta(days=rnd.randint(40, 300))
            if moved_on is not None and moved_on >= until:
                moved_on, last = None, True
            finished = ended if last else moved_on
            # No URN with parents; the council's fostering service's for its own foster carers.
            urn = "" if kind == "P1" else DEMO_FOSTERING_URN if provider == "PR1" and kind != "K2" else (
                f"SC{rnd.randrange(40000, 99999):06d}")
            placements.append(Placement(
                authority=authority, case=case, child=child, placement_type=kind, carer=f"Carer {rnd.randrange(500)}",
                started_on=day, ended_on=finished, provider=provider, postcode=rnd.choice(leeds_placements), urn=urn,
                end_reason=(rnd.choices(("E4A", "E13", "E41", "E45", "E8", "E5"), weights=(35, 10, 10, 15, 20, 10))[0]
                            if last and finished else ""),
                move_reason="" if last else rnd.choice(("CARPL", "CREQB", "CHILD", "STAND", "LAREQ")),
                recorded_by=manager,
            ))  # fmt: skip
            if last:
                break
            day = moved_on
        # Asked when care starts: had they left care before through a permanence order?
        code = rnd.choices(("Z1", "P1", "P2", "P4"), weights=(85, 4, 6, 5))[0]
        earlier = child.date_of_birth + timedelta(days=rnd.randint(200, 1500)) if code in ("P1", "P2") else None
        self.permanence.append(PreviousPermanence(
            authority=authority, case=case, child=child, code=code, made_by="383" if earlier else "",
            made_on=earlier if earlier and earlier < start else None, made_on_known="day" if earlier else "",
            recorded_by=manager,
        ))  # fmt: skip
        # Health in the year, for a child looked after all of it (the OC2 cohort), recorded in March.
        recorded = date(YEAR, 3, rnd.randint(1, 28))
        aged = (recorded - child.date_of_birth).days // 365
        if start <= date(YEAR - 1, 3, 31) and (ended is None or ended > date(YEAR, 3, 31)) and rnd.random() < 0.9:
            misuse = aged >= 11 and rnd.random() < 0.1
            sdq = 4 <= aged <= 16 and rnd.random() < 0.85
            self.health.append(HealthOutcome(
                authority=authority, case=case, child=child, recorded_on=recorded,
                sdq_score=rnd.randint(3, 30) if sdq else None, sdq_reason="" if sdq else rnd.choice(("SDQ1", "SDQ4")),
                immunisations_up_to_date=rnd.random() < 0.9, teeth_checked=rnd.random() < 0.85,
                health_assessment_up_to_date=rnd.random() < 0.9,
                health_check=(rnd.random() < 0.9) if aged < 5 else None, substance_misuse=misuse,
                intervention_received=(rnd.random() < 0.6) if misuse else None,
                intervention_refused=(rnd.random() < 0.3) if misuse else None,
                convicted=aged >= 10 and rnd.random() < 0.05, recorded_by=manager,
            ))  # fmt: skip
        # Reviews: within 20 working days, then 3 months, then every 6 months.
        review, gap = self.weekday(start + timedelta(days=rnd.randint(18, 28))), 90
        while review < until:
            aged = (review - child.date_of_birth).days // 365
            meetings.append(Meeting(authority=authority, case=case, child=child, kind="lac_review",
                                    scheduled_at=self.at(review), held_at=self.at(review), chair=manager,
                                    participation="PN0" if aged < 4 else rnd.choice(participation),
                                    recorded_by=manager))  # fmt: skip
            review = self.weekday(review + timedelta(days=gap + rnd.randint(-5, 10)))
            gap = 182


SOURCES = ["1A", "1B", "1C", "2A", "2B", "3A", "3B", "3E", "4", "5A", "5C", "5D", "6", "7", "8", "9"]
CLOSURES = ("RC8", "RC7", "RC9", "RC3", "RC4", "RC5", "RC6")
NEEDS = ("N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8", "N9", "N0")
CP_CATEGORIES = ("NEG", "PHY", "SAB", "EMO", "MUL")
# (type, provider) of the placements made.
PLACEMENTS = (("U6", "PR1"), ("U4", "PR4"), ("U3", "PR1"), ("U1", "PR1"), ("K2", "PR4"), ("K2", "PR1"), ("P1", "PR0"))


# The measurement -------------------------------------------------------------------------------


class Peak:
    """The peak resident size of this process while a step runs, sampled from /proc."""

    def __init__(self, interval: float = 0.02):
        self.interval, self.peak, self._stop = interval, 0, threading.Event()

    @staticmethod
    def rss() -> int:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    def _watch(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, self.rss())
            self._stop.wait(self.interval)

    def __enter__(self):
        self.before = self.peak = self.rss()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.rss())


class Step:
    def __init__(self, name: str, trace: bool):
        self.name, self.trace = name, trace

    def __enter__(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        self.queries = CaptureQueriesContext(connection)
        self.memory = Peak()
        self.queries.__enter__()
        self.memory.__enter__()
        if self.trace:
            tracemalloc.start()
        self.began, self.cpu_began = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.began
        self.cpu = time.process_time() - self.cpu_began
        self.traced = tracemalloc.get_traced_memory()[1] if self.trace else None
        if self.trace:
            tracemalloc.stop()
        self.memory.__exit__(*exc)
        self.queries.__exit__(*exc)

    def row(self) -> str:
        rss = (self.memory.peak - self.memory.before) / 1e6
        traced = f"{self.traced / 1e6:10.0f}" if self.traced is not None else f"{'-':>10}"
        return f"{self.name:<32} {self.seconds:8.2f} {self.cpu:8.2f} {len(self.queries):8d} {rss:10.0f} {traced}"


def measure(trace: bool) -> None:
    from django.utils import timezone

    from cases.models import Authority, Child
    from returns.cin.derive import CHUNK, census_children, child_ids_in
    from returns.cin.validate import validate_census
    from returns.cin.writer import census_xml
    from returns.ssda903.derive import CHUNK_SIZE, candidate_ids
    from returns.ssda903.produce import tables_for
    from returns.ssda903.tables import FILE_NAMES, columns_for
    from returns.ssda903.validate import validate_tables
    from returns.ssda903.writer import table_csv
    from returns.years import CollectionYear

    year = CollectionYear(YEAR)
    authority = Authority.objects.get(slug=SLUG)
    cin_ids = child_ids_in(authority, year)
    in_cin, in_903 = len(cin_ids), len(candidate_ids(authority=authority, year=year))
    everyone = Child.objects.filter(authority=authority).count()
    print(f"{authority.name} ({authority.la_number}, {authority.ons_code}): {everyone:,} children; "
          f"{year.label}: {in_cin:,} in the CIN census, "
          f"{in_903:,} SSDA903 candidates")  # fmt: skip
    steps, baseline = [], Peak.rss()

    # 1. CIN census: derive and write. Queries are noted as each chunk's first child is read (the
    # generator runs a chunk's queries then), so chunk n's are those between chunk n's first child
    # and chunk n+1's; the first chunk's include the one that finds the census's referrals. The
    # children were found above, as census_checked finds them once, for its count and the census.
    with Step("1. CIN census: derive + write", trace) as step:
        rows, marks = [], []
        iterator = census_children(authority, year, cin_ids)
        while True:
            if len(rows) % CHUNK == 0:
                marks.append(len(step.queries))
            try:
                rows.append(next(iterator))
            except StopIteration:
                marks.append(len(step.queries))
                break
        document = census_xml(la_number=authority.la_number, year=year, children=rows, made_at=timezone.localtime())
    steps.append(step)
    # A census of a whole number of chunks ends with an empty look for the next chunk.
    cin_chunks = [later - earlier for earlier, later in zip(marks, marks[1:], strict=False)][: -(-len(rows) // CHUNK)]
    episodes = sum(len(row.episodes) for row in rows)

    with Step("2. CIN census: validate", trace) as step:
        cin_findings = validate_census(document, year)
    steps.append(step)

    with Step("3. SSDA903: derive + write", trace) as step:
        tables, children = tables_for(authority, year)
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as written:
            for name in columns_for(year):
                written.writestr(FILE_NAMES[name], table_csv(name=name, rows=tables[name], year=year))
    steps.append(step)

    with Step("4. SSDA903: validate", trace) as step:
        validation = validate_tables(tables=tables, year=year, local_authority=authority.ons_code)
    steps.append(step)

    print()
    # CPU seconds are this process's own: on a busy machine the wall time is longer than they are.
    print(f"{'step':<32} {'seconds':>8} {'CPU s':>8} {'queries':>8} {'+RSS MB':>10} {'traced MB':>10}")
    for step in steps:
        print(step.row())
    print()
    cin_seconds = steps[0].seconds
    verdict = "within" if cin_seconds < TARGET_CIN_SECONDS else "OVER"
    print(f"CIN census: {len(rows):,} children, {episodes:,} episodes, {len(document) / 1e6:.1f} MB of XML; "
          f"produced in {cin_seconds:.1f} s ({verdict} the {TARGET_CIN_SECONDS} s aim), "
          f"{cin_seconds + steps[1].seconds:.1f} s with validation")  # fmt: skip
    print(f"   queries per chunk of {CHUNK} children: {cin_chunks} "
          "(the first includes the one that finds their referrals, and a content type's look-up if not cached yet; "
          "one more, before, found the children)")
    errors = [found for found in cin_findings if found.is_error]
    schema = [found for found in cin_findings if found.rule == "Schema"]
    print(f"   findings: {len(cin_findings):,} ({len(errors):,} errors, {len(schema)} schema problems); "
          f"most frequent: {top_rules(cin_findings)}")  # fmt: skip
    for found in schema[:5]:
        print(f"   schema: {found.message}")
    table_rows = {name: len(found) for name, found in tables.items() if found}
    print(f"SSDA903: {len(children):,} children, {len(archive.getvalue()) / 1e6:.2f} MB zipped; rows {table_rows}")
    # derive finds the candidates in one query, then the same number for each chunk of CHUNK_SIZE.
    chunks = max(-(-in_903 // CHUNK_SIZE), 1)
    print(f"   queries: {len(steps[2].queries)} for {len(children):,} children: 1 that finds the candidates, then "
          f"{(len(steps[2].queries) - 1) / chunks:g} per chunk of {CHUNK_SIZE} ({chunks} chunk{'s' * (chunks > 1)})")
    findings = validation.as_findings()
    crashed = ", ".join(sorted(found.rule for found in validation.crashes)) or "none"
    print(f"   findings: {len(findings):,} ({len(validation.errors):,} errors; rules that could not run: {crashed}) "
          f"from {validation.rules_run} rules; most frequent: {top_rules(findings)}")  # fmt: skip
    print(f"resident size before the steps (Django, pandas and the validators imported): {baseline / 1e6:.0f} MB")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    load = os.getloadavg()
    print(f"process peak RSS (ru_maxrss): {peak_mb:.0f} MB; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} "
          f"on {os.cpu_count()} CPUs")  # fmt: skip
    if trace:
        print("(--tracemalloc: the times above are slowed by tracing; measure times without it)")


def top_rules(findings, count: int = 5) -> str:
    tally: dict[str, int] = {}
    for found in findings:
        tally[found.rule] = tally.get(found.rule, 0) + 1
    return ", ".join(f"{rule} x{n}" for rule, n in sorted(tally.items(), key=lambda item: -item[1])[:count]) or "none"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--children", type=int, default=10_000)
    parser.add_argument("--cin", type=int, help="children with a CIN episode in 2025-26 (default 30%% of --children)")
    parser.add_argument("--looked-after", type=int, help="of those, looked after (default 8%% of --children)")
    parser.add_argument("--rebuild", action="store_true", help="drop the database and make the data again")
    parser.add_argument("--tracemalloc", action="store_true", help="also trace Python's allocations (slower)")
    args = parser.parse_args()
    cin = args.cin if args.cin is not None else args.children * 3 // 10
    looked_after = args.looked_after if args.looked_after is not None else args.children * 8 // 100
    if not looked_after <= cin <= args.children:
        parser.error("need --looked-after <= --cin <= --children")

    # The DfE's validators use pandas in ways it warns will change; that is theirs to answer.
    warnings.simplefilter("ignore", FutureWarning)
    setup_django()
    from cases.models import Authority, Child

    prepare()
    authority = Authority.objects.get(slug=SLUG)
    existing = Child.objects.filter(authority=authority).count()
    if args.rebuild or existing != args.children:
        if existing:
            print(f"dropping the bench database ({existing:,} children there) to make {args.children:,}")
            recreate_database()
            prepare()
            authority = Authority.objects.get(slug=SLUG)
        Builder(authority, args.children, cin, looked_after).build()
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    else:
        print(f"using the {existing:,} children already in the bench database (--rebuild makes them again)")
    measure(args.tracemalloc)


if __name__ == "__main__":
    main()

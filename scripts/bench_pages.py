"""Benchmark of the pages at a large authority's scale (a measurement, not a test).

    make bench-pages
    make bench-pages BENCH_ARGS="--children 5000 --rounds 20"
    python scripts/bench_pages.py [--children 50000] [--rounds 20] [--warmup 3] [--rebuild] [--check]

Two databases:
- large (BENCH_DATABASE_URL, default casework_bench_pages): Leeds with 50,000 children, 1,000,000
  deadlines, 500 staff and the rest (scripts/scale_data.py says what). Made once and kept while
  --children is the same; --rebuild (or another --children) drops it and makes it again.
- small (BENCH_SMALL_DATABASE_URL, default the large one's name with _small): the Leeds demo, as
  `manage.py seed_demo --authority leeds` makes it.

In each, every main page is opened as the role that uses it, signed in with the second factor (a
session made in the database with the user signed in and their authenticator app verified, as
django_otp's login leaves it), and its SQL queries are counted in this process with Django's test
Client (CaptureQueriesContext). Then the large database is served by gunicorn (2 workers, on a
free port on 127.0.0.1) under config.settings.base with DEBUG=false: the base settings, not the
production ones, because production serves only collectstatic's manifest and this benchmark is
about the pages, not the static files. Each page is timed against the floor page (the signed-in
accessibility statement, for the same person), page then floor, over --rounds rounds after
--warmup rounds not counted.

The table gives each page's median time, the floor's, their ratio (flagged over 3x) and the
queries at both sizes. It exits 0, or with --check 1 if any page is over 3x the floor or any page
did not answer as expected.
"""

import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/casework_bench_pages"
LIMIT = 3.0
FLOOR = "/accessibility/"
SESSION_HOURS = 8
SAMPLING = "Page benchmark sampling"


def large_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)


def small_url() -> str:
    return os.environ.get("BENCH_SMALL_DATABASE_URL", large_url().rstrip("/") + "_small")


def server_env(url: str) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.base", "DATABASE_URL": url, "DEBUG": "false",
           "LOG_LEVEL": "ERROR", "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver"}  # fmt: skip
    env.pop("REDIS_URL", None)
    return env


# In one database (a child process per database: Django is set up once per process) -------------


def prepare_database(size: str, children: int, rebuild: bool) -> dict:
    """Make the data if it is not there yet; return how long that took (empty when it was kept)."""
    import scale_data
    from bench_returns import recreate_database

    from cases.models import Authority, Child

    scale_data.prepare()
    leeds = Authority.objects.get(slug="leeds")
    if size == "small":
        return {}
    made = scale_data.made_with(leeds)
    if made == children and not rebuild:
        print(f"large: using the {made:,} generated children already there (--rebuild makes them again)")
        return {}
    if Child.objects.filter(authority=leeds).count() > 0 and made:
        print(f"large: dropping the database ({made:,} generated children there) to make {children:,}")
        recreate_database(os.environ["DATABASE_URL"])
        scale_data.prepare()
        leeds = Authority.objects.get(slug="leeds")
    return scale_data.build(children)


def people() -> dict:
    """One person per role, in Leeds: the social worker holding the most open cases, their team's
    manager, and the first of each other role (an auditor with audits, where there is one)."""
    from django.db.models import Count, Q

    from cases.models import Authority, RoleAssignment, User
    from cases.roles import Role

    leeds = Authority.objects.get(slug="leeds")
    in_leeds = User.objects.filter(authority=leeds, is_active=True)
    worker = (in_leeds.filter(role_assignments__role=Role.SOCIAL_WORKER)
              .annotate(open_cases=Count("cases", filter=Q(cases__closed_at=None))).order_by("-open_cases", "pk")
              .first())  # fmt: skip
    team = RoleAssignment.objects.filter(user=worker, role=Role.SOCIAL_WORKER).values_list("team", flat=True).first()
    chosen = {"social worker": worker,
              "team manager": in_leeds.filter(role_assignments__role=Role.TEAM_MANAGER,
                                              role_assignments__team=team).order_by("pk").first()}  # fmt: skip
    auditors = in_leeds.filter(role_assignments__role=Role.QA_AUDITOR)
    chosen["QA auditor"] = (auditors.annotate(n=Count("audits_assigned")).order_by("-n", "pk").first())
    others = ((Role.SERVICE_MANAGER, "service manager"), (Role.DATA_OFFICER, "data officer"),
              (Role.BUSINESS_SUPPORT, "business support"), (Role.CONFERENCE_CHAIR, "conference chair"))
    for role, name in others:
        chosen[name] = in_leeds.filter(role_assignments__role=role).order_by("pk").first()
    return {name: user for name, user in chosen.items() if user is not None}


def session_for(user) -> str:
    """A session with the user signed in and their authenticator app verified, as the sign-in and
    security-code pages leave it."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils.module_loading import import_string
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from cases.middleware import SESSION_OTP_ENROLLED

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="Page benchmark", confirmed=True
    )
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    # The backend that signs people in (the first one only counts failed attempts).
    session[BACKEND_SESSION_KEY] = next(path for path in settings.AUTHENTICATION_BACKENDS
                                        if hasattr(import_string(path), "get_user"))
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[SESSION_OTP_ENROLLED] = True
    session.set_expiry(SESSION_HOURS * 3600)
    session.create()
    return session.session_key


def pages(who: dict) -> list[dict]:  # noqa: PLR0915 - one list, read top to bottom
    """Every main page, as the role that uses it, with real records for the detail pages."""
    from django.db.models import Count
    from django.urls import reverse
    from django.utils import timezone

    from assessments.models.assessments import Assessment
    from audits.models import Audit, AuditProgramme
    from audits.services import programme_create
    from cases.models import Case
    from planning.models import Meeting, Plan
    from visits.models import Visit

    rows = []

    def add(role, name, url, method="GET", data=None, expect=200):
        if role in who:
            rows.append({"role": role, "name": name, "path": url, "method": method, "data": data, "expect": expect})

    worker = who["social worker"]
    case = (Case.objects.filter(worker=worker, closed_at=None, child__restricted=False)
            .annotate(visit_count=Count("visits")).order_by("-visit_count", "pk").first())  # fmt: skip
    child = case.child
    for role, name in (("social worker", "My work"), ("team manager", "My work"), ("service manager", "My work"),
                       ("business support", "My work"), ("conference chair", "My work"), ("QA auditor", "My work"),
                       ("data officer", "My work")):  # fmt: skip
        add(role, name, reverse("my-work"))
    for when in ("overdue", "due-today", "due-soon"):
        add("social worker", f"My work: {when.replace('-', ' ')}", reverse(f"my-{when}"))
    add("social worker", "Notifications", reverse("notifications"))
    add("team manager", "Team (front door, caseloads)", reverse("team"))
    for role in ("social worker", "team manager", "service manager"):
        add(role, "Visits due", reverse("visits-due"))
    search = reverse("children")
    add("social worker", "Child search by name", f"{search}?q={urllib.parse.quote(child.full_name)}")
    if child.date_of_birth:
        born = child.date_of_birth
        add("social worker", "Child search by date of birth",
            f"{search}?born_on_0={born.day}&born_on_1={born.month}&born_on_2={born.year}")  # fmt: skip
    add("business support", "Child search by name", f"{search}?q={urllib.parse.quote(child.last_name)}")
    tabs = [("Child overview", "child"), ("Child details", "child-details"), ("Family", "child-family"),
            ("Legal status", "child-status"), ("Case notes", "case-notes"), ("Chronology", "chronology"),
            ("Case summary", "case-summary"), ("Visits tab", "child-visits"), ("Plans tab", "child-plans"),
            ("Assessments tab", "child-assessments"), ("Strategy and enquiries tab", "child-strategy"),
            ("Placements tab", "child-placements"), ("Supervision tab", "child-supervision")]  # fmt: skip
    for name, url_name in tabs:
        add("social worker", name, reverse(url_name, args=[child.pk]))
    add("team manager", "Child overview", reverse("child", args=[child.pk]))
    add("team manager", "Access log", reverse("child-access-log", args=[child.pk]))
    # The case's newest record of each kind, where it has one.
    for role, name, model, url_name in (("social worker", "A visit", Visit, "visit"),
                                        ("social worker", "A plan", Plan, "plan"),
                                        ("social worker", "An assessment", Assessment, "assessment"),
                                        ("conference chair", "A conference", Meeting, "meeting")):  # fmt: skip
        record = model.objects.filter(case=case).order_by("-pk").first()
        if record:
            add(role, name, reverse(url_name, args=[record.pk]))
    add("team manager", "Assessments awaiting sign-off", reverse("assessments-awaiting"))
    add("team manager", "Closure requests", reverse("closure-requests"))
    add("team manager", "Supervision", reverse("supervision"))
    for role in ("service manager", "team manager"):
        add(role, "Performance", reverse("performance"))
    add("service manager", "Performance CSV", reverse("performance-csv"))
    for role in ("team manager", "service manager"):
        add(role, "Data quality", reverse("data-quality"))
    add("data officer", "Returns", reverse("returns"))
    add("data officer", "Timescales", reverse("timescales"))
    add("QA auditor", "Audits index", reverse("audits"))
    auditor = who.get("QA auditor")
    # The sampling draws go to a programme of their own (each adds its cases to the programme),
    # made again each run so that runs do not pile audits up.
    earlier = AuditProgramme.objects.filter(authority=worker.authority, name=SAMPLING)
    Audit.objects.filter(programme__in=earlier).delete()
    earlier.delete()
    programme = (AuditProgramme.objects.filter(authority=worker.authority).annotate(n=Count("audits"))
                 .filter(n__gt=0).order_by("-month", "-pk").first())  # fmt: skip
    if programme:
        add("QA auditor", "Audit programme", reverse("audit-programme", args=[programme.pk]))
        audit = Audit.objects.filter(programme=programme).order_by("pk").first()
        add("QA auditor", "An audit", reverse("audit", args=[audit.pk]))
    add("QA auditor", "Audit results", reverse("audit-reports"))
    if auditor:
        sampling = programme_create(created_by=auditor, month=timezone.localdate().replace(day=1),
                                    name=SAMPLING)  # fmt: skip
        add("QA auditor", "Audit sampling (POST, 5 cases)", reverse("audit-programme-sample", args=[sampling.pk]),
            method="POST", data={"size": "5", "auditors": str(auditor.pk)}, expect=302)  # fmt: skip
    return rows


def count_queries(rows: list[dict], sessions: dict) -> None:
    """Each page's queries, counted in this process; its status and size as the test Client sees them."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    for row in rows:
        client = Client()
        client.cookies[settings.SESSION_COOKIE_NAME] = sessions[row["role"]]
        # Once unmeasured, as the timing's warm-up does: caches filled, templates compiled.
        for _ in range(2):
            with CaptureQueriesContext(connection) as queries:
                post = row["method"] == "POST"
                response = client.post(row["path"], row["data"]) if post else client.get(row["path"])
        row["queries"] = len(queries)
        row["status"] = response.status_code


def in_database(size: str, children: int, rebuild: bool, out: str) -> None:
    import django

    django.setup()
    timings = prepare_database(size, children, rebuild)
    import scale_data

    from cases.models import Authority

    who = people()
    sessions = {role: session_for(user) for role, user in who.items()}
    rows = pages(who)
    count_queries(rows, sessions)
    result = {"rows": rows, "sessions": sessions, "timings": timings,
              "counts": scale_data.counts(Authority.objects.get(slug="leeds")),
              "people": {role: user.email for role, user in who.items()}}  # fmt: skip
    Path(out).write_text(json.dumps(result, default=str))


# Timing, against gunicorn --------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def fetch(base: str, session: str, path: str, data: dict | None = None, csrf: str = "") -> tuple[int, bytes]:
    cookie = f"sessionid={session}" + (f"; csrftoken={csrf}" if csrf else "")
    body = None
    if data is not None:
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": csrf}, doseq=True).encode()
    # Always http://127.0.0.1:<port> of the gunicorn this script started.
    request = urllib.request.Request(base + path, data=body, headers={"Cookie": cookie})  # noqa: S310
    try:
        response = OPENER.open(request, timeout=120)
    except urllib.error.HTTPError as error:
        response = error
    return response.status, response.read()


def timed(base: str, session: str, row: dict, csrf: str) -> tuple[float, int]:
    began = time.perf_counter()
    status, _ = fetch(base, session, row["path"], row["data"] if row["method"] == "POST" else None, csrf)
    return time.perf_counter() - began, status


def csrf_token(base: str, session: str, path: str) -> str:
    """The token from a page's form (the session-less cookie is its own: CSRF_USE_SESSIONS is off)."""
    token = "b" * 32
    _, page = fetch(base, session, path, csrf=token)
    found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    return found.group(1).decode() if found else token


def time_pages(rows: list[dict], sessions: dict, rounds: int, warmup: int) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(  # noqa: S603 (our own command)
        [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "2",
         "--timeout", "300"], cwd=ROOT, env=server_env(large_url()),
    )  # fmt: skip
    try:
        for _ in range(120):
            try:
                fetch(base, "", "/sign-in/")
                break
            except OSError:
                time.sleep(0.5)
        for row in rows:
            session = sessions[row["role"]]
            csrf = csrf_token(base, session, FLOOR) if row["method"] == "POST" else ""
            pages, floors, statuses = [], [], set()
            for n in range(warmup + rounds):
                took, status = timed(base, session, row, csrf)
                floor, _ = timed(base, session, {"path": FLOOR, "method": "GET", "data": None}, "")
                statuses.add(status)
                if n >= warmup:
                    pages.append(took)
                    floors.append(floor)
            row["p50"], row["floor_p50"] = statistics.median(pages), statistics.median(floors)
            row["served"] = sorted(statuses)
            print(f"  {row['name']} ({row['role']}): {row['p50'] * 1000:.0f} ms, "
                  f"floor {row['floor_p50'] * 1000:.0f} ms", flush=True)  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=30)


# The whole run -------------------------------------------------------------------------------


def load() -> str:
    return ", ".join(f"{n:.2f}" for n in os.getloadavg())


def run_in_database(size: str, url: str, args) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as out:
        path = out.name
    ensure = [sys.executable, str(ROOT / "scripts" / "ensure_database.py")]
    subprocess.run(ensure, env=server_env(url), check=True, cwd=ROOT)  # noqa: S603 (our own command)
    command = [sys.executable, __file__, "--in-database", size, "--out", path, "--children", str(args.children)]
    if args.rebuild and size == "large":
        command.append("--rebuild")
    subprocess.run(command, env=server_env(url), check=True, cwd=ROOT)  # noqa: S603 (our own command)
    result = json.loads(Path(path).read_text())
    os.unlink(path)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--children", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--rebuild", action="store_true", help="make the large data again")
    parser.add_argument("--check", action="store_true", help=f"exit 1 if any page is over {LIMIT:g}x the floor")
    parser.add_argument("--in-database", choices=["small", "large"], help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.rounds < 20:
        parser.error("at least 20 rounds")
    if args.in_database:
        in_database(args.in_database, args.children, args.rebuild, args.out)
        return 0

    print(f"load average at the start: {load()} ({os.cpu_count()} CPUs)")
    small = run_in_database("small", small_url(), args)
    began = time.perf_counter()
    large = run_in_database("large", large_url(), args)
    if large["timings"]:
        print("large: generated in " + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in
                                                  large["timings"].items()))  # fmt: skip
    print(f"large: prepared in {time.perf_counter() - began:.0f} s; holds " +
          ", ".join(f"{value:,} {name}" for name, value in large["counts"].items()))  # fmt: skip
    print("small (Leeds demo) holds " + ", ".join(f"{value:,} {name}" for name, value in small["counts"].items()))
    print(f"timing {len(large['rows'])} pages, {args.rounds} rounds each after {args.warmup} not counted; "
          f"load {load()}")  # fmt: skip
    rows = large["rows"]
    time_pages(rows, large["sessions"], args.rounds, args.warmup)
    small_queries = {(row["role"], row["name"]): row for row in small["rows"]}

    print(f"\nload average at the end: {load()}")
    print(f"{'page':<40} {'role':<17} {'p50 ms':>8} {'floor':>7} {'ratio':>6}  {'queries small -> large':<22} status")
    over, wrong = 0, 0
    for row in rows:
        ratio = row["p50"] / row["floor_p50"]
        other = small_queries.get((row["role"], row["name"]), {})
        flag = " OVER" if ratio > LIMIT else ""
        over += ratio > LIMIT
        bad = row["status"] != row["expect"] or other.get("status", row["expect"]) != row["expect"] or any(
            status != row["expect"] for status in row["served"])
        wrong += bad
        status = ("ok" if not bad else
                  f"ERROR small {other.get('status')} large {row['status']} served {row['served']}")  # fmt: skip
        queries = f"{other.get('queries', '-')} -> {row['queries']}"
        print(f"{row['name'][:40]:<40} {row['role']:<17} {row['p50'] * 1000:>8.0f} {row['floor_p50'] * 1000:>7.0f} "
              f"{ratio:>5.1f}x  {queries:<22} {status}{flag}")  # fmt: skip
    print(f"\n{over} of {len(rows)} pages over {LIMIT:g}x the floor; {wrong} did not answer as expected")
    return 1 if args.check and (over or wrong) else 0


if __name__ == "__main__":
    sys.exit(main())

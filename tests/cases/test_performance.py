"""Performance for managers: the share of deadlines met on time by month, per team and timescale,
the overdue items behind the figures, and the CSV; who may see which team's figures. The monthly
rollup behind them always equals counting the deadlines directly, after every kind of write the
services make, and the page is right even before a marked month is recounted."""

import csv
import io
from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.test.utils import CaptureQueriesContext

from cases.codes.ssda903 import SOCIAL_WORKER_CHANGE_REASONS
from cases.dates import month_of
from cases.models import Authority, Deadline, PerformanceRollup, PerformanceRollupDirty
from cases.roles import Role
from cases.selectors.digests import timescale_what
from cases.selectors.timescales import policy_for
from cases.services.children import case_allocate
from cases.services.deadlines import deadline_cancel, deadline_meet, deadline_open, deadline_recalculate
from cases.services.performance_rollup import (
    performance_rollup_mark_authority,
    performance_rollup_rebuild,
    performance_rollup_refresh,
)
from tests.cases.alerts_world import NOW, build_world, deadline, end_of
from tests.factories import TeamFactory

pytestmark = pytest.mark.django_db

MET, LATE = Deadline.Status.MET, Deadline.Status.MET_LATE
HEADING = '<h2 class="govuk-heading-m">{}</h2>'
PAGES = ["/performance/", "/performance/overdue/", "/performance.csv"]


@pytest.fixture
def world(leeds):
    world = build_world(leeds, Authority.objects.get(slug="york"))
    # October in Duty: two met on time, one met late, and Amy's still open (with November's two
    # overdue and one not yet due from the world itself).
    deadline(world.amy, due_at=end_of(5, 10), assignee=world.worker, team=world.duty, status=MET,
             met_at=end_of(2, 10))  # fmt: skip
    deadline(world.amy, due_at=end_of(7, 10), assignee=world.worker, team=world.duty, status=MET,
             met_at=end_of(7, 10) - timedelta(hours=1))  # fmt: skip
    deadline(world.amy, due_at=end_of(8, 10), assignee=world.worker, team=world.duty, status=LATE,
             met_at=end_of(12, 10))  # fmt: skip
    deadline(world.amy, due_at=end_of(20, 10), assignee=world.worker, team=world.duty, key="visit_cin")
    deadline(world.amy, due_at=end_of(21, 10), assignee=world.worker, team=world.duty,
             status=Deadline.Status.CANCELLED)  # fmt: skip
    # The world writes its deadlines straight to the table, past the services that mark the
    # rollup; the nightly rebuild is what counts such rows.
    performance_rollup_rebuild(world.authority)
    return world


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_a_team_manager_sees_their_teams_share_met_on_time_by_month(client, world):
    client.force_login(world.manager)
    rows = {(r["Team"], r["Month"], r["Timescale key"]): r for r in csv_rows(client.get("/performance.csv"))}
    october = rows[("Duty", "2026-10", "")]
    columns = ["Timescale", "Due", "Met on time", "Met late", "Overdue (still open)", "Met on time (%)"]
    assert [october[c] for c in columns] == ["All timescales", "4", "2", "1", "1", "50"]
    seen = rows[("Duty", "2026-10", "child_seen_after_allocation")]
    assert (seen["Due"], seen["Met on time"], seen["Met late"], seen["Overdue (still open)"]) == ("3", "2", "1", "0")
    assert rows[("Duty", "2026-10", "visit_cin")]["Overdue (still open)"] == "1"
    # November so far: Amy's and Rita's overdue (Rita's counted, never named); the 13th is not yet due.
    assert rows[("Duty", "2026-11", "")]["Due"] == "2" and rows[("Duty", "2026-11", "")]["Met on time (%)"] == "0"
    assert not any(team == "Support" for team, _, _ in rows)
    page = client.get("/performance/").content.decode()
    assert "October 2026" in page and "50%" in page and HEADING.format("Support") not in page
    assert "Rita" not in page


def test_a_service_manager_sees_every_team_of_their_authority_and_may_choose_one(client, world):
    client.force_login(world.service_manager)
    teams = {r["Team"] for r in csv_rows(client.get("/performance.csv"))}
    assert teams == {"Duty", "Support"}
    only = {r["Team"] for r in csv_rows(client.get(f"/performance.csv?team={world.support.pk}"))}
    assert only == {"Support"}
    page = client.get(f"/performance/?team={world.support.pk}").content.decode()
    assert HEADING.format("Support") in page and HEADING.format("Duty") not in page


def test_another_authoritys_team_or_a_team_not_managed_is_404(client, world):
    york_team = world.outsider.role_assignments.get().team
    client.force_login(world.service_manager)
    for path in PAGES:
        assert client.get(f"{path}?team={york_team.pk}").status_code == 404
    client.force_login(world.other_manager)
    for path in PAGES:
        assert client.get(f"{path}?team={world.duty.pk}").status_code == 404


@pytest.mark.parametrize("role", list(Role))
def test_only_managers_and_service_managers_see_performance(client, people, role):
    client.force_login(people[role])
    allowed = role in (Role.TEAM_MANAGER, Role.SERVICE_MANAGER)
    for path in PAGES:
        assert client.get(path).status_code == (200 if allowed else 403), path
    assert ('href="/performance/"' in client.get("/").content.decode()) == allowed


def test_the_overdue_items_name_only_children_the_reader_may_see(client, world):
    client.force_login(world.manager)
    page = client.get(f"/performance/overdue/?team={world.duty.pk}").content.decode()
    assert "Amy Archer" in page and "Rita" not in page and "Carl" not in page
    assert "2 overdue, oldest first" in page  # Amy's October visit and her November one
    october = client.get(f"/performance/overdue/?team={world.duty.pk}&month=2026-10&key=visit_cin")
    assert "1 overdue" in october.content.decode()
    assert client.get("/performance/overdue/?month=2026-13").status_code == 404
    client.force_login(world.worker)
    assert client.get("/performance/overdue/").status_code == 403


def test_the_csv_quotes_anything_a_spreadsheet_would_run(client, world):
    world.duty.name = "=HYPERLINK(\"http://evil.example\")"
    world.duty.save()
    client.force_login(world.manager)
    response = client.get("/performance.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert {r["Team"] for r in csv_rows(response)} == {"'=HYPERLINK(\"http://evil.example\")"}


def counted_directly(authority) -> dict:
    rows = (
        Deadline.objects.filter(authority=authority, team__isnull=False).order_by()
        .annotate(month=TruncMonth("due_at")).values("team_id", "month", "key")
        .annotate(met=Count("pk", filter=Q(status="met")), late=Count("pk", filter=Q(status="met_late")),
                  open=Count("pk", filter=Q(status="open")), cancelled=Count("pk", filter=Q(status="cancelled")))
    )  # fmt: skip
    return {(r["team_id"], month_of(r["month"]), r["key"]): (r["met"], r["late"], r["open"], r["cancelled"])
            for r in rows}  # fmt: skip


def rolled_up(authority) -> dict:
    rows = PerformanceRollup.objects.filter(authority=authority)
    return {(r.team_id, r.month, r.key): (r.met, r.late, r.open, r.cancelled) for r in rows}


def test_the_rollup_equals_counting_the_deadlines_after_every_kind_of_write(
    world, django_capture_on_commit_callbacks
):
    case = world.amy.cases.get()
    assert rolled_up(world.authority) == counted_directly(world.authority)

    with django_capture_on_commit_callbacks(execute=True):  # the refresh runs on commit
        opened = deadline_open(authority=world.authority, key="assessment_completion", subject=case,
                               start=date(2026, 9, 1), team=world.duty, assignee=world.worker, case=case)  # fmt: skip
    assert opened.status == Deadline.Status.OPEN
    assert rolled_up(world.authority) == counted_directly(world.authority)

    with django_capture_on_commit_callbacks(execute=True):
        met = deadline_meet(deadline=opened, met_at=opened.due_at + timedelta(days=3))
    assert met.status == Deadline.Status.MET_LATE
    assert rolled_up(world.authority)[(world.duty.pk, month_of(met.due_at), met.key)][:3] == (0, 1, 0)
    assert rolled_up(world.authority) == counted_directly(world.authority)

    with django_capture_on_commit_callbacks(execute=True):
        deadline_cancel(deadline=Deadline.objects.filter(child=world.amy, key="visit_cin").latest("due_at"),
                        reason="No longer needed")  # fmt: skip
    assert rolled_up(world.authority) == counted_directly(world.authority)

    # The case moves to Support: its open deadlines go with it, out of Duty's figures.
    reason = next(iter(dict(SOCIAL_WORKER_CHANGE_REASONS.offered(NOW.date()))))
    with django_capture_on_commit_callbacks(execute=True):
        case_allocate(case=case, worker=world.other_worker, team=world.support, allocated_by=world.service_manager,
                      change_reason=reason)  # fmt: skip
    assert Deadline.objects.filter(case=case, status="open", team=world.support).exists()
    assert rolled_up(world.authority) == counted_directly(world.authority)

    # A deadline computed under an older timescale, two months early; recalculating moves it back.
    reopened = deadline_open(authority=world.authority, key="assessment_completion", subject=case,
                             start=date(2026, 11, 2), team=world.support, case=case)  # fmt: skip
    Deadline.objects.filter(pk=reopened.pk).update(due_at=reopened.due_at - timedelta(days=62))
    with django_capture_on_commit_callbacks(execute=True):
        report = deadline_recalculate(authority=world.authority, keys=["assessment_completion"])
    assert reopened.pk in {pk for pk, *_ in report.changes}
    assert rolled_up(world.authority) == counted_directly(world.authority)
    assert not PerformanceRollupDirty.objects.exists()


def test_a_write_not_yet_recounted_shows_on_the_page_at_once(client, world):
    """The refresh has not run (no commit in a test): the page counts the marked month live."""
    case = world.carl.cases.get()
    opened = deadline_open(authority=world.authority, key="assessment_completion", subject=case,
                           start=date(2026, 7, 1), team=world.support, case=case)  # fmt: skip
    assert month_of(opened.due_at) == date(2026, 9, 1)  # a month gone by, so read from the rollup
    deadline_meet(deadline=opened, met_at=opened.due_at - timedelta(hours=1))
    assert PerformanceRollupDirty.objects.filter(team=world.support, month=month_of(opened.due_at)).exists()
    client.force_login(world.other_manager)
    month = f"{month_of(opened.due_at):%Y-%m}"
    rows = {(r["Month"], r["Timescale key"]): r for r in csv_rows(client.get("/performance.csv"))}
    assert rows[(month, "assessment_completion")]["Met on time"] == "1"
    assert performance_rollup_refresh() == 1
    rows = {(r["Month"], r["Timescale key"]): r for r in csv_rows(client.get("/performance.csv"))}
    assert rows[(month, "assessment_completion")]["Met on time"] == "1"


def test_a_rebuild_leaves_no_marks_behind_so_the_page_reads_the_rollup_again(client, world):
    """A recalculation marks the whole authority; the nightly rebuild recounts it all, so the page
    must read the rebuilt months rather than keep counting every month live."""
    case = world.carl.cases.get()
    opened = deadline_open(authority=world.authority, key="assessment_completion", subject=case,
                           start=date(2026, 7, 1), team=world.support, case=case)  # fmt: skip
    deadline_meet(deadline=opened, met_at=opened.due_at - timedelta(hours=1))
    performance_rollup_mark_authority(world.authority)
    performance_rollup_rebuild(world.authority)
    assert not PerformanceRollupDirty.objects.filter(authority=world.authority).exists()
    client.force_login(world.other_manager)
    month = f"{month_of(opened.due_at):%Y-%m}"
    rows = {(r["Month"], r["Timescale key"]): r for r in csv_rows(client.get("/performance.csv"))}
    assert rows[(month, "assessment_completion")]["Met on time"] == "1"


def test_the_service_manager_sees_every_team_first_and_one_teams_months_on_request(client, world):
    client.force_login(world.service_manager)
    page = client.get("/performance/").content.decode()
    assert "All your teams" in page and "October 2026" in page
    assert f'href="/performance/?team={world.duty.pk}">Duty</a>' in page
    assert f'href="/performance/?team={world.support.pk}">Support</a>' in page
    team = client.get(f"/performance/?team={world.support.pk}").content.decode()
    assert '<h2 class="govuk-heading-m">Support</h2>' in team and "October 2026" in team
    assert timescale_what(policy_for(world.authority), "assessment_completion") in team
    assert "Carl" not in team  # figures name nobody


def test_a_teams_months_are_a_page_of_three_at_a_time(client, world):
    for month in range(1, 11):
        deadline(world.carl, due_at=end_of(5, month), assignee=world.other_worker, team=world.support)
    performance_rollup_rebuild(world.authority)
    client.force_login(world.other_manager)
    first = client.get(f"/performance/?team={world.support.pk}").content.decode()
    # Support's months run from October back to January: ten months, four pages.
    assert "October 2026" in first and "August 2026" in first and "July 2026" not in first
    assert "Page 1 of 4" in first
    last = client.get(f"/performance/?team={world.support.pk}&page=4").content.decode()
    assert "January 2026" in last and "October 2026" not in last


@pytest.mark.parametrize("who, team, status", [
    ("service_manager", "duty", 200),
    ("manager", "duty", 200),
    ("manager", "support", 404),  # a team they do not manage
    ("service_manager", "york", 404),  # another authority's team
    ("worker", "duty", 403),
])  # fmt: skip
def test_one_teams_months_by_role(client, world, who, team, status):
    teams = {"duty": world.duty, "support": world.support, "york": world.outsider.role_assignments.get().team}
    client.force_login(getattr(world, who))
    for path in ("/performance/", "/performance.csv"):
        assert client.get(f"{path}?team={teams[team].pk}").status_code == status, path


def test_signed_out_people_are_sent_to_sign_in(client, world):
    for path in ("/performance/", f"/performance/?team={world.duty.pk}", "/performance.csv"):
        response = client.get(path)
        assert response.status_code == 302 and "/sign-in/" in response["Location"]


def grow(world, teams: int) -> None:
    """More teams, each with deadlines in every month of the year, met, late and open; some
    written through the services (marked, not yet recounted) and the rest recounted."""
    case = world.carl.cases.get()
    for _ in range(teams):
        team = TeamFactory(authority=world.authority)
        for month in range(1, 13):
            for status, key in (("met", "visit_cin"), ("met_late", "icpc"), ("open", "assessment_completion")):
                deadline(world.carl, due_at=end_of(3, month, 2026 if month < 12 else 2025), assignee=None,
                         team=team, key=key, status=status)  # fmt: skip
    performance_rollup_rebuild(world.authority)
    deadline_open(authority=world.authority, key="assessment_completion", subject=case,
                  start=date(2026, 7, 1), team=world.support, case=case)  # fmt: skip


@pytest.mark.parametrize("path", ["/performance/", "/performance/?team={support}", "/performance.csv"])
def test_the_figures_make_the_same_queries_at_two_sizes(client, world, path):
    client.force_login(world.service_manager)
    url = path.format(support=world.support.pk)
    counts = []
    for teams in (0, 12):
        grow(world, teams)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
            body = b"".join(response.streaming_content) if response.streaming else response.content
        assert response.status_code == 200 and body
        counts.append(len(queries))
    assert counts[0] == counts[1], [q["sql"][:150] for q in queries.captured_queries]
    # Session, user, roles, teams, the marks, the live month, the rollup, the authority and its
    # policy's revision, the bell, and the session's stamp (with its savepoint).
    assert counts[0] <= 13, "\n".join(q["sql"][:90] for q in queries.captured_queries)

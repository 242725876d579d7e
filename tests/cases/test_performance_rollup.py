"""The Performance page's monthly rollup: it always equals counting the deadlines directly, after
every kind of write the services make; the page is right even before a marked month is recounted;
one team's months per role; and the page, a team's months and the CSV make the same number of
queries however many deadlines there are."""

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
from cases.selectors.digests import timescale_what
from cases.selectors.timescales import policy_for
from cases.services.children import case_allocate
from cases.services.deadlines import deadline_cancel, deadline_meet, deadline_open, deadline_recalculate
from cases.services.performance_rollup import performance_rollup_rebuild, performance_rollup_refresh
from tests.cases.alerts_world import NOW, build_world, deadline, end_of
from tests.factories import TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(leeds):
    world = build_world(leeds, Authority.objects.get(slug="york"))
    # Written straight to the table by the world, so counted by the rebuild the nightly job runs.
    performance_rollup_rebuild(world.authority)
    return world


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


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
        deadline_cancel(deadline=Deadline.objects.get(child=world.amy, key="visit_cin"), reason="No longer needed")
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


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


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

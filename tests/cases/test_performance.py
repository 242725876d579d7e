"""Performance for managers: the share of deadlines met on time by month, per team and timescale,
the overdue items behind the figures, and the CSV; who may see which team's figures."""

import csv
import io
from datetime import timedelta

import pytest
import time_machine

from cases.models import Authority, Deadline
from cases.roles import Role
from cases.services.performance_rollup import performance_rollup_rebuild
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


def _more(world, n):
    for i in range(n):
        team = TeamFactory(authority=world.authority)
        deadline(world.amy, due_at=end_of(1 + i % 28, 9), assignee=world.worker, team=world.duty, key=f"key_{i}")
        deadline(world.carl, due_at=end_of(2, 11), assignee=world.other_worker, team=team)


@pytest.mark.parametrize("path", PAGES)
def test_pages_have_a_bounded_query_count_at_two_sizes(client, world, path, django_assert_max_num_queries):
    client.force_login(world.service_manager)
    client.get(path)
    for extra in (0, 15):
        _more(world, extra)
        # Session, user, roles, the bell, the teams, the figures (or the count and the page), the
        # policy's revision, and the session's stamp.
        with django_assert_max_num_queries(12):
            assert client.get(path).status_code == 200

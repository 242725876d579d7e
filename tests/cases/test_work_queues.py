"""Time on every queue: My work's three counts and the lists behind them, a team manager's overdue
work by worker, the referral queue (child protection first, decide-by dates, overdue tags), the
allocation queue and choice (each worker's load), and the auditor's audits. At the tests' fixed
instant, Friday 20 November 2026, 17:30 in London."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from cases.models import AlertSettings, Authority, Case, Deadline, Referral
from cases.roles import Role
from cases.services.children import RECORDS_REFERRALS, referral_record
from cases.services.timescales import closure_day_add
from tests.cases.alerts_world import child_in, deadline
from tests.factories import ChildFactory, TeamFactory, allocate_new_child, referral_fields, staff
from tests.support import SEES_CHILDREN

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def end_of(day: int, month: int = 11) -> datetime:
    return datetime(2026, month, day, 23, 59, 59, tzinfo=LONDON)


def counts_in(body: str) -> dict[str, str]:
    """{'overdue': '2', 'due today': '1', ...} from My work's counts."""
    block = body.split('id="work-counts"')[1].split("</ul>")[0]
    found = {}
    for item in block.split('casework-count__number">')[1:]:
        number, rest = item.split("</span>", 1)
        found[rest.split("</a>")[0].strip()] = number
    return found


@pytest.fixture
def worker_with_work(people):
    """The social worker's deadlines around Fri 20 Nov: two overdue (Mon 16 and Thu 19 Nov), one
    due tonight, two in the next five working days (Mon 23 and Fri 27 Nov), one just after (Mon 30
    Nov), and one met, which counts nowhere. Plus the team's unheld work: a decision due Thursday."""
    worker, team = people[Role.SOCIAL_WORKER], people["team"]
    amy = child_in(team, worker, first_name="Amy", last_name="Archer")
    ben = child_in(team, worker, first_name="Ben", last_name="Bell")
    for child, due in ((amy, end_of(16)), (ben, end_of(19)), (amy, end_of(20)), (ben, end_of(23)),
                       (amy, end_of(27)), (ben, end_of(30))):  # fmt: skip
        deadline(child, due_at=due, assignee=worker, team=team)
    deadline(amy, due_at=end_of(18), assignee=worker, team=team, status=Deadline.Status.MET)
    deadline(ben, due_at=end_of(19), assignee=None, team=team, key="contact_decision")
    return worker


def test_my_work_opens_with_three_counts_that_link_to_their_lists(client, worker_with_work):
    client.force_login(worker_with_work)
    body = client.get("/").content.decode()
    assert body.index('id="work-counts"') < body.index('id="caseload"')
    assert counts_in(body) == {"overdue": "2", "due today": "1", "due in the next 5 working days": "2"}
    for path in ("/my-work/overdue/", "/my-work/due-today/", "/my-work/due-soon/"):
        assert f'href="{path}"' in body


def test_each_list_shows_the_deadlines_its_count_counts(client, worker_with_work):
    client.force_login(worker_with_work)
    overdue = client.get("/my-work/overdue/").content.decode()
    assert "2 overdue, oldest first" in overdue
    assert overdue.index("Mon 16 Nov 2026") < overdue.index("Thu 19 Nov 2026")
    assert "Overdue by 4 working days" in overdue and "Overdue by 1 working day<" in overdue
    assert "How this date was worked out" in overdue
    today = client.get("/my-work/due-today/").content.decode()
    assert "1 due, soonest first" in today and "Fri 20 Nov 2026" in today
    soon = client.get("/my-work/due-soon/").content.decode()
    assert "2 due, soonest first" in soon and "Mon 23 Nov 2026" in soon and "Fri 27 Nov 2026" in soon
    assert "Mon 30 Nov" not in soon and "up to the end of Fri 27 Nov" in soon


def test_due_soon_counts_working_days_on_the_authoritys_own_calendar(client, worker_with_work, leeds):
    """A Leeds closure day on Wed 25 Nov pushes the fifth working day to Mon 30 Nov; the
    authority's "due soon" setting (the digest's) sets how many working days."""
    closure_day_add(authority=leeds, day=date(2026, 11, 25), reason="Staff training")
    client.force_login(worker_with_work)
    assert counts_in(client.get("/").content.decode())["due in the next 5 working days"] == "3"
    AlertSettings.objects.create(authority=leeds, due_soon_working_days=1)
    counts = counts_in(client.get("/").content.decode())
    assert counts["due in the next 1 working day"] == "1"  # Mon 23 Nov only


def test_a_manager_counts_their_teams_unheld_work_and_sees_the_team_by_worker(client, people, worker_with_work):
    manager = people[Role.TEAM_MANAGER]
    client.force_login(manager)
    body = client.get("/").content.decode()
    assert counts_in(body)["overdue"] == "1"  # the decision nobody holds is the manager's
    table = body.split('id="team-overdue"')[1].split("</table>")[0]
    assert worker_with_work.full_name in table and "Nobody yet: for the team's managers" in table
    row = table.split(worker_with_work.full_name)[1].split("</tr>")[0]
    assert ">2<" in row and "Mon 16 Nov 2026" in row and "4 working days ago" in row
    assert f'href="/my-work/overdue/?worker={worker_with_work.pk}"' in table
    assert 'href="/my-work/overdue/?worker=nobody"' in table
    theirs = client.get(f"/my-work/overdue/?worker={worker_with_work.pk}").content.decode()
    assert "2 overdue" in theirs and f"{worker_with_work.full_name}'s work in the teams you manage" in theirs
    nobody = client.get("/my-work/overdue/?worker=nobody").content.decode()
    assert "1 overdue" in nobody and "Ben Bell" in nobody


def test_a_manager_with_nothing_overdue_is_told_so(client, people):
    client.force_login(people[Role.TEAM_MANAGER])
    assert "Nothing in your teams is overdue." in client.get("/").content.decode()


def test_another_authoritys_worker_or_a_non_manager_asking_for_a_worker_is_404(client, people, worker_with_work):
    york = Authority.objects.get(slug="york")
    outsider = staff(Role.SOCIAL_WORKER, authority=york)
    client.force_login(people[Role.TEAM_MANAGER])
    for worker in (outsider.pk, "abc", "99999999999999999999"):
        assert client.get(f"/my-work/overdue/?worker={worker}").status_code == 404
    # A manager of another team sees nothing of this team's work, even naming its worker.
    elsewhere = staff(Role.TEAM_MANAGER, team=TeamFactory(authority=people["team"].authority))
    client.force_login(elsewhere)
    assert "Nothing is overdue." in client.get(f"/my-work/overdue/?worker={worker_with_work.pk}").content.decode()
    client.force_login(worker_with_work)
    assert client.get(f"/my-work/overdue/?worker={worker_with_work.pk}").status_code == 404
    client.force_login(outsider)
    assert "Nothing is overdue." in client.get("/my-work/overdue/").content.decode()


def test_a_restricted_child_is_neither_counted_nor_listed_for_someone_not_named(client, people, worker_with_work):
    child = Case.objects.get(child__first_name="Amy").child
    child.restricted = True
    child.save()
    client.force_login(worker_with_work)  # not named on the record
    assert counts_in(client.get("/").content.decode())["overdue"] == "1"
    assert "Amy Archer" not in client.get("/my-work/overdue/").content.decode()
    child.restricted_to.add(worker_with_work)
    assert counts_in(client.get("/").content.decode())["overdue"] == "2"


@pytest.mark.parametrize("role", list(Role))
def test_every_role_opens_each_list(client, people, role):
    client.force_login(people[role])
    for path in ("/my-work/overdue/", "/my-work/due-today/", "/my-work/due-soon/"):
        assert client.get(path).status_code == 200, path
    named = client.get(f"/my-work/overdue/?worker={people[Role.SOCIAL_WORKER].pk}").status_code
    assert named == (200 if role == Role.TEAM_MANAGER else 404)


def test_a_list_is_paginated(client, people):
    worker, team = people[Role.SOCIAL_WORKER], people["team"]
    child = child_in(team, worker)
    for hours in range(30):
        deadline(child, due_at=end_of(19) - timedelta(hours=hours), assignee=worker, team=team)
    client.force_login(worker)
    first = client.get("/my-work/overdue/").content.decode()
    assert "30 overdue" in first and "Page 1 of 2" in first
    assert "Page 2 of 2" in client.get("/my-work/overdue/?page=2").content.decode()


@pytest.mark.parametrize("size", [1, 12])
def test_my_work_and_the_lists_have_bounded_queries(client, people, django_assert_max_num_queries, size):
    worker, manager, team = people[Role.SOCIAL_WORKER], people[Role.TEAM_MANAGER], people["team"]
    for n in range(size):
        other = staff(Role.SOCIAL_WORKER, team=team)
        child = child_in(team, other if n % 2 else worker)
        deadline(child, due_at=end_of(19), assignee=other if n % 2 else worker, team=team)
        deadline(child, due_at=end_of(24), assignee=None, team=team)
    # My work: 19 (its panels, the caseload, the authority, its calendar, the counts, and for a
    # manager the team by worker); a list: 14 at most.
    for user, paths in (
        (worker, ["/", "/my-work/overdue/", "/my-work/due-soon/"]),
        (manager, ["/", "/my-work/overdue/", f"/my-work/overdue/?worker={worker.pk}", "/team/"]),
    ):  # fmt: skip
        client.force_login(user)
        for path in paths:
            client.get(path)  # warm (content types), as a running server is
            with django_assert_max_num_queries(19 if path == "/" else 14):
                assert client.get(path).status_code == 200, path


def test_my_caseload_shows_each_childs_soonest_open_deadline_and_how_many_are_overdue(client, worker_with_work):
    """Amy: overdue Mon 16 (her soonest), due tonight and Fri 27, one met that counts nowhere; Ben:
    two overdue on Thu 19 (one the team's, held by nobody), then Mon 23 and Mon 30."""
    client.force_login(worker_with_work)
    body = client.get("/").content.decode().split('id="caseload"')[1]
    amy, ben = body.split("Amy Archer</a>")[1].split("</tr>")[0], body.split("Ben Bell</a>")[1].split("</tr>")[0]
    assert "<strong>Due Mon 16 Nov 2026</strong>" in amy and 'govuk-tag--red">1</strong>' in amy
    assert "<strong>Due Thu 19 Nov 2026</strong>" in ben and 'govuk-tag--red">2</strong>' in ben


def test_the_team_caseloads_count_each_childs_overdue_deadlines_and_each_workers(client, people, worker_with_work):
    """Amy: one overdue (Mon 16), one due tonight, one met; Ben: two overdue on Thu 19 (one the
    team's, held by nobody)."""
    client.force_login(people[Role.TEAM_MANAGER])
    body = client.get("/team/").content.decode()
    row = body.split("Caseloads")[1].split(worker_with_work.full_name)[1].split("</tr>")[0]
    assert "Amy Archer</a> <strong" in row and "1 overdue" in row.split("Amy Archer")[1].split("</li>")[0]
    assert "2 overdue" in row.split("Ben Bell")[1].split("</li>")[0]
    assert row.rstrip().endswith(">3</td>")  # the worker's overdue in all


# --- Referral decisions ----------------------------------------------------------------------------


def referral(people, *, received_at, child_protection=False, **names) -> Referral:
    child = ChildFactory(authority=people["team"].authority, **names)
    return referral_record(recorded_by=people[Role.BUSINESS_SUPPORT], child=child, team=people["team"],
                           **referral_fields(received_at=received_at, child_protection=child_protection))  # fmt: skip


def test_the_referral_queue_puts_child_protection_first_and_flags_the_overdue(client, people):
    """Leeds decides within one working day: a referral received Mon 26 Oct was due by the end of
    Tue 27 Oct, so it has been overdue every working day from Wed 28 Oct to Fri 20 Nov: 18."""
    old = referral(people, received_at=datetime(2026, 10, 26, 10, tzinfo=LONDON), first_name="Olga", last_name="Old")
    new = referral(people, received_at=datetime(2026, 11, 20, 9, tzinfo=LONDON), first_name="Nina", last_name="New")
    urgent = referral(people, received_at=datetime(2026, 11, 20, 11, tzinfo=LONDON), child_protection=True,
                      first_name="Carl", last_name="Urgent")  # fmt: skip
    client.force_login(people[Role.TEAM_MANAGER])
    body = client.get("/team/").content.decode()
    table = body.split('id="referrals"')[1].split("</table>")[0]
    assert table.index("Carl Urgent") < table.index("Olga Old") < table.index("Nina New")
    rows = {name: table.split(name)[1].split("</tr>")[0] for name in ("Carl Urgent", "Olga Old", "Nina New")}
    assert "Tue 27 Oct 2026" in rows["Olga Old"] and "Overdue by 18 working days" in rows["Olga Old"]
    assert "Mon 23 Nov 2026" in rows["Nina New"] and "Overdue" not in rows["Nina New"]
    assert "Child protection" in rows["Carl Urgent"]
    assert "Referrals awaiting your decision (3)" in body
    assert {old.pk, new.pk, urgent.pk} == set(Referral.objects.filter(decision="").values_list("pk", flat=True))


def test_the_decide_page_shows_decide_by_and_links_to_the_child_and_earlier_referrals(client, people):
    first = referral(people, received_at=datetime(2026, 9, 1, 10, tzinfo=LONDON), first_name="Rae", last_name="Roe")
    from cases.services.children import referral_decide

    referral_decide(referral=first, decided_by=people[Role.TEAM_MANAGER], decision="advice", rationale="Advice given")
    again = referral_record(recorded_by=people[Role.BUSINESS_SUPPORT], child=first.child, team=people["team"],
                            **referral_fields(received_at=datetime(2026, 11, 2, 10, tzinfo=LONDON)))  # fmt: skip
    client.force_login(people[Role.TEAM_MANAGER])
    body = client.get(f"/referrals/{again.pk}/decide/").content.decode()
    decide_by = body.split('id="decide-by"')[1].split("</dd>")[0]
    assert "Tue 3 Nov 2026" in decide_by and "Overdue by 13 working days" in decide_by
    assert f'href="/children/{first.child_id}/"' in body
    earlier = body.split('id="earlier-referrals"')[1].split("</table>")[0]
    assert "Tue 1 Sep 2026" in earlier and "Information and advice" in earlier


@pytest.mark.parametrize("role", list(Role))
def test_the_decide_and_allocate_pages_per_role(client, people, role):
    waiting = referral(people, received_at=datetime(2026, 11, 20, 9, tzinfo=LONDON))
    unallocated = Case.objects.create(authority=people["team"].authority, child=waiting.child, team=people["team"])
    client.force_login(people[role])
    expected = 200 if role == Role.TEAM_MANAGER else 403 if role in SEES_CHILDREN else 404
    assert client.get(f"/referrals/{waiting.pk}/decide/").status_code == expected
    assert client.get(f"/cases/{unallocated.pk}/allocate/").status_code == expected
    assert client.get("/team/").status_code == (200 if role == Role.TEAM_MANAGER else 403)


def test_another_authoritys_referral_and_case_are_not_found(client, people):
    york = Authority.objects.get(slug="york")
    york_people = {role: staff(role, authority=york) for role in Role} | {"team": TeamFactory(authority=york)}
    staff(Role.SOCIAL_WORKER, team=york_people["team"])
    york_people[Role.SOCIAL_WORKER] = staff(Role.SOCIAL_WORKER, team=york_people["team"])
    york_people[Role.TEAM_MANAGER] = staff(Role.TEAM_MANAGER, team=york_people["team"])
    child = allocate_new_child(york_people, york)
    client.force_login(people[Role.TEAM_MANAGER])
    assert client.get(f"/referrals/{child.referrals.get().pk}/decide/").status_code == 404
    assert client.get(f"/cases/{child.cases.get().pk}/allocate/").status_code == 404


# --- Allocation ----------------------------------------------------------------------------------


def test_an_overdue_allocation_is_flagged_in_the_queue(client, timescales_loaded):
    """York allocates within 24 hours of accepting a referral: one accepted on Wed 18 Nov at 10:00
    was due Thu 19 Nov at 10:00."""
    from cases.services.children import referral_decide

    york = Authority.objects.get(slug="york")
    team = TeamFactory(authority=york)
    people = {role: staff(role, team=team) for role in Role} | {"team": team}
    waiting = referral(people, received_at=datetime(2026, 11, 18, 9, tzinfo=LONDON), first_name="Al", last_name="Late")
    referral_decide(referral=waiting, decided_by=people[Role.TEAM_MANAGER], decision="assessment", rationale="Yes",
                    decided_at=datetime(2026, 11, 18, 10, tzinfo=LONDON))  # fmt: skip
    client.force_login(people[Role.TEAM_MANAGER])
    body = client.get("/team/").content.decode()
    row = body.split('id="unallocated"')[1].split("Al Late")[1].split("</tr>")[0]
    assert "Thu 19 Nov 2026 at 10:00" in row and "Overdue by 1 working day" in row
    case = Case.objects.get(referral=waiting)
    allocate = client.get(f"/cases/{case.pk}/allocate/").content.decode()
    assert "Allocate by Thu 19 Nov 2026 at 10:00" in allocate and "Overdue by 1 working day" in allocate


def test_the_allocation_choice_shows_each_workers_caseload_and_overdue_count(client, people, case):
    busy, free, team = people[Role.SOCIAL_WORKER], staff(Role.SOCIAL_WORKER, team=people["team"]), people["team"]
    child_in(team, busy)
    late = child_in(team, busy)
    deadline(late, due_at=end_of(19), assignee=busy, team=team)
    deadline(late, due_at=end_of(18), assignee=busy, team=team)
    waiting = Case.objects.create(authority=team.authority, child=ChildFactory(authority=team.authority), team=team)
    client.force_login(people[Role.TEAM_MANAGER])
    body = client.get(f"/cases/{waiting.pk}/allocate/").content.decode()
    items = {pk: body.split(f'value="{pk}"')[1].split("</div>\n  </div>")[0] for pk in (busy.pk, free.pk)}
    assert "3 open cases, 2 overdue" in items[busy.pk] and "0 open cases, 0 overdue" in items[free.pk]
    assert 'aria-describedby="id_worker_' in items[free.pk] and "govuk-radios__hint" in items[free.pk]
    response = client.post(f"/cases/{waiting.pk}/allocate/", {"worker": free.pk})
    assert response.status_code == 302 and Case.objects.get(pk=waiting.pk).worker == free


@pytest.mark.parametrize("workers", [1, 10])
def test_the_allocation_choice_costs_the_same_queries_however_many_workers(client, people, workers,
                                                                           django_assert_max_num_queries):
    team = people["team"]
    for _ in range(workers):
        worker = staff(Role.SOCIAL_WORKER, team=team)
        deadline(child_in(team, worker), due_at=end_of(19), assignee=worker, team=team)
    waiting = Case.objects.create(authority=team.authority, child=ChildFactory(authority=team.authority), team=team)
    client.force_login(people[Role.TEAM_MANAGER])
    client.get(f"/cases/{waiting.pk}/allocate/")
    with django_assert_max_num_queries(13):
        assert client.get(f"/cases/{waiting.pk}/allocate/").status_code == 200


# --- The auditor ---------------------------------------------------------------------------------


def test_the_auditors_my_work_lists_their_assigned_audits(client, people, case):
    from audits.models import Audit
    from tests.audits.helpers import started

    auditor = people[Role.QA_AUDITOR]
    audit = started(people, case)
    client.force_login(auditor)
    body = client.get("/").content.decode()
    assert "Audits assigned to you" in body and f'href="/audits/{audit.pk}/"' in body
    assert "Zoë Brontë" in body.split("Audits assigned to you")[1]
    Audit.objects.filter(pk=audit.pk).update(status=Audit.Status.COMPLETE)
    assert "Audits assigned to you" not in client.get("/").content.decode()
    client.force_login(people[Role.SOCIAL_WORKER])
    assert "Audits assigned to you" not in client.get("/").content.decode()


# --- Search --------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", sorted(SEES_CHILDREN))
def test_a_search_that_finds_nobody_says_so_with_tips(client, people, allocated, role):
    client.force_login(people[role])
    body = client.get("/children/?q=Nobody+Byname").content.decode()
    tips = body.split('id="no-results"')[1].split("</div>")[0]
    assert "No children found" in tips and "checking the spelling" in tips and "date of birth" in tips
    assert ('href="/children/new/"' in tips) == (role in RECORDS_REFERRALS)
    assert 'id="no-results"' not in client.get("/children/").content.decode()  # nothing asked yet
    found = client.get("/children/?q=Bront").content.decode()
    assert 'id="no-results"' not in found and "Zoë Brontë" in found


def test_search_is_not_for_the_authority_admin(client, people):
    client.force_login(people[Role.AUTHORITY_ADMIN])
    assert client.get("/children/?q=Nobody").status_code == 403

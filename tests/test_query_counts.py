"""The slow pages of a large authority (issue 24) ask the database the same number of questions
whatever the data's size: the child's overview, visits and plans tabs with many open deadlines
(each for a different person), Visits due for each role, the audits index and a programme with
many audits, My work, the Team page and a search by date of birth that finds many children."""

from datetime import date, timedelta

import pytest

from audits.services import audit_assign, programme_create
from cases.models import Deadline
from cases.roles import Role
from tests.audits.helpers import due_in, load_templates
from tests.factories import allocate_new_child, staff
from tests.queries import page_query_counts
from tests.support import on_plan
from visits.schedule import VISIT_KEYS

pytestmark = pytest.mark.django_db

BORN_ON = date(2015, 6, 1)


def more_deadlines(people, case, count: int) -> None:
    """Open visit deadlines on the child, each held by a different worker, as on a long-running
    case whose work has been shared out."""
    first = Deadline.objects.filter(case=case, status=Deadline.Status.OPEN).order_by("pk").first()
    keys = sorted(VISIT_KEYS)
    for index in range(count):
        copy = Deadline.objects.get(pk=first.pk)
        copy.pk = None
        copy.key = keys[index % len(keys)]
        copy.due_at = first.due_at + timedelta(days=index - count // 2)
        copy.assignee = staff(Role.SOCIAL_WORKER, authority=case.authority, team=people["team"])
        copy.save()


def more_children(people, leeds, programme, count: int) -> None:
    """Children born on the same day, each on a plan (so with visits due) and in the audit programme."""
    for index in range(count):
        other = allocate_new_child(people, leeds, first_name=f"Child{index}", date_of_birth=BORN_ON).cases.get()
        on_plan(people, other)
        audit_assign(assigned_by=people[Role.QA_AUDITOR], case=other, auditor=people[Role.QA_AUDITOR],
                     programme=programme)  # fmt: skip


def test_the_pages_of_a_large_authority_have_the_same_query_count_at_two_sizes(
        client, people, leeds, case, django_assert_max_num_queries):  # fmt: skip
    load_templates("leeds")
    on_plan(people, case)
    programme = programme_create(created_by=people[Role.QA_AUDITOR], month=due_in(0))
    child = case.child_id
    pages = {
        Role.SOCIAL_WORKER: [f"/children/{child}/", f"/children/{child}/visits/", f"/children/{child}/plans/", "/",
                             "/visits/due/", "/children/?born_on-day=1&born_on-month=6&born_on-year=2015"],
        Role.TEAM_MANAGER: ["/", "/team/", "/visits/due/"],
        Role.SERVICE_MANAGER: ["/visits/due/"],
        Role.QA_AUDITOR: ["/audits/", f"/audits/programmes/{programme.pk}/"],
    }  # fmt: skip

    def counts() -> dict:
        found = {}
        for role, paths in pages.items():
            client.force_login(people[role])
            found |= {(role, path): count for path, count in
                      page_query_counts(client, paths, django_assert_max_num_queries).items()}  # fmt: skip
        return found

    more_deadlines(people, case, 2)
    more_children(people, leeds, programme, 2)
    small = counts()
    more_deadlines(people, case, 10)
    more_children(people, leeds, programme, 10)
    assert counts() == small


def test_drawing_an_audit_sample_asks_the_same_number_of_questions_whatever_the_open_cases(
        client, people, leeds, django_assert_max_num_queries):  # fmt: skip
    load_templates("leeds")
    auditor = people[Role.QA_AUDITOR]
    programme = programme_create(created_by=auditor, month=due_in(0))
    client.force_login(auditor)

    path = f"/audits/programmes/{programme.pk}/sample/"

    def draw(size: int = 3) -> int:
        with django_assert_max_num_queries(30) as captured:
            response = client.post(path, {"size": str(size), "auditors": [auditor.pk]})
        assert response.status_code == 302
        return len(captured)

    for index in range(8):
        allocate_new_child(people, leeds, first_name=f"Child{index}")
    draw()  # warm the per-process caches (content types, policies)
    small = draw()
    for index in range(12):
        allocate_new_child(people, leeds, first_name=f"Later{index}")
    assert draw() == small
    # The drawn audits are checked once and written together: five cost what one does.
    assert draw(size=5) == draw(size=1) == small

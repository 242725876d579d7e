""""Download the record": the child's whole record as one PDF, for everyone who may see the child
(404 for everyone else), written to the access log, marked OFFICIAL-SENSITIVE on every page with
page numbers, and gathering each app's part (statuses, visits, assessments, plans, notes and the
chronology) in a number of queries that does not grow with the record."""

import io
from datetime import timedelta

import pytest
from django.db import transaction
from pypdf import PdfReader

from assessments.services.assessments import assessment_save, assessment_start
from cases.models import Authority, CaseNote
from cases.roles import Role
from cases.services.records import case_note_add
from planning.services.plans import plan_create
from tests.clock import DEFAULT
from tests.factories import ChildFactory, staff
from tests.support import SEES_CHILDREN
from visits.services import visit_record, visit_save, visit_start

pytestmark = pytest.mark.django_db


def pages_of(response) -> list[str]:
    assert response["Content-Type"] == "application/pdf"
    return [page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages]


def add_to_the_record(people, case, n=1, assessment_and_plan=True):
    worker = people[Role.SOCIAL_WORKER]
    for i in range(n):
        visit = visit_start(case=case, recorded_by=worker, kind="cin", visited_at=DEFAULT - timedelta(minutes=i + 1))
        visit = visit_save(visit=visit, saved_by=worker, version=visit.version, place="school", announced=True,
                           child_seen=True, seen_alone=True, child_views=f"I like my new school ({i}).",
                           observations="Calm", analysis="Settled.")  # fmt: skip
        visit_record(visit=visit, recorded_by=worker)
        case_note_add(case=case, author=worker, kind=CaseNote.Kind.PHONE_CALL, event_at=DEFAULT - timedelta(minutes=i),
                      title=f"Call with school {i}", text="Attendance is up.")  # fmt: skip
    if not assessment_and_plan:
        return
    started = assessment_start(case=case, started_by=worker)
    assessment_save(assessment=started, saved_by=worker, version=started.version, analysis="Needs are being met.")
    with transaction.atomic():
        plan_create(case=case, kind="cin", started_on=DEFAULT.date(), written_by=worker,
                    outcomes="Attends school every day.")  # fmt: skip


@pytest.mark.parametrize("role", list(Role))
def test_the_record_downloads_for_every_role_that_sees_the_child(client, people, allocated, role):
    client.force_login(people[role])
    response = client.get(f"/children/{allocated.pk}/record.pdf")
    assert response.status_code == (200 if role in SEES_CHILDREN else 404)
    if response.status_code == 200:
        assert people[role].access_log.filter(path=f"/children/{allocated.pk}/record.pdf").exists()
        assert f'filename="record-{allocated.reference}-' in response["Content-Disposition"]


def test_the_record_gathers_every_part_marked_and_numbered_on_each_page(client, people, allocated, case):
    add_to_the_record(people, case, n=12)
    client.force_login(people[Role.TEAM_MANAGER])
    pages = pages_of(client.get(f"/children/{allocated.pk}/record.pdf"))
    text = " ".join(" ".join(pages).split())  # the words, whatever the line breaks in the table cells
    assert len(pages) > 1
    for number, page in enumerate(pages, start=1):
        assert page.count("OFFICIAL-SENSITIVE") >= 2, number  # the header and the footer
        assert f"Page {number} of {len(pages)}" in page
    for heading in ("The record of Zoë Brontë", "Summary", "Involvement and legal status", "Who has held the case",
                    "Assessments", "Visits", "Plans", "Case notes", "Chronology"):  # fmt: skip
        assert heading in text, heading
    assert "I like my new school (11)." in text and "Needs are being met." in text
    assert "Attends school every day." in text and "Call with school 11" in text


def test_the_record_is_404_for_another_authority_and_for_a_restricted_child(client, people, allocated):
    york_child = ChildFactory(authority=Authority.objects.get(slug="york"))
    client.force_login(people[Role.SERVICE_MANAGER])
    assert client.get(f"/children/{york_child.pk}/record.pdf").status_code == 404
    allocated.restricted = True
    allocated.save()
    allocated.restricted_to.add(people[Role.SOCIAL_WORKER])
    assert client.get(f"/children/{allocated.pk}/record.pdf").status_code == 404
    client.force_login(people[Role.SOCIAL_WORKER])
    assert client.get(f"/children/{allocated.pk}/record.pdf").status_code == 200


def test_the_record_takes_the_same_queries_however_long_it_is(client, people, allocated, case,
                                                              django_assert_max_num_queries):  # fmt: skip
    client.force_login(people[Role.SOCIAL_WORKER])
    add_to_the_record(people, case, n=1)
    with django_assert_max_num_queries(30) as small:
        client.get(f"/children/{allocated.pk}/record.pdf")
    add_to_the_record(people, case, n=15, assessment_and_plan=False)
    with django_assert_max_num_queries(len(small)):
        client.get(f"/children/{allocated.pk}/record.pdf")


def test_a_colleague_from_elsewhere_in_the_authority_with_no_role_gets_404(client, allocated, leeds):
    client.force_login(staff(Role.AUTHORITY_ADMIN, authority=leeds))
    assert client.get(f"/children/{allocated.pk}/record.pdf").status_code == 404

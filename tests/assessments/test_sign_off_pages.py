"""The sign-off queue with its times, a manager's own work (never their Approve button, never in
their queue, the page saying who will approve it, and a refused action keeping what was typed), and
the assessment page in GOV.UK's order. At the tests' instant, Fri 20 Nov 2026 17:30."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from assessments.digest import awaiting_sign_off as awaiting_in_digest
from assessments.models.assessments import Assessment
from assessments.selectors.assessments import assessments_awaiting_sign_off, writers_of
from assessments.services.assessments import (
    assessment_return,
    assessment_save,
    assessment_start,
    assessment_submit,
)
from cases.models import Deadline
from cases.roles import Role
from tests.factories import ASSESSMENT_SECTIONS, allocate_new_child, staff
from tests.support import SEES_CHILDREN

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
WRITTEN = ASSESSMENT_SECTIONS | {"outcome": "cin", "factors": ["4B"]}


def submitted_by(person, case) -> Assessment:
    assessment = assessment_start(case=case, started_by=person)
    assessment = assessment_save(assessment=assessment, saved_by=person, version=assessment.version, **WRITTEN)
    return assessment_submit(assessment=assessment, submitted_by=person)


def due(assessment, day: int, month: int = 11) -> None:
    Deadline.objects.filter(subject_id=assessment.pk, key="assessment_completion", status="open").update(
        due_at=datetime(2026, month, day, 23, 59, 59, tzinfo=LONDON))


def test_the_queue_shows_submitted_and_due_dates_soonest_first_with_an_overdue_tag(client, people, case, leeds):
    later = submitted_by(people[Role.SOCIAL_WORKER], case)
    late = submitted_by(people[Role.SOCIAL_WORKER], allocate_new_child(people, leeds, first_name="Lou").cases.get())
    due(late, 17)  # Tue 17 Nov: overdue on Wed, Thu and Fri
    client.force_login(people[Role.TEAM_MANAGER])
    body = client.get("/assessments/awaiting-sign-off/").content.decode()
    table = body.split('id="awaiting"')[1]
    assert table.index(late.child.full_name) < table.index(later.child.full_name)
    row = table.split(late.child.full_name)[1].split("</tr>")[0]
    assert 'data-label="Submitted">Fri 20 Nov 2026' in row and "Tue 17 Nov 2026" in row
    assert "Overdue by 3 working days" in row
    other = table.split(later.child.full_name)[1].split("</tr>")[0]
    assert "Overdue" not in other and "2027" in other  # Leeds: 45 working days from the referral
    my_work = client.get("/").content.decode()
    assert "submitted Fri 20 Nov, due Tue 17 Nov (overdue)" in my_work


def test_a_manager_never_sees_their_own_work_to_approve_and_is_told_who_will(client, people, case):
    manager, service_manager = people[Role.TEAM_MANAGER], people[Role.SERVICE_MANAGER]
    own = submitted_by(manager, case)
    assert own not in assessments_awaiting_sign_off(manager)
    client.force_login(manager)
    assert own.child.full_name not in client.get("/assessments/awaiting-sign-off/").content.decode()
    assert "Awaiting your sign-off" not in client.get("/").content.decode()
    page = client.get(f"/assessments/{own.pk}/").content.decode()
    assert 'value="approve"' not in page and 'value="return"' not in page
    who = page.split('id="who-approves"')[1].split("</div>")[0]
    assert "You wrote or submitted this assessment" in who
    assert f"It will be signed off by a service manager ({service_manager.full_name})" in who
    # Another manager of the team may, and is named too.
    colleague = staff(Role.TEAM_MANAGER, team=people["team"])
    client.force_login(colleague)
    assert own in assessments_awaiting_sign_off(colleague)
    page = client.get(f"/assessments/{own.pk}/").content.decode()
    assert 'value="approve"' in page
    assert f"It will be signed off by you (manager of {people['team'].name}) or a service manager" in page
    client.force_login(people[Role.SOCIAL_WORKER])
    page = client.get(f"/assessments/{own.pk}/").content.decode()
    assert f"{colleague.full_name} (manager of {people['team'].name}) or a service manager" in page


@pytest.mark.parametrize("decision", ["approve", "return"])
def test_a_refused_decision_keeps_the_text_and_says_why_at_the_top(client, people, case, decision):
    manager = people[Role.TEAM_MANAGER]
    own = submitted_by(manager, case)
    client.force_login(manager)
    typed = {"approve": {"view": "Agreed: the plan is sound, and Zoë's voice is clear."},
             "return": {"reasons": "Say more about school: I asked the head teacher."}}[decision]  # fmt: skip
    response = client.post(f"/assessments/{own.pk}/decide/", {"decision": decision, **typed})
    body = response.content.decode()
    assert response.status_code == 403
    assert body.index("govuk-error-summary") < body.index("Child and family assessment")
    assert "You cannot sign off this assessment because you wrote or submitted it." in body
    assert f"a service manager ({people[Role.SERVICE_MANAGER].full_name})" in body
    kept = body.split('id="kept-text"')[1]
    assert next(iter(typed.values())).replace("'", "&#x27;") in kept
    assert 'value="approve"' not in body
    assert Assessment.objects.get(pk=own.pk).status == "submitted"


def test_a_role_that_may_not_sign_off_keeps_its_text_too(client, people, case):
    assessment = submitted_by(people[Role.SOCIAL_WORKER], case)
    client.force_login(people[Role.QA_AUDITOR])
    response = client.post(f"/assessments/{assessment.pk}/decide/", {"decision": "approve", "view": "Looks fine"})
    body = response.content.decode()
    assert response.status_code == 403 and "Your role does not allow you to sign off this assessment." in body
    assert "Looks fine</textarea>" in body


@pytest.mark.parametrize("role", list(Role))
def test_who_sees_the_sign_off_buttons(client, people, case, role):
    assessment = submitted_by(people[Role.SOCIAL_WORKER], case)
    client.force_login(people[role])
    response = client.get(f"/assessments/{assessment.pk}/")
    assert response.status_code == (200 if role in SEES_CHILDREN else 404)
    if response.status_code == 200:
        body = response.content.decode()
        assert ('value="approve"' in body) == (role in (Role.TEAM_MANAGER, Role.SERVICE_MANAGER))
        assert 'id="who-approves"' in body


def test_return_comes_before_approve_and_is_the_primary_action(client, people, case):
    assessment = submitted_by(people[Role.SOCIAL_WORKER], case)
    client.force_login(people[Role.TEAM_MANAGER])
    body = client.get(f"/assessments/{assessment.pk}/").content.decode()
    sign_off = body.split('id="sign-off"')[1]
    assert sign_off.index('value="return"') < sign_off.index('value="approve"')
    assert 'value="return" class="govuk-button"' in sign_off
    assert 'value="approve" class="govuk-button govuk-button--secondary"' in sign_off


def test_why_it_was_late_is_asked_only_when_it_is_late(client, people, case):
    assessment = submitted_by(people[Role.SOCIAL_WORKER], case)
    client.force_login(people[Role.TEAM_MANAGER])
    assert "Why it was completed late" not in client.get(f"/assessments/{assessment.pk}/").content.decode()
    due(assessment, 19)
    page = client.get(f"/assessments/{assessment.pk}/").content.decode()
    assert "Why it was completed late" in page and "It was due Thu 19 Nov 2026" in page
    refused = client.post(f"/assessments/{assessment.pk}/decide/", {"decision": "approve", "view": "Agreed"})
    body = refused.content.decode()
    summary = body.split("govuk-error-summary__list")[1].split("</ul>")[0]
    assert refused.status_code == 200 and 'href="#id_lateness_reason"' in summary
    assert body.index("govuk-error-summary") < body.index("Child and family assessment")
    assert "Agreed</textarea>" in body
    approved = client.post(f"/assessments/{assessment.pk}/decide/", {"decision": "approve", "view": "Agreed",
                                                                     "lateness_reason": "Staff sickness"})  # fmt: skip
    assert approved.status_code == 302 and Assessment.objects.get(pk=assessment.pk).lateness_reason == "Staff sickness"


def test_an_assessment_with_a_section_not_written_cannot_be_submitted(client, people, case):
    worker = people[Role.SOCIAL_WORKER]
    assessment = assessment_start(case=case, started_by=worker)
    client.force_login(worker)
    data = {"version": assessment.version, "submit": "1", "outcome": "cin", "factors": ["4B"],
            **(ASSESSMENT_SECTIONS | {"risks": "  "})}  # fmt: skip
    body = client.post(f"/assessments/{assessment.pk}/edit/", data).content.decode()
    summary = body.split("govuk-error-summary__list")[1].split("</ul>")[0]
    assert '<a href="#id_risks">Enter the risks</a>' in summary and summary.count("<li>") == 1
    assessment.refresh_from_db()
    assert assessment.status == "draft" and assessment.protective_factors == "Written."
    client.force_login(people[Role.SOCIAL_WORKER])
    page = client.get(f"/assessments/{assessment.pk}/").content.decode()
    assert "Not written yet" in page.split(">Risks<")[1].split("</p>")[0]


def test_the_queue_leaves_out_exactly_whom_the_service_would_refuse(people, case, leeds):
    """The queue's SQL test of who wrote an assessment agrees with the service's: a manager who
    saved a line is a writer; a manager who only returned it is not."""
    manager, worker = people[Role.TEAM_MANAGER], people[Role.SOCIAL_WORKER]
    helped = assessment_start(case=case, started_by=worker)
    helped = assessment_save(assessment=helped, saved_by=manager, version=helped.version, risks="Manager's line")
    helped = assessment_save(assessment=helped, saved_by=worker, version=helped.version, **WRITTEN)
    assessment_submit(assessment=helped, submitted_by=worker)
    returned = submitted_by(worker, allocate_new_child(people, leeds).cases.get())
    assessment_return(assessment=returned, manager=manager, reasons="More, please")
    returned.refresh_from_db()
    assessment_submit(assessment=returned, submitted_by=worker)
    queue = set(assessments_awaiting_sign_off(manager))
    for assessment in (helped, returned):
        assert (assessment in queue) == (manager.pk not in writers_of(assessment))
    assert queue == {returned}
    # The morning digest names the same work as waiting for this manager, and no other.
    waiting = {item.path for item in awaiting_in_digest([manager], leeds) if item.user_id == manager.pk}
    assert waiting == {f"/assessments/{returned.pk}/"}


@pytest.mark.parametrize("size", [1, 8])
def test_the_assessment_page_costs_the_same_queries_however_many_managers(client, people, case, size,
                                                                          django_assert_max_num_queries):
    assessment = submitted_by(people[Role.TEAM_MANAGER], case)
    for _ in range(size):
        staff(Role.SERVICE_MANAGER, authority=case.authority)
        staff(Role.TEAM_MANAGER, team=people["team"])
    client.force_login(people[Role.TEAM_MANAGER])
    client.get(f"/assessments/{assessment.pk}/")
    # Who may approve it is one query however many managers there are.
    with django_assert_max_num_queries(15):
        assert client.get(f"/assessments/{assessment.pk}/").status_code == 200
    with django_assert_max_num_queries(16):
        refused = client.post(f"/assessments/{assessment.pk}/decide/", {"decision": "approve", "view": "x"})
        assert refused.status_code == 403

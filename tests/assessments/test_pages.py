"""Assessment pages for every role: writing, drafts saved by hand and automatically, concurrent
edits, sign-off, the queue, My work and the PDF."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.utils import timezone
from pypdf import PdfReader

from assessments.models.assessments import Assessment
from assessments.services.assessments import assessment_save, assessment_start, assessment_submit
from cases.models import Authority, Deadline
from cases.roles import Role
from tests.factories import ASSESSMENT_SECTIONS, TeamFactory, allocate_new_child, staff
from tests.support import SEES_CHILDREN

pytestmark = pytest.mark.django_db

WRITTEN = ASSESSMENT_SECTIONS | {"child_views": "School is good. I miss my nan.", "analysis": "Mother copes well "
                                 "with support from her sister; the risk at home is low.", "outcome": "cin",
                                 "factors": ["4B"]}  # fmt: skip


def draft(people, case, **content):
    assessment = assessment_start(case=case, started_by=people[Role.SOCIAL_WORKER])
    return assessment_save(assessment=assessment, saved_by=people[Role.SOCIAL_WORKER], version=assessment.version,
                           **(WRITTEN | content))  # fmt: skip


def submitted(people, case):
    assessment = draft(people, case)
    return assessment_submit(assessment=assessment, submitted_by=people[Role.SOCIAL_WORKER])


def form_post(assessment, **fields):
    data = {"version": assessment.version, "outcome": assessment.outcome, "factors": assessment.factors, **{
        name: getattr(assessment, name) for name in ASSESSMENT_SECTIONS}}
    return data | fields


@pytest.mark.parametrize("role", list(Role))
def test_every_assessment_page_for_every_role(client, people, case, role):
    assessment = submitted(people, case)
    client.force_login(people[role])
    sees = role in SEES_CHILDREN
    manages = role in (Role.TEAM_MANAGER, Role.SERVICE_MANAGER)
    writes = manages or role == Role.SOCIAL_WORKER
    expected = {
        f"/children/{case.child_id}/assessments/": 200 if sees else 404,
        f"/assessments/{assessment.pk}/": 200 if sees else 404,
        f"/assessments/{assessment.pk}/edit/": 403 if sees else 404,  # submitted: no one edits it now
        # One is already in progress: those who may start one are taken to it.
        f"/cases/{case.pk}/assessments/new/": 302 if writes else 403 if sees else 404,
        "/assessments/awaiting-sign-off/": 200 if manages else 403,
        f"/assessments/{assessment.pk}/track/": 200 if manages else 403 if sees else 404,
    }
    assert {path: client.get(path).status_code for path in expected} == expected


def test_another_authoritys_assessment_is_not_found(client, people, case):
    assessment = submitted(people, case)
    client.force_login(staff(Role.SERVICE_MANAGER, authority=Authority.objects.get(slug="york")))
    for path in (f"/assessments/{assessment.pk}/", f"/assessments/{assessment.pk}.pdf"):
        assert client.get(path).status_code == 404
    assert client.post(f"/assessments/{assessment.pk}/decide/", {"decision": "approve", "view": "x"}).status_code == 404


def test_the_worker_saves_a_draft_and_a_refused_submission_keeps_the_text(client, people, case):
    worker = people[Role.SOCIAL_WORKER]
    assessment = assessment_start(case=case, started_by=worker)
    client.force_login(worker)
    response = client.post(f"/assessments/{assessment.pk}/edit/", {"version": assessment.version, "submit": "1",
                                                                   "analysis": "Half written analysis"})  # fmt: skip
    body = response.content.decode()
    assert "Enter the child&#x27;s views, in their own words" in body and "Half written analysis" in body
    assessment.refresh_from_db()
    assert assessment.status == "draft" and assessment.analysis == "Half written analysis"


def test_autosave_and_a_second_tab_never_overwrite_each_other(client, people, case):
    worker = people[Role.SOCIAL_WORKER]
    assessment = assessment_start(case=case, started_by=worker)
    client.force_login(worker)
    opened = assessment.version
    first = client.post(f"/assessments/{assessment.pk}/autosave/", {"version": opened, "analysis": "Tab one"})
    assert first.status_code == 200 and first.json()["version"] == opened + 1
    second = client.post(f"/assessments/{assessment.pk}/autosave/", {"version": opened, "analysis": "Tab two"})
    assert second.status_code == 409 and "changing: Analysis" in second.json()["message"]
    page = client.post(f"/assessments/{assessment.pk}/edit/", {"version": opened, "analysis": "Tab two, by hand"})
    html = page.content.decode()
    assert page.status_code == 409 and "changing: Analysis" in html
    assert "Tab two, by hand</textarea>" in html  # the user's text stays in the form
    assert "Tab one" in html.split('id="their-changes"')[1].split("</dl>")[0]  # theirs is shown above it
    assessment.refresh_from_db()
    assert assessment.analysis == "Tab one"
    # Having seen theirs, saving again is deliberate: the form now carries the stored version.
    assert f'name="version" value="{opened + 1}"' in html
    merged = client.post(f"/assessments/{assessment.pk}/edit/", {"version": opened + 1, "analysis": "Tab one. Tab two"})
    assert merged.status_code == 302
    assessment.refresh_from_db()
    assert assessment.analysis == "Tab one. Tab two"


def test_an_autosave_refused_for_bad_dates_is_not_called_a_conflict(client, people, case):
    worker = people[Role.SOCIAL_WORKER]
    assessment = assessment_start(case=case, started_by=worker)
    client.force_login(worker)
    tomorrow = timezone.localdate() + timedelta(days=1)
    answer = client.post(f"/assessments/{assessment.pk}/autosave/", {"version": assessment.version,
                         "child_seen_on_0": tomorrow.day, "child_seen_on_1": tomorrow.month,
                         "child_seen_on_2": tomorrow.year})  # fmt: skip
    assert answer.status_code == 400 and "between the start of the assessment and today" in answer.json()["message"]


def test_sign_off_through_the_pages_and_the_pdf(client, people, case):
    assessment = submitted(people, case)
    worker, manager = people[Role.SOCIAL_WORKER], people[Role.TEAM_MANAGER]
    client.force_login(manager)
    assert assessment.child.full_name in client.get("/").content.decode()  # awaiting sign-off on My work
    refused = client.post(f"/assessments/{assessment.pk}/decide/", {"decision": "return", "reasons": ""})
    assert "Enter what needs to change" in refused.content.decode()
    assert '<a href="#id_reasons">Enter what needs to change' in refused.content.decode()  # in the error summary
    client.post(f"/assessments/{assessment.pk}/decide/", {"decision": "return", "reasons": "Add the father's view"})
    client.force_login(worker)
    my_work = client.get("/").content.decode()
    assert "Returned to you" in my_work and f"/assessments/{assessment.pk}/edit/" in my_work
    assessment.refresh_from_db()
    revised = form_post(assessment, submit="1", parent_views="Father: I want to do better.")
    client.post(f"/assessments/{assessment.pk}/edit/", revised)
    client.force_login(manager)
    client.post(f"/assessments/{assessment.pk}/decide/", {"decision": "approve", "view": "Agree: CIN plan"})
    assessment.refresh_from_db()
    assert assessment.status == "approved"
    assert Deadline.objects.get(subject_id=assessment.pk, key="assessment_completion").status == "met"
    response = client.get(f"/assessments/{assessment.pk}.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    assert "Mother copes well" in text and "Agree: CIN plan" in text and "Leeds" in text


def test_the_queue_and_the_pages_have_bounded_queries(client, people, case, leeds, django_assert_max_num_queries):
    submitted(people, case)
    client.force_login(people[Role.TEAM_MANAGER])
    client.get("/assessments/awaiting-sign-off/")
    for extra in (0, 6):
        for _ in range(extra):
            submitted(people, allocate_new_child(people, leeds).cases.get())
        for path in ("/assessments/awaiting-sign-off/", "/", f"/children/{case.child_id}/assessments/",
                     f"/assessments/{Assessment.objects.first().pk}/"):  # fmt: skip
            with django_assert_max_num_queries(20):
                assert client.get(path).status_code == 200, path


def test_a_manager_of_another_team_cannot_sign_off(client, people, case, leeds):
    assessment = submitted(people, case)
    client.force_login(staff(Role.TEAM_MANAGER, team=TeamFactory(authority=leeds)))
    assert client.post(f"/assessments/{assessment.pk}/decide/", {"decision": "approve", "view": "x"}).status_code == 404
    assert Assessment.objects.get().status == "submitted"


def test_bad_input_on_the_manager_forms_names_the_field_and_changes_nothing(client, people, case):
    assessment = submitted(people, case)
    client.force_login(people[Role.TEAM_MANAGER])
    body = client.post(f"/assessments/{assessment.pk}/decide/", {"decision": "approve", "view": ""}).content.decode()
    assert "Enter your view and the rationale for approving" in body and "govuk-error-summary" in body
    body = client.post(f"/assessments/{assessment.pk}/track/", {"track": "standard", "reason": ""}).content.decode()
    assert "Enter why the track is changing" in body
    body = client.post(f"/assessments/{assessment.pk}/track/", {"track": "track_10", "reason": "x"}).content.decode()
    assert "Select a valid choice" in body  # Leeds has no 10-day track
    assessment.refresh_from_db()
    assert assessment.status == "submitted" and assessment.track == "standard"
    assert Deadline.objects.filter(subject_id=assessment.pk, status="open", key="assessment_completion").count() == 1


def test_starting_offers_only_the_authoritys_tracks(client, people, leeds):
    case = allocate_new_child(people, leeds).cases.get()
    client.force_login(people[Role.SOCIAL_WORKER])
    body = client.get(f"/cases/{case.pk}/assessments/new/").content.decode()
    assert "Brief assessment" in body and "25-working-day track" not in body  # Leeds
    assert "Select a valid choice" in client.post(f"/cases/{case.pk}/assessments/new/",
                                                  {"track": "track_25"}).content.decode()  # fmt: skip
    assert not Assessment.objects.filter(case=case).exists()


@pytest.mark.parametrize("role", list(Role))
def test_every_assessment_action_for_every_role(client, people, case, role):
    """Writing (autosave), reviewing, signing off and the PDF: each only for whom it is meant."""
    draft_one = assessment_start(case=case, started_by=people[Role.SOCIAL_WORKER])
    client.force_login(people[role])
    sees = role in SEES_CHILDREN
    autosave = client.post(f"/assessments/{draft_one.pk}/autosave/", {"version": draft_one.version, "risks": "x"})
    assert autosave.status_code == (200 if role in (Role.SOCIAL_WORKER, Role.TEAM_MANAGER) else 403 if sees else 404)
    review = client.post(f"/assessments/{draft_one.pk}/progress-review/", {"note": "On track"})
    manages = role in (Role.TEAM_MANAGER, Role.SERVICE_MANAGER)
    assert review.status_code == (302 if manages else 403 if sees else 404)
    assert client.get(f"/assessments/{draft_one.pk}.pdf").status_code == (403 if sees else 404)  # not approved
    draft_one.refresh_from_db()
    assessment_submit(assessment=assessment_save(assessment=draft_one, saved_by=people[Role.SOCIAL_WORKER],
                                                 version=draft_one.version, **WRITTEN),
                      submitted_by=people[Role.SOCIAL_WORKER])  # fmt: skip
    decide = client.post(f"/assessments/{draft_one.pk}/decide/", {"decision": "approve", "view": "Agree"})
    # The team manager autosaved a line of it above, so it is partly theirs: they may not approve it.
    signs_off = role == Role.SERVICE_MANAGER
    assert decide.status_code == (302 if signs_off else 403 if sees else 404)
    approved = Assessment.objects.get().status == "approved"
    assert approved == signs_off
    if approved:
        assert client.get(f"/assessments/{draft_one.pk}.pdf").status_code == 200


@pytest.mark.parametrize(("outcome", "link"), [
    ("cin", "/status/"), ("strategy", "/strategy/"), ("looked_after", "/status/new/"),
    ("nfa", "/close/"), ("early_help", "/close/"),
])  # fmt: skip
def test_an_approved_assessment_points_to_the_next_step(client, people, case, outcome, link):
    from assessments.services.assessments import assessment_approve

    assessment = assessment_submit(assessment=draft(people, case, outcome=outcome),
                                   submitted_by=people[Role.SOCIAL_WORKER])  # fmt: skip
    assessment_approve(assessment=assessment, manager=people[Role.TEAM_MANAGER], view="Agreed.")
    client.force_login(people[Role.SOCIAL_WORKER])
    html = client.get(f"/assessments/{assessment.pk}/").content.decode()
    next_step = html.split('id="next-step"')[1].split("</div>")[0]
    assert link in next_step

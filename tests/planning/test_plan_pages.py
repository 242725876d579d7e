"""The plans and meetings pages for every role, another authority's and a restricted child's
records not found, bad input through the forms with nothing half-saved, approval never by the
plan's author with every version kept, PDFs, and bounded queries on two data sizes."""

import html
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from cases.models import Authority, Deadline
from cases.roles import Role
from planning.models import Meeting, Plan, PlanAction
from planning.services import plan_start
from planning.services.conferences import core_group_record, icpc_record
from tests.factories import allocate_new_child, staff
from tests.queries import page_query_counts
from tests.support import SEES_CHILDREN

pytestmark = pytest.mark.django_db

WRITERS = (Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.SERVICE_MANAGER)  # a chair writes only what they chair


@pytest.fixture(autouse=True)
def opened_last_week(case):
    """The case opened a week ago, so its meetings can have been held in the last days."""
    type(case).objects.filter(pk=case.pk).update(opened_at=timezone.now() - timedelta(days=7))
    case.refresh_from_db()


def held(hours=2):
    return timezone.now() - timedelta(hours=hours)


def conference(people, case, hours=3):
    return icpc_record(case=case, chair=people[Role.CONFERENCE_CHAIR], held_at=held(hours), attendees="Mother",
                       decision="cp_plan", categories=["NEG"], summary="Neglect; plan agreed.")  # fmt: skip


def form_moment(prefix, moment, time_field):
    local = timezone.localtime(moment)
    return {f"{prefix}_0": local.day, f"{prefix}_1": local.month, f"{prefix}_2": local.year,
            time_field: f"{local:%H:%M}"}  # fmt: skip


@pytest.mark.parametrize("role", list(Role))
def test_every_page_for_every_role(client, people, case, role):
    meeting = conference(people, case)
    plan = meeting.plan
    client.force_login(people[role])
    sees = role in SEES_CHILDREN
    denied = 403 if sees else 404
    child = case.child_id
    expected = {
        f"/children/{child}/plans/": 200 if sees else 404,
        f"/meetings/{meeting.pk}/": 200 if sees else 404,
        f"/plans/{plan.pk}/": 200 if sees else 404,
        f"/children/{child}/conferences/review/": 200 if role == Role.CONFERENCE_CHAIR else denied,
        f"/children/{child}/conferences/initial/": 200 if role == Role.CONFERENCE_CHAIR else denied,
        f"/children/{child}/core-groups/new/": 200 if role in WRITERS else denied,
        f"/children/{child}/meetings/book/": 200 if role in WRITERS else denied,
        f"/plans/{plan.pk}/revise/": 200 if role in WRITERS else denied,
        f"/children/{child}/plans/new/": 200 if role in WRITERS[:3] else denied,
    }
    assert {path: client.get(path).status_code for path in expected} == expected


def test_pdfs_of_the_plan_and_the_conference(client, people, case):
    meeting = conference(people, case)
    client.force_login(people[Role.SOCIAL_WORKER])
    for path in (f"/plans/{meeting.plan.pk}/pdf/", f"/meetings/{meeting.pk}/pdf/"):
        response = client.get(path)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")


def test_another_authoritys_plan_and_meeting_are_not_found(client, people, case):
    meeting = conference(people, case)
    york_chair = staff(Role.CONFERENCE_CHAIR, authority=Authority.objects.get(slug="york"))
    client.force_login(york_chair)
    for path in (f"/plans/{meeting.plan.pk}/", f"/meetings/{meeting.pk}/", f"/plans/{meeting.plan.pk}/pdf/",
                 f"/children/{case.child_id}/plans/", f"/children/{case.child_id}/conferences/review/"):  # fmt: skip
        assert client.get(path).status_code == 404, path
    assert client.post(f"/plans/{meeting.plan.pk}/approve/", {"version": 1}).status_code == 404


def test_a_restricted_childs_plan_is_not_found_by_anyone_not_named(client, people, case):
    meeting = conference(people, case)
    case.child.restricted = True
    case.child.save()
    case.child.restricted_to.add(people[Role.SOCIAL_WORKER])
    client.force_login(people[Role.CONFERENCE_CHAIR])
    assert client.get(f"/plans/{meeting.plan.pk}/").status_code == 404
    assert client.get(f"/meetings/{meeting.pk}/").status_code == 404
    client.force_login(people[Role.SOCIAL_WORKER])
    assert client.get(f"/plans/{meeting.plan.pk}/").status_code == 200


def test_the_chair_records_a_conference_and_the_worker_the_core_group_through_the_pages(client, people, case):
    client.force_login(people[Role.CONFERENCE_CHAIR])
    page = client.get(f"/children/{case.child_id}/plans/").content.decode()
    assert "Record an initial conference" in page
    response = client.post(f"/children/{case.child_id}/conferences/initial/", {
        **form_moment("held_on", held(3), "held_time"), "attendees": "Mother, school nurse",
        "decision": "cp_plan", "categories": ["NEG", "EMO"], "summary": "Plan agreed."})  # fmt: skip
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/meetings/{meeting.pk}/"
    page = client.get(f"/children/{case.child_id}/plans/").content.decode()
    assert "The first core group meeting is held" in page and "The first review child protection conference" in page
    assert "Record a review conference" in page and "How this date was worked out" in page
    core_group = {**form_moment("held_on", held(1), "held_time"), "attendees": "Mother", "summary": "Going well."}
    # The chair writes the conferences they chair, not the rest of the plan (DESIGN §7).
    assert client.post(f"/children/{case.child_id}/core-groups/new/", core_group).status_code == 403
    client.force_login(people[Role.SOCIAL_WORKER])
    client.post(f"/children/{case.child_id}/core-groups/new/", core_group)
    page = client.get(f"/children/{case.child_id}/plans/").content.decode()
    assert "Later core group meetings" in page  # Leeds: every six weeks
    assert Deadline.objects.get(key="first_core_group").status == "met"


def test_bad_input_through_the_form_names_each_field_and_saves_nothing(client, people, case):
    client.force_login(people[Role.CONFERENCE_CHAIR])
    future = timezone.now() + timedelta(days=2)
    body = client.post(f"/children/{case.child_id}/conferences/initial/", {
        **form_moment("held_on", future, "held_time"), "attendees": "", "decision": "cp_plan"}).content.decode()
    assert "govuk-error-summary" in body
    assert "Enter who attended" in body and "today or in the past" in body
    assert "Select the category of abuse or neglect" in body
    body = client.post(f"/children/{case.child_id}/conferences/initial/", {"held_time": "25:99"}).content.decode()
    assert "Select the conference&#x27;s decision" in body
    assert not Meeting.objects.exists() and not Plan.objects.exists()


def test_a_worker_never_approves_their_own_plan_and_every_version_is_kept(client, people, case):
    """Leeds requires a manager to approve a child in need plan (seed 002 L3329–3332)."""
    worker, manager = people[Role.SOCIAL_WORKER], people[Role.TEAM_MANAGER]
    plan = plan_start(case=case, kind="cin", started_on=timezone.localdate(), written_by=worker,
                      outcomes="Ethan attends school every day.",
                      contingency="Strategy discussion if it slips.")  # fmt: skip
    assert plan.approval == "awaiting"
    client.force_login(worker)
    assert client.post(f"/plans/{plan.pk}/approve/", {"version": 1}).status_code == 403
    client.post(f"/plans/{plan.pk}/revise/", {"version": 1, "outcomes": "Attends school; sleeps well.",
                                              "contingency": "Strategy discussion."})  # fmt: skip
    client.force_login(manager)
    stale = client.post(f"/plans/{plan.pk}/approve/", {"version": 1}, follow=True).content.decode()
    assert "changed to version 2" in stale
    client.post(f"/plans/{plan.pk}/approve/", {"version": 2})
    plan.refresh_from_db()
    assert (plan.version, plan.approval, plan.approved_by) == (2, "approved", manager)
    page = client.get(f"/plans/{plan.pk}/").content.decode()
    assert "Ethan attends school every day." in page and "Attends school; sleeps well." in page  # both versions
    client.force_login(manager)
    client.post(f"/plans/{plan.pk}/revise/", {"version": 2, "outcomes": "New", "contingency": "New"})
    assert client.post(f"/plans/{plan.pk}/approve/", {"version": 3}).status_code == 403  # the author of version 3


def test_a_manager_never_approves_a_version_keeping_what_they_wrote_before(client, people, case):
    """The service manager wrote version 1's outcomes; the worker revised it. Version 2 still holds
    the manager's words, so only another manager may approve it (as with assessments)."""
    writer, worker = people[Role.SERVICE_MANAGER], people[Role.SOCIAL_WORKER]
    plan = plan_start(case=case, kind="cin", started_on=timezone.localdate(), written_by=writer,
                      outcomes="Ethan attends school every day.", contingency="Strategy discussion.")  # fmt: skip
    client.force_login(worker)
    client.post(f"/plans/{plan.pk}/revise/", {"version": 1, "outcomes": "Ethan attends school every day; sleeps well.",
                                              "contingency": "Strategy discussion."})  # fmt: skip
    client.force_login(writer)
    assert "Approve version" not in client.get(f"/plans/{plan.pk}/").content.decode()
    assert client.post(f"/plans/{plan.pk}/approve/", {"version": 2}).status_code == 403
    plan.refresh_from_db()
    assert plan.approval == "awaiting"
    client.force_login(people[Role.TEAM_MANAGER])
    assert client.post(f"/plans/{plan.pk}/approve/", {"version": 2}).status_code == 302
    plan.refresh_from_db()
    assert (plan.approval, plan.approved_by) == ("approved", people[Role.TEAM_MANAGER])


def test_an_action_can_be_given_to_anyone_active_in_the_authority_by_name(client, people, case):
    plan = conference(people, case).plan
    leaver = staff(Role.SOCIAL_WORKER, authority=case.authority, is_active=False)
    elsewhere = staff(Role.SOCIAL_WORKER)
    client.force_login(people[Role.SOCIAL_WORKER])
    page = client.get(f"/plans/{plan.pk}/").content.decode()
    select = page.split('name="owner"')[1].split("</select>")[0]
    options = re.findall(r'<option value="(\d*)"[^>]*>([^<]*)</option>', select)
    owners = {pk: html.unescape(name) for pk, name in options}
    worker = people[Role.SOCIAL_WORKER]
    assert owners[""] == "Choose who" and owners[str(worker.pk)] == worker.full_name
    assert str(leaver.pk) not in owners and str(elsewhere.pk) not in owners
    assert len(owners) == 1 + case.authority.users.filter(is_active=True).count()


def test_an_action_is_a_deadline_for_its_owner_until_done(client, people, case):
    plan = conference(people, case).plan
    client.force_login(people[Role.SOCIAL_WORKER])
    due = timezone.localdate() + timedelta(days=7)
    client.post(f"/plans/{plan.pk}/actions/", {"what": "Book the paediatric appointment",
                                               "owner": people[Role.SOCIAL_WORKER].pk, "due_on_0": due.day,
                                               "due_on_1": due.month, "due_on_2": due.year})  # fmt: skip
    action = PlanAction.objects.get()
    deadline = Deadline.objects.get(key="plan_action")
    assert (deadline.assignee, deadline.rule, timezone.localtime(deadline.due_at).date()) == (
        people[Role.SOCIAL_WORKER], "agreed date", due)
    bad = client.post(f"/plans/{plan.pk}/actions/", {"what": "", "owner": ""})
    assert bad.status_code == 400 and "Enter what is to be done" in bad.content.decode()
    client.post(f"/plan-actions/{action.pk}/close/")
    deadline.refresh_from_db()
    assert deadline.status == "met" and PlanAction.objects.get().status == "done"
    entries = case.child.chronology.filter(detail="Book the paediatric appointment")
    titles = sorted(entries.values_list("title", flat=True))
    assert len(titles) == 2 and titles[0] == "Child protection plan action done"


def test_pages_have_bounded_queries(client, people, case, leeds, django_assert_max_num_queries):
    meeting = conference(people, case, hours=30)
    client.force_login(people[Role.CONFERENCE_CHAIR])
    paths = [f"/children/{case.child_id}/plans/", f"/plans/{meeting.plan.pk}/", f"/meetings/{meeting.pk}/"]

    small = page_query_counts(client, paths, django_assert_max_num_queries)
    for index in range(5):
        core_group_record(case=case, recorded_by=people[Role.SOCIAL_WORKER], held_at=held(20 - index * 3),
                          attendees="Mother", summary=f"Meeting {index}")  # fmt: skip
        other = allocate_new_child(people, leeds, first_name=f"C{index}").cases.get()
        type(other).objects.filter(pk=other.pk).update(opened_at=timezone.now() - timedelta(days=7))
        other.refresh_from_db()
        conference(people, other)
    assert page_query_counts(client, paths, django_assert_max_num_queries) == small


def looked_after_with_plans(people, case):
    from cases.services.family import legal_status_start
    from planning.services.placements import placement_start

    start = timezone.localdate() - timedelta(days=3)
    legal_status_start(case=case, kind="lac", legal_status="C2", started_on=start,
                       recorded_by=people[Role.TEAM_MANAGER])  # fmt: skip
    placement_start(case=case, recorded_by=people[Role.SOCIAL_WORKER], placement_type="U6", carer="The Shaws",
                    started_on=start)  # fmt: skip


@pytest.mark.parametrize("role", list(Role))
def test_the_looked_after_and_leaving_care_pages_for_every_role(client, people, case, role):
    looked_after_with_plans(people, case)
    client.force_login(people[role])
    sees = role in SEES_CHILDREN
    denied = 403 if sees else 404
    child = case.child_id
    expected = {
        f"/children/{child}/reviews/new/": 200 if role == Role.CONFERENCE_CHAIR else denied,
        f"/children/{child}/meetings/placement-planning/new/": 200 if role in WRITERS else denied,
        f"/children/{child}/meetings/cin/new/": 200 if role in WRITERS else denied,
        f"/children/{child}/meetings/nonsense/new/": 404,
        f"/children/{child}/checks/new/": 200 if role in (*WRITERS, Role.PERSONAL_ADVISER) else denied,
    }
    assert {path: client.get(path).status_code for path in expected} == expected


def test_the_iro_records_a_review_and_a_worker_a_health_assessment_through_the_pages(client, people, case):
    looked_after_with_plans(people, case)
    client.force_login(people[Role.CONFERENCE_CHAIR])
    page = client.get(f"/children/{case.child_id}/plans/").content.decode()
    assert "The first looked-after review" in page and "Record a looked-after review" in page
    client.post(f"/children/{case.child_id}/reviews/new/", {
        **form_moment("held_on", held(1), "held_time"), "attendees": "Zoë, carers", "summary": "Plan endorsed.",
        "participation": "PN1"})
    assert Deadline.objects.get(key="lac_first_review").status == "met"
    client.force_login(people[Role.SOCIAL_WORKER])
    today = timezone.localdate()
    check = {"kind": "initial_health", "done_on_0": today.day, "done_on_1": today.month, "done_on_2": today.year}
    client.post(f"/children/{case.child_id}/checks/new/", check)
    assert Deadline.objects.get(key="initial_health_assessment").status == "met"
    page = client.get(f"/children/{case.child_id}/plans/").content.decode()
    assert "Second looked-after review" in page or "The second looked-after review" in page
    assert "Initial health assessment:" in page
    titles = set(case.child.chronology.values_list("title", flat=True))
    assert {"Looked-after review (first)", "Initial health assessment"} <= titles


def test_the_tab_shows_which_reading_of_a_conflicting_timescale_is_configured(client, timescales_loaded):
    from tests.support import team_of

    york_people, york_case = team_of("york")
    client.force_login(york_people[Role.SOCIAL_WORKER])
    conflicts = client.get(f"/children/{york_case.child_id}/plans/").content.decode()
    # York's first review: "must take place within 20 working days" is configured; "arranged within 28 days" is not.
    assert ">First looked-after review</dt>" in conflicts
    assert ("Configured: <strong>20 working days (review held)</strong> (Standard 4, children in care reviews)"
            in conflicts)
    assert ">Conference report shared with the family</dt>" in conflicts and ">Child in need review</dt>" in conflicts
    assert "Configured: <strong>3 working days before</strong>" in conflicts
    assert not re.search(r"\bL\d", conflicts[conflicts.index('id="conflicts"'):])  # sources without line numbers
    barnet_people, barnet_case = team_of("barnet")
    client.force_login(barnet_people[Role.SOCIAL_WORKER])
    page = client.get(f"/children/{barnet_case.child_id}/plans/").content.decode()
    # Barnet's own: CIN minutes in 7 working days, not 10; no conflict over the first review.
    assert ">Child in need meeting notes</dt>" in page and ">First looked-after review</dt>" not in page


def test_a_worker_ends_a_child_in_need_plan_and_its_actions_and_clocks_stop(client, people, case):
    worker = people[Role.SOCIAL_WORKER]
    plan = plan_start(case=case, kind="cin", started_on=timezone.localdate(), written_by=worker, outcomes="Safe.",
                      contingency="Strategy discussion.")  # fmt: skip
    from planning.services.plans import plan_action_add

    plan_action_add(plan=plan, what="Call school", owner=worker, due_on=timezone.localdate() + timedelta(days=5),
                    recorded_by=worker)  # fmt: skip
    client.force_login(worker)
    bad = client.post(f"/plans/{plan.pk}/end/", {"end_reason": ""}).content.decode()
    assert "Enter why the plan ended" in bad and "govuk-error-summary" in bad
    today = timezone.localdate()
    client.post(f"/plans/{plan.pk}/end/", {"ended_on_0": today.day, "ended_on_1": today.month,
                                           "ended_on_2": today.year, "end_reason": "Needs met."})  # fmt: skip
    plan.refresh_from_db()
    assert plan.ended_on == today and plan.end_reason == "Needs met."
    assert Deadline.objects.get(key="plan_action").status == "cancelled"
    assert PlanAction.objects.get().status == "dropped"
    cp = conference(people, allocate_new_child(people, people["team"].authority).cases.get(), hours=0)
    assert client.get(f"/plans/{cp.plan.pk}/end/").status_code == 403  # a CP plan ends at a review conference


def test_an_exclusion_request_is_only_for_a_child_protection_conference(client, people, case):
    client.force_login(people[Role.SOCIAL_WORKER])
    when = timezone.now() + timedelta(days=10)
    response = client.post(f"/children/{case.child_id}/meetings/book/", {
        "kind": "lac_review", **form_moment("scheduled_on", when, "scheduled_time"), "exclusion_expected": "on"})
    page = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in page
    assert 'href="#id_exclusion_expected"' in page and "Only a child protection conference" in page
    assert not Meeting.objects.exists()
    client.post(f"/children/{case.child_id}/meetings/book/", {
        "kind": "icpc", **form_moment("scheduled_on", when, "scheduled_time"), "exclusion_expected": "on"})
    assert Meeting.objects.get(case=case).kind == "icpc"  # Leeds sets no notice for the request itself


def test_the_iro_adjourns_a_review_through_the_page(client, people, case):
    looked_after_with_plans(people, case)
    client.force_login(people[Role.CONFERENCE_CHAIR])
    client.post(f"/children/{case.child_id}/reviews/new/", {
        **form_moment("held_on", held(1), "held_time"), "attendees": "Zoë, carers", "summary": "Parents absent.",
        "adjourned": "on"})  # fmt: skip
    review = Meeting.objects.get(case=case, kind="lac_review")
    assert review.decision == Meeting.Decision.ADJOURNED
    assert Deadline.objects.get(key="lac_first_review").status == "open"
    page = client.get(f"/meetings/{review.pk}/").content.decode()
    assert "Adjourned, to be completed later" in page


@pytest.mark.parametrize("role", list(Role))
def test_the_private_fostering_absence_page_for_every_role(client, people, case, role):
    from planning.services.private_fostering import pf_notification_record

    pf_notification_record(case=case, recorded_by=people[Role.SOCIAL_WORKER], received_at=held(5),
                           notified_by="The carer", arrangement_started_on=timezone.localdate(), carer="Mrs Okafor")
    client.force_login(people[role])
    recorders = (Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.SERVICE_MANAGER)
    expected = 200 if role in recorders else 403 if role in SEES_CHILDREN else 404
    assert client.get(f"/children/{case.child_id}/private-fostering/absence/").status_code == expected

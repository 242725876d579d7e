"""Transfer and closure with a manager's approval and the closure gate; restricted records; the
access log. Every page for every role, isolation, and bounded queries."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cases.models import (
    AccessLog,
    Allocation,
    Authority,
    Case,
    CaseClosure,
    CaseNote,
    CaseSummary,
    ChronologyEntry,
    Deadline,
    LegalStatus,
)
from cases.roles import Role
from cases.services.children import chronology_write
from cases.services.closure import (
    child_restrict,
    closure_decide,
    closure_gate,
    closure_request,
    transfer_request,
)
from tests.factories import ChildFactory, TeamFactory, allocate_new_child, staff
from tests.support import SEES_CHILDREN

pytestmark = pytest.mark.django_db






def _deadline(case, *, due_in: timedelta, key="visit_cin") -> Deadline:
    now = timezone.now()
    return Deadline.objects.create(
        authority_id=case.authority_id, team=case.team, assignee=case.worker, child=case.child, case=case,
        subject_type=ContentType.objects.get_for_model(Case), subject_id=case.pk, key=key, anchor_at=now,
        due_at=now + due_in, rule="10 working_days", explanation="For the test",
    )  # fmt: skip


def _meet_the_gate(case, people):
    """Everything the gate asks for, written as the record would be."""
    manager = people[Role.TEAM_MANAGER]
    chronology_write(child=case.child, case=case, kind=ChronologyEntry.Kind.ASSESSMENT, occurred_at=timezone.now(),
                     title="Single assessment completed", written_by=people[Role.SOCIAL_WORKER])  # fmt: skip
    CaseSummary.objects.create(case=case, text="Progress made", written_by=people[Role.SOCIAL_WORKER])
    CaseNote.objects.create(case=case, kind=CaseNote.Kind.MANAGEMENT_DECISION, event_at=timezone.now(),
                            author=manager, title="File audited before closure", text="Audited")  # fmt: skip


def _request(case, people, **overrides):
    fields = {"reason": "RC8", "summary": "Assessment complete: no further action", "gate_override": "Agreed"}
    return closure_request(case=case, requested_by=people[Role.SOCIAL_WORKER], **(fields | overrides))


# --- The gate ------------------------------------------------------------------------------------


def test_the_gate_is_computed_from_the_record_and_uses_leeds_words(case, people):
    items = {item.code: item for item in closure_gate(case)}
    assert set(items) == {"chronology_current", "assessment_and_plan", "case_summary", "no_overdue_deadlines",
                          "manager_audit"}  # fmt: skip
    assert items["chronology_current"].met  # the allocation was written to the chronology just now
    assert not items["assessment_and_plan"].met and not items["case_summary"].met
    assert not items["manager_audit"].met
    assert items["manager_audit"].label == "Case file audit signed off by the manager"
    assert "L4880" in items["manager_audit"].source
    _meet_the_gate(case, people)
    assert all(item.met for item in closure_gate(case))
    _deadline(case, due_in=-timedelta(days=2))
    overdue = {item.code: item for item in closure_gate(case)}["no_overdue_deadlines"]
    assert not overdue.met and "visit cin" in overdue.evidence


def test_another_authority_gets_the_generic_labels(timescales_loaded):
    york = Authority.objects.get(slug="york")
    york_case = Case.objects.create(authority=york, child=ChildFactory(authority=york),
                                    team=TeamFactory(authority=york))  # fmt: skip
    labels = [item.label for item in closure_gate(york_case)]
    assert "Manager's file audit recorded" in labels and "Chronology updated in the last month" in labels
    assert not any(item.met for item in closure_gate(york_case) if item.code != "no_overdue_deadlines")


def test_a_worker_written_decision_note_is_not_a_managers_audit(case, people):
    CaseNote.objects.create(case=case, kind=CaseNote.Kind.MANAGEMENT_DECISION, event_at=timezone.now(),
                            author=people[Role.SOCIAL_WORKER], title="My own audit", text="Fine")  # fmt: skip
    assert not {item.code: item for item in closure_gate(case)}["manager_audit"].met


def test_a_chronology_last_written_over_a_month_ago_is_not_current(case):
    ChronologyEntry.objects.filter(child=case.child).update(recorded_at=timezone.now() - timedelta(days=40))
    assert not {item.code: item for item in closure_gate(case)}["chronology_current"].met


# --- Requests ------------------------------------------------------------------------------------


def test_an_unmet_gate_without_an_override_is_refused_naming_the_field(case, people):
    with pytest.raises(ValidationError) as refused:
        _request(case, people, gate_override="")
    assert "gate_override" in refused.value.message_dict
    assert not CaseClosure.objects.exists()


def test_the_page_refuses_an_unmet_gate_without_an_override_and_saves_nothing(client, case, people):
    client.force_login(people[Role.SOCIAL_WORKER])
    response = client.post(f"/cases/{case.pk}/close/", {"reason": "RC8", "summary": "Done"})
    body = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in body
    assert "Enter why the case may close although this is not met" in body and 'href="#id_gate_override"' in body
    assert not CaseClosure.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"summary": "Done", "gate_override": "x"}, "Select the reason the case is closing"),
        ({"reason": "RC8", "gate_override": "x"}, "Enter the closure summary"),
        ({"reason": "ZZ9", "summary": "Done", "gate_override": "x"}, "Select a valid choice"),
    ],
)
def test_bad_closure_input_names_the_field(client, case, people, data, message):
    client.force_login(people[Role.SOCIAL_WORKER])
    response = client.post(f"/cases/{case.pk}/close/", data)
    assert message in response.content.decode()
    assert not CaseClosure.objects.exists()


def test_a_met_gate_needs_no_override_and_snapshots_the_gate(case, people):
    _meet_the_gate(case, people)
    request = _request(case, people, gate_override="")
    assert request.kind == "closure" and request.status == "requested"
    assert request.gate == {"chronology_current": True, "assessment_and_plan": True, "case_summary": True,
                            "no_overdue_deadlines": True, "manager_audit": True}  # fmt: skip


def test_only_someone_who_writes_on_the_case_may_ask(case, people):
    for role in (Role.PERSONAL_ADVISER, Role.QA_AUDITOR, Role.SERVICE_MANAGER, Role.BUSINESS_SUPPORT):
        with pytest.raises(PermissionDenied):
            closure_request(case=case, requested_by=people[role], reason="RC8", summary="x", gate_override="y")
    assert not CaseClosure.objects.exists()


def test_a_second_request_waits_for_the_first(case, people):
    _request(case, people)
    with pytest.raises(ValidationError):
        _request(case, people)


def test_a_transfer_goes_only_to_another_team_of_the_same_authority(case, people, leeds):
    york = Authority.objects.get(slug="york")
    for team in (TeamFactory(authority=york), people["team"]):
        with pytest.raises(ValidationError) as refused:
            transfer_request(case=case, requested_by=people[Role.SOCIAL_WORKER], to_team=team, summary="Move")
        assert "to_team" in refused.value.message_dict
    assert not CaseClosure.objects.exists()


def test_only_leeds_applies_the_gate_to_a_transfer(timescales_loaded):
    york = Authority.objects.get(slug="york")
    team = TeamFactory(authority=york)
    york_people = {role: staff(role, authority=york, team=team) for role in Role} | {"team": team}
    york_case = allocate_new_child(york_people, york).cases.get()
    moved = transfer_request(case=york_case, requested_by=york_people[Role.SOCIAL_WORKER],
                             to_team=TeamFactory(authority=york), summary="Long-term work")  # fmt: skip
    assert moved.gate and not all(moved.gate.values())  # recorded for the manager, not blocking


# --- Decisions -----------------------------------------------------------------------------------


def test_the_requester_never_approves_their_own_request(case, people):
    worker_request = _request(case, people)
    with pytest.raises(PermissionDenied):
        closure_decide(request=worker_request, decided_by=people[Role.SOCIAL_WORKER], approve=True, note="")
    closure_decide(request=worker_request, decided_by=people[Role.TEAM_MANAGER], approve=False, note="Not yet")
    manager_request = closure_request(case=case, requested_by=people[Role.TEAM_MANAGER], reason="RC8", summary="x",
                                      gate_override="y")  # fmt: skip
    with pytest.raises(PermissionDenied):
        closure_decide(request=manager_request, decided_by=people[Role.TEAM_MANAGER], approve=True, note="")
    assert Case.objects.get(pk=case.pk).is_open


def test_the_requester_sees_their_request_but_no_decision_form(client, case, people):
    manager_request = closure_request(case=case, requested_by=people[Role.TEAM_MANAGER], reason="RC8", summary="x",
                                      gate_override="y")  # fmt: skip
    client.force_login(people[Role.TEAM_MANAGER])
    body = client.get(f"/closure-requests/{manager_request.pk}/").content.decode()
    assert "another manager must decide" in body and 'name="decision"' not in body
    response = client.post(f"/closure-requests/{manager_request.pk}/", {"decision": "approve", "note": ""})
    assert response.status_code == 403 and Case.objects.get(pk=case.pk).is_open


def test_declining_needs_a_note(client, case, people):
    request = _request(case, people)
    with pytest.raises(ValidationError) as refused:
        closure_decide(request=request, decided_by=people[Role.TEAM_MANAGER], approve=False, note=" ")
    assert "note" in refused.value.message_dict
    client.force_login(people[Role.TEAM_MANAGER])
    response = client.post(f"/closure-requests/{request.pk}/", {"decision": "decline", "note": ""})
    assert "Enter why the request is declined" in response.content.decode()
    assert CaseClosure.objects.get().status == "requested"


def test_approval_closes_the_case_cancels_deadlines_ends_allocation_and_writes_the_chronology(client, case, people):
    open_deadline = _deadline(case, due_in=timedelta(days=5))
    status = LegalStatus.objects.create(case=case, kind="cin", started_on=timezone.localdate() - timedelta(days=30),
                                        recorded_by=people[Role.TEAM_MANAGER])  # fmt: skip
    client.force_login(people[Role.SOCIAL_WORKER])
    response = client.post(f"/cases/{case.pk}/close/", {"reason": "RC8", "summary": "No further action",
                                                        "gate_override": "Assessment found no need"})  # fmt: skip
    assert response.status_code == 302
    request = CaseClosure.objects.get()
    client.force_login(people[Role.TEAM_MANAGER])
    assert "Zoë Brontë" in client.get("/closure-requests/").content.decode()
    response = client.post(f"/closure-requests/{request.pk}/", {"decision": "approve", "note": "Agreed"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.closed_at is not None and case.closure_reason == "RC8"
    open_deadline.refresh_from_db()
    assert open_deadline.status == Deadline.Status.CANCELLED
    assert "Case closed" in open_deadline.cancelled_reason and "RC8" in open_deadline.cancelled_reason
    assert not Deadline.objects.filter(case=case, status=Deadline.Status.OPEN).exists()
    assert not Allocation.objects.filter(case=case, ended_at__isnull=True).exists()
    status.refresh_from_db()
    assert status.ended_on == timezone.localdate()
    entry = ChronologyEntry.objects.get(case=case, kind="closure")
    assert "Closed after assessment: no further action" in entry.title and "Agreed" in entry.detail
    assert CaseClosure.objects.get().status == "approved"
    assert "No requests are waiting" in client.get("/closure-requests/").content.decode()


def test_approving_a_transfer_moves_the_team_and_keeps_the_history(client, case, people, leeds):
    long_term = TeamFactory(authority=leeds, name="Children in need")
    deadline = _deadline(case, due_in=timedelta(days=5))
    client.force_login(people[Role.SOCIAL_WORKER])
    response = client.post(f"/cases/{case.pk}/transfer/", {"to_team": long_term.pk, "summary": "Long-term work"})
    assert "Enter why the case may move team although this is not met" in response.content.decode()  # Leeds
    assert not CaseClosure.objects.exists()
    override = {"to_team": long_term.pk, "summary": "Long-term work", "gate_override": "Audit booked with them"}
    response = client.post(f"/cases/{case.pk}/transfer/", override)
    assert response.status_code == 302
    request = CaseClosure.objects.get()
    assert request.kind == "transfer" and request.gate
    closure_decide(request=request, decided_by=people[Role.TEAM_MANAGER], approve=True, note="")
    case.refresh_from_db()
    assert (case.team, case.worker, case.closed_at) == (long_term, None, None)
    history = list(Allocation.objects.filter(case=case).order_by("allocated_at", "pk"))
    assert history[-2].team == people["team"] and history[-2].ended_at is not None
    assert history[-1].team == long_term and history[-1].ended_at is None and history[-1].worker is None
    deadline.refresh_from_db()
    assert (deadline.team, deadline.assignee, deadline.status) == (long_term, None, "open")
    assert ChronologyEntry.objects.filter(case=case, kind="transfer", title__contains="Children in need").exists()


# --- Restriction ---------------------------------------------------------------------------------


def test_restriction_hides_the_child_from_colleagues_not_named_including_in_search(client, allocated, people):
    manager = people[Role.TEAM_MANAGER]
    client.force_login(manager)
    response = client.post(f"/children/{allocated.pk}/restriction/",
                           {"restricted": "yes", "named_users": [people[Role.SOCIAL_WORKER].pk]})  # fmt: skip
    assert response.status_code == 302
    allocated.refresh_from_db()
    assert allocated.restricted
    assert set(allocated.restricted_to.all()) == {people[Role.SOCIAL_WORKER], manager}  # kept, not locked out
    for role in (Role.PERSONAL_ADVISER, Role.SERVICE_MANAGER, Role.BUSINESS_SUPPORT):
        client.force_login(people[role])
        assert client.get(f"/children/{allocated.pk}/").status_code == 404
        assert "Brontë" not in client.get("/children/", {"q": "bronte"}).content.decode()
    for user in (people[Role.SOCIAL_WORKER], manager):
        client.force_login(user)
        assert client.get(f"/children/{allocated.pk}/").status_code == 200
        assert "Brontë" in client.get("/children/", {"q": "bronte"}).content.decode()


def test_only_managers_restrict_and_lifting_it_shows_the_child_again(allocated, people):
    for role in (Role.SOCIAL_WORKER, Role.QA_AUDITOR, Role.PERSONAL_ADVISER):
        with pytest.raises(PermissionDenied):
            child_restrict(child=allocated, by=people[role], restricted=True, named_users=[])
    child_restrict(child=allocated, by=people[Role.SERVICE_MANAGER], restricted=True, named_users=[])
    assert list(allocated.restricted_to.all()) == [people[Role.SERVICE_MANAGER]]
    child_restrict(child=allocated, by=people[Role.SERVICE_MANAGER], restricted=False, named_users=[])
    allocated.refresh_from_db()
    assert not allocated.restricted


def test_the_history_keeps_who_was_named_and_who_changed_it(allocated, people):
    manager = people[Role.TEAM_MANAGER]
    child_restrict(child=allocated, by=manager, restricted=True, named_users=[people[Role.SOCIAL_WORKER]])
    first = allocated.history.latest()
    child_restrict(child=allocated, by=manager, restricted=True, named_users=[])
    second = allocated.history.latest()
    assert first.history_user == manager and first.restricted
    assert {row.user for row in first.restricted_to.all()} == {manager, people[Role.SOCIAL_WORKER]}
    assert {row.user for row in second.restricted_to.all()} == {manager}


def test_naming_someone_from_another_authority_is_refused(allocated, people):
    york_user = staff(Role.SOCIAL_WORKER, authority=Authority.objects.get(slug="york"))
    with pytest.raises(ValidationError) as refused:
        child_restrict(child=allocated, by=people[Role.TEAM_MANAGER], restricted=True, named_users=[york_user])
    assert "named_users" in refused.value.message_dict


# --- Access log ----------------------------------------------------------------------------------


def test_the_access_log_lists_who_viewed_the_record(client, allocated, people):
    worker = people[Role.SOCIAL_WORKER]
    client.force_login(worker)
    client.get(f"/children/{allocated.pk}/")
    client.force_login(people[Role.TEAM_MANAGER])
    body = client.get(f"/children/{allocated.pk}/access-log/").content.decode()
    assert worker.full_name in body and f"/children/{allocated.pk}/" in body
    other = allocate_new_child(people, allocated.authority)
    client.force_login(worker)
    client.get(f"/children/{other.pk}/")
    client.force_login(people[Role.TEAM_MANAGER])
    body = client.get(f"/children/{allocated.pk}/access-log/").content.decode()
    assert f"/children/{other.pk}/" not in body  # another child's views are not listed


def test_the_access_log_is_paginated_newest_first(client, allocated, people):
    ct = ContentType.objects.get_for_model(allocated)
    now = timezone.now()
    AccessLog.objects.bulk_create(
        AccessLog(authority_id=allocated.authority_id, user=people[Role.QA_AUDITOR], subject_type=ct,
                  subject_id=allocated.pk, path=f"/page-{n}/", viewed_at=now - timedelta(minutes=n))
        for n in range(30)
    )  # fmt: skip
    client.force_login(people[Role.SERVICE_MANAGER])
    first = client.get(f"/children/{allocated.pk}/access-log/").content.decode()
    assert "/page-0/" in first and "/page-29/" not in first and "Page 1 of 2" in first
    second = client.get(f"/children/{allocated.pk}/access-log/", {"page": 2}).content.decode()
    assert "/page-29/" in second


# --- Every page, every role ----------------------------------------------------------------------

CAN_WRITE = {Role.SOCIAL_WORKER, Role.TEAM_MANAGER}  # the allocated worker and the team's manager
MANAGERS = {Role.TEAM_MANAGER, Role.SERVICE_MANAGER}


def _expected(role, allowed, *, shows_child=True):
    if shows_child and role not in SEES_CHILDREN:
        return 404
    return 200 if role in allowed else 403


PAGES = {
    "close": ("/cases/{case}/close/", CAN_WRITE, True),
    "transfer": ("/cases/{case}/transfer/", CAN_WRITE, True),
    "queue": ("/closure-requests/", MANAGERS, False),
    "decide": ("/closure-requests/{request}/", MANAGERS | {Role.SOCIAL_WORKER}, True),  # the worker asked
    "restriction": ("/children/{child}/restriction/", MANAGERS, True),
    "access-log": ("/children/{child}/access-log/", MANAGERS, True),
}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_for_every_role(client, case, people, role, page):
    request = _request(case, people) if page in ("decide", "queue") else None
    template, allowed, shows_child = PAGES[page]
    path = template.format(case=case.pk, child=case.child_id, request=request.pk if request else 0)
    client.force_login(people[role])
    response = client.get(path)
    assert response.status_code == _expected(role, allowed, shows_child=shows_child)
    if response.status_code == 200:
        body = response.content.decode()
        assert "<script>" not in body and " style=" not in body  # strict CSP: nothing inline
        if shows_child:
            assert "Zoë Brontë" in body and case.child.reference in body
            assert AccessLog.objects.filter(user=people[role], subject_id__in=[case.pk, case.child_id]).exists()
        if page == "queue" and role == Role.TEAM_MANAGER:
            assert "Zoë Brontë" in body


def test_the_close_page_shows_the_gate_with_tags_and_evidence(client, case, people):
    client.force_login(people[Role.SOCIAL_WORKER])
    body = client.get(f"/cases/{case.pk}/close/").content.decode()
    assert "Case file audit signed off by the manager" in body
    assert "govuk-tag--red" in body and "Not met" in body and "govuk-tag--green" in body
    assert "No case summary on this case" in body
    assert 'type="radio"' in body and 'name="reason"' in body and "Special guardianship order" in body


@pytest.mark.parametrize("path", ["/cases/{case}/close/", "/cases/{case}/transfer/", "/children/{child}/restriction/",
                                  "/children/{child}/access-log/", "/closure-requests/{request}/"])  # fmt: skip
def test_another_authoritys_case_and_a_restricted_child_are_404(client, case, people, path):
    york = Authority.objects.get(slug="york")
    york_team = TeamFactory(authority=york)
    york_case = Case.objects.create(authority=york, child=ChildFactory(authority=york), team=york_team)
    york_worker = staff(Role.SOCIAL_WORKER, authority=york, team=york_team)
    york_case.worker = york_worker
    york_case.save()
    york_request = closure_request(case=york_case, requested_by=york_worker, reason="RC8", summary="x",
                                   gate_override="y")  # fmt: skip
    client.force_login(people[Role.SERVICE_MANAGER])
    other = path.format(case=york_case.pk, child=york_case.child_id, request=york_request.pk)
    assert client.get(other).status_code == 404
    own_request = _request(case, people)
    case.child.restricted = True
    case.child.save()
    case.child.restricted_to.add(people[Role.SOCIAL_WORKER])
    for role in (Role.SERVICE_MANAGER, Role.TEAM_MANAGER):
        client.force_login(people[role])
        hidden = path.format(case=case.pk, child=case.child_id, request=own_request.pk)
        assert client.get(hidden).status_code == 404
        assert "Brontë" not in client.get("/closure-requests/").content.decode()


# --- Query counts --------------------------------------------------------------------------------


def _more_data(case, people, n):
    """More of everything the pages read: chronology, notes, deadlines, views, other cases with
    requests waiting, colleagues to name."""
    ct = ContentType.objects.get_for_model(case.child)
    for i in range(n):
        chronology_write(child=case.child, case=case, kind=ChronologyEntry.Kind.NOTE, occurred_at=timezone.now(),
                         title=f"Entry {i}", written_by=people[Role.SOCIAL_WORKER])  # fmt: skip
        CaseNote.objects.create(case=case, kind=CaseNote.Kind.MANAGEMENT_DECISION, event_at=timezone.now(),
                                author=people[Role.SOCIAL_WORKER], title=f"Note {i}", text="x")  # fmt: skip
        _deadline(case, due_in=timedelta(days=-i - 1), key=f"key_{i}")
        AccessLog.objects.create(authority_id=case.authority_id, user=people[Role.QA_AUDITOR], subject_type=ct,
                                 subject_id=case.child_id, path=f"/x/{i}/")  # fmt: skip
        other = allocate_new_child(people, case.authority).cases.get()
        _request(other, people)
        staff(Role.SOCIAL_WORKER, authority=case.authority, team=people["team"])


@pytest.mark.parametrize("page", ["close", "access-log", "decide", "queue", "restriction"])
def test_pages_have_a_bounded_query_count_at_two_sizes(client, case, people, page, django_assert_max_num_queries):
    request = _request(case, people) if page in ("decide", "queue") else None
    path = {"close": f"/cases/{case.pk}/close/", "access-log": f"/children/{case.child_id}/access-log/",
            "decide": f"/closure-requests/{request and request.pk}/", "queue": "/closure-requests/",
            "restriction": f"/children/{case.child_id}/restriction/"}[page]  # fmt: skip
    user = people[Role.SOCIAL_WORKER] if page == "close" else people[Role.TEAM_MANAGER]
    client.force_login(user)
    client.get(path)
    for extra in (0, 12):
        _more_data(case, people, extra)
        with django_assert_max_num_queries(16):
            assert client.get(path).status_code == 200

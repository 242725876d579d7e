"""Case notes, the chronology (and its PDF) and the case summary: every page for every role,
isolation, recording timeliness in the deadline ledger, strike-through, bad input and query bounds."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cases.models import Authority, CaseNote, CaseSummary, ChronologyEntry, Deadline
from cases.roles import Role
from cases.services.records import (
    case_note_add,
    case_note_strike,
    case_summary_write,
    chronology_entry_add,
    chronology_entry_strike,
)
from tests.factories import ChildFactory, staff
from tests.support import SEES_CHILDREN

pytestmark = pytest.mark.django_db

# The allocated worker and the team's manager write on the case.
WRITES = {Role.SOCIAL_WORKER, Role.TEAM_MANAGER}
# The team's manager, and a service manager across the authority, strike entries through.
STRIKES = {Role.TEAM_MANAGER, Role.SERVICE_MANAGER}








def _note(case, author, **overrides):
    fields = {"kind": CaseNote.Kind.PHONE_CALL, "event_at": timezone.now(), "title": "Call with mother",
              "text": "Mother says the children are at school today."}  # fmt: skip
    return case_note_add(case=case, author=author, **(fields | overrides))


def _date_fields(prefix, moment):
    local = timezone.localtime(moment)
    return {f"{prefix}_0": local.day, f"{prefix}_1": local.month, f"{prefix}_2": local.year}


def _note_post(moment, **overrides):
    at = timezone.localtime(moment).strftime("%H:%M")
    return {"kind": "phone", **_date_fields("event_date", moment), "event_time": at, "title": "Call with school",
            "text": "School says attendance is up.", **overrides}  # fmt: skip


# --- Pages for every role -----------------------------------------------------------------------


@pytest.mark.parametrize("role", list(Role))
def test_each_page_for_every_role(client, people, allocated, case, role):
    _note(case, people[Role.SOCIAL_WORKER])
    client.force_login(people[role])
    for page in ("notes/", "chronology/", "chronology.pdf", "summary/"):
        response = client.get(f"/children/{allocated.pk}/{page}")
        assert response.status_code == (200 if role in SEES_CHILDREN else 404), page
        if response.status_code == 200:
            assert people[role].access_log.filter(path=f"/children/{allocated.pk}/{page}").exists()
            if page != "chronology.pdf":
                body = response.content.decode()
                assert "Zoë Brontë" in body and "Allocated to" in body  # the child header
    for page in ("notes/new/", "chronology/new/"):
        response = client.get(f"/children/{allocated.pk}/{page}")
        assert response.status_code == (200 if role in WRITES else 403 if role in SEES_CHILDREN else 404), page


@pytest.mark.parametrize("role", list(Role))
def test_writing_a_summary_for_every_role(client, people, allocated, role):
    client.force_login(people[role])
    response = client.post(f"/children/{allocated.pk}/summary/", {"text": "Settled at school; plan continues."})
    assert response.status_code == (302 if role in WRITES else 403 if role in SEES_CHILDREN else 404)
    assert CaseSummary.objects.exists() == (role in WRITES)


@pytest.mark.parametrize("role", list(Role))
def test_striking_a_note_for_every_role(client, people, case, role):
    note = _note(case, people[Role.SOCIAL_WORKER])
    client.force_login(people[role])
    assert client.get(f"/notes/{note.pk}/strike/").status_code == (
        200 if role in STRIKES else 403 if role in SEES_CHILDREN else 404
    )
    response = client.post(f"/notes/{note.pk}/strike/", {"reason": "Recorded on the wrong child"})
    assert response.status_code == (302 if role in STRIKES else 403 if role in SEES_CHILDREN else 404)
    note.refresh_from_db()
    assert note.is_struck == (role in STRIKES)


def test_a_worker_in_the_team_but_not_allocated_reads_but_does_not_write(client, people, allocated, case):
    colleague = staff(Role.SOCIAL_WORKER, authority=allocated.authority, team=people["team"])
    client.force_login(colleague)
    assert client.get(f"/children/{allocated.pk}/notes/").status_code == 200
    assert client.get(f"/children/{allocated.pk}/notes/new/").status_code == 403
    assert client.post(f"/children/{allocated.pk}/notes/new/", _note_post(timezone.now())).status_code == 403
    with pytest.raises(PermissionDenied):
        _note(case, colleague)
    assert not CaseNote.objects.exists()


def test_another_authoritys_child_and_a_restricted_child_are_404(client, people, allocated, case):
    york = Authority.objects.get(slug="york")
    york_child = ChildFactory(authority=york)
    note = _note(case, people[Role.SOCIAL_WORKER])
    entry = ChronologyEntry.objects.filter(child=allocated).first()
    york_manager = staff(Role.SERVICE_MANAGER, authority=york)
    client.force_login(people[Role.SERVICE_MANAGER])
    for page in ("notes/", "notes/new/", "chronology/", "chronology/new/", "chronology.pdf", "summary/"):
        assert client.get(f"/children/{york_child.pk}/{page}").status_code == 404
    client.force_login(york_manager)
    assert client.get(f"/notes/{note.pk}/strike/").status_code == 404
    assert client.post(f"/chronology/{entry.pk}/strike/", {"reason": "x"}).status_code == 404
    with pytest.raises(PermissionDenied):
        case_note_strike(note=note, struck_by=york_manager, reason="Not ours to strike")

    allocated.restricted = True
    allocated.save()
    allocated.restricted_to.add(people[Role.SOCIAL_WORKER])
    client.force_login(people[Role.SERVICE_MANAGER])
    for page in ("notes/", "chronology/", "chronology.pdf", "summary/"):
        assert client.get(f"/children/{allocated.pk}/{page}").status_code == 404
    assert client.get(f"/notes/{note.pk}/strike/").status_code == 404
    client.force_login(people[Role.SOCIAL_WORKER])
    assert client.get(f"/children/{allocated.pk}/notes/").status_code == 200


# --- Case notes and recording timeliness --------------------------------------------------------


def test_a_note_recorded_in_time_meets_its_recording_deadline(client, people, allocated, case):
    client.force_login(people[Role.SOCIAL_WORKER])
    response = client.post(f"/children/{allocated.pk}/notes/new/", _note_post(timezone.now()))
    assert response.status_code == 302
    note = CaseNote.objects.get()
    deadline = Deadline.objects.get(key="case_recording", subject_id=note.pk)
    assert deadline.status == Deadline.Status.MET and deadline.met_at == note.recorded_at
    assert deadline.assignee == people[Role.SOCIAL_WORKER] and deadline.case == case
    assert "2 working days" in deadline.explanation  # Leeds: Practice Standards Manual, section 5
    body = client.get(f"/children/{allocated.pk}/notes/").content.decode()
    assert "Call with school" in body and "Recorded late" not in body


def test_a_note_written_up_after_two_working_days_is_met_late(client, people, allocated, case):
    event_at = timezone.now()
    with time_machine.travel(event_at + timedelta(days=10), tick=False):
        note = _note(case, people[Role.SOCIAL_WORKER], event_at=event_at)
        deadline = Deadline.objects.get(key="case_recording", subject_id=note.pk)
        assert deadline.status == Deadline.Status.MET_LATE
        assert deadline.due_at < note.recorded_at
        client.force_login(people[Role.SOCIAL_WORKER])
        assert "Recorded late" in client.get(f"/children/{allocated.pk}/notes/").content.decode()


def test_a_significant_event_is_due_the_same_day_and_goes_into_the_chronology(people, allocated, case):
    event_at = timezone.now()
    next_day = timezone.localtime(event_at).replace(hour=12) + timedelta(days=1)
    with time_machine.travel(next_day, tick=False):
        note = _note(case, people[Role.SOCIAL_WORKER], kind=CaseNote.Kind.SIGNIFICANT_EVENT, event_at=event_at,
                     title="Police called to the home")  # fmt: skip
    deadline = Deadline.objects.get(subject_id=note.pk, key="significant_event_recording")
    assert deadline.status == Deadline.Status.MET_LATE
    entry = allocated.chronology.get(title="Police called to the home")
    assert entry.kind == ChronologyEntry.Kind.OTHER and entry.automatic and entry.occurred_at == event_at


def test_a_management_decision_goes_into_the_chronology_and_a_phone_call_does_not(people, allocated, case):
    _note(case, people[Role.TEAM_MANAGER], kind=CaseNote.Kind.MANAGEMENT_DECISION, title="Step up to strategy")
    _note(case, people[Role.SOCIAL_WORKER], title="Call with GP")
    assert allocated.chronology.filter(kind=ChronologyEntry.Kind.DECISION, title="Step up to strategy").exists()
    assert not allocated.chronology.filter(title="Call with GP").exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"event_date_2": "2099"}, "event_date", "The date of the event must be today or in the past"),
        ({"event_date_0": "", "event_date_1": "", "event_date_2": ""}, "event_date", "Enter the date of the event"),
        ({"event_date_2": "2001"}, "event_date", "must be on or after the day the case opened"),
        ({"event_time": "25:99"}, "event_time", "Enter the time of the event as hours and minutes"),
        ({"text": ""}, "text", "Enter what happened"),
        ({"title": ""}, "title", "Enter a title for the note"),
    ],
)
def test_bad_note_input_names_the_field_and_saves_nothing(client, people, allocated, overrides, field, message):
    client.force_login(people[Role.SOCIAL_WORKER])
    response = client.post(f"/children/{allocated.pk}/notes/new/", _note_post(timezone.now(), **overrides))
    body = response.content.decode()
    assert response.status_code == 200 and message in body
    assert "govuk-error-summary" in body and f'id="id_{field}-error"' in body
    assert not CaseNote.objects.exists() and not Deadline.objects.filter(key="case_recording").exists()


def test_a_future_time_today_is_refused_by_the_service(people, case):
    with pytest.raises(ValidationError) as error:
        _note(case, people[Role.SOCIAL_WORKER], event_at=timezone.now() + timedelta(minutes=30))
    assert "event_at" in error.value.message_dict
    assert not CaseNote.objects.exists()


# --- Strike-through -----------------------------------------------------------------------------


def test_strike_through_keeps_the_text_and_records_who_when_and_why(client, people, allocated, case):
    note = _note(case, people[Role.SOCIAL_WORKER], kind=CaseNote.Kind.SIGNIFICANT_EVENT, title="Hospital visit")
    client.force_login(people[Role.TEAM_MANAGER])
    response = client.post(f"/notes/{note.pk}/strike/", {"reason": "Written on the wrong child's record"})
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.is_struck and note.struck_by == people[Role.TEAM_MANAGER]
    assert note.struck_reason == "Written on the wrong child's record"
    assert note.text == "Mother says the children are at school today."
    body = client.get(f"/children/{allocated.pk}/notes/").content.decode()
    assert "<del>Hospital visit</del>" in body and "Mother says the children are at school today." in body
    assert "Written on the wrong child&#x27;s record" in body
    # The chronology entry the note wrote is struck with it.
    assert allocated.chronology.get(title="Hospital visit").is_struck
    assert CaseNote.objects.count() == 1


def test_strike_through_needs_a_reason_and_a_manager(client, people, allocated, case):
    note = _note(case, people[Role.SOCIAL_WORKER])
    client.force_login(people[Role.TEAM_MANAGER])
    response = client.post(f"/notes/{note.pk}/strike/", {"reason": "  "})
    assert response.status_code == 200 and "Enter why this is being struck through" in response.content.decode()
    with pytest.raises(ValidationError) as error:
        case_note_strike(note=note, struck_by=people[Role.TEAM_MANAGER], reason="")
    assert "reason" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        case_note_strike(note=note, struck_by=people[Role.SOCIAL_WORKER], reason="My mistake")
    note.refresh_from_db()
    assert not note.is_struck


def test_a_chronology_entry_is_struck_through_by_a_manager_only(client, people, allocated, case):
    entry = chronology_entry_add(child=allocated, case=case, written_by=people[Role.SOCIAL_WORKER],
                                 kind=ChronologyEntry.Kind.OTHER, occurred_at=timezone.now() - timedelta(days=400),
                                 title="Father imprisoned")  # fmt: skip
    assert not entry.automatic
    with pytest.raises(PermissionDenied):
        chronology_entry_strike(entry=entry, struck_by=people[Role.SOCIAL_WORKER], reason="Wrong")
    client.force_login(people[Role.SOCIAL_WORKER])
    assert client.post(f"/chronology/{entry.pk}/strike/", {"reason": "Wrong"}).status_code == 403
    client.force_login(people[Role.SERVICE_MANAGER])
    assert client.post(f"/chronology/{entry.pk}/strike/", {"reason": "Wrong person"}).status_code == 302
    entry.refresh_from_db()
    assert entry.is_struck and entry.struck_by == people[Role.SERVICE_MANAGER]
    body = client.get(f"/children/{allocated.pk}/chronology/").content.decode()
    assert "<del>Father imprisoned</del>" in body and "Wrong person" in body


# --- The chronology -----------------------------------------------------------------------------


def test_a_hand_written_entry_through_the_page(client, people, allocated):
    client.force_login(people[Role.SOCIAL_WORKER])
    long_ago = timezone.now() - timedelta(days=800)
    response = client.post(f"/children/{allocated.pk}/chronology/new/", {
        "kind": "placement", **_date_fields("occurred_date", long_ago), "occurred_time": "",
        "title": "Moved to grandmother's", "detail": "Informal arrangement",
    })  # fmt: skip
    assert response.status_code == 302
    entry = allocated.chronology.get(title="Moved to grandmother's")
    assert not entry.automatic and entry.written_by == people[Role.SOCIAL_WORKER]
    assert timezone.localtime(entry.occurred_at).date() == timezone.localtime(long_ago).date()


def test_a_hand_written_entry_in_the_future_names_the_field(client, people, allocated):
    client.force_login(people[Role.SOCIAL_WORKER])
    count = ChronologyEntry.objects.count()
    response = client.post(f"/children/{allocated.pk}/chronology/new/", {
        "kind": "other", "occurred_date_0": "1", "occurred_date_1": "1", "occurred_date_2": "2099", "title": "Later",
    })  # fmt: skip
    body = response.content.decode()
    assert response.status_code == 200 and 'id="id_occurred_date-error"' in body and "today or in the past" in body
    assert ChronologyEntry.objects.count() == count


def test_the_chronology_filters_by_kind_and_date(client, people, allocated, case):
    worker = people[Role.SOCIAL_WORKER]
    now = timezone.now()
    for days, kind, title in ((300, "placement", "Placement one"), (200, "visit", "Visit in spring"),
                              (100, "placement", "Placement two")):  # fmt: skip
        chronology_entry_add(child=allocated, case=case, written_by=worker, kind=kind,
                             occurred_at=now - timedelta(days=days), title=title)  # fmt: skip
    client.force_login(worker)
    url = f"/children/{allocated.pk}/chronology/"
    body = client.get(url).content.decode()
    assert all(title in body for title in ("Placement one", "Visit in spring", "Placement two", "Referral from"))
    assert 'class="moj-timeline"' in body and "moj-timeline__item" in body

    body = client.get(url, {"kind": ["placement", "visit"]}).content.decode()
    assert "Placement one" in body and "Visit in spring" in body and "Referral from" not in body
    body = client.get(url, {"kind": "placement", **_date_fields("from_date", now - timedelta(days=150))}).content
    assert b"Placement two" in body and b"Placement one" not in body and b"Visit in spring" not in body
    body = client.get(url, {**_date_fields("from_date", now - timedelta(days=250)),
                            **_date_fields("to_date", now - timedelta(days=150))}).content  # fmt: skip
    assert b"Visit in spring" in body and b"Placement one" not in body and b"Placement two" not in body

    response = client.get(url, {**_date_fields("from_date", now), **_date_fields("to_date", now - timedelta(days=9))})
    assert "The to date must be the same as or after the from date" in response.content.decode()


def test_the_chronology_is_paginated_and_keeps_the_filter(client, people, allocated, case):
    worker = people[Role.SOCIAL_WORKER]
    for n in range(30):
        chronology_entry_add(child=allocated, case=case, written_by=worker, kind="visit",
                             occurred_at=timezone.now() - timedelta(days=n + 1), title=f"Visit {n}")  # fmt: skip
    client.force_login(worker)
    body = client.get(f"/children/{allocated.pk}/chronology/", {"kind": ["visit", "placement"]}).content.decode()
    assert body.count("moj-timeline__item") == 25 and "Page 1 of 2" in body
    assert "kind=visit&amp;kind=placement&amp;page=2" in body
    body = client.get(f"/children/{allocated.pk}/chronology/", {"kind": ["visit"], "page": 2}).content.decode()
    assert body.count("moj-timeline__item") == 5


def test_the_chronology_pdf(client, people, allocated, case):
    three_days_ago = timezone.now() - timedelta(days=3)
    chronology_entry_add(child=allocated, case=case, written_by=people[Role.SOCIAL_WORKER], kind="other",
                         occurred_at=three_days_ago, title="Missing from home overnight")  # fmt: skip
    client.force_login(people[Role.QA_AUDITOR])
    response = client.get(f"/children/{allocated.pk}/chronology.pdf", {"kind": "other"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f"chronology-{allocated.reference}-" in response["Content-Disposition"]
    assert people[Role.QA_AUDITOR].access_log.exists()


# --- The case summary ---------------------------------------------------------------------------


def test_writing_a_summary_meets_the_one_due_and_opens_the_next(client, people, allocated, case):
    worker = people[Role.SOCIAL_WORKER]
    first = case_summary_write(case=case, written_by=worker, text="First quarter: settled.")
    opened = Deadline.objects.get(key="case_summary_interval", status=Deadline.Status.OPEN)
    assert opened.case == case and opened.assignee == worker and "3 months" in opened.explanation
    with time_machine.travel(timezone.now() + timedelta(days=120), tick=False):
        case_summary_write(case=case, written_by=worker, text="Second quarter: school attendance up.")
    opened.refresh_from_db()
    assert opened.status == Deadline.Status.MET_LATE
    assert Deadline.objects.filter(key="case_summary_interval", status=Deadline.Status.OPEN).count() == 1
    assert allocated.chronology.filter(kind=ChronologyEntry.Kind.SUMMARY).count() == 2

    client.force_login(people[Role.QA_AUDITOR])
    body = client.get(f"/children/{allocated.pk}/summary/").content.decode()
    assert "Second quarter: school attendance up." in body and "Earlier summaries" in body
    assert first.text in body and "Write a new summary" not in body


def test_an_empty_summary_names_the_field_and_saves_nothing(client, people, allocated):
    client.force_login(people[Role.SOCIAL_WORKER])
    response = client.post(f"/children/{allocated.pk}/summary/", {"text": " "})
    body = response.content.decode()
    assert response.status_code == 200 and "Enter the case summary" in body and 'id="id_text-error"' in body
    assert not CaseSummary.objects.exists()
    # Only the clock allocation started, still open: nothing was met or opened by the refused post.
    assert list(Deadline.objects.filter(key="case_summary_interval").values_list("status", flat=True)) == ["open"]


# --- Query bounds -------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["notes/", "chronology/", "summary/"])
def test_pages_have_a_bounded_query_count_at_two_sizes(client, people, allocated, case, page,
                                                      django_assert_max_num_queries):  # fmt: skip
    client.force_login(people[Role.TEAM_MANAGER])
    url = f"/children/{allocated.pk}/{page}"
    client.get(url)
    for extra in (0, 10):
        for n in range(extra):
            author = people[Role.SOCIAL_WORKER] if n % 2 else people[Role.TEAM_MANAGER]
            note = _note(case, author, kind=CaseNote.Kind.SIGNIFICANT_EVENT, title=f"Event {n}")
            if n % 3 == 0:
                case_note_strike(note=note, struck_by=people[Role.TEAM_MANAGER], reason="Wrong child")
            case_summary_write(case=case, written_by=author, text=f"Summary {n}")
        with django_assert_max_num_queries(16):
            assert client.get(url).status_code == 200


# --- Changing a note ----------------------------------------------------------------------------


def test_the_author_changes_their_note_and_the_old_words_stay_in_its_history(client, people, case, allocated):
    worker = people[Role.SOCIAL_WORKER]
    note = _note(case, worker)
    client.force_login(worker)
    page = client.get(f"/notes/{note.pk}/edit/")
    version = page.context["form"].initial["version"]
    response = client.post(f"/notes/{note.pk}/edit/", {"title": "Call with mother", "version": version,
                                                       "text": "Mother says both children are at school."})  # fmt: skip
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.text == "Mother says both children are at school."
    assert [h.text for h in note.history.order_by("history_id")] == [
        "Mother says the children are at school today.", "Mother says both children are at school.",
    ]  # fmt: skip
    assert note.history.latest().history_user == worker


def test_a_change_made_meanwhile_is_never_overwritten(client, people, case):
    worker = people[Role.SOCIAL_WORKER]
    note = _note(case, worker)
    client.force_login(worker)
    stale = client.get(f"/notes/{note.pk}/edit/").context["form"].initial["version"]
    client.post(f"/notes/{note.pk}/edit/", {"title": "Call", "text": "First correction.", "version": stale})
    response = client.post(f"/notes/{note.pk}/edit/", {"title": "Call", "text": "Second tab.", "version": stale})
    assert response.status_code == 200 and "Someone changed this note after you opened it" in response.content.decode()
    note.refresh_from_db()
    assert note.text == "First correction."


@pytest.mark.parametrize("role", list(Role))
def test_only_the_author_may_change_a_note(client, people, case, allocated, role):
    note = _note(case, people[Role.SOCIAL_WORKER])
    client.force_login(people[role])
    expected = 200 if role == Role.SOCIAL_WORKER else (403 if role in SEES_CHILDREN else 404)
    assert client.get(f"/notes/{note.pk}/edit/").status_code == expected

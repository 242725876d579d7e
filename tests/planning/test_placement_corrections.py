"""Correcting a placement already recorded (its type, carer, and the SSDA903's provider, postcode and
Ofsted URN) and a held looked-after review's participation: who may, the DfE's checks as at the
start (a withdrawn type refused for a placement current this year, kept by one that ended before),
a save made after someone else's refused, nothing half-saved; the pages for every role; and the
data-quality list showing and clearing both."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from cases.codes.ssda903 import PLACEMENT_PROVIDERS
from cases.concurrency import EditConflict
from cases.models import Authority, ChronologyEntry
from cases.roles import Role
from cases.selectors.children import children_visible_to
from cases.services.family import legal_status_start
from planning.models import Meeting
from planning.services.looked_after import lac_review_participation_correct, lac_review_record
from planning.services.placements import placement_correct, placement_start
from tests.clock import DEFAULT
from tests.factories import allocate_new_child, staff
from tests.support import at, looked_after, team_of

pytestmark = pytest.mark.django_db

NOW = DEFAULT  # the fixed instant every test here runs at (tests/clock.py): 20 Nov 2026, in 2026-27
TODAY = DEFAULT.date()
FOSTER = {"placement_type": "U6", "carer": "The Shaws", "provider": "PR1", "postcode": "LS6 2AB", "urn": "SC100001"}


def correct(placement, by, **fields):
    placement.refresh_from_db()
    values = {name: getattr(placement, name) for name in ("placement_type", "carer", "provider", "postcode", "urn")}
    return placement_correct(placement=placement, recorded_by=by, version=placement.version, **(values | fields))


def corrections_on(case) -> list[ChronologyEntry]:
    return list(ChronologyEntry.objects.filter(case=case, title__startswith="Placement details corrected"))


@pytest.fixture
def placed(people, case):
    """Looked after and placed with foster carers today, recorded before the DfE's fields were asked."""
    return looked_after(people, case)


@pytest.fixture
def from_2024(leeds):
    """A child placed in independent living (P2) in June 2024, when the DfE still took P2, who is
    still there: (people, case, placement)."""
    with time_machine.travel(at(date(2024, 5, 1)), tick=False):
        people, case = team_of("leeds")
    with time_machine.travel(at(date(2024, 6, 3), 16), tick=False):
        legal_status_start(case=case, kind="lac", legal_status="C2", started_on=date(2024, 6, 3),
                           recorded_by=people[Role.TEAM_MANAGER])  # fmt: skip
        placement = placement_start(case=case, recorded_by=people[Role.SOCIAL_WORKER], placement_type="P2",
                                    carer="Flat 4, Park Road", started_on=date(2024, 6, 3), provider="PR1",
                                    postcode="LS2 7EW", urn="XXXXXXX")  # fmt: skip
    return people, case, placement


# --- The service: correcting a placement ------------------------------------------------------


def test_the_worker_adds_what_the_dfe_needs_and_the_chronology_says_what_changed(people, case, placed):
    worker = people[Role.SOCIAL_WORKER]
    saved = correct(placed, worker, provider="PR4", postcode="ls7 3cd", urn="sc200002", carer="  The Shaw family ")
    placed.refresh_from_db()
    assert (placed.provider, placed.postcode, placed.urn, placed.carer) == ("PR4", "LS7 3CD", "SC200002",
                                                                            "The Shaw family")  # fmt: skip
    assert saved.version == placed.version == 2
    assert placed.history.first().history_user == worker
    [entry] = corrections_on(case)
    assert entry.written_by == worker and NOW <= entry.occurred_at < NOW + timedelta(minutes=1)
    assert "Carer or provider changed from The Shaws to The Shaw family" in entry.detail
    assert f"Placement provider added: {PLACEMENT_PROVIDERS.label('PR4')}" in entry.detail
    assert "Postcode of the placement added: LS7 3CD" in entry.detail
    assert "Ofsted unique reference number (URN) added: SC200002" in entry.detail


def test_saving_what_is_already_recorded_changes_nothing(people, case, placed):
    correct(placed, people[Role.SOCIAL_WORKER], **FOSTER)
    history = placed.history.count()
    correct(placed, people[Role.TEAM_MANAGER], **FOSTER)
    assert placed.history.count() == history and len(corrections_on(case)) == 1


@pytest.mark.parametrize("role", [role for role in Role if role not in (Role.SOCIAL_WORKER, Role.TEAM_MANAGER)])
def test_only_the_cases_writers_may_correct_a_placement(people, case, placed, role):
    with pytest.raises(PermissionDenied):
        correct(placed, people[role], **FOSTER)
    placed.refresh_from_db()
    assert (placed.provider, placed.version) == ("", 1) and not corrections_on(case)


def test_a_manager_of_the_team_may_correct_it(people, case, placed):
    correct(placed, people[Role.TEAM_MANAGER], **FOSTER)
    placed.refresh_from_db()
    assert placed.urn == "SC100001"


@pytest.mark.parametrize(("fields", "field", "words"), [
    ({"placement_type": ""}, "placement_type", "Select the type of placement"),
    ({"placement_type": "Q9"}, "placement_type", "Select the type of placement"),
    ({"carer": "   "}, "carer", "Enter the carer or provider"),
    ({"provider": ""}, "provider", "Select the placement provider"),
    ({"provider": "PR0"}, "provider", "placement provider can be parents only"),
    ({"postcode": "NOT A CODE"}, "postcode", "postcode of the placement in the right format"),
    ({"urn": "AB12"}, "urn", "Ofsted URN in the right format"),
    ({"urn": ""}, "urn", "Enter the Ofsted URN"),
    ({"placement_type": "T1"}, "provider", "leave the placement provider blank"),
    ({"placement_type": "P2"}, "placement_type", "does not accept"),
    ({"placement_type": "Z1", "provider": "", "urn": ""}, "placement_type", "does not accept"),
])  # fmt: skip
def test_bad_input_names_the_field_and_saves_nothing(people, case, placed, fields, field, words):
    with pytest.raises(ValidationError) as raised:
        correct(placed, people[Role.SOCIAL_WORKER], **(FOSTER | fields))
    assert words in " ".join(raised.value.message_dict[field])
    placed.refresh_from_db()
    assert (placed.placement_type, placed.provider, placed.urn, placed.version) == ("U6", "", "", 1)
    assert placed.history.count() == 1 and not corrections_on(case)


def test_an_open_placement_from_before_april_2025_must_be_recoded_to_this_years_type(from_2024):
    people, case, placement = from_2024
    worker = people[Role.SOCIAL_WORKER]
    with pytest.raises(ValidationError) as raised:
        correct(placement, worker, carer="Flat 4b, Park Road")
    assert raised.value.message_dict["placement_type"] == [
        "The DfE does not accept ‘Independent living, such as a flat, lodgings or with friends (before 2025)’ for "
        "a placement current in 2026-27: choose one of that year's types"]
    correct(placement, worker, placement_type="K3", provider="PR4", urn="SC300003")
    placement.refresh_from_db()
    assert (placement.placement_type, placement.urn) == ("K3", "SC300003")
    [entry] = corrections_on(case)
    assert "Type of placement changed from Independent living" in entry.detail
    assert "to Supported accommodation, not subject to children's homes regulations" in entry.detail


def test_an_ended_placement_keeps_its_old_code_but_takes_no_code_its_year_did_not(from_2024):
    people, case, p2 = from_2024
    worker = people[Role.SOCIAL_WORKER]
    with time_machine.travel(at(date(2025, 1, 10)), tick=False):
        placement_start(case=case, recorded_by=worker, placement_type="U6", carer="The Shaws",
                        started_on=date(2025, 1, 10), change_reason="Needed more support")  # fmt: skip
    correct(p2, worker, carer="Flat 4b, Park Road")  # ended in 2024-25, when P2 was taken
    p2.refresh_from_db()
    assert (p2.placement_type, p2.carer) == ("P2", "Flat 4b, Park Road")
    with pytest.raises(ValidationError) as raised:
        correct(p2, worker, placement_type="Z11", provider="", urn="")
    assert "for a placement that ended in 2024-25" in raised.value.message_dict["placement_type"][0]
    p2.refresh_from_db()
    assert p2.placement_type == "P2"


def test_a_move_into_a_temporary_placement_keeps_it_temporary(people, case):
    legal_status_start(case=case, kind="lac", legal_status="C2", started_on=TODAY,
                       recorded_by=people[Role.TEAM_MANAGER])  # fmt: skip
    worker = people[Role.SOCIAL_WORKER]
    placement_start(case=case, recorded_by=worker, started_on=TODAY, **FOSTER)
    hospital = placement_start(case=case, recorded_by=worker, placement_type="T1", carer="St James's", provider="",
                               urn="", started_on=TODAY, change_reason="Admitted to hospital",
                               move_reason="")  # fmt: skip
    with pytest.raises(ValidationError) as raised:
        correct(hospital, worker, placement_type="U6", provider="PR1", urn="SC100001")
    assert "A move into or out of this placement" in raised.value.message_dict["placement_type"][0]
    correct(hospital, worker, placement_type="T0")  # temporary still: nothing about the move changes
    hospital.refresh_from_db()
    assert hospital.placement_type == "T0"


def test_a_save_made_after_someone_elses_is_refused(people, case, placed):
    opened = placed.version
    correct(placed, people[Role.TEAM_MANAGER], **FOSTER)
    with pytest.raises(EditConflict) as raised:
        placement_correct(placement=placed, recorded_by=people[Role.SOCIAL_WORKER], version=opened,
                          **(FOSTER | {"urn": "SC999999"}))  # fmt: skip
    assert "saved this placement after you opened it" in raised.value.messages[0]
    placed.refresh_from_db()
    assert placed.urn == "SC100001" and len(corrections_on(case)) == 1


def test_nothing_is_kept_when_the_chronology_cannot_be_written(people, case, placed, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("the chronology is down")

    monkeypatch.setattr("planning.services.placements.chronology_write", broken)
    with pytest.raises(RuntimeError):
        correct(placed, people[Role.SOCIAL_WORKER], **FOSTER)
    placed.refresh_from_db()
    assert (placed.provider, placed.version, placed.history.count()) == ("", 1, 1)


def test_any_other_save_raises_the_version_too(people, case, placed):
    from planning.services.placements import placement_agree_permanence

    opened = placed.version
    placement_agree_permanence(placement=placed, agreed_on=TODAY, recorded_by=people[Role.TEAM_MANAGER])
    with pytest.raises(EditConflict):
        placement_correct(placement=placed, recorded_by=people[Role.SOCIAL_WORKER], version=opened, **FOSTER)


# --- The service: correcting a review's participation ----------------------------------------


def review(people, case, **fields):
    return lac_review_record(case=case, chair=people[Role.CONFERENCE_CHAIR], held_at=NOW - timedelta(hours=1),
                             attendees="Child", summary="Plan endorsed.", **fields)  # fmt: skip


def participation_entries(case) -> list[ChronologyEntry]:
    return list(ChronologyEntry.objects.filter(case=case, title__contains="participation corrected"))


def test_the_chair_corrects_the_participation_and_the_chronology_says_what_it_was(people, case, placed):
    meeting = review(people, case, participation="PN1")
    lac_review_participation_correct(meeting=meeting, recorded_by=people[Role.CONFERENCE_CHAIR],
                                     version=meeting.version, participation="PN5")  # fmt: skip
    meeting.refresh_from_db()
    assert (meeting.participation, meeting.version) == ("PN5", 2)
    [entry] = participation_entries(case)
    assert entry.title == "Looked-after review of 20 November 2026: the child's participation corrected"
    assert entry.detail.startswith("Was: Child spoke for themselves at the review. Now: The child did not attend")


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.SERVICE_MANAGER])
def test_those_who_write_the_childs_plans_add_one_never_recorded(people, case, placed, role):
    meeting = review(people, case)  # recorded before the page asked it
    assert meeting.participation == ""
    lac_review_participation_correct(meeting=meeting, recorded_by=people[role], version=meeting.version,
                                     participation="PN0")  # fmt: skip
    meeting.refresh_from_db()
    assert meeting.participation == "PN0"
    assert participation_entries(case)[0].detail == "Not recorded before. Now: Child under 4 at the time of the review."


@pytest.mark.parametrize("who", ["another chair", Role.QA_AUDITOR, Role.BUSINESS_SUPPORT, Role.PERSONAL_ADVISER])
def test_no_one_else_may_correct_it(people, case, placed, who, leeds):
    meeting = review(people, case, participation="PN1")
    user = staff(Role.CONFERENCE_CHAIR, authority=leeds) if who == "another chair" else people[who]
    with pytest.raises(PermissionDenied):
        lac_review_participation_correct(meeting=meeting, recorded_by=user, version=meeting.version,
                                         participation="PN5")  # fmt: skip
    meeting.refresh_from_db()
    assert meeting.participation == "PN1" and not participation_entries(case)


@pytest.mark.parametrize("participation", ["", "PN9"])
def test_a_completed_review_needs_a_participation_code(people, case, placed, participation):
    meeting = review(people, case, participation="PN1")
    with pytest.raises(ValidationError) as raised:
        lac_review_participation_correct(meeting=meeting, recorded_by=people[Role.CONFERENCE_CHAIR],
                                         version=meeting.version, participation=participation)  # fmt: skip
    assert raised.value.message_dict["participation"] == ["Select the child's participation in the review"]
    meeting.refresh_from_db()
    assert (meeting.participation, meeting.version) == ("PN1", 1)


def test_an_adjourned_review_may_be_left_without_one(people, case, placed):
    meeting = review(people, case, participation="PN1", adjourned=True)
    lac_review_participation_correct(meeting=meeting, recorded_by=people[Role.CONFERENCE_CHAIR],
                                     version=meeting.version, participation="")  # fmt: skip
    meeting.refresh_from_db()
    assert meeting.participation == ""


def test_a_participation_saved_after_someone_elses_is_refused(people, case, placed):
    meeting = review(people, case, participation="PN1")
    lac_review_participation_correct(meeting=meeting, recorded_by=people[Role.SOCIAL_WORKER], version=1,
                                     participation="PN2")  # fmt: skip
    with pytest.raises(EditConflict):
        lac_review_participation_correct(meeting=meeting, recorded_by=people[Role.CONFERENCE_CHAIR], version=1,
                                         participation="PN7")  # fmt: skip
    meeting.refresh_from_db()
    assert meeting.participation == "PN2"


def test_only_a_held_looked_after_review_has_its_participation_corrected(people, case, placed):
    booked = Meeting.objects.create(authority_id=case.authority_id, case=case, child=case.child, kind="lac_review",
                                    scheduled_at=NOW + timedelta(days=7), recorded_by=people[Role.SOCIAL_WORKER])
    with pytest.raises(PermissionDenied):
        lac_review_participation_correct(meeting=booked, recorded_by=people[Role.SOCIAL_WORKER], version=1,
                                         participation="PN1")  # fmt: skip


# --- The pages --------------------------------------------------------------------------------


def expected_status(user, case, allowed: set) -> int:
    sees = children_visible_to(user).filter(pk=case.child_id).exists()
    return 404 if not sees else 200 if user in allowed else 403


@pytest.mark.parametrize("role", list(Role))
def test_the_correction_pages_for_every_role(client, people, case, placed, role):
    meeting = review(people, case, participation="PN1")
    user = people[role]
    client.force_login(user)
    writers = {people[Role.SOCIAL_WORKER], people[Role.TEAM_MANAGER]}
    plan_writers = writers | {people[Role.SERVICE_MANAGER], people[Role.CONFERENCE_CHAIR]}
    assert client.get(f"/placements/{placed.pk}/correct/").status_code == expected_status(user, case, writers)
    assert client.get(f"/meetings/{meeting.pk}/participation/").status_code == expected_status(
        user, case, plan_writers)
    tab = client.get(f"/children/{case.child_id}/placements/")
    if tab.status_code == 200:
        assert (f'href="/placements/{placed.pk}/correct/"' in tab.content.decode()) == (user in writers)
    record = client.get(f"/meetings/{meeting.pk}/")
    if record.status_code == 200:
        assert (f'href="/meetings/{meeting.pk}/participation/"' in record.content.decode()) == (user in plan_writers)


def test_another_authoritys_user_and_anyone_not_named_on_a_restricted_child_get_not_found(
        client, people, case, placed):  # fmt: skip
    meeting = review(people, case, participation="PN1")
    paths = (f"/placements/{placed.pk}/correct/", f"/meetings/{meeting.pk}/participation/")
    york = Authority.objects.get(slug="york")
    for role in (Role.SERVICE_MANAGER, Role.CONFERENCE_CHAIR):
        client.force_login(staff(role, authority=york))
        assert [client.get(path).status_code for path in paths] == [404, 404]
        assert [client.post(path, {"version": 1}).status_code for path in paths] == [404, 404]
    case.child.restricted = True
    case.child.save()
    case.child.restricted_to.add(people[Role.TEAM_MANAGER])
    client.force_login(people[Role.SOCIAL_WORKER])  # the allocated worker, but not named
    assert [client.get(path).status_code for path in paths] == [404, 404]
    client.force_login(people[Role.TEAM_MANAGER])
    assert [client.get(path).status_code for path in paths] == [200, 200]


def test_a_meeting_that_is_not_a_held_review_has_no_participation_page(client, people, case, placed):
    booked = Meeting.objects.create(authority_id=case.authority_id, case=case, child=case.child, kind="lac_review",
                                    scheduled_at=NOW + timedelta(days=7), recorded_by=people[Role.SOCIAL_WORKER])
    client.force_login(people[Role.SOCIAL_WORKER])
    assert client.get(f"/meetings/{booked.pk}/participation/").status_code == 404


def form_data(placement, **fields) -> dict:
    placement.refresh_from_db()
    data = {name: getattr(placement, name) for name in ("placement_type", "carer", "provider", "postcode", "urn")}
    return data | {"version": placement.version} | fields


def test_the_worker_corrects_a_placement_through_the_page(client, people, case, placed):
    client.force_login(people[Role.SOCIAL_WORKER])
    page = f"/placements/{placed.pk}/correct/"
    form = client.get(page).content.decode()
    assert "<h1 class=\"govuk-heading-l\">Correct the placement&#x27;s details</h1>" in form
    refused = client.post(page, form_data(placed, urn="AB12")).content.decode()
    assert "There is a problem" in refused and 'href="#id_urn"' in refused and 'href="#id_provider"' in refused
    assert "Ofsted URN in the right format" in refused
    response = client.post(page, form_data(placed, **FOSTER))
    assert response.status_code == 302 and response["Location"] == f"/children/{case.child_id}/placements/"
    placed.refresh_from_db()
    assert (placed.provider, placed.urn) == ("PR1", "SC100001")
    assert "Ofsted URN: SC100001" in client.get(response["Location"]).content.decode()


def test_the_page_shows_what_someone_else_saved_and_keeps_the_users_answers(client, people, case, placed):
    client.force_login(people[Role.SOCIAL_WORKER])
    opened = form_data(placed)
    correct(placed, people[Role.TEAM_MANAGER], **FOSTER)
    body = client.post(f"/placements/{placed.pk}/correct/", opened | {"carer": "The Shaw family", "provider": "PR4",
                                                                      "urn": "SC200002"}).content.decode()
    assert "Saved by someone else after you opened it" in body and "SC100001" in body
    assert 'value="The Shaw family"' in body
    placed.refresh_from_db()
    assert (placed.carer, placed.urn) == ("The Shaws", "SC100001")


def test_the_chair_corrects_the_participation_through_the_page(client, people, case, placed):
    meeting = review(people, case, participation="PN1")
    client.force_login(people[Role.CONFERENCE_CHAIR])
    page = f"/meetings/{meeting.pk}/participation/"
    refused = client.post(page, {"participation": "", "version": meeting.version}).content.decode()
    assert 'href="#id_participation' in refused and "Select the child&#x27;s participation" in refused
    response = client.post(page, {"participation": "PN6", "version": meeting.version})
    assert response.status_code == 302 and response["Location"] == f"/meetings/{meeting.pk}/"
    assert "conveyed their feelings another way" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize("size", [1, 6])
def test_the_correction_pages_run_a_bounded_number_of_queries(client, people, case, placed, size,
                                                               django_assert_max_num_queries):  # fmt: skip
    worker = people[Role.SOCIAL_WORKER]
    for n in range(size):
        placed = placement_start(case=case, recorded_by=worker, started_on=TODAY, change_reason=f"Move {n}",
                                 move_reason="CREQB", **FOSTER)  # fmt: skip
    meetings = [review(people, case, participation="PN1") for _ in range(size)]
    client.force_login(people[Role.TEAM_MANAGER])
    client.get(f"/placements/{placed.pk}/correct/")
    # Session, user, roles, the bell, the record with its case and child, and who may write it (10
    # and 9 today); a post adds the locks, the checks, the save, its history and the chronology (24
    # and 21). None of it grows with the child's placements or reviews.
    with django_assert_max_num_queries(12):
        assert client.get(f"/placements/{placed.pk}/correct/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(f"/meetings/{meetings[-1].pk}/participation/").status_code == 200
    with django_assert_max_num_queries(26):
        assert client.post(f"/placements/{placed.pk}/correct/", form_data(placed, carer="Oak House")).status_code == 302
    with django_assert_max_num_queries(26):
        assert client.post(f"/meetings/{meetings[-1].pk}/participation/",
                           {"participation": "PN2", "version": meetings[-1].version}).status_code == 302


# --- The data-quality list --------------------------------------------------------------------


def listed(client, key: str, child) -> bool:
    return f'href="/children/{child.pk}/' in client.get(f"/data-quality/{key}/").content.decode()


def test_a_current_placement_lacking_what_the_dfe_needs_is_listed_until_corrected(client, people, case, placed):
    client.force_login(people[Role.TEAM_MANAGER])
    assert listed(client, "placement-details", case.child)
    page = client.get("/data-quality/placement-details/").content.decode()
    assert f'href="/children/{case.child_id}/placements/"' in page
    correct(placed, people[Role.SOCIAL_WORKER], **(FOSTER | {"postcode": ""}))
    assert listed(client, "placement-details", case.child)  # the postcode is still missing
    correct(placed, people[Role.SOCIAL_WORKER], **FOSTER)
    assert not listed(client, "placement-details", case.child)
    summary = client.get("/data-quality/").content.decode()
    assert "Placement details the DfE needs" in summary and "participation in their last looked-after review" in summary


def test_a_placement_of_a_type_withdrawn_this_year_is_listed_until_recoded(client, from_2024):
    people, case, placement = from_2024
    client.force_login(people[Role.TEAM_MANAGER])
    assert listed(client, "placement-details", case.child)  # provider, postcode and URN are all there
    correct(placement, people[Role.SOCIAL_WORKER], placement_type="K3", provider="PR4", urn="SC300003")
    assert not listed(client, "placement-details", case.child)


def test_the_dfe_asks_no_postcode_for_short_breaks(client, people, case):
    legal_status_start(case=case, kind="lac", legal_status="V3", started_on=TODAY,
                       recorded_by=people[Role.TEAM_MANAGER])  # fmt: skip
    placement_start(case=case, recorded_by=people[Role.SOCIAL_WORKER], started_on=TODAY,
                    **(FOSTER | {"postcode": ""}))  # fmt: skip
    client.force_login(people[Role.TEAM_MANAGER])
    assert not listed(client, "placement-details", case.child)


def test_the_last_review_lacking_participation_is_listed_until_it_is_recorded(client, people, case, placed):
    client.force_login(people[Role.TEAM_MANAGER])
    assert not listed(client, "review-participation", case.child)  # no review yet
    meeting = review(people, case)
    assert listed(client, "review-participation", case.child)
    page = client.get("/data-quality/review-participation/").content.decode()
    assert f'href="/children/{case.child_id}/plans/"' in page
    lac_review_participation_correct(meeting=meeting, recorded_by=people[Role.CONFERENCE_CHAIR],
                                     version=meeting.version, participation="PN1")  # fmt: skip
    assert not listed(client, "review-participation", case.child)


def test_only_the_last_completed_review_counts(client, people, case, placed):
    client.force_login(people[Role.TEAM_MANAGER])
    lac_review_record(case=case, chair=people[Role.CONFERENCE_CHAIR], held_at=NOW - timedelta(hours=3),
                      attendees="Child", summary="Plan endorsed.")  # an older review, never coded  # fmt: skip
    review(people, case, participation="PN1")
    assert not listed(client, "review-participation", case.child)


@pytest.mark.parametrize("key", ["placement-details", "review-participation"])
def test_the_new_lists_run_a_bounded_number_of_queries(client, people, leeds, key, django_assert_max_num_queries):
    client.force_login(people[Role.SERVICE_MANAGER])
    client.get(f"/data-quality/{key}/")
    for extra in (1, 8):
        for _ in range(extra):
            case = allocate_new_child(people, leeds).cases.get()
            looked_after(people, case)
            review(people, case)
        # As tests/cases/test_data_quality.py counts them: 11 for a field's list, 15 for the summary.
        with django_assert_max_num_queries(12):
            assert client.get(f"/data-quality/{key}/").status_code == 200
        with django_assert_max_num_queries(16):
            assert client.get("/data-quality/").status_code == 200


def test_a_change_of_legal_status_does_not_restart_the_year_in_care_the_health_record_needs(client, from_2024):
    """In care since June 2024, on a new legal status from two months ago (the court made a full
    care order after an interim one): still looked after a year or more, so a year with no health
    record is listed; a child in care only since the summer is not."""
    people, case, _ = from_2024
    with time_machine.travel(at(date(2026, 9, 21), 16), tick=False):
        legal_status_start(case=case, kind="lac", legal_status="C2", started_on=date(2026, 9, 21),
                           recorded_by=people[Role.TEAM_MANAGER])  # fmt: skip
    with time_machine.travel(at(date(2026, 7, 1), 16), tick=False):
        recent = allocate_new_child(people, case.authority, first_name="Recent", last_name="Arrival").cases.get()
        looked_after(people, recent, on=date(2026, 7, 1))
    client.force_login(people[Role.SERVICE_MANAGER])
    assert case.statuses.filter(kind="lac", ended_on=None).get().started_on == date(2026, 9, 21)
    assert listed(client, "health-and-wellbeing", case.child)
    assert not listed(client, "health-and-wellbeing", recent.child)

"""The SSDA903 fields of placements and looked-after reviews: the provider, postcode and Ofsted URN
of a placement, the coded reasons a placement changed or ended, and the child's participation in a
review. Bad input names the field and saves nothing; the pages show each value in words."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.models import Deadline
from cases.roles import Role
from cases.services.family import legal_status_start
from planning.models import Meeting, Placement
from planning.services.looked_after import lac_review_record
from planning.services.placements import placement_end, placement_start
from tests.clock import DEFAULT
from tests.support import looked_after

# The one fixed instant every test here runs at (tests/clock.py), named so the dates read as fixed.
NOW = DEFAULT
TODAY = DEFAULT.date()

pytestmark = pytest.mark.django_db

HOME = {"placement_type": "K2", "carer": "Oak House", "provider": "PR4", "postcode": "LS7 3CD", "urn": "SC200002"}


@pytest.fixture
def placed(people, case):
    """Looked after and placed with foster carers today, the DfE's fields given."""
    legal_status_start(case=case, kind="lac", legal_status="C2", started_on=TODAY,
                       recorded_by=people[Role.TEAM_MANAGER])  # fmt: skip
    return placement_start(case=case, recorded_by=people[Role.SOCIAL_WORKER], placement_type="U6", carer="The Shaws",
                           started_on=TODAY, provider="PR1", postcode="ls6 2ab",
                           urn="sc100001")  # fmt: skip


def move(people, case, **fields):
    values = {**HOME, "started_on": TODAY, "change_reason": "The carers gave notice",
              "move_reason": "CREQB"} | fields  # fmt: skip
    return placement_start(case=case, recorded_by=people[Role.SOCIAL_WORKER], **values)


def test_a_placement_keeps_its_fields_tidied_and_a_move_records_why_on_the_one_that_ended(people, case, placed):
    assert (placed.provider, placed.postcode, placed.urn) == ("PR1", "LS6 2AB", "SC100001")
    new = move(people, case)
    placed.refresh_from_db()
    assert (placed.ended_on, placed.end_reason, placed.move_reason) == (TODAY, "X1", "CREQB")
    assert (new.provider, new.postcode, new.urn, new.end_reason, new.move_reason) == (
        "PR4", "LS7 3CD", "SC200002", "", "")
    # The history keeps the placement as it was before it ended.
    assert [(row.ended_on, row.end_reason) for row in placed.history.order_by("history_date")] == [
        (None, ""), (TODAY, "X1")]


@pytest.mark.parametrize(("fields", "field", "words"), [
    ({"provider": ""}, "provider", "Select the placement provider"),
    ({"provider": "PR9"}, "provider", "Select the placement provider"),
    ({"provider": "PR0"}, "provider", "placement provider can be parents only"),
    ({"placement_type": "T1", "provider": "PR1", "urn": "", "move_reason": ""}, "provider",
     "leave the placement provider blank"),
    ({"postcode": "NOT A CODE"}, "postcode", "postcode of the placement in the right format"),
    ({"postcode": "LS1"}, "postcode", "postcode of the placement in the right format"),
    ({"urn": "AB12"}, "urn", "Ofsted URN in the right format"),
    ({"urn": "SC12345"}, "urn", "Ofsted URN in the right format"),
    ({"urn": ""}, "urn", "Enter the Ofsted URN"),
    ({"placement_type": "P1", "provider": "PR0", "urn": "SC100001"}, "urn", "leave the Ofsted URN blank"),
    ({"move_reason": ""}, "move_reason", "Select the reason for the change of placement"),
    ({"move_reason": "BORED"}, "move_reason", "Select the reason for the change of placement"),
    ({"placement_type": "T1", "provider": "", "urn": ""}, "move_reason", "leave the reason for the change"),
])  # fmt: skip
def test_bad_input_to_a_move_names_the_field_and_saves_nothing(people, case, placed, fields, field, words):
    with pytest.raises(ValidationError) as raised:
        move(people, case, **fields)
    assert words in " ".join(raised.value.message_dict[field])
    assert Placement.objects.filter(case=case).count() == 1
    placed.refresh_from_db()
    assert (placed.ended_on, placed.end_reason, placed.move_reason) == (None, "", "")


@pytest.mark.parametrize("fields", [
    {"placement_type": "P1", "provider": "PR0", "urn": ""},
    {"placement_type": "P1", "provider": "PR0", "urn": "XXXXXXX"},
    {"placement_type": "K2", "provider": "PR2", "urn": "XXXXXXX"},  # placed outside England
    {"placement_type": "U4", "provider": "PR5", "urn": "1234567"},
    {"placement_type": "T1", "provider": "", "urn": "", "postcode": "", "move_reason": ""},
])  # fmt: skip
def test_what_the_dfes_rules_allow_is_recorded(people, case, placed, fields):
    assert move(people, case, **fields).placement_type == fields["placement_type"]


def test_the_end_of_a_placement_needs_why_and_keeps_the_history(people, case, placed):
    worker, today = people[Role.SOCIAL_WORKER], TODAY
    bad = [({"ended_on": today, "end_reason": "X1"}, "end_reason"),
           ({"ended_on": today, "end_reason": ""}, "end_reason"),
           ({"ended_on": today - timedelta(days=1), "end_reason": "E4A"}, "ended_on"),
           ({"ended_on": today + timedelta(days=1), "end_reason": "E4A"}, "ended_on")]  # fmt: skip
    for fields, field in bad:
        with pytest.raises(ValidationError) as raised:
            placement_end(placement=placed, recorded_by=worker, **fields)
        assert field in raised.value.message_dict
        placed.refresh_from_db()
        assert (placed.ended_on, placed.end_reason) == (None, "")
    with pytest.raises(ValidationError, match="Select why the placement ended"):
        placement_end(placement=placed, recorded_by=worker, ended_on=today, end_reason="E99")
    placement_end(placement=placed, recorded_by=worker, ended_on=today, end_reason="E4A")
    placed.refresh_from_db()
    assert (placed.ended_on, placed.end_reason) == (today, "E4A")
    assert placed.history.count() == 2
    with pytest.raises(ValidationError, match="This placement ended on"):
        placement_end(placement=placed, recorded_by=worker, ended_on=today, end_reason="E13")


def test_the_pages_ask_the_fields_and_show_them_in_words(client, people, case, placed):
    client.force_login(people[Role.SOCIAL_WORKER])
    page = f"/children/{case.child_id}/placements/new/"
    today = TODAY
    data = {"placement_type": "K2", "carer": "Oak House", "started_on_0": today.day, "started_on_1": today.month,
            "started_on_2": today.year, "started_time": "16:30", "change_reason": "The carers gave notice",
            "provider": "PR4", "postcode": "LS7 3CD", "urn": ""}  # fmt: skip
    body = client.post(page, data).content.decode()
    assert "Enter the Ofsted URN" in body and "Select the reason for the change of placement" in body
    assert Placement.objects.filter(case=case).count() == 1
    assert client.post(page, data | {"urn": "SC200002", "move_reason": "CREQB"}).status_code == 302
    listing = client.get(f"/children/{case.child_id}/placements/").content.decode()
    assert "Provider: A private provider" in listing and "Ofsted URN: SC200002" in listing
    assert "Moved: The carer asked for the placement to end because of the child" in listing
    current = Placement.objects.get(case=case, ended_on=None)
    ending = f"/placements/{current.pk}/end/"
    assert "Select why the placement ended" in client.post(ending, {"end_reason": ""}).content.decode()
    assert client.post(ending, {"ended_on_0": today.day, "ended_on_1": today.month, "ended_on_2": today.year,
                                "end_reason": "E4A"}).status_code == 302  # fmt: skip
    listing = client.get(f"/children/{case.child_id}/placements/").content.decode()
    assert "Returned home to parents, relatives or others with parental responsibility, as part of" in listing
    assert client.get(ending).status_code == 403  # it has ended


def test_a_placement_without_a_provider_is_refused_by_the_page(client, people, case):
    legal_status_start(case=case, kind="lac", legal_status="C2", started_on=TODAY,
                       recorded_by=people[Role.TEAM_MANAGER])  # fmt: skip
    client.force_login(people[Role.SOCIAL_WORKER])
    today = TODAY
    body = client.post(f"/children/{case.child_id}/placements/new/", {
        "placement_type": "U6", "carer": "The Shaws", "started_on_0": today.day, "started_on_1": today.month,
        "started_on_2": today.year, "started_time": "09:00", "postcode": "nowhere"}).content.decode()  # fmt: skip
    assert "Select the placement provider" in body and "postcode of the placement in the right format" in body
    assert not Placement.objects.exists()


# --- The child's participation in a looked-after review ------------------------------------------


def review(people, case, **fields):
    held = NOW - timedelta(hours=1)
    return lac_review_record(case=case, chair=people[Role.CONFERENCE_CHAIR], held_at=held, attendees="Child",
                             summary="Plan endorsed.", **fields)  # fmt: skip


@pytest.mark.parametrize("participation", ["", "PN9"])
def test_a_held_review_needs_the_childs_participation(people, case, participation):
    looked_after(people, case)
    with pytest.raises(ValidationError) as raised:
        review(people, case, participation=participation)
    assert raised.value.message_dict["participation"] == ["Select the child's participation in the review"]
    assert not Meeting.objects.filter(kind="lac_review").exists()
    assert Deadline.objects.get(case=case, key="lac_first_review").status == "open"


def test_an_adjourned_review_may_leave_participation_to_the_review_that_completes_it(people, case):
    looked_after(people, case)
    assert review(people, case, participation="", adjourned=True).participation == ""


def test_the_review_page_asks_participation_and_the_record_shows_it_in_words(client, people, case):
    looked_after(people, case)
    client.force_login(people[Role.CONFERENCE_CHAIR])
    held = timezone.localtime(NOW - timedelta(hours=1))
    data = {"held_on_0": held.day, "held_on_1": held.month, "held_on_2": held.year, "held_time": f"{held:%H:%M}",
            "attendees": "Zoë, carers", "summary": "Plan endorsed."}  # fmt: skip
    page = f"/children/{case.child_id}/reviews/new/"
    assert "Select the child&#x27;s participation in the review" in client.post(page, data).content.decode()
    assert not Meeting.objects.filter(kind="lac_review").exists()
    assert client.post(page, data | {"participation": "PN5"}).status_code == 302
    meeting = Meeting.objects.get(kind="lac_review")
    assert meeting.participation == "PN5"
    expected = "The child did not attend but briefed an advocate or the IRO to speak for them"
    assert expected in client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert expected in client.get(f"/children/{case.child_id}/plans/").content.decode()

"""What the DfE's validator found missing from the adoption steps, and how the steps now record it:
the placement order starts the child's looked-after legal status E1 (rule 408) without starting a
new period of care, and a reversal leaves it; placement for adoption records the adoptive
placement's postcode and Ofsted URN (rule 218) and the coded reason for the move from the placement
it ends (rule 225). Bad input names its field and saves nothing; the pages ask only what applies."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from cases.models import ChronologyEntry, Deadline, LegalStatus
from cases.roles import Role
from cases.services.family import legal_status_start
from planning.episodes import episodes_of
from planning.models import AdoptionStep, Placement
from planning.services.looked_after import ON_BECOMING_LOOKED_AFTER
from planning.services.placements import placement_start
from tests import clock
from tests.planning.test_adoption import (
    LOOKED_AFTER,
    ORDER,
    PLACED,
    WRITERS,
    day_fields,
    ledger,
    looked_after_child,
    placed_for_adoption,
    review,
    step,
)
from tests.support import at

pytestmark = pytest.mark.django_db

# The adoptive placement's DfE fields, as the page sends them.
ADOPTIVE = {"carer": "Jo and Sam Patel", "provider": "PR1", "postcode": "ls1 1bl", "urn": "sc056789",
            "move_reason": "CARPL"}  # fmt: skip


def _refused(people, case, kind, on, role=Role.SOCIAL_WORKER, **fields) -> dict:
    """The step's errors; nothing it would write (clocks, steps, statuses, placements, chronology)."""

    def state():
        return (ledger(case), AdoptionStep.objects.count(), statuses(case), Placement.objects.count(),
                ChronologyEntry.objects.filter(case=case).count())  # fmt: skip

    before = state()
    with pytest.raises(ValidationError) as error:
        step(people, case, kind, on, role=role, **fields)
    assert state() == before
    return error.value.message_dict


def statuses(case) -> list[tuple]:
    return list(LegalStatus.objects.filter(case=case, kind="lac").order_by("started_on", "pk")
                .values_list("legal_status", "started_on", "ended_on"))  # fmt: skip


def episodes(case) -> list[tuple]:
    found = episodes_of(LegalStatus.objects.filter(case=case), Placement.objects.filter(case=case))
    return [(episode.decom, episode.rne, episode.ls, episode.place, episode.dec, episode.rec,
             episode.reason_place_change) for episode in found]  # fmt: skip


# --- Rule 408: the placement order's legal status ------------------------------------------------


def test_the_placement_order_starts_legal_status_e1_from_the_day_it_was_granted(timescales_loaded):
    people, case = looked_after_child("leeds")
    review(people, case, date(2026, 11, 30))
    opened = Deadline.objects.filter(case=case, key__in=ON_BECOMING_LOOKED_AFTER).count()
    step(people, case, "placement_order", ORDER)
    # The care order ends the day the placement order's status starts: one period of care.
    assert statuses(case) == [("C2", LOOKED_AFTER, ORDER), ("E1", ORDER, None)]
    # Not a new period of care: no becoming-looked-after clock opens again.
    assert Deadline.objects.filter(case=case, key__in=ON_BECOMING_LOOKED_AFTER).count() == opened
    assert Deadline.objects.filter(case=case, key="lac_first_review").count() == 1
    # A new SSDA903 episode that day, on a change of legal status only (RNE L).
    assert episodes(case) == [(LOOKED_AFTER, "S", "C2", "U6", ORDER, "X1", None),
                              (ORDER, "L", "E1", "U6", None, None, None)]  # fmt: skip
    titles = set(ChronologyEntry.objects.filter(case=case).values_list("title", flat=True))
    assert "Looked after (Placement order granted) started" in titles


def test_reviews_after_the_order_count_on_from_the_period_of_care(timescales_loaded):
    """Barnet sets no order timetable: the review after the order is the second of the period, so
    it opens the regular interval, not another second review."""
    people, case = looked_after_child("barnet")
    review(people, case, date(2026, 11, 30))
    step(people, case, "placement_order", ORDER)
    review(people, case, date(2027, 2, 26))
    reviews = ("lac_first_review", "lac_second_review", "lac_review_interval")
    assert set(Deadline.objects.filter(case=case, status="open", key__in=reviews)
               .values_list("key", flat=True)) == {"lac_review_interval"}  # fmt: skip
    assert Deadline.objects.get(case=case, key="permanence_plan").status in ("met", "met_late")


def test_a_child_already_under_the_placement_order_status_keeps_it(timescales_loaded):
    people, case = looked_after_child("leeds")
    with time_machine.travel(at(ORDER, 9), tick=False):
        legal_status_start(case=case, kind="lac", legal_status="E1", started_on=ORDER,
                           recorded_by=people[Role.TEAM_MANAGER])  # fmt: skip
    step(people, case, "placement_order", ORDER)
    assert statuses(case) == [("C2", LOOKED_AFTER, ORDER), ("E1", ORDER, None)]


def test_an_order_before_the_current_legal_status_began_is_refused(timescales_loaded):
    """Looked after from 2 Nov under an interim order, a full care order from 20 Nov: an order dated
    10 Nov is in the period of care but before the status it would replace."""
    people, case = looked_after_child("leeds")
    with time_machine.travel(at(date(2026, 11, 20), 9), tick=False):
        legal_status_start(case=case, kind="lac", legal_status="C1", started_on=date(2026, 11, 20),
                           recorded_by=people[Role.TEAM_MANAGER])  # fmt: skip
    before = statuses(case)
    errors = _refused(people, case, "placement_order", date(2026, 11, 10))
    assert set(errors) == {"happened_on"}
    assert "on or after 20 November 2026" in errors["happened_on"][0] and "legal status" in errors["happened_on"][0]
    assert statuses(case) == before


def test_a_reversal_leaves_the_placement_order_status(timescales_loaded):
    """The order stands until the court revokes it: that is recorded as a new legal status."""
    people, case = looked_after_child("leeds")
    step(people, case, "best_interest", date(2026, 11, 20))
    step(people, case, "placement_order", ORDER)
    step(people, case, "reversed", date(2026, 12, 10), reversal_reason="RD1")
    assert statuses(case) == [("C2", LOOKED_AFTER, ORDER), ("E1", ORDER, None)]


@pytest.mark.parametrize("role", list(Role))
def test_who_may_record_the_order_may_start_its_status(timescales_loaded, role):
    """The same people as before: the allocated worker and the case's managers; never the IRO or
    anyone who only reads, whose attempt changes no status."""
    people, case = looked_after_child("leeds")
    if role in WRITERS:
        step(people, case, "placement_order", ORDER, role=role)
        assert statuses(case) == [("C2", LOOKED_AFTER, ORDER), ("E1", ORDER, None)]
        assert LegalStatus.objects.get(case=case, legal_status="E1").recorded_by == people[role]
    else:
        with pytest.raises(PermissionDenied):
            step(people, case, "placement_order", ORDER, role=role)
        assert statuses(case) == [("C2", LOOKED_AFTER, None)]


# --- Rules 218 and 225: the adoptive placement and the move to it --------------------------------


def test_the_placed_step_records_the_placements_dfe_fields_and_the_reason_for_the_move(timescales_loaded):
    people, case = placed_for_adoption("leeds")
    step(people, case, "placed", PLACED, **ADOPTIVE)
    adoptive = Placement.objects.get(case=case, ended_on=None)
    assert (adoptive.placement_type, adoptive.provider, adoptive.postcode, adoptive.urn) == ("A6", "PR1", "LS1 1BL",
                                                                                             "SC056789")
    foster = Placement.objects.get(case=case, placement_type="U6")
    assert (foster.ended_on, foster.end_reason, foster.move_reason) == (PLACED, "X1", "CARPL")
    # The episodes the return reads: E1 from the order, then the move to the adopters with its reason.
    assert episodes(case) == [(LOOKED_AFTER, "S", "C2", "U6", ORDER, "X1", None),
                              (ORDER, "L", "E1", "U6", PLACED, "X1", "CARPL"),
                              (PLACED, "P", "E1", "A6", None, None, None)]  # fmt: skip


def test_an_adoptive_placement_with_no_ofsted_urn_is_recorded_as_the_dfe_asks(timescales_loaded):
    people, case = placed_for_adoption("leeds")
    step(people, case, "placed", PLACED, **ADOPTIVE | {"urn": "xxxxxxx", "move_reason": "PLACE"},
         foster_for_adoption=True)  # fmt: skip
    adoptive = Placement.objects.get(case=case, ended_on=None)
    assert (adoptive.placement_type, adoptive.urn) == ("A5", "XXXXXXX")


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"postcode": ""}, "postcode", "Enter the postcode of the adoptive placement"),
    ({"postcode": "   "}, "postcode", "Enter the postcode of the adoptive placement"),
    ({"postcode": "NOT A CODE"}, "postcode", "in the right format"),
    ({"urn": ""}, "urn", "Enter the Ofsted URN"),
    ({"urn": "12"}, "urn", "in the right format"),
    ({"move_reason": ""}, "move_reason", "Select the reason for the change of placement"),
    ({"move_reason": "E11"}, "move_reason", "Select the reason for the change of placement"),
    ({"provider": ""}, "provider", "Select the placement provider"),
])  # fmt: skip
def test_each_bad_placement_field_names_its_field_and_saves_nothing(timescales_loaded, changes, field, message):
    people, case = placed_for_adoption("leeds")
    errors = _refused(people, case, "placed", PLACED, **ADOPTIVE | changes)
    assert set(errors) == {field} and message in errors[field][0], errors
    assert not AdoptionStep.objects.filter(case=case, kind="placed").exists()
    assert statuses(case)[-1] == ("E1", ORDER, None)


def test_every_problem_is_shown_at_once_with_the_steps_own(timescales_loaded):
    people, case = placed_for_adoption("leeds")
    errors = _refused(people, case, "placed", PLACED, carer="", provider="", postcode="", urn="", move_reason="")
    assert set(errors) == {"carer", "provider", "postcode", "urn", "move_reason"}


def test_a_move_from_a_temporary_placement_carries_no_reason(timescales_loaded):
    """The DfE records no reason for a move out of a temporary placement (rule 226)."""
    people, case = placed_for_adoption("leeds")
    with time_machine.travel(at(date(2026, 12, 14), 9), tick=False):
        placement_start(case=case, recorded_by=people[Role.SOCIAL_WORKER], placement_type="T1", carer="St James's",
                        started_on=date(2026, 12, 14), change_reason="In hospital")  # fmt: skip
    errors = _refused(people, case, "placed", PLACED, **ADOPTIVE)
    assert "temporary placement" in errors["move_reason"][0]
    step(people, case, "placed", PLACED, **ADOPTIVE | {"move_reason": ""})
    assert Placement.objects.get(case=case, placement_type="T1").move_reason == ""


# --- The pages ---------------------------------------------------------------------------------


@pytest.fixture
def ordered(people, case):
    """The Leeds child of the `case` fixture, looked after since last week under a care order, and
    a placement order granted two days ago."""
    type(case).objects.filter(pk=case.pk).update(opened_at=clock.DEFAULT - timedelta(days=14))
    case.refresh_from_db()
    today = clock.DEFAULT.date()
    legal_status_start(case=case, kind="lac", legal_status="C2", started_on=today - timedelta(days=7),
                       recorded_by=people[Role.TEAM_MANAGER])  # fmt: skip
    placement_start(case=case, recorded_by=people[Role.SOCIAL_WORKER], placement_type="U6", carer="The Shaws",
                    started_on=today - timedelta(days=7))  # fmt: skip
    for kind, days in (("best_interest", 4), ("placement_order", 2)):
        step(people, case, kind, today - timedelta(days=days), now=clock.DEFAULT)
    return case


def test_the_placement_order_page_starts_the_status(client, people, case):
    type(case).objects.filter(pk=case.pk).update(opened_at=clock.DEFAULT - timedelta(days=14))
    case.refresh_from_db()
    today = clock.DEFAULT.date()
    legal_status_start(case=case, kind="lac", legal_status="C2", started_on=today - timedelta(days=7),
                       recorded_by=people[Role.TEAM_MANAGER])  # fmt: skip
    client.force_login(people[Role.SOCIAL_WORKER])
    response = client.post(f"/children/{case.child_id}/adoption/placement_order/new/", day_fields(today))
    assert response.status_code == 302
    assert statuses(case) == [("C2", today - timedelta(days=7), today), ("E1", today, None)]


def test_the_placed_page_asks_the_dfe_fields_and_names_each_missing_one(client, people, ordered):
    client.force_login(people[Role.SOCIAL_WORKER])
    path = f"/children/{ordered.child_id}/adoption/placed/new/"
    page = client.get(path).content.decode()
    for name in ("postcode", "urn", "move_reason"):
        assert f'name="{name}"' in page
    assert "Change to, or carrying out of, the care plan" in page
    today = clock.DEFAULT.date()
    body = client.post(path, {**day_fields(today), "carer": "Jo and Sam Patel", "provider": "PR1"}).content.decode()
    assert "govuk-error-summary" in body
    for name, message in (("postcode", "Enter the postcode of the adoptive placement"),
                          ("urn", "Enter the Ofsted URN"),
                          ("move_reason", "Select the reason for the change of placement")):  # fmt: skip
        assert f'href="#id_{name}' in body and message in body
    assert not AdoptionStep.objects.filter(kind="placed").exists()
    adopters = {"adopters_number": "2", "adopters_sex": "MF", "adopters_legal_status": "L11",
                "adopters_were_foster_carers": "no"}  # fmt: skip
    response = client.post(path, {**day_fields(today), **ADOPTIVE, **adopters})
    assert response.status_code == 302
    adoptive = Placement.objects.get(case=ordered, ended_on=None)
    assert (adoptive.postcode, adoptive.urn) == ("LS1 1BL", "SC056789")
    assert Placement.objects.get(case=ordered, placement_type="U6").move_reason == "CARPL"


def test_the_placed_page_asks_no_reason_after_a_temporary_placement(client, people, ordered):
    placement_start(case=ordered, recorded_by=people[Role.SOCIAL_WORKER], placement_type="T1", carer="St James's",
                    started_on=clock.DEFAULT.date() - timedelta(days=1), change_reason="In hospital")  # fmt: skip
    client.force_login(people[Role.SOCIAL_WORKER])
    page = client.get(f"/children/{ordered.child_id}/adoption/placed/new/").content.decode()
    assert 'name="postcode"' in page and 'name="move_reason"' not in page

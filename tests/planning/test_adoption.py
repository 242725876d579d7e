"""Adoption: the steps and the clocks each opens in every shipped authority, with due dates counted
by hand across weekends and the Christmas and New Year bank holidays (25 and 28 Dec 2026, 1 Jan
2027); a review in each phase opening the right next review; the adoption order ending the
looked-after status and its clocks; the adoptive placement's visits; who may record; bad input
saving nothing; and the pages' bounded queries."""

from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import Authority, ChronologyEntry, Deadline, LegalStatus
from cases.roles import Role
from cases.services.family import legal_status_start
from planning.models import AdoptionStep, Placement
from planning.selectors import PLANNING_KEYS
from planning.services.adoption import adoption_step_record
from planning.services.looked_after import case_task_done, lac_review_record
from planning.services.placements import placement_start
from tests.clock import DEFAULT
from tests.factories import allocate_new_child, staff
from tests.queries import page_query_counts
from tests.support import LONDON, SEES_CHILDREN, SHIPPED, at, team_of
from visits.schedule import VISIT_KEYS
from visits.services import visit_record, visit_save, visit_start

pytestmark = pytest.mark.django_db

LOOKED_AFTER = date(2026, 11, 2)  # a Monday
FIRST_REVIEW = date(2026, 11, 30)
ORDER = date(2026, 12, 7)  # a Monday
PLACED = date(2026, 12, 18)  # a Friday, before Christmas Day and the Boxing Day substitute (28 Dec)


def end_of(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59), tzinfo=LONDON)


def due(case, key):
    found = Deadline.objects.filter(case=case, key=key, status="open").first()
    return found.due_at if found else None


def ledger(case):
    return sorted(Deadline.objects.filter(case=case).values_list("key", "status", "due_at"))


def step(people, case, kind, on, role=Role.SOCIAL_WORKER, now=None, **fields):
    with time_machine.travel(now or at(on, 17), tick=False):
        return adoption_step_record(case=case, kind=kind, happened_on=on, recorded_by=people[role], **fields)


def review(people, case, on):
    with time_machine.travel(at(on, 17), tick=False):
        return lac_review_record(case=case, chair=people[Role.CONFERENCE_CHAIR], held_at=at(on),
                                 attendees="Child, carers, social worker", summary="Plan endorsed.")  # fmt: skip


def looked_after_child(slug, on=LOOKED_AFTER):
    """A child allocated and looked after from `on`, with foster carers from that day."""
    with time_machine.travel(at(on, 9), tick=False):
        people, case = team_of(slug)
        legal_status_start(case=case, kind="lac", legal_status="C2", started_on=on,
                           recorded_by=people[Role.TEAM_MANAGER])  # fmt: skip
        placement_start(case=case, recorded_by=people[Role.SOCIAL_WORKER], placement_type="U6", carer="The Shaws",
                        started_on=on)  # fmt: skip
    return people, case


def placed_for_adoption(slug):
    """Looked after from Mon 2 Nov 2026, first review 30 Nov, order Mon 7 Dec, placed Fri 18 Dec."""
    people, case = looked_after_child(slug)
    review(people, case, FIRST_REVIEW)
    step(people, case, "placement_order", ORDER)
    return people, case


# Hand-counted (reference §1 conventions: the start day is day 0, due at the end of the due day,
# month arithmetic clips; calendar units land on weekends and bank holidays). None: no value set.
AFTER_ORDER = {
    # Leeds L3943-3946, Wiltshire §15.4: 3 months from Mon 7 Dec 2026 -> Sun 7 Mar 2027.
    "placement_order_first_review": {"leeds": end_of(date(2027, 3, 7)), "wiltshire": end_of(date(2027, 3, 7))},
    # Leeds L3950-3954: 9 months -> Tue 7 Sep 2027.
    "placement_order_not_placed_check": {"leeds": end_of(date(2027, 9, 7))},
    # Barnet L4588-4600: 6, 10 and 14 months from becoming looked after (Mon 2 Nov 2026).
    "adoption_best_interest_decision": {"barnet": end_of(date(2027, 5, 2))},
    "adoption_match": {"barnet": end_of(date(2027, 9, 2))},
    "adoption_move_in": {"barnet": end_of(date(2028, 1, 2))},
    # The regular second review (from the first review on 30 Nov) gives way to the order's
    # timetable where the authority sets one; elsewhere it runs on.
    "lac_second_review": {slug: None if slug in ("leeds", "wiltshire") else "open" for slug in SHIPPED},
}
AFTER_PLACEMENT = {
    # Leeds 20 working days from Fri 18 Dec: Mon 21 (1) .. Thu 24 (4), [25, 26-27, 28 BH], Tue 29 (5),
    # Wed 30 (6), Thu 31 (7), [1 Jan BH, 2-3], Mon 4 (8) .. Fri 8 (12), Mon 11 (13) .. Fri 15 (17),
    # Mon 18 (18), Tue 19 (19), Wed 20 Jan 2027 (20). Wiltshire 4 weeks: Fri 15 Jan 2027.
    "adoptive_placement_first_review": {"leeds": end_of(date(2027, 1, 20)), "wiltshire": end_of(date(2027, 1, 15))},
    # St Helens L1912-1913: 10 weeks from Fri 18 Dec -> Fri 26 Feb 2027.
    "adoption_application_prompt": {"st-helens": end_of(date(2027, 2, 26))},
    # St Helens L1907: within a week -> Fri 25 Dec 2026 (weeks do not skip the bank holiday).
    # Wiltshire §8.1: 5 working days: Mon 21 (1) .. Thu 24 (4), [25, 26-27, 28 BH], Tue 29 Dec (5).
    "adoptive_placement_first_visit": {"st-helens": end_of(date(2026, 12, 25)),
                                       "wiltshire": end_of(date(2026, 12, 29))},
    # Placed: the order's reviews stop; Leeds and Wiltshire restart the reviews on the adoptive
    # placement's timetable (no regular review clock runs), elsewhere the second review runs on.
    "placement_order_first_review": {},
    "lac_second_review": {slug: None if slug in ("leeds", "wiltshire") else "open" for slug in SHIPPED},
}  # fmt: skip


def expected(table, slug, case):
    result = {}
    for key, values in table.items():
        value = values.get(slug)
        result[key] = due(case, key) if value == "open" else value
    return result


@pytest.mark.parametrize("slug", SHIPPED)
def test_the_order_and_the_placement_open_each_authoritys_clocks(timescales_loaded, slug):
    people, case = placed_for_adoption(slug)
    assert {key: due(case, key) for key in AFTER_ORDER} == expected(AFTER_ORDER, slug, case)
    if slug not in ("leeds", "wiltshire"):
        assert due(case, "lac_second_review") is not None
    step(people, case, "placed", PLACED, carer="Jo and Sam Patel")
    got = {key: due(case, key) for key in AFTER_PLACEMENT}
    assert got == expected(AFTER_PLACEMENT, slug, case)
    if slug not in ("leeds", "wiltshire"):
        assert got["lac_second_review"] is not None
    placement = Placement.objects.get(case=case, ended_on=None)
    assert (placement.placement_type, placement.carer, placement.started_on) == ("A6", "Jo and Sam Patel", PLACED)
    # Placed for adoption meets Leeds's not-placed check and Barnet's move-in target, in time.
    met = set(Deadline.objects.filter(case=case, status="met").values_list("key", flat=True))
    assert ("placement_order_not_placed_check" in met) == (slug == "leeds")
    assert ("adoption_move_in" in met) == (slug == "barnet")


def test_the_why_this_date_comes_from_the_ledger(timescales_loaded):
    people, case = placed_for_adoption("leeds")
    step(people, case, "placed", PLACED, carer="Jo and Sam Patel")
    deadline = Deadline.objects.get(case=case, key="adoptive_placement_first_review")
    assert "20 working days" in deadline.explanation and "Fri 18 Dec 2026" in deadline.explanation
    assert "L3957" in deadline.explanation or "Practice Standards Manual" in deadline.explanation


# Each review: (date held, the clock it should have met, the clock it opens and when it falls due).
PHASES = {
    "leeds": [
        (date(2027, 3, 4), "placement_order_first_review", "placement_order_review_interval", date(2027, 9, 4)),
        # Placed Mon 12 Apr 2027; 20 working days skip the May Day bank holiday (3 May): Tue 11 May.
        (date(2027, 5, 10), "adoptive_placement_first_review", "adoptive_placement_second_review",
         date(2027, 8, 10)),  # Leeds: 3 months from that first review
        (date(2027, 8, 3), "adoptive_placement_second_review", "adoptive_placement_review_interval",
         date(2028, 2, 3)),
    ],
    "wiltshire": [
        (date(2027, 3, 4), "placement_order_first_review", "placement_order_review_interval", date(2027, 9, 4)),
        # 4 weeks from Mon 12 Apr 2027: Mon 10 May.
        (date(2027, 5, 10), "adoptive_placement_first_review", "adoptive_placement_second_review",
         date(2027, 8, 12)),  # Wiltshire: 4 months from the placement (the toml's assumed anchor)
        (date(2027, 8, 3), "adoptive_placement_second_review", "adoptive_placement_review_interval",
         date(2028, 2, 3)),
    ],
    # No adoption review timetable: the regular reviews run through every phase.
    "barnet": [
        (date(2027, 2, 26), "lac_second_review", "lac_review_interval", date(2027, 8, 26)),
        (date(2027, 5, 10), "lac_review_interval", "lac_review_interval", date(2027, 11, 10)),
        (date(2027, 8, 3), "lac_review_interval", "lac_review_interval", date(2028, 2, 3)),
    ],
}  # fmt: skip
REVIEW_CLOCKS = ("lac_first_review", "lac_second_review", "lac_review_interval", "placement_order_first_review",
                 "placement_order_review_interval", "adoptive_placement_first_review",
                 "adoptive_placement_second_review", "adoptive_placement_review_interval")  # fmt: skip


@pytest.mark.parametrize("slug", PHASES)
def test_a_review_in_each_phase_opens_the_right_next_review(timescales_loaded, slug):
    people, case = placed_for_adoption(slug)
    phases = PHASES[slug]
    seen = []
    for index, (held_on, met_key, _, _) in enumerate(phases):
        if index == 1:
            step(people, case, "placed", date(2027, 4, 12), carer="Jo and Sam Patel")
            if slug == "leeds":
                assert due(case, "adoptive_placement_first_review") == end_of(date(2027, 5, 11))
        review(people, case, held_on)
        met = Deadline.objects.filter(case=case, key=met_key, met_at=at(held_on)).exists()
        running = {key: due(case, key) for key in REVIEW_CLOCKS if due(case, key)}
        seen.append((met, running))
    assert seen == [(True, {next_key: end_of(next_due)}) for _, _, next_key, next_due in phases]


def test_the_adoption_order_ends_the_status_and_cancels_the_clocks(timescales_loaded):
    """Wiltshire: placed 16 Nov 2026; the order made at the hearing on Tue 22 Dec. The later-life
    letter is due 10 calendar days later, on the New Year bank holiday (Fri 1 Jan 2027)."""
    people, case = looked_after_child("wiltshire")
    step(people, case, "placement_order", date(2026, 11, 9))
    step(people, case, "placed", date(2026, 11, 16), carer="Jo and Sam Patel")
    assert due(case, "adoptive_placement_first_review") is not None
    step(people, case, "hearing", date(2026, 12, 22), order_opposed="E11")
    # The care order gave way to the placement order's legal status (E1), which the order ends.
    assert list(LegalStatus.objects.filter(case=case, kind="lac").order_by("started_on").values_list(
        "legal_status", "started_on", "ended_on")) == [("C2", LOOKED_AFTER, date(2026, 11, 9)),
                                                       ("E1", date(2026, 11, 9), date(2026, 12, 22))]  # fmt: skip
    watched = {*PLANNING_KEYS, *VISIT_KEYS}
    still_open = set(Deadline.objects.filter(case=case, status="open", key__in=watched).values_list("key", flat=True))
    assert still_open == {"later_life_letter"}
    assert due(case, "later_life_letter") == end_of(date(2027, 1, 1))
    cancelled = Deadline.objects.get(case=case, key="adoptive_placement_first_review")
    assert cancelled.status == "cancelled" and "adopted" in cancelled.cancelled_reason
    ended = Placement.objects.get(case=case, placement_type="A6")
    assert (ended.ended_on, ended.end_reason) == (date(2026, 12, 22), "E11")  # the DfE's "adopted, unopposed"
    titles = set(ChronologyEntry.objects.filter(case=case).values_list("title", flat=True))
    assert "Adoption: adoption order hearing: the adoption order is made" in titles
    with time_machine.travel(at(date(2026, 12, 30), 12), tick=False):
        met = case_task_done(case=case, key="later_life_letter", recorded_by=people[Role.SOCIAL_WORKER])
    assert met.status == "met"


def test_done_meets_the_not_placed_check_and_the_application_prompt(timescales_loaded):
    people, case = placed_for_adoption("leeds")
    with time_machine.travel(at(date(2027, 9, 1), 12), tick=False):
        met = case_task_done(case=case, key="placement_order_not_placed_check", recorded_by=people[Role.SOCIAL_WORKER])
    assert met.status == "met"
    people, case = placed_for_adoption("st-helens")
    step(people, case, "placed", PLACED, carer="Jo and Sam Patel")
    with time_machine.travel(at(date(2027, 3, 1), 12), tick=False):
        met = case_task_done(case=case, key="adoption_application_prompt", recorded_by=people[Role.TEAM_MANAGER])
    assert met.status == "met_late"  # due Fri 26 Feb 2027


def test_barnets_targets_open_with_the_plan_and_each_is_met_by_its_step(timescales_loaded):
    people, case = looked_after_child("barnet")
    step(people, case, "plan", date(2026, 12, 1))
    assert due(case, "adoption_match") == end_of(date(2027, 9, 2))
    step(people, case, "best_interest", date(2027, 5, 10))  # after Sun 2 May 2027: late
    step(people, case, "placement_order", date(2027, 6, 1))
    step(people, case, "match", date(2027, 8, 2))
    status = dict(Deadline.objects.filter(case=case, key__startswith="adoption_").values_list("key", "status"))
    assert status == {"adoption_best_interest_decision": "met_late", "adoption_match": "met",
                      "adoption_move_in": "open"}  # fmt: skip
    assert Deadline.objects.filter(case=case, key="adoption_match").count() == 1  # opened once


def test_the_adoptive_placements_visits_follow_the_placement_and_its_first_review(timescales_loaded):
    """Wiltshire §8.1: first visit in 5 working days, weekly to the first review, then monthly."""
    people, case = placed_for_adoption("wiltshire")
    step(people, case, "placed", PLACED, carer="Jo and Sam Patel")
    worker = people[Role.SOCIAL_WORKER]

    def visited(on):
        with time_machine.travel(at(on, 17), tick=False):
            visit = visit_start(case=case, recorded_by=worker, kind="lac", visited_at=at(on, 11))
            visit = visit_save(visit=visit, saved_by=worker, version=visit.version, place="placement", announced=True,
                               child_seen=True, seen_alone=False, not_seen_alone_reason="A baby",
                               bedroom_seen=True, child_views="Smiled.", observations="Settled.",
                               analysis="Going well.")  # fmt: skip
            visit_record(visit=visit, recorded_by=worker)

    visited(date(2026, 12, 22))
    # Weekly to the first review: Tue 22 Dec + 1 week = Tue 29 Dec.
    assert due(case, "adoptive_placement_visit_interval_to_first_review") == end_of(date(2026, 12, 29))
    review(people, case, date(2027, 1, 12))
    visited(date(2027, 1, 14))
    assert due(case, "adoptive_placement_visit_interval_after_first_review") == end_of(date(2027, 2, 14))
    assert due(case, "adoptive_placement_visit_interval_to_first_review") is None


def test_leeds_sets_no_adoptive_visits_so_the_looked_after_schedule_runs_on(timescales_loaded):
    people, case = placed_for_adoption("leeds")
    step(people, case, "placed", PLACED, carer="Jo and Sam Patel")
    keys = set(Deadline.objects.filter(case=case, status="open", key__startswith="adoptive_placement_visit")
               .values_list("key", flat=True))  # fmt: skip
    assert not keys and not Deadline.objects.filter(case=case, key="adoptive_placement_first_visit").exists()
    assert Deadline.objects.filter(case=case, status="open", key__startswith="lac_").exists()


# --- Bad input and who may record ----------------------------------------------------------------


def _refused(people, case, kind, on, role=Role.SOCIAL_WORKER, **fields):
    before = (ledger(case), AdoptionStep.objects.count(), Placement.objects.count(),
              ChronologyEntry.objects.filter(case=case).count())  # fmt: skip
    with pytest.raises(ValidationError) as error:
        step(people, case, kind, on, role=role, **fields)
    after = (ledger(case), AdoptionStep.objects.count(), Placement.objects.count(),
             ChronologyEntry.objects.filter(case=case).count())  # fmt: skip
    assert after == before
    return error.value.message_dict


def test_bad_input_names_the_field_and_saves_nothing(timescales_loaded):
    people, case = looked_after_child("leeds")
    with time_machine.travel(at(date(2026, 11, 20), 9), tick=False):
        placement_start(case=case, recorded_by=people[Role.SOCIAL_WORKER], placement_type="U4", carer="The Khans",
                        started_on=date(2026, 11, 20), change_reason="A long-term match")  # fmt: skip
    assert set(_refused(people, case, "placed", date(2026, 12, 1), carer="The Patels")) == {"kind"}  # no order
    assert set(_refused(people, case, "nonsense", date(2026, 12, 1))) == {"kind"}
    errors = _refused(people, case, "placement_order", date(2026, 12, 2), now=at(date(2026, 12, 1), 17))
    assert "today or in the past" in errors["happened_on"][0]
    assert "2 November 2026" in _refused(people, case, "placement_order", date(2026, 11, 1))["happened_on"][0]
    step(people, case, "placement_order", date(2026, 11, 10))
    assert "already recorded" in _refused(people, case, "placement_order", date(2026, 11, 12))["kind"][0]
    assert "10 November 2026" in _refused(people, case, "placed", date(2026, 11, 9), carer="P")["happened_on"][0]
    assert set(_refused(people, case, "placed", date(2026, 12, 1), carer="  ")) == {"carer"}
    # On or after the order, but before the current placement began (20 Nov): the placement's own
    # check refuses it after the step was written, and the transaction takes the step back too.
    assert "20 November 2026" in _refused(people, case, "placed", date(2026, 11, 15), carer="P")["happened_on"][0]
    assert set(_refused(people, case, "hearing", date(2026, 12, 1))) == {"kind"}  # not placed yet
    step(people, case, "placed", date(2026, 12, 1), carer="The Patels")
    assert "1 December 2026" in _refused(people, case, "hearing", date(2026, 11, 30))["happened_on"][0]
    assert set(_refused(people, case, "hearing", date(2026, 12, 2), order_opposed="E4A")) == {"order_opposed"}


def test_a_child_not_looked_after_has_no_adoption_steps(timescales_loaded):
    with time_machine.travel(at(LOOKED_AFTER, 9), tick=False):
        people, case = team_of("leeds")
    assert set(_refused(people, case, "plan", LOOKED_AFTER)) == {"kind"}


def test_the_iro_records_no_adoption_step(timescales_loaded):
    """An IRO writes the reviews they chair and nothing else on the child's plans (DESIGN §7)."""
    people, case = looked_after_child("leeds")
    for kind, on in (("placement_order", ORDER), ("placed", PLACED), ("hearing", PLACED)):
        with pytest.raises(PermissionDenied):
            step(people, case, kind, on, role=Role.CONFERENCE_CHAIR, carer="The Patels")
    for role in (Role.QA_AUDITOR, Role.BUSINESS_SUPPORT, Role.PERSONAL_ADVISER):
        with pytest.raises(PermissionDenied):
            step(people, case, "match", PLACED, role=role)
    step(people, case, "placement_order", ORDER, role=Role.TEAM_MANAGER)
    step(people, case, "placed", PLACED, role=Role.TEAM_MANAGER, carer="The Patels")


WRITERS = (Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.SERVICE_MANAGER)  # a chair writes only what they chair
CHANGES_STATUS = (Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.SERVICE_MANAGER)


@pytest.fixture
def in_care(people, case):
    """The Leeds child of the `case` fixture (tests/conftest.py), looked after since last week."""
    type(case).objects.filter(pk=case.pk).update(opened_at=timezone.now() - timedelta(days=14))
    case.refresh_from_db()
    start = timezone.localdate() - timedelta(days=7)
    legal_status_start(case=case, kind="lac", legal_status="C2", started_on=start,
                       recorded_by=people[Role.TEAM_MANAGER])  # fmt: skip
    placement_start(case=case, recorded_by=people[Role.SOCIAL_WORKER], placement_type="U6", carer="The Shaws",
                    started_on=start)  # fmt: skip
    return case


def day_fields(day: date, prefix="happened_on") -> dict:
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


@pytest.mark.parametrize("role", list(Role))
def test_the_pages_for_every_role(client, people, in_care, role):
    client.force_login(people[role])
    child = in_care.child_id
    sees = role in SEES_CHILDREN
    denied = 403 if sees else 404
    tab = client.get(f"/children/{child}/plans/")
    assert tab.status_code == (200 if sees else 404)
    if sees:
        page = tab.content.decode()
        assert "Adoption</h3>" in page
        assert ("Record an adoption step" in page) == (role in WRITERS)
    expected = {
        f"/children/{child}/adoption/new/": 200 if role in WRITERS else denied,
        f"/children/{child}/adoption/placement_order/new/": 200 if role in WRITERS else denied,
        f"/children/{child}/adoption/placed/new/": 200 if role in CHANGES_STATUS else denied,
        f"/children/{child}/adoption/nonsense/new/": 404,
    }
    assert {path: client.get(path).status_code for path in expected} == expected
    response = client.post(f"/children/{child}/adoption/placement_order/new/", day_fields(timezone.localdate()))
    assert response.status_code == (302 if role in WRITERS else denied)
    assert AdoptionStep.objects.filter(case=in_care).count() == (1 if role in WRITERS else 0)
    # The order's legal status (E1) is started by those who record it, and by no one else.
    current = LegalStatus.objects.get(case=in_care, kind="lac", ended_on=None)
    assert current.legal_status == ("E1" if role in WRITERS else "C2")


def test_another_authoritys_child_is_not_found(client, people, in_care):
    client.force_login(staff(Role.SOCIAL_WORKER, authority=Authority.objects.get(slug="york")))
    child = in_care.child_id
    for path in (f"/children/{child}/adoption/new/", f"/children/{child}/adoption/plan/new/"):
        assert client.get(path).status_code == 404
    assert client.post(f"/children/{child}/adoption/plan/new/", day_fields(timezone.localdate())).status_code == 404
    assert not AdoptionStep.objects.exists()


def test_recording_through_the_pages(client, people, in_care):
    client.force_login(people[Role.SOCIAL_WORKER])
    child = in_care.child_id
    chosen = client.post(f"/children/{child}/adoption/new/", {"kind": "placement_order"})
    assert chosen.status_code == 302 and chosen["Location"] == f"/children/{child}/adoption/placement_order/new/"
    body = client.post(f"/children/{child}/adoption/new/", {}).content.decode()
    assert "govuk-error-summary" in body and "Select the adoption step" in body
    future = timezone.localdate() + timedelta(days=3)
    body = client.post(f"/children/{child}/adoption/placement_order/new/", day_fields(future)).content.decode()
    assert "govuk-error-summary" in body and 'href="#id_happened_on' in body and "today or in the past" in body
    body = client.post(f"/children/{child}/adoption/placed/new/", day_fields(timezone.localdate())).content.decode()
    assert "Record that the placement order was granted first" in body and "Enter the prospective adopters" in body
    assert not AdoptionStep.objects.exists()
    today = timezone.localdate()
    client.post(f"/children/{child}/adoption/placement_order/new/", day_fields(today - timedelta(days=2)))
    adopters = {"carer": "Jo and Sam Patel", "adopters_number": "2", "adopters_sex": "MF",
                "adopters_legal_status": "L11", "adopters_were_foster_carers": "yes"}
    no_agency = client.post(f"/children/{child}/adoption/placed/new/", {**day_fields(today), **adopters})
    no_agency = no_agency.content.decode()
    assert 'href="#id_provider' in no_agency and "Select the placement provider" in no_agency
    # The DfE's fields of the adoptive placement and of the move from foster care, all at once.
    assert 'href="#id_postcode' in no_agency and "Enter the postcode of the adoptive placement" in no_agency
    assert 'href="#id_urn' in no_agency and "Enter the Ofsted URN" in no_agency
    assert 'href="#id_move_reason' in no_agency and "Select the reason for the change of placement" in no_agency
    assert not AdoptionStep.objects.filter(kind="placed").exists()
    client.post(f"/children/{child}/adoption/placed/new/", {**day_fields(today), "carer": "Jo and Sam Patel",
                                                            "foster_for_adoption": "on", "provider": "PR5",
                                                            "postcode": "ls6 2aa", "urn": "sc123456",
                                                            "move_reason": "PLACE", "adopters_number": "2",
                                                            "adopters_sex": "MF", "adopters_legal_status": "L11",
                                                            "adopters_were_foster_carers": "yes"})  # fmt: skip
    page = client.get(f"/children/{child}/plans/").content.decode()
    assert "Placed for adoption: Jo and Sam Patel" in page
    assert "First review after the child is placed with adopters" in page  # Leeds: due next
    placed = Placement.objects.get(case=in_care, ended_on=None)
    assert (placed.placement_type, placed.provider, placed.postcode, placed.urn) == ("A5", "PR5", "LS6 2AA",
                                                                                     "SC123456")  # fmt: skip
    assert Placement.objects.get(case=in_care, placement_type="U6").move_reason == "PLACE"
    choices = client.get(f"/children/{child}/adoption/new/").content.decode()
    assert 'value="placement_order"' not in choices and 'value="hearing"' in choices


def current_placement_reads(captured) -> int:
    return sum('FROM "planning_placement"' in query["sql"] and '"ended_on" IS NULL' in query["sql"]
               for query in captured.captured_queries)  # fmt: skip


def test_recording_the_placement_for_adoption_on_its_page_reads_the_current_placement_no_more_than_the_service(
        client, people, in_care):  # fmt: skip
    worker, child = people[Role.SOCIAL_WORKER], in_care.child_id
    placed_on = DEFAULT.date()
    adoption_step_record(case=in_care, kind="placement_order", happened_on=placed_on - timedelta(days=2),
                         recorded_by=worker)  # fmt: skip
    fields = {"carer": "Jo and Sam Patel", "foster_for_adoption": True, "provider": "PR5", "postcode": "LS6 2AA",
              "urn": "SC123456", "move_reason": "PLACE", "adopters_number": 2, "adopters_sex": "MF",
              "adopters_legal_status": "L11", "adopters_were_foster_carers": True}  # fmt: skip
    with CaptureQueriesContext(connection) as by_service, transaction.atomic():
        adoption_step_record(case=in_care, kind="placed", happened_on=placed_on, recorded_by=worker,
                             adopters_asked=True, **fields)  # fmt: skip
        transaction.set_rollback(True)
    assert not AdoptionStep.objects.filter(kind="placed").exists()
    client.force_login(worker)
    posted = {**day_fields(placed_on), **fields, "foster_for_adoption": "on", "adopters_were_foster_carers": "yes"}
    with CaptureQueriesContext(connection) as by_page:
        response = client.post(f"/children/{child}/adoption/placed/new/", posted)
    assert response.status_code == 302 and AdoptionStep.objects.filter(kind="placed").exists()
    assert Placement.objects.get(case=in_care, placement_type="U6").move_reason == "PLACE"
    # The page reads none of its own: the service's look before it changes anything is the only one.
    assert current_placement_reads(by_page) == current_placement_reads(by_service)


def test_from_a_temporary_placement_the_page_asks_no_reason_for_the_move(client, people, in_care):
    worker, child = people[Role.SOCIAL_WORKER], in_care.child_id
    placed_on = DEFAULT.date()
    placement_start(case=in_care, recorded_by=worker, placement_type="T1", carer="Holiday carers",
                    started_on=placed_on - timedelta(days=3), change_reason="Carers on holiday")  # fmt: skip
    adoption_step_record(case=in_care, kind="placement_order", happened_on=placed_on - timedelta(days=2),
                         recorded_by=worker)  # fmt: skip
    client.force_login(worker)
    path = f"/children/{child}/adoption/placed/new/"
    assert 'name="move_reason"' not in client.get(path).content.decode()
    adopters = {"carer": "Jo and Sam Patel", "provider": "PR5", "postcode": "LS6 2AA", "urn": "SC123456",
                "adopters_number": "2", "adopters_sex": "MF", "adopters_legal_status": "L11"}  # fmt: skip
    refused = client.post(path, {**day_fields(placed_on), **adopters}).content.decode()
    assert "Select whether the adopters were the child" in refused and 'name="move_reason"' not in refused
    recorded = client.post(path, {**day_fields(placed_on), **adopters, "adopters_were_foster_carers": "no"})
    assert recorded.status_code == 302
    assert Placement.objects.get(case=in_care, placement_type="T1").move_reason == ""
    assert Placement.objects.get(case=in_care, ended_on=None).placement_type == "A6"


def test_pages_have_bounded_queries(client, people, in_care, leeds, django_assert_max_num_queries):
    client.force_login(people[Role.SOCIAL_WORKER])
    child = in_care.child_id
    today = timezone.localdate()
    adoption_step_record(case=in_care, kind="plan", happened_on=today - timedelta(days=6),
                         recorded_by=people[Role.SOCIAL_WORKER])  # fmt: skip
    paths = [f"/children/{child}/plans/", f"/children/{child}/adoption/new/",
             f"/children/{child}/adoption/placed/new/"]  # fmt: skip
    small = page_query_counts(client, paths, django_assert_max_num_queries)
    for kind, days in (("best_interest", 5), ("placement_order", 4), ("match", 3)):
        adoption_step_record(case=in_care, kind=kind, happened_on=today - timedelta(days=days),
                             recorded_by=people[Role.SOCIAL_WORKER])  # fmt: skip
    for index in range(3):
        other = allocate_new_child(people, leeds, first_name=f"C{index}").cases.get()
        type(other).objects.filter(pk=other.pk).update(opened_at=timezone.now() - timedelta(days=14))
        legal_status_start(case=other, kind="lac", legal_status="C2", started_on=today - timedelta(days=7),
                           recorded_by=people[Role.TEAM_MANAGER])  # fmt: skip
        adoption_step_record(case=other, kind="placement_order", happened_on=today - timedelta(days=1),
                             recorded_by=people[Role.SOCIAL_WORKER])  # fmt: skip
    assert page_query_counts(client, paths, django_assert_max_num_queries) == small

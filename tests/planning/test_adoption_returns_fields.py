"""What the DfE's returns ask beyond the adoption steps: the adopters' details (SSDA903 AD1), a
reversed decision to place for adoption stopping the adoption clocks, previous permanence, the
deprivation of liberty orders (DoLO, 2026-27) and pre-proceedings with family group decision
making (CIN census 2026-27). Bad input per field names the field and saves nothing; every change
keeps its history; each page for every role, another authority's and a restricted child's."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from cases.models import Authority, Deadline
from cases.roles import Role
from cases.services.family import legal_status_start
from planning.models import Adopters, AdoptionStep, DeprivationOfLiberty, PreProceedings, PreviousPermanence
from planning.services.adoption import adoption_step_record
from planning.services.liberty import liberty_order_end, liberty_order_start
from planning.services.permanence import previous_permanence_record
from planning.services.placements import placement_start
from planning.services.pre_proceedings import pre_proceedings_start, pre_proceedings_update
from tests.clock import DEFAULT
from tests.factories import staff
from tests.planning.test_adoption import ORDER, WRITERS, day_fields, looked_after_child, step
from tests.support import SEES_CHILDREN

# The one fixed instant every test here runs at (tests/clock.py), named so the dates read as fixed.
NOW = DEFAULT

pytestmark = pytest.mark.django_db

COUPLE = {"adopters_number": 2, "adopters_sex": "MF", "adopters_legal_status": "L11",
          "adopters_were_foster_carers": False}  # fmt: skip


@pytest.fixture
def in_care(people, case):
    """The Leeds child of the `case` fixture (born 1 June 2015), looked after since last week."""
    type(case).objects.filter(pk=case.pk).update(opened_at=NOW - timedelta(days=14))
    case.refresh_from_db()
    start = TODAY - timedelta(days=7)
    legal_status_start(case=case, kind="lac", legal_status="C2", started_on=start,
                       recorded_by=people[Role.TEAM_MANAGER])  # fmt: skip
    placement_start(case=case, recorded_by=people[Role.SOCIAL_WORKER], placement_type="U6", carer="The Shaws",
                    started_on=start)  # fmt: skip
    return case


def refused(call, **kwargs) -> dict:
    with pytest.raises(ValidationError) as caught:
        call(**kwargs)
    return caught.value.message_dict


# The day every test here runs on, named so the parameters can count from it.
TODAY = DEFAULT.date()


def days_ago(days: int) -> date:
    return TODAY - timedelta(days=days)


# --- Adopters (AD1) ----------------------------------------------------------------------------


@pytest.mark.parametrize(("change", "field"), [
    ({"adopters_number": 3}, "adopters_number"),
    ({"adopters_number": None}, "adopters_number"),
    ({"adopters_sex": "XX"}, "adopters_sex"),
    ({"adopters_sex": "M1"}, "adopters_sex"),  # a single man is not two adopters
    ({"adopters_legal_status": "L0"}, "adopters_legal_status"),  # L0 is for a single adopter only
    ({"adopters_legal_status": "L12"}, "adopters_legal_status"),  # same gender, but a man and a woman
    ({"adopters_legal_status": "L9"}, "adopters_legal_status"),
    ({"adopters_were_foster_carers": None}, "adopters_were_foster_carers"),
    ({"adopters_number": 1, "adopters_sex": "F1"}, "adopters_legal_status"),  # a single adopter is L0
])  # fmt: skip
def test_each_bad_adopters_detail_names_its_field_and_saves_nothing(people, in_care, change, field):
    errors = refused(adoption_step_record, case=in_care, kind="match", happened_on=days_ago(1),
                     recorded_by=people[Role.SOCIAL_WORKER], adopters_asked=True, **(COUPLE | change))  # fmt: skip
    assert field in errors and len(errors) == 1
    assert not AdoptionStep.objects.exists() and not Adopters.objects.exists()


def test_the_match_keeps_the_adopters_and_the_placement_then_does_not_ask_again(people, in_care):
    worker = people[Role.SOCIAL_WORKER]
    adoption_step_record(case=in_care, kind="placement_order", happened_on=days_ago(6), recorded_by=worker)
    single = {"adopters_number": 1, "adopters_sex": "F1", "adopters_legal_status": "L0",
              "adopters_were_foster_carers": True}  # fmt: skip
    match = adoption_step_record(case=in_care, kind="match", happened_on=days_ago(3), recorded_by=worker,
                                 adopters_asked=True, **single)  # fmt: skip
    assert (match.adopters.number, match.adopters.sex, match.adopters.legal_status) == (1, "F1", "L0")
    assert match.adopters.history.count() == 1 and match.adopters.history.first().history_user == worker
    from planning.services.adoption import asks_adopters

    assert asks_adopters(in_care, "match") and not asks_adopters(in_care, "placed")


def test_the_adopters_asked_are_required(people, in_care):
    errors = refused(adoption_step_record, case=in_care, kind="match", happened_on=days_ago(1),
                     recorded_by=people[Role.SOCIAL_WORKER], adopters_asked=True)  # fmt: skip
    assert set(errors) == {"adopters_number", "adopters_sex", "adopters_legal_status", "adopters_were_foster_carers"}


def test_the_match_page_names_each_missing_field(client, people, in_care):
    client.force_login(people[Role.SOCIAL_WORKER])
    body = client.post(f"/children/{in_care.child_id}/adoption/match/new/", day_fields(days_ago(1))).content.decode()
    for field in ("adopters_number", "adopters_sex", "adopters_legal_status", "adopters_were_foster_carers"):
        assert f'href="#id_{field}' in body
    assert not AdoptionStep.objects.exists()
    response = client.post(f"/children/{in_care.child_id}/adoption/match/new/", {
        **day_fields(days_ago(1)), "adopters_number": "2", "adopters_sex": "FF", "adopters_legal_status": "L12",
        "adopters_were_foster_carers": "no"})  # fmt: skip
    assert response.status_code == 302
    assert Adopters.objects.get().sex == "FF"
    page = client.get(f"/children/{in_care.child_id}/plans/").content.decode()
    assert "Adopters: female couple, married couple of the same gender; not the child's foster carers" in page


# --- A reversed decision to place for adoption ---------------------------------------------------


def test_a_reversal_needs_a_best_interest_decision_and_a_reason(people, in_care):
    worker = people[Role.SOCIAL_WORKER]
    errors = refused(adoption_step_record, case=in_care, kind="reversed", happened_on=days_ago(1),
                     recorded_by=worker, reversal_reason="RD1")  # fmt: skip
    assert "best interest" in errors["kind"][0]
    adoption_step_record(case=in_care, kind="best_interest", happened_on=days_ago(4), recorded_by=worker)
    errors = refused(adoption_step_record, case=in_care, kind="reversed", happened_on=days_ago(1), recorded_by=worker)
    assert list(errors) == ["reversal_reason"]
    errors = refused(adoption_step_record, case=in_care, kind="reversed", happened_on=days_ago(5), recorded_by=worker,
                     reversal_reason="RD1")  # fmt: skip
    assert list(errors) == ["happened_on"]
    assert list(AdoptionStep.objects.values_list("kind", flat=True)) == ["best_interest"]


def test_a_reversal_cancels_the_adoption_clocks_still_open(timescales_loaded):
    """Barnet's targets: the best-interest decision met, the match and the move-in cancelled."""
    people, case = looked_after_child("barnet")
    step(people, case, "plan", date(2026, 11, 10))
    step(people, case, "best_interest", date(2026, 11, 12))
    assert set(Deadline.objects.filter(case=case, status="open").values_list("key", flat=True)) >= {
        "adoption_match", "adoption_move_in"}  # fmt: skip
    reversal = step(people, case, "reversed", date(2026, 11, 16), reversal_reason="RD3")
    cancelled = Deadline.objects.filter(case=case, key__in=("adoption_match", "adoption_move_in"))
    assert {deadline.status for deadline in cancelled} == {"cancelled"}
    assert all("could not be found" in deadline.cancelled_reason for deadline in cancelled)
    assert Deadline.objects.get(case=case, key="adoption_best_interest_decision").status == "met"
    assert Deadline.objects.filter(case=case, key="lac_first_review", status="open").exists()  # reviews run on
    assert reversal.reversal_reason == "RD3" and reversal.history.count() == 1
    errors = refused(step, people=people, case=case, kind="placement_order", on=date(2026, 11, 18))
    assert "reversed" in errors["kind"][0]


def test_a_reversal_after_the_order_cancels_the_not_placed_check(timescales_loaded):
    people, case = looked_after_child("leeds")
    step(people, case, "best_interest", date(2026, 11, 20))
    step(people, case, "placement_order", ORDER)
    assert Deadline.objects.get(case=case, key="placement_order_not_placed_check").status == "open"
    step(people, case, "reversed", ORDER + timedelta(days=3), reversal_reason="RD1")
    assert Deadline.objects.get(case=case, key="placement_order_not_placed_check").status == "cancelled"
    assert Deadline.objects.get(case=case, key="placement_order_first_review").status == "open"


# --- Previous permanence ---------------------------------------------------------------------


@pytest.mark.parametrize(("fields", "field"), [
    ({"code": "P9"}, "code"),
    ({"code": "P1", "made_year": 2020}, "made_by"),
    ({"code": "P2", "made_by": "123", "made_year": 2020}, "made_by"),  # not an authority (rule 633)
    ({"code": "P2", "made_by": "383"}, "made_year"),
    ({"code": "P3", "made_by": "383", "made_day": 4, "made_year": 2020}, "made_month"),
    ({"code": "P3", "made_by": "383", "made_day": 31, "made_month": 2, "made_year": 2020}, "made_day"),
    ({"code": "P1", "made_by": "383", "made_year": 2027}, "made_year"),  # not before the care started
    ({"code": "Z1", "made_by": "383"}, "made_by"),  # rule 635
    ({"code": "P4", "made_year": 2019}, "made_year"),
])  # fmt: skip
def test_each_bad_previous_permanence_answer_names_its_field(people, in_care, fields, field):
    errors = refused(previous_permanence_record, case=in_care, recorded_by=people[Role.SOCIAL_WORKER], **fields)
    assert field in errors
    assert not PreviousPermanence.objects.exists()


def test_previous_permanence_keeps_an_unknown_day_and_every_answer(people, in_care):
    worker = people[Role.SOCIAL_WORKER]
    first = previous_permanence_record(case=in_care, code="P2", made_by="sco", made_month=3, made_year=2019,
                                       recorded_by=worker)  # fmt: skip
    assert (first.made_by, first.made_on, first.made_on_known) == ("SCO", date(2019, 3, 1), "month")
    again = previous_permanence_record(case=in_care, code="Z1", recorded_by=people[Role.TEAM_MANAGER])
    assert again.pk == first.pk and (again.made_by, again.made_on, again.made_on_known) == ("", None, "")
    assert [row.code for row in again.history.order_by("history_date")] == ["P2", "Z1"]


def test_the_previous_permanence_page(client, people, in_care):
    client.force_login(people[Role.SOCIAL_WORKER])
    path = f"/children/{in_care.child_id}/previous-permanence/new/"
    body = client.post(path, {"code": "P1", "made_by": "383", "made_day": "40", "made_year": "2019"}).content.decode()
    assert 'href="#id_made_day' in body and not PreviousPermanence.objects.exists()
    assert client.post(path, {"code": "P1", "made_by": "383", "made_year": "2019"}).status_code == 302
    page = client.get(f"/children/{in_care.child_id}/placements/").content.decode()
    assert "2019 (day and month not known)" in page and "Change previous permanence" in page


# --- Deprivation of liberty orders -------------------------------------------------------------


def test_deprivation_of_liberty_orders_follow_the_dfe_rules(people, in_care):
    worker = people[Role.SOCIAL_WORKER]
    errors = refused(liberty_order_start, case=in_care, started_on=TODAY + timedelta(days=1),
                     recorded_by=worker)  # fmt: skip
    assert "today or in the past" in errors["started_on"][0]
    errors = refused(liberty_order_start, case=in_care, started_on=date(2015, 5, 1), recorded_by=worker)
    assert "date of birth" in errors["started_on"][0]  # rule 708
    assert not DeprivationOfLiberty.objects.exists()
    order = liberty_order_start(case=in_care, started_on=days_ago(5), recorded_by=worker)
    errors = refused(liberty_order_start, case=in_care, started_on=days_ago(1), recorded_by=worker)
    assert "has not ended" in errors["started_on"][0]  # rule 705
    errors = refused(liberty_order_end, order=order, ended_on=days_ago(6), recorded_by=worker)
    assert "on or after" in errors["ended_on"][0]  # rule 702
    liberty_order_end(order=order, ended_on=days_ago(2), recorded_by=worker)
    errors = refused(liberty_order_start, case=in_care, started_on=days_ago(3), recorded_by=worker)
    assert "when the last order ended" in errors["started_on"][0]
    assert DeprivationOfLiberty.objects.count() == 1
    assert [row.ended_on for row in order.history.order_by("history_date")] == [None, days_ago(2)]


def test_the_liberty_order_pages(client, people, in_care):
    client.force_login(people[Role.SOCIAL_WORKER])
    child = in_care.child_id
    body = client.post(f"/children/{child}/liberty-orders/new/", day_fields(date(2015, 1, 1), "started_on"))
    assert 'href="#id_started_on' in body.content.decode() and not DeprivationOfLiberty.objects.exists()
    assert client.post(f"/children/{child}/liberty-orders/new/",
                       day_fields(days_ago(4), "started_on")).status_code == 302  # fmt: skip
    order = DeprivationOfLiberty.objects.get()
    page = client.get(f"/children/{child}/placements/").content.decode()
    assert "In force" in page and f"/liberty-orders/{order.pk}/end/" in page
    assert "Record a deprivation of liberty order" not in page  # one open at a time
    body = client.post(f"/liberty-orders/{order.pk}/end/", day_fields(days_ago(5), "ended_on")).content.decode()
    assert 'href="#id_ended_on' in body
    assert client.post(f"/liberty-orders/{order.pk}/end/", day_fields(days_ago(1), "ended_on")).status_code == 302
    order.refresh_from_db()
    assert order.ended_on == days_ago(1)


# --- Pre-proceedings -----------------------------------------------------------------------------


@pytest.mark.parametrize(("fields", "field"), [
    ({"started_on": None}, "started_on"),
    ({"started_on": TODAY + timedelta(days=1)}, "started_on"),
    ({"letter_sent_on": days_ago(11), "fgdm_offered": True}, "letter_sent_on"),  # before the start
    ({"letter_sent_on": days_ago(8)}, "fgdm_offered"),  # the letter says whether it offered one
    ({"fgdm_offered": True}, "fgdm_offered"),  # no letter yet
    ({"letter_sent_on": days_ago(8), "fgdm_offered": False, "fgdm_held": True}, "fgdm_held"),
    ({"letter_sent_on": days_ago(8), "fgdm_offered": True, "first_meeting_on": days_ago(9)}, "first_meeting_on"),
    ({"review_meetings": 2}, "review_meetings"),  # no first meeting
    ({"review_meetings": -1}, "review_meetings"),
    ({"decided_on": days_ago(2)}, "outcome"),
    ({"outcome": "issue"}, "decided_on"),
    ({"outcome": "maybe", "decided_on": days_ago(2)}, "outcome"),
    ({"decided_on": days_ago(2), "outcome": "step_down", "court_application_on": days_ago(1)}, "court_application_on"),
    ({"decided_on": days_ago(2), "outcome": "issue", "proceedings_letter_on": days_ago(3)}, "proceedings_letter_on"),
])  # fmt: skip
def test_each_bad_pre_proceedings_answer_names_its_field(people, in_care, fields, field):
    errors = refused(pre_proceedings_start, case=in_care, recorded_by=people[Role.SOCIAL_WORKER],
                     **({"started_on": days_ago(10)} | fields))  # fmt: skip
    assert field in errors
    assert not PreProceedings.objects.exists()


def test_pre_proceedings_are_filled_in_as_they_go_with_their_history(people, in_care):
    worker, manager = people[Role.SOCIAL_WORKER], people[Role.TEAM_MANAGER]
    record = pre_proceedings_start(case=in_care, recorded_by=worker, started_on=days_ago(10))
    errors = refused(pre_proceedings_start, case=in_care, recorded_by=worker, started_on=days_ago(2))
    assert "still open" in errors["started_on"][0]
    pre_proceedings_update(record=record, recorded_by=worker, letter_sent_on=days_ago(8), fgdm_offered=True)
    pre_proceedings_update(record=record, recorded_by=manager, fgdm_held=True, first_meeting_on=days_ago(6),
                           review_meetings=1, decided_on=days_ago(2), outcome="issue",
                           court_application_on=days_ago(1))  # fmt: skip
    errors = refused(pre_proceedings_update, record=record, recorded_by=manager, decided_on=None)
    assert "decided_on" in errors
    record.refresh_from_db()
    assert (record.fgdm_offered, record.fgdm_held, record.outcome, record.court_application_on) == (
        True, True, "issue", days_ago(1))  # fmt: skip
    assert [row.history_user for row in record.history.order_by("history_date")] == [worker, worker, manager]
    assert pre_proceedings_start(case=in_care, recorded_by=worker, started_on=days_ago(1)).pk != record.pk


def test_the_pre_proceedings_pages(client, people, in_care):
    client.force_login(people[Role.SOCIAL_WORKER])
    child = in_care.child_id
    body = client.post(f"/children/{child}/pre-proceedings/new/", {
        **day_fields(days_ago(4), "started_on"), **day_fields(days_ago(5), "letter_sent_on"), "fgdm_offered": "yes",
        "review_meetings": "0"}).content.decode()  # fmt: skip
    assert 'href="#id_letter_sent_on' in body and not PreProceedings.objects.exists()
    assert client.post(f"/children/{child}/pre-proceedings/new/", {
        **day_fields(days_ago(4), "started_on"), **day_fields(days_ago(3), "letter_sent_on"), "fgdm_offered": "yes",
        "review_meetings": "0"}).status_code == 302  # fmt: skip
    record = PreProceedings.objects.get()
    page = client.get(f"/children/{child}/plans/").content.decode()
    assert "offering a family group decision-making meeting" in page and f"/pre-proceedings/{record.pk}/" in page
    assert "Record pre-proceedings" not in page  # one open at a time
    edit = client.get(f"/pre-proceedings/{record.pk}/").content.decode()
    assert 'value="yes" checked' in edit or 'value="yes"\n' in edit or "checked" in edit
    response = client.post(f"/pre-proceedings/{record.pk}/", {
        **day_fields(days_ago(4), "started_on"), **day_fields(days_ago(3), "letter_sent_on"), "fgdm_offered": "yes",
        "fgdm_held": "no", **day_fields(days_ago(2), "first_meeting_on"), "review_meetings": "0",
        **day_fields(days_ago(1), "decided_on"), "outcome": "step_down"})  # fmt: skip
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.fgdm_held, record.outcome, record.is_open) == (False, "step_down", False)


# --- Who may see and record ----------------------------------------------------------------------


@pytest.mark.parametrize("role", list(Role))
def test_the_pages_for_every_role(client, people, in_care, role):
    worker = people[Role.SOCIAL_WORKER]
    order = liberty_order_start(case=in_care, started_on=days_ago(3), recorded_by=worker)
    record = pre_proceedings_start(case=in_care, recorded_by=worker, started_on=days_ago(3))
    client.force_login(people[role])
    child = in_care.child_id
    sees = role in SEES_CHILDREN
    denied = 403 if sees else 404
    writes = 200 if role in WRITERS else denied
    expected = {
        f"/children/{child}/placements/": 200 if sees else 404,
        f"/children/{child}/plans/": 200 if sees else 404,
        f"/children/{child}/liberty-orders/new/": writes,
        f"/liberty-orders/{order.pk}/end/": writes,
        f"/children/{child}/previous-permanence/new/": writes,
        f"/children/{child}/pre-proceedings/new/": writes,
        f"/pre-proceedings/{record.pk}/": writes,
        f"/children/{child}/adoption/reversed/new/": writes,
    }
    assert {path: client.get(path).status_code for path in expected} == expected
    response = client.post(f"/children/{child}/previous-permanence/new/", {"code": "Z1"})
    assert response.status_code == (302 if role in WRITERS else denied)
    assert PreviousPermanence.objects.count() == (1 if role in WRITERS else 0)
    if sees:
        page = client.get(f"/children/{child}/placements/").content.decode()
        assert ("Record that it ended" in page) == (role in WRITERS)
        assert "Deprivation of liberty orders" in page


def test_another_authoritys_and_a_restricted_childs_records_are_not_found(client, people, in_care):
    worker = people[Role.SOCIAL_WORKER]
    order = liberty_order_start(case=in_care, started_on=days_ago(3), recorded_by=worker)
    record = pre_proceedings_start(case=in_care, recorded_by=worker, started_on=days_ago(3))
    child = in_care.child_id
    paths = [f"/children/{child}/liberty-orders/new/", f"/liberty-orders/{order.pk}/end/",
             f"/children/{child}/previous-permanence/new/", f"/children/{child}/pre-proceedings/new/",
             f"/pre-proceedings/{record.pk}/", f"/children/{child}/adoption/match/new/"]  # fmt: skip
    client.force_login(staff(Role.SOCIAL_WORKER, authority=Authority.objects.get(slug="york")))
    assert {client.get(path).status_code for path in paths} == {404}
    assert client.post(f"/liberty-orders/{order.pk}/end/", day_fields(days_ago(1), "ended_on")).status_code == 404
    in_care.child.restricted = True
    in_care.child.save()
    in_care.child.restricted_to.add(worker)
    client.force_login(people[Role.TEAM_MANAGER])
    assert {client.get(path).status_code for path in paths} == {404}
    assert client.post(f"/pre-proceedings/{record.pk}/", day_fields(days_ago(2), "started_on")).status_code == 404
    client.force_login(worker)
    assert {client.get(path).status_code for path in paths} == {200}
    order.refresh_from_db(), record.refresh_from_db()
    assert order.ended_on is None and record.started_on == days_ago(3)

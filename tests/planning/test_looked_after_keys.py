"""The looked-after and leaving-care keys issue 9 left unopened, in every shipped authority with
hand-counted dates across the Christmas and New Year bank holidays: the placement plan (each
placement), a named IRO and the permanence plan (becoming looked after), a personal adviser (from
the anchor the authority configures), and Barnet's pathway review after a move. Each is met by the
event that fulfils it where the record holds one, otherwise by "Done" on the Plans and meetings tab."""

from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.models import Authority, Deadline
from cases.roles import Role
from planning.services import plan_start
from planning.services.leaving_care import pathway_review_record
from planning.services.looked_after import care_check_record, case_task_done, lac_review_record
from planning.services.placements import placement_start
from tests.factories import staff
from tests.support import LONDON, SEES_CHILDREN, SHIPPED, at, looked_after, team_of

pytestmark = pytest.mark.django_db

PLACED = date(2026, 12, 18)  # a Friday, before Christmas Day and the Boxing Day substitute (28 Dec)


def end_of(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59), tzinfo=LONDON)


def due(case, key):
    found = Deadline.objects.filter(case=case, key=key, status="open").first()
    return found.due_at if found else None




# Hand-counted (reference §1 conventions), not from the rules module. None: no value is set.
# The child was born on 1 March 2018 (team_of), so turns 16 on Wed 1 Mar 2034.
EXPECTED = {
    # Leeds 72 hours from the placement day; Wiltshire "before placement" (0 calendar days).
    "placement_plan": {"barnet": None, "st-helens": None, "leeds": datetime(2026, 12, 21, tzinfo=LONDON),
                       "wiltshire": end_of(PLACED), "york": None},
    # Leeds 5 working days: Mon 21 (1), Tue 22 (2), Wed 23 (3), Thu 24 (4), [25, 26-27, 28 BH] Tue 29 (5).
    # Wiltshire 24 hours from the start of the day. St Helens names no number.
    "iro_allocation": {"barnet": None, "st-helens": None, "leeds": end_of(date(2026, 12, 29)),
                       "wiltshire": datetime(2026, 12, 19, tzinfo=LONDON), "york": None},
    # Every authority: by the second review, four months from becoming looked after.
    "permanence_plan": dict.fromkeys(SHIPPED, end_of(date(2027, 4, 18))),
    # Barnet: before the 16th birthday (the day before); York: at 17 years 6 months.
    "personal_adviser_allocation": {"barnet": end_of(date(2034, 2, 28)), "st-helens": None, "leeds": None,
                                    "wiltshire": None, "york": end_of(date(2035, 9, 1))},
}  # fmt: skip


@pytest.mark.parametrize("slug", SHIPPED)
def test_becoming_looked_after_and_a_placement_open_the_iro_permanence_adviser_and_placement_plan(
        timescales_loaded, slug):  # fmt: skip
    with time_machine.travel(at(date(2026, 11, 2)), tick=False):
        people, case = team_of(slug)
    with time_machine.travel(at(PLACED, 18), tick=False):
        looked_after(people, case, on=PLACED)
    assert {key: due(case, key) for key in EXPECTED} == {key: values[slug] for key, values in EXPECTED.items()}


def test_wiltshire_allows_five_days_for_the_placement_plan_after_an_emergency_placement(timescales_loaded):
    with time_machine.travel(at(date(2026, 11, 2)), tick=False):
        people, case = team_of("wiltshire")
    with time_machine.travel(at(PLACED, 18), tick=False):
        looked_after(people, case, on=PLACED, emergency=True)
    assert due(case, "placement_plan") == end_of(date(2026, 12, 23))  # 5 calendar days, §13.5


def test_the_first_review_meets_the_iro_clock_and_the_second_the_permanence_plan(timescales_loaded):
    with time_machine.travel(at(date(2026, 11, 2)), tick=False):
        people, case = team_of("leeds")
    with time_machine.travel(at(PLACED, 18), tick=False):
        looked_after(people, case, on=PLACED)
    iro = people[Role.CONFERENCE_CHAIR]
    statuses = []
    for held_on in (date(2027, 1, 14), date(2027, 4, 14)):
        with time_machine.travel(at(held_on, 15), tick=False):
            lac_review_record(case=case, chair=iro, held_at=at(held_on), attendees="Child, carers",
                              summary="Care plan endorsed.")  # fmt: skip
        statuses.append({key: Deadline.objects.get(case=case, key=key).status
                         for key in ("iro_allocation", "permanence_plan")})  # fmt: skip
    # Leeds's IRO was due by Tue 29 Dec, so the first review (14 Jan) shows it was allocated late.
    assert statuses == [{"iro_allocation": "met_late", "permanence_plan": "open"},
                        {"iro_allocation": "met_late", "permanence_plan": "met"}]  # fmt: skip


def test_done_on_the_tab_meets_the_placement_plan_and_bad_keys_are_refused(timescales_loaded):
    with time_machine.travel(at(date(2026, 11, 2)), tick=False):
        people, case = team_of("leeds")
    with time_machine.travel(at(PLACED, 18), tick=False):
        looked_after(people, case, on=PLACED)
    with time_machine.travel(at(date(2026, 12, 22), 9), tick=False):
        met = case_task_done(case=case, key="placement_plan", recorded_by=people[Role.SOCIAL_WORKER])
        assert met.status == "met_late"  # 72 hours ran out on Mon 21 Dec
        for key in ("placement_plan", "lac_first_review", "nonsense"):
            with pytest.raises(ValidationError) as error:
                case_task_done(case=case, key=key, recorded_by=people[Role.SOCIAL_WORKER])
            assert set(error.value.message_dict) == {"key"}
    assert due(case, "lac_first_review") is not None


def test_an_advisers_contact_links_them_before_the_clock_starts(timescales_loaded):
    with time_machine.travel(at(date(2026, 11, 2)), tick=False):
        people, case = team_of("barnet")
    with time_machine.travel(at(PLACED, 18), tick=False):
        looked_after(people, case, on=PLACED)
        care_check_record(case=case, kind="adviser_contact", done_on=PLACED, notes="Introduced.",
                          recorded_by=people[Role.SOCIAL_WORKER])  # fmt: skip
    assert Deadline.objects.get(case=case, key="personal_adviser_allocation").status == "met"


@pytest.mark.parametrize("slug", ["barnet", "leeds"])
def test_a_move_with_a_pathway_plan_brings_the_review_forward_in_barnet(timescales_loaded, slug):
    with time_machine.travel(at(date(2026, 11, 2)), tick=False):
        people, case = team_of(slug, date_of_birth=date(2009, 6, 1))
        looked_after(people, case, on=date(2026, 11, 2))
        plan_start(case=case, kind="pathway", started_on=date(2026, 11, 2), written_by=people[Role.SOCIAL_WORKER],
                   outcomes="Ready for independence.", contingency="Staying put.")  # fmt: skip
    with time_machine.travel(at(PLACED, 18), tick=False):
        placement_start(case=case, recorded_by=people[Role.SOCIAL_WORKER], placement_type="K2", carer="Oak House",
                        started_on=PLACED, change_reason="Needs more support")  # fmt: skip
    # Barnet L3858-3862: within 28 calendar days of the move, Fri 18 Dec -> Fri 15 Jan 2027.
    assert due(case, "pathway_plan_review_after_move") == (end_of(date(2027, 1, 15)) if slug == "barnet" else None)
    with time_machine.travel(at(date(2027, 1, 8), 15), tick=False):
        pathway_review_record(case=case, recorded_by=people[Role.SOCIAL_WORKER], held_at=at(date(2027, 1, 8)),
                              attendees="Young person, adviser", summary="Settling at Oak House.")  # fmt: skip
    assert due(case, "pathway_plan_review_after_move") is None
    met = Deadline.objects.filter(case=case, key="pathway_plan_review_after_move", status="met").count()
    assert met == (1 if slug == "barnet" else 0)


# --- The "Done" button on the tab ----------------------------------------------------------------

WRITERS = (Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.SERVICE_MANAGER)  # a chair writes only what they chair


@pytest.fixture
def placed(people, case):
    type(case).objects.filter(pk=case.pk).update(opened_at=timezone.now() - timedelta(days=7))
    case.refresh_from_db()
    looked_after(people, case, on=timezone.localdate() - timedelta(days=3))
    return case


@pytest.mark.parametrize("role", list(Role))
def test_done_on_the_tab_for_every_role(client, people, placed, role):
    client.force_login(people[role])
    page = client.get(f"/children/{placed.child_id}/plans/")
    sees = role in SEES_CHILDREN
    assert page.status_code == (200 if sees else 404)
    assert ("Done<span class=\"govuk-visually-hidden\">: The placement plan" in page.content.decode()) == (
        role in WRITERS)
    response = client.post(f"/children/{placed.child_id}/plans/done/", {"key": "placement_plan"})
    assert response.status_code == (302 if role in WRITERS else 403 if sees else 404)
    expected = "met_late" if role in WRITERS else "open"  # 72 hours from three days ago
    assert Deadline.objects.get(case=placed, key="placement_plan").status == expected


def test_another_authority_cannot_mark_done(client, people, placed):
    client.force_login(staff(Role.SOCIAL_WORKER, authority=Authority.objects.get(slug="york")))
    assert client.post(f"/children/{placed.child_id}/plans/done/", {"key": "iro_allocation"}).status_code == 404
    assert Deadline.objects.get(case=placed, key="iro_allocation").status == "open"

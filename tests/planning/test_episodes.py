"""The SSDA903 episodes derived from a child's legal statuses and placements: worked examples, a
property over any history the services can record (held to the DfE's own validator rules), and one
child recorded through the services."""

import itertools
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
import pytest
import time_machine
from hypothesis import given, settings
from hypothesis import strategies as st
from lac_validator.rules.lac2022_23 import rule_143, rule_225, rule_433, rule_434, rule_435, rule_436, rule_550
from lac_validator.rules.lac2025_26 import rule_178, rule_213, rule_222, rule_226, rule_233, rule_526

from cases.roles import Role
from cases.services.family import legal_status_start
from planning.episodes import Episode, episodes_of
from planning.models import Placement
from planning.services.placements import NO_PROVIDER, NO_URN, TEMPORARY, placement_end, placement_start
from tests.support import at

RULES = (rule_143, rule_178, rule_213, rule_222, rule_225, rule_226, rule_233, rule_433, rule_434, rule_435,
         rule_436, rule_526, rule_550)  # fmt: skip


@dataclass(eq=False)
class Status:
    legal_status: str
    started_on: date
    ended_on: date | None = None
    kind: str = "lac"


@dataclass(eq=False)
class Place:
    placement_type: str
    carer: str
    started_on: date
    ended_on: date | None = None
    provider: str = "PR1"
    postcode: str = "LS1 4AB"
    urn: str = "SC123456"
    end_reason: str = ""
    move_reason: str = ""


D = date(2026, 4, 1)


def day(n: int) -> date:
    return D + timedelta(days=n)


def rnes(episodes: list[Episode]) -> str:
    return "".join(episode.rne for episode in episodes)


# --- Worked examples -----------------------------------------------------------------------------


def test_one_open_episode_starts_with_s_and_has_no_end():
    [episode] = episodes_of([Status("C2", day(0))], [Place("U6", "The Shaws", day(0))])
    assert episode == Episode(decom=day(0), rne="S", ls="C2", place="U6", place_provider="PR1", pl_post="LS1 4AB",
                              urn="SC123456", dec=None, rec=None, reason_place_change=None)  # fmt: skip
    assert episode.row()["PL_POST"] == "LS1 4AB" and set(episode.row()) >= {"DECOM", "RNE", "REASON_PLACE_CHANGE"}


def test_a_move_to_another_carer_is_p_and_the_last_episode_carries_the_coded_reason():
    first = Place("U6", "The Shaws", day(0), ended_on=day(30), end_reason="X1", move_reason="CREQB")
    second = Place("K2", "Oak House", day(30), postcode="LS6 2AA", urn="SC654321", provider="PR4")
    one, two = episodes_of([Status("C2", day(0))], [second, first])
    assert (one.dec, one.rec, one.reason_place_change) == (day(30), "X1", "CREQB")
    assert (two.decom, two.rne, two.place, two.place_provider) == (day(30), "P", "K2", "PR4")


def test_a_move_with_the_same_carer_is_t():
    first = Place("U6", "The Shaws", day(0), ended_on=day(30), end_reason="X1", move_reason="PLACE")
    moved = Place("U6", " the  shaws ", day(30), postcode="LS2 7AB")
    assert rnes(episodes_of([Status("C2", day(0))], [first, moved])) == "ST"


def test_a_change_of_legal_status_alone_is_l_with_no_reason_for_a_move():
    placement = Place("U6", "The Shaws", day(0))
    one, two = episodes_of([Status("C1", day(0), ended_on=day(40)), Status("C2", day(40))], [placement])
    assert (one.rec, one.reason_place_change, two.rne, two.ls, two.place) == ("X1", None, "L", "C2", "U6")


@pytest.mark.parametrize(("carer", "expected"), [("Oak House", "B"), ("The Shaws", "U")])
def test_legal_status_and_placement_the_same_day_is_b_or_u(carer, expected):
    statuses = [Status("V2", day(0), ended_on=day(10)), Status("C1", day(10))]
    placements = [Place("U6", "The Shaws", day(0), ended_on=day(10), end_reason="X1", move_reason="CARPL"),
                  Place("K2", carer, day(10), postcode="LS6 2AA")]  # fmt: skip
    assert rnes(episodes_of(statuses, placements)) == "S" + expected


def test_leaving_care_ends_the_episode_with_the_recorded_reason_and_coming_back_starts_again():
    statuses = [Status("V2", day(0), ended_on=day(50)), Status("C1", day(80))]
    placements = [Place("U6", "The Shaws", day(0), ended_on=day(50), end_reason="E4A"),
                  Place("U6", "The Shaws", day(80))]  # fmt: skip
    one, two = episodes_of(statuses, placements)
    assert (one.dec, one.rec, one.reason_place_change) == (day(50), "E4A", None)
    assert (two.decom, two.rne, two.dec, two.rec) == (day(80), "S", None, None)


def test_what_the_dfe_does_not_count_is_not_an_episode():
    statuses = [Status("C2", day(0), ended_on=day(20)), Status("C2", day(20)),  # recorded again, unchanged
                Status("", day(0), kind="cin")]  # fmt: skip
    placements = [Place("T1", "Leeds General", day(5), ended_on=day(5), provider="", urn=""),  # never lasted
                  Place("U6", "The Shaws", day(5))]  # fmt: skip
    [episode] = episodes_of(statuses, placements)
    assert (episode.decom, episode.rne, episode.ls) == (day(5), "S", "C2")


def test_a_temporary_placement_has_no_provider_or_urn_in_its_episode():
    placements = [Place("U6", "The Shaws", day(0), ended_on=day(3), end_reason="X1"),
                  Place("T1", "The Shaws", day(3), provider="", urn="", postcode="")]  # fmt: skip
    _, hospital = episodes_of([Status("C2", day(0))], placements)
    assert (hospital.rne, hospital.place_provider, hospital.urn, hospital.pl_post) == ("T", None, None, None)


# --- Any history the services can record ---------------------------------------------------------

CODES = ["C1", "C2", "E1", "V2", "L2", "J1"]
TYPES = ["U6", "U4", "K2", "P1", "T1", "Z11"]
MOVE_REASONS = ["CARPL", "CLOSE", "STAND", "CHILD", "OTHER"]
LEAVINGS = ["E4A", "E11", "E13", "E41", "E8"]
STEP = st.tuples(st.sampled_from(["ls", "move", "both", "leave"]), st.integers(1, 120), st.booleans(),
                 st.sampled_from(TYPES), st.sampled_from(CODES), st.sampled_from(MOVE_REASONS),
                 st.sampled_from(LEAVINGS))  # fmt: skip


def history(first_type: str, first_code: str, steps):
    """Statuses and placements as the services record them, with the episodes each step should
    make: (RNE, reason for the move on the episode before, REC of the episode before)."""
    postcodes = (f"LS{n} {n % 10}AB" for n in itertools.count(1))
    carers = (f"Carer {n}" for n in itertools.count(1))

    def place(kind, carer, on):
        return Place(kind, carer, on, postcode=next(postcodes), provider="" if kind in NO_PROVIDER else
                     "PR0" if kind == "P1" else "PR4", urn="" if kind in NO_URN else "SC100001")  # fmt: skip

    status, placement = Status(first_code, D), place(first_type, next(carers), D)
    statuses, placements, expected = [status], [placement], [("S", None, None)]
    on = D
    for kind, gap, same_carer, new_type, code, move_reason, leaving in steps:
        on += timedelta(days=gap)
        if kind == "leave":
            status.ended_on = placement.ended_on = on
            placement.end_reason = leaving
            on += timedelta(days=gap)
            status, placement = Status(code, on), place(new_type, next(carers), on)
            statuses.append(status), placements.append(placement)
            expected.append(("S", None, leaving))
            continue
        if kind in ("ls", "both"):
            code = code if code != status.legal_status else CODES[(CODES.index(code) + 1) % len(CODES)]
            status.ended_on = on
            status = Status(code, on)
            statuses.append(status)
        reason = None
        if kind in ("move", "both"):
            moved = place(new_type, placement.carer if same_carer else next(carers), on)
            temporary = {placement.placement_type, new_type} & TEMPORARY
            reason = None if temporary else move_reason
            placement.ended_on, placement.end_reason, placement.move_reason = on, "X1", reason or ""
            placement = moved
            placements.append(placement)
        rne = {"ls": "L", "move": "T" if same_carer else "P", "both": "U" if same_carer else "B"}[kind]
        expected.append((rne, reason, "X1"))
    return statuses, placements, expected


def validator_errors(episodes: list[Episode]) -> dict[str, list[int]]:
    def text(value):
        return value.strftime("%d/%m/%Y") if isinstance(value, date) else value

    rows = [{"CHILD": "1", **{name: text(value) for name, value in episode.row().items()},
             "DATE_EPISODE_CEASED": text(episode.dec)} for episode in episodes]  # fmt: skip
    found = {}
    for rule in RULES:
        frame = pd.DataFrame(rows).astype(object).where(pd.DataFrame(rows).notna(), None)
        failed = rule.validate({"Episodes": frame})["Episodes"]
        if failed:
            found[rule.validate.rule.code] = failed
    return found


HISTORIES = (st.sampled_from(TYPES), st.sampled_from(CODES), st.lists(STEP, max_size=8), st.randoms())


@settings(max_examples=150, deadline=None)
@given(*HISTORIES)
def test_any_recorded_history_makes_the_episodes_its_steps_say(first_type, first_code, steps, random):
    statuses, placements, expected = history(first_type, first_code, steps)
    random.shuffle(statuses), random.shuffle(placements)  # the order rows arrive in does not matter
    episodes = episodes_of(statuses, placements)
    assert [episode.rne for episode in episodes] == [rne for rne, _, _ in expected]
    for before, (_, reason, rec) in zip(episodes, expected[1:], strict=False):
        assert before.dec is not None and (before.rec, before.reason_place_change) == (rec, reason)
    for before, after, (rne, _, _) in zip(episodes, episodes[1:], expected[1:], strict=False):
        assert (after.decom == before.dec) == (rne != "S")
    assert episodes[-1].dec is None and episodes[-1].rec is None


# The DfE's validator runs on pandas, slowly: fewer histories, each held to every rule above.
@settings(max_examples=25, deadline=None)
@given(*HISTORIES)
def test_any_recorded_history_passes_the_dfes_episode_rules(first_type, first_code, steps, random):
    statuses, placements, _ = history(first_type, first_code, steps)
    random.shuffle(statuses), random.shuffle(placements)
    assert validator_errors(episodes_of(statuses, placements)) == {}


# --- One child, through the services -------------------------------------------------------------


@pytest.mark.django_db
def test_a_child_recorded_through_the_services_has_the_episodes_of_their_care(people, case):
    worker, manager = people[Role.SOCIAL_WORKER], people[Role.TEAM_MANAGER]
    came, moved, order, home = date(2026, 11, 20), date(2026, 12, 7), date(2027, 1, 4), date(2027, 2, 1)
    with time_machine.travel(at(came, 17), tick=False):
        legal_status_start(case=case, kind="lac", legal_status="V2", started_on=came, recorded_by=manager)
        placement_start(case=case, recorded_by=worker, placement_type="U6", carer="The Shaws", started_on=came,
                        provider="PR1", postcode="ls6 2ab", urn="SC100001")  # fmt: skip
    with time_machine.travel(at(moved, 17), tick=False):
        placement_start(case=case, recorded_by=worker, placement_type="K2", carer="Oak House", started_on=moved,
                        change_reason="The carers gave notice", move_reason="CREQB", provider="PR4",
                        postcode="LS7 3CD", urn="SC200002")  # fmt: skip
    with time_machine.travel(at(order, 17), tick=False):
        legal_status_start(case=case, kind="lac", legal_status="C1", started_on=order, recorded_by=manager)
    with time_machine.travel(at(home, 17), tick=False):
        placement_end(placement=Placement.objects.get(case=case, ended_on=None), ended_on=home, end_reason="E4A",
                      recorded_by=worker)  # fmt: skip
    rows = [episode.row() for episode in episodes_of(case.statuses.all(), Placement.objects.filter(case=case))]
    assert [(row["DECOM"], row["RNE"], row["LS"], row["PLACE"], row["PLACE_PROVIDER"], row["PL_POST"], row["URN"],
             row["DEC"], row["REC"], row["REASON_PLACE_CHANGE"]) for row in rows] == [
        (came, "S", "V2", "U6", "PR1", "LS6 2AB", "SC100001", moved, "X1", "CREQB"),
        (moved, "P", "V2", "K2", "PR4", "LS7 3CD", "SC200002", order, "X1", None),
        (order, "L", "C1", "K2", "PR4", "LS7 3CD", "SC200002", home, "E4A", None),
    ]  # fmt: skip
    assert validator_errors(episodes_of(case.statuses.all(), case.placements.all())) == {}

"""Phased visit schedules: worked example E6 (St Helens: weekly in the first month of a CP plan,
then fortnightly with a manager's approval, otherwise weekly)."""

from datetime import date
from pathlib import Path

import pytest

from cases.rules.config import load_file
from cases.rules.policy import build_policy
from cases.rules.schedule import next_due

AUTHORITIES = Path(__file__).resolve().parents[3] / "config" / "authorities"


@pytest.fixture(scope="module")
def st_helens():
    return build_policy(load_file(AUTHORITIES / "england.toml"), load_file(AUTHORITIES / "st-helens.toml"))


def visit_after(policy, previous, **kwargs):
    return next_due(
        policy,
        steady_key="cp_visit_interval",
        phase_key="cp_visit_interval_first_month",
        previous=previous,
        phase_started=date(2026, 12, 1),
        **kwargs,
    )


@pytest.mark.parametrize(
    ("previous", "expected", "key"),
    [
        (date(2026, 12, 24), date(2026, 12, 31), "cp_visit_interval_first_month"),
        (date(2026, 12, 31), date(2027, 1, 7), "cp_visit_interval_first_month"),  # still inside phase 1
        (date(2027, 1, 7), date(2027, 1, 14), "cp_visit_interval"),  # phase 2, no step-down
    ],
)
def test_the_phase_of_the_previous_visit_sets_the_interval(st_helens, previous, expected, key):
    result = visit_after(st_helens, previous)
    assert result.due_date == expected
    assert result.timescale.key == key


def test_step_down_applies_only_after_the_first_month(st_helens):
    assert visit_after(st_helens, date(2027, 1, 7), conditions={"step_down_approved"}).due_date == date(2027, 1, 21)


def test_an_authority_without_a_phase_value_uses_the_steady_interval_throughout():
    leeds = build_policy(load_file(AUTHORITIES / "england.toml"), load_file(AUTHORITIES / "leeds.toml"))
    result = visit_after(leeds, date(2026, 12, 2))
    assert result.timescale.key == "cp_visit_interval"
    assert result.rule == "15 working_days"

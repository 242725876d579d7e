"""Every worked example of shared/reference/timescales.md §5, through the shipped configuration
files, and every key of every authority computing a due date in every month of 2026-2027."""

from datetime import date, datetime

import pytest

from cases.rules.config import load_file
from cases.rules.timescales import LONDON
from tests.cases.rules.conftest import AUTHORITIES, SLUGS


def at(y, mo, d, h=0, mi=0):
    return datetime(y, mo, d, h, mi)


# (example, authority, key, start, conditions, expected due: a date, or an exact local date-time)
EXAMPLES = [
    ("E1", "england", "icpc", date(2026, 12, 10), (), date(2027, 1, 5)),
    ("E1", "barnet", "icpc", date(2026, 12, 10), (), date(2027, 1, 5)),
    ("E1", "leeds", "icpc", date(2026, 12, 10), (), date(2027, 1, 5)),
    ("E1", "wiltshire", "icpc", date(2026, 12, 10), (), date(2027, 1, 5)),
    ("E1", "york", "icpc", date(2026, 12, 10), (), date(2027, 1, 5)),
    ("E1", "st-helens", "icpc", date(2026, 12, 10), (), date(2026, 12, 25)),
    *[("E2", slug, "first_core_group", date(2026, 12, 18), (), date(2027, 1, 6)) for slug in SLUGS],
    ("E3", "barnet", "strategy_discussion", at(2026, 12, 24, 16), (), date(2026, 12, 25)),
    ("E3", "wiltshire", "strategy_discussion", at(2026, 12, 24, 16), (), date(2026, 12, 31)),
    ("E3", "wiltshire", "strategy_discussion", at(2026, 12, 24, 16), ("serious_risk",), date(2026, 12, 24)),
    ("E3", "wiltshire", "strategy_discussion", at(2026, 12, 24, 16), ("immediate_action",), date(2026, 12, 29)),
    ("E3", "wiltshire", "strategy_discussion", at(2026, 12, 24, 16), ("particularly_complex",), date(2027, 1, 5)),
    ("E3", "york", "strategy_discussion", at(2026, 12, 24, 16), (), date(2026, 12, 29)),
    ("E3", "york", "strategy_discussion", at(2026, 12, 24, 16), ("immediate_concerns",), at(2026, 12, 25, 16)),
    ("E4", "barnet", "contact_decision", at(2026, 12, 24, 15, 30), (), at(2026, 12, 25, 15, 30)),
    ("E4", "wiltshire", "contact_decision", at(2026, 12, 24, 15, 30), (), at(2026, 12, 25, 15, 30)),
    ("E4", "wiltshire", "contact_decision", at(2026, 12, 24, 15, 30), ("cp_referral",), at(2026, 12, 24, 17, 30)),
    ("E4", "st-helens", "contact_triage", at(2026, 12, 24, 15, 30), (), at(2026, 12, 24, 16, 30)),
    ("E4", "st-helens", "contact_decision", at(2026, 12, 24, 15, 30), ("level_4_strategy",), at(2026, 12, 24, 19, 30)),
    ("E4", "st-helens", "contact_decision", at(2026, 12, 24, 15, 30), (), date(2026, 12, 29)),
    ("E4", "england", "contact_decision", at(2026, 12, 24, 15, 30), (), date(2026, 12, 29)),
    ("E5", "barnet", "cp_visit_interval", date(2026, 12, 16), (), date(2027, 1, 4)),
    ("E5", "england", "cp_visit_interval", date(2026, 12, 16), (), date(2027, 1, 4)),
    ("E5", "leeds", "cp_visit_interval", date(2026, 12, 16), (), date(2027, 1, 11)),
    ("E5", "york", "cp_visit_interval", date(2026, 12, 16), (), date(2027, 1, 18)),
    ("E5", "wiltshire", "cp_visit_interval", date(2026, 12, 16), (), date(2026, 12, 30)),
    ("E6", "st-helens", "cp_first_visit", date(2026, 12, 1), (), date(2026, 12, 8)),
    ("E6", "st-helens", "cp_visit_interval_first_month", date(2026, 12, 24), (), date(2026, 12, 31)),
    ("E6", "st-helens", "cp_visit_interval_first_month", date(2026, 12, 31), (), date(2027, 1, 7)),
    ("E6", "st-helens", "cp_visit_interval", date(2027, 1, 7), ("step_down_approved",), date(2027, 1, 21)),
    ("E6", "st-helens", "cp_visit_interval", date(2027, 1, 7), (), date(2027, 1, 14)),
    ("E7", "leeds", "cin_visit_interval", date(2026, 12, 7), (), date(2027, 1, 7)),
    ("E7", "york", "cin_visit_interval", date(2026, 12, 7), (), date(2027, 1, 7)),
    ("E7", "england", "cin_visit_interval", date(2026, 12, 7), (), date(2027, 1, 7)),
    ("E7", "barnet", "cin_visit_interval", date(2026, 12, 7), (), date(2027, 1, 4)),
    ("E7", "wiltshire", "cin_visit_interval", date(2026, 12, 7), (), date(2027, 1, 4)),
    ("E7", "st-helens", "cin_visit_interval", date(2026, 12, 7), (), date(2027, 1, 7)),
    ("E8", "england", "lac_first_visit", at(2026, 12, 24, 18), (), date(2026, 12, 31)),
    ("E8", "leeds", "lac_first_visit", at(2026, 12, 24, 18), (), date(2026, 12, 31)),
    ("E8", "york", "lac_first_visit", at(2026, 12, 24, 18), (), date(2026, 12, 31)),
    ("E8", "barnet", "lac_first_visit", at(2026, 12, 24, 18), (), date(2026, 12, 31)),  # [S] floor
    ("E8", "wiltshire", "lac_first_visit", at(2026, 12, 24, 18), (), date(2026, 12, 31)),  # [S] floor
    ("E8", "york", "lac_placement_day_visit", at(2026, 12, 24, 18), (), at(2026, 12, 25, 18)),
    ("E8", "leeds", "lac_placement_day_visit", at(2026, 12, 24, 18), (), date(2026, 12, 24)),
    ("E9", "england", "lac_first_review", date(2026, 12, 10), (), date(2027, 1, 12)),
    ("E9", "leeds", "lac_first_review", date(2026, 12, 10), (), date(2027, 1, 12)),
    ("E9", "york", "lac_first_review", date(2026, 12, 10), (), date(2027, 1, 12)),
    ("E9", "barnet", "lac_first_review", date(2026, 12, 10), (), date(2027, 1, 10)),
    ("E9", "wiltshire", "lac_first_review", date(2026, 12, 10), (), date(2026, 12, 30)),
    ("E9", "england", "lac_second_review", date(2027, 1, 12), (), date(2027, 4, 12)),
    ("E9", "england", "lac_review_interval", date(2027, 4, 12), (), date(2027, 10, 12)),
    ("E10", "england", "first_rcpc", date(2026, 11, 30), (), date(2027, 2, 28)),
    ("E10", "england", "rcpc_interval", date(2027, 2, 26), (), date(2027, 8, 26)),
    ("E11", "barnet", "rcpc_report_to_family", at(2027, 1, 6, 10), (), date(2026, 12, 29)),
    ("E11", "wiltshire", "rcpc_report_to_family", at(2027, 1, 6, 10), (), date(2026, 12, 29)),
    ("E11", "england", "rcpc_report_to_family", at(2027, 1, 6, 10), (), date(2026, 12, 29)),
    ("E11", "york", "rcpc_report_to_family", at(2027, 1, 6, 10), (), date(2026, 12, 31)),
    # The reference read Leeds's bare "5 days" as calendar days (Fri 1 Jan); before a meeting the
    # stricter working-day reading is configured (test_practice_readings.py), as for E12 below.
    ("E11", "leeds", "rcpc_report_to_family", at(2027, 1, 6, 10), (), date(2026, 12, 29)),
    ("E11", "st-helens", "rcpc_report_to_family", at(2027, 1, 6, 10), (), at(2027, 1, 4, 10)),
    ("E12", "york", "icpc_report_to_family", at(2027, 1, 5, 10), (), date(2026, 12, 30)),
    ("E12", "england", "icpc_report_to_family", at(2027, 1, 5, 10), (), date(2026, 12, 31)),
    ("E12", "barnet", "icpc_report_to_family", at(2027, 1, 5, 10), (), date(2026, 12, 30)),
    ("E12", "leeds", "icpc_report_to_family", at(2027, 1, 5, 10), (), date(2026, 12, 30)),
    ("E12", "st-helens", "icpc_report_to_family", at(2027, 1, 5, 10), (), date(2026, 12, 31)),
    ("E12", "wiltshire", "icpc_report_to_family", at(2027, 1, 5, 10), (), at(2027, 1, 4, 10)),
    ("E13", "barnet", "case_recording", at(2026, 12, 23, 14), (), date(2027, 1, 4)),
    ("E13", "st-helens", "case_recording", at(2026, 12, 23, 14), (), date(2027, 1, 4)),
    ("E13", "england", "case_recording", at(2026, 12, 23, 14), (), date(2027, 1, 4)),
    ("E13", "leeds", "case_recording", at(2026, 12, 23, 14), (), date(2026, 12, 29)),
    ("E13", "york", "case_recording", at(2026, 12, 23, 14), (), date(2026, 12, 30)),
    ("E13", "wiltshire", "case_recording", at(2026, 12, 23, 14), (), at(2026, 12, 25, 14)),
    ("E13", "barnet", "significant_event_recording", at(2026, 12, 23, 14), (), date(2026, 12, 24)),
    ("E13", "york", "significant_event_recording", at(2026, 12, 23, 14), (), date(2026, 12, 24)),
    ("E13", "england", "significant_event_recording", at(2026, 12, 23, 14), (), at(2026, 12, 24, 14)),
    ("E14", "wiltshire", "case_recording", at(2027, 3, 26, 9), (), at(2027, 3, 28, 10)),
    ("E14", "barnet", "case_recording", at(2027, 3, 26, 9), (), date(2027, 4, 5)),
    ("E15", "barnet", "pathway_plan", date(2026, 11, 30), (), date(2027, 2, 28)),
    ("E15", "leeds", "pathway_plan", date(2026, 11, 30), (), date(2027, 2, 28)),
    ("E15", "wiltshire", "pathway_needs_assessment", date(2026, 11, 30), (), date(2027, 2, 28)),
    ("E15", "barnet", "personal_adviser_allocation", date(2026, 11, 30), (), date(2026, 11, 29)),
    ("E15", "wiltshire", "leaving_care_planning_start", date(2010, 11, 30), (), date(2026, 5, 30)),
    ("E15", "york", "leaving_care_planning_start", date(2010, 11, 30), (), date(2026, 8, 30)),
    ("E15", "york", "personal_adviser_allocation", date(2010, 11, 30), (), date(2028, 5, 30)),
    *[
        ("E16", slug, "supervision_interval", date(2026, 12, 18), ("newly_qualified",), date(2027, 1, 1))
        for slug in ("barnet", "leeds", "york")
    ],
    ("E17", "leeds", "pf_first_visit", date(2026, 12, 21), (), date(2027, 1, 4)),
    ("E18", "york", "s47_completion", date(2026, 12, 21), (), date(2026, 12, 30)),
    ("E18", "wiltshire", "s47_completion", date(2026, 12, 21), (), date(2026, 12, 24)),
    # The reference read Wiltshire's bare days as calendar days (write-up Sat 26 Dec); they are read
    # as working days within the one standard (§2.4): Tue 22, Wed 23, Thu 24, Tue 29, Wed 30.
    ("E18", "wiltshire", "s47_writeup", date(2026, 12, 21), (), date(2026, 12, 30)),
    ("E19", "st-helens", "chronology_update", date(2027, 1, 31), (), date(2027, 2, 28)),
    ("E20", "england", "assessment_completion", date(2026, 11, 30), (), date(2027, 2, 4)),
    ("E20", "leeds", "assessment_completion", date(2026, 11, 30), (), date(2027, 2, 4)),
    ("E20", "york", "assessment_completion", date(2026, 11, 30), (), date(2027, 2, 4)),
    ("E20", "wiltshire", "assessment_completion", date(2026, 11, 30), (), date(2027, 1, 28)),
    ("E20", "st-helens", "assessment_completion", date(2026, 11, 30), (), date(2026, 12, 15)),
    ("E20", "leeds", "assessment_brief_completion", date(2026, 11, 30), (), date(2026, 12, 14)),
]  # fmt: skip


@pytest.mark.parametrize(
    ("example", "slug", "key", "start", "conditions", "expected"),
    EXAMPLES,
    ids=[f"{e[0]}-{e[1]}-{e[2]}-{'-'.join(e[4]) or 'base'}" for e in EXAMPLES],
)
def test_worked_example(policies, example, slug, key, start, conditions, expected):
    result = policies[slug].due(key, start, frozenset(conditions))
    if isinstance(expected, datetime):
        assert result.due_at == expected.replace(tzinfo=LONDON), result.explanation
    else:
        assert result.due_date == expected, result.explanation
        assert result.due_at.time().isoformat() == "23:59:59"


def test_e8_explanation_shows_both_the_local_and_the_statutory_dates(policies):
    explanation = policies["barnet"].due("lac_first_visit", at(2026, 12, 24, 18)).explanation
    assert "due end of Tue 5 Jan 2027" in explanation
    assert "The law is the floor" in explanation and "Thu 31 Dec 2026" in explanation


@pytest.mark.parametrize("slug", SLUGS)
def test_every_key_computes_a_due_date_in_every_month_of_2026_and_2027(policies, slug):
    policy = policies[slug]
    keys = [key for key in policy.all_keys() if policy.timescale(key).is_deadline]
    assert len(keys) >= 30  # the national file alone configures 33 deadlines
    for key in keys:
        conditions = policy.timescale(key).conditions
        for month in range(24):
            start = date(2026 + month // 12, month % 12 + 1, 15)
            for applied in [(), *((c,) for c in conditions)]:
                result = policy.due(key, start, frozenset(applied))
                assert result.due_at.tzinfo is not None
                assert result.explanation
                if policy.timescale(key).duration.before:
                    assert result.due_date <= start
                else:
                    assert result.due_date >= start


def test_every_authority_value_has_a_source_and_wiltshire_is_marked_inferred():
    for slug in SLUGS:
        config = load_file(AUTHORITIES / f"{slug}.toml")
        for key, timescale in config.timescales.items():
            if timescale.duration is not None:
                assert timescale.source, f"{slug}.{key} has no source"
            for variant in timescale.variants:
                assert variant.source, f"{slug}.{key} variant {variant.condition} has no source"
    wiltshire = load_file(AUTHORITIES / "wiltshire.toml")
    assert wiltshire.attribution == "inferred" and wiltshire.attribution_note

"""Readings of the practice documents corrected against the seed text, each worked by hand across
Christmas and New Year 2026 (bank holidays Fri 25 Dec, Mon 28 Dec (Boxing Day substitute) and
Fri 1 Jan 2027) and checked through the shipped authority files."""

from datetime import date

import pytest

# A bare "N days" before a meeting is read as working days, the stricter reading (reference
# timescales.md, conventions: for a "before" deadline the calendar reading is the looser one).
# (authority, key, the meeting, due: counted back over working days only)
BEFORE_MEETINGS = [
    # Mon 4 Jan 2027: Thu 31 Dec, Wed 30, Tue 29 (calendar reading: Fri 1 Jan, a bank holiday)
    ("leeds", "icpc_report_to_family", date(2027, 1, 4), date(2026, 12, 29)),
    # Tue 5 Jan: Mon 4, Thu 31 Dec, Wed 30 (calendar: Sat 2 Jan)
    ("barnet", "icpc_report_to_family", date(2027, 1, 5), date(2026, 12, 30)),
    ("barnet", "conference_exclusion_request", date(2027, 1, 5), date(2026, 12, 30)),
    # Tue 29 Dec: Thu 24, Wed 23 (calendar: Sun 27 Dec)
    ("st-helens", "icpc_report_to_family", date(2026, 12, 29), date(2026, 12, 23)),
    # Wed 6 Jan: Tue 5, Mon 4, Thu 31, Wed 30, Tue 29 (calendar: Fri 1 Jan)
    ("leeds", "rcpc_report_to_family", date(2027, 1, 6), date(2026, 12, 29)),
    # Fri 15 Jan: fifteen working days back, skipping the three bank holidays (calendar: Thu 31 Dec)
    ("leeds", "lac_review_sw_iro_discussion", date(2027, 1, 15), date(2026, 12, 22)),
    # Mon 4 Jan: Thu 31 Dec, Wed 30 (calendar: Sat 2 Jan)
    ("wiltshire", "lac_review_report_to_iro", date(2027, 1, 4), date(2026, 12, 30)),
    ("wiltshire", "lac_review_report_to_family", date(2027, 1, 4), date(2026, 12, 30)),
]


@pytest.mark.parametrize(("slug", "key", "meeting", "expected"), BEFORE_MEETINGS)
def test_bare_days_before_a_meeting_count_working_days(policies, slug, key, meeting, expected):
    result = policies[slug].due(key, meeting)
    assert result.due_date == expected, result.explanation
    conflict = policies[slug].timescale(key).conflict
    assert "calendar days" in conflict.other_reading  # the reading not chosen is kept, and shown


@pytest.mark.parametrize(("conditions", "expected"), [
    ((), date(2026, 12, 31)),  # weekly goes on: no step-down approved
    (("step_down_approved",), date(2027, 1, 7)),  # fortnightly once the manager approves it
])  # fmt: skip
def test_st_helens_visits_a_child_in_care_weekly_after_the_first_year_unless_a_manager_steps_it_down(
        policies, conditions, expected):  # fmt: skip
    """St Helens (seed 001, L1654–1657): weekly, reduced to fortnightly only where the manager
    approves; the fortnightly rule was read without its condition after the first year."""
    result = policies["st-helens"].due("lac_visit_interval_after_first_year", date(2026, 12, 24), frozenset(conditions))
    assert result.due_date == expected, result.explanation

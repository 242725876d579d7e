"""The counting conventions of shared/reference/timescales.md §1, case by case."""

from datetime import date, datetime, time

import pytest

from cases.rules.calendar import WorkingCalendar
from cases.rules.durations import Duration, DurationError
from cases.rules.timescales import LONDON, Timescale, Variant, due

CAL = WorkingCalendar()


def ts(duration, *variants, key="k", what="A test timescale"):
    return Timescale(key, what, "anchor", "one-off", Duration.parse(duration), source="Test §1", variants=variants)


def test_working_days_skip_christmas_and_explain_it():
    # The issue's own example: 15 working days from Mon 14 Dec 2026.
    result = due(ts("15 working_days"), date(2026, 12, 14), CAL)
    assert result.due_date == date(2027, 1, 7)
    assert result.due_at == datetime(2027, 1, 7, 23, 59, 59, tzinfo=LONDON)
    assert (
        "15 working days from Mon 14 Dec 2026, skipping Fri 25 Dec, Mon 28 Dec and Fri 1 Jan: "
        "due end of Thu 7 Jan 2027." in result.explanation
    )


def test_day_zero_on_a_weekend_makes_the_next_working_day_day_one():
    assert due(ts("1 working_days"), date(2026, 12, 5), CAL).due_date == date(2026, 12, 7)


def test_closure_days_are_not_working_days():
    calendar = WorkingCalendar(closures=[date(2027, 1, 4)])
    result = due(ts("2 working_days"), date(2026, 12, 31), calendar)
    assert result.due_date == date(2027, 1, 6)
    assert "Mon 4 Jan" in result.explanation


def test_calendar_deadline_on_a_bank_holiday_is_not_moved_and_says_so():
    result = due(ts("15 calendar_days"), date(2026, 12, 10), CAL)
    assert result.due_date == date(2026, 12, 25)
    assert "Christmas Day; the date is not moved" in result.explanation


def test_months_clip_to_the_end_of_a_short_month():
    result = due(ts("3 months"), date(2026, 11, 30), CAL)
    assert result.due_date == date(2027, 2, 28)
    assert "the month has no day 30" in result.explanation
    assert due(ts("1 months"), date(2027, 1, 31), CAL).due_date == date(2027, 2, 28)
    assert due(ts("1 months"), date(2028, 1, 31), CAL).due_date == date(2028, 2, 29)


def test_hours_are_exact_elapsed_time_across_the_clock_change():
    start = datetime(2027, 3, 26, 9, 0)  # Good Friday, GMT
    result = due(ts("48 hours"), start, CAL)
    assert result.due_at == datetime(2027, 3, 28, 10, 0, tzinfo=LONDON)
    assert result.due_at.tzname() == "BST"
    assert "the clocks change in between" in result.explanation


def test_before_rules_count_back_from_the_event():
    event = datetime(2027, 1, 6, 10, 0)
    assert due(ts("-5 working_days"), event, CAL).due_date == date(2026, 12, 29)
    assert due(ts("-3 working_days"), event, CAL).due_date == date(2026, 12, 31)
    assert due(ts("-5 calendar_days"), event, CAL).due_date == date(2027, 1, 1)
    assert due(ts("-48 hours"), event, CAL).due_at == datetime(2027, 1, 4, 10, 0, tzinfo=LONDON)
    assert "before Wed 6 Jan 2027" in due(ts("-3 working_days"), event, CAL).explanation


def test_compound_age_offsets():
    birth = date(2010, 11, 30)
    assert due(ts("15 years + 6 months"), birth, CAL).due_date == date(2026, 5, 30)
    assert due(ts("17 years + 6 months"), birth, CAL).due_date == date(2028, 5, 30)


def test_same_day_deadline():
    assert due(ts("0 calendar_days"), datetime(2026, 12, 24, 16, 0), CAL).due_at.time() == time(23, 59, 59)


def test_school_days_count_as_working_days_and_say_so():
    result = due(ts("20 school_days"), date(2026, 12, 10), CAL)
    assert result.due_date == date(2027, 1, 12)
    assert "No term calendar is configured" in result.explanation


def test_a_variant_replaces_the_value_and_the_strictest_of_several_wins():
    timescale = ts(
        "3 working_days",
        Variant("serious_risk", Duration.parse("0 calendar_days"), "§10.1"),
        Variant("particularly_complex", Duration.parse("5 working_days"), "§10.1"),
    )
    start = datetime(2026, 12, 24, 16, 0)
    assert due(timescale, start, CAL).due_date == date(2026, 12, 31)
    complex_case = due(timescale, start, CAL, {"particularly_complex"})
    assert complex_case.due_date == date(2027, 1, 5)  # a variant may be looser: it replaces the value
    both = due(timescale, start, CAL, {"particularly_complex", "serious_risk"})
    assert both.due_date == date(2026, 12, 24)
    assert both.condition == "serious_risk"
    assert "Variant applied: serious risk" in both.explanation


@pytest.mark.parametrize(
    "text", ["15", "fifteen working_days", "15 fortnights", "1 working_days + 2 months", "3 weeks +"]
)
def test_malformed_durations_are_refused(text):
    with pytest.raises(DurationError):
        Duration.parse(text)


def test_durations_read_back_as_written():
    for text in ["15 working_days", "-3 working_days", "24 hours", "15 years + 6 months", "0 calendar_days"]:
        assert str(Duration.parse(text)) == text
    assert Duration.parse("1 weeks").words() == "1 week"

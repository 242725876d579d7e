"""Supervision cadences for every shipped authority, worked by hand from a session on Fri 18 Dec
2026, across Christmas (25 and 28 Dec and 1 Jan are bank holidays; weeks and months count
calendar days, so a two-weekly session can fall due on New Year's Day)."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from cases.models import Authority
from cases.rules.timescales import LONDON
from cases.selectors.timescales import policy_for
from supervision.cadence import next_case_supervision, next_worker_supervision

pytestmark = pytest.mark.django_db

LAST = datetime(2026, 12, 18, 10, tzinfo=LONDON)
IN_ASYE = date(2026, 9, 1)


def worker(slug, *, last=LAST, newly_qualified_from=None):
    found = next_worker_supervision(policy_for(Authority.objects.get(slug=slug)), last=last,
                                    newly_qualified_from=newly_qualified_from)  # fmt: skip
    return found and (found.key, timezone.localtime(found.due.due_at).date().isoformat())


def child(slug, statuses):
    found = next_case_supervision(policy_for(Authority.objects.get(slug=slug)), last=LAST, statuses=set(statuses))
    return found and (found.due.condition, timezone.localtime(found.due.due_at).date().isoformat())


@pytest.mark.parametrize(("slug", "experienced", "newly_qualified"), [
    ("leeds", ("supervision_interval", "2027-01-18"), ("supervision_interval_nqsw", "2027-01-01")),
    ("york", ("supervision_interval", "2027-01-18"), ("supervision_interval_nqsw", "2027-01-01")),
    # St Helens: every four weeks; "more often" for the newly qualified has no number.
    ("st-helens", ("supervision_interval", "2027-01-15"), ("supervision_interval", "2027-01-15")),
    # Barnet's frequency table is missing from its document: only the ASYE fortnight is known.
    ("barnet", None, ("supervision_interval_nqsw", "2027-01-01")),
    # Wiltshire sets case supervision, not a practitioner cadence.
    ("wiltshire", None, None),
])  # fmt: skip
def test_each_authoritys_cadence_for_experienced_and_newly_qualified_workers(timescales_loaded, slug, experienced,
                                                                             newly_qualified):  # fmt: skip
    assert worker(slug) == experienced
    assert worker(slug, newly_qualified_from=IN_ASYE) == newly_qualified


def test_a_newly_qualified_worker_passing_the_end_of_their_first_year(timescales_loaded):
    started = date(2026, 1, 1)
    assert worker("leeds", newly_qualified_from=started) == ("supervision_interval_nqsw", "2027-01-01")
    after = datetime(2027, 1, 4, 10, tzinfo=LONDON)  # the first year ended on 1 Jan 2027
    assert worker("leeds", last=after, newly_qualified_from=started) == ("supervision_interval", "2027-02-04")


def test_york_supervises_the_newly_qualified_weekly_for_their_first_six_weeks(timescales_loaded):
    # Started on Tue 1 Dec 2026: the six weeks run to Mon 11 Jan 2027. A week after a session on
    # Fri 18 Dec is Christmas Day: a calendar week does not move for bank holidays.
    assert worker("york", newly_qualified_from=date(2026, 12, 1)) == (
        "supervision_interval_nqsw_first_6_weeks", "2026-12-25")
    assert worker("york", last=datetime(2027, 1, 12, 10, tzinfo=LONDON), newly_qualified_from=date(2026, 12, 1)) == (
        "supervision_interval_nqsw", "2027-01-26")  # six weeks over: fortnightly
    assert worker("leeds", newly_qualified_from=date(2026, 12, 1)) == ("supervision_interval_nqsw", "2027-01-01")


@pytest.mark.parametrize(("slug", "statuses", "expected"), [
    ("york", ["cp"], ("cp_plan", "2027-01-15")),
    ("york", ["lac"], ("looked_after_before_permanence", "2027-01-15")),
    ("york", ["cin"], (None, "2027-02-18")),
    ("york", ["care_leaver"], ("care_leaver", "2027-03-12")),
    ("wiltshire", ["cin"], (None, "2027-03-18")),
    ("wiltshire", ["cp"], ("cp_plan", "2027-01-18")),
    # Leeds sets no number of its own: the common-practice two months.
    ("leeds", ["cp"], (None, "2027-02-18")),
])  # fmt: skip
def test_case_supervision_follows_the_childs_status(timescales_loaded, slug, statuses, expected):
    assert child(slug, statuses) == expected

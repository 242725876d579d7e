"""The days the morning digest goes out: the authority's working days unless its file in
config/authorities/ says otherwise. No email on a Saturday, a bank holiday or a closure day; the
beat job and the command both hold to it, and what they skip goes out on the next digest day."""

import shutil
from datetime import date, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from cases.models import Authority, ClosureDay, DigestSend
from cases.rules.calendar import WorkingCalendar
from cases.rules.config import ConfigError, DigestDays, parse
from cases.selectors.digests import digest_days_for
from cases.services.digests import digest_chunks
from tests.cases.alerts_world import LONDON, build_world

pytestmark = pytest.mark.django_db

SATURDAY = datetime(2026, 11, 14, 9, 0, tzinfo=LONDON)
MONDAY = datetime(2026, 11, 16, 9, 0, tzinfo=LONDON)
CHRISTMAS_DAY = datetime(2026, 12, 25, 9, 0, tzinfo=LONDON)  # a Friday
BOXING_DAY_SUBSTITUTE = datetime(2026, 12, 28, 9, 0, tzinfo=LONDON)  # a Monday
TUESDAY_AFTER = datetime(2026, 12, 29, 9, 0, tzinfo=LONDON)


@pytest.fixture
def world(leeds):
    return build_world(leeds, Authority.objects.get(slug="york"))


def send_at(moment: datetime, **options) -> str:
    out = StringIO()
    with time_machine.travel(moment, tick=False):
        call_command("send_digests", stdout=out, **options)
    return out.getvalue()


def sent_to() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def test_no_digest_on_a_saturday_and_each_on_the_monday(world):
    output = send_at(SATURDAY)
    assert output.startswith("0 digests sent, 0 people with nothing to send, 0 already sent or in hand")
    assert "Leeds City Council: no digests on Saturday 14 November (Saturday)" in output
    assert "City of York Council: no digests on Saturday 14 November (Saturday)" in output
    assert mail.outbox == [] and not DigestSend.objects.exists()
    assert digest_chunks(now=SATURDAY.replace(hour=23)) == []  # the beat job, its digest time long come
    assert send_at(MONDAY).startswith("6 digests sent")
    assert "no digests" not in send_at(MONDAY + timedelta(hours=1))


def test_no_digest_on_a_bank_holiday(world):
    for moment, holiday in ((CHRISTMAS_DAY, "Christmas Day"), (BOXING_DAY_SUBSTITUTE, "Boxing Day")):
        output = send_at(moment)
        assert output.startswith("0 digests sent"), moment
        assert f"Leeds City Council: no digests on {moment:%A} {moment.day} December ({holiday}" in output
        assert digest_chunks(now=moment.replace(hour=23)) == []
    assert mail.outbox == []
    assert send_at(TUESDAY_AFTER).startswith("6 digests sent")


def test_no_digest_on_the_authoritys_own_closure_day_and_other_authorities_unaffected(world):
    ClosureDay.objects.create(authority=world.authority, date=MONDAY.date(), reason="Staff training day")
    assert {chunk.authority_id for chunk in digest_chunks(now=MONDAY.replace(hour=23))} == {
        world.outsider.authority_id
    }
    output = send_at(MONDAY)
    assert "Leeds City Council: no digests on Monday 16 November (closure day)" in output
    assert sent_to() == ["yuri@york.test"]  # York works that day


def test_the_authoritys_file_chooses_the_days(world, settings, tmp_path):
    """A copy of the shipped files where Leeds sends on Saturdays and Wednesdays only: its digest
    goes out on the Saturday, not on the Monday; York, unchanged, the other way round."""
    shipped = settings.BASE_DIR / "config" / "authorities"
    copy = tmp_path / "config" / "authorities"
    shutil.copytree(shipped, copy)
    leeds_file = copy / "leeds.toml"
    leeds_file.write_text(leeds_file.read_text().replace('send_on = "working_days"',
                                                         'send_on = ["wednesday", "saturday"]'))  # fmt: skip
    settings.BASE_DIR = tmp_path
    assert digest_days_for(world.authority) == DigestDays(frozenset({2, 5}))
    send_at(SATURDAY)
    assert sent_to() == ["bob@leeds.test", "max@leeds.test", "mona@leeds.test", "sue@leeds.test", "wendy@leeds.test"]
    mail.outbox.clear()
    output = send_at(MONDAY)
    assert "Leeds City Council: no digests on Monday 16 November (Monday is not one of its digest days)" in output
    assert sent_to() == ["yuri@york.test"]


def test_the_shipped_files_send_on_working_days(leeds):
    for slug in ("barnet", "leeds", "st-helens", "wiltshire", "york"):
        assert digest_days_for(Authority.objects.get(slug=slug)) == DigestDays(), slug


def days_from(table: dict) -> DigestDays:
    data = {"authority": {"slug": "leeds", "name": "Leeds", "effective_from": date(2020, 1, 1)}, "digest": table}
    return parse(data, "leeds.toml").digest_days


def test_the_digest_table_is_checked_when_the_file_loads():
    calendar = WorkingCalendar([date(2026, 11, 18)])
    weekdays = days_from({"send_on": ["monday", "wednesday", "saturday"]})
    # Sat 14 to Fri 20 November; Wednesday the 18th is a closure day.
    week = [weekdays.sends_on(date(2026, 11, day), calendar) for day in range(14, 21)]
    assert week == [True, False, True, False, False, False, False]
    every = days_from({"send_on": "every_day"})
    assert all(every.sends_on(date(2026, 12, d), calendar) for d in range(19, 32))
    with_holidays = days_from({"send_on": ["friday"], "holidays": True})
    assert with_holidays.sends_on(date(2026, 12, 25), calendar)
    assert not days_from({"send_on": ["friday"]}).sends_on(date(2026, 12, 25), calendar)
    assert days_from({}) == DigestDays()
    for table, problem in (({"send_on": "weekends"}, "send_on must be"), ({"send_on": []}, "send_on must be"),
                           ({"send_on": ["monday", "funday"]}, "funday"), ({"send_on": ["monday"], "holidays": "yes"},
                           "true or false"), ({"send_on": "working_days", "holidays": True}, "never include"),
                           ({"sent_on": "working_days"}, "unknown field")):  # fmt: skip
        with pytest.raises(ConfigError, match=problem):
            days_from(table)

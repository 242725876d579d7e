"""Impossible dates: a GOV.UK date box refuses a number too big for a date and a year outside 1900
to 2100 with a message naming the field, the services refuse them again, and a clock started from
a date long ago still runs through to the morning digest."""

from datetime import date, datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command

from cases.govuk_widgets import GovukDateField
from cases.models import Authority, Child, Deadline
from cases.roles import Role
from cases.rules.timescales import LONDON
from cases.services.children import referral_record
from tests.factories import ChildFactory, TeamFactory, referral_fields, staff

pytestmark = pytest.mark.django_db

HUGE = "9" * 25


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        ([HUGE, "1", "2020"], "must be a real date"),
        (["1", HUGE, "2020"], "must be a real date"),
        (["31", "2", "2020"], "must be a real date"),
        (["1", "1", "0001"], "must be between 1900 and 2100"),
        (["31", "12", "9999"], "must be between 1900 and 2100"),
        (["31", "12", "1899"], "must be between 1900 and 2100"),
    ],
)
def test_the_date_box_refuses_impossible_dates_naming_the_field(parts, message):
    with pytest.raises(ValidationError) as refused:
        GovukDateField(label="Date of birth").clean(parts)
    assert f"The date of birth {message}" in refused.value.messages[0]


def test_the_date_box_takes_the_ends_of_the_range():
    field = GovukDateField(label="Date of birth")
    assert field.clean(["1", "1", "1900"]) == date(1900, 1, 1)
    assert field.clean(["31", "12", "2100"]) == date(2100, 12, 31)


@pytest.mark.parametrize("day", [HUGE, "1"])
def test_a_new_child_born_in_year_one_is_refused_on_the_page_and_nothing_is_saved(client, leeds, day):
    client.force_login(staff(Role.BUSINESS_SUPPORT, authority=leeds))
    response = client.post("/children/new/", {
        "first_name": "Ada", "last_name": "Early", "date_of_birth_0": day, "date_of_birth_1": "1",
        "date_of_birth_2": "0001", "sex": "F"})  # fmt: skip
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert not Child.objects.filter(last_name="Early").exists()


def test_the_services_refuse_dates_outside_the_range(leeds):
    with pytest.raises(ValidationError) as refused:
        ChildFactory.build(authority=leeds, date_of_birth=date(1, 1, 1)).full_clean()
    assert "between 1900 and 2100" in " ".join(refused.value.message_dict["date_of_birth"])
    team = TeamFactory(authority=leeds)
    child = ChildFactory(authority=leeds, date_of_birth=date(2015, 1, 1))
    with pytest.raises(ValidationError):
        referral_record(recorded_by=staff(Role.BUSINESS_SUPPORT, authority=leeds), child=child, team=team,
                        **referral_fields(received_at=datetime(1, 1, 1, tzinfo=LONDON)))  # fmt: skip


@pytest.mark.parametrize("query", ["month=9999-12", "month=0001-01", "key=%00", "key=no such key"])
def test_the_overdue_list_answers_404_for_a_month_or_key_that_cannot_exist(client, leeds, query):
    manager = staff(Role.TEAM_MANAGER, team=TeamFactory(authority=leeds))
    client.force_login(manager)
    assert client.get(f"/performance/overdue/?{query}").status_code == 404


def test_a_clock_started_in_1950_runs_through_to_the_digest(timescales_loaded, settings):
    """Dates from 1900 are accepted, so the working-day calendar counts from then: a referral
    received in 1950 opens its decision deadline, and the next morning's digest escalates it to the
    service manager instead of stopping the authority's digests."""
    york = Authority.objects.get(slug="york")
    team = TeamFactory(authority=york, name="Front door")
    staff(Role.SERVICE_MANAGER, authority=york, email="head@york.test")
    child = ChildFactory(authority=york, first_name="Edith", last_name="Long", date_of_birth=date(1949, 6, 1))
    referral = referral_record(recorded_by=staff(Role.BUSINESS_SUPPORT, authority=york), child=child, team=team,
                               **referral_fields(received_at=datetime(1950, 3, 3, 16, tzinfo=LONDON)))  # fmt: skip
    deadline = Deadline.objects.get(key="contact_decision", subject_id=referral.pk)
    assert deadline.due_at.date() == date(1950, 3, 6)  # a Friday: York's one working day is the Monday
    out = StringIO()
    call_command("send_digests", "--authority", "york", stdout=out)
    [message] = [message for message in mail.outbox if message.to == ["head@york.test"]]
    assert "Edith Long" in message.body

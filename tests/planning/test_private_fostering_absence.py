"""Leeds: a privately fostered child away from their carer for more than 27 days ends the
arrangement; on their return it starts again, so visits go back to the first-year interval and a
first visit is due. Within the limit nothing changes. Elsewhere the absence is recorded without a
clock. Pages: recording an absence and a return, bad input naming each field, roles."""

from datetime import date, datetime, time

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from cases.models import Deadline, LegalStatus
from cases.roles import Role
from planning.models import PrivateFosteringAbsence
from planning.services.private_fostering import pf_absence_return, pf_absence_start, pf_notification_record
from tests.support import LONDON, SHIPPED, at, team_of

pytestmark = pytest.mark.django_db

NOTIFIED = date(2026, 11, 9)
LEFT = date(2026, 12, 4)  # a Friday


def end_of(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59), tzinfo=LONDON)


def fostered(slug):
    with time_machine.travel(at(date(2026, 11, 2)), tick=False):
        people, case = team_of(slug)
    with time_machine.travel(at(NOTIFIED, 16), tick=False):
        pf_notification_record(case=case, recorded_by=people[Role.SOCIAL_WORKER], received_at=at(NOTIFIED, 11),
                               notified_by="The carer", arrangement_started_on=NOTIFIED, carer="Mrs Okafor")
    return people, case


def statuses(case):
    return list(case.statuses.filter(kind=LegalStatus.Kind.PRIVATE_FOSTERING).order_by("started_on")
                .values_list("started_on", "ended_on"))  # fmt: skip


@pytest.mark.parametrize("slug", SHIPPED)
def test_an_absence_gives_leeds_a_check_when_27_days_are_up(timescales_loaded, slug):
    people, case = fostered(slug)
    with time_machine.travel(at(date(2026, 12, 7)), tick=False):
        absence = pf_absence_start(case=case, recorded_by=people[Role.SOCIAL_WORKER], left_on=LEFT,
                                   notes="Staying with her father in Bradford.")  # fmt: skip
    found = Deadline.objects.filter(subject_id=absence.pk, key="pf_absence_reset").first()
    # 27 calendar days from Fri 4 Dec: Thu 31 Dec.
    assert (found.due_at if found else None) == (end_of(date(2026, 12, 31)) if slug == "leeds" else None)


def test_a_return_within_the_limit_changes_nothing(timescales_loaded):
    people, case = fostered("leeds")
    with time_machine.travel(at(date(2026, 12, 31), 15), tick=False):
        pf_absence_start(case=case, recorded_by=people[Role.SOCIAL_WORKER], left_on=LEFT,
                         returned_on=date(2026, 12, 31))  # 27 days away  # fmt: skip
    assert statuses(case) == [(NOTIFIED, None)]
    absence = PrivateFosteringAbsence.objects.get(case=case)
    assert not absence.ended_arrangement
    assert Deadline.objects.get(subject_id=absence.pk, key="pf_absence_reset").status == "met"


def test_a_return_after_more_than_27_days_ends_the_arrangement_and_starts_it_again(timescales_loaded):
    people, case = fostered("leeds")
    worker = people[Role.SOCIAL_WORKER]
    with time_machine.travel(at(date(2026, 12, 7)), tick=False):
        pf_absence_start(case=case, recorded_by=worker, left_on=LEFT)
    with time_machine.travel(at(date(2027, 1, 4), 15), tick=False):
        absence = pf_absence_return(case=case, recorded_by=worker, returned_on=date(2027, 1, 4))
    assert absence.ended_arrangement
    # Ended on the 28th day away (Fri 1 Jan), started again on the return (Mon 4 Jan).
    assert statuses(case) == [(NOTIFIED, date(2027, 1, 1)), (date(2027, 1, 4), None)]
    # A new arrangement: its first visit within 7 working days of the return, Wed 13 Jan.
    first_visit = Deadline.objects.get(case=case, key="pf_first_visit", status="open")
    assert first_visit.due_at == end_of(date(2027, 1, 13))
    assert Deadline.objects.get(subject_id=absence.pk, key="pf_absence_reset").status == "met_late"


def test_bad_input_names_each_field_and_saves_nothing(timescales_loaded):
    people, case = fostered("leeds")
    worker = people[Role.SOCIAL_WORKER]
    with time_machine.travel(at(date(2026, 12, 7)), tick=False):
        with pytest.raises(ValidationError) as error:
            pf_absence_start(case=case, recorded_by=worker, left_on=date(2026, 12, 8))  # tomorrow
        assert set(error.value.message_dict) == {"left_on"}
        with pytest.raises(ValidationError) as error:
            pf_absence_start(case=case, recorded_by=worker, left_on=date(2026, 11, 1), returned_on=date(2026, 12, 9))
        assert set(error.value.message_dict) == {"left_on", "returned_on"}
        with pytest.raises(ValidationError) as error:
            pf_absence_return(case=case, recorded_by=worker, returned_on=date(2026, 12, 5))
        assert "No absence" in str(error.value)
        pf_absence_start(case=case, recorded_by=worker, left_on=LEFT)
        with pytest.raises(ValidationError) as error:
            pf_absence_start(case=case, recorded_by=worker, left_on=LEFT)
        assert "already recorded" in error.value.message_dict["left_on"][0]
        with pytest.raises(ValidationError) as error:
            pf_absence_return(case=case, recorded_by=worker, returned_on=date(2026, 12, 3))
        assert set(error.value.message_dict) == {"returned_on"}
    assert PrivateFosteringAbsence.objects.count() == 1 and statuses(case) == [(NOTIFIED, None)]


@pytest.mark.parametrize("role", [Role.QA_AUDITOR, Role.CONFERENCE_CHAIR, Role.BUSINESS_SUPPORT, Role.PERSONAL_ADVISER])
def test_only_the_worker_or_a_manager_records_an_absence(timescales_loaded, role):
    people, case = fostered("leeds")
    with time_machine.travel(at(date(2026, 12, 7)), tick=False), pytest.raises(PermissionDenied):
        pf_absence_start(case=case, recorded_by=people[role], left_on=LEFT)
    assert not PrivateFosteringAbsence.objects.exists()


def test_the_pages_record_an_absence_and_then_the_return(timescales_loaded, client):
    people, case = fostered("leeds")
    url = f"/children/{case.child_id}/private-fostering/absence/"
    with time_machine.travel(at(date(2026, 12, 7)), tick=False):
        client.force_login(people[Role.SOCIAL_WORKER])
        page = client.get(f"/children/{case.child_id}/plans/").content.decode()
        assert url in page
        response = client.post(url, {"left_on_0": "4", "left_on_1": "13", "left_on_2": "2026"})
        assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()
        assert not PrivateFosteringAbsence.objects.exists()
        response = client.post(url, {"left_on_0": "4", "left_on_1": "12", "left_on_2": "2026", "notes": "With dad."})
        assert response.status_code == 302
    with time_machine.travel(at(date(2027, 1, 4), 15), tick=False):
        client.force_login(people[Role.SOCIAL_WORKER])
        assert "Record the child&#x27;s return" in client.get(url).content.decode()
        response = client.post(url, {"returned_on_0": "4", "returned_on_1": "1", "returned_on_2": "2027"})
        assert response.status_code == 302
        page = client.get(f"/children/{case.child_id}/plans/").content.decode()
        assert "away longer than allowed" in page
        client.force_login(people[Role.QA_AUDITOR])
        assert client.get(url).status_code == 403  # reads the record, records nothing on it

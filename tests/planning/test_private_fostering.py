"""Private fostering notifications: the first notification of an arrangement starts the child's
private-fostering status, so visits opens the first visit from the day the notice was received
(Leeds only sets a value: reference E17, hand-counted across Christmas and the Boxing Day
substitute); a visit where the child is seen meets it. Pages for every role, another authority's
child not found, and bad input naming each field and saving nothing."""

from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cases.models import Authority, ChronologyEntry, Deadline, LegalStatus
from cases.roles import Role
from planning.models import PrivateFosteringNotification
from planning.services.private_fostering import pf_notification_record
from tests.factories import staff
from tests.support import LONDON, SEES_CHILDREN, SHIPPED, at, team_of
from visits.services import visit_record, visit_save, visit_start

pytestmark = pytest.mark.django_db

RECEIVED = date(2026, 12, 21)  # Monday: E17
SEEN = {"place": "home", "announced": True, "present": "Zoë and Mrs Okafor", "child_seen": True, "seen_alone": True,
        "bedroom_seen": True, "child_views": "I like it here.", "observations": "Settled.",
        "analysis": "The arrangement meets her needs."}  # fmt: skip


def end_of(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59), tzinfo=LONDON)


def notify(people, case, received_at, carer="Mrs Okafor", role=Role.SOCIAL_WORKER):
    return pf_notification_record(case=case, recorded_by=people[role], received_at=received_at,
                                  notified_by="Zoë's mother", arrangement_started_on=date(2027, 1, 4),
                                  carer=carer)  # fmt: skip


def open_due(case, key):
    found = Deadline.objects.filter(case=case, key=key, status="open").first()
    return found.due_at if found else None


# Hand-counted: Leeds 7 working days from Mon 21 Dec 2026: Tue 22 (1), Wed 23 (2), Thu 24 (3),
# [25 Dec, 26-27 weekend, 28 Dec Boxing Day substitute], Tue 29 (4), Wed 30 (5), Thu 31 (6),
# [1 Jan, 2-3 weekend], Mon 4 Jan (7). No other shipped authority sets a number (Barnet 9.12 cites
# the regulations only), so nothing opens there.
FIRST_VISIT = {"leeds": end_of(date(2027, 1, 4)), "barnet": None, "st-helens": None, "wiltshire": None, "york": None}


@pytest.mark.parametrize("slug", SHIPPED)
def test_a_notification_starts_private_fostering_and_its_first_visit(timescales_loaded, slug):
    with time_machine.travel(at(date(2026, 11, 2)), tick=False):
        people, case = team_of(slug)
    with time_machine.travel(at(RECEIVED, 16), tick=False):
        notification = notify(people, case, at(RECEIVED, 11))
    status = case.statuses.get(kind=LegalStatus.Kind.PRIVATE_FOSTERING)
    assert status.started_on == RECEIVED and status.ended_on is None
    assert open_due(case, "pf_first_visit") == FIRST_VISIT[slug]
    assert ChronologyEntry.objects.filter(case=case, title="Private fostering notified by Zoë's mother").exists()
    assert notification.history.count() == 1


def test_a_visit_where_the_child_is_seen_meets_the_first_visit_and_a_later_notice_keeps_the_status(
        timescales_loaded):  # fmt: skip
    with time_machine.travel(at(date(2026, 11, 2)), tick=False):
        people, case = team_of("leeds")
    with time_machine.travel(at(RECEIVED, 16), tick=False):
        notify(people, case, at(RECEIVED, 11))
    worker = people[Role.SOCIAL_WORKER]
    with time_machine.travel(at(date(2026, 12, 30), 17), tick=False):
        visit = visit_start(case=case, recorded_by=worker, kind="private_fostering", visited_at=at(date(2026, 12, 30)))
        visit = visit_save(visit=visit, saved_by=worker, version=visit.version, **SEEN)
        visit_record(visit=visit, recorded_by=worker)
    first = Deadline.objects.get(case=case, key="pf_first_visit")
    assert first.status == "met"
    # Leeds L1084-1085: six weeks between visits in the first year, from the visit on Wed 30 Dec.
    assert open_due(case, "pf_visit_interval_first_year") == end_of(date(2027, 2, 10))
    with time_machine.travel(at(date(2027, 1, 6), 16), tick=False):
        notify(people, case, at(date(2027, 1, 6), 9), carer="Mr and Mrs Okafor")
    assert PrivateFosteringNotification.objects.filter(case=case).count() == 2
    assert case.statuses.filter(kind=LegalStatus.Kind.PRIVATE_FOSTERING).count() == 1  # not restarted
    assert Deadline.objects.filter(case=case, key="pf_first_visit").count() == 1


def test_bad_input_names_each_field_and_saves_nothing(timescales_loaded):
    with time_machine.travel(at(date(2026, 11, 2)), tick=False):
        people, case = team_of("leeds")
    with time_machine.travel(at(RECEIVED, 16), tick=False):
        with pytest.raises(ValidationError) as error:
            pf_notification_record(case=case, recorded_by=people[Role.SOCIAL_WORKER],
                                   received_at=at(RECEIVED + timedelta(days=1)), notified_by=" ",
                                   arrangement_started_on=None, carer="")  # fmt: skip
        assert set(error.value.message_dict) == {"received_at", "notified_by", "arrangement_started_on", "carer"}
        with pytest.raises(ValidationError) as error:
            notify(people, case, at(date(2026, 10, 30)))
        assert "when the case opened" in error.value.message_dict["received_at"][0]
        with pytest.raises(PermissionDenied):
            notify(people, case, at(RECEIVED, 11), role=Role.CONFERENCE_CHAIR)
    assert not PrivateFosteringNotification.objects.exists()
    assert not case.statuses.exists() and not Deadline.objects.filter(key="pf_first_visit").exists()


# --- Pages ---------------------------------------------------------------------------------------

RECORDERS = (Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.SERVICE_MANAGER)


@pytest.fixture
def recent(case):
    type(case).objects.filter(pk=case.pk).update(opened_at=timezone.now() - timedelta(days=7))
    case.refresh_from_db()
    return case


def form_for(received_at, **extra):
    local = timezone.localtime(received_at)
    return {"received_on_0": local.day, "received_on_1": local.month, "received_on_2": local.year,
            "received_time": f"{local:%H:%M}", "notified_by": "The school", "arrangement_started_on_0": 1,
            "arrangement_started_on_1": 2, "arrangement_started_on_2": 2027, "carer": "Mrs Okafor"} | extra  # fmt: skip


@pytest.mark.parametrize("role", list(Role))
def test_the_notification_page_for_every_role(client, people, recent, role):
    client.force_login(people[role])
    sees = role in SEES_CHILDREN
    path = f"/children/{recent.child_id}/private-fostering/new/"
    expected = 200 if role in RECORDERS else 403 if sees else 404
    assert client.get(path).status_code == expected
    tab = client.get(f"/children/{recent.child_id}/plans/")
    assert tab.status_code == (200 if sees else 404)
    assert ("Record a private fostering notification" in tab.content.decode()) == (role in RECORDERS)


def test_a_worker_records_a_notification_and_the_tab_shows_it_with_the_first_visit(client, people, recent,
                                                                                  timescales_loaded):  # fmt: skip
    client.force_login(people[Role.SOCIAL_WORKER])
    response = client.post(f"/children/{recent.child_id}/private-fostering/new/",
                           form_for(timezone.now() - timedelta(hours=2)))  # fmt: skip
    assert response.status_code == 302 and response["Location"] == f"/children/{recent.child_id}/plans/"
    page = client.get(f"/children/{recent.child_id}/plans/").content.decode()
    assert "Private fostering notifications" in page and "Mrs Okafor" in page and "The school" in page
    assert "First visit to a privately fostered child" in page  # Leeds: 7 working days
    assert recent.statuses.get().kind == LegalStatus.Kind.PRIVATE_FOSTERING


def test_bad_input_through_the_form_names_each_field_and_saves_nothing(client, people, recent):
    client.force_login(people[Role.TEAM_MANAGER])
    body = client.post(f"/children/{recent.child_id}/private-fostering/new/",
                       form_for(timezone.now() + timedelta(days=2), notified_by="",
                                carer="")).content.decode()  # fmt: skip
    assert "govuk-error-summary" in body
    assert "Enter who notified the authority" in body and "Enter the private foster carer" in body
    body = client.post(f"/children/{recent.child_id}/private-fostering/new/",
                       form_for(timezone.now() + timedelta(days=2))).content.decode()  # fmt: skip
    assert "govuk-error-summary" in body and "today or in the past" in body
    assert not PrivateFosteringNotification.objects.exists() and not recent.statuses.exists()


def test_another_authoritys_child_is_not_found(client, people, recent):
    york_worker = staff(Role.SOCIAL_WORKER, authority=Authority.objects.get(slug="york"))
    client.force_login(york_worker)
    path = f"/children/{recent.child_id}/private-fostering/new/"
    assert client.get(path).status_code == 404
    assert client.post(path, form_for(timezone.now() - timedelta(hours=2))).status_code == 404
    assert not PrivateFosteringNotification.objects.exists()

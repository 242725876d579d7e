"""The SSDA903 records about looked-after children, each through its page: the social worker's yearly
health and wellbeing (OC2), the personal adviser's contact around a care leaver's birthday (OC3),
and missing and away episodes, whose return opens the return-interview clock that the interview's
offer meets. Bad input names its field and saves nothing; history is kept; every role, another
authority and a restricted child."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cases.models import Authority, Deadline
from cases.roles import Role
from planning.models import CareCheck, CareLeaverContact, HealthOutcome, MissingEpisode
from planning.services.looked_after import care_check_record
from planning.services.missing import RETURN_KEY, missing_episode_end, missing_episode_record, missing_interview_record
from planning.services.outcomes import care_leaver_contact_record, health_outcome_record
from tests.factories import staff
from tests.support import LONDON, SEES_CHILDREN, looked_after

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 20)  # the fixed clock's day (tests/clock.py), a Friday


def moment(hour: int, minute: int = 0, day: date = TODAY) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


def date_fields(name: str, day: date) -> dict:
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


HEALTH = {**date_fields("recorded_on", TODAY), "sdq_score": "14", "sdq_reason": "", "immunisations_up_to_date": "yes",
          "teeth_checked": "yes", "health_assessment_up_to_date": "no", "substance_misuse": "no", "convicted": "no"}
CONTACT = {**date_fields("done_on", TODAY), "in_touch": "YES", "activity": "F2", "accommodation": "D",
           "accommodation_suitable": "yes", "notes": "Talked about college."}
EPISODE = {"kind": "M", **date_fields("started_on", TODAY), "started_time": "10:00"}


@pytest.fixture
def in_care(people, case):
    looked_after(people, case)
    return case


def health_answers(**changes) -> dict:
    answers = {"recorded_on": TODAY, "sdq_score": 14, "sdq_reason": "", "immunisations_up_to_date": True,
               "teeth_checked": True, "health_assessment_up_to_date": False, "substance_misuse": False,
               "intervention_received": None, "intervention_refused": None, "convicted": False}  # fmt: skip
    return answers | changes


# --- Health and wellbeing (OC2) -----------------------------------------------------------------


def test_the_social_worker_records_the_year_and_a_score_records_the_sdq(client, people, in_care):
    client.force_login(people[Role.SOCIAL_WORKER])
    response = client.post(f"/children/{in_care.child_id}/health/new/", HEALTH)
    assert response.status_code == 302
    outcome = HealthOutcome.objects.get()
    assert (outcome.sdq_score, outcome.sdq_reason, outcome.health_assessment_up_to_date) == (14, "", False)
    assert outcome.history.count() == 1 and outcome.history.get().history_user == people[Role.SOCIAL_WORKER]
    # No SDQ was recorded in the year, so the score records it (once): the SDQ clock is met by it.
    assert list(CareCheck.objects.filter(case=in_care).values_list("kind", "done_on")) == [("sdq", TODAY)]
    page = client.get(f"/children/{in_care.child_id}/plans/").content.decode()
    assert "Score 14" in page and "Health assessment up to date: no" in page


def test_a_score_with_an_sdq_already_recorded_does_not_record_another(people, in_care):
    worker = people[Role.SOCIAL_WORKER]
    care_check_record(case=in_care, kind="sdq", done_on=TODAY, notes="", recorded_by=worker)
    health_outcome_record(case=in_care, recorded_by=worker, **health_answers())
    assert CareCheck.objects.filter(case=in_care, kind="sdq").count() == 1


def test_a_reason_instead_of_a_score_records_no_sdq(people, in_care):
    outcome = health_outcome_record(case=in_care, recorded_by=people[Role.SOCIAL_WORKER],
                                    **health_answers(sdq_score=None, sdq_reason="SDQ2"))  # fmt: skip
    assert outcome.get_sdq_reason_display().startswith("The carer refused")
    assert not CareCheck.objects.filter(kind="sdq").exists()


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"recorded_on_0": "", "recorded_on_1": "", "recorded_on_2": ""}, "recorded_on", "Enter the date recorded"),
    (date_fields("recorded_on", TODAY + timedelta(days=1)), "recorded_on", "must be today or in the past"),
    ({"sdq_score": "41"}, "sdq_score", "whole number from 0 to 40"),
    ({"sdq_score": "-1"}, "sdq_score", "whole number from 0 to 40"),
    ({"sdq_score": "x"}, "sdq_score", "whole number from 0 to 40"),
    ({"sdq_score": ""}, "sdq_score", "Enter the SDQ score, or select why there is none"),
    ({"sdq_reason": "SDQ4"}, "sdq_reason", "Leave the reason blank when you give an SDQ score"),
    ({"sdq_score": "", "sdq_reason": "SDQ9"}, "sdq_reason", "Select a valid choice"),
    ({"immunisations_up_to_date": ""}, "immunisations_up_to_date", "immunisations are up to date"),
    ({"teeth_checked": ""}, "teeth_checked", "dental check"),
    ({"health_assessment_up_to_date": ""}, "health_assessment_up_to_date", "health assessment is up to date"),
    ({"substance_misuse": ""}, "substance_misuse", "substance misuse problem"),
    ({"substance_misuse": "yes"}, "intervention_received", "received an intervention"),
    ({"substance_misuse": "yes", "intervention_received": "no"}, "intervention_refused", "refused it"),
    ({"intervention_received": "yes"}, "intervention_received", "no substance misuse problem was identified"),
    ({"intervention_refused": "no"}, "intervention_refused", "no substance misuse problem was identified"),
    ({"convicted": ""}, "convicted", "final warning or reprimand"),
])  # fmt: skip
def test_bad_health_input_names_the_field_and_saves_nothing(client, people, in_care, changes, field, message):
    client.force_login(people[Role.SOCIAL_WORKER])
    response = client.post(f"/children/{in_care.child_id}/health/new/", HEALTH | changes)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field]), errors
    assert not HealthOutcome.objects.exists() and not CareCheck.objects.exists()


def test_health_is_recorded_only_for_a_looked_after_child(people, case):
    with pytest.raises(ValidationError) as refused:
        health_outcome_record(case=case, recorded_by=people[Role.SOCIAL_WORKER], **health_answers())
    assert "not looked after" in refused.value.message_dict["recorded_on"][0]


def test_a_conference_chair_cannot_record_health(people, in_care):
    with pytest.raises(PermissionDenied):
        health_outcome_record(case=in_care, recorded_by=people[Role.CONFERENCE_CHAIR], **health_answers())


# --- The under-5s' health check-up (OC2's HEALTH_CHECK, rules 545 and 546) ----------------------


def born(case, on: date):
    """The case's child, born on the day; the case, with its child read again."""
    type(case.child).objects.filter(pk=case.child_id).update(date_of_birth=on)
    case.child.refresh_from_db()
    return case


UNDER_FIVE = date(2023, 1, 1)
# Five on 10 November 2026, ten days before the fixed clock's day.
FIVE_LAST_WEEK = date(2021, 11, 10)


def test_the_health_check_is_required_of_a_child_under_5(people, in_care):
    born(in_care, UNDER_FIVE)
    worker = people[Role.SOCIAL_WORKER]
    with pytest.raises(ValidationError) as refused:
        health_outcome_record(case=in_care, recorded_by=worker, **health_answers())
    assert set(refused.value.message_dict) == {"health_check"}
    assert "health check-up" in refused.value.message_dict["health_check"][0]
    assert not HealthOutcome.objects.exists()
    outcome = health_outcome_record(case=in_care, recorded_by=worker, **health_answers(health_check=True))
    assert outcome.health_check is True


def test_the_health_check_is_refused_for_a_child_of_5_or_over(people, in_care):
    worker = people[Role.SOCIAL_WORKER]  # the child of the `case` fixture is 11
    with pytest.raises(ValidationError) as refused:
        health_outcome_record(case=in_care, recorded_by=worker, **health_answers(health_check=False))
    assert "asked only of a child under 5" in refused.value.message_dict["health_check"][0]
    assert not HealthOutcome.objects.exists()
    assert health_outcome_record(case=in_care, recorded_by=worker, **health_answers()).health_check is None


def test_the_health_check_follows_the_childs_age_on_the_date_recorded(people, case):
    type(case).objects.filter(pk=case.pk).update(opened_at=moment(9, day=date(2026, 10, 1)))
    case.refresh_from_db()
    born(case, FIVE_LAST_WEEK)
    looked_after(people, case, on=date(2026, 11, 1))
    worker = people[Role.SOCIAL_WORKER]
    four = health_answers(recorded_on=date(2026, 11, 9))
    with pytest.raises(ValidationError) as refused:
        health_outcome_record(case=case, recorded_by=worker, **four)
    assert "health_check" in refused.value.message_dict
    assert health_outcome_record(case=case, recorded_by=worker, **four | {"health_check": False}).health_check is False
    with pytest.raises(ValidationError) as refused:
        health_outcome_record(case=case, recorded_by=worker, **health_answers(health_check=True))
    assert "health_check" in refused.value.message_dict


def test_the_page_asks_the_health_check_of_a_child_under_5(client, people, in_care):
    born(in_care, UNDER_FIVE)
    client.force_login(people[Role.SOCIAL_WORKER])
    path = f"/children/{in_care.child_id}/health/new/"
    page = client.get(path).content.decode()
    assert 'name="health_check"' in page and "Asked because the child is under 5" in page
    missing = client.post(path, HEALTH)
    assert missing.status_code == 200
    body = missing.content.decode()
    assert "govuk-error-summary" in body and 'href="#id_health_check' in body and "health check-up" in body
    assert not HealthOutcome.objects.exists()
    assert client.post(path, HEALTH | {"health_check": "no"}).status_code == 302
    assert HealthOutcome.objects.get().health_check is False
    plans = client.get(f"/children/{in_care.child_id}/plans/").content.decode()
    assert "Health check-up up to date: no" in plans


def test_the_page_does_not_ask_the_health_check_of_an_older_child(client, people, in_care):
    client.force_login(people[Role.SOCIAL_WORKER])
    path = f"/children/{in_care.child_id}/health/new/"
    assert 'name="health_check"' not in client.get(path).content.decode()
    # An answer sent anyway is not a field of the page: nothing is kept for it.
    assert client.post(path, HEALTH | {"health_check": "yes"}).status_code == 302
    assert HealthOutcome.objects.get().health_check is None
    assert "Health check-up up to date" not in client.get(f"/children/{in_care.child_id}/plans/").content.decode()


def test_the_page_asks_with_a_hint_where_the_child_turned_5_in_their_care(client, people, case):
    type(case).objects.filter(pk=case.pk).update(opened_at=moment(9, day=date(2026, 10, 1)))
    case.refresh_from_db()
    born(case, FIVE_LAST_WEEK)
    looked_after(people, case, on=date(2026, 11, 1))
    client.force_login(people[Role.SOCIAL_WORKER])
    path = f"/children/{case.child_id}/health/new/"
    page = client.get(path).content.decode()
    assert 'name="health_check"' in page and "Only for a child under 5 on the date recorded" in page
    refused = client.post(path, HEALTH | {"health_check": "yes"})
    assert refused.status_code == 200
    assert "asked only of a child under 5" in " ".join(refused.context["form"].errors["health_check"])
    assert client.post(path, HEALTH).status_code == 302


# --- Care leavers (OC3) --------------------------------------------------------------------------


def test_the_personal_adviser_records_the_birthday_contact_with_what_they_found(client, people, case):
    client.force_login(people[Role.PERSONAL_ADVISER])
    assert client.post(f"/children/{case.child_id}/checks/adviser-contact/new/", CONTACT).status_code == 302
    found = CareLeaverContact.objects.get()
    assert found.contact.kind == CareCheck.Kind.ADVISER_CONTACT and found.contact.done_on == TODAY
    assert (found.activity_code(), found.accommodation_code()) == ("F2", "D1")
    assert found.history.get().history_user == people[Role.PERSONAL_ADVISER]
    page = client.get(f"/children/{case.child_id}/plans/").content.decode()
    assert "Yes, in touch" in page and "suitable" in page


@pytest.mark.parametrize(("in_touch", "suitable", "code"), [("NO", False, "S2"), ("REFU", False, "X2"),
                                                            ("NREQ", True, "U1")])  # fmt: skip
def test_the_accommodation_code_is_the_letter_and_whether_it_suits(people, case, in_touch, suitable, code):
    found = care_leaver_contact_record(case=case, recorded_by=people[Role.SOCIAL_WORKER], done_on=TODAY, notes="",
                                       in_touch=in_touch, activity="G5", accommodation=code[0],
                                       accommodation_suitable=suitable)  # fmt: skip
    assert found.accommodation_code() == code


@pytest.mark.parametrize("in_touch", ["DIED", "RHOM"])
def test_nothing_more_is_asked_when_the_young_person_died_or_returned_home(people, case, in_touch):
    found = care_leaver_contact_record(case=case, recorded_by=people[Role.PERSONAL_ADVISER], done_on=TODAY, notes="",
                                       in_touch=in_touch, activity="", accommodation="",
                                       accommodation_suitable=None)  # fmt: skip
    assert (found.activity_code(), found.accommodation_code()) == ("0", "0")


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"done_on_0": "", "done_on_1": "", "done_on_2": ""}, "done_on", "Enter the date of the contact"),
    (date_fields("done_on", TODAY + timedelta(days=1)), "done_on", "today or in the past"),
    ({"in_touch": ""}, "in_touch", "Select whether you are in touch"),
    ({"activity": ""}, "activity", "Select the young person's main activity"),
    ({"activity": "0"}, "activity", "Select a valid choice"),
    ({"accommodation": ""}, "accommodation", "Select the kind of accommodation"),
    ({"accommodation_suitable": ""}, "accommodation_suitable", "Select whether the accommodation is suitable"),
    ({"accommodation": "S"}, "accommodation_suitable", "always recorded as not suitable"),
    ({"accommodation": "X"}, "accommodation_suitable", "always recorded as not suitable"),
    ({"in_touch": "DIED"}, "activity", "not asked when the young person has died"),
    ({"in_touch": "RHOM", "activity": ""}, "accommodation", "not asked when the young person has died"),
    ({"in_touch": "RHOM", "activity": "", "accommodation": ""}, "accommodation_suitable", "not asked"),
])  # fmt: skip
def test_bad_contact_input_names_the_field_and_saves_nothing(client, people, case, changes, field, message):
    client.force_login(people[Role.PERSONAL_ADVISER])
    response = client.post(f"/children/{case.child_id}/checks/adviser-contact/new/", CONTACT | changes)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field]), errors
    assert not CareLeaverContact.objects.exists() and not CareCheck.objects.exists()
    assert not Deadline.objects.filter(key="care_leaver_contact_interval").exists()


def test_the_adviser_contact_rule_is_kept(people, case):
    """Whoever may record an adviser contact records its findings: not business support."""
    with pytest.raises(PermissionDenied):
        care_leaver_contact_record(case=case, recorded_by=people[Role.BUSINESS_SUPPORT], done_on=TODAY, notes="",
                                   in_touch="YES", activity="F2", accommodation="D",
                                   accommodation_suitable=True)  # fmt: skip
    assert not CareCheck.objects.exists()


# --- Missing and away episodes --------------------------------------------------------------------


def test_business_support_record_the_police_report_and_the_return_opens_the_interview_clock(client, people, in_care):
    client.force_login(people[Role.BUSINESS_SUPPORT])
    assert client.post(f"/children/{in_care.child_id}/missing/new/", EPISODE).status_code == 302
    episode = MissingEpisode.objects.get()
    assert episode.is_open and not Deadline.objects.filter(key=RETURN_KEY).exists()
    client.force_login(people[Role.SOCIAL_WORKER])
    data = {**date_fields("ended_on", TODAY), "ended_time": "15:00"}
    assert client.post(f"/missing-episodes/{episode.pk}/return/", data).status_code == 302
    deadline = Deadline.objects.get(key=RETURN_KEY)
    # Leeds: a visit within 72 hours of the return (seed 002 L1105-1111).
    assert timezone.localtime(deadline.due_at) == moment(15, day=date(2026, 11, 23))
    assert deadline.assignee == people[Role.SOCIAL_WORKER] and deadline.status == Deadline.Status.OPEN
    assert deadline.explanation.startswith("A visit (return-home interview)") and "72 hours" in deadline.explanation
    page = client.get(f"/children/{in_care.child_id}/placements/").content.decode()
    assert "Record the return interview" in page and "Still away" not in page
    offered = {"interview_offered": "yes", **date_fields("interview_offered_on", TODAY), "interview_accepted": "no"}
    assert client.post(f"/missing-episodes/{episode.pk}/interview/", offered).status_code == 302
    deadline.refresh_from_db()
    assert deadline.status == Deadline.Status.MET and deadline.met_at == moment(15)
    episode.refresh_from_db()
    assert (episode.interview_offered, episode.interview_accepted) == (True, False)
    assert [row.ended_at is None for row in episode.history.order_by("history_date")] == [True, False, False]
    # Offered: nothing more to record, the pages are closed.
    assert client.get(f"/missing-episodes/{episode.pk}/interview/").status_code == 403
    assert client.get(f"/missing-episodes/{episode.pk}/return/").status_code == 403


def test_an_interview_offered_late_meets_the_clock_late(people, in_care):
    worker = people[Role.SOCIAL_WORKER]
    episode = missing_episode_record(case=in_care, recorded_by=worker, kind="A", started_at=moment(9),
                                     ended_at=moment(11), interview_offered=False)  # fmt: skip
    deadline = Deadline.objects.get(key=RETURN_KEY)
    assert deadline.status == Deadline.Status.OPEN  # not offered: the duty is still to offer one
    with time_machine.travel(moment(9, day=date(2026, 11, 25)), tick=False):
        missing_interview_record(episode=episode, recorded_by=worker, interview_offered=True,
                                 interview_offered_on=date(2026, 11, 25), interview_accepted=True)  # fmt: skip
    deadline.refresh_from_db()
    assert deadline.status == Deadline.Status.MET_LATE


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"kind": ""}, "kind", "Select whether the child was missing or away"),
    ({"started_on_0": "", "started_on_1": "", "started_on_2": ""}, "started_on", "Enter the date the child went"),
    ({"started_time": ""}, "started_time", "Enter the time the child went"),
    ({"started_time": "25:00"}, "started_time", "hours and minutes"),
    ({"started_time": "18:00"}, "started_on", "must be in the past"),
    (date_fields("started_on", TODAY - timedelta(days=1)), "started_on", "not looked after then"),
    ({**date_fields("ended_on", TODAY), "ended_time": "09:00"}, "ended_on", "must be after the child went"),
    ({**date_fields("ended_on", TODAY)}, "ended_time", "Enter the time the child came back"),
    ({"ended_time": "11:00"}, "ended_on", "Enter the date the child came back"),
    ({"interview_offered": "yes"}, "interview_offered", "before the return interview"),
    ({**date_fields("ended_on", TODAY), "ended_time": "11:00", "interview_offered": "yes",
      "interview_accepted": "yes"}, "interview_offered_on", "Enter the date the return interview was offered"),
    ({**date_fields("ended_on", TODAY), "ended_time": "11:00", "interview_offered": "yes",
      **date_fields("interview_offered_on", TODAY - timedelta(days=1)), "interview_accepted": "yes"},
     "interview_offered_on", "on or after"),
    ({**date_fields("ended_on", TODAY), "ended_time": "11:00", "interview_offered": "yes",
      **date_fields("interview_offered_on", TODAY)}, "interview_accepted", "Select whether the return interview"),
    ({**date_fields("ended_on", TODAY), "ended_time": "11:00", "interview_offered": "no",
      "interview_accepted": "no"}, "interview_accepted", "no return interview was offered"),
])  # fmt: skip
def test_bad_episode_input_names_the_field_and_saves_nothing(client, people, in_care, changes, field, message):
    client.force_login(people[Role.SOCIAL_WORKER])
    response = client.post(f"/children/{in_care.child_id}/missing/new/", EPISODE | changes)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field]), errors
    assert not MissingEpisode.objects.exists() and not Deadline.objects.filter(key=RETURN_KEY).exists()


def test_one_open_episode_at_a_time_and_a_return_after_it_went(people, in_care):
    worker = people[Role.SOCIAL_WORKER]
    episode = missing_episode_record(case=in_care, recorded_by=worker, kind="M", started_at=moment(9))
    with pytest.raises(ValidationError) as refused:
        missing_episode_record(case=in_care, recorded_by=worker, kind="A", started_at=moment(12))
    assert "already recorded as missing" in refused.value.message_dict["ended_at"][0]
    with pytest.raises(ValidationError) as refused:
        missing_episode_end(episode=episode, recorded_by=worker, ended_at=moment(8))
    assert "must be after the child went" in refused.value.message_dict["ended_at"][0]
    assert MissingEpisode.objects.get().is_open and not Deadline.objects.filter(key=RETURN_KEY).exists()


# --- Pages for every role, another authority, a restricted child -----------------------------------


def records(people, case):
    worker = people[Role.SOCIAL_WORKER]
    still_away = missing_episode_record(case=case, recorded_by=worker, kind="M", started_at=moment(12))
    back = MissingEpisode.objects.create(authority=case.authority, case=case, child=case.child, kind="A",
                                         started_at=moment(8), ended_at=moment(9), recorded_by=worker)  # fmt: skip
    return still_away, back


@pytest.mark.parametrize("role", list(Role))
def test_every_page_for_every_role(client, people, in_care, role):
    still_away, back = records(people, in_care)
    client.force_login(people[role])
    sees = role in SEES_CHILDREN
    writers = {Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.SERVICE_MANAGER}
    adviser, missing = {Role.PERSONAL_ADVISER}, {Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.BUSINESS_SUPPORT}
    child = in_care.child_id

    def allowed(roles):
        return 200 if role in roles else 403 if sees else 404

    expected = {
        f"/children/{child}/health/new/": allowed(writers),
        f"/children/{child}/checks/adviser-contact/new/": allowed(writers | adviser),
        f"/children/{child}/missing/new/": allowed(missing),
        f"/missing-episodes/{still_away.pk}/return/": allowed(missing),
        f"/missing-episodes/{back.pk}/interview/": allowed(missing),
        f"/missing-episodes/{back.pk}/return/": 403 if sees else 404,  # already back
        f"/missing-episodes/{still_away.pk}/interview/": 403 if sees else 404,  # not yet back
        f"/children/{child}/placements/": 200 if sees else 404,
        f"/children/{child}/plans/": 200 if sees else 404,
    }
    assert {path: client.get(path).status_code for path in expected} == expected


@pytest.mark.parametrize("role", sorted(SEES_CHILDREN))
def test_another_authoritys_child_and_episode_are_not_found(client, people, in_care, role):
    still_away, back = records(people, in_care)
    client.force_login(staff(role, authority=Authority.objects.get(slug="york")))
    child = in_care.child_id
    for path in (f"/children/{child}/health/new/", f"/children/{child}/checks/adviser-contact/new/",
                 f"/children/{child}/missing/new/", f"/missing-episodes/{still_away.pk}/return/",
                 f"/missing-episodes/{back.pk}/interview/"):  # fmt: skip
        assert client.get(path).status_code == 404, path
        assert client.post(path, {}).status_code == 404, path
    assert MissingEpisode.objects.count() == 2 and not HealthOutcome.objects.exists()


def test_a_restricted_childs_pages_are_not_found_by_anyone_not_named(client, people, in_care):
    still_away, back = records(people, in_care)
    child = in_care.child
    child.restricted = True
    child.save()
    child.restricted_to.add(people[Role.SOCIAL_WORKER])
    paths = (f"/children/{child.pk}/health/new/", f"/children/{child.pk}/checks/adviser-contact/new/",
             f"/children/{child.pk}/missing/new/", f"/missing-episodes/{still_away.pk}/return/",
             f"/missing-episodes/{back.pk}/interview/")  # fmt: skip
    for role in (Role.TEAM_MANAGER, Role.BUSINESS_SUPPORT, Role.PERSONAL_ADVISER):
        client.force_login(people[role])
        assert [client.get(path).status_code for path in paths] == [404] * len(paths), role
    client.force_login(people[Role.SOCIAL_WORKER])
    assert [client.get(path).status_code for path in paths] == [200] * len(paths)

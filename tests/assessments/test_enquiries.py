"""Strategy discussions and section 47 enquiries: each authority's clocks, meeting and cancelling
them, every page for every role, bad input, and bounded queries."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from assessments.models.enquiries import Section47Enquiry, StrategyDiscussion
from assessments.services.enquiries import (
    s47_child_seen_record,
    s47_outcome_record,
    s47_outcome_shared_record,
    strategy_conditions_for,
    strategy_discussion_due,
    strategy_discussion_record,
    strategy_record_circulated,
)
from cases.models import Authority, Case, ChronologyEntry, Deadline
from cases.roles import Role
from cases.services.children import case_allocate, referral_decide, referral_record
from tests.clock import from_now
from tests.factories import ChildFactory, TeamFactory, referral_fields, staff
from tests.support import SEES_CHILDREN

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("timescales_loaded")]

LONDON = ZoneInfo("Europe/London")
POLICE = {"name": "DS Priya Shah", "agency": "police", "role": "Detective sergeant"}
HEALTH = {"name": "Dr Tom Reid", "agency": "health", "role": "Named doctor"}
# The fixed-date tests below run as if on this day, so they read the same whenever they run.
AFTER_THE_DATES_USED = datetime(2026, 11, 24, 12, tzinfo=ZoneInfo("Europe/London"))
SOCIAL_CARE = {"name": "Ann Lee", "agency": "social_care", "role": "Team manager"}


def local(*parts) -> datetime:
    return datetime(*parts, tzinfo=LONDON)


def people_in(slug: str) -> dict:
    authority = Authority.objects.get(slug=slug)
    team = TeamFactory(authority=authority, name="Children's services")
    return {role: staff(role, authority=authority, team=team) for role in Role} | {"team": team}


def strategy_case(people, received_at=None, conditions=()) -> Case:
    """A child referred, decided for a strategy discussion and allocated, with the strategy clock
    opened as the referral decision will open it."""
    authority = people["team"].authority
    child = ChildFactory(authority=authority)
    received_at = received_at or timezone.now() - timedelta(hours=3)
    referral = referral_record(recorded_by=people[Role.BUSINESS_SUPPORT], child=child, team=people["team"],
                               **referral_fields(received_at=received_at, child_protection=True))  # fmt: skip
    referral_decide(referral=referral, decided_by=people[Role.TEAM_MANAGER], decision="strategy",
                    rationale="Bruising on a non-mobile baby",
                    decided_at=received_at + timedelta(minutes=30))  # fmt: skip
    case = Case.objects.get(referral=referral)
    strategy_discussion_due(case=case, opened_by=people[Role.TEAM_MANAGER], conditions=conditions)
    case_allocate(case=case, worker=people[Role.SOCIAL_WORKER], team=people["team"],
                  allocated_by=people[Role.TEAM_MANAGER])  # fmt: skip
    case.refresh_from_db()
    return case


def discuss(people, case, held_at=None, decision="s47", **overrides) -> StrategyDiscussion:
    fields = {"case": case, "recorded_by": people[Role.SOCIAL_WORKER], "chair": people[Role.TEAM_MANAGER],
              "held_at": held_at or timezone.now() - timedelta(hours=1), "participants": [SOCIAL_CARE, POLICE],
              "information_shared": "Police hold a record of domestic abuse at the address", "decision": decision,
              "rationale": "Reasonable cause to suspect significant harm"}  # fmt: skip
    return strategy_discussion_record(**(fields | overrides))


def of(subject) -> dict:
    return {"subject_type": ContentType.objects.get_for_model(subject), "subject_id": subject.pk}


def deadline(key, subject=None, **filters) -> Deadline:
    return Deadline.objects.get(key=key, **(of(subject) if subject is not None else {}), **filters)


def keys_of(subject) -> set[str]:
    return set(Deadline.objects.filter(**of(subject)).values_list("key", flat=True))


# --- Deadlines per authority -----------------------------------------------------------------------


def test_icpc_is_15_working_days_from_the_discussion_across_christmas(people):
    with time_machine.travel(local(2026, 12, 10, 16), tick=False):
        case = strategy_case(people, received_at=local(2026, 12, 9, 11))
        discussion = discuss(people, case, held_at=local(2026, 12, 10, 14))
    enquiry = discussion.enquiries.get()
    icpc = deadline("icpc", enquiry)
    assert timezone.localtime(icpc.due_at) == local(2027, 1, 5, 23, 59, 59)  # Tue 5 Jan 2027
    assert "skipping" in icpc.explanation and "Fri 25 Dec" in icpc.explanation and "Fri 1 Jan" in icpc.explanation
    assert icpc.status == "open" and icpc.assignee == people[Role.SOCIAL_WORKER]
    # Leeds sets no number for holding the discussion, seeing the child or completing the enquiry.
    assert keys_of(enquiry) == {"icpc"}
    assert not Deadline.objects.filter(key="strategy_discussion").exists()


@time_machine.travel(AFTER_THE_DATES_USED, tick=False)
def test_york_sees_the_child_within_24_hours_and_completes_in_5_working_days():
    people = people_in("york")
    case = strategy_case(people, received_at=local(2026, 11, 20, 10))  # a Friday
    clock = deadline("strategy_discussion", case=case, status__in=["open", "met", "met_late"])
    assert timezone.localtime(clock.due_at) == local(2026, 11, 23, 23, 59, 59)  # one working day: Monday
    held = local(2026, 11, 23, 9, 30)
    enquiry = discuss(people, case, held_at=held).enquiries.get()
    clock.refresh_from_db()
    assert clock.status == "met" and clock.met_at == held
    seen = deadline("s47_child_seen", enquiry)
    assert seen.due_at == held + timedelta(hours=24) and "24 hours" in seen.explanation
    assert timezone.localtime(deadline("s47_completion", enquiry).due_at).date() == local(2026, 11, 30).date()
    assert keys_of(enquiry) == {"s47_child_seen", "s47_completion", "icpc"}  # York gives seen alone no number


def test_york_immediate_concerns_shorten_the_clock_to_24_hours():
    people = people_in("york")
    assert ("immediate_concerns", "There are immediate child-protection concerns") in strategy_conditions_for(
        Authority.objects.get(slug="york"))  # fmt: skip
    received = timezone.now() - timedelta(hours=2)
    case = strategy_case(people, received_at=received, conditions=("immediate_concerns",))
    clock = deadline("strategy_discussion", case=case, status__in=["open", "met", "met_late"])
    assert clock.due_at == received + timedelta(hours=24) and clock.condition_applied == "immediate_concerns"


@time_machine.travel(AFTER_THE_DATES_USED, tick=False)
def test_st_helens_counts_seeing_the_child_from_the_enquiry_and_the_conference_in_calendar_days():
    people = people_in("st-helens")
    case = strategy_case(people, received_at=local(2026, 11, 16, 9))
    held = local(2026, 11, 16, 15)
    discussion = discuss(people, case, held_at=held)
    enquiry = discussion.enquiries.get()
    assert enquiry.started_at == held
    assert deadline("s47_child_seen", enquiry).due_at == held + timedelta(hours=24)
    assert "from s47 start" in deadline("s47_child_seen", enquiry).explanation
    assert deadline("s47_child_seen_alone", enquiry).due_at.date() == local(2026, 11, 23).date()
    assert timezone.localtime(deadline("icpc", enquiry).due_at).date() == local(2026, 12, 1).date()
    assert deadline("strategy_record_circulation", discussion).due_at == held + timedelta(hours=24)


@time_machine.travel(AFTER_THE_DATES_USED, tick=False)
def test_wiltshire_serious_risk_means_the_same_day_and_the_enquiry_ends_in_3_days():
    people = people_in("wiltshire")
    received = local(2026, 11, 20, 9)
    case = strategy_case(people, received_at=received, conditions=("serious_risk",))
    clock = deadline("strategy_discussion", case=case, status__in=["open", "met", "met_late"])
    assert timezone.localtime(clock.due_at) == local(2026, 11, 20, 23, 59, 59)
    discussion = discuss(people, case, held_at=local(2026, 11, 20, 16))
    enquiry = discussion.enquiries.get()
    assert timezone.localtime(deadline("strategy_record_circulation", discussion).due_at).date().day == 23
    # §11.1's bare "3 days" and "5 days" are read as working days, as the standard reads the
    # single assessment's days (§2.4): Mon 23, Tue 24, Wed 25; then Thu 26, Fri 27.
    assert timezone.localtime(deadline("s47_completion", enquiry).due_at).date() == local(2026, 11, 25).date()
    assert timezone.localtime(deadline("s47_writeup", enquiry).due_at).date() == local(2026, 11, 27).date()


@time_machine.travel(AFTER_THE_DATES_USED, tick=False)
def test_a_discussion_held_after_barnets_one_day_is_met_late():
    people = people_in("barnet")
    case = strategy_case(people, received_at=local(2026, 11, 16, 9))
    discuss(people, case, held_at=local(2026, 11, 18, 9))
    clock = deadline("strategy_discussion", case=case, status__in=["open", "met", "met_late"])
    assert clock.status == "met_late"


def test_no_second_strategy_clock_and_no_clock_where_the_authority_sets_none(people, leeds):
    york = people_in("york")
    case = strategy_case(york)
    assert strategy_discussion_due(case=case, opened_by=york[Role.TEAM_MANAGER]) == deadline(
        "strategy_discussion", case=case)  # fmt: skip
    assert Deadline.objects.filter(key="strategy_discussion").count() == 1
    with pytest.raises(ValidationError) as refused:
        strategy_discussion_due(case=case, opened_by=york[Role.TEAM_MANAGER], conditions=("made_up",))
    assert "conditions" in refused.value.message_dict
    leeds_case = strategy_case(people)
    assert strategy_discussion_due(case=leeds_case, opened_by=people[Role.TEAM_MANAGER]) is None


# --- Meeting and cancelling --------------------------------------------------------------------------


def test_barnet_journey_meets_and_cancels_each_clock_and_writes_the_chronology():
    people = people_in("barnet")
    worker = people[Role.SOCIAL_WORKER]
    case = strategy_case(people, received_at=timezone.now() - timedelta(hours=6))
    held = timezone.now() - timedelta(hours=5)
    discussion = discuss(people, case, held_at=held)
    circulation = deadline("strategy_record_circulation", discussion)
    assert circulation.status == "open"
    strategy_record_circulated(discussion=discussion, recorded_by=worker)
    circulation.refresh_from_db()
    assert circulation.status == "met"
    with pytest.raises(ValidationError):
        strategy_record_circulated(discussion=discussion, recorded_by=worker)

    enquiry = discussion.enquiries.get()
    s47_child_seen_record(enquiry=enquiry, recorded_by=worker, seen_at=held + timedelta(hours=1),
                          not_seen_alone_reason="She is two: too young to be spoken to alone")  # fmt: skip
    alone = deadline("s47_child_seen_alone", enquiry)
    assert alone.status == "cancelled" and "too young" in alone.cancelled_reason

    s47_outcome_record(enquiry=enquiry, recorded_by=worker, outcome="unsubstantiated",
                       findings="The bruise is consistent with the account; no further concerns")  # fmt: skip
    icpc = deadline("icpc", enquiry)
    assert icpc.status == "cancelled" and "Concerns not substantiated" in icpc.cancelled_reason
    assert deadline("icpc_threshold_decision", enquiry).status == "met"
    shared = deadline("s47_outcome_shared", enquiry)
    assert shared.status == "open"
    s47_outcome_shared_record(enquiry=enquiry, recorded_by=worker)
    shared.refresh_from_db()
    assert shared.status == "met"
    titles = dict(ChronologyEntry.objects.filter(case=case).values_list("title", "kind"))
    assert titles["Strategy discussion: Start a section 47 enquiry"] == "strategy"
    assert titles["Section 47 enquiry started"] == "decision"
    assert titles["Section 47 outcome: Concerns not substantiated"] == "decision"
    assert "Strategy discussion record sent to the participants" in titles
    assert "Section 47 outcome sent to the agencies that took part" in titles


def test_an_outcome_needing_a_conference_keeps_the_icpc_clock_open():
    york = people_in("york")
    york_case = strategy_case(york)
    enquiry = discuss(york, york_case).enquiries.get()
    s47_child_seen_record(enquiry=enquiry, recorded_by=york[Role.SOCIAL_WORKER],
                          seen_at=timezone.now() - timedelta(minutes=30),
                          seen_alone_at=timezone.now() - timedelta(minutes=20))  # fmt: skip
    assert deadline("s47_child_seen", enquiry).status == "met"
    s47_outcome_record(enquiry=enquiry, recorded_by=york[Role.TEAM_MANAGER], outcome="icpc",
                       findings="Injuries unexplained; mother's partner has a history of violence")  # fmt: skip
    assert deadline("icpc", enquiry).status == "open"
    assert deadline("s47_completion", enquiry).status == "met"
    enquiry.refresh_from_db()
    assert enquiry.outcome_recorded_by == york[Role.TEAM_MANAGER]
    with pytest.raises(ValidationError) as again:
        s47_outcome_record(enquiry=enquiry, recorded_by=york[Role.TEAM_MANAGER], outcome="nfa", findings="x")
    assert "outcome" in again.value.message_dict


def test_concluding_without_seeing_the_child_cancels_the_seen_clocks():
    people = people_in("st-helens")
    enquiry = discuss(people, strategy_case(people)).enquiries.get()
    s47_outcome_record(enquiry=enquiry, recorded_by=people[Role.SOCIAL_WORKER], outcome="nfa",
                       findings="The family has moved out of the country")  # fmt: skip
    for key in ("s47_child_seen", "s47_child_seen_alone"):
        assert deadline(key, enquiry).status == "cancelled"
    assert deadline("icpc", enquiry).status == "cancelled"


def test_a_decision_other_than_s47_starts_no_enquiry(people):
    case = strategy_case(people)
    discussion = discuss(people, case, decision="cin", participants=[HEALTH])
    assert not Section47Enquiry.objects.exists() and discussion.decision == "cin"
    assert not Deadline.objects.filter(key="icpc").exists()


# --- Validation and permission -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"held_at": timedelta(days=2)}, "held_at"),
        ({"held_at": -timedelta(days=30)}, "held_at"),  # before the referral
        ({"participants": [SOCIAL_CARE, {"name": "Head teacher", "agency": "education"}]}, "participants"),
        ({"participants": [{"name": "", "agency": "", "role": ""}]}, "participants"),
        ({"participants": [POLICE, {"name": "No agency", "agency": ""}]}, "participants"),
        ({"rationale": "  "}, "rationale"),
        ({"decision": "maybe"}, "decision"),
        ({"chair": None}, "chair"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(people, overrides, field):
    case = strategy_case(people)
    chronology, deadlines = ChronologyEntry.objects.count(), Deadline.objects.count()
    with pytest.raises(ValidationError) as refused:
        discuss(people, case, **from_now(overrides))
    assert field in refused.value.message_dict
    assert not StrategyDiscussion.objects.exists() and not Section47Enquiry.objects.exists()
    assert (ChronologyEntry.objects.count(), Deadline.objects.count()) == (chronology, deadlines)


def test_a_chair_from_another_authority_is_refused(people):
    york_manager = staff(Role.TEAM_MANAGER, authority=Authority.objects.get(slug="york"))
    with pytest.raises(ValidationError) as refused:
        discuss(people, strategy_case(people), chair=york_manager)
    assert "chair" in refused.value.message_dict


def test_a_second_enquiry_waits_for_the_first_to_conclude(people):
    case = strategy_case(people)
    discuss(people, case)
    with pytest.raises(ValidationError) as refused:
        discuss(people, case)
    assert "decision" in refused.value.message_dict
    discuss(people, case, decision="assessment")  # a repeat discussion that reviews the enquiry is fine
    assert Section47Enquiry.objects.count() == 1


def test_seen_dates_are_checked(people):
    enquiry = discuss(people, strategy_case(people)).enquiries.get()
    worker = people[Role.SOCIAL_WORKER]
    cases = [
        ({}, "seen_at"),
        ({"seen_at": timezone.now() + timedelta(hours=2)}, "seen_at"),
        ({"seen_at": enquiry.started_at - timedelta(hours=1)}, "seen_at"),
        ({"seen_at": timezone.now() - timedelta(minutes=5), "seen_alone_at": timezone.now() - timedelta(minutes=9)},
         "seen_alone_at"),
        ({"seen_at": timezone.now(), "seen_alone_at": timezone.now(), "not_seen_alone_reason": "Asleep"},
         "not_seen_alone_reason"),
    ]  # fmt: skip
    for arguments, field in cases:
        with pytest.raises(ValidationError) as refused:
            s47_child_seen_record(enquiry=enquiry, recorded_by=worker, **arguments)
        assert field in refused.value.message_dict, arguments
    enquiry.refresh_from_db()
    assert enquiry.child_seen_at is None and deadline("icpc", enquiry).status == "open"


def test_only_the_worker_or_a_manager_of_the_team_writes(people, leeds):
    case = strategy_case(people)
    outsider = staff(Role.SOCIAL_WORKER, team=TeamFactory(authority=leeds))
    other_manager = staff(Role.TEAM_MANAGER, team=TeamFactory(authority=leeds))
    for user in (outsider, other_manager, people[Role.QA_AUDITOR], people[Role.PERSONAL_ADVISER]):
        with pytest.raises(PermissionDenied):
            discuss(people, case, recorded_by=user)
    discussion = discuss(people, case, recorded_by=people[Role.SERVICE_MANAGER])
    with pytest.raises(PermissionDenied):
        s47_outcome_record(enquiry=discussion.enquiries.get(), recorded_by=outsider, outcome="nfa", findings="x")


# --- Pages ---------------------------------------------------------------------------------------------


def form_post(people, **fields) -> dict:
    held = timezone.localtime() - timedelta(hours=1)
    data = {"held_on_0": held.day, "held_on_1": held.month, "held_on_2": held.year,
            "held_time": f"{held:%H:%M}", "chair": people[Role.TEAM_MANAGER].pk,
            "participant_1_name": "DS Priya Shah", "participant_1_agency": "police",
            "participant_1_role": "Detective sergeant", "participant_2_name": "Ann Lee",
            "participant_2_agency": "social_care", "information_shared": "Police record at the address",
            "decision": "s47", "rationale": "Reasonable cause to suspect significant harm"}  # fmt: skip
    return data | fields


@pytest.mark.parametrize("role", list(Role))
def test_every_page_for_every_role(client, people, role):
    case = strategy_case(people)
    discussion = discuss(people, case)
    enquiry = discussion.enquiries.get()
    child = case.child_id
    client.force_login(people[role])
    sees = role in SEES_CHILDREN
    writes = role in (Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.SERVICE_MANAGER)
    expected = {
        f"/children/{child}/strategy/": 200 if sees else 404,
        f"/children/{child}/strategy/new/": 200 if writes else 403 if sees else 404,
        f"/strategy/{discussion.pk}/": 200 if sees else 404,
        f"/s47/{enquiry.pk}/": 200 if sees else 404,
    }
    assert {path: client.get(path).status_code for path in expected} == expected
    posts = {
        f"/strategy/{discussion.pk}/circulated/": {},
        f"/s47/{enquiry.pk}/seen/": {"seen_on_0": "", "not_seen_alone_reason": ""},
        f"/s47/{enquiry.pk}/outcome/": {"outcome": "", "findings": ""},
    }
    if not writes:
        assert {path: client.post(path, data).status_code for path, data in posts.items()} == dict.fromkeys(
            posts, 403 if sees else 404)  # fmt: skip


def test_the_tab_the_list_and_the_detail_show_the_deadlines_and_their_explanations(client, people):
    case = strategy_case(people)
    discussion = discuss(people, case)
    client.force_login(people[Role.SOCIAL_WORKER])
    record = client.get(f"/children/{case.child_id}/").content.decode()
    assert "Strategy and enquiries" in record and f"/children/{case.child_id}/strategy/" in record
    listing = client.get(f"/children/{case.child_id}/strategy/").content.decode()
    assert 'aria-current="page">Strategy and enquiries' in listing
    assert "Initial child protection conference held" in listing and "15 working days from" in listing
    detail = client.get(f"/s47/{discussion.enquiries.get().pk}/").content.decode()
    assert "Record the outcome" in detail and "15 working days from" in detail
    assert "DS Priya Shah" in client.get(f"/strategy/{discussion.pk}/").content.decode()


def test_recording_a_discussion_through_the_page(client, people):
    case = strategy_case(people)
    client.force_login(people[Role.SOCIAL_WORKER])
    response = client.post(f"/children/{case.child_id}/strategy/new/", form_post(people))
    discussion = StrategyDiscussion.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/strategy/{discussion.pk}/"
    assert discussion.participants == [POLICE, SOCIAL_CARE | {"role": ""}]
    assert discussion.enquiries.count() == 1
    client.post(f"/strategy/{discussion.pk}/circulated/")
    discussion.refresh_from_db()
    assert discussion.record_circulated_at is not None
    enquiry = discussion.enquiries.get()
    seen = timezone.localtime() - timedelta(minutes=10)
    response = client.post(f"/s47/{enquiry.pk}/seen/", {
        "seen_on_0": seen.day, "seen_on_1": seen.month, "seen_on_2": seen.year, "seen_time": f"{seen:%H:%M}",
        "not_seen_alone_reason": "Asleep; to be seen alone at school tomorrow"})  # fmt: skip
    assert response.status_code == 302
    response = client.post(f"/s47/{enquiry.pk}/outcome/", {"outcome": "icpc", "findings": "Threshold met"})
    assert response.status_code == 302
    enquiry.refresh_from_db()
    assert enquiry.outcome == "icpc" and enquiry.not_seen_alone_reason.startswith("Asleep")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"rationale": ""}, "Enter the reasons for the decision"),
        ({"participant_1_agency": "education"}, "Add at least one participant from the police or health"),
        ({"participant_3_role": "Paediatrician"}, "Enter participant 3&#x27;s name"),
        ({"participant_3_name": "Dr Reid"}, "Select participant 3&#x27;s agency"),
        ({"held_time": "25:99"}, "Enter the time the discussion started as hours and minutes"),
        ({"held_on_2": "2099"}, "The date of the discussion must be today or in the past"),
        ({"held_on_0": ""}, "The date of the discussion must include a day"),
        ({"chair": ""}, "Select who chaired the discussion"),
        ({"decision": ""}, "Select the decision"),
    ],
)
def test_a_bad_form_names_the_field_and_saves_nothing(client, people, changes, message):
    case = strategy_case(people)
    client.force_login(people[Role.SOCIAL_WORKER])
    response = client.post(f"/children/{case.child_id}/strategy/new/", form_post(people, **changes))
    body = response.content.decode()
    assert response.status_code == 200 and message in body and "There is a problem" in body
    assert "DS Priya Shah" in body  # what was typed stays
    assert not StrategyDiscussion.objects.exists()


def test_a_bad_outcome_or_seen_form_is_shown_with_its_errors(client, people):
    enquiry = discuss(people, strategy_case(people)).enquiries.get()
    client.force_login(people[Role.SOCIAL_WORKER])
    body = client.post(f"/s47/{enquiry.pk}/outcome/", {"outcome": "icpc", "findings": ""}).content.decode()
    assert "Enter the findings of the enquiry" in body and "<title>Error:" in body
    body = client.post(f"/s47/{enquiry.pk}/seen/", {"not_seen_alone_reason": "Baby"}).content.decode()
    assert "Enter when the child was seen" in body
    enquiry.refresh_from_db()
    assert not enquiry.outcome and not enquiry.not_seen_alone_reason


def test_another_authoritys_child_and_a_restricted_child_are_404(client, people):
    case = strategy_case(people)
    discussion = discuss(people, case)
    enquiry = discussion.enquiries.get()
    york = Authority.objects.get(slug="york")
    york_child = ChildFactory(authority=york)
    client.force_login(people[Role.SERVICE_MANAGER])
    for path in (f"/children/{york_child.pk}/strategy/", f"/children/{york_child.pk}/strategy/new/"):
        assert client.get(path).status_code == 404
    client.force_login(staff(Role.SERVICE_MANAGER, authority=york))
    for path in (f"/children/{case.child_id}/strategy/", f"/strategy/{discussion.pk}/", f"/s47/{enquiry.pk}/"):
        assert client.get(path).status_code == 404
    assert client.post(f"/s47/{enquiry.pk}/outcome/", {"outcome": "nfa", "findings": "x"}).status_code == 404
    assert client.post(f"/strategy/{discussion.pk}/circulated/").status_code == 404

    child = case.child
    child.restricted = True
    child.save()
    child.restricted_to.add(people[Role.SOCIAL_WORKER])
    client.force_login(people[Role.SERVICE_MANAGER])
    for path in (f"/children/{child.pk}/strategy/", f"/strategy/{discussion.pk}/", f"/s47/{enquiry.pk}/",
                 f"/children/{child.pk}/strategy/new/"):  # fmt: skip
        assert client.get(path).status_code == 404
    assert client.post(f"/s47/{enquiry.pk}/seen/", {}).status_code == 404
    client.force_login(people[Role.SOCIAL_WORKER])
    assert client.get(f"/children/{child.pk}/strategy/").status_code == 200
    assert Section47Enquiry.objects.get().outcome == ""


def test_pages_have_bounded_queries(client, people, django_assert_max_num_queries):
    case = strategy_case(people)
    client.force_login(people[Role.SOCIAL_WORKER])
    first = discuss(people, case)
    enquiry = first.enquiries.get()
    client.get(f"/children/{case.child_id}/strategy/")
    for extra in (0, 8):
        for _ in range(extra):
            discuss(people, case, decision="assessment", participants=[HEALTH])
        for path in (f"/children/{case.child_id}/strategy/", f"/strategy/{first.pk}/", f"/s47/{enquiry.pk}/",
                     f"/children/{case.child_id}/strategy/new/"):  # fmt: skip
            with django_assert_max_num_queries(20):
                assert client.get(path).status_code == 200, path


def test_the_list_pages_its_discussions(client, people, allocated, case):
    """The fixture's case came from an assessment decision: discussions can be held on it too."""
    worker = people[Role.SOCIAL_WORKER]
    for _ in range(21):
        discuss(people, case, decision="assessment", participants=[HEALTH], recorded_by=worker)
    client.force_login(worker)
    first = client.get(f"/children/{allocated.pk}/strategy/").content.decode()
    assert first.count('class="govuk-summary-card"') == 20 and "Page 1 of 2" in first
    assert client.get(f"/children/{allocated.pk}/strategy/?page=2").content.decode().count(
        'class="govuk-summary-card"') == 1  # fmt: skip


def test_a_referral_decided_as_strategy_discussion_starts_the_clock(timescales_loaded):
    from cases.services.children import referral_decide, referral_record
    from tests.factories import ChildFactory, referral_fields

    york = Authority.objects.get(slug="york")
    team = TeamFactory(authority=york)
    support, manager = staff(Role.BUSINESS_SUPPORT, authority=york), staff(Role.TEAM_MANAGER, team=team)
    referral = referral_record(recorded_by=support, child=ChildFactory(authority=york), team=team,
                               **referral_fields())  # fmt: skip
    referral_decide(referral=referral, decided_by=manager, decision="strategy", rationale="Injury to a baby")
    clock = Deadline.objects.get(key="strategy_discussion", case=referral.case)
    assert clock.anchor_at == referral.received_at

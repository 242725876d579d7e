"""The front-door pages and the child's record, for every role, with isolation and query bounds."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cases.models import AccessLog, Authority, Case, Child, Deadline, Referral
from cases.roles import Role
from cases.services.children import case_allocate, referral_decide, referral_record
from tests.clock import DEFAULT
from tests.factories import ChildFactory, TeamFactory, allocate_new_child, referral_fields, staff
from tests.support import SEES_CHILDREN

pytestmark = pytest.mark.django_db








@pytest.mark.parametrize("role", list(Role))
def test_each_role_sees_the_child_record_or_a_404(client, people, allocated, role):
    client.force_login(people[role])
    response = client.get(f"/children/{allocated.pk}/")
    assert response.status_code == (200 if role in SEES_CHILDREN else 404)
    if response.status_code == 200:
        body = response.content.decode()
        assert "Zoë Brontë" in body and "Chronology" in body
        assert AccessLog.objects.filter(user=people[role]).exists()


def test_another_authoritys_child_and_a_restricted_child_are_404(client, people, allocated):
    york_child = ChildFactory(authority=Authority.objects.get(slug="york"))
    client.force_login(people[Role.SERVICE_MANAGER])
    assert client.get(f"/children/{york_child.pk}/").status_code == 404
    allocated.restricted = True
    allocated.save()
    allocated.restricted_to.add(people[Role.SOCIAL_WORKER])
    assert client.get(f"/children/{allocated.pk}/").status_code == 404
    assert "Brontë" not in client.get("/children/", {"q": "bronte"}).content.decode()
    client.force_login(people[Role.SOCIAL_WORKER])
    assert client.get(f"/children/{allocated.pk}/").status_code == 200


def test_a_worker_outside_the_team_cannot_see_the_child(client, people, allocated, leeds):
    stranger = staff(Role.SOCIAL_WORKER, team=TeamFactory(authority=leeds))
    client.force_login(stranger)
    assert client.get(f"/children/{allocated.pk}/").status_code == 404


def test_search_ignores_case_accents_and_word_order(client, people, allocated):
    client.force_login(people[Role.BUSINESS_SUPPORT])
    body = client.get("/children/", {"q": "bronte zoe"}).content.decode()
    assert "Zoë Brontë" in body and "1 found" in body
    assert "1 found" in client.get("/children/", {"q": allocated.reference}).content.decode()


def test_a_new_child_passes_through_the_duplicate_check(client, people, allocated):
    client.force_login(people[Role.BUSINESS_SUPPORT])
    born = allocated.date_of_birth
    data = {"first_name": "Zoe", "last_name": "Bronte", "date_of_birth_0": born.day, "date_of_birth_1": born.month,
            "date_of_birth_2": born.year, "sex": "U", "ethnicity": "NOBT"}  # fmt: skip
    response = client.post("/children/new/", data)
    assert "Is this the same child?" in response.content.decode()
    assert Child.objects.count() == 1
    response = client.post("/children/new/", {**data, "confirmed_new": "on"})
    assert response.status_code == 302 and Child.objects.count() == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"first_name": "", "last_name": "Smith"}, "Enter the first name"),
        ({"first_name": "Ann", "last_name": "Smith"}, "Enter the date of birth, or the expected date"),
        ({"first_name": "Ann", "last_name": "Smith", "date_of_birth_0": "1", "date_of_birth_1": "1",
          "date_of_birth_2": "2099"}, "Date of birth must be today or in the past"),  # fmt: skip
        ({"first_name": "Ann", "last_name": "Smith", "date_of_birth_0": "1", "date_of_birth_1": "1",
          "date_of_birth_2": "2020", "nhs_number": "1234567890"}, "Enter a real NHS number"),  # fmt: skip
    ],
)
def test_bad_child_input_names_the_field_and_saves_nothing(client, people, data, message):
    client.force_login(people[Role.BUSINESS_SUPPORT])
    response = client.post("/children/new/", {"sex": "U", "ethnicity": "NOBT", "confirmed_new": "on", **data})
    assert response.status_code == 200 and message in response.content.decode()
    assert "govuk-error-summary" in response.content.decode()
    assert not Child.objects.exists()


def test_referral_decision_and_allocation_through_the_pages(client, timescales_loaded):
    york = Authority.objects.get(slug="york")  # York sets 5 working days to see the child after allocation
    team = TeamFactory(authority=york)
    people = {role: staff(role, authority=york, team=team) for role in Role} | {"team": team}
    child = ChildFactory(authority=york, first_name="Kai", last_name="Lee")
    client.force_login(people[Role.BUSINESS_SUPPORT])
    received = timezone.localtime() - timedelta(hours=1)
    response = client.post(f"/children/{child.pk}/referrals/new/", {
        "team": people["team"].pk, "received_date_0": received.day, "received_date_1": received.month,
        "received_date_2": received.year, "received_time": received.strftime("%H:%M"), "referrer_name": "GP",
        "source": "3B", "reasons": "Worried", "category_of_need": "N1", "consent": "not_needed",
        "consent_reason": "Risk of significant harm",
    })  # fmt: skip
    assert response.status_code == 302
    referral = Referral.objects.get()
    client.force_login(people[Role.TEAM_MANAGER])
    assert child.full_name in client.get("/team/").content.decode()
    response = client.post(f"/referrals/{referral.pk}/decide/", {"decision": "assessment", "rationale": "Assess"})
    case = Case.objects.get()
    assert response.url == f"/cases/{case.pk}/allocate/"
    assert "Why is the social worker changing" not in client.get(response.url).content.decode()  # nobody before
    response = client.post(f"/cases/{case.pk}/allocate/", {"worker": people[Role.SOCIAL_WORKER].pk})
    assert response.status_code == 302, response.content.decode()
    assert case.allocations.get().change_reason == ""
    client.force_login(people[Role.SOCIAL_WORKER])
    body = client.get("/").content.decode()
    assert child.full_name in body and "5 working days from" in body
    assert Deadline.objects.get(key="child_seen_after_allocation").assignee == people[Role.SOCIAL_WORKER]
    # A second worker: the page asks the DfE's reason for the change, and the record shows it.
    second = staff(Role.SOCIAL_WORKER, authority=york, team=team, full_name="Ada Jones")
    client.force_login(people[Role.TEAM_MANAGER])
    page = client.get(f"/cases/{case.pk}/allocate/").content.decode()
    assert f"Why is the social worker changing from {people[Role.SOCIAL_WORKER]}?" in page and "LEFTRL" in page
    response = client.post(f"/cases/{case.pk}/allocate/", {"worker": second.pk, "change_reason": "LEFTRL"})
    assert response.status_code == 302, response.content.decode()
    assert case.allocations.get(ended_at__isnull=True).change_reason == "LEFTRL"
    record = client.get(f"/children/{child.pk}/").content.decode()
    assert "Why the social worker changed: The previous social worker left the role" in record


def test_missing_consent_reason_is_refused_on_the_page(client, people, leeds):
    child = ChildFactory(authority=leeds)
    client.force_login(people[Role.BUSINESS_SUPPORT])
    received = timezone.localtime() - timedelta(hours=1)
    response = client.post(f"/children/{child.pk}/referrals/new/", {
        "team": people["team"].pk, "received_date_0": received.day, "received_date_1": received.month,
        "received_date_2": received.year, "received_time": received.strftime("%H:%M"), "referrer_name": "GP",
        "source": "3B", "reasons": "Worried", "category_of_need": "N1", "consent": "refused", "consent_by": "Dad",
    })  # fmt: skip
    assert "Enter why consent was not needed" in response.content.decode()
    assert not Referral.objects.exists()


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.BUSINESS_SUPPORT, Role.QA_AUDITOR])
def test_only_the_teams_manager_decides_and_allocates(client, people, allocated, role):
    referral = allocated.referrals.get()
    case = allocated.cases.get()
    client.force_login(people[role])
    assert client.get(f"/referrals/{referral.pk}/decide/").status_code == 403
    assert client.get(f"/cases/{case.pk}/allocate/").status_code in (403, 404)
    assert client.get("/team/").status_code == 403


def _more_children(people, leeds, n):
    for _ in range(n):
        child = ChildFactory(authority=leeds)
        referral = referral_record(recorded_by=people[Role.BUSINESS_SUPPORT], child=child, team=people["team"],
                                   **referral_fields())  # fmt: skip
        referral_decide(referral=referral, decided_by=people[Role.TEAM_MANAGER], decision="assessment",
                        rationale="Needs it")  # fmt: skip
        case_allocate(case=Case.objects.get(referral=referral), worker=people[Role.SOCIAL_WORKER],
                      team=people["team"], allocated_by=people[Role.TEAM_MANAGER])  # fmt: skip


@pytest.mark.parametrize("path_for", ["/", "/team/", "child"])
def test_pages_have_a_bounded_query_count_at_two_sizes(client, people, allocated, leeds, path_for,
                                                      django_assert_max_num_queries):  # fmt: skip
    user = people[Role.TEAM_MANAGER] if path_for == "/team/" else people[Role.SOCIAL_WORKER]
    path = f"/children/{allocated.pk}/" if path_for == "child" else path_for
    client.force_login(user)
    client.get(path)
    for extra in (0, 8):
        _more_children(people, leeds, extra)
        # 16, and the bell's unread count; the child's record also reads the allocation history;
        # My work also reads the authority with its settings, its calendar and the three counts
        with django_assert_max_num_queries({"child": 18, "/": 20}.get(path_for, 17)):
            assert client.get(path).status_code == 200


def test_a_restricted_child_leaves_every_list_of_those_not_named(client, people, allocated, leeds):
    allocated.restricted = True
    allocated.save()
    allocated.restricted_to.add(people[Role.SOCIAL_WORKER], people[Role.SERVICE_MANAGER])
    pending = ChildFactory(authority=leeds, first_name="Hidden", last_name="Pending")
    referral_record(recorded_by=people[Role.BUSINESS_SUPPORT], child=pending, team=people["team"],
                    **referral_fields())  # fmt: skip
    pending.restricted = True
    pending.save()
    pending.restricted_to.add(people[Role.SERVICE_MANAGER], people[Role.SOCIAL_WORKER])
    client.force_login(people[Role.TEAM_MANAGER])
    team_page = client.get("/team/").content.decode()
    assert "Zoë Brontë" not in team_page and "Hidden Pending" not in team_page
    client.force_login(people[Role.SOCIAL_WORKER])
    assert "Zoë Brontë" in client.get("/").content.decode()  # named, so still on their caseload


def test_name_search_uses_the_trigram_index_on_a_large_authority(people, leeds):
    from django.db import connection

    from cases.models import searchable
    from cases.selectors.children import children_search

    names = [("Amelia", "Walker"), ("Oliver", "Khan"), ("Isla", "Nowak"), ("Harry", "Evans"), ("Zoë", "Brontë")]
    born = timezone.localdate(DEFAULT) - timedelta(days=2000)
    Child.objects.bulk_create(
        Child(authority=leeds, first_name=f"{first}{n}", last_name=last, date_of_birth=born,
              search_names=searchable(f"{first}{n} {last}"))
        for n in range(4000) for first, last in [names[n % len(names)]]
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cases_child")
    found = children_search(people[Role.SERVICE_MANAGER], text="brontë zoe12")
    assert "child_search_names_trgm" in found.explain()
    expected = {f"Zoë{n}" for n in range(4000) if str(n).startswith("12") and n % 5 == 4}
    assert {child.first_name for child in found} == expected


def test_a_family_name_most_children_share_lists_its_first_page_in_name_order(people, leeds):
    """Business support search the whole authority: a name thousands of children match gives its
    first page from the name-order index, not by sorting every match."""
    from django.db import connection

    from cases.models import searchable
    from cases.selectors.children import children_search

    born = timezone.localdate(DEFAULT) - timedelta(days=2000)
    Child.objects.bulk_create(
        Child(authority=leeds, first_name=f"Child{n:04d}", last_name="Walker", date_of_birth=born,
              search_names=searchable(f"Child{n:04d} Walker"))
        for n in reversed(range(4000))
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cases_child")
    found = children_search(people[Role.BUSINESS_SUPPORT], text="walker")
    first_page = found[:25]
    assert "child_by_name" in first_page.explain()
    assert [child.first_name for child in first_page] == [f"Child{n:04d}" for n in range(25)]
    assert found.count() == 4000


def test_bad_decisions_and_allocations_name_the_field_and_save_nothing(client, people, leeds):
    child = ChildFactory(authority=leeds)
    referral = referral_record(recorded_by=people[Role.BUSINESS_SUPPORT], child=child, team=people["team"],
                               **referral_fields())  # fmt: skip
    client.force_login(people[Role.TEAM_MANAGER])
    refusals = [({"rationale": "Assess"}, "Select the decision"),
                ({"decision": "assessment", "rationale": ""}, "Enter the reasons for the decision")]  # fmt: skip
    for data, message in refusals:
        body = client.post(f"/referrals/{referral.pk}/decide/", data).content.decode()
        assert message in body and "govuk-error-summary" in body
    referral.refresh_from_db()
    assert referral.decision == "" and not Case.objects.exists()
    client.post(f"/referrals/{referral.pk}/decide/", {"decision": "assessment", "rationale": "Assess"})
    case = Case.objects.get()
    outsider = staff(Role.SOCIAL_WORKER, team=TeamFactory(authority=leeds))
    manager = people[Role.TEAM_MANAGER]
    refusals = [({"worker": ""}, "Select the social worker"), ({"worker": outsider.pk}, "Select a valid choice"),
                ({"worker": manager.pk}, "Select a valid choice")]  # a manager holds no caseload  # fmt: skip
    for data, message in refusals:
        body = client.post(f"/cases/{case.pk}/allocate/", data).content.decode()
        assert message in body
    case.refresh_from_db()
    assert case.worker is None and not case.allocations.exists()
    # Reallocating: the reason for the change is asked, and refused when missing or not the DfE's.
    first = people[Role.SOCIAL_WORKER]
    client.post(f"/cases/{case.pk}/allocate/", {"worker": first.pk})
    second = staff(Role.SOCIAL_WORKER, authority=leeds, team=people["team"])
    refusals = [({"worker": second.pk}, "Select why the social worker is changing"),
                ({"worker": second.pk, "change_reason": "BORED"}, "Select one of the reasons listed")]  # fmt: skip
    for data, message in refusals:
        body = client.post(f"/cases/{case.pk}/allocate/", data).content.decode()
        assert message in body and "govuk-error-summary" in body and 'href="#id_change_reason' in body
    case.refresh_from_db()
    assert case.worker == first and case.allocations.count() == 1


RECORDS_REFERRALS = {Role.BUSINESS_SUPPORT, Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.SERVICE_MANAGER}


@pytest.mark.parametrize("role", list(Role))
def test_every_front_door_page_for_every_role(client, people, allocated, leeds, role):
    pending = ChildFactory(authority=leeds)
    referral = referral_record(recorded_by=people[Role.BUSINESS_SUPPORT], child=pending, team=people["team"],
                               **referral_fields())  # fmt: skip
    case = allocated.cases.get()
    sees = role in SEES_CHILDREN
    expected = {
        "/children/": 200 if sees else 403,
        "/children/new/": 200 if role in RECORDS_REFERRALS else 403,
        f"/children/{pending.pk}/referrals/new/": 200 if role in RECORDS_REFERRALS else 403 if sees else 404,
        "/team/": 200 if role == Role.TEAM_MANAGER else 403,
        f"/referrals/{referral.pk}/decide/": 200 if role == Role.TEAM_MANAGER else 403 if sees else 404,
        f"/cases/{case.pk}/allocate/": 200 if role == Role.TEAM_MANAGER else 403 if sees else 404,
    }
    client.force_login(people[role])
    assert {path: client.get(path).status_code for path in expected} == expected
    # Reallocating, with the reason for the change: only the team's manager may.
    second = staff(Role.SOCIAL_WORKER, authority=leeds, team=people["team"])
    response = client.post(f"/cases/{case.pk}/allocate/", {"worker": second.pk, "change_reason": "MANAGE"})
    assert response.status_code == (302 if role == Role.TEAM_MANAGER else 403 if sees else 404)
    case.refresh_from_db()
    assert case.worker == (second if role == Role.TEAM_MANAGER else people[Role.SOCIAL_WORKER])


def test_another_authoritys_referral_and_case_are_404(client, timescales_loaded):
    york = Authority.objects.get(slug="york")
    team = TeamFactory(authority=york)
    york_people = {role: staff(role, authority=york, team=team) for role in Role} | {"team": team}
    york_child = allocate_new_child(york_people, york)
    leeds_manager = staff(Role.SERVICE_MANAGER, authority=Authority.objects.get(slug="leeds"))
    client.force_login(leeds_manager)
    for path in (f"/referrals/{york_child.referrals.get().pk}/decide/", f"/cases/{york_child.cases.get().pk}/allocate/",
                 f"/children/{york_child.pk}/referrals/new/"):  # fmt: skip
        assert client.get(path).status_code == 404, path


@pytest.mark.parametrize("role", list(Role))
def test_recording_that_the_referrer_was_told_for_every_role(client, people, allocated, role):
    referral = allocated.referrals.get()
    client.force_login(people[role])
    response = client.post(f"/referrals/{referral.pk}/referrer-told/")
    referral.refresh_from_db()
    allowed = role in RECORDS_REFERRALS
    assert response.status_code == (302 if allowed else 403 if role in SEES_CHILDREN else 404)
    assert (referral.referrer_told_at is not None) == allowed

"""The child's details, addresses, family and network, professionals and legal status: every page
for every role, isolation, concurrent edits, bad input, and query bounds."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cases.models import AccessLog, Address, Authority, Case, ChronologyEntry, LegalStatus, Professional, Relationship
from cases.roles import Role
from cases.services.family import (
    address_add,
    child_details_update,
    latest_version,
    legal_status_start,
    professional_add,
    relationship_add,
)
from tests.factories import ChildFactory, TeamFactory, allocate_new_child, staff
from tests.support import SEES_CHILDREN

pytestmark = pytest.mark.django_db

# The allocated worker and the team's manager write on the case; business support may also keep
# the child's own details, family and professionals up to date.
WRITES_CASE = {Role.SOCIAL_WORKER, Role.TEAM_MANAGER}
WRITES_CHILD = WRITES_CASE | {Role.BUSINESS_SUPPORT}






@pytest.fixture
def record(people, allocated):
    """One of everything on the child's record, so that every page has something to show."""
    worker = people[Role.SOCIAL_WORKER]
    today = timezone.localdate()
    return {
        "child": allocated,
        "relationship": relationship_add(
            child=allocated,
            added_by=worker,
            kind="mother",
            name="Ann Brontë",
            parental_responsibility=True,
            lives_with_child=True,
        ),
        "professional": professional_add(
            child=allocated,
            added_by=worker,
            role="school",
            name="Pat Head",
            organisation="Oak Primary",
            email="pat@oak.sch.uk",
        ),
        "address": address_add(
            child=allocated,
            added_by=worker,
            address="1 High Street\nLeeds",
            postcode="ls1 1aa",
            lived_from=today - timedelta(days=400),
        ),
        "status": legal_status_start(case=allocated.cases.get(), kind="cin", started_on=today, recorded_by=worker),
    }


def _pages(record):
    child, relationship = record["child"].pk, record["relationship"].pk
    professional, status = record["professional"].pk, record["status"].pk
    return [
        (f"/children/{child}/details/", "read"),
        (f"/children/{child}/details/change/", "child"),
        (f"/children/{child}/addresses/new/", "child"),
        (f"/children/{child}/family/", "read"),
        (f"/children/{child}/family/new/", "child"),
        (f"/relationships/{relationship}/change/", "child"),
        (f"/relationships/{relationship}/end/", "child"),
        (f"/children/{child}/professionals/new/", "child"),
        (f"/professionals/{professional}/change/", "child"),
        (f"/professionals/{professional}/end/", "child"),
        (f"/children/{child}/status/", "read"),
        (f"/children/{child}/status/new/", "case"),
        (f"/statuses/{status}/end/", "case"),
    ]


def _expected(role, needs):
    if role not in SEES_CHILDREN:
        return 404
    allowed = {"read": SEES_CHILDREN, "child": WRITES_CHILD, "case": WRITES_CASE}[needs]
    return 200 if role in allowed else 403


@pytest.mark.parametrize("role", list(Role))
def test_every_page_for_every_role(client, people, record, role):
    client.force_login(people[role])
    wrong = []
    for path, needs in _pages(record):
        status = client.get(path).status_code
        if status != _expected(role, needs):
            wrong.append((path, status, _expected(role, needs)))
    assert wrong == []


@pytest.mark.parametrize("role", [Role.QA_AUDITOR, Role.SERVICE_MANAGER, Role.PERSONAL_ADVISER])
def test_a_reader_cannot_write_by_posting(client, people, record, role):
    client.force_login(people[role])
    child = record["child"]
    assert client.post(f"/children/{child.pk}/family/new/", {"kind": "father", "name": "Bo"}).status_code == 403
    assert client.post(f"/relationships/{record['relationship'].pk}/end/", _date("ended_on", date(2024, 1, 1))
                       ).status_code == 403  # fmt: skip
    assert client.post(f"/children/{child.pk}/status/new/", {"kind": "cin", **_date("started_on", date.today())}
                       ).status_code == 403  # fmt: skip
    assert Relationship.objects.count() == 1 and Relationship.objects.get().ended_on is None
    assert LegalStatus.objects.count() == 1


def test_services_check_permission_themselves(people, record):
    with pytest.raises(PermissionDenied):
        relationship_add(child=record["child"], added_by=people[Role.QA_AUDITOR], kind="father", name="Bo")
    with pytest.raises(PermissionDenied):
        legal_status_start(case=record["status"].case, kind="cin", started_on=timezone.localdate(),
                           recorded_by=people[Role.BUSINESS_SUPPORT])  # fmt: skip
    with pytest.raises(PermissionDenied):
        child_details_update(child=record["child"], updated_by=people[Role.SERVICE_MANAGER],
                             version=latest_version(record["child"]), school="Elm")  # fmt: skip


def test_the_pages_write_to_the_access_log(client, people, record):
    client.force_login(people[Role.QA_AUDITOR])
    for page in ("details", "family", "status"):
        assert client.get(f"/children/{record['child'].pk}/{page}/").status_code == 200
    assert AccessLog.objects.filter(user=people[Role.QA_AUDITOR]).count() == 3


def test_another_authoritys_child_and_a_restricted_child_are_404_on_every_page(client, people, record):
    york = Authority.objects.get(slug="york")
    york_team = TeamFactory(authority=york)
    york_worker = staff(Role.SOCIAL_WORKER, team=york_team)
    york_child = ChildFactory(authority=york)
    york_case = Case.objects.create(authority=york, child=york_child, team=york_team, worker=york_worker)
    york_record = {
        "child": york_child,
        "relationship": Relationship.objects.create(child=york_child, kind="father", name="Ed"),
        "professional": Professional.objects.create(child=york_child, role="gp", name="Dr Who"),
        "status": LegalStatus.objects.create(
            case=york_case, kind="cin", started_on=date(2025, 1, 1), recorded_by=york_worker
        ),
    }
    client.force_login(people[Role.SERVICE_MANAGER])
    assert {client.get(path).status_code for path, _ in _pages(york_record)} == {404}

    child = record["child"]
    child.restricted = True
    child.save()
    child.restricted_to.add(people[Role.SOCIAL_WORKER])
    for role in (Role.SERVICE_MANAGER, Role.TEAM_MANAGER, Role.BUSINESS_SUPPORT):
        client.force_login(people[role])
        assert {client.get(path).status_code for path, _ in _pages(record)} == {404}, role
    client.force_login(people[Role.SOCIAL_WORKER])
    assert {client.get(path).status_code for path, _ in _pages(record)} == {200}


def _date(name, day):
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


def _details(form, **overrides):
    """What the change form posts back: its initial values, with `overrides`."""
    data = {}
    for name, value in {**form.initial, **overrides}.items():
        if isinstance(value, date):
            data.update(_date(name, value))
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = value
    return data


def test_the_details_page_shows_every_field_with_change_links(client, people, record):
    child = record["child"]
    child_details_update(child=child, updated_by=people[Role.SOCIAL_WORKER], version=latest_version(child),
                         first_language="Polish", interpreter_needed=True, school="Oak Primary", gp="Park Surgery",
                         nhs_number="943 476 5919")  # fmt: skip
    client.force_login(people[Role.SOCIAL_WORKER])
    body = client.get(f"/children/{child.pk}/details/").content.decode()
    for text in (
        "Polish",
        "Oak Primary",
        "Park Surgery",
        "9434765919",
        "1 June 2015",
        "Gender identity",
        "Immigration status",
        "Unique pupil number",
        "1 High Street",
        "LS1 1AA",
        "Restricted record",
    ):
        assert text in body, text
    assert f'href="/children/{child.pk}/details/change/#id_school"' in body
    client.force_login(people[Role.QA_AUDITOR])
    assert "/details/change/" not in client.get(f"/children/{child.pk}/details/").content.decode()


def test_details_change_saves_and_keeps_history(client, people, record):
    child = record["child"]
    client.force_login(people[Role.BUSINESS_SUPPORT])
    form = client.get(f"/children/{child.pk}/details/change/").context["form"]
    response = client.post(f"/children/{child.pk}/details/change/",
                           _details(form, religion="Christian", nhs_number="943 476 5919"))  # fmt: skip
    assert response.status_code == 302
    child.refresh_from_db()
    assert (child.religion, child.nhs_number) == ("Christian", "9434765919")
    assert child.history.latest().history_user == people[Role.BUSINESS_SUPPORT]


def test_a_concurrent_edit_of_the_details_is_refused_and_names_what_changed(client, people, record):
    child = record["child"]
    path = f"/children/{child.pk}/details/change/"
    worker, support = people[Role.SOCIAL_WORKER], people[Role.BUSINESS_SUPPORT]
    client.force_login(worker)
    worker_form = client.get(path).context["form"]
    client.force_login(support)
    support_form = client.get(path).context["form"]
    assert worker_form.initial["version"] == support_form.initial["version"]

    client.force_login(worker)
    assert client.post(path, _details(worker_form, school="Oak Primary")).status_code == 302
    client.force_login(support)
    response = client.post(path, _details(support_form, school="Elm Academy", religion="Muslim"))
    body = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in body
    assert f"{worker.full_name} changed the school (now “Oak Primary”)" in body.replace("&ldquo;", "“").replace(
        "&rdquo;", "”").replace("&#x27;", "'")  # fmt: skip
    child.refresh_from_db()
    assert (child.school, child.religion) == ("Oak Primary", "")
    # Shown again: their change where they changed, this user's other answers kept, a fresh stamp.
    again = response.context["form"]
    assert again.initial["school"] == "Oak Primary" and again.initial["religion"] == "Muslim"
    assert again.initial["version"] == latest_version(child)
    assert client.post(path, _details(again)).status_code == 302
    child.refresh_from_db()
    assert (child.school, child.religion) == ("Oak Primary", "Muslim")


def test_a_stale_version_is_refused_by_the_service(people, record):
    child = record["child"]
    version = latest_version(child)
    child_details_update(child=child, updated_by=people[Role.SOCIAL_WORKER], version=version, gp="Park Surgery")
    with pytest.raises(ValidationError) as refused:
        child_details_update(child=child, updated_by=people[Role.TEAM_MANAGER], version=version, gp="Other")
    assert "GP" in refused.value.message_dict["version"][0]
    child.refresh_from_db()
    assert child.gp == "Park Surgery"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (_date("date_of_birth", date(2099, 1, 1)), "date_of_birth", "Date of birth must be today or in the past"),
        ({"nhs_number": "1234567890"}, "nhs_number", "Enter a real NHS number"),
        ({"first_name": ""}, "first_name", "Enter the first name"),
    ],
)
def test_bad_details_name_the_field_and_save_nothing(client, people, record, overrides, field, message):
    child = record["child"]
    path = f"/children/{child.pk}/details/change/"
    client.force_login(people[Role.SOCIAL_WORKER])
    data = _details(client.get(path).context["form"], school="Should not be saved")
    if "date_of_birth_0" in overrides:
        data = {key: value for key, value in data.items() if not key.startswith("date_of_birth")}
    response = client.post(path, {**data, **overrides})
    body = response.content.decode()
    assert response.status_code == 200 and message in body
    assert "govuk-error-summary" in body and f'href="#id_{field}' in body
    assert field in response.context["form"].errors
    child.refresh_from_db()
    assert child.school == "" and child.date_of_birth == date(2015, 6, 1) and child.nhs_number == ""


def test_a_new_address_ends_the_old_one_the_day_before(client, people, record):
    child = record["child"]
    client.force_login(people[Role.BUSINESS_SUPPORT])
    moved = timezone.localdate() - timedelta(days=10)
    response = client.post(
        f"/children/{child.pk}/addresses/new/",
        {"address": "2 Low Road\nLeeds", "postcode": "ls2 2bb", **_date("lived_from", moved)},
    )
    assert response.status_code == 302
    old, new = Address.objects.get(pk=record["address"].pk), Address.objects.get(address="2 Low Road\nLeeds")
    assert old.lived_until == moved - timedelta(days=1) and new.lived_until is None and new.postcode == "LS2 2BB"
    body = client.get(f"/children/{child.pk}/details/").content.decode()
    assert "1 High Street" in body and "2 Low Road" in body


def test_an_address_before_the_current_one_is_refused(client, people, record):
    child = record["child"]
    client.force_login(people[Role.BUSINESS_SUPPORT])
    early = record["address"].lived_from - timedelta(days=1)
    response = client.post(
        f"/children/{child.pk}/addresses/new/", {"address": "3 Old Lane", **_date("lived_from", early)}
    )
    assert response.status_code == 200
    assert "The date they started living here must be after" in response.content.decode()
    assert "lived_from" in response.context["form"].errors
    assert Address.objects.count() == 1 and Address.objects.get().lived_until is None


def test_relationships_are_added_changed_and_ended_but_never_deleted(client, people, record, leeds):
    child = record["child"]
    sibling = allocate_new_child(people, leeds, first_name="Kit")
    client.force_login(people[Role.SOCIAL_WORKER])
    response = client.post(f"/children/{child.pk}/family/new/", {
        "kind": "sibling", "name": "Kit Brontë", "circumstances": ["lives_with_child"],
        "related_child": sibling.reference,
    })  # fmt: skip
    assert response.status_code == 302
    kit = Relationship.objects.get(name="Kit Brontë")
    assert kit.related_child == sibling and kit.lives_with_child and not kit.parental_responsibility

    mother = record["relationship"]
    response = client.post(f"/relationships/{mother.pk}/change/", {
        "kind": "mother", "name": "Ann Brontë", "circumstances": ["parental_responsibility"], "phone": "0113 000",
        "version": 1,
    })  # fmt: skip
    assert response.status_code == 302
    mother.refresh_from_db()
    assert mother.parental_responsibility and not mother.lives_with_child and mother.phone == "0113 000"

    ended = timezone.localdate() - timedelta(days=3)
    assert client.post(f"/relationships/{mother.pk}/end/", _date("ended_on", ended)).status_code == 302
    mother.refresh_from_db()
    assert mother.ended_on == ended and Relationship.objects.filter(child=child).count() == 2
    body = client.get(f"/children/{child.pk}/family/").content.decode()
    assert "Past relationships" in body and "Ann Brontë" in body and "Ended" in body
    assert "Kit Brontë" in body and sibling.reference in body and "pat@oak.sch.uk" in body

    response = client.post(f"/relationships/{mother.pk}/end/", _date("ended_on", ended))
    assert "already ended" in response.content.decode()


def test_a_case_id_the_user_cannot_see_is_refused(client, people, record):
    york_child = ChildFactory(authority=Authority.objects.get(slug="york"))
    client.force_login(people[Role.SOCIAL_WORKER])
    response = client.post(
        f"/children/{record['child'].pk}/family/new/",
        {"kind": "sibling", "name": "Someone", "related_child": york_child.reference},
    )
    assert "Enter the case ID of a child known to us" in response.content.decode()
    assert Relationship.objects.count() == 1


def test_professionals_are_added_and_ended(client, people, record):
    child = record["child"]
    client.force_login(people[Role.BUSINESS_SUPPORT])
    response = client.post(
        f"/children/{child.pk}/professionals/new/",
        {"role": "gp", "name": "Dr Rao", "phone": "0113 111", "email": "not-an-email"},
    )
    assert "Enter an email address" in response.content.decode() and Professional.objects.count() == 1
    response = client.post(
        f"/children/{child.pk}/professionals/new/",
        {"role": "gp", "name": "Dr Rao", "phone": "0113 111", "email": "rao@nhs.net"},
    )
    assert response.status_code == 302
    school = record["professional"]
    today = timezone.localdate()
    assert client.post(f"/professionals/{school.pk}/end/", _date("involved_until", today)).status_code == 302
    school.refresh_from_db()
    assert school.involved_until == today
    body = client.get(f"/children/{child.pk}/family/").content.decode()
    assert "Dr Rao" in body and "rao@nhs.net" in body and "Pat Head" in body


def test_a_status_replaces_the_open_one_of_its_kind_and_is_in_the_chronology(client, people, record):
    child = record["child"]
    today = timezone.localdate()
    client.force_login(people[Role.SOCIAL_WORKER])
    path = f"/children/{child.pk}/status/new/"
    assert client.post(path, {"kind": "cp", "cp_category": "NEG", **_date("started_on", today)}).status_code == 302
    assert client.post(path, {"kind": "cp", "cp_category": "MUL", **_date("started_on", today)}).status_code == 302
    neglect, multiple = LegalStatus.objects.get(cp_category="NEG"), LegalStatus.objects.get(cp_category="MUL")
    assert neglect.ended_on == today and multiple.ended_on is None
    assert record["status"].kind == "cin" and LegalStatus.objects.get(kind="cin").ended_on is None
    titles = list(ChronologyEntry.objects.filter(child=child, kind="status").values_list("title", flat=True))
    assert "Child protection plan (Multiple) started" in titles

    assert client.post(path, {"kind": "lac", "legal_status": "V2", **_date("started_on", today),
                              "started_time": "09:00"}).status_code == 302  # fmt: skip
    status = LegalStatus.objects.get(kind="lac")
    assert client.post(f"/statuses/{status.pk}/end/", _date("ended_on", today)).status_code == 302
    status.refresh_from_db()
    assert status.ended_on == today
    body = client.get(f"/children/{child.pk}/status/").content.decode()
    assert "Accommodated under section 20" in body and "Multiple" in body and "Child in need" in body


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"kind": "cp"}, "cp_category", "Select the category of the child protection plan"),
        ({"kind": "lac", "started_time": "09:00"}, "legal_status", "Select the legal status of the looked-after child"),
        ({"kind": "lac", "legal_status": "C2"}, "started_time", "Enter the time the child became looked after"),
        ({"kind": "lac", "legal_status": "C2", "started_time": "23:00"}, "started_time",
         "The time must be now or earlier"),
        ({"kind": "cin", "started_time": "09:00"}, "started_time", "Give a time only for a looked-after child"),
        ({"kind": "cin", "started_on": "tomorrow"}, "started_on", "The start date must be today or in the past"),
        ({"kind": "cin", "started_on": "before_case"}, "started_on", "when the case opened"),
        ({"kind": ""}, "kind", "Select the status"),
    ],
)
def test_a_bad_status_names_the_field_and_saves_nothing(client, people, record, data, field, message):
    child = record["child"]
    today = timezone.localdate()
    started = {"tomorrow": today + timedelta(days=1), "before_case": today - timedelta(days=30)}.get(
        data.pop("started_on", None), today)  # fmt: skip
    client.force_login(people[Role.TEAM_MANAGER])
    response = client.post(f"/children/{child.pk}/status/new/", {**data, **_date("started_on", started)})
    body = response.content.decode()
    assert response.status_code == 200 and message in body and f'href="#id_{field}' in body
    assert field in response.context["form"].errors
    assert LegalStatus.objects.count() == 1
    assert not ChronologyEntry.objects.filter(kind="status").exclude(title="Child in need started").exists()


def _grow(record, people, n):
    """`n` more relationships, professionals and past statuses on the child's record."""
    child, case = record["child"], record["status"].case
    worker = people[Role.SOCIAL_WORKER]
    for i in range(n):
        Relationship.objects.create(child=child, kind="grandparent", name=f"Gran {i}", phone="0113",
                                    ended_on=date(2024, 1, 1) if i % 2 else None)  # fmt: skip
        Professional.objects.create(child=child, role="police", name=f"PC {i}", email=f"pc{i}@police.uk")
        LegalStatus.objects.create(case=case, kind="cp", cp_category="NEG", started_on=date(2024, 1, 1),
                                   ended_on=date(2024, 6, 1), recorded_by=worker)  # fmt: skip
        Address.objects.create(child=child, address=f"{i} Old Street", lived_from=date(2000, 1, 1),
                               lived_until=date(2000, 1, 2))  # fmt: skip


@pytest.mark.parametrize("page", ["family", "status", "details"])
def test_pages_have_a_bounded_query_count_at_two_sizes(client, people, record, page, django_assert_max_num_queries):
    client.force_login(people[Role.TEAM_MANAGER])
    path = f"/children/{record['child'].pk}/{page}/"
    client.get(path)
    for extra in (0, 10):
        _grow(record, people, extra)
        with django_assert_max_num_queries(14):
            assert client.get(path).status_code == 200


@pytest.mark.parametrize("kind", ["relationship", "professional"])
def test_two_people_changing_one_person_never_overwrite_each_other(client, people, record, kind):
    """Both open the change page at version 1. The first saves a new phone number; the second's
    save, made from version 1, is refused with what the first changed, and keeps the second's text."""
    subject = record[kind]
    path = f"/{kind}s/{subject.pk}/change/"
    form = ({"kind": subject.kind, "name": subject.name} if kind == "relationship"
            else {"role": subject.role, "name": subject.name})  # fmt: skip
    client.force_login(people[Role.SOCIAL_WORKER])
    assert 'name="version" value="1"' in client.get(path).content.decode()
    assert client.post(path, form | {"phone": "0113 496 0000", "version": 1}).status_code == 302
    client.force_login(people[Role.TEAM_MANAGER])
    refused = client.post(path, form | {"phone": "", "name": "A new name", "version": 1})
    body = refused.content.decode()
    assert refused.status_code == 200 and "Saved by someone else after you opened it" in body
    assert "0113 496 0000" in body and "A new name" in body and 'name="version" value="2"' in body
    subject.refresh_from_db()
    assert (subject.phone, subject.name, subject.version) == ("0113 496 0000", form["name"], 2)

"""The DfE's identifiers outside the child's record: the authority's LA number and ONS code (from
its file, checked by the loader and the checker), a worker's Social Work England registration
number, and why a case's social worker changed. The allocation pages for every role are in
tests/cases/test_child_pages.py."""

import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from cases.demo import DEMO_AUTHORITIES, DEMO_STAFF, demo_swe_number
from cases.models import Authority, Case, ChronologyEntry, Deadline, User
from cases.roles import Role
from cases.rules import check
from cases.rules.config import ConfigError, parse
from cases.rules.identifiers import swe_number_problem
from cases.services.children import case_allocate, referral_decide, referral_record
from cases.services.timescales import authorities_load
from tests.factories import ChildFactory, UserFactory, referral_fields, staff
from tests.supervision.test_worker_cadence import change_form_data

pytestmark = pytest.mark.django_db

SHIPPED = Path(__file__).resolve().parents[2] / "config" / "authorities"
EXPECTED = {"leeds": ("383", "E08000035"), "barnet": ("302", "E09000003"), "st-helens": ("342", "E08000013"),
            "york": ("816", "E06000014"), "wiltshire": ("865", "E06000054")}  # fmt: skip


def authority_table(**fields) -> dict:
    return {"authority": {"slug": "x", "name": "X", "effective_from": date(2020, 1, 1), **fields}}


# --- The authority's LA number and ONS code ------------------------------------------------------


def test_a_file_gives_the_authority_its_la_number_and_ons_code():
    config = parse(authority_table(la_number="383", ons_code="E08000035"), "x.toml")
    assert (config.la_number, config.ons_code) == ("383", "E08000035")
    assert parse(authority_table(), "x.toml").la_number == ""  # the national defaults have none


@pytest.mark.parametrize("fields, error", [
    ({"la_number": "38"}, "la_number '38': Enter the LA number as exactly three digits"),
    ({"la_number": "3830"}, "la_number '3830': Enter the LA number as exactly three digits"),
    ({"la_number": "E08"}, "la_number 'E08'"),
    ({"la_number": 383}, "la_number must be a quoted string"),
    ({"ons_code": "X08000035"}, "ons_code 'X08000035': Enter the ONS code as E or W followed by 8 digits"),
    ({"ons_code": "e08000035"}, "ons_code 'e08000035'"),
    ({"ons_code": "E0800003"}, "ons_code 'E0800003'"),
    ({"ons_code": "E080000351"}, "ons_code 'E080000351'"),
])  # fmt: skip
def test_a_bad_la_number_or_ons_code_is_refused_when_the_file_is_read(fields, error):
    with pytest.raises(ConfigError, match=re.escape(error)):
        parse(authority_table(**fields), "x.toml")


def _files(tmp_path, **replacements) -> list[str]:
    """The shipped files copied to `tmp_path`, with a line of a file replaced: slug=(old, new)."""
    for path in SHIPPED.glob("*.toml"):
        shutil.copy(path, tmp_path / path.name)
    for slug, (old, new) in replacements.items():
        target = tmp_path / f"{slug}.toml"
        text = target.read_text()
        assert old in text
        target.write_text(text.replace(old, new, 1))
    return sorted(str(path) for path in tmp_path.glob("*.toml"))


def test_the_checker_passes_the_shipped_files_and_shows_their_numbers(tmp_path, capsys):
    assert check.main(_files(tmp_path)) == 0
    out = capsys.readouterr().out
    for slug, (la_number, ons_code) in EXPECTED.items():
        assert f"{slug}: " in out and f"LA {la_number}, ONS {ons_code}" in out
    assert "england: " in out and "LA " not in out.split("england: ")[1].splitlines()[0]


@pytest.mark.parametrize("replacements, error", [
    ({"leeds": ('la_number = "383"', 'la_number = "38"')}, "leeds.toml: [authority] la_number '38'"),
    ({"york": ('ons_code = "E06000014"', 'ons_code = "E6000014"')}, "york.toml: [authority] ons_code 'E6000014'"),
    ({"barnet": ('la_number = "302"', "la_number = 302")}, "la_number must be a quoted string"),
    ({"york": ('la_number = "816"', 'la_number = "383"')}, "la_number '383' is also"),
])  # fmt: skip
def test_the_checker_refuses_a_bad_or_shared_la_number_or_ons_code(tmp_path, capsys, replacements, error):
    assert check.main(_files(tmp_path, **replacements)) == 1
    assert error in capsys.readouterr().err


def test_loading_the_files_gives_each_authority_its_numbers(timescales_loaded):
    found = {a.slug: (a.la_number, a.ons_code) for a in Authority.objects.filter(slug__in=EXPECTED)}
    assert found == EXPECTED


@pytest.mark.parametrize("replacements, error", [
    ({"leeds": ('la_number = "383"', 'la_number = "3X3"')}, "la_number '3X3'"),
    ({"york": ('la_number = "816"', 'la_number = "383"')}, "la_number '383' is also"),
])  # fmt: skip
def test_the_loader_refuses_a_bad_or_shared_number_and_writes_nothing(tmp_path, timescales_loaded, replacements,
                                                                      error):  # fmt: skip
    _files(tmp_path, **replacements)
    with pytest.raises(ConfigError, match=re.escape(error)):
        authorities_load(tmp_path)
    assert {a.slug: (a.la_number, a.ons_code) for a in Authority.objects.filter(slug__in=EXPECTED)} == EXPECTED


def test_a_changed_number_in_the_file_is_loaded_with_history(tmp_path, timescales_loaded):
    york = Authority.objects.get(slug="york")
    before = york.history.count()
    _files(tmp_path, york=('la_number = "816"', 'la_number = "817"'))
    authorities_load(tmp_path)
    york.refresh_from_db()
    assert york.la_number == "817" and york.history.count() == before + 1
    assert york.history.first().prev_record.la_number == "816"


def test_the_model_refuses_a_bad_number_on_its_field(timescales_loaded):
    leeds = Authority.objects.get(slug="leeds")
    leeds.la_number, leeds.ons_code = "38", "E0800003X"
    with pytest.raises(ValidationError) as refused:
        leeds.full_clean()
    assert set(refused.value.message_dict) == {"la_number", "ons_code"}


def test_the_authority_admin_sees_the_numbers_but_changes_them_in_the_file(client, timescales_loaded):
    leeds = Authority.objects.get(slug="leeds")
    client.force_login(staff(Role.AUTHORITY_ADMIN, authority=leeds, is_staff=True))
    listing = client.get("/admin/cases/authority/").content.decode()
    assert "383" in listing and "E08000035" in listing
    page = client.get(f"/admin/cases/authority/{leeds.pk}/change/").content.decode()
    assert "LA number" in page and "383" in page and 'name="la_number"' not in page
    assert "ONS code" in page and "E08000035" in page and 'name="ons_code"' not in page


# --- A social worker's Social Work England registration number ----------------------------------


@pytest.mark.parametrize("typed, stored", [("SW12345", "SW12345"), ("sw 12345", "SW12345"), (" Sw104512 ", "SW104512"),
                                           ("", "")])  # fmt: skip
def test_a_registration_number_is_kept_as_social_work_england_prints_it(leeds, typed, stored):
    worker = UserFactory(authority=leeds)
    worker.swe_registration_number = typed
    worker.full_clean()
    assert worker.swe_registration_number == stored


@pytest.mark.parametrize("typed", ["12345", "SW", "SW12A45", "SE12345", "S W-12345"])
def test_a_registration_number_in_another_form_is_refused_on_its_field(leeds, typed):
    worker = UserFactory(authority=leeds)
    worker.swe_registration_number = typed
    with pytest.raises(ValidationError) as refused:
        worker.full_clean()
    assert refused.value.message_dict["swe_registration_number"] == [
        "Enter the Social Work England registration number as SW followed by digits, like SW12345"]
    assert swe_number_problem(typed)


def test_a_registration_number_is_unique_within_the_authority_only(leeds, timescales_loaded):
    UserFactory(authority=leeds, full_name="Sam Okafor", swe_registration_number="SW12345")
    colleague = UserFactory(authority=leeds)
    colleague.swe_registration_number = "sw12345"
    with pytest.raises(ValidationError) as refused:
        colleague.full_clean()
    taken = "Sam Okafor already has registration number SW12345"
    assert refused.value.message_dict == {"swe_registration_number": [taken]}
    elsewhere = UserFactory(authority=Authority.objects.get(slug="york"))
    elsewhere.swe_registration_number = "SW12345"
    elsewhere.full_clean()  # another authority's worker may move here one day, but is not here now
    UserFactory(authority=leeds).full_clean()  # many staff have none


def test_the_authority_admin_sets_a_registration_number_with_history(client, people, leeds):
    worker = people[Role.SOCIAL_WORKER]
    client.force_login(staff(Role.AUTHORITY_ADMIN, authority=leeds, is_staff=True))
    url = f"/admin/cases/user/{worker.pk}/change/"
    data = change_form_data(client.get(url))
    body = client.post(url, data | {"swe_registration_number": "SW-1"}).content.decode()
    assert "SW followed by digits" in body
    worker.refresh_from_db()
    assert worker.swe_registration_number == ""
    response = client.post(url, data | {"swe_registration_number": "sw 98765"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    worker.refresh_from_db()
    assert worker.swe_registration_number == "SW98765"
    assert worker.history.first().swe_registration_number == "SW98765"
    assert worker.history.first().prev_record.swe_registration_number == ""
    assert "SW98765" in client.get("/admin/cases/user/").content.decode()


def test_a_manager_sees_the_registration_numbers_on_the_team_page(client, people, allocated):
    User.objects.filter(pk=people[Role.SOCIAL_WORKER].pk).update(swe_registration_number="SW12345")
    client.force_login(people[Role.TEAM_MANAGER])
    assert "Social Work England SW12345" in client.get("/team/").content.decode()


def test_the_demo_staff_have_numbers_that_are_valid_and_unrepeated_within_an_authority():
    for index, _ in enumerate(DEMO_AUTHORITIES):
        keys = [role for role, *_ in DEMO_STAFF] + ["newly_qualified"]
        numbers = [demo_swe_number(key, index) for key in keys]
        given = [number for number in numbers if number]
        assert len(given) == len(set(given)) >= 5
        assert not any(swe_number_problem(number) for number in given)
    assert demo_swe_number(Role.SOCIAL_WORKER, 0) != demo_swe_number(Role.SOCIAL_WORKER, 1)
    assert demo_swe_number(Role.BUSINESS_SUPPORT, 0) == ""


# --- Why the social worker changed ---------------------------------------------------------------


def test_a_first_allocation_has_no_reason_and_a_reallocation_stores_the_dfe_code(people, case):
    first = case.allocations.get()
    assert first.change_reason == ""
    second = staff(Role.SOCIAL_WORKER, authority=case.authority, team=people["team"], full_name="Ada Jones")
    allocation = case_allocate(case=case, worker=second, team=people["team"], allocated_by=people[Role.TEAM_MANAGER],
                               change_reason="CHCHAN")  # fmt: skip
    assert allocation.change_reason == "CHCHAN"
    assert allocation.get_change_reason_display() == "The child asked for a change of social worker"
    entry = ChronologyEntry.objects.filter(case=case, kind=ChronologyEntry.Kind.ALLOCATION).latest("occurred_at")
    assert entry.detail == "Why the social worker changed: The child asked for a change of social worker"


def test_a_reason_sent_for_a_first_allocation_is_not_kept(people, leeds):
    referral = referral_record(recorded_by=people[Role.BUSINESS_SUPPORT], child=ChildFactory(authority=leeds),
                               team=people["team"], **referral_fields())  # fmt: skip
    referral_decide(referral=referral, decided_by=people[Role.TEAM_MANAGER], decision="assessment", rationale="x")
    allocation = case_allocate(case=Case.objects.get(referral=referral), worker=people[Role.SOCIAL_WORKER],
                               team=people["team"], allocated_by=people[Role.TEAM_MANAGER],
                               change_reason="MANAGE")  # fmt: skip
    assert allocation.change_reason == ""
    assert ChronologyEntry.objects.get(case=allocation.case, kind=ChronologyEntry.Kind.ALLOCATION).detail == ""


@pytest.mark.parametrize("reason, message", [("", "Select why the social worker is changing"),
                                             ("BORED", "Select one of the reasons listed")])  # fmt: skip
def test_a_reallocation_without_a_dfe_reason_is_refused_and_changes_nothing(people, case, reason, message):
    second = staff(Role.SOCIAL_WORKER, authority=case.authority, team=people["team"])
    open_before = set(Deadline.objects.filter(case=case, status="open").values_list("pk", "assignee"))
    with pytest.raises(ValidationError) as refused:
        case_allocate(case=case, worker=second, team=people["team"], allocated_by=people[Role.TEAM_MANAGER],
                      change_reason=reason)  # fmt: skip
    assert refused.value.message_dict == {"change_reason": [message]}
    case.refresh_from_db()
    assert case.worker == people[Role.SOCIAL_WORKER] and case.allocations.count() == 1
    assert set(Deadline.objects.filter(case=case, status="open").values_list("pk", "assignee")) == open_before


def test_the_child_record_shows_the_allocation_history_in_plain_english(client, people, case):
    second = staff(Role.SOCIAL_WORKER, authority=case.authority, team=people["team"], full_name="Ada Jones")
    case_allocate(case=case, worker=second, team=people["team"], allocated_by=people[Role.TEAM_MANAGER],
                  change_reason="ABSENC")  # fmt: skip
    client.force_login(people[Role.TEAM_MANAGER])
    page = client.get(f"/children/{case.child_id}/").content.decode()
    history = page.split('id="allocations"')[1].split("</ul>")[0]
    assert "Ada Jones" in history and str(people[Role.SOCIAL_WORKER]) in history
    assert "Why the social worker changed: Cover for an absence, or a return from absence" in history
    assert "ABSENC" not in history

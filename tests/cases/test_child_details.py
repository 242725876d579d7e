"""The child's details for the DfE returns (CIN census, SSDA903): the unique pupil number held to
the DfE's own validators, each bad answer refused with a message naming the field, concurrent
edits, history, and who may change them."""

from datetime import date

import pandas as pd
import pytest
from cin_validator.rule_engine import CINTable, RuleContext
from cin_validator.rules.cin2026_27 import registry as cin_rules
from django.core.exceptions import PermissionDenied, ValidationError
from lac_validator.rules.lac2026_27 import registry as lac_rules

from cases.demo_children import DEMO_CHILDREN, LA_NUMBERS, statutory_fields_for
from cases.models import Authority, Case, Child
from cases.models.children import upn_check_letter, upn_problem
from cases.roles import Role
from cases.services.family import child_details_update, latest_version
from cases.services.statutory import child_statutory_update
from tests.factories import ChildFactory, TeamFactory, allocate_new_child, staff
from tests.queries import page_query_counts

pytestmark = pytest.mark.django_db

# From the tests inside the DfE's validator: CIN rule 1510 (the check letter) accepts these, and
# rejects the next.
CHECK_LETTER_RIGHT = ["A950000178301", "H243278544154", "X845212818005"]
CHECK_LETTER_WRONG = ["R247962919251", "X428558133462"]

# UPNs from the validators' own tests and some of ours: right and wrong letters, known and unknown
# authorities, temporary UPNs, I, O and S, the wrong lengths, lower case.
UPNS = [
    *CHECK_LETTER_RIGHT, *CHECK_LETTER_WRONG, "L086819786126", "N075491517151", "Z041674136429",
    "ASFFAGSVSV123", "R325", "A38100178301", "H003278544154",
    "R421962919251", "X817558133462", "A94300178301", "1234567891234", "123456789123I", "123456789123O",
    "X000000000000", "X0000y0000000", "E07295962325C1556", "X06805040829A", "5035247309594", "K06014812931",
    "I072272729588", "S074885779408", "E043016488226", "A383200111111", "B383200111111", "D383201512001",
    "F816202110001", "F816202110001".lower(), "A38320011111A", "A38320011111I", "A38320011111S", "A38320011111Z",
    "I383200111111", "A3832001111 1", "UN1", "",
]  # fmt: skip


def rejected_by_the_dfe(upns: list[str]) -> set[str]:
    """The UPNs that the CIN census rules 1510, 1530, 1540 and 1550 or the SSDA903 rule 168 reject,
    in the rulesets for 2026-27, run as the validators run them."""
    rejected = set()
    for code in ("1510", "1530", "1540", "1550"):
        rule = cin_rules[code]
        context = RuleContext(rule)
        rule.func({CINTable.ChildIdentifiers: pd.DataFrame({"UPN": upns})}, context)
        rejected |= {upns[issue.row] for issue in context.issues}
    rows = lac_rules["168"].func({"Header": pd.DataFrame({"UPN": upns})})["Header"]
    return rejected | {upns[row] for row in rows}


def test_the_check_letter_is_the_dfe_validators():
    assert [upn_check_letter(upn) for upn in CHECK_LETTER_RIGHT] == [upn[0] for upn in CHECK_LETTER_RIGHT]
    assert [upn_check_letter(upn) == upn[0] for upn in CHECK_LETTER_WRONG] == [False, False]
    # Worked by hand: 3x2 + 8x3 + 3x4 + 2x5 + 1x9 + 1x11 + 1x12 + 1x13 = 97 = 4 x 23 + 5, so F.
    assert upn_check_letter("?383200010111") == "F"
    # No letter for a temporary UPN (the validator checks none) or anything but 12 digits.
    assert upn_check_letter("A38320011111A") is None and upn_check_letter("ASFFAGSVSV123") is None
    assert upn_check_letter("A3832001111") is None


def test_a_upn_is_accepted_exactly_when_the_dfe_validators_accept_it():
    upns = [upn for upn in UPNS if upn and not upn.startswith("UN")]  # blank and UN codes are not UPNs here
    theirs = rejected_by_the_dfe(upns)
    ours = {upn for upn in upns if upn_problem(upn) is not None}
    assert ours == theirs
    assert {"A383200111111", "D383201512001", "F816202110001", "A38320011111A"}.isdisjoint(ours)


def _date(name, day):
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


def _answers(child, **overrides) -> dict:
    """The form as the page would send it with nothing changed, then the overrides."""
    data = {"upn": child.upn, "former_upn": child.former_upn, "upn_unknown": child.upn_unknown,
            "disabilities": list(child.disabilities), "version": child.version}  # fmt: skip
    for name in ("uasc", "is_mother"):
        if getattr(child, name):
            data[name] = "on"
    for name in ("date_of_death", "uasc_ceased_on", "mothers_child_born_on"):
        if getattr(child, name):
            data |= _date(name, getattr(child, name))
    return data | overrides


def _page(child):
    return f"/children/{child.pk}/statutory-details/change/"


def test_the_allocated_worker_records_the_details_and_the_overview_shows_them(client, people, allocated):
    worker = people[Role.SOCIAL_WORKER]
    client.force_login(worker)
    overview = client.get(f"/children/{allocated.pk}/").content.decode()
    assert "Change the details the DfE returns need" in overview and _page(allocated) in overview
    assert "Not recorded" in overview  # neither a UPN nor the disabilities yet
    response = client.post(_page(allocated), _answers(
        allocated, upn="d383 2015 12001", former_upn="A38320011111A", disabilities=["MOB", "AUT"], uasc="on",
        **_date("uasc_ceased_on", date(2026, 10, 1))))  # fmt: skip
    assert response.status_code == 302 and response.url == f"/children/{allocated.pk}/"
    allocated.refresh_from_db()
    assert (allocated.upn, allocated.former_upn, allocated.disabilities) == ("D383201512001", "A38320011111A",
                                                                             ["MOB", "AUT"])  # fmt: skip
    assert allocated.uasc and allocated.uasc_ceased_on == date(2026, 10, 1)
    overview = client.get(f"/children/{allocated.pk}/").content.decode()
    assert "D383201512001" in overview and "Mobility, Autism or Asperger syndrome" in overview
    assert "Yes, until 1 October 2026" in overview


def test_no_disability_is_an_answer_and_not_recorded_is_not(client, people, allocated):
    client.force_login(people[Role.SOCIAL_WORKER])
    response = client.post(_page(allocated), _answers(allocated, disabilities=["NONE"], upn_unknown="UN2"))
    assert response.status_code == 302
    overview = client.get(f"/children/{allocated.pk}/").content.decode()
    assert "No disability" in overview and "Has never attended a state-funded school in England" in overview
    allocated.refresh_from_db()
    assert client.post(_page(allocated), _answers(allocated, disabilities=[])).status_code == 302
    allocated.refresh_from_db()
    assert allocated.disabilities == [] and allocated.get_disabilities_display() == "Not recorded"


BAD = [
    ({"upn": "A38320011111"}, "upn", "The unique pupil number must be 13 characters"),
    ({"upn": "A383 2001 1111 11"}, "upn", "The unique pupil number must be 13 characters"),
    ({"upn": "B383200111111"}, "upn", "The unique pupil number is not right: its first letter"),
    ({"upn": "A950000178301"}, "upn", "The unique pupil number must have a council&#x27;s DfE number"),
    ({"upn": "A38320011111S"}, "upn", "The unique pupil number must start with a capital letter other than I"),
    ({"former_upn": "B383200111111"}, "former_upn", "The former unique pupil number is not right"),
    ({"upn": "A383200111111", "upn_unknown": "UN1"}, "upn_unknown", "Give the unique pupil number or why there is"),
    ({"upn_unknown": "UN9"}, "upn_unknown", "Select why there is no unique pupil number from the list"),
    ({"disabilities": ["NONE", "MOB"]}, "disabilities", "Select “No disability”, or the child&#x27;s disabilities"),
    ({"disabilities": ["WINGS"]}, "disabilities", "Select the child&#x27;s disabilities from the list"),
    (_date("date_of_death", date(2026, 11, 21)), "date_of_death", "The date of death must be today or in the past"),
    (_date("date_of_death", date(2015, 5, 31)), "date_of_death", "The date of death must be on or after the child"),
    (_date("date_of_death", date(1, 1, 1)) | {"date_of_death_2": "0001"}, "date_of_death",
     "The date of death must be"),
    (_date("uasc_ceased_on", date(2026, 1, 1)), "uasc_ceased_on", "Give the date the status ended only for an"),
    ({"uasc": "on"} | _date("uasc_ceased_on", date(2027, 1, 1)), "uasc_ceased_on",
     "The date their unaccompanied asylum-seeking status ended must be today or in the past"),
    ({"version": "many"}, "version", "Enter a whole number"),
]  # fmt: skip


@pytest.mark.parametrize(("overrides", "field", "message"), BAD, ids=[field for _, field, _ in BAD])
def test_each_bad_answer_is_named_and_nothing_is_saved(client, people, allocated, overrides, field, message):
    client.force_login(people[Role.SOCIAL_WORKER])
    before = (Child.objects.filter(pk=allocated.pk).values().get(), allocated.history.count())
    response = client.post(_page(allocated), _answers(allocated, **overrides))
    assert response.status_code == 200
    page = response.content.decode()
    summary = page[page.index("govuk-error-summary"):page.index("</ul>", page.index("govuk-error-summary"))]
    assert message in summary, summary
    assert (Child.objects.filter(pk=allocated.pk).values().get(), allocated.history.count()) == before


def test_motherhood_is_only_for_a_girl_and_her_childs_birth_only_for_a_mother(client, people, allocated):
    worker = people[Role.SOCIAL_WORKER]
    with pytest.raises(ValidationError) as refused:
        child_statutory_update(child=allocated, updated_by=worker, version=allocated.version, is_mother=True)
    assert refused.value.message_dict == {"is_mother": ["Only a child recorded as female can be recorded as a mother"]}
    client.force_login(worker)
    assert 'name="is_mother"' not in client.get(_page(allocated)).content.decode()  # not asked about a boy

    Child.objects.filter(pk=allocated.pk).update(sex="F")
    allocated.refresh_from_db()
    assert 'name="is_mother"' in client.get(_page(allocated)).content.decode()
    response = client.post(_page(allocated), _answers(allocated, **_date("mothers_child_born_on", date(2026, 9, 1))))
    assert "Give her child&#x27;s date of birth only if the child is a mother" in response.content.decode()
    response = client.post(_page(allocated), _answers(allocated, is_mother="on",
                                                      **_date("mothers_child_born_on", date(2026, 9, 1))))  # fmt: skip
    assert response.status_code == 302
    allocated.refresh_from_db()
    assert allocated.is_mother and allocated.mothers_child_born_on == date(2026, 9, 1)
    assert "Yes: her child was born on 1 September 2026" in client.get(f"/children/{allocated.pk}/").content.decode()
    # Not a mother after all: the service clears her child's birth date with it.
    child_statutory_update(child=allocated, updated_by=worker, version=allocated.version, is_mother=False)
    allocated.refresh_from_db()
    assert not allocated.is_mother and allocated.mothers_child_born_on is None


def test_a_save_from_a_stale_version_is_refused_and_shows_theirs(client, people, allocated):
    worker, manager = people[Role.SOCIAL_WORKER], people[Role.TEAM_MANAGER]
    opened = _answers(allocated)
    child_statutory_update(child=allocated, updated_by=manager, version=allocated.version, upn="A383200111111")
    client.force_login(worker)
    response = client.post(_page(allocated), opened | {"upn": "D383201512001", "disabilities": ["NONE"]})
    page = response.content.decode()
    assert response.status_code == 200
    assert "saved this child&#x27;s details after you opened it, changing: Unique pupil number" in page
    assert "A383200111111" in page and 'value="D383201512001"' in page  # theirs shown; the worker's kept
    allocated.refresh_from_db()
    assert allocated.upn == "A383200111111" and allocated.disabilities == []
    with pytest.raises(ValidationError):
        child_statutory_update(child=allocated, updated_by=worker, version=opened["version"], upn="D383201512001")


def test_a_save_elsewhere_on_the_record_does_not_block_this_page(client, people, allocated):
    opened = _answers(allocated)
    child_details_update(child=allocated, updated_by=people[Role.TEAM_MANAGER], version=latest_version(allocated),
                         school="Oak Primary")  # fmt: skip
    client.force_login(people[Role.SOCIAL_WORKER])
    assert client.post(_page(allocated), opened | {"disabilities": ["HEAR"]}).status_code == 302
    allocated.refresh_from_db()
    assert allocated.disabilities == ["HEAR"] and allocated.school == "Oak Primary"


def test_history_records_who_changed_what(people, allocated):
    worker = people[Role.SOCIAL_WORKER]
    child_statutory_update(child=allocated, updated_by=worker, version=allocated.version, upn_unknown="UN4",
                           disabilities=["VIS"])  # fmt: skip
    latest, earlier = allocated.history.all()[:2]
    assert latest.history_user == worker and (latest.upn_unknown, latest.disabilities) == ("UN4", ["VIS"])
    assert (earlier.upn_unknown, earlier.disabilities) == ("", [])
    assert latest.version == earlier.version + 1


def _expected(role):
    """The allocated worker and the team's manager change these; anyone else who can see the
    child is refused (403), as on every change page of the record; nobody else is told it exists."""
    if role == Role.AUTHORITY_ADMIN:
        return 404
    # The data officer corrects them from the DfE's findings.
    return 200 if role in (Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.DATA_OFFICER) else 403


@pytest.mark.parametrize("role", list(Role))
def test_each_role(client, people, allocated, role):
    client.force_login(people[role])
    assert client.get(_page(allocated)).status_code == _expected(role)
    response = client.post(_page(allocated), _answers(allocated, upn="A383200111111"))
    assert response.status_code == (302 if _expected(role) == 200 else _expected(role))
    allocated.refresh_from_db()
    assert (allocated.upn == "A383200111111") == (_expected(role) == 200)
    overview = client.get(f"/children/{allocated.pk}/").content.decode()
    assert (_page(allocated) in overview) == (_expected(role) == 200)


def test_a_social_worker_not_allocated_cannot_change_them(client, people, allocated):
    colleague = staff(Role.SOCIAL_WORKER, authority=allocated.authority, team=people["team"])
    client.force_login(colleague)
    assert client.get(f"/children/{allocated.pk}/").status_code == 200  # sees the team's child
    assert client.get(_page(allocated)).status_code == 403
    assert client.post(_page(allocated), _answers(allocated, upn="A383200111111")).status_code == 403
    with pytest.raises(PermissionDenied):
        child_statutory_update(child=allocated, updated_by=colleague, version=allocated.version, uasc=True)
    allocated.refresh_from_db()
    assert allocated.upn == "" and not allocated.uasc


def test_another_authority_and_a_restricted_child_are_404(client, people, allocated):
    york = Authority.objects.get(slug="york")
    york_team = TeamFactory(authority=york)
    york_manager = staff(Role.TEAM_MANAGER, team=york_team)
    york_child = ChildFactory(authority=york)
    Case.objects.create(authority=york, child=york_child, team=york_team, worker=staff(Role.SOCIAL_WORKER,
                                                                                       team=york_team))  # fmt: skip
    client.force_login(york_manager)
    assert client.get(_page(allocated)).status_code == 404
    assert client.post(_page(allocated), _answers(allocated, upn="A383200111111")).status_code == 404
    client.force_login(people[Role.TEAM_MANAGER])
    assert client.get(_page(york_child)).status_code == 404

    allocated.restricted = True
    allocated.save()
    allocated.restricted_to.add(people[Role.SOCIAL_WORKER])
    for role in (Role.TEAM_MANAGER, Role.SERVICE_MANAGER, Role.QA_AUDITOR, Role.BUSINESS_SUPPORT):
        client.force_login(people[role])
        assert client.get(_page(allocated)).status_code == 404, role
        assert client.post(_page(allocated), _answers(allocated, upn="A383200111111")).status_code == 404, role
    with pytest.raises(PermissionDenied):
        child_statutory_update(child=allocated, updated_by=people[Role.TEAM_MANAGER], version=allocated.version,
                               upn="A383200111111")  # fmt: skip
    client.force_login(people[Role.SOCIAL_WORKER])
    assert client.get(_page(allocated)).status_code == 200
    allocated.refresh_from_db()
    assert allocated.upn == ""


def test_the_page_has_a_bounded_query_count_at_two_sizes(client, people, allocated, django_assert_max_num_queries):
    manager = people[Role.TEAM_MANAGER]
    client.force_login(manager)
    counts = []
    for saves in (0, 10):
        for number in range(saves):
            allocated.refresh_from_db()
            child_statutory_update(child=allocated, updated_by=manager, version=allocated.version,
                                   disabilities=["NONE"] if number % 2 else ["HEAR"])  # fmt: skip
            allocate_new_child(people, allocated.authority)
        counts.append(page_query_counts(client, [_page(allocated)], django_assert_max_num_queries, limit=20))
    assert counts[0] == counts[1]


def test_the_demo_childrens_details_pass_the_dfe_rules():
    today = date(2026, 11, 20)
    for slug in LA_NUMBERS:
        details = []
        for index, (first, _, age, *_) in enumerate(DEMO_CHILDREN):
            born = None if age is None else date(today.year - age, (index % 12) + 1, 10)
            details.append((first, age, statutory_fields_for(Authority(slug=slug), index, first, born)))
        upns = [fields["upn"] for _, _, fields in details if "upn" in fields]
        assert len(set(upns)) == len(upns) and not rejected_by_the_dfe(upns), slug
        assert all(fields.get("upn_unknown") for _, age, fields in details if age is None or age < 4)
        assert [(first, age) for first, age, fields in details if fields.get("uasc")] == [("Dawit", 16)]
        assert any(fields["disabilities"] not in ([], ["NONE"]) for _, _, fields in details)

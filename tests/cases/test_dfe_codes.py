"""Every DfE code list Casework offers, held to the lists inside the DfE's own validators
(csc-validator-be-cin and csc-validator-be-903, pinned in requirements.lock), for each collection
year Casework returns. The lists are read from the validators' rule source, not copied here, so a
new validator release that changes a list fails this test until ours is changed to match."""

import ast
import inspect
import textwrap
from datetime import date
from importlib import import_module

import pytest

from cases.codes import cin_census, ssda903
from cases.codes.lists import CodeList, collection_year_label, collection_year_of

YEARS = [2025, 2026]

# (our list, return, the validator's rule, the name of the list inside it, how they compare)
# "same": every code the DfE accepts that year is offered, and nothing else is (a code the DfE
# accepts but Casework has retired must be marked retired in our list).
# "covers": the validator's rule checks a subset on purpose (the reason is given beside it); ours
# must hold every code in it.
CHECKS = [
    (cin_census.REFERRAL_SOURCES, "cin", "8866", "valid_referrals", "same"),
    (cin_census.ASSESSMENT_FACTORS, "cin", "8897Q", "factors_list", "same"),
    (cin_census.DISABILITIES, "cin", "8540", "valid_dis", "same"),
    (cin_census.CLOSURE_REASONS, "cin", "8640", "valid_reason", "same"),
    (cin_census.ABUSE_CATEGORIES, "cin", "8910", "abuse_cats", "same"),
    (cin_census.PRIMARY_NEEDS, "cin", "8650", "PriNeed_list", "same"),
    # 8770Q lists the reasons valid for a child of school age, so it leaves out UN1 (not of school age).
    (cin_census.UPN_UNKNOWN, "cin", "8770Q", "upnunknown_reasons", "covers"),
    (ssda903.PLACEMENT_TYPES, "903", "146", "code_list", "same"),
    (ssda903.LEGAL_STATUSES, "903", "144", "code_list", "same"),
    # The 903 takes only the needs of a child in need (N1 to N8) in its CIN field.
    (cin_census.PRIMARY_NEEDS, "903", "145", "code_list", "covers"),
    (ssda903.PLACEMENT_PROVIDERS, "903", "178", "code_list_placement_provider", "same"),
    (ssda903.NEW_EPISODE_REASONS, "903", "143", "code_list", "same"),
    (ssda903.EPISODE_END_REASONS, "903", "149", "code_list", "same"),
    (ssda903.PLACEMENT_CHANGE_REASONS, "903", "1009", "code_list", "same"),
    (ssda903.REVIEW_PARTICIPATION, "903", "167", "code_list", "same"),
    (ssda903.SDQ_REASONS, "903", "196", "code_list", "same"),
    (ssda903.IN_TOUCH, "903", "131", "code_list", "same"),
    (ssda903.CARE_LEAVER_ACTIVITIES, "903", "132", "code_list", "same"),
    (ssda903.CARE_LEAVER_ACCOMMODATION, "903", "133", "valid_codes", "same"),
    (ssda903.SOCIAL_WORKER_CHANGE_REASONS, "903", "SW13STG1", "valid_reasons", "same"),
    (ssda903.ADOPTER_SEXES, "903", "176", "code_list", "same"),
    (ssda903.ADOPTER_LEGAL_STATUSES, "903", "177", "code_list", "same"),
    (ssda903.PLACED_FOR_ADOPTION_ENDED, "903", "120", "code_list", "same"),
    (ssda903.PREVIOUS_PERMANENCE, "903", "631", "code_list", "same"),
    (ssda903.MISSING_KINDS, "903", "1006", "code_list", "same"),
]


def validator_list(ret: str, year: int, rule: str, name: str) -> list[str]:
    """The list literal `name` in the rule's source, in the ruleset the validator uses that year."""
    package = {"cin": "cin_validator.rules.cin", "903": "lac_validator.rules.lac"}[ret]
    registry = import_module(f"{package}{year}_{(year + 1) % 100:02d}").registry
    source = textwrap.dedent(inspect.getsource(inspect.getmodule(registry[rule].func)))
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assign) and any(getattr(target, "id", None) == name for target in node.targets):
            return [element.value for element in node.value.elts]
    raise AssertionError(f"the validator's rule {rule} no longer has a list named {name}")


@pytest.mark.parametrize("year", YEARS, ids=collection_year_label)
@pytest.mark.parametrize(("codes", "ret", "rule", "name", "how"), CHECKS,
                         ids=[f"{check[1]}-{check[0].name}" for check in CHECKS])  # fmt: skip
def test_every_list_is_the_dfe_validators_list(codes: CodeList, ret, rule, name, how, year):
    theirs = set(validator_list(ret, year, rule, name))
    offered = {code for code, _ in codes.offered(date(year, 6, 1))}
    known = {code for code, _ in codes.choices}
    assert theirs <= known, f"the DfE accepts these, and Casework cannot read them: {sorted(theirs - known)}"
    if how == "same":
        assert offered <= theirs, f"offered, but the DfE rejects them in {year}: {sorted(offered - theirs)}"
        not_offered = theirs - offered
        retired = {code for code in not_offered if codes.in_use.get(code, (None, None))[1] is not None}
        assert not_offered == retired, f"valid in {year} and not offered: {sorted(not_offered - retired)}"


def test_a_withdrawn_code_is_read_but_not_offered():
    """Z1 was the DfE's "other placement" until 2024-25; from 2025-26 the DfE wants Z11 to Z14."""
    before = dict(ssda903.PLACEMENT_TYPES.offered(date(2025, 3, 31)))
    after = dict(ssda903.PLACEMENT_TYPES.offered(date(2025, 4, 1)))
    assert "Z1" in before and "Z11" not in before
    assert "Z1" not in after and "Z11" in after
    assert ssda903.PLACEMENT_TYPES.label("Z1") == dict(ssda903.PLACEMENT_TYPES.choices)["Z1"]
    kept = dict(ssda903.PLACEMENT_TYPES.offered(date(2025, 4, 1), keep=["Z1"]))
    assert "Z1" in kept, "a record that holds a withdrawn code keeps it as a choice while it is changed"


@pytest.mark.parametrize(("day", "year"), [(date(2026, 3, 31), 2025), (date(2026, 4, 1), 2026),
                                           (date(2027, 1, 1), 2026)])  # fmt: skip
def test_the_collection_year_starts_on_1_april(day, year):
    assert collection_year_of(day) == year


def test_the_meanings_the_issue_found_wrong():
    """Spot checks against the DfE's schema text, for the codes that were stored with another
    code's meaning."""
    sources = dict(cin_census.REFERRAL_SOURCES.choices)
    assert "GP" in sources["3A"] and "health visitor" in sources["3B"] and "A&E" in sources["3E"]
    assert "family member" in sources["1A"] and "themselves" in sources["1C"]
    factors = dict(cin_census.ASSESSMENT_FACTORS.choices)
    assert "asylum" in factors["9A"] and "sexual exploitation" in factors["11A"].lower()
    assert factors["16A"] == "Neglect" and "genital" in factors["22A"] and "criminal" in factors["24A"]
    assert "Privately fostered" in factors["8B"]
    places = dict(ssda903.PLACEMENT_TYPES.choices)
    assert "placement order, with the current foster carers" in places["A5"]
    assert "not with the current foster carers" in places["A6"]


@pytest.mark.django_db
def test_the_correction_moves_each_referral_once_to_the_code_for_its_label(allocated):
    """1A moves to 1D while 1D moves to 1C: a row holding 1A must end at 1D, not 1C."""
    from cases.codes.moves import move_codes
    from cases.models import Referral

    moves = import_module("cases.migrations.0011_dfe_code_meanings").REFERRAL_SOURCE_MOVES
    first = allocated.referrals.get()
    stored = {}
    for code in ["1A", "1D", "3B", "6"]:
        first.pk, first.source = None, code
        first.save()
        stored[code] = first.pk
    move_codes(Referral, "source", moves)
    now = {code: Referral.objects.get(pk=pk).source for code, pk in stored.items()}
    assert now == {"1A": "1D", "1D": "1C", "3B": "3A", "6": "6"}
    labels = dict(cin_census.REFERRAL_SOURCES.choices)
    assert labels[now["3B"]] == "Health services: GP", "the worker who chose GP keeps GP"

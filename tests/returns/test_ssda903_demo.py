"""The quick-start demo's SSDA903 returns, derived, written and checked by the DfE's validator for
every demo authority: the year ended 31 March 2026, and 2026-27 so far (the suite's fixed clock is
20 November 2026, so that return describes the year to date, as an authority's mid-year check
would). Seeded once for the module, as tests/test_demo.py does, because a full seed is slow."""

import pytest
from django.core.management import call_command

from cases.demo import DEMO_AUTHORITIES
from cases.models import Authority
from returns.ssda903.derive import derive
from returns.ssda903.validate import validate_directory
from returns.ssda903.writer import write_tables
from returns.years import CollectionYear
from tests import clock

pytestmark = pytest.mark.django_db

# Rules of the pinned validator (csc-validator-be-903 0.1.17) that raise on any well-formed return
# instead of judging it, each for a reason in the validator itself (see test_ssda903.py).
VALIDATOR_CRASHES = {2026: set(), 2027: set()}


@pytest.fixture(scope="module", autouse=True)
def demo(request, django_db_setup, django_db_blocker):
    from cases.selectors.timescales import clear_policy_cache

    with django_db_blocker.unblock(), clock.held(request.node):
        clear_policy_cache()
        call_command("load_authorities", stdout=open("/dev/null", "w"))  # noqa: SIM115
        call_command("seed_demo", quiet_logins=True)
        yield
        call_command("flush", interactive=False, verbosity=0)
        clear_policy_cache()


def described(findings) -> list[str]:
    return [f"{finding.rule} {finding.table}[{finding.row}] {finding.child}: {finding.message}" for finding in findings]


@pytest.mark.parametrize("ending", [2026, 2027])
@pytest.mark.parametrize("slug", [slug for slug, _ in DEMO_AUTHORITIES])
def test_every_demo_authority_returns_an_ssda903_the_dfe_validator_passes(slug, ending, tmp_path):
    authority = Authority.objects.get(slug=slug)
    year = CollectionYear(ending)
    tables = derive(authority=authority, year=year)
    write_tables(tables=tables, year=year, directory=tmp_path)
    validation = validate_directory(directory=tmp_path, year=year, local_authority=authority.ons_code)
    print({name: len(rows) for name, rows in tables.items()})
    for name, rows in tables.items():
        for row in rows:
            print(name, row)
    print("\n".join(described(validation.findings)))
    assert described(validation.errors) == []
    assert {finding.rule for finding in validation.crashes} == VALIDATOR_CRASHES[ending], described(validation.crashes)

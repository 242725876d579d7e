"""Every demo authority's returns are clean by the DfE's own rules: the quick start's data is what
a data officer first sees, and CI proves it (seeded once for the module, as in tests/test_demo.py)."""

import pytest
from django.core.management import call_command

from cases.models import Authority
from returns.cin.produce import census_for
from returns.cin.validate import validate_census
from returns.years import CollectionYear
from tests import clock

pytestmark = pytest.mark.django_db


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


def authorities():
    return Authority.objects.exclude(la_number="").order_by("slug")


@pytest.mark.parametrize("ending", [2026, 2027])
def test_every_demo_authority_s_cin_census_has_no_error(ending):
    year = CollectionYear(ending)
    for authority in authorities():
        document = census_for(authority, year)
        assert document.count(b"<Child>") >= 3, authority.slug
        errors = [f"{finding.rule} {finding.la_child_id}: {finding.message}"
                  for finding in validate_census(document, year) if finding.is_error]  # fmt: skip
        assert errors == [], authority.slug

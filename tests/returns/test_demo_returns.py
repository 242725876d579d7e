"""Every demo authority's returns are clean by the DfE's own rules: the quick start's data is what
a data officer first sees, and CI proves it. Both years: 2025-26, and 2026-27 so far (the suite's
fixed clock is 20 November 2026, so that return describes the year to date, as an authority's
mid-year check would). Produced as the Returns page and the command line produce them. Seeded
once for the module, as tests/test_demo.py does, because a full seed is slow."""

import io
import zipfile

import pytest

from cases.models import Authority
from returns.cin.produce import census_checked
from returns.ssda903.produce import tables_checked
from returns.ssda903.writer import read_tables
from returns.years import CollectionYear
from tests.returns.test_ssda903 import CRASHES, WRONG_RULES
from tests.support import SHIPPED, demo_seeded

pytestmark = pytest.mark.django_db

# Every demo authority that makes returns: the one with the national defaults has no LA number.
SLUGS = SHIPPED


@pytest.fixture(scope="module", autouse=True)
def demo(request, django_db_setup, django_db_blocker):
    with demo_seeded(request.node, django_db_blocker):
        yield


def no_progress(percent: int, stage: str) -> None:
    """These tests read the result, not how it went."""


@pytest.mark.parametrize("ending", [2026, 2027])
@pytest.mark.parametrize("slug", SLUGS)
def test_every_demo_authority_s_cin_census_has_no_error(slug, ending):
    produced = census_checked(Authority.objects.get(slug=slug), CollectionYear(ending), no_progress)
    assert len(produced.children) >= 3
    errors = [f"{finding.rule} {finding.la_child_id}: {finding.message}"
              for finding in produced.findings if finding.is_error or finding.could_not_run]  # fmt: skip
    assert errors == []


@pytest.mark.parametrize("ending", [2026, 2027])
@pytest.mark.parametrize("slug", SLUGS)
def test_every_demo_authority_s_ssda903_has_no_error(slug, ending, tmp_path):
    authority, year = Authority.objects.get(slug=slug), CollectionYear(ending)
    produced = tables_checked(authority, year, no_progress)
    # The tables read back from the zip it produced, not derived a second time: a full derivation is slow.
    with zipfile.ZipFile(io.BytesIO(produced.document)) as archive:
        archive.extractall(tmp_path)
    tables = read_tables(directory=tmp_path, year=year)
    assert tables["Header"], "every demo authority has looked-after children in both years"
    # Each error with the row it is about, so a failure says what to put right where.
    assert [(finding.rule, finding.table, finding.la_child_id, finding.message,
             tables[finding.table][finding.row] if finding.table in tables else None)
            for finding in produced.findings if finding.is_error] == []  # fmt: skip
    # Not checked: the validator's rules that raise on any return, and the one it gets wrong.
    assert {finding.rule for finding in produced.findings if finding.could_not_run} == CRASHES[ending] | WRONG_RULES
    # What SW12STG2 means to check, and cannot: every child looked after in the year has the
    # year's social worker episodes.
    with_workers = {row["CHILD"] for row in tables["SWEpisodes"]}
    assert sorted({row["CHILD"] for row in tables["Episodes"]} - with_workers) == []

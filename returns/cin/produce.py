"""The CIN census for an authority and year, from the records to the XML file, and the year a
file says it is for."""

from collections.abc import Callable

from django.utils import timezone

from cases.models import Authority
from returns.cin.derive import CHUNK, census_children, child_ids_in
from returns.cin.validate import validate_census
from returns.cin.writer import census_xml
from returns.produced import Produced
from returns.years import CollectionYear, UnsupportedYear


class NotAReturn(ValueError):
    """The file is not a CIN census this version of Casework can read; the message says why."""


def census_checked(authority: Authority, year: CollectionYear, progress: Callable[[int, str], None]) -> Produced:
    """The census produced and checked, telling `progress` (percent, what is happening) as it goes."""
    if not authority.la_number:
        raise ValueError(f"{authority.name} has no DfE LA number in its configuration file")
    ids = child_ids_in(authority, year)
    total = len(ids)
    progress(5, f"Reading the records of {total} {'child' if total == 1 else 'children'}")
    rows = []
    for row in census_children(authority, year, ids):
        rows.append(row)
        if len(rows) % CHUNK == 0:
            progress(5 + 55 * len(rows) // total, f"Read {len(rows)} of {total} children's records")
    progress(60, "Writing the file")
    document = census_xml(la_number=authority.la_number, year=year, children=rows, made_at=timezone.localtime())
    progress(70, "Checking it with the DfE's rules")
    return Produced(document=document, children={row.la_child_id: row.child_id for row in rows},
                    findings=validate_census(document, year), records=record_pages(rows))  # fmt: skip


def record_pages(rows) -> dict[tuple[str, int], tuple[str, int, str]]:
    """Which record each row of the validator's Assessments and Section47 tables came from: it
    numbers them in the order the file holds them, which is the order they were written in."""
    pages, numbered = {}, {"Assessments": 0, "Section47": 0}
    for child in rows:
        for episode in child.episodes:
            for table, url_name, what, records in (
                ("Assessments", "assessment", "the assessment", episode.assessments),
                ("Section47", "s47-enquiry", "the section 47 enquiry", episode.enquiries),
            ):
                for record in records:
                    pages[(table, numbered[table])] = (url_name, record.record_id, what)
                    numbered[table] += 1
    return pages


def census_year_of(header_reference_date: str | None) -> CollectionYear:
    """The year a census is for, from its header's reference date (31 March of the year's end)."""
    if not header_reference_date:
        raise NotAReturn("The file has no Header/CollectionDetails/ReferenceDate, so its year is not known")
    try:
        ending = int(header_reference_date.strip()[:4])
    except ValueError:
        raise NotAReturn(f"The reference date {header_reference_date!r} is not a date") from None
    try:
        return CollectionYear(ending)
    except UnsupportedYear as error:
        raise NotAReturn(str(error)) from None

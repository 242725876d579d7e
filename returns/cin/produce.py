"""The CIN census for an authority and year, from the records to the XML file, and the year a
file says it is for."""

from django.utils import timezone

from cases.models import Authority
from returns.cin.derive import census_children
from returns.cin.writer import census_xml
from returns.years import CollectionYear, UnsupportedYear


class NotAReturn(ValueError):
    """The file is not a CIN census this version of Casework can read; the message says why."""


def census_for(authority: Authority, year: CollectionYear) -> bytes:
    if not authority.la_number:
        raise ValueError(f"{authority.name} has no DfE LA number in its configuration file")
    return census_xml(la_number=authority.la_number, year=year, children=census_children(authority, year),
                      made_at=timezone.localtime())  # fmt: skip


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

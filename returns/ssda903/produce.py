"""The SSDA903 for an authority and year, from the records to the CSV tables (in a directory, or
zipped for a download), checked with the DfE's validator."""

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

from cases.models import Authority, Child
from returns.produced import Produced
from returns.ssda903.derive import Row, derive
from returns.ssda903.tables import FILE_NAMES, columns_for
from returns.ssda903.validate import validate_tables
from returns.ssda903.writer import table_csv, write_tables
from returns.years import CollectionYear


def tables_for(authority: Authority, year: CollectionYear, progress: Callable[[int, str], None] | None = None):
    """Every table, and which child each CHILD identifier is."""
    children: dict[str, int] = {}
    return derive(authority=authority, year=year, progress=progress, children=children), children


def write_return(*, authority: Authority, year: CollectionYear, directory: Path) -> list[Path]:
    tables = derive(authority=authority, year=year)
    return list(write_tables(tables=tables, year=year, directory=directory).values())


def tables_checked(authority: Authority, year: CollectionYear, progress: Callable[[int, str], None]) -> Produced:
    """The return zipped (one CSV a table) and checked, telling `progress` as it goes."""
    if not authority.ons_code:
        raise ValueError(f"{authority.name} has no ONS area code in its configuration file")
    progress(5, "Reading the records")
    tables, children = tables_for(authority, year, progress)
    progress(60, "Writing the tables")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as written:
        for name in columns_for(year):
            written.writestr(FILE_NAMES[name], table_csv(name=name, rows=tables[name], year=year))
    progress(70, "Checking it with the DfE's rules")
    validation = validate_tables(tables=tables, year=year, local_authority=authority.ons_code)
    return Produced(document=archive.getvalue(), children=children, findings=validation.as_findings(),
                    records=record_pages(tables))  # fmt: skip


def _child_id(record) -> int:
    return record.pk if isinstance(record, Child) else record.child_id


# For each table, the page where what its row says is corrected or recorded, from the record the
# row came from: (URL name, the id it takes, what the link opens), or None where that record has no
# such page (a missing episode or liberty order already ended can no longer be changed), so the
# finding names the tab instead (returns/links.py). A row from the child alone, or from a record
# with no page of its own, leads to the form on the child that records it.
PAGES = {
    "Header": lambda child: ("child-statutory-change", child.pk, "the child's statutory details"),
    "UASC": lambda child: ("child-statutory-change", child.pk, "the child's statutory details"),
    "Episodes": lambda placement: ("placement-correct", placement.pk, "the placement's details"),
    "Reviews": lambda meeting: ("meeting-participation", meeting.pk, "the child's participation in the review"),
    "OC2": lambda record: ("health-outcome-new", _child_id(record), "the health and wellbeing form"),
    "OC3": lambda record: ("care-leaver-contact-new", _child_id(record), "the personal adviser's contact form"),
    "AD1": lambda record: ("adoption-step-choose", _child_id(record), "the adoption steps"),
    "PlacedAdoption": lambda record: ("adoption-step-choose", _child_id(record), "the adoption steps"),
    "Missing": lambda missing: ("missing-episode-end", missing.pk, "the missing episode") if missing.is_open else None,
    "DoLo": lambda order: ("liberty-order-end", order.pk, "the deprivation of liberty order")
    if order.ended_on is None else None,
    "SWEpisodes": lambda allocation: ("case-allocate", allocation.case_id, "the case's allocation"),
}  # fmt: skip


def record_pages(tables: dict[str, list[Row]]) -> dict[tuple[str, int], tuple[str, int, str]]:
    """The page of the record each row came from, by (table, row): the validator numbers a table's
    rows in the order they are written, which is the order of these lists."""
    pages = {}
    for table, rows in tables.items():
        page_of = PAGES.get(table)
        for index, row in enumerate(rows):
            record = getattr(row, "record", None)
            if page_of is not None and record is not None and (page := page_of(record)) is not None:
                pages[(table, index)] = page
    return pages

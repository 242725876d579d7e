"""The SSDA903 for an authority and year, from the records to the CSV tables (in a directory, or
zipped for a download), checked with the DfE's validator."""

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

from cases.models import Authority
from returns.produced import Produced
from returns.ssda903.derive import derive
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
    return Produced(document=archive.getvalue(), children=children, findings=validation.as_findings())

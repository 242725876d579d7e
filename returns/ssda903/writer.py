"""The SSDA903 return written as the DfE's CSV tables: one file a table, named as the validator's
own offline run and the DfE's LIIA tools name them, UTF-8, with the exact headers of the year and
dates already as DD/MM/YYYY (derive.py writes them so). A table with no rows is still written, with
its headers, so the validator knows the table was returned empty rather than left out."""

import csv
import io
from pathlib import Path

from returns.ssda903.tables import FILE_NAMES, columns_for
from returns.years import CollectionYear


def table_csv(*, name: str, rows: list[dict], year: CollectionYear) -> str:
    """One table as CSV text: its headers, then its rows (a value missing from a row is blank)."""
    headers = columns_for(year)[name]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=headers, extrasaction="raise", restval="", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def write_tables(*, tables: dict[str, list[dict]], year: CollectionYear, directory: Path) -> dict[str, Path]:
    """Write every table of the year's return into `directory` (made if need be); the path of each."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = {}
    for name in columns_for(year):
        path = directory / FILE_NAMES[name]
        path.write_text(table_csv(name=name, rows=tables.get(name, []), year=year), encoding="utf-8", newline="")
        written[name] = path
    return written


def read_tables(*, directory: Path, year: CollectionYear) -> dict[str, list[dict]]:
    """The tables a directory of the year's CSV files holds (a table whose file is absent is left
    out), as derive.py gives them: {table name: rows of text}."""
    tables = {}
    for name in columns_for(year):
        path = Path(directory) / FILE_NAMES[name]
        if path.exists():
            with path.open(encoding="utf-8-sig", newline="") as handle:
                tables[name] = [dict(row) for row in csv.DictReader(handle)]
    return tables

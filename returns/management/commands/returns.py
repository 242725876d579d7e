"""The statutory returns from the command line. The spellings are a contract (scripts and the
performance team's runbooks use them); exit 0 on success, 1 when validation finds errors, 2 on
bad arguments, with a one-line reason.

    manage.py returns import AUTHORITY [--cin FILE.xml] [--ssda903 DIR [--year YEAR]]
    manage.py returns export cin AUTHORITY YEAR --output FILE.xml
    manage.py returns export ssda903 AUTHORITY YEAR --output DIR
    manage.py returns validate cin FILE.xml
    manage.py returns validate ssda903 DIR YEAR [--authority AUTHORITY]

YEAR names the collection year by its end: 2026 is 1 April 2025 to 31 March 2026."""

import sys
from pathlib import Path

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from cases.models import Authority
from returns.cin.importer import census_import
from returns.cin.produce import NotAReturn, census_checked, census_year_of
from returns.cin.validate import validate_census
from returns.findings import Finding
from returns.importing import ImportRefused
from returns.services import past_returns_user
from returns.ssda903.importer import ssda903_import
from returns.ssda903.produce import write_return
from returns.ssda903.validate import validate_directory
from returns.years import CollectionYear, UnsupportedYear

BAD_ARGUMENTS, FOUND_ERRORS = 2, 1


class BadArguments(Exception):
    pass


class Command(BaseCommand):
    help = "Export or validate the CIN census and the SSDA903 return."
    requires_system_checks = []

    def add_arguments(self, parser: CommandParser):
        actions = parser.add_subparsers(dest="action", required=True)
        loading = actions.add_parser("import", help="Bring an authority's past returns in as its history.")
        loading.add_argument("authority", help="the authority's slug, as in config/authorities/")
        loading.add_argument("--cin", help="a CIN census XML file")
        loading.add_argument("--ssda903", help="a directory of SSDA903 CSV files, one a table")
        loading.add_argument("--year", help="the SSDA903's collection year, e.g. 2026 for 2025-26 (worked out from "
                                            "its dates, or the CIN census's, where not given)")
        export = actions.add_parser("export", help="Produce a return from the records.")
        export_kinds = export.add_subparsers(dest="kind", required=True)
        for kind, output in (("cin", "the XML file to write"), ("ssda903", "the directory to create")):
            chosen = export_kinds.add_parser(kind)
            chosen.add_argument("authority", help="the authority's slug, as in config/authorities/")
            chosen.add_argument("year", help="the year the collection ends, e.g. 2026 for 2025-26")
            chosen.add_argument("--output", required=True, help=output)
        validate = actions.add_parser("validate", help="Check a return with the DfE's rules.")
        validate_kinds = validate.add_subparsers(dest="kind", required=True)
        validate_kinds.add_parser("cin").add_argument("file", help="the CIN census XML file")
        ssda903 = validate_kinds.add_parser("ssda903")
        ssda903.add_argument("directory", help="the directory holding one CSV per table")
        ssda903.add_argument("year", help="the year the collection ends, e.g. 2026 for 2025-26")
        ssda903.add_argument("--authority", help="whose return it is (its slug), so placements are placed in its area")

    def handle(self, *args, action, kind=None, **options):
        try:
            findings = getattr(self, f"{action}_{kind}" if kind else f"{action}_")(**options)
        except BadArguments as reason:
            self.stderr.write(str(reason))
            sys.exit(BAD_ARGUMENTS)
        errors = self.report(findings)
        if errors:
            sys.exit(FOUND_ERRORS)

    def import_(self, *, authority, cin=None, ssda903=None, year=None, **options) -> list[Finding]:
        """Both returns in one transaction: where either is refused, nothing of the other is kept."""
        found = _authority(authority)
        if not cin and not ssda903:
            raise BadArguments("Give a return to import: --cin FILE.xml, --ssda903 DIR or both")
        census = Path(cin) if cin else None
        if census is not None and not census.is_file():
            raise BadArguments(f"There is no file {census}")
        tables = Path(ssda903) if ssda903 else None
        if tables is not None and not (tables.is_dir() and any(tables.glob("*.csv"))):
            raise BadArguments(f"There is no directory {tables} holding CSV files")
        collection = _year(year) if year else None
        user = past_returns_user(found)
        try:
            with transaction.atomic():
                runs = []
                if census is not None:
                    runs.append((census, census_import(authority=found, document=census.read_bytes(),
                                                       file_name=census.name, imported_by=user)))  # fmt: skip
                    collection = collection or CollectionYear(runs[0][1].run.year_ending)
                if tables is not None:
                    files = {path.name: path.read_bytes() for path in sorted(tables.glob("*.csv"))}
                    runs.append((tables, ssda903_import(authority=found, files=files, imported_by=user,
                                                        year=collection, source_name=tables.name)))  # fmt: skip
        except ImportRefused as refused:
            for problem in refused.problems:
                self.stdout.write(f"Refused: {problem}")
            self.stdout.write("Nothing was imported")
            sys.exit(FOUND_ERRORS)
        for path, loaded in runs:
            run = loaded.run
            if not loaded.created:
                self.stdout.write(f"{path} was imported before, on {run.imported_at:%d %B %Y}: nothing changed")
            else:
                self.stdout.write(
                    f"Imported {path} for {found.name}: {run.children_created} children added and "
                    f"{run.children_matched} already here; {run.episodes_created} episodes added and "
                    f"{run.episodes_matched} already here; {len(run.queries)} DfE queries kept")  # fmt: skip
            for note in run.notes:
                self.stdout.write(f"Note: {note}")
        return []

    def export_cin(self, *, authority, year, output, **options) -> list[Finding]:
        found, collection = _authority(authority), _year(year)
        target = Path(output)
        if not target.parent.is_dir():
            raise BadArguments(f"There is no directory {target.parent} to write {target.name} in")
        produced = census_checked(found, collection, _unheard)
        target.write_bytes(produced.document)
        self.stdout.write(f"Wrote the {collection.label} CIN census for {found.name} to {target}")
        return produced.findings

    def export_ssda903(self, *, authority, year, output, **options) -> list[Finding]:
        found, collection = _authority(authority), _year(year)
        target = Path(output)
        if target.exists() and not target.is_dir():
            raise BadArguments(f"{target} exists and is not a directory")
        if not found.ons_code:
            raise BadArguments(f"{found.name} has no ONS area code, which the SSDA903 checks need")
        written = write_return(authority=found, year=collection, directory=target)
        self.stdout.write(f"Wrote the {collection.label} SSDA903 for {found.name} to {target}: "
                          f"{', '.join(path.name for path in written)}")  # fmt: skip
        return validate_directory(directory=target, year=collection, local_authority=found.ons_code).as_findings()

    def validate_cin(self, *, file, **options) -> list[Finding]:
        path = Path(file)
        if not path.is_file():
            raise BadArguments(f"There is no file {path}")
        document = path.read_bytes()
        try:
            header = ElementTree.fromstring(document).find("Header/CollectionDetails/ReferenceDate")
            collection = census_year_of(header.text if header is not None else None)
        except (ElementTree.ParseError, DefusedXmlException) as error:
            raise BadArguments(f"{path} is not a CIN census XML file ({error})") from None
        except NotAReturn as reason:
            raise BadArguments(f"{path}: {reason}") from None
        self.stdout.write(f"Checking {path} as the {collection.label} CIN census")
        return validate_census(document, collection)

    def validate_ssda903(self, *, directory, year, authority=None, **options) -> list[Finding]:
        path, collection = Path(directory), _year(year)
        if not path.is_dir():
            raise BadArguments(f"There is no directory {path}")
        if not any(path.glob("*.csv")):
            raise BadArguments(f"{path} holds no CSV file")
        # The validator places each placement inside or outside the authority's area, so it needs
        # to know whose return it is; without it those few rules judge against no area.
        area = _authority(authority).ons_code if authority else ""
        self.stdout.write(f"Checking {path} as the {collection.label} SSDA903"
                          + ("" if area else " (no --authority given: placements are not compared with its area)"))
        return validate_directory(directory=path, year=collection, local_authority=area).as_findings()

    def report(self, findings: list[Finding]) -> int:
        errors = sum(finding.is_error for finding in findings)
        for finding in findings:
            where = " ".join(part for part in (finding.la_child_id, finding.table, ", ".join(finding.fields)) if part)
            self.stdout.write(f"{finding.kind} {finding.rule}{f' ({where})' if where else ''}: {finding.message}")
        unchecked = sum(finding.could_not_run for finding in findings)
        queries = len(findings) - errors - unchecked
        self.stdout.write(f"{errors} error{'s' * (errors != 1)}, {queries} quer{'y' if queries == 1 else 'ies'}, "
                          f"{unchecked} not checked (rules the validator could not run)")
        return errors


def _unheard(percent: int, stage: str) -> None:
    """The command line reports when it has finished, not how far it has got."""


def _authority(slug: str) -> Authority:
    found = Authority.objects.filter(slug=slug).first()
    if found is None:
        raise BadArguments(f"There is no authority called {slug!r}")
    if not found.la_number:
        raise BadArguments(f"{found.name} has no DfE LA number, so it makes no returns")
    return found


def _year(text: str) -> CollectionYear:
    try:
        return CollectionYear(int(text))
    except ValueError as error:
        if isinstance(error, UnsupportedYear):
            raise BadArguments(str(error)) from None
        raise BadArguments(f"The year must be a number such as 2026 (for 2025-26), not {text!r}") from None

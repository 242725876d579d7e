"""The SSDA903 return checked in process by the DfE's own validator (csc-validator-be-903, the
`lac_validator` package, pinned in requirements.lock), with a plain result: one finding for each
row a rule fails, and one for each rule that could not run.

The tables go through the validator's own reading of uploaded CSV files (`read_from_text`: how it
recognises each table by its headers, reads every value as text, upper-cases it and adds the Header
table's UASC column) and its own datastore (postcode look-ups, the collection's start and end).
The rules are then run here rather than by `LacValidator.validate`, for two reasons: that loop
logs a rule that raises and keeps only its code, so a crash would read as a pass unless the log
were scraped; and a rule naming a table the return lacks stops that loop for every rule after it.
Each rule is called as the validator calls it, on its own copy of the datastore (a deep one: see
`clean_copy`), and its failing rows are read as the validator reads them (NaN labels dropped).

The validator marks no rule as a query: every rule it carries is reported as an error."""

import contextlib
import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from lac_validator.datastore import create_datastore
from lac_validator.ingress import read_from_text
from lac_validator.rules.ruleset_utils import get_year_ruleset

from returns.findings import Finding
from returns.ssda903.tables import FILE_NAMES
from returns.ssda903.writer import table_csv
from returns.years import CollectionYear

ERROR = "error"
# A rule that raised instead of answering: the return is not known to pass it.
CRASH = "crash"
THIS_YEAR, LAST_YEAR = "This year", "Prev year"
# Rules of the pinned validator that fail rows their own wording says are right (see
# tests/returns/test_ssda903.py, where their findings are pinned row by row).
KNOWN_WRONG = {
    "SW12STG2": "the published validator's version of this rule also fails social worker episodes that are "
                "right (before the child came into care, or after a move), so it is not relied on here",
}  # fmt: skip


def _known_wrong(found) -> str:
    reason = KNOWN_WRONG.get(found.rule)
    return f"{found.message} (not checked: {reason})" if reason else found.message


@dataclass(frozen=True)
class ValidatorFinding:
    rule: str
    message: str
    kind: str
    table: str | None = None
    row: int | None = None
    child: str | None = None
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class Validation:
    year: CollectionYear
    findings: tuple[ValidatorFinding, ...]
    rules_run: int

    @property
    def errors(self) -> list[ValidatorFinding]:
        return [finding for finding in self.findings if finding.kind == ERROR]

    def as_findings(self) -> list[Finding]:
        """In the shape both returns share (returns/findings.py). A rule the pinned validator gets
        wrong (KNOWN_WRONG) is reported as not checked, with why, rather than as an error."""
        return [Finding(rule=found.rule, message=_known_wrong(found), is_error=found.kind == ERROR
                        and found.rule not in KNOWN_WRONG, la_child_id=found.child or "", table=found.table or "",
                        fields=found.fields, row=found.row,
                        could_not_run=found.kind == CRASH or found.rule in KNOWN_WRONG)
                for found in self.findings]  # fmt: skip

    @property
    def crashes(self) -> list[ValidatorFinding]:
        return [finding for finding in self.findings if finding.kind == CRASH]


def uploaded_files(*, tables: dict[str, list[dict]], year: CollectionYear, description: str) -> list[dict]:
    """The tables as the validator's front end hands it files: name, bytes and which year they are."""
    return [
        {"name": FILE_NAMES[name], "file_content": table_csv(name=name, rows=rows, year=year).encode("utf-8"),
         "description": description}
        for name, rows in tables.items()
    ]  # fmt: skip


def validate_tables(*, tables: dict[str, list[dict]], year: CollectionYear, local_authority: str,
                    previous: dict[str, list[dict]] | None = None) -> Validation:  # fmt: skip
    """Run every rule the validator carries for the year on the tables (as derive.py gives them).
    `local_authority` is the authority's ONS code (E08000035 for Leeds), which the validator uses
    to tell placements inside the authority from those outside; `previous` is last year's return,
    where there is one, for the rules that compare the two years (they are skipped without it)."""
    files = uploaded_files(tables=tables, year=year, description=THIS_YEAR)
    if previous:
        files += uploaded_files(tables=previous, year=year, description=LAST_YEAR)
    return validate_files(files=files, year=year, local_authority=local_authority)


def validate_directory(*, directory: Path, year: CollectionYear, local_authority: str,
                       previous_directory: Path | None = None) -> Validation:  # fmt: skip
    """The same, on the CSV files in a directory as they are written (and last year's, where
    given): the validator reads the files' own bytes, so what is checked is what would be sent."""
    files = files_in(directory, THIS_YEAR)
    if previous_directory is not None:
        files += files_in(previous_directory, LAST_YEAR)
    return validate_files(files=files, year=year, local_authority=local_authority)


def files_in(directory: Path, description: str) -> list[dict]:
    return [{"name": path.name, "file_content": path.read_bytes(), "description": description}
            for path in sorted(Path(directory).glob("*.csv"))]  # fmt: skip


def validate_files(*, files: list[dict], year: CollectionYear, local_authority: str) -> Validation:
    registry = get_year_ruleset(str(year.ending))
    # The validator prints as it goes; none of it is a result.
    with contextlib.redirect_stdout(io.StringIO()):
        try:
            frames, extras = read_from_text(raw_files=files)
            datastore = create_datastore(frames, {"collectionYear": str(year.ending),
                                                  "localAuthority": local_authority} | extras)  # fmt: skip
        except Exception as error:  # noqa: BLE001 - the validator could not read the tables at all
            unread = ValidatorFinding(rule="Reading", kind=CRASH, message="The DfE's validator could not read the "
                                      f"tables, so no rule was checked ({type(error).__name__}: {error})")  # fmt: skip
            return Validation(year=year, findings=(unread,), rules_run=0)
        findings = []
        for code, rule in registry.items():
            try:
                result = rule.func(clean_copy(datastore))
            except Exception as error:  # noqa: BLE001 - any exception means the rule could not judge the return
                findings.append(ValidatorFinding(rule=code, message=f"{rule.message} (the rule could not run: "
                                        f"{type(error).__name__}: {error})", kind=CRASH,
                                        fields=tuple(rule.affected_fields or ())))  # fmt: skip
                continue
            findings += failing_rows(code=code, rule=rule, result=result, datastore=datastore)
    return Validation(year=year, findings=tuple(findings), rules_run=len(registry))


def clean_copy(datastore: dict) -> dict:
    """What each rule is meant to get ("a clean copy of the files", as the validator's loop says):
    the validator's own copy is shallow, so a rule that changes a table in place changes it for every
    rule after it. Rule 365 does so to the episodes' dates, after which rule 707 reports an open
    deprivation of liberty order outside any period of care for a child still in care; a deep copy
    gives every rule the tables as returned."""
    return {name: table if name == "metadata" else table.copy(deep=True) for name, table in datastore.items()}


def failing_rows(*, code: str, rule, result: dict, datastore: dict) -> list[ValidatorFinding]:
    findings = []
    for table, labels in (result or {}).items():
        frame = datastore.get(table)
        for label in [label for label, present in zip(labels, pd.notna(labels), strict=True) if present]:
            known = isinstance(frame, pd.DataFrame) and label in frame.index and "CHILD" in frame.columns
            child = frame.at[label, "CHILD"] if known else None
            child = None if child is None or pd.isna(child) else str(child)
            findings.append(ValidatorFinding(rule=code, message=rule.message or "", kind=ERROR, table=table,
                                             row=int(label), child=child,
                                             fields=tuple(rule.affected_fields or ())))  # fmt: skip
    return findings



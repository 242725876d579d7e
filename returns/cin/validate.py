"""The CIN census checked with the DfE's own published rules (csc-validator-be-cin, pinned), run
in process, after the schema."""

import contextlib
import importlib
import io
import re

import pandas as pd
from cin_validator import cin_validator
from cin_validator.rule_engine import RuleType
from defusedxml import ElementTree

from returns.cin.writer import schema_problems
from returns.findings import Finding, crashed
from returns.years import CollectionYear

# The validator prints a rule that raised, and carries on as if it had passed.
CRASH = re.compile(r"^Error with rule (\S+): (.*)$", re.M)


def rules_for(year: CollectionYear):
    return importlib.import_module(f"cin_validator.rules.cin{year.ending - 1}_{year.ending % 100:02d}").registry


def validate_census(document: bytes, year: CollectionYear) -> list[Finding]:
    """Schema problems first (the DfE's portal refuses such a file before any rule runs); then
    every error and query the DfE's rules find, by child."""
    problems = schema_problems(document, year)
    if problems:
        return [Finding(rule="Schema", message=problem, is_error=True) for problem in problems]
    tables = cin_validator.process_data(cin_validator.convert_data(ElementTree.fromstring(document)))
    registry = rules_for(year)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        result = cin_validator.CinValidator(tables, registry)
    findings = [crashed(code, reason) for code, reason in CRASH.findall(printed.getvalue())]
    kinds = {str(rule.code): rule.rule_type == RuleType.ERROR for rule in registry.values()}
    for issue in result.full_issue_df.to_dict("records"):
        code = str(issue["rule_code"])
        findings.append(Finding(
            rule=code, message=issue["rule_description"], is_error=kinds.get(code, True),
            la_child_id="" if pd.isna(issue.get("child_id")) else str(issue["child_id"]),
            table=str(issue.get("tables_affected") or ""), fields=_fields(issue.get("columns_affected")),
            row=None if pd.isna(issue.get("row_id")) else int(issue["row_id"]),
        ))  # fmt: skip
    for issue in result.multichild_issues.to_dict("records"):
        code = str(issue["rule_code"])
        findings.append(Finding(rule=code, message=issue["rule_description"], is_error=kinds.get(code, True)))
    return _unique(findings)


def _fields(value) -> tuple[str, ...]:
    if value is None or (not isinstance(value, list | tuple) and pd.isna(value)):
        return ()
    return tuple(str(name) for name in value) if isinstance(value, list | tuple) else (str(value),)


def _unique(findings: list[Finding]) -> list[Finding]:
    return list(dict.fromkeys(findings))

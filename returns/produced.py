"""A return as produced for a run: the file, which child each identifier in it is, and what the
DfE's rules found."""

from dataclasses import dataclass

from returns.findings import Finding


@dataclass
class Produced:
    document: bytes
    children: dict[str, int]  # the return's child identifier -> the child's id in Casework
    findings: list[Finding]

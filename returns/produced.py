"""A return as produced for a run: the file, which child each identifier in it is, and what the
DfE's rules found."""

from dataclasses import dataclass, field

from returns.findings import Finding


@dataclass
class Produced:
    document: bytes
    children: dict[str, int]  # the return's child identifier -> the child's id in Casework
    findings: list[Finding]
    # (the DfE's table, its row) -> (URL name, id, what it is) of the record that row came from,
    # where it came from one record with a page of its own (an assessment, an enquiry)
    records: dict[tuple[str, int], tuple[str, int, str]] = field(default_factory=dict)
